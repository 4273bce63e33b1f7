//! The INI dialect of Python's `configparser.RawConfigParser` with default
//! options, as botocore's `configloader.raw_config_parse` uses it.
//!
//! rust-ini cannot express these rules (continuation by relative indent,
//! comments inside values, `:` delimiters, `[DEFAULT]` copying, duplicate
//! errors) and took ~50 ms / 26 MB on a 1.4 MB config; this reader takes a
//! few milliseconds (see `benches/load.rs`).

use std::collections::HashSet;
use std::fmt;

use compact_str::CompactString;
use std::hash::{BuildHasherDefault, Hasher};

/// A value as botocore sees it: a plain string, or a one-level sub-section
/// (a value that starts with a newline).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// Inline up to 24 bytes (most keys and values): a 10,000-profile
    /// config would otherwise be ~100,000 small heap strings.
    Str(CompactString),
    Map(Vec<(String, String)>),
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            Value::Map(_) => None,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => f.write_str(s),
            Value::Map(entries) => {
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}={v}")?;
                }
                Ok(())
            }
        }
    }
}

/// FxHash (rustc's hasher): for the maps keyed by names from the user's own
/// files, where SipHash's flooding resistance buys nothing and cost about a
/// tenth of the load time at 10,000 profiles.
#[derive(Clone, Copy, Debug, Default)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.write(&[b]);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FxBuildHasher = BuildHasherDefault<FxHasher>;

/// A lower-cased key; inline when short (all of the AWS keys are).
pub type Key = CompactString;

/// Ordered key/value settings of one section (keys already lower-cased).
pub type Settings = Vec<(Key, Value)>;

/// Looks a key up in ordered settings. Sections hold a handful of keys, so a
/// scan beats hashing.
pub fn get<'a>(settings: &'a Settings, key: &str) -> Option<&'a Value> {
    settings.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Looks a key up and keeps it only when it is a plain string.
pub fn get_str<'a>(settings: &'a Settings, key: &str) -> Option<&'a str> {
    get(settings, key).and_then(Value::as_str)
}

pub fn has(settings: &Settings, key: &str) -> bool {
    settings.iter().any(|(k, _)| k == key)
}

/// Sets a key, replacing an existing value in place (Python dict semantics).
pub fn set(settings: &mut Settings, key: Key, value: Value) {
    match settings.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = value,
        None => settings.push((key, value)),
    }
}

/// One section of a parsed file, with `[DEFAULT]` keys already applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The name between the first `[` and the last `]`, unstripped.
    pub name: String,
    /// 1-based line of the header.
    pub line: usize,
    pub settings: Settings,
}

/// A parsed file: its sections in file order, and the keys of `[DEFAULT]`
/// (kept so `doctor` can say that they leak into every section).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IniFile {
    pub sections: Vec<Section>,
    pub defaults: Settings,
}

/// Why a file is rejected, with the 1-based line configparser would blame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub reason: String,
}

/// Python's `str.isspace`: Unicode White_Space plus the separators U+001C..U+001F.
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

pub fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// Splits text into lines with Python's universal newlines: `\n`, `\r\n`, lone `\r`.
fn universal_lines(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let rest = &bytes[start..];
        // memchr2: one vectorised search for either line end.
        let (line, next) = match memchr::memchr2(b'\n', b'\r', rest) {
            None => (&text[start..], bytes.len()),
            Some(i) => {
                let after = if rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n') {
                    i + 2
                } else {
                    i + 1
                };
                (&text[start..start + i], start + after)
            }
        };
        start = next;
        Some(line)
    })
}

/// Python's `str.splitlines` boundaries (more than universal newlines), used
/// by botocore's sub-section parser.
fn is_py_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\u{0b}'
            | '\u{0c}'
            | '\u{1c}'
            | '\u{1d}'
            | '\u{1e}'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Decodes file bytes as UTF-8, naming the line of the first bad byte.
pub fn decode(bytes: &[u8]) -> Result<&str, ParseError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        // Line count as universal newlines see it: CRLF counts once.
        let text = std::str::from_utf8(good).unwrap_or_default();
        let line = universal_lines(text).count().max(1) + usize::from(text.ends_with(['\n', '\r']));
        ParseError {
            line,
            reason: format!(
                "invalid UTF-8 (byte 0x{:02x}); save the file as UTF-8",
                bytes[e.valid_up_to()]
            ),
        }
    })
}

/// A value being collected: its lines (borrowed from the text; a blank line
/// is `""`) and where it started. Most values have one line, so the first is
/// kept apart and continuation lines allocate only when there are some.
struct PendingValue<'a> {
    first: &'a str,
    more: Vec<&'a str>,
    line: usize,
}

/// Parses text with configparser's rules: [`RawIni::scan`] checks the whole
/// text (and fails with configparser's first error, in its order), then
/// every section is built. One reader of the dialect serves `list`, the
/// picker and `status` (which builds only the sections it needs).
pub fn parse(text: &str) -> Result<IniFile, ParseError> {
    RawIni::scan(text)?.to_ini_file(&|_| true)
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut}...")
    }
}

/// `\[(?P<header>.+)\]` matched at the start of the stripped line: the name runs
/// from the first `[` to the last `]`.
fn section_header(stripped: &str) -> Option<&str> {
    let rest = stripped.strip_prefix('[')?;
    let close = rest.rfind(']')?;
    if close == 0 {
        return None;
    }
    Some(&rest[..close])
}

/// Turns pending values into settings, draining `keys`.
fn finish_values(keys: &mut Vec<(Key, PendingValue)>) -> Result<Settings, ParseError> {
    let mut out = Vec::with_capacity(keys.len());
    for (key, pending) in keys.drain(..) {
        let value = finish_value(&key, &pending)?;
        out.push((key, value));
    }
    Ok(out)
}

fn finish_value(key: &str, pending: &PendingValue) -> Result<Value, ParseError> {
    {
        if pending.more.is_empty() {
            // The common case: one line, built inline without a heap string.
            return Ok(Value::Str(Key::from(pending.first)));
        }
        let value = {
            let mut joined = String::from(pending.first);
            for line in &pending.more {
                joined.push('\n');
                joined.push_str(line);
            }
            joined.truncate(joined.trim_end_matches(is_py_space).len());
            joined
        };
        let value = if value.starts_with('\n') {
            Value::Map(parse_nested(&value).map_err(|bad| ParseError {
                line: pending.line,
                reason: format!(
                    "sub-section line '{}' under '{key}' needs 'name = value'",
                    truncate(&bad, 60)
                ),
            })?)
        } else {
            Value::Str(value.into())
        };
        Ok(value)
    }
}

/// botocore's `_parse_nested`: each non-blank line is `key = value` split at
/// the first `=`; keys keep their case; a later duplicate wins.
fn parse_nested(value: &str) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in value.split(is_py_line_break) {
        let line = py_strip(line);
        if line.is_empty() {
            continue;
        }
        let (k, v) = line.split_once('=').ok_or_else(|| line.to_string())?;
        let (k, v) = (py_strip(k).to_string(), py_strip(v).to_string());
        match out.iter_mut().find(|(ek, _)| *ek == k) {
            Some(slot) => slot.1 = v,
            None => out.push((k, v)),
        }
    }
    Ok(out)
}

/// Python's `isspace` for one ASCII byte.
fn is_ascii_py_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0x1c..=0x1f)
}

/// [`py_strip`], with a byte-wise path when both ends are ASCII.
fn strip_fast(s: &str) -> &str {
    let b = s.as_bytes();
    let mut start = 0;
    while start < b.len() && is_ascii_py_space(b[start]) {
        start += 1;
    }
    let mut end = b.len();
    while end > start && is_ascii_py_space(b[end - 1]) {
        end -= 1;
    }
    if (start < end && (b[start] >= 0x80 || b[end - 1] >= 0x80))
        || (start == end && start < b.len())
    {
        return py_strip(s);
    }
    &s[start..end]
}

/// Right-strips Python whitespace, byte-wise while the end is ASCII.
fn rstrip_fast(s: &str) -> &str {
    let b = s.as_bytes();
    let mut end = b.len();
    while end > 0 && is_ascii_py_space(b[end - 1]) {
        end -= 1;
    }
    if end > 0 && b[end - 1] >= 0x80 {
        return s[..end].trim_end_matches(is_py_space);
    }
    &s[..end]
}

/// One option of a [`RawIni`]: its lines are `RawIni::lines[lines]`.
#[derive(Clone, Debug)]
struct RawKey<'a> {
    key: std::borrow::Cow<'a, str>,
    line: usize,
    lines: std::ops::Range<usize>,
}

/// One section of a [`RawIni`]: its options are `RawIni::keys[keys]`.
#[derive(Clone, Debug)]
struct RawSection<'a> {
    name: &'a str,
    line: usize,
    keys: std::ops::Range<usize>,
}

/// A file checked with exactly [`parse`]'s rules and errors, but kept as
/// slices of the text: building the values is left to
/// [`RawIni::to_ini_file`] for the sections that are wanted. On a
/// 10,000-profile config this is several times faster than [`parse`],
/// which allocates every value (what `awsp status` needs on every prompt).
#[derive(Clone, Debug, Default)]
pub struct RawIni<'a> {
    sections: Vec<RawSection<'a>>,
    keys: Vec<RawKey<'a>>,
    defaults: Vec<RawKey<'a>>,
    /// Value lines of every option, in order; each option's are contiguous.
    lines: Vec<&'a str>,
}

/// `to_lowercase`, borrowing when nothing changes.
fn lower_key(key: &str) -> std::borrow::Cow<'_, str> {
    if key.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        std::borrow::Cow::Borrowed(key)
    } else {
        std::borrow::Cow::Owned(key.to_lowercase())
    }
}

impl<'a> RawIni<'a> {
    /// Checks `text` as [`parse`] does and fails with the same error.
    pub fn scan(text: &'a str) -> Result<RawIni<'a>, ParseError> {
        let mut out = RawIni::default();
        // As in `parse`: None before any header, Some(None) for [DEFAULT],
        // Some(Some(i)) for sections[i].
        let mut current: Option<Option<usize>> = None;
        let mut has_option = false;
        let mut indent_level = 0usize;
        let mut deferred: Option<ParseError> = None;
        let mut seen: HashSet<&str, FxBuildHasher> = Default::default();
        out.lines.reserve(text.len() / 24);
        out.keys.reserve(text.len() / 24);
        out.sections.reserve(text.len() / 128);
        seen.reserve(text.len() / 128);
        // Only the most recent option ever receives more lines (a header
        // resets `has_option`), so its lines stay contiguous.
        let mut last_key: Option<(bool, usize)> = None;

        for (index, raw) in universal_lines(text).enumerate() {
            let lineno = index + 1;
            let stripped = strip_fast(raw);
            if stripped.starts_with('#') || stripped.starts_with(';') {
                continue;
            }
            if stripped.is_empty() {
                if has_option && current.is_some() {
                    out.push_line(last_key, "");
                }
                continue;
            }
            // Most lines start with a visible ASCII byte: no indent to count.
            let indent = match raw.as_bytes().first() {
                Some(&b) if b.is_ascii() && !is_py_space(b as char) => 0,
                _ => raw.chars().take_while(|&c| is_py_space(c)).count(),
            };
            if current.is_some() && has_option && indent > indent_level {
                out.push_line(last_key, stripped);
                continue;
            }
            indent_level = indent;
            if let Some(name) = section_header(stripped) {
                has_option = false;
                if name == "DEFAULT" {
                    current = Some(None);
                    continue;
                }
                if !seen.insert(name) {
                    return Err(ParseError {
                        line: lineno,
                        reason: format!("section [{name}] appears twice; merge or rename one"),
                    });
                }
                let at = out.keys.len();
                out.sections.push(RawSection {
                    name,
                    line: lineno,
                    keys: at..at,
                });
                current = Some(Some(out.sections.len() - 1));
                continue;
            }
            let Some(cur) = current else {
                return Err(ParseError {
                    line: lineno,
                    reason: "text before the first [section] header".into(),
                });
            };
            let Some(at) = memchr::memchr2(b'=', b':', stripped.as_bytes()) else {
                if deferred.is_none() {
                    deferred = Some(ParseError {
                        line: lineno,
                        reason: format!(
                            "expected 'key = value' or a [section] header, found '{}'",
                            truncate(stripped, 60)
                        ),
                    });
                }
                continue;
            };
            let key = lower_key(rstrip_fast(&stripped[..at]));
            let value = strip_fast(&stripped[at + 1..]);
            let key_is_empty = key.is_empty();
            if key_is_empty && deferred.is_none() {
                deferred = Some(ParseError {
                    line: lineno,
                    reason: "option with an empty name".into(),
                });
            }
            let (existing, sec_name): (&[RawKey], &str) = match cur {
                None => (&out.defaults, "DEFAULT"),
                Some(i) => (
                    &out.keys[out.sections[i].keys.clone()],
                    out.sections[i].name,
                ),
            };
            if existing.iter().any(|k| k.key == key) {
                return Err(ParseError {
                    line: lineno,
                    reason: format!("option '{key}' appears twice in [{sec_name}]; keep one"),
                });
            }
            let first = out.lines.len();
            out.lines.push(value);
            let raw_key = RawKey {
                key,
                line: lineno,
                lines: first..first + 1,
            };
            match cur {
                None => {
                    out.defaults.push(raw_key);
                    last_key = Some((true, out.defaults.len() - 1));
                }
                Some(i) => {
                    out.keys.push(raw_key);
                    out.sections[i].keys.end = out.keys.len();
                    last_key = Some((false, out.keys.len() - 1));
                }
            }
            has_option = !key_is_empty;
        }
        if let Some(err) = deferred {
            return Err(err);
        }
        // Sub-sections are the only values that can fail; check them in
        // botocore's order (see `inherit_defaults`): each section's own
        // keys, then the [DEFAULT] keys it inherits.
        let is_nested = |k: &RawKey| k.lines.len() > 1 && out.lines[k.lines.start].is_empty();
        let default_errors: Vec<(&str, ParseError)> = out
            .defaults
            .iter()
            .filter(|k| is_nested(k))
            .filter_map(|k| Some((k.key.as_ref(), out.finish(std::slice::from_ref(k)).err()?)))
            .collect();
        for sec in &out.sections {
            let own = &out.keys[sec.keys.clone()];
            for k in own.iter().filter(|k| is_nested(k)) {
                out.finish(std::slice::from_ref(k))?;
            }
            if let Some((_, err)) = default_errors
                .iter()
                .find(|(name, _)| !own.iter().any(|k| k.key == *name))
            {
                return Err(err.clone());
            }
        }
        drop(default_errors);
        Ok(out)
    }

    fn push_line(&mut self, last_key: Option<(bool, usize)>, line: &'a str) {
        let key = match last_key {
            Some((true, i)) => &mut self.defaults[i],
            Some((false, i)) => &mut self.keys[i],
            None => return,
        };
        debug_assert_eq!(key.lines.end, self.lines.len());
        self.lines.push(line);
        key.lines.end += 1;
    }

    fn finish(&self, keys: &[RawKey<'a>]) -> Result<Settings, ParseError> {
        let mut pending: Vec<(Key, PendingValue<'a>)> = keys
            .iter()
            .map(|k| {
                let lines = &self.lines[k.lines.clone()];
                let value = PendingValue {
                    first: lines.first().copied().unwrap_or(""),
                    more: lines.get(1..).unwrap_or(&[]).to_vec(),
                    line: k.line,
                };
                (Key::from(k.key.as_ref()), value)
            })
            .collect();
        finish_values(&mut pending)
    }

    /// Section names with their header lines, in file order.
    pub fn section_names(&self) -> impl Iterator<Item = (&'a str, usize)> + '_ {
        self.sections.iter().map(|s| (s.name, s.line))
    }

    /// The value of `key` in section number `section` as [`parse`] would
    /// give it (`[DEFAULT]` included).
    pub fn value(&self, section: usize, key: &str) -> Option<Value> {
        let own = &self.keys[self.sections.get(section)?.keys.clone()];
        let k = own
            .iter()
            .find(|k| k.key == key)
            .or_else(|| self.defaults.iter().find(|k| k.key == key))?;
        self.finish(std::slice::from_ref(k))
            .ok()?
            .pop()
            .map(|(_, v)| v)
    }

    /// What [`parse`] gives, with only the sections whose number `keep`
    /// accepts (`[DEFAULT]` is applied to them and kept as `defaults`).
    pub fn to_ini_file(&self, keep: &dyn Fn(usize) -> bool) -> Result<IniFile, ParseError> {
        // A [DEFAULT] value that does not parse is inherited by no section
        // (`scan` would have failed): leave it out.
        let defaults: Settings = self
            .defaults
            .iter()
            .filter_map(|k| self.finish(std::slice::from_ref(k)).ok()?.pop())
            .collect();
        let mut sections = Vec::new();
        for (i, sec) in self.sections.iter().enumerate() {
            if !keep(i) {
                continue;
            }
            let mut settings = self.finish(&self.keys[sec.keys.clone()])?;
            for (k, v) in &defaults {
                if !has(&settings, k) {
                    settings.push((k.clone(), v.clone()));
                }
            }
            sections.push(Section {
                name: sec.name.to_string(),
                line: sec.line,
                settings,
            });
        }
        Ok(IniFile { sections, defaults })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::Str(v.into())
    }

    #[test]
    fn no_inline_comments_and_colon_delimiter() {
        let f = parse("[a]\nregion = us-east-1 # x\nhttps://x = y\n").unwrap();
        let set = &f.sections[0].settings;
        assert_eq!(get(set, "region"), Some(&s("us-east-1 # x")));
        assert_eq!(get(set, "https"), Some(&s("//x = y")));
    }

    #[test]
    fn continuation_swallows_indented_header_and_keeps_blank_lines() {
        let f = parse("[a]\nk = v\n  [profile x]\n\n  more\n# c\n   tail\n\n").unwrap();
        assert_eq!(f.sections.len(), 1);
        assert_eq!(
            get(&f.sections[0].settings, "k"),
            Some(&s("v\n[profile x]\n\nmore\ntail"))
        );
    }

    #[test]
    fn cr_and_crlf_end_lines() {
        let f = parse("[a]\rk = 1\r\n[b]\nk=2").unwrap();
        assert_eq!(f.sections.len(), 2);
        assert_eq!(f.sections[1].line, 3);
    }

    #[test]
    fn keys_lowercased_names_not() {
        let f = parse("[Profile X]\nREGION = a\n").unwrap();
        assert_eq!(f.sections[0].name, "Profile X");
        assert!(has(&f.sections[0].settings, "region"));
    }

    #[test]
    fn default_leaks_into_every_section_after_own_keys() {
        let f = parse("[a]\nx = 1\n[DEFAULT]\nregion = r\nx = d\n[b]\n").unwrap();
        assert_eq!(
            f.sections[0].settings,
            vec![("x".into(), s("1")), ("region".into(), s("r"))]
        );
        assert_eq!(
            f.sections[1].settings,
            vec![("region".into(), s("r")), ("x".into(), s("d"))]
        );
    }

    #[test]
    fn header_runs_to_last_bracket() {
        let f = parse("[profile a] # [b]\n[]x]\n").unwrap();
        assert_eq!(f.sections[0].name, "profile a] # [b");
        assert_eq!(f.sections[1].name, "]x");
    }

    #[test]
    fn empty_brackets_are_no_header() {
        let err = parse("[]\n").unwrap_err();
        assert_eq!(err.line, 1);
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(parse("k = v\n").unwrap_err().line, 1);
        assert_eq!(parse("[a]\n[b]\n[a]\n").unwrap_err().line, 3);
        assert_eq!(parse("[a]\nk=1\nK=2\n").unwrap_err().line, 3);
        assert_eq!(parse("[a]\njunk\n[a]\n").unwrap_err().line, 3);
        assert_eq!(parse("[a]\njunk\nmore junk\n").unwrap_err().line, 2);
        assert_eq!(parse("[a]\n= v\n").unwrap_err().line, 2);
        assert_eq!(
            parse("[DEFAULT]\nk=1\n[DEFAULT]\nk=2\n").unwrap_err().line,
            4
        );
    }

    #[test]
    fn a_bad_default_sub_section_fails_only_where_inherited() {
        let both = |text: &str| {
            let parsed = parse(text).map(|_| ()).map_err(|e| e.line);
            let scanned = RawIni::scan(text).map(|_| ()).map_err(|e| e.line);
            assert_eq!(parsed, scanned, "{text:?}");
            parsed
        };
        // No section inherits it: botocore never parses it.
        assert_eq!(both("[DEFAULT]\ns3 =\n  bad\n"), Ok(()));
        assert_eq!(both("[DEFAULT]\ns3 =\n  bad\n[a]\ns3 = own\n"), Ok(()));
        // Inherited: the file fails, at the default's line.
        assert_eq!(both("[DEFAULT]\ns3 =\n  bad\n[a]\nregion = x\n"), Err(2));
        // Order: the first section's own keys, then what it inherits, then
        // the next section.
        assert_eq!(both("[a]\nx =\n  bad\n[DEFAULT]\ns3 =\n  worse\n"), Err(2));
        assert_eq!(
            both("[a]\ns3 = own\n[b]\nx =\n  bad\n[DEFAULT]\ns3 =\n  worse\n"),
            Err(4)
        );
        assert_eq!(
            both("[b]\nr = 1\n[c]\nx =\n  bad\n[DEFAULT]\ns3 =\n  worse\n"),
            Err(7)
        );
        let ok = parse("[DEFAULT]\ns3 =\n  bad\n[a]\ns3 = own\n").unwrap();
        assert_eq!(
            ok.sections[0].settings,
            vec![("s3".into(), Value::Str("own".into()))]
        );
    }

    #[test]
    fn bom_breaks_the_first_header() {
        assert_eq!(parse("\u{feff}[a]\n").unwrap_err().line, 1);
    }

    #[test]
    fn invalid_utf8_names_line() {
        let err = decode(b"[a]\nk = \xff\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert_eq!(decode(b"\xff").unwrap_err().line, 1);
        assert_eq!(decode(b"[a]\r\n\xff").unwrap_err().line, 2);
    }

    #[test]
    fn sub_sections() {
        let f =
            parse("[a]\ns3 =\n  Addressing_Style = path\n  x = 1\n  x = 2\nplain = a\n  b = c\n")
                .unwrap();
        let set = &f.sections[0].settings;
        assert_eq!(
            get(set, "s3"),
            Some(&Value::Map(vec![
                ("Addressing_Style".into(), "path".into()),
                ("x".into(), "2".into())
            ]))
        );
        assert_eq!(get(set, "plain"), Some(&s("a\nb = c")));
        assert_eq!(parse("[a]\ns3 =\n  colon: no\n").unwrap_err().line, 2);
    }

    #[test]
    fn unicode_whitespace_strips() {
        let f = parse("\u{a0}[a]\u{3000}\nk\u{a0}=\u{a0}v\u{1f}\n").unwrap();
        assert_eq!(f.sections[0].name, "a");
        assert_eq!(get(&f.sections[0].settings, "k"), Some(&s("v")));
    }

    /// Cases checked against botocore's `raw_config_parse` (1.44.8).
    #[test]
    fn more_cases_as_botocore_reads_them() {
        let settings = |text: &str| -> Vec<(String, Vec<(String, Value)>)> {
            parse(text)
                .unwrap()
                .sections
                .into_iter()
                .map(|sec| {
                    (
                        sec.name,
                        sec.settings
                            .into_iter()
                            .map(|(k, v)| (k.to_string(), v))
                            .collect(),
                    )
                })
                .collect()
        };
        let kv = |k: &str, v: Value| (k.to_string(), v);
        // An empty key fails the file even when a continuation follows.
        assert_eq!(parse("[a]\n= v\n  cont\n").unwrap_err().line, 2);
        // Two [DEFAULT] sections merge; a sub-section and a continuation in them.
        assert_eq!(
            settings("[DEFAULT]\nk=\n  a = 1\n[x]\ny = 2\n[DEFAULT]\nz = 3\n  more\n"),
            vec![(
                "x".to_string(),
                vec![
                    kv("y", s("2")),
                    kv("k", Value::Map(vec![("a".into(), "1".into())])),
                    kv("z", s("3\nmore")),
                ]
            )]
        );
        // Only blank lines under an option: an empty string, not a sub-section.
        assert_eq!(
            settings("[a]\ns3 =\n\n\n[b]\nt = ok\n"),
            vec![
                ("a".to_string(), vec![kv("s3", s(""))]),
                ("b".to_string(), vec![kv("t", s("ok"))])
            ]
        );
        assert_eq!(
            parse("[a]\ns3 =\n\n\n[b]\nt =\n  bad\n").unwrap_err().line,
            6
        );
        // Indentation is counted in Unicode whitespace characters (a tab is 1).
        assert_eq!(
            settings("\u{a0}[a]\n\u{a0}k = v\n\u{a0}\u{a0}c\n\tk2 = w\n"),
            vec![("a".to_string(), vec![kv("k", s("v\nc")), kv("k2", s("w"))])]
        );
        assert_eq!(
            settings("[a]\n\tk = v\n\t  deeper\n\tj = w\n"),
            vec![(
                "a".to_string(),
                vec![kv("k", s("v\ndeeper")), kv("j", s("w"))]
            )]
        );
    }

    #[test]
    fn raw_keeps_only_wanted_sections_and_reads_values() {
        let text = "[DEFAULT]\nregion = r\n[a]\nx = 1\n[b]\nx = 2\n  more\n";
        let raw = RawIni::scan(text).unwrap();
        let names: Vec<_> = raw.section_names().collect();
        assert_eq!(names, vec![("a", 3), ("b", 5)]);
        assert_eq!(raw.value(1, "x"), Some(s("2\nmore")));
        assert_eq!(raw.value(0, "region"), Some(s("r")));
        assert_eq!(raw.value(0, "nope"), None);
        let only_b = raw.to_ini_file(&|i| i == 1).unwrap();
        let full = parse(text).unwrap();
        assert_eq!(only_b.sections, vec![full.sections[1].clone()]);
        assert_eq!(only_b.defaults, full.defaults);
    }

    #[test]
    fn fast_strips_agree_with_python_strip() {
        for t in [
            "",
            " ",
            "\u{a0}",
            " a ",
            "\ta\u{1f}",
            "\u{a0}a\u{3000}",
            " \u{85}",
            "a\u{a0} ",
            "é",
            " é ",
            "\u{1c}\u{1d}",
            "x\u{2028}",
            "\u{feff}[a]",
        ] {
            assert_eq!(strip_fast(t), py_strip(t), "{t:?}");
            assert_eq!(rstrip_fast(t), t.trim_end_matches(is_py_space), "{t:?}");
        }
    }

    #[test]
    fn universal_newlines() {
        let lines = |t| universal_lines(t).collect::<Vec<_>>();
        assert_eq!(lines(""), Vec::<&str>::new());
        assert_eq!(lines("a\r\nb"), vec!["a", "b"]);
        assert_eq!(lines("a\rb\r"), vec!["a", "b"]);
        assert_eq!(lines("a\r\r\nb\n\n"), vec!["a", "", "b", ""]);
        assert_eq!(lines("\r\r\n\n\r"), vec!["", "", "", ""]);
        // Python's other line breaks do not end a line of a file.
        assert_eq!(lines("\u{e9}\r\n\u{2028}\n"), vec!["\u{e9}", "\u{2028}"]);
    }
}
