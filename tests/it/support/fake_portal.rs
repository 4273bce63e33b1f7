//! A fake IAM Identity Center portal (service `sso`, REST-JSON) on
//! 127.0.0.1, written from botocore's model `sso/2019-06-10/service-2.json`
//! and `shared/reference/portal-api.md`: ListAccounts, ListAccountRoles,
//! GetRoleCredentials and Logout, with the portal's pagination (opaque
//! base64 next tokens holding `+/=`, `max_result` 1..100, a last page with
//! no `nextToken`), errors (JSON body with `__type` and `message`, header
//! `x-amzn-ErrorType`), latency, throttling and revoked tokens. It counts
//! requests and the most ever in flight. boto3 reads it as the portal
//! (tests/oracle/boto3_portal.py); the tests `#[path]`-include this file
//! and `examples/fake_portal.rs` runs it as a process.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Clone, Debug)]
pub struct FakeConfig {
    pub accounts: usize,
    pub roles_per_account: usize,
    /// The page when the client sends no `max_result` (the portal's is 20).
    pub page_size: usize,
    /// Added to every counted call before it is answered.
    pub latency: Duration,
    /// Every Nth counted call (1-based) answers 429 TooManyRequestsException; 0: never.
    pub throttle_every: u64,
    /// Every Nth counted call answers 500 InternalServerException; 0: never.
    pub server_error_every: u64,
    /// The only token accepted; any other gets 401.
    pub token: String,
    /// After this many counted calls the token is revoked: 401 from then on.
    pub revoke_after: Option<u64>,
    /// Account ids whose ListAccountRoles answers 403 ForbiddenException.
    pub forbidden: Vec<String>,
    /// Account ids whose ListAccountRoles answers 404 ResourceNotFoundException.
    pub not_found: Vec<String>,
    /// Serve HTTPS with this (the tests make a CA and a certificate for 127.0.0.1).
    pub tls: Option<Arc<rustls::ServerConfig>>,
}

impl Default for FakeConfig {
    fn default() -> Self {
        FakeConfig {
            accounts: 12,
            roles_per_account: 3,
            page_size: 20,
            latency: Duration::ZERO,
            throttle_every: 0,
            server_error_every: 0,
            token: "fake-access-token+/=".into(),
            revoke_after: None,
            forbidden: Vec::new(),
            not_found: Vec::new(),
            tls: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakeAccount {
    pub id: String,
    pub name: String,
    pub email: String,
    pub roles: Vec<String>,
}

/// Role names with every character the portal allows (`+=,.@-`) and, past
/// that, a space and unicode, so encoding mistakes show.
pub const ROLE_NAMES: &[&str] = &[
    "AdministratorAccess",
    "ReadOnlyAccess",
    "PowerUserAccess",
    "Billing+Ops=1,a.b@c-d",
    "ViewOnlyAccess",
    "Data Scientist Ü",
    "SecurityAudit",
    "Dev-Team.Lead@x",
];

/// Generated accounts: names with spaces, unicode and punctuation, and
/// every sixth account named `Shared Services` (the same name, different ids).
pub fn generate_accounts(n: usize, roles_per_account: usize) -> Vec<FakeAccount> {
    (0..n)
        .map(|i| {
            let name = match i % 6 {
                0 => format!("acct-{i}"),
                1 => format!("Team {i} Prod"),
                2 => format!("Bücher {i} ☃"),
                3 => "Shared Services".to_owned(),
                4 => format!("dev.{i}+ops@corp"),
                _ => format!("ACCT_{i}"),
            };
            let roles = (0..roles_per_account.min(ROLE_NAMES.len()))
                .map(|r| ROLE_NAMES[(i + r) % ROLE_NAMES.len()].to_owned())
                .collect();
            FakeAccount {
                // Not in sorted order, so a client's sorting shows.
                id: format!(
                    "{:012}",
                    100_000_000_000u64 + ((i as u64 * 7919) % 997) * 1000 + i as u64
                ),
                name,
                email: format!("aws+{i}@example.com"),
                roles,
            }
        })
        .collect()
}

#[derive(Default)]
struct Stats {
    requests: AtomicU64,
    in_flight: AtomicU64,
    max_in_flight: AtomicU64,
    throttled: AtomicU64,
    server_errors: AtomicU64,
    unauthorized: AtomicU64,
    bad_requests: AtomicU64,
}

/// What the fake saw, at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FakeStats {
    pub requests: u64,
    pub max_in_flight: u64,
    pub throttled: u64,
    pub server_errors: u64,
    pub unauthorized: u64,
    pub bad_requests: u64,
}

struct Shared {
    config: FakeConfig,
    accounts: Vec<FakeAccount>,
    stats: Stats,
}

pub struct FakePortal {
    url: String,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    port: u16,
}

impl FakePortal {
    /// Serves on 127.0.0.1 at a free port (or `port`), in background threads.
    pub fn start(config: FakeConfig) -> FakePortal {
        FakePortal::start_on(config, 0)
    }

    pub fn start_on(config: FakeConfig, port: u16) -> FakePortal {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Shared {
            accounts: generate_accounts(config.accounts, config.roles_per_account),
            config,
            stats: Stats::default(),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let (s, st) = (shared.clone(), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if st.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let s = s.clone();
                std::thread::spawn(move || serve_connection(conn, &s));
            }
        });
        let scheme = if shared.config.tls.is_some() {
            "https"
        } else {
            "http"
        };
        FakePortal {
            url: format!("{scheme}://127.0.0.1:{port}"),
            shared,
            stop,
            port,
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn token(&self) -> &str {
        &self.shared.config.token
    }

    pub fn accounts(&self) -> &[FakeAccount] {
        &self.shared.accounts
    }

    pub fn stats(&self) -> FakeStats {
        snapshot(&self.shared.stats)
    }
}

impl Drop for FakePortal {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn snapshot(s: &Stats) -> FakeStats {
    FakeStats {
        requests: s.requests.load(Ordering::SeqCst),
        max_in_flight: s.max_in_flight.load(Ordering::SeqCst),
        throttled: s.throttled.load(Ordering::SeqCst),
        server_errors: s.server_errors.load(Ordering::SeqCst),
        unauthorized: s.unauthorized.load(Ordering::SeqCst),
        bad_requests: s.bad_requests.load(Ordering::SeqCst),
    }
}

struct Request {
    method: String,
    path: String,
    query: BTreeMap<String, String>,
    headers: BTreeMap<String, String>,
}

struct Reply {
    status: u16,
    error_type: Option<&'static str>,
    body: String,
}

/// HTTP/1.1 with keep-alive, as botocore and ureq pool connections.
fn serve_connection(conn: TcpStream, shared: &Shared) {
    let _ = conn.set_nodelay(true);
    if let Some(tls) = &shared.config.tls {
        match rustls::ServerConnection::new(tls.clone()) {
            Ok(server) => serve_stream(rustls::StreamOwned::new(server, conn), shared),
            Err(_) => return,
        }
        return;
    }
    // A TLS ClientHello (https:// to this plain server): answer in plain
    // text, as HTTP servers do, so the client sees what a real one would.
    let mut first = [0u8];
    if conn.peek(&mut first).is_ok_and(|n| n == 1) && !first[0].is_ascii_uppercase() {
        let mut conn = conn;
        let _ = conn.write_all(
            b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
        return;
    }
    serve_stream(conn, shared);
}

fn serve_stream<S: Read + Write>(stream: S, shared: &Shared) {
    let mut reader = BufReader::new(stream);
    loop {
        let request = match read_request(&mut reader) {
            Some(r) => r,
            None => return,
        };
        let close = request
            .headers
            .get("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let reply = if request.path == "/__stats" {
            Reply {
                status: 200,
                error_type: None,
                body: stats_json(&snapshot(&shared.stats)),
            }
        } else {
            counted(shared, &request)
        };
        // The whole request is read, so writing under the reader is safe.
        if write_reply(reader.get_mut(), &reply).is_err() || close {
            return;
        }
    }
}

fn read_request<S: Read>(reader: &mut BufReader<S>) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = BTreeMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).ok()? == 0 {
            return None;
        }
        let h = h.trim_end_matches(['\r', '\n']);
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let (path, raw_query) = target.split_once('?').unwrap_or((&target, ""));
    Some(Request {
        method,
        path: path.to_owned(),
        query: parse_query(raw_query),
        headers,
    })
}

/// Form-style decoding, as the portal's front end does: a raw `+` is a
/// space, so a client that does not encode `+` in a token loses it.
fn parse_query(raw: &str) -> BTreeMap<String, String> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

fn write_reply(w: &mut impl Write, reply: &Reply) -> std::io::Result<()> {
    let reason = match reply.status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        _ => "Internal Server Error",
    };
    let mut head = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nx-amzn-RequestId: fake\r\n",
        reply.status,
        reply.body.len()
    );
    if let Some(code) = reply.error_type {
        head.push_str(&format!(
            "x-amzn-ErrorType: {code}:http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/\r\n"
        ));
    }
    head.push_str("\r\n");
    w.write_all(head.as_bytes())?;
    w.write_all(reply.body.as_bytes())?;
    w.flush()
}

/// Every call but `/__stats`: counted, delayed, perhaps throttled, then answered.
fn counted(shared: &Shared, request: &Request) -> Reply {
    let stats = &shared.stats;
    let now_in_flight = stats.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    stats
        .max_in_flight
        .fetch_max(now_in_flight, Ordering::SeqCst);
    let n = stats.requests.fetch_add(1, Ordering::SeqCst) + 1;
    std::thread::sleep(shared.config.latency);
    let reply = answer(shared, request, n);
    match reply.status {
        429 => stats.throttled.fetch_add(1, Ordering::SeqCst),
        500 => stats.server_errors.fetch_add(1, Ordering::SeqCst),
        401 => stats.unauthorized.fetch_add(1, Ordering::SeqCst),
        400 => stats.bad_requests.fetch_add(1, Ordering::SeqCst),
        _ => 0,
    };
    stats.in_flight.fetch_sub(1, Ordering::SeqCst);
    reply
}

fn answer(shared: &Shared, request: &Request, n: u64) -> Reply {
    let config = &shared.config;
    if config.throttle_every > 0 && n.is_multiple_of(config.throttle_every) {
        return error(429, "TooManyRequestsException", "Rate exceeded");
    }
    if config.server_error_every > 0 && n.is_multiple_of(config.server_error_every) {
        return error(500, "InternalServerException", "Internal failure");
    }
    let revoked = config.revoke_after.is_some_and(|after| n > after);
    let token_ok = request.headers.get("x-amz-sso_bearer_token") == Some(&config.token);
    if !token_ok || revoked {
        return error(
            401,
            "UnauthorizedException",
            "Session token not found or invalid",
        );
    }
    match (request.method.as_str(), request.path.as_str()) {
        ("GET", "/assignment/accounts") => list_accounts(shared, &request.query),
        ("GET", "/assignment/roles") => list_roles(shared, &request.query),
        ("GET", "/federation/credentials") => role_credentials(shared, &request.query),
        ("POST", "/logout") => Reply {
            status: 200,
            error_type: None,
            body: String::new(),
        },
        _ => error(404, "UnknownOperationException", "Unknown operation"),
    }
}

fn error(status: u16, code: &'static str, message: &str) -> Reply {
    Reply {
        status,
        error_type: Some(code),
        body: serde_json::json!({
            "message": message,
            "__type": format!("com.amazonaws.switchboard.portal#{code}"),
        })
        .to_string(),
    }
}

/// The page asked for: `max_result` (1..100, else 400) or the default,
/// from the offset in `next_token` (which must be this listing's).
fn page_bounds(
    shared: &Shared,
    query: &BTreeMap<String, String>,
    scope: &str,
    len: usize,
) -> Result<(usize, usize), Reply> {
    let size = match query.get("max_result") {
        None => shared.config.page_size,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => {
                return Err(error(
                    400,
                    "InvalidRequestException",
                    "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100",
                ))
            }
        },
    };
    let start = match query.get("next_token") {
        None => 0,
        Some(t) => match decode_next_token(t, scope) {
            Some(offset) if offset < len => offset,
            _ => return Err(error(400, "InvalidRequestException", "Invalid nextToken")),
        },
    };
    Ok((start, (start + size).min(len)))
}

fn with_next_token(mut body: serde_json::Value, scope: &str, end: usize, len: usize) -> String {
    if end < len {
        body["nextToken"] = encode_next_token(scope, end).into();
    }
    body.to_string()
}

fn list_accounts(shared: &Shared, query: &BTreeMap<String, String>) -> Reply {
    let all = &shared.accounts;
    let (start, end) = match page_bounds(shared, query, "accounts", all.len()) {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    let list: Vec<_> = all[start..end]
        .iter()
        .map(|a| serde_json::json!({"accountId": a.id, "accountName": a.name, "emailAddress": a.email}))
        .collect();
    ok(with_next_token(
        serde_json::json!({"accountList": list}),
        "accounts",
        end,
        all.len(),
    ))
}

fn ok(body: String) -> Reply {
    Reply {
        status: 200,
        error_type: None,
        body,
    }
}

/// 403 and 404 for the configured accounts, 403 for unknown ones (the
/// portal's "No access").
fn account_for<'a>(
    shared: &'a Shared,
    query: &BTreeMap<String, String>,
) -> Result<&'a FakeAccount, Reply> {
    let Some(id) = query.get("account_id") else {
        return Err(error(
            400,
            "InvalidRequestException",
            "account_id is required",
        ));
    };
    if shared.config.not_found.contains(id) {
        return Err(error(404, "ResourceNotFoundException", "Account not found"));
    }
    match shared.accounts.iter().find(|a| &a.id == id) {
        Some(a) if !shared.config.forbidden.contains(id) => Ok(a),
        _ => Err(error(403, "ForbiddenException", "No access")),
    }
}

fn list_roles(shared: &Shared, query: &BTreeMap<String, String>) -> Reply {
    let account = match account_for(shared, query) {
        Ok(a) => a,
        Err(reply) => return reply,
    };
    let scope = format!("roles/{}", account.id);
    let (start, end) = match page_bounds(shared, query, &scope, account.roles.len()) {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    let list: Vec<_> = account.roles[start..end]
        .iter()
        .map(|r| serde_json::json!({"roleName": r, "accountId": account.id}))
        .collect();
    ok(with_next_token(
        serde_json::json!({"roleList": list}),
        &scope,
        end,
        account.roles.len(),
    ))
}

fn role_credentials(shared: &Shared, query: &BTreeMap<String, String>) -> Reply {
    let account = match account_for(shared, query) {
        Ok(a) => a,
        Err(reply) => return reply,
    };
    let Some(role) = query.get("role_name") else {
        return error(400, "InvalidRequestException", "role_name is required");
    };
    if !account.roles.contains(role) {
        return error(403, "ForbiddenException", "No access");
    }
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    ok(serde_json::json!({"roleCredentials": {
        "accessKeyId": format!("ASIAFAKE{}", &account.id[6..]),
        "secretAccessKey": format!("fake-secret-{}-{}", account.id, role),
        "sessionToken": format!("fake-session+/={}", account.id),
        "expiration": now_ms + 3_600_000,
    }})
    .to_string())
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Opaque, standard base64 with padding; the leading bytes 0xFB 0xFF make
/// `+/` appear in every token, and the length makes `=` appear in most.
pub fn encode_next_token(scope: &str, offset: usize) -> String {
    let mut raw = vec![0xFB, 0xFF, 0xBF];
    raw.extend_from_slice(format!("{scope}|{offset}").as_bytes());
    if raw.len().is_multiple_of(3) {
        raw.push(b'|');
    }
    let mut out = String::new();
    for chunk in raw.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn decode_next_token(token: &str, scope: &str) -> Option<usize> {
    let mut bits = Vec::new();
    for c in token.bytes().filter(|&c| c != b'=') {
        bits.push(B64.iter().position(|&b| b == c)? as u32);
    }
    let mut raw = Vec::new();
    for chunk in bits.chunks(4) {
        let mut n = 0u32;
        for (i, v) in chunk.iter().enumerate() {
            n |= v << (18 - 6 * i);
        }
        for i in 0..chunk.len().saturating_sub(1) {
            raw.push((n >> (16 - 8 * i)) as u8);
        }
    }
    let text = std::str::from_utf8(raw.get(3..)?).ok()?;
    let text = text.strip_suffix('|').unwrap_or(text);
    let (got_scope, offset) = text.rsplit_once('|')?;
    (got_scope == scope).then_some(())?;
    offset.parse().ok()
}

pub fn stats_json(s: &FakeStats) -> String {
    serde_json::json!({
        "requests": s.requests,
        "max_in_flight": s.max_in_flight,
        "throttled": s.throttled,
        "server_errors": s.server_errors,
        "unauthorized": s.unauthorized,
        "bad_requests": s.bad_requests,
    })
    .to_string()
}

/// The assignments the fake holds, minus the accounts it refuses: what a
/// faithful client must find.
pub fn expected_assignments(portal: &FakePortal) -> HashSet<(String, String)> {
    let refused: HashSet<&String> = portal
        .shared
        .config
        .forbidden
        .iter()
        .chain(&portal.shared.config.not_found)
        .collect();
    portal
        .accounts()
        .iter()
        .filter(|a| !refused.contains(&a.id))
        .flat_map(|a| a.roles.iter().map(move |r| (a.id.clone(), r.clone())))
        .collect()
}
