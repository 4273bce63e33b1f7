//! The portal client against the fake portal (tests/it/support/fake_portal.rs)
//! on 127.0.0.1: pagination, throttling, bounded concurrency, 401/403/404,
//! proxies, TLS and transport errors, no token in any output, and boto3's
//! `sso` client as the oracle of what a faithful client lists.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::fake_portal::{expected_assignments, FakeConfig, FakePortal};
use awsp::portal::{
    fetch_inventory, get_role_credentials, AccessToken, Endpoint, FetchOpts, NetOpts, PortalError,
    Progress, ProxySettings, RetryPolicy,
};

fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |k| map.get(k).cloned()
}

/// The endpoint the way users point awsp at a portal: AWS_ENDPOINT_URL_SSO.
fn endpoint_of(portal: &FakePortal) -> Endpoint {
    Endpoint::for_region(
        "us-east-1",
        &env_of(&[("AWS_ENDPOINT_URL_SSO", portal.url())]),
    )
    .unwrap()
}

fn token_of(portal: &FakePortal) -> AccessToken {
    AccessToken::new(portal.token())
}

fn fetch(
    portal: &FakePortal,
    opts: &FetchOpts,
) -> Result<awsp::portal::types::Inventory, PortalError> {
    fetch_inventory(&endpoint_of(portal), &token_of(portal), opts, &|_| {})
}

fn found(inv: &awsp::portal::types::Inventory) -> HashSet<(String, String)> {
    inv.assignments
        .iter()
        .map(|a| (a.account_id.clone(), a.role_name.clone()))
        .collect()
}

/// Every shown form of an error or result, to search for secrets.
fn shown<T: std::fmt::Debug>(r: &T) -> String {
    format!("{r:?}")
}

#[test]
fn every_page_of_accounts_and_roles_is_listed_and_sorted() {
    let portal = FakePortal::start(FakeConfig {
        accounts: 45,
        roles_per_account: 5,
        ..FakeConfig::default()
    });
    for page_size in [Some(2), Some(100), None] {
        let opts = FetchOpts {
            page_size,
            ..FetchOpts::default()
        };
        let progress = Mutex::new(Vec::new());
        let inv = fetch_inventory(&endpoint_of(&portal), &token_of(&portal), &opts, &|p| {
            progress.lock().unwrap().push(p)
        })
        .unwrap();
        let mut want: Vec<_> = portal
            .accounts()
            .iter()
            .map(|a| (a.id.clone(), a.name.clone(), a.email.clone()))
            .collect();
        want.sort();
        let got: Vec<_> = inv
            .accounts
            .iter()
            .map(|a| (a.id.clone(), a.name.clone(), a.email.clone()))
            .collect();
        assert_eq!(got, want, "page size {page_size:?}");
        assert_eq!(found(&inv), expected_assignments(&portal));
        assert_eq!(inv.assignments.len(), 45 * 5);
        assert!(
            inv.assignments.windows(2).all(|w| w[0] < w[1]),
            "sorted, no duplicates"
        );
        assert!(inv.failures.is_empty());
        let progress = progress.into_inner().unwrap();
        assert_eq!(
            progress.last(),
            Some(&Progress::Roles {
                done: 45,
                total: 45,
                assignments: 225
            })
        );
        let pages = match page_size {
            Some(2) => 23,
            _ => {
                if page_size.is_none() {
                    3
                } else {
                    1
                }
            }
        };
        assert!(
            progress.contains(&Progress::Accounts {
                pages,
                accounts: 45
            }),
            "{page_size:?}: {progress:?}"
        );
    }
    // Names with spaces, unicode and `+=,.@-` came through intact.
    let inv = fetch(&portal, &FetchOpts::default()).unwrap();
    assert!(inv
        .assignments
        .iter()
        .any(|a| a.role_name == "Billing+Ops=1,a.b@c-d"));
    assert!(inv
        .assignments
        .iter()
        .any(|a| a.role_name == "Data Scientist Ü"));
    assert!(inv.accounts.iter().any(|a| a.name.contains('☃')));
    assert!(
        inv.accounts
            .iter()
            .filter(|a| a.name == "Shared Services")
            .count()
            >= 2
    );
}

#[test]
fn the_fake_rejects_a_next_token_whose_plus_is_not_encoded() {
    // Proof that the pagination test can fail: a client sending `+` raw loses the page.
    let portal = FakePortal::start(FakeConfig {
        accounts: 5,
        page_size: 2,
        ..FakeConfig::default()
    });
    let get = |query: &str| {
        let mut s = TcpStream::connect(("127.0.0.1", portal.port())).unwrap();
        write!(
            s,
            "GET /assignment/accounts?{query} HTTP/1.1\r\nHost: x\r\nx-amz-sso_bearer_token: {}\r\nConnection: close\r\n\r\n",
            portal.token()
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    };
    let first = get("");
    let body = &first[first.find("\r\n\r\n").unwrap() + 4..];
    let token = serde_json::from_str::<serde_json::Value>(body).unwrap()["nextToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        token.contains('+') && token.contains('/') && token.contains('='),
        "{token}"
    );
    assert!(get(&format!("next_token={token}")).starts_with("HTTP/1.1 400"));
    let encoded = token
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    assert!(get(&format!("next_token={encoded}")).starts_with("HTTP/1.1 200"));
    assert!(get("max_result=101").starts_with("HTTP/1.1 400"));
}

#[test]
fn throttling_and_server_errors_are_retried_and_nothing_is_lost() {
    let portal = FakePortal::start(FakeConfig {
        accounts: 60,
        roles_per_account: 3,
        page_size: 20,
        throttle_every: 3,
        server_error_every: 11,
        ..FakeConfig::default()
    });
    let inv = fetch(
        &portal,
        &FetchOpts {
            page_size: Some(20),
            ..FetchOpts::default()
        },
    )
    .unwrap();
    assert_eq!(found(&inv), expected_assignments(&portal));
    assert_eq!(inv.accounts.len(), 60);
    let stats = portal.stats();
    assert!(
        stats.throttled >= 20 && stats.server_errors >= 5,
        "{stats:?}"
    );
}

#[test]
fn a_call_throttled_past_the_cap_fails_the_fetch_and_says_so() {
    let portal = FakePortal::start(FakeConfig {
        accounts: 3,
        throttle_every: 1,
        ..FakeConfig::default()
    });
    let opts = FetchOpts {
        net: NetOpts {
            retry: RetryPolicy {
                max_tries: 3,
                base: Duration::from_millis(1),
                ..RetryPolicy::default()
            },
            ..NetOpts::default()
        },
        ..FetchOpts::default()
    };
    let err = fetch(&portal, &opts).unwrap_err();
    assert!(
        matches!(
            err,
            PortalError::GaveUp {
                status: 429,
                tries: 3,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("TooManyRequestsException"),
        "{err}"
    );
    assert_eq!(portal.stats().requests, 3);
}

#[test]
fn never_more_than_16_requests_in_flight() {
    let portal = FakePortal::start(FakeConfig {
        accounts: 120,
        roles_per_account: 2,
        latency: Duration::from_millis(15),
        ..FakeConfig::default()
    });
    let inv = fetch(
        &portal,
        &FetchOpts {
            concurrency: 64,
            ..FetchOpts::default()
        },
    )
    .unwrap();
    assert_eq!(found(&inv), expected_assignments(&portal));
    let max = portal.stats().max_in_flight;
    assert!((9..=16).contains(&max), "max in flight {max}");

    let portal = FakePortal::start(FakeConfig {
        accounts: 40,
        latency: Duration::from_millis(15),
        ..FakeConfig::default()
    });
    fetch(&portal, &FetchOpts::default()).unwrap();
    let max = portal.stats().max_in_flight;
    assert!(
        (2..=9).contains(&max),
        "default concurrency (8 workers and the lister): max in flight {max}"
    );
}

#[test]
fn a_wrong_token_stops_at_the_first_call() {
    let portal = FakePortal::start(FakeConfig::default());
    let err = fetch_inventory(
        &endpoint_of(&portal),
        &AccessToken::new("wrong-token-value"),
        &FetchOpts::default(),
        &|_| {},
    )
    .unwrap_err();
    assert!(matches!(err, PortalError::Unauthorized), "{err:?}");
    assert_eq!(portal.stats().requests, 1, "401 is not retried");
    assert!(
        !shown(&err).contains("wrong-token-value")
            && !err.to_string().contains("wrong-token-value")
    );
}

#[test]
fn a_token_revoked_midway_stops_every_worker() {
    let portal = FakePortal::start(FakeConfig {
        accounts: 300,
        roles_per_account: 1,
        latency: Duration::from_millis(5),
        revoke_after: Some(30),
        ..FakeConfig::default()
    });
    let err = fetch(
        &portal,
        &FetchOpts {
            concurrency: 16,
            ..FetchOpts::default()
        },
    )
    .unwrap_err();
    assert!(matches!(err, PortalError::Unauthorized), "{err:?}");
    std::thread::sleep(Duration::from_millis(100));
    let requests = portal.stats().requests;
    assert!(
        requests <= 30 + 16 * 2,
        "workers went on after the 401: {requests} requests"
    );
}

#[test]
fn forbidden_and_missing_accounts_are_reported_and_the_rest_kept() {
    let accounts = crate::support::fake_portal::generate_accounts(20, 3);
    let (forbidden, missing) = (accounts[4].id.clone(), accounts[11].id.clone());
    let portal = FakePortal::start(FakeConfig {
        accounts: 20,
        forbidden: vec![forbidden.clone()],
        not_found: vec![missing.clone()],
        ..FakeConfig::default()
    });
    let inv = fetch(&portal, &FetchOpts::default()).unwrap();
    assert_eq!(found(&inv), expected_assignments(&portal));
    assert_eq!(inv.assignments.len(), 18 * 3);
    assert_eq!(
        inv.accounts.len(),
        20,
        "refused accounts are still listed accounts"
    );
    let failures: Vec<_> = inv
        .failures
        .iter()
        .map(|f| (f.account_id.clone(), f.reason.clone()))
        .collect();
    let mut want = vec![
        (forbidden, "403 ForbiddenException: No access".to_owned()),
        (
            missing,
            "404 ResourceNotFoundException: Account not found".to_owned(),
        ),
    ];
    want.sort();
    assert_eq!(failures, want);
}

#[test]
fn role_credentials_with_an_awkward_role_name() {
    let portal = FakePortal::start(FakeConfig {
        accounts: 8,
        roles_per_account: 8,
        ..FakeConfig::default()
    });
    let account = &portal.accounts()[2];
    let net = NetOpts::default();
    let creds = get_role_credentials(
        &endpoint_of(&portal),
        &token_of(&portal),
        &net,
        &account.id,
        "Data Scientist Ü",
    )
    .unwrap();
    assert_eq!(
        creds.secret_access_key,
        format!("fake-secret-{}-Data Scientist Ü", account.id)
    );
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    assert!(
        (creds.expiration_ms - now_ms - 3_600_000).abs() < 60_000,
        "epoch ms"
    );
    let debug = format!("{creds:?}");
    assert!(
        !debug.contains("fake-secret") && !debug.contains("fake-session"),
        "{debug}"
    );
    let err = get_role_credentials(
        &endpoint_of(&portal),
        &token_of(&portal),
        &net,
        &account.id,
        "NoSuchRole",
    )
    .unwrap_err();
    assert!(
        matches!(err, PortalError::Refused { status: 403, .. }),
        "{err:?}"
    );
    let err = get_role_credentials(
        &endpoint_of(&portal),
        &AccessToken::new("nope"),
        &net,
        &account.id,
        "x",
    )
    .unwrap_err();
    assert!(matches!(err, PortalError::Unauthorized));
}

/// A tiny CONNECT proxy: counts tunnels and pipes bytes both ways.
fn start_connect_proxy() -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let tunnels = Arc::new(AtomicUsize::new(0));
    let counter = tunnels.clone();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let counter = counter.clone();
            std::thread::spawn(move || {
                let mut head = Vec::new();
                let mut byte = [0u8];
                let mut client = client;
                while !head.ends_with(b"\r\n\r\n") {
                    if client.read(&mut byte).unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head);
                let target = head
                    .strip_prefix("CONNECT ")
                    .and_then(|r| r.split(' ').next())
                    .unwrap()
                    .to_owned();
                let upstream = TcpStream::connect(target).unwrap();
                counter.fetch_add(1, Ordering::SeqCst);
                client
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .unwrap();
                let (mut c2, mut u2) = (client.try_clone().unwrap(), upstream.try_clone().unwrap());
                std::thread::spawn(move || std::io::copy(&mut u2, &mut c2));
                let mut upstream = upstream;
                let _ = std::io::copy(&mut client, &mut upstream);
            });
        }
    });
    (port, tunnels)
}

#[test]
fn the_proxy_variables_are_honoured() {
    let portal = FakePortal::start(FakeConfig {
        accounts: 10,
        ..FakeConfig::default()
    });
    let (proxy_port, tunnels) = start_connect_proxy();
    let proxy_url = format!("http://127.0.0.1:{proxy_port}");
    let with_env = |pairs: &[(&str, &str)]| FetchOpts {
        net: NetOpts::from_env(&env_of(pairs), None),
        ..FetchOpts::default()
    };
    // The fake is http://, so HTTP_PROXY is the one that applies (by scheme, as requests does).
    let inv = fetch(
        &portal,
        &with_env(&[
            ("HTTP_PROXY", &proxy_url),
            ("HTTPS_PROXY", "http://127.0.0.1:1"),
        ]),
    )
    .unwrap();
    assert_eq!(found(&inv), expected_assignments(&portal));
    assert!(
        tunnels.load(Ordering::SeqCst) >= 1,
        "the call went through the proxy"
    );

    let before = tunnels.load(Ordering::SeqCst);
    fetch(
        &portal,
        &with_env(&[
            ("http_proxy", &proxy_url),
            ("NO_PROXY", "localhost,127.0.0.1"),
        ]),
    )
    .unwrap();
    assert_eq!(
        tunnels.load(Ordering::SeqCst),
        before,
        "NO_PROXY bypasses the proxy"
    );

    let dead = free_port();
    let err = fetch(
        &portal,
        &with_env(&[(
            "HTTP_PROXY",
            &format!("http://user:hunter2@127.0.0.1:{dead}"),
        )]),
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, PortalError::Proxy { .. }), "{err:?}");
    assert!(
        text.contains("proxy") && text.contains("refused") && !text.contains("hunter2"),
        "{text}"
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn no_retry() -> FetchOpts {
    FetchOpts {
        net: NetOpts {
            retry: RetryPolicy {
                max_tries: 1,
                ..RetryPolicy::default()
            },
            ..NetOpts::default()
        },
        ..FetchOpts::default()
    }
}

#[test]
fn transport_failures_have_distinct_clear_messages() {
    let token = AccessToken::new("secret-token-for-errors");
    let get = |url: &str, opts: &FetchOpts| {
        let err =
            fetch_inventory(&Endpoint::from_url(url).unwrap(), &token, opts, &|_| {}).unwrap_err();
        let text = err.to_string();
        assert!(
            !text.contains("secret-token") && !shown(&err).contains("secret-token"),
            "{err:?}"
        );
        (err, text)
    };
    let port = free_port();
    let (err, text) = get(&format!("http://127.0.0.1:{port}"), &no_retry());
    assert!(
        matches!(err, PortalError::ConnectionRefused { .. }) && text.contains("connection refused"),
        "{text}"
    );

    // Plain http off this machine is refused before any connection.
    let (err, text) = get("http://no-such-host.invalid", &no_retry());
    assert!(
        matches!(err, PortalError::PlainHttp { .. }) && text.contains("clear text"),
        "{text}"
    );
    let (err, text) = get("https://no-such-host.invalid", &no_retry());
    assert!(
        matches!(err, PortalError::Dns { .. })
            && text.contains("DNS")
            && text.contains("no-such-host.invalid"),
        "{text}"
    );

    // https:// to a plain-HTTP server: a TLS failure that says so.
    let portal = FakePortal::start(FakeConfig::default());
    let (err, text) = get(&format!("https://127.0.0.1:{}", portal.port()), &no_retry());
    assert!(
        matches!(err, PortalError::Tls { .. }) && text.contains("does not speak TLS"),
        "{text}"
    );

    // http:// to a server that does not answer HTTP (a TLS port, say).
    let garbage = TcpListener::bind("127.0.0.1:0").unwrap();
    let garbage_port = garbage.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut c in garbage.incoming().flatten() {
            let _ = c.write_all(b"\x16\x03\x01\x00\x02\x02\x46garbage\r\n\r\n");
        }
    });
    let (err, text) = get(&format!("http://127.0.0.1:{garbage_port}"), &no_retry());
    assert!(
        matches!(err, PortalError::BadResponse { .. }) && text.contains("not an HTTP answer"),
        "{text}"
    );

    // A bundle that is not there: named, before any call.
    let mut opts = no_retry();
    opts.net.ca_bundle = Some(PathBuf::from("/nonexistent/corp-ca.pem"));
    let (err, text) = get("https://portal.sso.us-east-1.amazonaws.com", &opts);
    assert!(
        matches!(err, PortalError::CaBundle { .. }) && text.contains("/nonexistent/corp-ca.pem"),
        "{text}"
    );

    // A slow portal: the read timeout ends the call.
    let slow = FakePortal::start(FakeConfig {
        latency: Duration::from_secs(3),
        ..FakeConfig::default()
    });
    let mut opts = no_retry();
    opts.net.read_timeout = Duration::from_millis(300);
    let started = std::time::Instant::now();
    let err = fetch(&slow, &opts).unwrap_err();
    assert!(matches!(err, PortalError::Timeout { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn aws_ca_bundle_beats_the_profile_setting() {
    let opts = NetOpts::from_env(
        &env_of(&[("AWS_CA_BUNDLE", "/env/ca.pem")]),
        Some(std::path::Path::new("/profile/ca.pem")),
    );
    assert_eq!(opts.ca_bundle, Some(PathBuf::from("/env/ca.pem")));
    let opts = NetOpts::from_env(&env_of(&[]), Some(std::path::Path::new("/profile/ca.pem")));
    assert_eq!(opts.ca_bundle, Some(PathBuf::from("/profile/ca.pem")));
    assert_eq!(opts.proxy, ProxySettings::default());
}

#[test]
fn boto3_lists_the_same_accounts_and_roles_as_awsp() {
    let Some(python) = crate::common::oracle_python(&["boto3"]) else {
        return;
    };
    let accounts = crate::support::fake_portal::generate_accounts(47, 5);
    let portal = FakePortal::start(FakeConfig {
        accounts: 47,
        roles_per_account: 5,
        throttle_every: 9,
        forbidden: vec![accounts[3].id.clone()],
        not_found: vec![accounts[30].id.clone()],
        ..FakeConfig::default()
    });
    let script = crate::common::repo().join("tests/oracle/boto3_portal.py");
    for page_size in [None, Some("2")] {
        let mut cmd = std::process::Command::new(&python);
        cmd.arg(&script).arg(portal.token()).args(page_size);
        cmd.env_clear()
            .env("AWS_ENDPOINT_URL_SSO", portal.url())
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .env("HOME", "/nonexistent");
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "boto3: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let oracle: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let triples = |v: &serde_json::Value| -> BTreeSet<Vec<String>> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|t| {
                    t.as_array()
                        .unwrap()
                        .iter()
                        .map(|s| s.as_str().unwrap().to_owned())
                        .collect()
                })
                .collect()
        };

        let opts = FetchOpts {
            page_size: page_size.map(|p| p.parse().unwrap()),
            ..FetchOpts::default()
        };
        let inv = fetch(&portal, &opts).unwrap();
        let ours_accounts: BTreeSet<Vec<String>> = inv
            .accounts
            .iter()
            .map(|a| vec![a.id.clone(), a.name.clone(), a.email.clone()])
            .collect();
        let ours_roles: BTreeSet<Vec<String>> = inv
            .assignments
            .iter()
            .map(|a| vec![a.account_id.clone(), a.role_name.clone()])
            .collect();
        let ours_failures: BTreeSet<Vec<String>> = inv
            .failures
            .iter()
            .map(|f| {
                vec![
                    f.account_id.clone(),
                    f.reason
                        .split(':')
                        .next()
                        .unwrap()
                        .split(' ')
                        .nth(1)
                        .unwrap()
                        .to_owned(),
                ]
            })
            .collect();
        assert_eq!(
            ours_accounts,
            triples(&oracle["accounts"]),
            "accounts, page size {page_size:?}"
        );
        assert_eq!(
            ours_roles,
            triples(&oracle["assignments"]),
            "roles, page size {page_size:?}"
        );
        assert_eq!(
            ours_failures,
            triples(&oracle["failures"]),
            "failures, page size {page_size:?}"
        );
        assert_eq!(ours_roles.len(), 45 * 5);
        assert_eq!(
            oracle["accounts"].as_array().unwrap().len(),
            47,
            "boto3 saw every page"
        );
    }
}

/// A CA made now, and a server configuration for 127.0.0.1 signed by it.
fn test_ca_and_server() -> (String, Arc<rustls::ServerConfig>) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "awsp test corporate CA");
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &issuer)
        .unwrap();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into());
    let server = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![leaf.der().clone()], key)
    .unwrap();
    (ca_cert.pem(), Arc::new(server))
}

#[test]
fn a_corporate_ca_bundle_is_trusted_and_an_unknown_issuer_is_named() {
    let (ca_pem, server) = test_ca_and_server();
    let portal = FakePortal::start(FakeConfig {
        accounts: 7,
        tls: Some(server),
        ..FakeConfig::default()
    });
    assert!(portal.url().starts_with("https://"));
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("corp-ca.pem");
    std::fs::write(&bundle, &ca_pem).unwrap();

    // Without the bundle: Mozilla's roots do not know this CA.
    let err = fetch(&portal, &no_retry()).unwrap_err();
    assert!(matches!(err, PortalError::Tls { .. }), "{err:?}");
    assert!(
        err.to_string().contains("not signed by a trusted CA")
            && err.to_string().contains("AWS_CA_BUNDLE"),
        "{err}"
    );

    // AWS_CA_BUNDLE makes it the trusted root.
    let bundle_text = bundle.to_str().unwrap();
    let opts = FetchOpts {
        net: NetOpts::from_env(&env_of(&[("AWS_CA_BUNDLE", bundle_text)]), None),
        ..FetchOpts::default()
    };
    let inv = fetch(&portal, &opts).unwrap();
    assert_eq!(found(&inv), expected_assignments(&portal));

    // So does the profile's ca_bundle, and credentials come over TLS too.
    let net = NetOpts::from_env(&env_of(&[]), Some(&bundle));
    let account = &portal.accounts()[0];
    let creds = get_role_credentials(
        &endpoint_of(&portal),
        &token_of(&portal),
        &net,
        &account.id,
        &account.roles[0],
    )
    .unwrap();
    assert!(creds.access_key_id.starts_with("ASIAFAKE"));

    // HTTPS_PROXY carries https:// calls through a CONNECT tunnel.
    let (proxy_port, tunnels) = start_connect_proxy();
    let proxy = format!("http://127.0.0.1:{proxy_port}");
    let opts = FetchOpts {
        net: NetOpts::from_env(
            &env_of(&[
                ("HTTPS_PROXY", &proxy),
                ("HTTP_PROXY", "http://127.0.0.1:1"),
            ]),
            Some(&bundle),
        ),
        ..FetchOpts::default()
    };
    let inv = fetch(&portal, &opts).unwrap();
    assert_eq!(found(&inv), expected_assignments(&portal));
    assert!(tunnels.load(Ordering::SeqCst) >= 1);
}

#[test]
fn http_to_a_tls_portal_is_a_clear_error() {
    let (_, server) = test_ca_and_server();
    let portal = FakePortal::start(FakeConfig {
        tls: Some(server),
        ..FakeConfig::default()
    });
    let url = portal.url().replace("https://", "http://");
    let err = fetch_inventory(
        &Endpoint::from_url(&url).unwrap(),
        &token_of(&portal),
        &no_retry(),
        &|_| {},
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(!text.contains(portal.token()));
    assert!(matches!(err, PortalError::BadResponse { .. }), "{err:?}");
    assert!(text.contains("TLS server reached with http://"), "{text}");
}

#[test]
fn no_token_secret_or_proxy_password_in_any_output() {
    const TOKEN: &str = "aoaTOPSECRETTOKEN+/=";
    let accounts = crate::support::fake_portal::generate_accounts(6, 2);
    let portal = FakePortal::start(FakeConfig {
        accounts: 6,
        roles_per_account: 2,
        token: TOKEN.into(),
        forbidden: vec![accounts[1].id.clone()],
        not_found: vec![accounts[2].id.clone()],
        ..FakeConfig::default()
    });
    let token = AccessToken::new(TOKEN);
    let net = NetOpts::from_env(
        &env_of(&[("HTTPS_PROXY", "http://me:PROXYPASSWORD@proxy:3128")]),
        None,
    );
    let opts = FetchOpts {
        net: net.clone(),
        ..FetchOpts::default()
    };
    let mut outputs = vec![format!(
        "{token} {token:?} {opts:?} {:?}",
        endpoint_of(&portal)
    )];

    let inv = fetch(&portal, &FetchOpts::default()).unwrap();
    outputs.push(format!("{inv:?}"));
    let a = &portal.accounts()[0];
    let creds = get_role_credentials(
        &endpoint_of(&portal),
        &token,
        &NetOpts::default(),
        &a.id,
        &a.roles[0],
    )
    .unwrap();
    outputs.push(format!("{creds:?}"));
    let mut errors = vec![
        fetch_inventory(
            &endpoint_of(&portal),
            &AccessToken::new("aoaTOPSECRETWRONG"),
            &FetchOpts::default(),
            &|_| {},
        )
        .unwrap_err(),
        get_role_credentials(
            &endpoint_of(&portal),
            &token,
            &NetOpts::default(),
            &a.id,
            "Nope",
        )
        .unwrap_err(),
        fetch_inventory(
            &Endpoint::from_url(&format!("http://127.0.0.1:{}", free_port())).unwrap(),
            &token,
            &no_retry(),
            &|_| {},
        )
        .unwrap_err(),
    ];
    let dead_proxy = format!("http://me:PROXYPASSWORD@127.0.0.1:{}", free_port());
    let via_dead = FetchOpts {
        net: NetOpts::from_env(&env_of(&[("HTTP_PROXY", &dead_proxy)]), None),
        ..FetchOpts::default()
    };
    errors.push(fetch(&portal, &via_dead).unwrap_err());
    for e in &errors {
        outputs.push(format!("{e} {e:?}"));
    }
    for out in &outputs {
        for secret in ["TOPSECRET", "fake-secret", "fake-session", "PROXYPASSWORD"] {
            assert!(!out.contains(secret), "{secret} shown in: {out}");
        }
    }
    assert_eq!(
        inv.failures.len(),
        2,
        "the refusals are in the output checked"
    );
}

/// botocore's endpoint for an `sso` client of `profile`, under `env`
/// (nothing else of the process environment): its URL, or `error`.
const BOTOCORE_ENDPOINT: &str = r#"
import json, os, sys
import botocore.session
cases = json.load(sys.stdin)
out = []
for case in cases:
    for k in [k for k in os.environ if k.startswith("AWS_")]:
        del os.environ[k]
    os.environ.update(case["env"])
    os.environ["AWS_CONFIG_FILE"] = case["config"]
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = case["config"] + ".none"
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    try:
        s = botocore.session.Session(profile=case["profile"])
        c = s.create_client("sso", region_name="us-east-1")
        out.append(c.meta.endpoint_url)
    except Exception as e:
        out.append("error")
print(json.dumps(out))
"#;

/// The config file's endpoint settings, against botocore itself: the
/// order (variables, then `services`, then the profile's `endpoint_url`),
/// `ignore_configured_endpoint_urls` from either side, and the broken
/// `services` references botocore raises on.
#[test]
fn config_file_endpoints_agree_with_botocore() {
    let Some(python) = crate::common::oracle_python(&["botocore"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        "[profile svc]\nservices = corp\nendpoint_url = http://global.example:1\n\
         [profile glob]\nendpoint_url = http://global.example:1\n\
         [profile ign]\nservices = corp\nignore_configured_endpoint_urls = True\n\
         [profile ign-no]\nendpoint_url = http://global.example:1\nignore_configured_endpoint_urls = yes\n\
         [profile missing]\nservices = nope\n\
         [profile flat]\nservices = flat\n\
         [profile other]\nservices = s3only\nendpoint_url = http://global.example:1\n\
         [profile plain]\nregion = eu-west-1\n\
         [services corp]\nsso =\n  endpoint_url = http://sso.example:2\n\
         [services flat]\nsso = http://x.example\n\
         [services s3only]\ns3 =\n  endpoint_url = http://s3.example:3\n",
    )
    .unwrap();
    let envs: [&[(&str, &str)]; 5] = [
        &[],
        &[("AWS_ENDPOINT_URL_SSO", "http://env-sso.example:4")],
        &[("AWS_ENDPOINT_URL", "http://env.example:5")],
        &[("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false")],
        &[
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE"),
            ("AWS_ENDPOINT_URL", "http://env.example:5"),
        ],
    ];
    let profiles = [
        "svc", "glob", "ign", "ign-no", "missing", "flat", "other", "plain",
    ];
    let loaded = awsp::aws::config::Config::load(&config, &dir.path().join("none")).unwrap();
    let mut cases = Vec::new();
    let mut ours = Vec::new();
    for env in envs {
        for profile in profiles {
            let p = loaded.profile(profile).unwrap();
            let file = awsp::portal::ConfigEndpoint::of_profile(&loaded, p);
            ours.push(
                Endpoint::resolve("us-east-1", &env_of(env), &file)
                    .map_or("error".to_string(), |e| e.base_url().to_string()),
            );
            let env: HashMap<&str, &str> = env.iter().copied().collect();
            cases.push(serde_json::json!({"env": env, "profile": profile, "config": config}));
        }
    }
    let mut child = std::process::Command::new(python)
        .args(["-c", BOTOCORE_ENDPOINT])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(&cases).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let theirs: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    for ((case, ours), theirs) in cases.iter().zip(&ours).zip(&theirs) {
        assert_eq!(ours, theirs, "{case}");
    }
    // The cases cover each source.
    for want in ["http://sso.example:2", "http://global.example:1", "error"] {
        assert!(ours.iter().any(|o| o == want), "{want} never chosen");
    }
}
