//! A fake console federation endpoint on 127.0.0.1: answers
//! `Action=getSigninToken` (GET query or form POST) with a fixed
//! `SigninToken` and keeps the `Session` documents it was sent.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// Holds "SECRET" so the tests' leak checks catch it.
pub const SIGNIN_TOKEN: &str = "SECRET-SIGNIN+TOKEN/=";

pub struct FakeFederation {
    pub url: String,
    sessions: Arc<Mutex<Vec<String>>>,
}

impl FakeFederation {
    pub fn start() -> FakeFederation {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/federation", listener.local_addr().unwrap());
        let sessions = Arc::new(Mutex::new(Vec::new()));
        let kept = sessions.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let mut reader = BufReader::new(conn.try_clone().unwrap());
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                let target = line.split(' ').nth(1).unwrap_or("").to_string();
                let mut length = 0;
                loop {
                    let mut h = String::new();
                    reader.read_line(&mut h).unwrap();
                    if h.trim().is_empty() {
                        break;
                    }
                    if let Some((k, v)) = h.split_once(':') {
                        if k.eq_ignore_ascii_case("content-length") {
                            length = v.trim().parse().unwrap_or(0);
                        }
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                let query = target.split_once('?').map_or("", |(_, q)| q).to_string();
                let form = format!("{query}&{}", String::from_utf8_lossy(&body));
                let fields: Vec<(String, String)> = form
                    .split('&')
                    .filter_map(|kv| kv.split_once('='))
                    .map(|(k, v)| (decode(k), decode(v)))
                    .collect();
                let get = |name: &str| {
                    fields
                        .iter()
                        .find(|(k, _)| k == name)
                        .map(|(_, v)| v.clone())
                };
                let (status, answer) = match (get("Action").as_deref(), get("Session")) {
                    (Some("getSigninToken"), Some(session)) => {
                        kept.lock().unwrap().push(session);
                        (
                            "200 OK",
                            serde_json::json!({"SigninToken": SIGNIN_TOKEN}).to_string(),
                        )
                    }
                    _ => ("400 Bad Request", "{}".to_string()),
                };
                let mut conn = conn;
                let _ = write!(
                    conn,
                    "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                    answer.len()
                );
            }
        });
        FakeFederation { url, sessions }
    }

    /// The Session documents received, decoded.
    pub fn sessions(&self) -> Vec<serde_json::Value> {
        self.sessions
            .lock()
            .unwrap()
            .iter()
            .map(|s| serde_json::from_str(s).unwrap())
            .collect()
    }
}

/// Form decoding: `+` is a space, `%XX` a byte.
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}
