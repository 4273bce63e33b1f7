//! What can go wrong talking to the portal. Every message says what
//! happened and what to try; none holds the token, a header or a
//! credential (the tests check).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum PortalError {
    /// 401: the token is expired, revoked or logged out. The caller adds
    /// `awsp login SESSION`; nothing else is tried with this token.
    #[error("the portal refused the access token (expired, revoked or logged out): log in again")]
    Unauthorized,
    #[error("the portal answered {status} {code}: {message}")]
    Refused {
        status: u16,
        code: String,
        message: String,
    },
    #[error("the portal kept answering {status} {code} after {tries} tries over {secs}s: try again later")]
    GaveUp {
        status: u16,
        code: String,
        tries: u32,
        secs: u64,
    },
    #[error("cannot resolve the host name {host} (DNS): check the network, the region or AWS_ENDPOINT_URL_SSO")]
    Dns { host: String },
    #[error("connection refused by {target}: nothing listens there")]
    ConnectionRefused { target: String },
    #[error("cannot connect to {target}: {detail}")]
    Connect { target: String, detail: String },
    #[error("no answer from {target} within {secs}s ({stage})")]
    Timeout {
        target: String,
        stage: String,
        secs: u64,
    },
    #[error("TLS with {target} failed: {detail} (a corporate proxy's CA goes in AWS_CA_BUNDLE or the profile's ca_bundle)")]
    Tls { target: String, detail: String },
    #[error("the proxy {proxy} failed: {detail} (check HTTPS_PROXY / HTTP_PROXY and NO_PROXY)")]
    Proxy { proxy: String, detail: String },
    #[error("invalid proxy URL {proxy:?} in {variable}")]
    InvalidProxy {
        variable: &'static str,
        proxy: String,
    },
    #[error("cannot use the CA bundle {}: {detail}", path.display())]
    CaBundle { path: PathBuf, detail: String },
    #[error("invalid portal endpoint {url:?}: {reason}")]
    InvalidEndpoint { url: String, reason: String },
    /// An `http://` endpoint off this machine: the request would carry the
    /// token (or credentials) in clear text.
    #[error("refusing plain http to {url}: the request would carry your SSO token or credentials in clear text; use https:// (http:// is allowed only to localhost)")]
    PlainHttp { url: String },
    /// The config file's endpoint settings cannot be read (it names the
    /// file's sections; shown through `printable` by the commands).
    #[error("{problem}")]
    EndpointConfig { problem: String },
    #[error("the cached access token holds characters an HTTP header cannot carry: log in again")]
    InvalidToken,
    #[error("invalid sso_region {region:?}: expected a region name such as us-east-1")]
    InvalidRegion { region: String },
    #[error("{target} did not answer like the portal ({operation}): {detail}")]
    BadResponse {
        target: String,
        operation: &'static str,
        detail: String,
    },
}

/// Server text quoted in an error is cut short: it is for people, and a
/// misbehaving server should not flood the terminal.
pub(crate) fn shorten(text: &str) -> String {
    const MAX: usize = 200;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}
