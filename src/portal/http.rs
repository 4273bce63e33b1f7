//! One portal call over ureq: the agent (proxy, CA roots, timeouts), the
//! URL with every query value percent-encoded, the bearer header, retries,
//! and the translation of failures into [`PortalError`]s that say which
//! part failed (DNS, refused, TLS, proxy, timeout) and never quote the token.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::endpoint::{Endpoint, Env};
use super::error::{shorten, PortalError};
use super::retry::{is_retryable, Jitter, RetryPolicy};

/// Proxy variables, read as Python's urllib reads them (lower case first).
/// Debug leaves out a proxy's user name and password.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProxySettings {
    pub https: Option<String>,
    pub http: Option<String>,
    pub no_proxy: Option<String>,
}

impl std::fmt::Debug for ProxySettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = |p: &Option<String>| p.as_deref().map(redact_userinfo);
        f.debug_struct("ProxySettings")
            .field("https", &shown(&self.https))
            .field("http", &shown(&self.http))
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

impl ProxySettings {
    pub fn from_env(env: Env) -> ProxySettings {
        let first = |names: [&str; 2]| {
            names
                .into_iter()
                .filter_map(env)
                .find(|v| !v.trim().is_empty())
        };
        ProxySettings {
            https: first(["https_proxy", "HTTPS_PROXY"]),
            http: first(["http_proxy", "HTTP_PROXY"]),
            no_proxy: first(["no_proxy", "NO_PROXY"]),
        }
    }

    /// The proxy for this endpoint (by its scheme, as requests picks it),
    /// with the variable it came from; `None` when NO_PROXY covers the host.
    pub fn for_endpoint(&self, endpoint: &Endpoint) -> Option<(&'static str, &str)> {
        let (variable, url) = if endpoint.is_https() {
            ("HTTPS_PROXY", self.https.as_deref()?)
        } else {
            ("HTTP_PROXY", self.http.as_deref()?)
        };
        let bypass = self
            .no_proxy
            .as_deref()
            .is_some_and(|list| no_proxy_matches(list, endpoint.host()));
        (!bypass).then_some((variable, url))
    }
}

/// NO_PROXY: comma-separated host names; `*` is every host, `.x.com` and
/// `*.x.com` and `x.com` all cover `x.com`'s subdomains, as in urllib.
fn no_proxy_matches(list: &str, host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    list.split(',').map(str::trim).any(|entry| {
        if entry == "*" {
            return true;
        }
        let name = entry.trim_start_matches("*.").trim_start_matches('.');
        let name = name.rsplit_once(':').map_or(name, |(h, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                h
            } else {
                name
            }
        });
        let name = name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        !name.is_empty() && (host == name || host.ends_with(&format!(".{name}")))
    })
}

/// A proxy URL for people: user name and password left out.
pub(crate) fn redact_userinfo(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => match rest.split('/').next().and_then(|a| a.rsplit_once('@')) {
            Some((_, host)) => format!("{scheme}://<redacted>@{host}"),
            None => url.to_owned(),
        },
        None => match url.rsplit_once('@') {
            Some((_, host)) => format!("<redacted>@{host}"),
            None => url.to_owned(),
        },
    }
}

/// The network settings of every call.
#[derive(Clone, Debug)]
pub struct NetOpts {
    pub proxy: ProxySettings,
    /// A PEM file whose certificates are then the only trusted roots.
    pub ca_bundle: Option<PathBuf>,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    pub retry: RetryPolicy,
}

impl Default for NetOpts {
    fn default() -> Self {
        NetOpts {
            proxy: ProxySettings::default(),
            ca_bundle: None,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
        }
    }
}

impl NetOpts {
    /// Proxies and `AWS_CA_BUNDLE` from the environment; `profile_ca_bundle`
    /// (the profile's `ca_bundle`) counts only when the variable is unset,
    /// as in botocore.
    pub fn from_env(env: Env, profile_ca_bundle: Option<&Path>) -> NetOpts {
        let ca_bundle = env("AWS_CA_BUNDLE")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| profile_ca_bundle.map(Path::to_path_buf));
        NetOpts {
            proxy: ProxySettings::from_env(env),
            ca_bundle,
            ..NetOpts::default()
        }
    }
}

/// The answer to one call that reached the portal.
struct Answer {
    status: u16,
    code: String,
    body: String,
}

/// A connection to one portal with one token, shared by the workers.
pub(crate) struct Http {
    agent: ureq::Agent,
    endpoint: Endpoint,
    bearer: String,
    proxy: Option<String>,
    opts: NetOpts,
    /// Set on a fatal error: no call starts or retries after it.
    cancelled: AtomicBool,
}

/// An HTTP agent for `endpoint` as `opts` say: its proxy (unless NO_PROXY
/// covers the host), the CA bundle, the timeouts. Also the proxy's URL
/// without credentials, for messages. Every request awsp makes (the portal,
/// the console's federation endpoint) goes through an agent made here.
pub(crate) fn agent(
    endpoint: &Endpoint,
    opts: &NetOpts,
) -> Result<(ureq::Agent, Option<String>), PortalError> {
    // Every request carries a secret (the SSO token, or credentials for
    // the console's sign-in): never in clear text past this machine.
    if !endpoint.is_https() && !endpoint.is_loopback() {
        return Err(PortalError::PlainHttp {
            url: endpoint.base_url().to_owned(),
        });
    }
    let proxy_choice = opts.proxy.for_endpoint(endpoint);
    let proxy = match proxy_choice {
        Some((variable, url)) => {
            Some(
                ureq::Proxy::new(url).map_err(|_| PortalError::InvalidProxy {
                    variable,
                    proxy: redact_userinfo(url),
                })?,
            )
        }
        None => None,
    };
    let mut tls = ureq::tls::TlsConfig::builder();
    if let Some(path) = &opts.ca_bundle {
        tls = tls.root_certs(bundle_roots(path)?);
    }
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(proxy)
        .tls_config(tls.build())
        .timeout_connect(Some(opts.connect_timeout))
        .timeout_recv_response(Some(opts.read_timeout))
        .timeout_recv_body(Some(opts.read_timeout))
        .max_idle_connections_per_host(16)
        .user_agent(concat!("awsp/", env!("CARGO_PKG_VERSION")))
        .build();
    Ok((
        config.into(),
        proxy_choice.map(|(_, url)| redact_userinfo(url)),
    ))
}

/// Portal answers are small; a larger body is not the portal.
const MAX_BODY: u64 = 16 << 20;

impl Http {
    pub(crate) fn new(
        endpoint: &Endpoint,
        bearer: &str,
        opts: &NetOpts,
    ) -> Result<Http, PortalError> {
        if !bearer.bytes().all(|b| (0x21..0x7f).contains(&b)) || bearer.is_empty() {
            return Err(PortalError::InvalidToken);
        }
        let (agent, proxy) = agent(endpoint, opts)?;
        Ok(Http {
            agent,
            endpoint: endpoint.clone(),
            bearer: bearer.to_owned(),
            proxy,
            opts: opts.clone(),
            cancelled: AtomicBool::new(false),
        })
    }

    /// GET `path?query` until it succeeds, retrying throttling, 5xx and
    /// dropped connections as the policy allows. 401 ends at once.
    pub(crate) fn get(
        &self,
        path: &str,
        query: &[(&str, &str)],
        rng: &mut Jitter,
    ) -> Result<String, PortalError> {
        let url = format!("{}{path}?{}", self.endpoint.base_url(), encode_query(query));
        let started = Instant::now();
        let mut tries = 1;
        loop {
            let retry_reason = match self.once(&url) {
                Ok(a) if (200..300).contains(&a.status) => return Ok(a.body),
                Ok(a) if a.status == 401 => return Err(PortalError::Unauthorized),
                Ok(a) if is_retryable(a.status) => Err(PortalError::GaveUp {
                    status: a.status,
                    code: a.code,
                    tries,
                    secs: started.elapsed().as_secs(),
                }),
                Ok(a) => return Err(refused(a)),
                Err(Transport::Transient(e)) => Err(e),
                Err(Transport::Fatal(e)) => return Err(e),
            };
            tries += 1;
            if self.is_cancelled() {
                return retry_reason;
            }
            match self.opts.retry.sleep_before(tries, started.elapsed(), rng) {
                Some(sleep) => std::thread::sleep(sleep),
                None => return retry_reason,
            }
        }
    }

    pub(crate) fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
    }

    pub(crate) fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }

    /// The base URL, for error messages.
    pub(crate) fn target(&self) -> &str {
        self.endpoint.base_url()
    }

    fn once(&self, url: &str) -> Result<Answer, Transport> {
        let response = self
            .agent
            .get(url)
            .header("x-amz-sso_bearer_token", &self.bearer)
            .header("accept", "application/json")
            .call()
            .map_err(|e| self.transport_error(e))?;
        let status = response.status().as_u16();
        let header_code = response
            .headers()
            .get("x-amzn-errortype")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(':').next().unwrap_or("").to_owned());
        let body = response
            .into_body()
            .with_config()
            .limit(MAX_BODY)
            .read_to_string()
            .map_err(|e| self.transport_error(e))?;
        let code = header_code
            .filter(|c| !c.is_empty())
            .or_else(|| body_code(&body))
            .unwrap_or_default();
        Ok(Answer { status, code, body })
    }

    fn transport_error(&self, e: ureq::Error) -> Transport {
        classify(
            e,
            self.endpoint.base_url(),
            self.endpoint.host(),
            self.proxy.as_deref(),
            &self.opts,
        )
    }
}

enum Transport {
    /// Worth another try (a dropped connection, a timeout).
    Transient(PortalError),
    Fatal(PortalError),
}

/// Turns ureq's error into one that names the failing part.
fn classify(
    e: ureq::Error,
    target: &str,
    host: &str,
    proxy: Option<&str>,
    opts: &NetOpts,
) -> Transport {
    use std::io::ErrorKind;
    use ureq::Error as E;
    let target = target.to_owned();
    let via_proxy = |detail: String| match proxy {
        Some(p) => PortalError::Proxy {
            proxy: p.to_owned(),
            detail,
        },
        None => PortalError::Connect {
            target: target.clone(),
            detail,
        },
    };
    match e {
        E::HostNotFound => Transport::Fatal(match proxy {
            Some(p) => PortalError::Proxy {
                proxy: p.to_owned(),
                detail: "cannot resolve its host name (DNS)".into(),
            },
            None => PortalError::Dns {
                host: host.to_owned(),
            },
        }),
        E::Io(io) if is_dns_failure(&io) => Transport::Fatal(match proxy {
            Some(p) => PortalError::Proxy {
                proxy: p.to_owned(),
                detail: "cannot resolve its host name (DNS)".into(),
            },
            None => PortalError::Dns {
                host: host.to_owned(),
            },
        }),
        E::Io(io) if looks_like_tls(&io) => Transport::Fatal(PortalError::Tls {
            target,
            detail: tls_detail(&io),
        }),
        E::Io(io) if io.kind() == ErrorKind::ConnectionRefused => Transport::Fatal(match proxy {
            Some(p) => PortalError::Proxy {
                proxy: p.to_owned(),
                detail: "connection refused".into(),
            },
            None => PortalError::ConnectionRefused { target },
        }),
        E::Io(io) if matches!(io.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) => {
            Transport::Transient(PortalError::Timeout {
                target,
                stage: "reading".into(),
                secs: opts.read_timeout.as_secs(),
            })
        }
        E::Io(io)
            if matches!(
                io.kind(),
                ErrorKind::ConnectionReset
                    | ErrorKind::ConnectionAborted
                    | ErrorKind::BrokenPipe
                    | ErrorKind::UnexpectedEof
            ) =>
        {
            Transport::Transient(PortalError::Connect {
                target,
                detail: format!("the connection dropped ({io})"),
            })
        }
        E::Timeout(stage) => {
            let stage = stage.to_string();
            let secs = if stage.contains("connect") {
                opts.connect_timeout.as_secs()
            } else {
                opts.read_timeout.as_secs()
            };
            Transport::Transient(PortalError::Timeout {
                target,
                stage,
                secs,
            })
        }
        E::ConnectProxyFailed(why) => Transport::Fatal(via_proxy(format!(
            "it refused the tunnel: {}",
            shorten(&why)
        ))),
        E::InvalidProxyUrl => Transport::Fatal(via_proxy("invalid proxy URL".into())),
        E::Tls(why) => Transport::Fatal(PortalError::Tls {
            target,
            detail: why.to_owned(),
        }),
        E::Rustls(why) => Transport::Fatal(PortalError::Tls {
            target,
            detail: tls_detail(&why),
        }),
        E::Pem(why) => Transport::Fatal(PortalError::Tls {
            target,
            detail: why.to_string(),
        }),
        E::Protocol(why) => Transport::Fatal(PortalError::BadResponse {
            target,
            operation: "HTTP",
            detail: format!("not an HTTP answer ({why}); is it a TLS server reached with http://?"),
        }),
        E::BodyExceedsLimit(n) => Transport::Fatal(PortalError::BadResponse {
            target,
            operation: "HTTP",
            detail: format!("an answer of more than {n} bytes"),
        }),
        E::Http(_) => Transport::Fatal(PortalError::InvalidToken),
        E::ConnectionFailed => Transport::Fatal(via_proxy("the connection failed".into())),
        E::Io(io) => Transport::Fatal(via_proxy(io.to_string())),
        other => Transport::Fatal(via_proxy(other.to_string())),
    }
}

/// std's resolver (getaddrinfo) reports a failed look-up as an
/// uncategorised error; its text is the only sign.
fn is_dns_failure(io: &std::io::Error) -> bool {
    let text = io.to_string();
    text.contains("lookup address information")
        || text.contains("Name or service not known")
        || text.contains("nodename nor servname")
        || text.contains("No such host")
}

/// rustls failures reach us wrapped in io errors (ureq's TLS stream);
/// rustls is not a direct dependency, so its messages are the sign.
fn looks_like_tls(io: &std::io::Error) -> bool {
    let text = io.to_string();
    [
        "corrupt message",
        "InvalidContentType",
        "certificate",
        "handshake",
        "alert",
        "peer is incompatible",
    ]
    .iter()
    .any(|sign| text.contains(sign))
}

fn tls_detail(e: &dyn std::fmt::Display) -> String {
    let text = e.to_string();
    if text.contains("InvalidContentType") || text.contains("corrupt message") {
        format!("{text}: the server does not speak TLS (an http:// server reached with https://?)")
    } else if text.contains("UnknownIssuer") {
        format!("{text}: the server's certificate is not signed by a trusted CA")
    } else {
        text
    }
}

/// Every certificate of the PEM file at `path`, and no other root: as in
/// botocore (`verify=` the bundle), so awsp trusts what the AWS CLI
/// trusts with the same setting, never more.
fn bundle_roots(path: &Path) -> Result<ureq::tls::RootCerts, PortalError> {
    let bundle_error = |detail: String| PortalError::CaBundle {
        path: path.to_owned(),
        detail,
    };
    let pem = std::fs::read(path).map_err(|e| bundle_error(e.to_string()))?;
    let mut added = Vec::new();
    for item in ureq::tls::parse_pem(&pem) {
        match item.map_err(|e| bundle_error(format!("not a PEM file ({e})")))? {
            ureq::tls::PemItem::Certificate(cert) => added.push(cert),
            _ => continue,
        }
    }
    if added.is_empty() {
        return Err(bundle_error("it holds no PEM certificate".into()));
    }
    Ok(ureq::tls::RootCerts::from(added))
}

fn refused(a: Answer) -> PortalError {
    PortalError::Refused {
        status: a.status,
        code: if a.code.is_empty() {
            "error".into()
        } else {
            a.code
        },
        message: shorten(&body_message(&a.body)),
    }
}

/// `__type` of an error body, without its namespace (`aws.x#Code` -> `Code`).
fn body_code(body: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    let t = v.get("__type").or_else(|| v.get("code"))?.as_str()?;
    Some(t.rsplit('#').next().unwrap_or(t).to_owned())
}

pub(crate) fn body_message(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            v.get("message")
                .or_else(|| v.get("Message"))
                .and_then(|m| m.as_str().map(str::to_owned))
        })
        .unwrap_or_default()
}

/// `k=v&...` with every byte outside RFC 3986's unreserved set encoded:
/// next tokens hold `+/=` and a raw `+` would read as a space.
pub(crate) fn encode_query(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        percent_encode_into(&mut out, k);
        out.push('=');
        percent_encode_into(&mut out, v);
    }
    out
}

/// Percent-encoding of everything but RFC 3986's unreserved characters.
pub(crate) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    percent_encode_into(&mut out, s);
    out
}

fn percent_encode_into(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_value_is_percent_encoded() {
        assert_eq!(
            encode_query(&[("next_token", "a+b/c=="), ("role_name", "Ops Ü,@")]),
            "next_token=a%2Bb%2Fc%3D%3D&role_name=Ops%20%C3%9C%2C%40"
        );
        assert_eq!(encode_query(&[("max_result", "100")]), "max_result=100");
    }

    #[test]
    fn proxy_chosen_by_scheme_and_bypassed_by_no_proxy() {
        let env = |k: &str| match k {
            "HTTPS_PROXY" => Some("http://proxy:3128".to_owned()),
            "https_proxy" => Some("http://lower:3128".to_owned()),
            "HTTP_PROXY" => Some("http://plain:3128".to_owned()),
            "NO_PROXY" => Some("localhost, .corp.example,10.0.0.1:443".to_owned()),
            _ => None,
        };
        let p = ProxySettings::from_env(&env);
        let tls = Endpoint::from_url("https://portal.sso.us-east-1.amazonaws.com").unwrap();
        assert_eq!(
            p.for_endpoint(&tls),
            Some(("HTTPS_PROXY", "http://lower:3128"))
        );
        let plain = Endpoint::from_url("http://example.org:8080").unwrap();
        assert_eq!(
            p.for_endpoint(&plain),
            Some(("HTTP_PROXY", "http://plain:3128"))
        );
        for bypassed in [
            "http://localhost:1",
            "https://a.corp.example",
            "https://corp.example",
            "https://10.0.0.1",
        ] {
            assert_eq!(
                p.for_endpoint(&Endpoint::from_url(bypassed).unwrap()),
                None,
                "{bypassed}"
            );
        }
        assert!(p
            .for_endpoint(&Endpoint::from_url("https://notcorp.example").unwrap())
            .is_some());
        assert!(no_proxy_matches("*", "anything"));
    }

    #[test]
    fn proxy_credentials_never_shown() {
        assert_eq!(
            redact_userinfo("http://u:secret@proxy:3128"),
            "http://<redacted>@proxy:3128"
        );
        assert_eq!(
            redact_userinfo("u:secret@proxy:3128"),
            "<redacted>@proxy:3128"
        );
        assert_eq!(redact_userinfo("http://proxy:3128"), "http://proxy:3128");
    }

    #[test]
    fn error_code_from_body_type() {
        assert_eq!(
            body_code(r#"{"__type":"com.amazonaws.switchboard.portal#ForbiddenException","message":"No access"}"#).as_deref(),
            Some("ForbiddenException")
        );
        assert_eq!(body_message(r#"{"message":"No access"}"#), "No access");
    }

    #[test]
    fn plain_http_goes_only_to_this_machine() {
        for local in [
            "http://127.0.0.1:9",
            "http://localhost:8",
            "http://[::1]:7",
            "http://127.8.0.1",
        ] {
            let e = Endpoint::from_url(local).unwrap();
            assert!(agent(&e, &NetOpts::default()).is_ok(), "{local}");
        }
        for remote in [
            "http://portal.example",
            "http://10.0.0.1:80",
            "http://localhost.evil.com",
            "http://[::2]",
        ] {
            let e = Endpoint::from_url(remote).unwrap();
            let err = agent(&e, &NetOpts::default()).err().unwrap().to_string();
            assert!(err.contains(remote) && err.contains("https://"), "{err}");
        }
        assert!(agent(
            &Endpoint::from_url("https://portal.example").unwrap(),
            &NetOpts::default()
        )
        .is_ok());
    }

    #[test]
    fn a_token_a_header_cannot_carry_is_refused_without_quoting_it() {
        let e = Endpoint::from_url("http://127.0.0.1:9").unwrap();
        let err = Http::new(&e, "abc\ndef", &NetOpts::default())
            .err()
            .unwrap();
        assert!(!err.to_string().contains("abc"));
    }

    #[test]
    fn ca_bundle_errors_name_the_file_and_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem");
        let err = bundle_roots(&missing).unwrap_err().to_string();
        assert!(
            err.contains("missing.pem") && err.contains("No such file"),
            "{err}"
        );
        let junk = dir.path().join("junk.pem");
        std::fs::write(&junk, "not a certificate\n").unwrap();
        let err = bundle_roots(&junk).unwrap_err().to_string();
        assert!(
            err.contains("junk.pem") && err.contains("no PEM certificate"),
            "{err}"
        );
    }

    /// The bundle replaces the public roots, as botocore's `verify=` does.
    #[test]
    fn a_ca_bundle_is_the_only_trust() {
        let dir = tempfile::tempdir().unwrap();
        let pem = dir.path().join("corp.pem");
        let ca = |name: &str| {
            let mut params = rcgen::CertificateParams::new(Vec::new()).unwrap();
            params
                .distinguished_name
                .push(rcgen::DnType::CommonName, name);
            params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
            let key = rcgen::KeyPair::generate().unwrap();
            params.self_signed(&key).unwrap().pem()
        };
        std::fs::write(&pem, format!("{}junk between\n{}", ca("a"), ca("b"))).unwrap();
        match bundle_roots(&pem).unwrap() {
            ureq::tls::RootCerts::Specific(certs) => assert_eq!(certs.len(), 2),
            _ => panic!("not the bundle's certificates alone"),
        }
    }
}
