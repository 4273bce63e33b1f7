//! The few fields botocore reads from a cache file, taken straight off the
//! text with the grammar of Python's `json.load` (botocore's
//! `JSONFileCache`), which is not quite JSON's:
//!
//! * the file is decoded as UTF-8 first: any invalid byte fails the file;
//!   a byte-order mark is an error (`Unexpected UTF-8 BOM`);
//! * `NaN`, `Infinity` and `-Infinity` are values; `1e400` is a float
//!   (infinite), not an error;
//! * an integer of more than 4300 digits is an error (Python's
//!   `int_max_str_digits`); a float of any length is not;
//! * `\ud800` (a lone surrogate) is a valid escape;
//! * a later duplicate key replaces an earlier one (a dict);
//! * nesting deeper than [`TOKEN_MAX_DEPTH`] / [`CREDENTIALS_MAX_DEPTH`]
//!   raises `RecursionError` in Python, which botocore does not catch: awsp
//!   calls such a file unreadable.
//!
//! serde_json follows RFC 8259 and differs on each of these rules, so this
//! is a reader by hand rather than a crate. Values nobody wants are
//! checked and skipped without being built, and without recursion (a deep
//! file cannot exhaust the stack).

use chrono::{DateTime, Utc};

use super::dateutil;
use crate::aws::cache::TokenFields;

/// How deep a token file may nest before botocore fails on it: Python's
/// recursion limit (1000 frames, less those botocore is in) stops `json.load`
/// with a `RecursionError` botocore does not catch. Measured with botocore's
/// `SSOTokenProvider` (tests/oracle/cache_files_oracle.py): 988 levels load,
/// 989 fail. The exact number is the caller's stack depth and differs a
/// little between programs; no tool writes files anywhere near this deep.
pub const TOKEN_MAX_DEPTH: usize = 988;

/// The same for a role-credential file, lower because
/// `CachedCredentialFetcher._load_from_cache` `deepcopy`s what it loaded
/// (two frames a level): 497 levels work, 498 fail.
pub const CREDENTIALS_MAX_DEPTH: usize = 497;

/// Python's default `sys.get_int_max_str_digits()`.
const MAX_INT_DIGITS: usize = 4300;

/// Not a document `json.load` returns (botocore: `KeyError`, unreadable).
#[derive(Debug, PartialEq, Eq)]
pub struct NotJson;

type Result<T> = std::result::Result<T, NotJson>;

/// A token file's fields; `Ok(None)`: JSON, but not an object.
pub fn token_fields(bytes: &[u8]) -> Result<Option<TokenFields>> {
    document(bytes, TOKEN_MAX_DEPTH, |r| r.object_fields(1, token_field))
}

/// [`token_fields`], and the `accessToken` itself when it is a string (the
/// last one, as a dict keeps it): for the commands that send it to the
/// portal, so that they read a file exactly as `list` does.
pub fn token_fields_and_secret(bytes: &[u8]) -> Result<Option<(TokenFields, Option<String>)>> {
    document(bytes, TOKEN_MAX_DEPTH, |r| {
        r.object_fields(
            1,
            |r, key, (fields, secret): &mut (TokenFields, Option<String>)| {
                if key != "accessToken" {
                    return token_field(r, key, fields);
                }
                fields.access_token = true;
                *secret = r.text_value(1)?;
                Ok(())
            },
        )
    })
}

/// A role-credential file's `Credentials.Expiration`, if it is an object
/// holding a usable time.
pub fn credentials_expiration(bytes: &[u8]) -> Result<Option<DateTime<Utc>>> {
    credentials_document(bytes, false).map(|c| c.and_then(|c| c.expiration))
}

/// A role-credential file's `Credentials`: the expiry and the three keys
/// when they are strings (for `awsp creds`, which hands them on).
pub fn credentials_and_secrets(bytes: &[u8]) -> Result<Option<CredentialFields>> {
    credentials_document(bytes, true)
}

/// What botocore takes from a role-credential file's `Credentials`.
#[derive(Default)]
pub struct CredentialFields {
    pub expiration: Option<DateTime<Utc>>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    pub session_token: Option<String>,
}

/// `Credentials` of the file; the keys only with `secrets` (`list` reads
/// hundreds of files and wants the expiry alone).
fn credentials_document(bytes: &[u8], secrets: bool) -> Result<Option<CredentialFields>> {
    document(bytes, CREDENTIALS_MAX_DEPTH, |r| {
        r.object_fields(1, |r, key, found: &mut CredentialFields| {
            if key != "Credentials" {
                return r.skip_value(1);
            }
            // The last `Credentials` counts; one that is not an object
            // (or lacks `Expiration`) makes botocore raise.
            *found = r
                .object_fields(2, |r, key, inner: &mut CredentialFields| {
                    let slot = match key {
                        "Expiration" => {
                            inner.expiration = r.time_value(2)?;
                            return Ok(());
                        }
                        "AccessKeyId" if secrets => &mut inner.access_key_id,
                        "SecretAccessKey" if secrets => &mut inner.secret_access_key,
                        "SessionToken" if secrets => &mut inner.session_token,
                        _ => return r.skip_value(2),
                    };
                    *slot = r.text_value(2)?;
                    Ok(())
                })?
                .unwrap_or_default();
            Ok(())
        })
    })
}

fn token_field(r: &mut Reader<'_>, key: &str, fields: &mut TokenFields) -> Result<()> {
    // Only presence counts for these four: any value, even null or NaN.
    let present = match key {
        "accessToken" => &mut fields.access_token,
        "refreshToken" => &mut fields.refresh_token,
        "clientId" => &mut fields.client_id,
        "clientSecret" => &mut fields.client_secret,
        "expiresAt" => {
            fields.expires_at = r.time_value(1)?;
            return Ok(());
        }
        "registrationExpiresAt" => {
            fields.registration = Some(r.time_value(1)?);
            return Ok(());
        }
        _ => return r.skip_value(1),
    };
    r.skip_value(1)?;
    *present = true;
    Ok(())
}

/// The whole text as one value read by `read`, then only whitespace.
fn document<'a, T>(
    bytes: &'a [u8],
    max_depth: usize,
    read: impl FnOnce(&mut Reader<'a>) -> Result<T>,
) -> Result<T> {
    // Python decodes the file before parsing: one bad byte anywhere fails.
    let text = std::str::from_utf8(bytes).map_err(|_| NotJson)?;
    let mut r = Reader {
        s: text.as_bytes(),
        at: 0,
        max_depth,
    };
    r.ws();
    let out = read(&mut r)?;
    r.ws();
    if r.at != r.s.len() {
        return Err(NotJson);
    }
    Ok(out)
}

/// A cursor over text already known to be UTF-8.
struct Reader<'a> {
    s: &'a [u8],
    at: usize,
    /// Containers nested deeper than this fail the document.
    max_depth: usize,
}

/// A JSON string's text; `None` when it holds a lone surrogate (no Rust
/// string can), which no wanted key or usable time contains.
type Text<'a> = Option<std::borrow::Cow<'a, str>>;

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Result<()> {
        if self.peek() == Some(b) {
            self.at += 1;
            Ok(())
        } else {
            Err(NotJson)
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<()> {
        if self.s[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(())
        } else {
            Err(NotJson)
        }
    }

    /// An object whose entries `entry` reads (`Some(fields)`), or any other
    /// value, skipped (`None`). `depth` counts this value's own level.
    fn object_fields<F: Default>(
        &mut self,
        depth: usize,
        mut entry: impl FnMut(&mut Self, &str, &mut F) -> Result<()>,
    ) -> Result<Option<F>> {
        if self.peek() != Some(b'{') {
            self.skip_value(depth - 1)?;
            return Ok(None);
        }
        if depth > self.max_depth {
            return Err(NotJson);
        }
        self.at += 1;
        let mut fields = F::default();
        self.ws();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Some(fields));
        }
        loop {
            let key = self.string()?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            match key.as_deref() {
                Some(key) => entry(self, key, &mut fields)?,
                None => self.skip_value(depth)?,
            }
            self.ws();
            match self.peek() {
                Some(b',') => {
                    self.at += 1;
                    self.ws();
                }
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Some(fields));
                }
                _ => return Err(NotJson),
            }
        }
    }

    /// A value inside a container at `depth`: a string `dateutil::parse`
    /// accepts gives its time; anything else (a number, NaN, null...) makes
    /// dateutil raise TypeError: `None`.
    fn time_value(&mut self, depth: usize) -> Result<Option<DateTime<Utc>>> {
        if self.peek() == Some(b'"') {
            Ok(self.string()?.as_deref().and_then(dateutil::parse))
        } else {
            self.skip_value(depth).map(|()| None)
        }
    }

    /// A string value, owned; any other value (checked and skipped) or a
    /// string with a lone surrogate gives `None`.
    fn text_value(&mut self, depth: usize) -> Result<Option<String>> {
        if self.peek() == Some(b'"') {
            Ok(self.string()?.map(|text| text.into_owned()))
        } else {
            self.skip_value(depth).map(|()| None)
        }
    }

    /// Checks and skips one value inside a container at `depth`, nested
    /// containers counted on a small stack instead of recursion.
    fn skip_value(&mut self, depth: usize) -> Result<()> {
        // One entry per open container: true for an object.
        let mut open: Vec<bool> = Vec::new();
        loop {
            // A value.
            match self.peek().ok_or(NotJson)? {
                c @ (b'{' | b'[') => {
                    if depth + open.len() + 1 > self.max_depth {
                        return Err(NotJson);
                    }
                    self.at += 1;
                    self.ws();
                    let object = c == b'{';
                    let close = if object { b'}' } else { b']' };
                    if self.peek() == Some(close) {
                        self.at += 1;
                    } else {
                        open.push(object);
                        if object {
                            self.key_and_colon()?;
                        }
                        continue;
                    }
                }
                b'"' => {
                    self.string()?;
                }
                b'n' => self.literal(b"null")?,
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'N' => self.literal(b"NaN")?,
                b'I' => self.literal(b"Infinity")?,
                b'-' if self.s[self.at..].starts_with(b"-Infinity") => self.at += 9,
                b'-' | b'0'..=b'9' => self.number()?,
                _ => return Err(NotJson),
            }
            // After a value: the next one in its container, or closings.
            loop {
                let Some(&object) = open.last() else {
                    return Ok(());
                };
                self.ws();
                match self.peek() {
                    Some(b',') => {
                        self.at += 1;
                        self.ws();
                        if object {
                            self.key_and_colon()?;
                        }
                        break;
                    }
                    Some(b'}') if object => {
                        self.at += 1;
                        open.pop();
                    }
                    Some(b']') if !object => {
                        self.at += 1;
                        open.pop();
                    }
                    _ => return Err(NotJson),
                }
            }
        }
    }

    /// `"key" :` and the whitespace after it, inside an object.
    fn key_and_colon(&mut self) -> Result<()> {
        self.string()?;
        self.ws();
        self.eat(b':')?;
        self.ws();
        Ok(())
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`. A `.` or `e` not
    /// followed by digits ends the number in Python, and is then an error
    /// wherever it stands, so it is one here at once.
    fn number(&mut self) -> Result<()> {
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let start = self.at;
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(NotJson),
        }
        let int_digits = self.at - start;
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.at += 1;
            integer = false;
            if self.digits() == 0 {
                return Err(NotJson);
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            integer = false;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(NotJson);
            }
        }
        // Python turns an integer into an int, which has a digit limit; a
        // float of any length is fine (1e400 is inf).
        if integer && int_digits > MAX_INT_DIGITS {
            return Err(NotJson);
        }
        Ok(())
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        self.at - start
    }

    /// A string at the cursor, unescaped. Strict as Python's: raw control
    /// characters are errors; `\u` takes exactly four hex digits.
    fn string(&mut self) -> Result<Text<'a>> {
        self.eat(b'"')?;
        let start = self.at;
        // The usual string has no escape: borrow it.
        loop {
            match self.peek().ok_or(NotJson)? {
                b'"' => {
                    let text = self.slice(start, self.at);
                    self.at += 1;
                    return Ok(Some(text.into()));
                }
                b'\\' => break,
                0..=0x1f => return Err(NotJson),
                _ => self.at += 1,
            }
        }
        let mut out = String::from(self.slice(start, self.at));
        let mut whole = true;
        loop {
            let run = self.at;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            out.push_str(self.slice(run, self.at));
            match self.peek().ok_or(NotJson)? {
                b'"' => {
                    self.at += 1;
                    return Ok(whole.then_some(out.into()));
                }
                b'\\' => {
                    self.at += 1;
                    let c = self.peek().ok_or(NotJson)?;
                    self.at += 1;
                    out.push(match c {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => match self.unicode_escape()? {
                            Some(c) => c,
                            None => {
                                whole = false;
                                '\u{fffd}'
                            }
                        },
                        _ => return Err(NotJson),
                    });
                }
                _ => return Err(NotJson),
            }
        }
    }

    /// The four hex digits after `\u`: a character, or `None` for half of a
    /// surrogate pair (paired or not, nothing awsp reads can hold one).
    fn unicode_escape(&mut self) -> Result<Option<char>> {
        let hex = self.s.get(self.at..self.at + 4).ok_or(NotJson)?;
        let mut unit = 0u32;
        for &h in hex {
            unit = unit * 16 + char::from(h).to_digit(16).ok_or(NotJson)?;
        }
        self.at += 4;
        Ok(char::from_u32(unit))
    }

    fn slice(&self, from: usize, to: usize) -> &'a str {
        // Cut only at ASCII bytes of text that is UTF-8.
        std::str::from_utf8(&self.s[from..to]).expect("cut at ASCII bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expiration(doc: &str) -> Result<Option<String>> {
        credentials_expiration(doc.as_bytes()).map(|t| t.map(|t| dateutil::format(&t)))
    }

    /// What Python's json.loads accepts and serde_json does not.
    #[test]
    fn python_only_values_are_accepted() {
        let t = "2099-01-01T00:00:00Z";
        for extra in [
            "NaN",
            "Infinity",
            "-Infinity",
            "1e400",
            "-1e400",
            "\"\\ud800\"",
            "\"\\udc00x\\ud83d\"",
            "[NaN,{\"a\":-Infinity}]",
            &"1".repeat(4300),
            &format!("{}.0", "1".repeat(5000)),
            &format!("{}e0", "1".repeat(5000)),
        ] {
            let doc =
                format!(r#"{{"Credentials":{{"Expiration":"{t}","n":{extra}}},"m":{extra}}}"#);
            assert_eq!(expiration(&doc), Ok(Some(t.into())), "{doc}");
        }
        assert_eq!(expiration(r#"{"\ud800":1}"#), Ok(None));
    }

    #[test]
    fn python_rejections_are_rejected() {
        for doc in [
            "-NaN",
            "nan",
            "infinity",
            "+1",
            "01",
            "1.",
            ".5",
            "1e",
            "[1,]",
            "{\"a\":1,}",
            "\u{feff}{}",
            "{}\u{feff}",
            " \u{b}{}",
            "\"\\U0041\"",
            "\"\\u12\"",
            "\"a\tb\"",
            &"1".repeat(4301),
            &format!("-{}", "1".repeat(4301)),
            "",
            "{'a':1}",
        ] {
            assert_eq!(expiration(doc), Err(NotJson), "{doc:?}");
        }
    }

    #[test]
    fn the_last_duplicate_counts() {
        let (a, b) = ("2099-01-01T00:00:00Z", "2098-01-01T00:00:00Z");
        let doc = format!(r#"{{"Credentials":{{"Expiration":"{a}","Expiration":"{b}"}}}}"#);
        assert_eq!(expiration(&doc), Ok(Some(b.into())));
        let doc = format!(r#"{{"Credentials":{{"Expiration":"{a}"}},"Credentials":NaN}}"#);
        assert_eq!(expiration(&doc), Ok(None));
        let doc = format!(r#"{{"accessToken":1,"expiresAt":"{a}","expiresAt":NaN}}"#);
        let fields = token_fields(doc.as_bytes()).unwrap().unwrap();
        assert_eq!(fields.expires_at, None);
        let doc = format!(r#"{{"accessToken":NaN,"expiresAt":NaN,"expiresAt":"{a}"}}"#);
        let fields = token_fields(doc.as_bytes()).unwrap().unwrap();
        assert!(fields.access_token);
        assert_eq!(
            fields.expires_at.map(|t| dateutil::format(&t)),
            Some(a.into())
        );
    }

    /// The token itself: a string, unescaped, the last one counting; any
    /// other value is there (botocore needs only the key) but not sendable.
    #[test]
    fn the_secret_is_the_last_access_token_string() {
        let secret = |doc: &str| {
            token_fields_and_secret(doc.as_bytes()).map(|f| f.map(|(f, s)| (f.access_token, s)))
        };
        let t = r#""expiresAt":"2099-01-01T00:00:00Z""#;
        assert_eq!(
            secret(&format!(r#"{{"accessToken":"a\u00e9\/b",{t}}}"#)),
            Ok(Some((true, Some("a\u{e9}/b".into()))))
        );
        assert_eq!(
            secret(&format!(r#"{{"accessToken":"x","accessToken":"y",{t}}}"#)),
            Ok(Some((true, Some("y".into()))))
        );
        assert_eq!(
            secret(&format!(r#"{{"accessToken":"x",{t},"accessToken":null}}"#)),
            Ok(Some((true, None)))
        );
        assert_eq!(secret(&format!("{{{t}}}")), Ok(Some((false, None))));
        assert_eq!(
            secret(r#"{"accessToken":"\ud800"}"#),
            Ok(Some((true, None)))
        );
        assert_eq!(secret(r#"{"accessToken":"x",}"#), Err(NotJson));
        assert_eq!(secret("[\"accessToken\"]"), Ok(None));
        // The same fields as the reader `list` uses.
        let doc = format!(r#"{{"accessToken":"x",{t},"refreshToken":1}}"#);
        let (fields, _) = token_fields_and_secret(doc.as_bytes()).unwrap().unwrap();
        let plain = token_fields(doc.as_bytes()).unwrap().unwrap();
        assert_eq!(format!("{fields:?}"), format!("{plain:?}"));
    }

    /// `creds` reads a cached file's keys with the grammar `list` reads
    /// its expiry with: Python's values elsewhere in the file are fine,
    /// the last `Credentials` counts, a key that is not a string is none.
    #[test]
    fn cached_keys_follow_the_same_rules() {
        let t = "2099-01-01T00:00:00Z";
        let keys = |doc: &str| {
            credentials_and_secrets(doc.as_bytes()).map(|c| {
                c.map(|c| {
                    let at = c.expiration.map(|e| dateutil::format(&e));
                    (at, c.access_key_id, c.secret_access_key, c.session_token)
                })
            })
        };
        let s = |v: &str| Some(v.to_string());
        let doc = format!(
            r#"{{"x":NaN,"Credentials":{{"AccessKeyId":"A\u0042","SecretAccessKey":"s","SessionToken":"t","Expiration":"{t}","n":Infinity}}}}"#
        );
        assert_eq!(keys(&doc), Ok(Some((s(t), s("AB"), s("s"), s("t")))));
        let doc = format!(
            r#"{{"Credentials":{{"AccessKeyId":"old","Expiration":"{t}"}},"Credentials":{{"SecretAccessKey":"new"}}}}"#
        );
        assert_eq!(keys(&doc), Ok(Some((None, None, s("new"), None))));
        let doc = format!(
            r#"{{"Credentials":{{"AccessKeyId":1,"SessionToken":null,"Expiration":"{t}"}}}}"#
        );
        assert_eq!(keys(&doc), Ok(Some((s(t), None, None, None))));
        let doc = format!(r#"{{"Credentials":{{"AccessKeyId":"a","Expiration":"{t}"}},}}"#);
        assert_eq!(keys(&doc), Err(NotJson));
        // The expiry alone, as `list` reads it, is the same.
        let doc = format!(r#"{{"Credentials":{{"AccessKeyId":"a","Expiration":"{t}"}}}}"#);
        assert_eq!(expiration(&doc), Ok(Some(t.into())));
    }

    #[test]
    fn nesting_up_to_the_limit() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        let in_creds = |n: usize| format!(r#"{{"Credentials":{{"x":{}}}}}"#, nested(n));
        const CREDS: usize = CREDENTIALS_MAX_DEPTH;
        assert_eq!(expiration(&nested(CREDS)), Ok(None));
        assert_eq!(expiration(&nested(CREDS + 1)), Err(NotJson));
        assert_eq!(expiration(&in_creds(CREDS - 2)), Ok(None));
        assert_eq!(expiration(&in_creds(CREDS - 1)), Err(NotJson));
        assert_eq!(expiration(&nested(100_000)), Err(NotJson));
        let token =
            |n: usize| token_fields(format!(r#"{{"a":{}}}"#, nested(n)).as_bytes()).map(|_| ());
        assert_eq!(token(TOKEN_MAX_DEPTH - 1), Ok(()));
        assert_eq!(token(TOKEN_MAX_DEPTH), Err(NotJson));
    }
}
