//! The two cache folders: one directory listing each, file reads on demand,
//! and statuses computed against an injected `now`.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde_json::Value as Json;
use sha1::{Digest, Sha1};

use super::dirfile::{is_too_large, DirReader};
use super::ini::NameHasher;
use super::py::dateutil;
use super::py::json_load;

/// botocore's windows: a token with less than this left is refreshed, and
/// cached role credentials with less than this left are not used.
pub const REFRESH_WINDOW_SECS: i64 = 900;

/// `sha1(text).hexdigest() + ".json"`: how both caches name files.
pub fn cache_file_name(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha1::digest(text.as_bytes());
    let mut name = String::with_capacity(45);
    for b in digest {
        name.push(char::from(HEX[usize::from(b >> 4)]));
        name.push(char::from(HEX[usize::from(b & 15)]));
    }
    name.push_str(".json");
    name
}

/// What the file behind a cache entry holds, as far as botocore cares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Content {
    /// No regular file of that name.
    Missing,
    /// Cannot be read, or is not JSON (botocore: KeyError).
    Unreadable,
    /// Over [`MAX_CACHE_FILE_BYTES`](super::dirfile::MAX_CACHE_FILE_BYTES):
    /// not read, so that a file of absurd size cannot exhaust memory.
    TooLarge,
    /// JSON without the fields botocore needs, or a timestamp it cannot use.
    Invalid,
    Token(TokenFacts),
    Credentials {
        expires_at: DateTime<Utc>,
    },
}

/// What an SSO token file says about its lifetime.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenFacts {
    pub expires_at: DateTime<Utc>,
    pub refresh: Refresh,
}

/// Whether botocore would try to refresh the token when it is near expiry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refresh {
    /// `refreshToken`, `clientId`, `clientSecret` or `registrationExpiresAt` is absent.
    Impossible,
    /// All present; the client registration lasts until then.
    Until(DateTime<Utc>),
    /// All present but `registrationExpiresAt` is unusable: botocore raises.
    Broken,
}

/// The status vocabulary of `awsp list` for tokens and role credentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    ConfigError,
    Missing,
    Unreadable,
    /// The file is over the size cap: an error, never read.
    TooLarge,
    Invalid,
    Valid,
    Expired,
    Refreshable,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::ConfigError => "config_error",
            Status::Missing => "missing",
            Status::Unreadable => "unreadable",
            Status::TooLarge => "too_large",
            Status::Invalid => "invalid",
            Status::Valid => "valid",
            Status::Expired => "expired",
            Status::Refreshable => "refreshable",
        }
    }
}

/// How a token is used: sso-session tokens may be refreshed, legacy ones never.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenUse {
    Session,
    Legacy,
}

impl Content {
    /// Status of an SSO token file at `now`.
    pub fn token_status(&self, use_: TokenUse, now: DateTime<Utc>) -> Status {
        match self {
            Content::Missing => Status::Missing,
            Content::Unreadable => Status::Unreadable,
            Content::TooLarge => Status::TooLarge,
            Content::Invalid | Content::Credentials { .. } => Status::Invalid,
            Content::Token(facts) => {
                let left = facts.expires_at - now;
                if use_ == TokenUse::Session && left.num_milliseconds() < REFRESH_WINDOW_SECS * 1000
                {
                    match facts.refresh {
                        Refresh::Until(until) if until > now => return Status::Refreshable,
                        Refresh::Broken => return Status::Invalid,
                        _ => {}
                    }
                }
                if facts.expires_at > now {
                    Status::Valid
                } else {
                    Status::Expired
                }
            }
        }
    }

    /// Status of a cached role-credential file at `now`.
    pub fn credentials_status(&self, now: DateTime<Utc>) -> Status {
        match self {
            Content::Missing => Status::Missing,
            Content::Unreadable => Status::Unreadable,
            Content::TooLarge => Status::TooLarge,
            Content::Invalid | Content::Token(_) => Status::Invalid,
            Content::Credentials { expires_at } => {
                if (*expires_at - now).num_milliseconds() >= REFRESH_WINDOW_SECS * 1000 {
                    Status::Valid
                } else {
                    Status::Expired
                }
            }
        }
    }

    /// The expiry botocore sees in a token file at `now`: none when the
    /// token is [`Status::Invalid`] for that use (botocore raises on it, e.g.
    /// a naive `registrationExpiresAt` in the refresh window).
    pub fn token_expires_at(&self, use_: TokenUse, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self.token_status(use_, now) {
            Status::Invalid => None,
            _ => self.expires_at(),
        }
    }

    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        match self {
            Content::Token(t) => Some(t.expires_at),
            Content::Credentials { expires_at } => Some(*expires_at),
            _ => None,
        }
    }
}

/// Which reading of a file is wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Token,
    Credentials,
}

/// One cache folder: listed once, files read at most once, when first asked.
#[derive(Debug)]
pub struct CacheDir {
    pub dir: PathBuf,
    shape: Shape,
    /// Regular files (after following links) by name, with their content once read.
    files: HashMap<String, OnceCell<Content>, NameHasher>,
}

impl CacheDir {
    pub fn tokens(dir: &Path) -> CacheDir {
        CacheDir::list(dir, Shape::Token)
    }

    pub fn credentials(dir: &Path) -> CacheDir {
        CacheDir::list(dir, Shape::Credentials)
    }

    fn list(dir: &Path, shape: Shape) -> CacheDir {
        let mut files = HashMap::default();
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                let Ok(name) = entry.file_name().into_string() else {
                    continue;
                };
                if !name.ends_with(".json") {
                    continue;
                }
                let regular = match entry.file_type() {
                    Ok(t) if t.is_file() => true,
                    // botocore's isfile() follows links.
                    Ok(t) if t.is_symlink() => entry.path().is_file(),
                    _ => false,
                };
                if regular {
                    files.insert(name, OnceCell::new());
                }
            }
        }
        CacheDir {
            dir: dir.to_path_buf(),
            shape,
            files,
        }
    }

    /// The content of `name`, read on first use.
    pub fn get(&self, name: &str) -> &Content {
        static MISSING: Content = Content::Missing;
        match self.files.get(name) {
            None => &MISSING,
            Some(cell) => {
                cell.get_or_init(|| read(&mut DirReader::by_path(&self.dir), name, self.shape))
            }
        }
    }

    /// Reads every file now (for `list`, which shows them all), with one
    /// folder handle and one buffer for all of them.
    pub fn read_all(&self) {
        let mut reader = DirReader::new(&self.dir);
        for (name, cell) in &self.files {
            cell.get_or_init(|| read(&mut reader, name, self.shape));
        }
    }

    /// Forgets what was read so the next `get` reads the disk again.
    pub fn relist(&mut self) {
        *self = CacheDir::list(&self.dir.clone(), self.shape);
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// One SSO token file, read the way [`CacheDir::get`] sees it but without
/// listing the folder (for `awsp status`, which needs one file).
pub fn read_token_file(dir: &Path, name: &str) -> Content {
    read_one(dir, name, Shape::Token)
}

/// One SSO token file as [`read_token_file`] reads it, and its
/// `accessToken` when that is a string: for `creds` and `sync`, which send
/// the token to the portal. The one reader of a token's secret; the same
/// grammar as `list`'s, so no command disagrees with another about a file.
pub fn read_token_and_secret(dir: &Path, name: &str) -> (Content, Option<String>) {
    if !is_cache_file(dir, name) {
        return (Content::Missing, None);
    }
    read_with(
        &mut DirReader::by_path(dir),
        name,
        |bytes| match json_load::token_fields_and_secret(bytes) {
            Ok(Some((fields, secret))) => (fields.content(), secret),
            Ok(None) => (Content::Invalid, None),
            Err(_) => (Content::Unreadable, None),
        },
    )
    .unwrap_or_else(|failed| (failed, None))
}

/// One role-credential file, read the way [`CacheDir::get`] sees it but
/// without listing the folder.
pub fn read_credentials_file(dir: &Path, name: &str) -> Content {
    read_one(dir, name, Shape::Credentials)
}

fn read_one(dir: &Path, name: &str, shape: Shape) -> Content {
    if !is_cache_file(dir, name) {
        return Content::Missing;
    }
    read(&mut DirReader::by_path(dir), name, shape)
}

/// Same filter as `CacheDir::list`: a `.json` name that is a regular file
/// after following links.
fn is_cache_file(dir: &Path, name: &str) -> bool {
    name.ends_with(".json") && !name.contains('/') && dir.join(name).is_file()
}

/// `name` in the reader's folder: `TooLarge` past the size cap,
/// `Unreadable` on any other I/O or JSON error.
fn read(reader: &mut DirReader, name: &str, shape: Shape) -> Content {
    read_with(reader, name, |bytes| parse(bytes, shape)).unwrap_or_else(|failed| failed)
}

/// `with` on the bytes of `name`; the [`Content`] of a file that could not
/// be read (`TooLarge` past the size cap, else `Unreadable`).
fn read_with<T>(
    reader: &mut DirReader,
    name: &str,
    with: impl FnOnce(&[u8]) -> T,
) -> Result<T, Content> {
    match reader.read(name) {
        Ok(bytes) => Ok(with(bytes)),
        Err(e) if is_too_large(&e) => Err(Content::TooLarge),
        Err(_) => Err(Content::Unreadable),
    }
}

/// What `serde_json::from_slice::<Value>` then [`token_content`] or
/// [`credentials_content`] would say, without building the `Value`.
fn parse(bytes: &[u8], shape: Shape) -> Content {
    let content = match shape {
        Shape::Token => json_load::token_fields(bytes)
            .map(|fields| fields.map_or(Content::Invalid, |f| f.content())),
        Shape::Credentials => json_load::credentials_expiration(bytes).map(credentials_of),
    };
    content.unwrap_or(Content::Unreadable)
}

fn parse_time(v: Option<&Json>) -> Option<DateTime<Utc>> {
    v.and_then(Json::as_str).and_then(dateutil::parse)
}

/// What `SSOTokenLoader` looks at in a token file's top-level object; filled
/// from a `Value` here or straight from the text by `cachejson`.
#[derive(Debug, Default)]
pub(crate) struct TokenFields {
    /// These four only need to be present, with any value.
    pub access_token: bool,
    pub refresh_token: bool,
    pub client_id: bool,
    pub client_secret: bool,
    /// `expiresAt` if it is a string holding a usable time.
    pub expires_at: Option<DateTime<Utc>>,
    /// `registrationExpiresAt`: `None` if absent, `Some(None)` if present but
    /// not a string holding a usable time.
    pub registration: Option<Option<DateTime<Utc>>>,
}

impl TokenFields {
    fn of_object(obj: &serde_json::Map<String, Json>) -> TokenFields {
        TokenFields {
            access_token: obj.contains_key("accessToken"),
            refresh_token: obj.contains_key("refreshToken"),
            client_id: obj.contains_key("clientId"),
            client_secret: obj.contains_key("clientSecret"),
            expires_at: parse_time(obj.get("expiresAt")),
            registration: obj
                .get("registrationExpiresAt")
                .map(|v| parse_time(Some(v))),
        }
    }

    /// Needs `accessToken` and a usable `expiresAt`; refreshing needs the
    /// other four.
    fn content(&self) -> Content {
        if !self.access_token {
            return Content::Invalid;
        }
        let Some(expires_at) = self.expires_at else {
            return Content::Invalid;
        };
        let can_refresh = self.refresh_token && self.client_id && self.client_secret;
        let refresh = match self.registration {
            Some(Some(until)) if can_refresh => Refresh::Until(until),
            Some(None) if can_refresh => Refresh::Broken,
            _ => Refresh::Impossible,
        };
        Content::Token(TokenFacts {
            expires_at,
            refresh,
        })
    }
}

/// `SSOTokenLoader`: needs `accessToken` and a usable `expiresAt`.
pub fn token_content(json: &Json) -> Content {
    match json.as_object() {
        Some(obj) => TokenFields::of_object(obj).content(),
        None => Content::Invalid,
    }
}

/// `CachedCredentialFetcher`: needs `Credentials.Expiration`.
pub fn credentials_content(json: &Json) -> Content {
    credentials_of(parse_time(
        json.get("Credentials").and_then(|c| c.get("Expiration")),
    ))
}

fn credentials_of(expiration: Option<DateTime<Utc>>) -> Content {
    match expiration {
        Some(expires_at) => Content::Credentials { expires_at },
        None => Content::Invalid,
    }
}

#[cfg(test)]
#[path = "cache_oracle_tests.rs"]
pub(crate) mod oracle_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap()
    }

    fn token(json: &str) -> Content {
        token_content(&serde_json::from_str(json).unwrap())
    }

    fn at(d: Duration) -> String {
        dateutil::format(&(now() + d))
    }

    #[test]
    fn file_names_are_sha1_hex() {
        assert_eq!(
            cache_file_name("my-sso"),
            "0ad374308c5a4e22f723adf10145eafad7c4031c.json"
        );
        assert_eq!(
            cache_file_name("https://legacy-portal.awsapps.com/start"),
            "89d145c4e0a89947ca94a1096ca1f4022f25487c.json"
        );
    }

    #[test]
    fn token_statuses() {
        let valid = token(&format!(
            r#"{{"accessToken":"t","expiresAt":"{}"}}"#,
            at(Duration::hours(6))
        ));
        assert_eq!(valid.token_status(TokenUse::Session, now()), Status::Valid);
        let soon = format!(
            r#"{{"accessToken":"t","expiresAt":"{}","refreshToken":"r","clientId":"c","clientSecret":"s","registrationExpiresAt":"{}"}}"#,
            at(Duration::minutes(5)),
            at(Duration::days(30))
        );
        assert_eq!(
            token(&soon).token_status(TokenUse::Session, now()),
            Status::Refreshable
        );
        assert_eq!(
            token(&soon).token_status(TokenUse::Legacy, now()),
            Status::Valid
        );
        let expired = token(&format!(
            r#"{{"accessToken":"t","expiresAt":"{}"}}"#,
            at(-Duration::hours(2))
        ));
        assert_eq!(
            expired.token_status(TokenUse::Session, now()),
            Status::Expired
        );
        let reg_gone = soon.replace(&at(Duration::days(30)), &at(-Duration::days(1)));
        assert_eq!(
            token(&reg_gone).token_status(TokenUse::Session, now()),
            Status::Valid
        );
        let reg_bad = soon.replace(&at(Duration::days(30)), "later");
        assert_eq!(
            token(&reg_bad).token_status(TokenUse::Session, now()),
            Status::Invalid
        );
        // botocore raises on it: no expiry, though the file has one; a
        // legacy profile never refreshes, so it keeps its expiry.
        assert_eq!(
            token(&reg_bad).token_expires_at(TokenUse::Session, now()),
            None
        );
        assert_eq!(
            token(&reg_bad).token_expires_at(TokenUse::Legacy, now()),
            Some(now() + Duration::minutes(5))
        );
        for bad in [
            r#"["accessToken","expiresAt"]"#,
            r#"{"accessToken":"t"}"#,
            r#"{"accessToken":"t","expiresAt":5}"#,
            r#"{"accessToken":"t","expiresAt":"2099-01-01T00:00:00"}"#,
        ] {
            assert_eq!(
                token(bad).token_status(TokenUse::Session, now()),
                Status::Invalid,
                "{bad}"
            );
        }
    }

    #[test]
    fn one_file_reads_agree_with_the_listing() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let valid = format!(
            r#"{{"accessToken":"t","expiresAt":"{}"}}"#,
            at(Duration::hours(1))
        );
        std::fs::write(d.join("a.json"), &valid).unwrap();
        std::fs::write(d.join("b.json"), "not json").unwrap();
        std::fs::write(d.join("c.txt"), &valid).unwrap();
        std::fs::create_dir(d.join("e.json")).unwrap();
        std::os::unix::fs::symlink(d.join("a.json"), d.join("l.json")).unwrap();
        std::os::unix::fs::symlink(d.join("gone"), d.join("dangling.json")).unwrap();
        let tokens = CacheDir::tokens(d);
        let creds = CacheDir::credentials(d);
        for name in [
            "a.json",
            "b.json",
            "c.txt",
            "e.json",
            "l.json",
            "dangling.json",
            "none.json",
        ] {
            assert_eq!(&read_token_file(d, name), tokens.get(name), "{name}");
            assert_eq!(&read_credentials_file(d, name), creds.get(name), "{name}");
        }
        assert!(matches!(read_token_file(d, "a.json"), Content::Token(_)));
    }

    #[test]
    fn credentials_need_fifteen_minutes() {
        let creds =
            |d| credentials_content(&serde_json::json!({"Credentials": {"Expiration": at(d)}}));
        assert_eq!(
            creds(Duration::minutes(15)).credentials_status(now()),
            Status::Valid
        );
        assert_eq!(
            creds(Duration::minutes(14)).credentials_status(now()),
            Status::Expired
        );
        assert_eq!(
            credentials_content(&serde_json::json!({"Credentials": {}})),
            Content::Invalid
        );
    }
}
