//! A fast reader for the shape nearly every AWS config file has: `[name]`
//! headers, `key = value` lines, comments and blank lines, all starting in
//! column one, `\n` line ends. It gives exactly what [`super::read`] gives,
//! or `None` at the first line outside that shape (an indented line, a
//! `[DEFAULT]`, anything configparser would reject, non-ASCII in a key),
//! and the caller reads the file with
//! the full reader, which also finds the error to report.
//!
//! Why: `awsp status` checks the whole 10,000-profile config on every
//! prompt, and the general lexer spends ~550 instructions per line on
//! rules these lines never need; this loop spends ~120.

use std::collections::HashSet;

use super::{strip_fast, FxBuildHasher, Key, RawIni, SectionSpan, Settings, Value};

/// Byte classes for the key scan (see [`CLASS`]).
const PLAIN: u8 = 0;
const DELIMITER: u8 = 1;
const LINE_END: u8 = 2;
const UPPER: u8 = 3;
/// Bytes ≥ 0x80: part of a character the simple path does not judge.
const WIDE: u8 = 4;

const CLASS: [u8; 256] = {
    let mut table = [PLAIN; 256];
    table[b'=' as usize] = DELIMITER;
    table[b':' as usize] = DELIMITER;
    table[b'\n' as usize] = LINE_END;
    let mut b = b'A';
    while b <= b'Z' {
        table[b as usize] = UPPER;
        b += 1;
    }
    let mut b = 0x80;
    while b <= 0xff {
        table[b] = WIDE;
        b += 1;
    }
    table
};

/// Python's `isspace` for the ASCII bytes a line can hold (`\n` ends it,
/// `\r` never reaches here).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | 0x0b | 0x0c | 0x1c..=0x1f)
}

/// `s` (all ASCII) without trailing spaces.
fn rstrip(s: &[u8]) -> &[u8] {
    let mut end = s.len();
    while end > 0 && is_space(s[end - 1]) {
        end -= 1;
    }
    &s[..end]
}

/// The text of `bytes[start..end]`: both ends lie next to ASCII bytes or
/// line ends, so on character boundaries.
fn text_of(text: &str, start: usize, end: usize) -> &str {
    &text[start..end]
}

/// Reads `text` as [`super::read`] does when every line has the simple
/// shape; `None` otherwise. With `values`, each section's own settings are
/// pushed as the full reader would push them (left untouched on `None`).
pub(super) fn read<'a>(text: &'a str, values: Option<&mut Vec<Settings>>) -> Option<RawIni<'a>> {
    let bytes = text.as_bytes();
    // A lone `\r` ends a line too; leave such files to the full reader.
    if memchr::memchr(b'\r', bytes).is_some() {
        return None;
    }
    let mut sections: Vec<SectionSpan<'a>> = Vec::with_capacity(text.len() / 128);
    let mut built: Vec<Settings> = Vec::new();
    let want_values = values.is_some();
    if want_values {
        built.reserve(text.len() / 128);
    }
    let mut seen: HashSet<&str, FxBuildHasher> = Default::default();
    seen.reserve(text.len() / 128);
    // The keys of the open section, lower-cased, to find duplicates.
    let mut own_keys: Vec<std::borrow::Cow<'a, str>> = Vec::with_capacity(8);
    let mut line_no = 0;
    let mut pos = 0;
    while pos < bytes.len() {
        line_no += 1;
        let start = pos;
        match bytes[start] {
            b'\n' => {
                // A blank line: at most a `""` continuation of a one-line
                // value, which leaves the value as it is.
                pos += 1;
                continue;
            }
            b'#' | b';' => {
                pos = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i + 1);
                continue;
            }
            b'[' => {
                let eol = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
                pos = (eol + 1).min(bytes.len());
                // The name runs to the last `]` (whitespace never holds one,
                // so stripping the line first changes nothing).
                let close = memchr::memrchr(b']', &bytes[start + 1..eol])?;
                if close == 0 {
                    return None;
                }
                let name = text_of(text, start + 1, start + 1 + close);
                if name == "DEFAULT" || !seen.insert(name) {
                    return None;
                }
                if let Some(last) = sections.last_mut() {
                    last.body.end = start;
                }
                sections.push(SectionSpan {
                    name,
                    line: line_no,
                    body: pos..pos,
                    nested_error: None,
                });
                if want_values {
                    built.push(Settings::with_capacity(6));
                }
                own_keys.clear();
            }
            first if is_space(first) || first >= 0x80 => return None,
            _ => {
                if sections.is_empty() {
                    return None;
                }
                // The key: up to the first delimiter, noting upper case.
                let mut at = start;
                let mut upper = false;
                loop {
                    match CLASS[bytes.get(at).copied().unwrap_or(b'\n') as usize] {
                        PLAIN => {}
                        DELIMITER => break,
                        UPPER => upper = true,
                        // No delimiter on the line, or a wide character in the key.
                        _ => return None,
                    }
                    at += 1;
                }
                let eol = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
                pos = (eol + 1).min(bytes.len());
                let key = rstrip(&bytes[start..at]);
                if key.is_empty() {
                    return None;
                }
                let key = text_of(text, start, start + key.len());
                let key = if upper {
                    std::borrow::Cow::Owned(key.to_ascii_lowercase())
                } else {
                    std::borrow::Cow::Borrowed(key)
                };
                if own_keys.iter().any(|k| k.len() == key.len() && *k == key) {
                    return None;
                }
                if let Some(settings) = built.last_mut() {
                    // Only the key's bytes are checked for width: the value
                    // gets the exact (Unicode) strip, cheap on ASCII edges.
                    let value = strip_fast(&text[at + 1..eol]);
                    settings.push((Key::from(key.as_ref()), Value::Str(Key::from(value))));
                }
                own_keys.push(key);
            }
        }
    }
    if let Some(last) = sections.last_mut() {
        last.body.end = text.len();
    }
    if let Some(values) = values {
        values.append(&mut built);
    }
    Some(RawIni {
        text,
        sections,
        defaults: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::read_full;
    use super::*;

    /// Random files mixing the simple shape with lines that must send the
    /// file to the full reader: whenever the fast reader answers, it must
    /// give what the full reader gives (spans, lines, values), and it must
    /// never accept a file the full reader rejects.
    #[test]
    fn agrees_with_the_full_reader_on_random_files() {
        const LINES: &[&str] = &[
            "[a]",
            "[b]",
            "[profile x]",
            "[profile Mixed Case]",
            "[a] # trailing text",
            "[x]]",
            "[sso-session s]",
            "k = v",
            "K = w",
            "Key=Val",
            "j: 1",
            "a:b=c",
            "x=",
            "x =   ",
            "region = us-east-1",
            "k = v # not a comment",
            "k = é",
            "k = v\u{a0}",
            "k\t = \tv\t",
            "k\u{0b} = 1",
            "k\u{1f}=2",
            "",
            "",
            "# c",
            "; c",
            "#",
            // Each of these must make the fast reader give up.
            "[DEFAULT]",
            "é = 1",
            "kÉ = 1",
            " indented = i",
            "\tk=1",
            "   ",
            "junk",
            "= e",
            "[]",
            "[ab",
            "\u{a0}u = 1",
        ];
        let mut seed: u64 = 0x51_3d1e;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let (mut fast_answers, mut full_only) = (0, 0);
        for _ in 0..12000 {
            let count = 1 + next(14);
            let mut text = String::new();
            if next(4) != 0 {
                text.push_str(LINES[next(7)]);
                text.push('\n');
            }
            for _ in 0..count {
                // Mostly lines of the simple shape, so both paths get exercised.
                let pick = if next(4) == 0 {
                    next(LINES.len())
                } else {
                    next(26)
                };
                text.push_str(LINES[pick]);
                text.push_str(if next(40) == 0 { "\r\n" } else { "\n" });
            }
            if next(5) == 0 {
                text.pop();
            }
            let (mut fast_values, mut full_values) = (Vec::new(), Vec::new());
            let fast = read(&text, Some(&mut fast_values));
            let full = read_full(&text, Some(&mut full_values));
            let fast_scan = read(&text, None);
            assert_eq!(fast.is_some(), fast_scan.is_some(), "{text:?}");
            let Some(fast) = fast else {
                assert!(fast_values.is_empty(), "{text:?}");
                full_only += 1;
                continue;
            };
            fast_answers += 1;
            assert_eq!(Ok(&fast), full.as_ref(), "{text:?}");
            assert_eq!(fast_scan.as_ref(), Some(&fast), "{text:?}");
            assert_eq!(fast_values, full_values, "{text:?}");
        }
        assert!(fast_answers > 1500, "fast reader answered {fast_answers}");
        assert!(full_only > 1500, "full reader alone read {full_only}");
    }
}
