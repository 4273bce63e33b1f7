//! The exact text of Python's `json.dumps(obj, sort_keys=True)` for the
//! small objects botocore hashes into cache file names.

/// A JSON value of the kinds that appear in cache keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PyJson<'a> {
    Str(&'a str),
    /// An integer already normalised by [`py_int`].
    Int(String),
    /// A sub-section (a dict of strings).
    Object(Vec<(&'a str, &'a str)>),
}

/// Separators: SSO uses compact `(',', ':')`, assume-role the defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Separators {
    Compact,
    Default,
}

/// Serialises an object with sorted keys and `ensure_ascii`.
pub fn dumps_sorted(entries: &[(&str, PyJson<'_>)], seps: Separators) -> String {
    let (item, kv) = match seps {
        Separators::Compact => (",", ":"),
        Separators::Default => (", ", ": "),
    };
    // Callers mostly give the keys in order already: then nothing to sort
    // (nor copy).
    let ordered: std::borrow::Cow<[(&str, PyJson<'_>)]> = if entries.is_sorted_by_key(|e| e.0) {
        std::borrow::Cow::Borrowed(entries)
    } else {
        let mut copy = entries.to_vec();
        copy.sort_by(|a, b| a.0.cmp(b.0));
        std::borrow::Cow::Owned(copy)
    };
    // Room for the usual all-ASCII case, so the string grows once at most.
    let size: usize = entries
        .iter()
        .map(|(k, v)| {
            k.len()
                + 8
                + match v {
                    PyJson::Str(s) => s.len(),
                    PyJson::Int(n) => n.len(),
                    PyJson::Object(pairs) => pairs.iter().map(|(k, v)| k.len() + v.len() + 8).sum(),
                }
        })
        .sum();
    let mut out = String::with_capacity(size + 2);
    out.push('{');
    for (i, (k, v)) in ordered.iter().enumerate() {
        if i > 0 {
            out.push_str(item);
        }
        push_str(&mut out, k);
        out.push_str(kv);
        match v {
            PyJson::Str(s) => push_str(&mut out, s),
            PyJson::Int(n) => out.push_str(n),
            PyJson::Object(pairs) => {
                let inner: Vec<(&str, PyJson<'_>)> =
                    pairs.iter().map(|(k, v)| (*k, PyJson::Str(v))).collect();
                out.push_str(&dumps_sorted(&inner, seps));
            }
        }
    }
    out.push('}');
    out
}

/// A JSON string as Python writes it with `ensure_ascii=True`, quotes
/// included (for files awsp writes as botocore would).
pub fn py_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_str(&mut out, s);
    out
}

/// A JSON string as Python writes it with `ensure_ascii=True`.
fn push_str(out: &mut String, s: &str) {
    out.push('"');
    // Printable ASCII other than `"` and `\` is copied as is: one slice
    // for the usual name, not one push per character.
    let run = plain_run(s.as_bytes());
    out.push_str(&s[..run]);
    for c in s[run..].chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

/// How many bytes from the start of `bytes` JSON copies as they are
/// (printable ASCII but `"` and `\`), eight at a time.
fn plain_run(bytes: &[u8]) -> usize {
    use crate::fast::swar::{bytes_below, bytes_equal, first_byte, word_at, HIGH};
    let mut at = 0;
    while let Some(x) = word_at(bytes, at) {
        let special = (x & HIGH)
            | bytes_below(x, 0x20)
            | bytes_equal(x, 0x7f)
            | bytes_equal(x, b'"')
            | bytes_equal(x, b'\\');
        if special != 0 {
            return at + first_byte(special);
        }
        at += 8;
    }
    let plain = |b: u8| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\';
    at + bytes[at..]
        .iter()
        .position(|&b| !plain(b))
        .unwrap_or(bytes.len() - at)
}

/// First code points of Unicode's runs of ten decimal digits (category Nd)
/// that Python's `int()` accepts besides ASCII.
const DIGIT_ZEROS: &[u32] = &[
    0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6,
    0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50,
    0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16B50, 0x1D7CE,
    0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// The value of a decimal digit as Python's `int()` reads it.
fn decimal_digit(c: char) -> Option<u32> {
    if let Some(d) = c.to_digit(10) {
        return Some(d);
    }
    let cp = c as u32;
    DIGIT_ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&cp))
        .map(|zero| cp - zero)
}

/// Python's `int(text)`, normalised to its decimal text; `None` where
/// Python raises `ValueError`. Non-ASCII decimal digits count, as in Python.
pub fn py_int(text: &str) -> Option<String> {
    let s = crate::aws::ini::py_strip(text);
    let (negative, body) = match s.chars().next()? {
        '-' => (true, &s[1..]),
        '+' => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() || body.starts_with('_') || body.ends_with('_') || body.contains("__") {
        return None;
    }
    let mut digits = String::with_capacity(body.len());
    for c in body.chars() {
        match c {
            '_' => {}
            c => digits.push(char::from_digit(decimal_digit(c)?, 10)?),
        }
    }
    let trimmed = digits.trim_start_matches('0');
    Some(match (trimmed.is_empty(), negative) {
        (true, _) => "0".into(),
        (false, true) => format!("-{trimmed}"),
        (false, false) => trimmed.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sso_key_is_compact_and_escaped() {
        let s = dumps_sorted(
            &[
                ("sessionName", PyJson::Str("équipe")),
                ("roleName", PyJson::Str("Développeur")),
                ("accountId", PyJson::Str("111111111111")),
            ],
            Separators::Compact,
        );
        assert_eq!(
            s,
            r#"{"accountId":"111111111111","roleName":"D\u00e9veloppeur","sessionName":"\u00e9quipe"}"#
        );
    }

    #[test]
    fn assume_role_key_uses_default_separators() {
        let s = dumps_sorted(
            &[
                (
                    "RoleArn",
                    PyJson::Str("arn:aws:iam::222222222222:role/Cross"),
                ),
                ("ExternalId", PyJson::Str("ext-123")),
                ("DurationSeconds", PyJson::Int("3600".into())),
            ],
            Separators::Default,
        );
        assert_eq!(
            s,
            r#"{"DurationSeconds": 3600, "ExternalId": "ext-123", "RoleArn": "arn:aws:iam::222222222222:role/Cross"}"#
        );
    }

    #[test]
    fn escapes_controls_astral_and_del() {
        let s = dumps_sorted(
            &[("k", PyJson::Str("a\"\\\n\u{1}\u{7f}😀/"))],
            Separators::Compact,
        );
        assert_eq!(s, r#"{"k":"a\"\\\n\u0001\u007f\ud83d\ude00/"}"#);
    }

    /// Every special byte at every offset of strings up to 20 bytes long.
    #[test]
    fn plain_run_stops_at_the_first_special_byte() {
        let plain = |b: u8| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\';
        for len in 0..20 {
            for at in 0..=len {
                for special in [0u8, 0x1f, b'"', b'\\', 0x7f, 0x80, 0xff, b' ', b'~'] {
                    let mut bytes = vec![b'a'; len];
                    if at < len {
                        bytes[at] = special;
                    }
                    let want = bytes.iter().position(|&b| !plain(b)).unwrap_or(len);
                    assert_eq!(plain_run(&bytes), want, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn python_int() {
        assert_eq!(py_int(" 3600 "), Some("3600".into()));
        assert_eq!(py_int("+0_900"), Some("900".into()));
        assert_eq!(py_int("-0"), Some("0".into()));
        assert_eq!(py_int("-12"), Some("-12".into()));
        assert_eq!(py_int("٣٦٠٠"), Some("3600".into()));
        assert_eq!(py_int("３６"), Some("36".into()));
        for bad in ["", "1h", "1__0", "_1", "1_", "0x10", "1.0", "-", "½", "²"] {
            assert_eq!(py_int(bad), None, "{bad}");
        }
    }
}
