//! A fast reader for the shape nearly every AWS config file has: `[name]`
//! headers, `key = value` lines, comments and blank lines, all starting in
//! column one, `\n` line ends. It gives exactly what [`crate::aws::ini::read_full`]
//! gives, or `None` at the first line outside that shape (an indented line,
//! a `[DEFAULT]`, anything configparser would reject, non-ASCII in a key),
//! and the caller reads the file with the full reader, which also finds the
//! error to report.
//!
//! Why: `awsp status` checks the whole 10,000-profile config on every
//! prompt, and the general lexer spends ~550 instructions per line on
//! rules these lines never need. Here keys and line ends are found eight
//! bytes at a time (see `swar`), ~230 instructions a line.

use std::collections::HashSet;

use crate::fast::swar::{bytes_equal, bytes_upper, first_byte, position, word_at, HIGH};

use crate::aws::ini::{
    is_ascii_py_space, rstrip_fast, strip_fast, Key, RawIni, SectionSpan, Settings, Value,
};

/// Where the line holding `bytes[from]` ends: its `\n`, or the end.
fn line_end(bytes: &[u8], mut from: usize) -> usize {
    while let Some(x) = word_at(bytes, from) {
        let found = bytes_equal(x, b'\n');
        if found != 0 {
            return from + first_byte(found);
        }
        from += 8;
    }
    position(&bytes[from..], b'\n').map_or(bytes.len(), |i| from + i)
}

/// An option line's key from `bytes[from]`: where its delimiter (the first
/// `=` or `:`) is and whether it holds upper case. `None` when the line
/// has no delimiter or the key holds a byte ≥ 0x80.
fn key_end(bytes: &[u8], mut from: usize) -> Option<(usize, bool)> {
    let mut upper = false;
    while let Some(x) = word_at(bytes, from) {
        let stops = bytes_equal(x, b'=') | bytes_equal(x, b':') | bytes_equal(x, b'\n');
        // Bits below the first stop's high bit: the bytes before it.
        let before = match stops {
            0 => u64::MAX,
            _ => (stops & stops.wrapping_neg()) - 1,
        };
        if x & HIGH & before != 0 {
            return None;
        }
        upper |= bytes_upper(x) & before != 0;
        if stops != 0 {
            let at = from + first_byte(stops);
            return (bytes[at] != b'\n').then_some((at, upper));
        }
        from += 8;
    }
    for (at, &b) in bytes.iter().enumerate().skip(from) {
        match b {
            b'=' | b':' => return Some((at, upper)),
            b'\n' | 0x80.. => return None,
            b'A'..=b'Z' => upper = true,
            _ => {}
        }
    }
    None
}

/// A 64-bit hash of a section name (foldhash's quality hash, fixed seed).
/// Names are told apart by it alone: two names with one hash (a
/// duplicate, or by chance two names) send the file to the full reader,
/// which compares the names themselves, so a clash costs time, never a
/// different result. A weak hash would cost that time on real files: FxHash
/// gives whole-hash collisions among names like `profile acct-0084-admin`.
fn name_hash(name: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::default().hash_one(name)
}

/// The settings pushed for the caller, taken off again when dropped
/// before [`Built::keep`] (the full reader will push its own).
struct Built<'v> {
    values: Option<&'v mut Vec<Settings>>,
    had: usize,
    kept: bool,
}

impl Built<'_> {
    fn new_section(&mut self) {
        if let Some(v) = self.values.as_deref_mut() {
            v.push(Settings::with_capacity(6));
        }
    }

    /// The open section's settings, when values are wanted.
    fn section(&mut self) -> Option<&mut Settings> {
        self.values.as_deref_mut()?.last_mut()
    }

    fn keep(&mut self) {
        self.kept = true;
    }
}

impl Drop for Built<'_> {
    fn drop(&mut self) {
        if let (false, Some(v)) = (self.kept, self.values.as_deref_mut()) {
            v.truncate(self.had);
        }
    }
}

/// Reads `text` as [`crate::aws::ini::read`] does when every line has the simple
/// shape; `None` otherwise. With `values`, each section's own settings are
/// pushed as the full reader would push them (left untouched on `None`).
pub(crate) fn read<'a>(text: &'a str, values: Option<&mut Vec<Settings>>) -> Option<RawIni<'a>> {
    read_hashing(text, values, name_hash)
}

/// [`read`] with the section-name hash given, so that tests can force clashes.
fn read_hashing<'a>(
    text: &'a str,
    values: Option<&mut Vec<Settings>>,
    name_hash: impl Fn(&str) -> u64,
) -> Option<RawIni<'a>> {
    let bytes = text.as_bytes();
    // A lone `\r` ends a line too; leave such files to the full reader.
    if position(bytes, b'\r').is_some() {
        return None;
    }
    let mut sections: Vec<SectionSpan<'a>> = Vec::with_capacity(text.len() / 128);
    // Settings go straight into `values`; on giving up, what was pushed is
    // taken off again.
    let mut values = values;
    let had = values.as_ref().map_or(0, |v| v.len());
    if let Some(v) = values.as_deref_mut() {
        v.reserve(text.len() / 128);
    }
    let mut built = Built {
        values,
        had,
        kept: false,
    };
    // The hashes are already mixed; foldhash's fast hasher costs one
    // multiplication on a u64.
    let mut seen: HashSet<u64, foldhash::fast::FixedState> = Default::default();
    seen.reserve(text.len() / 128);
    // The keys of the open section, lower-cased, to find duplicates.
    let mut own_keys: Vec<std::borrow::Cow<'a, str>> = Vec::with_capacity(8);
    let mut line_no = 0;
    // Past the end by one after a last line without `\n` (not after a header).
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
                pos = line_end(bytes, start) + 1;
                continue;
            }
            b'[' => {
                let eol = line_end(bytes, start);
                pos = (eol + 1).min(bytes.len());
                // The name runs to the last `]` (whitespace never holds one,
                // so stripping the line first changes nothing).
                let close = bytes[start + 1..eol].iter().rposition(|&b| b == b']')?;
                if close == 0 {
                    return None;
                }
                let name = &text[start + 1..start + 1 + close];
                if name == "DEFAULT" || !seen.insert(name_hash(name)) {
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
                built.new_section();
                own_keys.clear();
            }
            first if is_ascii_py_space(first) || first >= 0x80 => return None,
            _ => {
                if sections.is_empty() {
                    return None;
                }
                let (at, upper) = key_end(bytes, start)?;
                let eol = line_end(bytes, at);
                pos = eol + 1;
                let key = rstrip_fast(&text[start..at]);
                if key.is_empty() {
                    return None;
                }
                let key = if upper {
                    std::borrow::Cow::Owned(key.to_ascii_lowercase())
                } else {
                    std::borrow::Cow::Borrowed(key)
                };
                if own_keys.iter().any(|k| k.len() == key.len() && *k == key) {
                    return None;
                }
                if let Some(settings) = built.section() {
                    // Only the key's bytes are checked for width: the value
                    // gets the exact (Unicode) strip, cheap on ASCII edges.
                    // Skip the usual space after the delimiter here, so that
                    // strip_fast's one-look path takes the common case.
                    let mut from = at + 1;
                    while from < eol && is_ascii_py_space(bytes[from]) {
                        from += 1;
                    }
                    let value = strip_fast(&text[from..eol]);
                    settings.push((Key::from(key.as_ref()), Value::Str(Key::from(value))));
                }
                own_keys.push(key);
            }
        }
    }
    if let Some(last) = sections.last_mut() {
        last.body.end = text.len();
    }
    built.keep();
    Some(RawIni {
        text,
        sections,
        defaults: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::ini::read_full;

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
        let mut next = crate::aws::ini::seeded(0x51_3d1e);
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
            match check_against_full_reader(&text) {
                true => fast_answers += 1,
                false => full_only += 1,
            }
        }
        assert!(fast_answers > 1500, "fast reader answered {fast_answers}");
        assert!(full_only > 1500, "full reader alone read {full_only}");
    }

    /// Asserts that the fast reader, where it answers, answers as the full
    /// reader does, values and scan alike, and leaves nothing behind where
    /// it does not; whether it answered.
    fn check_against_full_reader(text: &str) -> bool {
        let (mut fast_values, mut full_values) = (Vec::new(), Vec::new());
        let fast = read(text, Some(&mut fast_values));
        let full = read_full(text, Some(&mut full_values));
        let fast_scan = read(text, None);
        assert_eq!(fast.is_some(), fast_scan.is_some(), "{text:?}");
        let Some(fast) = fast else {
            assert!(fast_values.is_empty(), "{text:?}");
            return false;
        };
        assert_eq!(Ok(&fast), full.as_ref(), "{text:?}");
        assert_eq!(fast_scan.as_ref(), Some(&fast), "{text:?}");
        assert_eq!(fast_values, full_values, "{text:?}");
        true
    }

    /// Lines of random characters from the ones the rules turn on (not
    /// templates): delimiters, brackets, blanks of every kind, upper case,
    /// comment marks, non-ASCII letters and spaces.
    #[test]
    fn agrees_with_the_full_reader_on_random_characters() {
        const CHARS: &[char] = &[
            'a', 'b', 'k', 'Z', '=', '=', ':', '[', ']', ' ', ' ', '\t', '#', ';', 'é', '\u{a0}',
            '\u{0b}', '\u{1f}', '\u{2028}', '"', '\\', '0',
        ];
        let mut next = crate::aws::ini::seeded(0xc4a2);
        let mut fast_answers = 0;
        for _ in 0..40_000 {
            let mut text = String::from(["", "[s]\n", "[s]\n", "[p]\n"][next(4)]);
            for _ in 0..1 + next(8) {
                // Start most lines as a header or a key, so that some files
                // get past the first line.
                match next(4) {
                    0 => text.push('['),
                    1 => text.push('k'),
                    _ => {}
                }
                for _ in 0..next(12) {
                    text.push(CHARS[next(CHARS.len())]);
                }
                text.push('\n');
            }
            fast_answers += usize::from(check_against_full_reader(&text));
        }
        assert!(fast_answers > 1000, "fast reader answered {fast_answers}");
    }

    /// A clash of section-name hashes only sends the file to the full
    /// reader: the fast-then-full read (as `aws::ini` does it) gives the
    /// full reader's result, values included. Hashes here clash on every
    /// pair of names (`one_hash`) or on names of one length.
    #[test]
    fn a_hash_clash_never_changes_a_result() {
        let one_hash = |_: &str| 7;
        let by_length = |name: &str| name.len() as u64;
        let texts = [
            "[a]\nk = v\n",
            "[a]\nk = v\n[b]\nj = w\n",
            "[profile x]\nregion = us-east-1\n[profile y]\nregion = eu-west-1\n",
            "[profile x]\nregion = us-east-1\n[sso-session corp]\nsso_region = us-east-1\n",
            "[a]\nk = 1\n[a]\nk = 2\n",
            "[a]\nk = 1\n[b]\n k = 2\n",
        ];
        for text in texts {
            let two_or_more = text.matches('[').count() > 1;
            let fast = read_hashing(text, None, one_hash);
            assert_eq!(fast.is_none(), two_or_more, "{text:?}");
            for hash in [&one_hash as &dyn Fn(&str) -> u64, &by_length, &name_hash] {
                let mut values = Vec::new();
                let read = match read_hashing(text, Some(&mut values), hash) {
                    Some(raw) => Ok(raw),
                    None => read_full(text, Some(&mut values)),
                };
                let mut full_values = Vec::new();
                assert_eq!(read, read_full(text, Some(&mut full_values)), "{text:?}");
                assert_eq!(values, full_values, "{text:?}");
            }
        }
    }

    /// Names that differ in a few characters, as generated configs have
    /// them, must not share a hash, or such files lose the fast path.
    #[test]
    fn similar_names_get_distinct_hashes() {
        let mut seen = HashSet::new();
        for i in 0..40_000 {
            let mut names = vec![format!("profile {i}"), format!("{i}")];
            for role in ["admin", "read", "ops", "dev", "billing"] {
                names.push(format!("profile acct-{i:04}-{role}"));
                names.push(format!("sso-session s{i}{role}"));
            }
            for name in names {
                assert!(seen.insert(name_hash(&name)), "{name}");
            }
        }
    }
}
