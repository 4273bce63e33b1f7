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

use crate::fast::ini as simple;
use crate::fast::swar::{position, position2};

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

/// The hasher for maps and sets keyed by names from the user's own files
/// (foldhash): SipHash's flooding resistance buys nothing there and cost
/// about a tenth of the load time at 10,000 profiles. Fixed-seeded, so a
/// run's behaviour never depends on a random seed.
pub type NameHasher = foldhash::fast::FixedState;

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
    /// The name between the first `[` and the last `]`, unstripped
    /// (inline when short, as nearly all are).
    pub name: Key,
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
/// [`crate::aws::config::FileError`] adds the file's path.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
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
        let (eol, next) = split_line(bytes, start, bytes.len());
        let line = &text[start..eol];
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

/// Parses text with configparser's rules (see [`read`]): every section
/// with its own settings, then the `[DEFAULT]` values it lacks.
pub fn parse(text: &str) -> Result<IniFile, ParseError> {
    let mut own = Vec::new();
    let raw = read(text, Some(&mut own))?;
    let defaults = raw.usable_defaults();
    let sections = own
        .into_iter()
        .enumerate()
        .map(|(i, settings)| raw.build_section(i, settings, &defaults))
        .collect();
    Ok(IniFile { sections, defaults })
}

/// Keys whose values are secrets: never printed, error messages included.
pub fn is_secret_key(key: &str) -> bool {
    [
        "aws_secret_access_key",
        "aws_session_token",
        "aws_security_token",
    ]
    .iter()
    .any(|secret| key.eq_ignore_ascii_case(secret))
}

/// What is shown instead of a secret.
pub const MASK: &str = "********";

/// The first word of a line, for an error message, when it looks like a
/// setting's name: `aws_secret_access_key`, `region`, `REGION_NAME`. Only a
/// name is ever shown, never what follows it: the rest of a line without a
/// delimiter (or a line that is all one word) can be a pasted secret, and
/// an AWS secret or key id is neither all lower case nor upper case with
/// `_` and no digit.
pub fn key_hint(line: &str) -> Option<&str> {
    let word = py_strip(line)
        .split(|c: char| is_py_space(c) || c == '=' || c == ':')
        .next()?;
    let lower = word
        .bytes()
        .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'.'));
    let upper = word.contains('_') && word.bytes().all(|b| matches!(b, b'A'..=b'Z' | b'_'));
    let named = (1..=64).contains(&word.len())
        && word.as_bytes()[0].is_ascii_alphabetic()
        && (lower || upper);
    named.then_some(word)
}

/// `the line starting "NAME"`, or `this line` when no name can be told.
fn line_described(line: &str) -> String {
    match key_hint(line) {
        Some(name) => format!("the line starting \"{name}\""),
        None => "this line (not shown: it may hold a secret)".into(),
    }
}

/// A key as an error message may show it: itself when it looks like a
/// name (see [`key_hint`]), else nothing of it.
fn key_described(key: &str) -> String {
    match key_hint(key) {
        // Single quotes, as configparser's own messages name options.
        Some(name) if name.len() == key.len() => format!("'{name}'"),
        _ => "on this line (not shown: it may hold a secret)".into(),
    }
}

/// The secret-named key a continuation line of `value` assigns, if any:
/// `region = us-east-1` then an indented `aws_secret_access_key = ...`
/// makes the secret part of `region` (configparser joins indented lines to
/// the value above), so the whole value must be masked wherever shown.
pub fn hidden_secret_key(value: &str) -> Option<&str> {
    // Nearly every value is one line: one search and done.
    let first_break = position(value.as_bytes(), b'\n')?;
    value[first_break + 1..]
        .split('\n')
        .find_map(secret_assigned)
}

/// Whether `value` is masked wherever it is shown: a continuation line in it
/// assigns a secret ([`hidden_secret_key`]), or is not a setting at all (a
/// pasted key or token that an indent joined to the value above: awsp cannot
/// tell it from a secret, so it shows none of it).
pub fn hides_secret(value: &str) -> bool {
    let Some(first_break) = position(value.as_bytes(), b'\n') else {
        return false;
    };
    value[first_break + 1..]
        .split('\n')
        .any(|line| secret_assigned(line).is_some() || !plain_continuation(line))
}

/// A continuation line that can be shown: blank, one name-like word, or
/// `name = value` / `name: value` with a name-like key (a sub-section's
/// entries, as in `s3 =` then `  max_concurrent_requests = 20`).
fn plain_continuation(line: &str) -> bool {
    let line = py_strip(line);
    if line.is_empty() {
        return true;
    }
    let head = match line.find(['=', ':']) {
        Some(at) => py_strip(&line[..at]),
        None => line,
    };
    key_hint(head).is_some_and(|name| name.len() == head.len())
}

/// The secret-named key a line assigns (`name = value` or `name: value`).
fn secret_assigned(line: &str) -> Option<&str> {
    let at = line.find(['=', ':'])?;
    let key = py_strip(&line[..at]);
    is_secret_key(key).then_some(key)
}

/// The 1-based line of the first continuation line of option `key` (lower
/// case) that assigns a secret, in the section whose header is on
/// `header_line`: for a message that says which line to fix.
pub fn indented_secret_line(text: &str, header_line: usize, key: &str) -> Option<usize> {
    let mut lexer = Lexer::new(text);
    let (mut in_section, mut in_key) = (false, false);
    while let Some(event) = lexer.next() {
        match event {
            Event::Header { line, .. } => (in_section, in_key) = (line == header_line, false),
            Event::Option { key: k, .. } => in_key = in_section && lower_key(k) == key,
            Event::More(more) if in_key && secret_assigned(more).is_some() => {
                return Some(lexer.line)
            }
            _ => {}
        }
    }
    None
}

/// A value as it may be shown: [`MASK`] when [`hides_secret`] says so.
pub fn shown_str(value: &str) -> std::borrow::Cow<'_, str> {
    if hides_secret(value) {
        std::borrow::Cow::Borrowed(MASK)
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// The BOM, which Python reads as a character (not whitespace) before the
/// first header.
const BOM: char = '\u{feff}';

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

/// A finished option value: its first line and continuation lines (`""`
/// for blank ones); `line` is the option's, for errors.
fn finish_value(key: &str, first: &str, more: &[&str], line: usize) -> Result<Value, ParseError> {
    if more.is_empty() {
        // The common case: one line, built inline without a heap string.
        return Ok(Value::Str(Key::from(first)));
    }
    let mut joined = String::from(first);
    for more_line in more {
        joined.push('\n');
        joined.push_str(more_line);
    }
    joined.truncate(joined.trim_end_matches(is_py_space).len());
    if joined.starts_with('\n') {
        return parse_nested(&joined)
            .map(Value::Map)
            .map_err(|bad| ParseError {
                line,
                reason: format!(
                    "the indented lines under {} are read as a sub-section, and each needs \
                     \"name = value\"; {} has no \"=\"",
                    key_described(key),
                    line_described(&bad.line)
                ),
            });
    }
    Ok(Value::Str(joined.into()))
}

/// A sub-section line without `=`, as written (after stripping). Its text
/// may hold a secret, so the message does not show it: [`line_described`]
/// shows what is safe.
#[derive(Debug, thiserror::Error)]
#[error("a sub-section line has no \"=\"")]
struct NestedLineError {
    line: String,
}

/// botocore's `_parse_nested`: each non-blank line is `key = value` split at
/// the first `=`; keys keep their case; a later duplicate wins.
fn parse_nested(value: &str) -> Result<Vec<(String, String)>, NestedLineError> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in value.split(is_py_line_break) {
        let line = py_strip(line);
        if line.is_empty() {
            continue;
        }
        let (k, v) = line.split_once('=').ok_or_else(|| NestedLineError {
            line: line.to_string(),
        })?;
        let (k, v) = (py_strip(k).to_string(), py_strip(v).to_string());
        match out.iter_mut().find(|(ek, _)| *ek == k) {
            Some(slot) => slot.1 = v,
            None => out.push((k, v)),
        }
    }
    Ok(out)
}

/// Python's `isspace` for one ASCII byte.
pub(crate) fn is_ascii_py_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0x1c..=0x1f)
}

/// [`py_strip`], with a byte-wise path when both ends are ASCII.
pub(crate) fn strip_fast(s: &str) -> &str {
    let b = s.as_bytes();
    // Most lines and values start and end with a visible ASCII byte.
    if let (Some(&first), Some(&last)) = (b.first(), b.last()) {
        if (0x21..0x80).contains(&first) && (0x21..0x80).contains(&last) {
            return s;
        }
    }
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
pub(crate) fn rstrip_fast(s: &str) -> &str {
    let b = s.as_bytes();
    if matches!(b.last(), Some(0x21..0x80)) {
        return s;
    }
    let mut end = b.len();
    while end > 0 && is_ascii_py_space(b[end - 1]) {
        end -= 1;
    }
    if end > 0 && b[end - 1] >= 0x80 {
        return s[..end].trim_end_matches(is_py_space);
    }
    &s[..end]
}

/// One line of `bytes[start..end]` with universal newlines: where its text
/// ends and where the next line starts.
pub fn split_line(bytes: &[u8], start: usize, end: usize) -> (usize, usize) {
    match position2(&bytes[start..end], b'\n', b'\r') {
        None => (end, end),
        Some(i) => {
            let eol = start + i;
            let crlf = bytes[eol] == b'\r' && eol + 1 < end && bytes[eol + 1] == b'\n';
            (eol, eol + 1 + usize::from(crlf))
        }
    }
}

/// What one meaningful line of the file is, given the lines before it.
#[derive(Debug)]
enum Event<'a> {
    /// `[name]`: `start` is where its line begins, `body` where the next begins.
    Header {
        name: &'a str,
        line: usize,
        start: usize,
        body: usize,
    },
    /// `key = value` (the key as written: not yet lower-cased).
    Option {
        key: &'a str,
        value: &'a str,
        line: usize,
    },
    /// A continuation line of the last option (`""` for a blank line).
    More(&'a str),
    /// A line with no delimiter inside a section (configparser collects it as an error).
    Junk { line: usize, text: &'a str },
    /// A line before the first header.
    Orphan { line: usize },
}

/// Splits text into [`Event`]s with configparser's state: whether a section
/// is open, whether an option may continue, and the indent that decides it.
struct Lexer<'a> {
    text: &'a str,
    pos: usize,
    end: usize,
    /// 1-based number of the last line read.
    line: usize,
    in_section: bool,
    has_option: bool,
    indent_level: usize,
}

impl<'a> Lexer<'a> {
    fn new(text: &'a str) -> Lexer<'a> {
        Lexer {
            text,
            pos: 0,
            end: text.len(),
            line: 0,
            in_section: false,
            has_option: false,
            indent_level: 0,
        }
    }

    /// A section's body (after its header line, numbered `header_line`)
    /// read again on its own: at a header configparser's state resets.
    fn section_body(text: &'a str, body: std::ops::Range<usize>, header_line: usize) -> Self {
        Lexer {
            text,
            pos: body.start,
            end: body.end,
            line: header_line,
            in_section: true,
            has_option: false,
            indent_level: 0,
        }
    }
}

impl<'a> Iterator for Lexer<'a> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        let bytes = self.text.as_bytes();
        while self.pos < self.end {
            let start = self.pos;
            let (eol, next) = split_line(bytes, start, self.end);
            self.pos = next;
            self.line += 1;
            let raw = &self.text[start..eol];
            let stripped = strip_fast(raw);
            if stripped.starts_with('#') || stripped.starts_with(';') {
                continue;
            }
            if stripped.is_empty() {
                if self.has_option && self.in_section {
                    return Some(Event::More(""));
                }
                continue;
            }
            // Most lines start with a visible ASCII byte: no indent to count.
            let indent = match raw.as_bytes().first() {
                Some(&b) if b.is_ascii() && !is_py_space(b as char) => 0,
                _ => raw.chars().take_while(|&c| is_py_space(c)).count(),
            };
            if self.in_section && self.has_option && indent > self.indent_level {
                return Some(Event::More(stripped));
            }
            self.indent_level = indent;
            if let Some(name) = section_header(stripped) {
                self.has_option = false;
                self.in_section = true;
                return Some(Event::Header {
                    name,
                    line: self.line,
                    start,
                    body: next,
                });
            }
            if !self.in_section {
                return Some(Event::Orphan { line: self.line });
            }
            // configparser splits an option at the first delimiter.
            let Some(at) = position2(stripped.as_bytes(), b'=', b':') else {
                return Some(Event::Junk {
                    line: self.line,
                    text: stripped,
                });
            };
            let key = rstrip_fast(&stripped[..at]);
            self.has_option = !key.is_empty();
            return Some(Event::Option {
                key,
                value: strip_fast(&stripped[at + 1..]),
                line: self.line,
            });
        }
        None
    }
}

/// An option whose value may still receive continuation lines.
struct Pending<'a> {
    key: std::borrow::Cow<'a, str>,
    first: &'a str,
    line: usize,
    /// Index in `RawIni::sections`, or `None` for `[DEFAULT]`.
    section: Option<usize>,
}

impl Pending<'_> {
    /// Whether the value can be a sub-section (the only values that can fail).
    fn may_nest(&self, more: &[&str]) -> bool {
        self.first.is_empty() && !more.is_empty()
    }

    fn finish(&self, more: &[&str]) -> Result<Value, ParseError> {
        finish_value(&self.key, self.first, more, self.line)
    }
}

/// One section of a checked file: where its body lies in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SectionSpan<'a> {
    pub(crate) name: &'a str,
    pub(crate) line: usize,
    /// From after the header line to the start of the next header line.
    pub(crate) body: std::ops::Range<usize>,
    /// The first of its own sub-section values that does not parse.
    pub(crate) nested_error: Option<Box<ParseError>>,
}

/// A file checked with configparser's rules and errors (and botocore's
/// sub-section parsing), kept as spans of the text: the values of a section
/// are built when asked for. `awsp status` checks the whole 10,000-profile
/// config on every prompt but needs a few sections; `parse` builds all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawIni<'a> {
    pub(crate) text: &'a str,
    pub(crate) sections: Vec<SectionSpan<'a>>,
    /// `[DEFAULT]`'s options in order; `Err` for a sub-section that does not parse.
    pub(crate) defaults: Vec<(Key, Result<Value, ParseError>)>,
}

/// `to_lowercase`, borrowing when nothing changes.
fn lower_key(key: &str) -> std::borrow::Cow<'_, str> {
    if key.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        std::borrow::Cow::Borrowed(key)
    } else {
        std::borrow::Cow::Owned(key.to_lowercase())
    }
}

/// Reads `text` as [`read_full`] does: through the fast reader of the
/// usual shape of file when it can, else through the full one.
fn read<'a>(
    text: &'a str,
    mut values: Option<&mut Vec<Settings>>,
) -> Result<RawIni<'a>, ParseError> {
    match simple::read(text, values.as_deref_mut()) {
        Some(raw) => Ok(raw),
        None => read_full(text, values),
    }
}

/// The one full reader of the dialect. Checks `text` as configparser reads it
/// and fails with its first error, in its order: duplicates and text
/// before a header at once, then the first line without a delimiter (or
/// with an empty key), then sub-section values as botocore parses them.
/// With `values`, every section's own settings are built on the way (one
/// pass for `parse`); without, only spans are kept (`RawIni::scan`).
pub(crate) fn read_full<'a>(
    text: &'a str,
    mut values: Option<&mut Vec<Settings>>,
) -> Result<RawIni<'a>, ParseError> {
    let mut out = RawIni {
        text,
        sections: Vec::with_capacity(text.len() / 128),
        defaults: Vec::new(),
    };
    let mut seen: HashSet<&str, NameHasher> = Default::default();
    seen.reserve(text.len() / 128);
    let mut deferred: Option<ParseError> = None;
    // None before any header, Some(None) in [DEFAULT], Some(Some(i)) in sections[i].
    let mut current: Option<Option<usize>> = None;
    let mut own_keys: Vec<std::borrow::Cow<'a, str>> = Vec::new();
    let mut pending: Option<Pending<'a>> = None;
    let mut more: Vec<&'a str> = Vec::new();

    for event in Lexer::new(text) {
        match event {
            Event::More(line) => more.push(line),
            Event::Header {
                name,
                line,
                start,
                body,
            } => {
                out.settle(pending.take(), &more, values.as_deref_mut());
                if let Some(Some(i)) = current {
                    out.sections[i].body.end = start;
                }
                if name == "DEFAULT" {
                    current = Some(None);
                    continue;
                }
                if !seen.insert(name) {
                    // Section names are escaped in the error itself (the
                    // one use of output/ in aws/): every caller shows the
                    // message as it is, on a terminal or in JSON.
                    return Err(ParseError {
                        line,
                        reason: format!(
                            "section [{}] appears twice; merge or rename one",
                            crate::output::human::printable(name)
                        ),
                    });
                }
                out.sections.push(SectionSpan {
                    name,
                    line,
                    body: body..body,
                    nested_error: None,
                });
                if let Some(values) = values.as_deref_mut() {
                    values.push(Settings::with_capacity(6));
                }
                own_keys.clear();
                current = Some(Some(out.sections.len() - 1));
            }
            Event::Orphan { line } => return Err(orphan_error(text, line)),
            Event::Junk { line, text } => {
                if deferred.is_none() {
                    deferred = Some(ParseError {
                        line,
                        reason: format!(
                            "expected \"key = value\" or a [section] header; {} has no \"=\" or \":\"",
                            line_described(text)
                        ),
                    });
                }
            }
            Event::Option { key, value, line } => {
                out.settle(pending.take(), &more, values.as_deref_mut());
                more.clear();
                let key = lower_key(key);
                if key.is_empty() && deferred.is_none() {
                    deferred = Some(ParseError {
                        line,
                        reason:
                            "an option with an empty name: the line starts with \"=\" or \":\"; \
                                 put the setting's name before it"
                                .into(),
                    });
                }
                let section = current.flatten();
                let (duplicate, sec_name) = match section {
                    None => (out.defaults.iter().any(|(k, _)| *k == *key), "DEFAULT"),
                    Some(i) => (own_keys.contains(&key), out.sections[i].name),
                };
                if duplicate {
                    return Err(ParseError {
                        line,
                        reason: format!(
                            "option {} appears twice in [{}]; keep one",
                            key_described(&key),
                            crate::output::human::printable(sec_name)
                        ),
                    });
                }
                if section.is_some() {
                    own_keys.push(key.clone());
                }
                pending = Some(Pending {
                    key,
                    first: value,
                    line,
                    section,
                });
            }
        }
    }
    out.settle(pending.take(), &more, values);
    if let Some(Some(i)) = current {
        out.sections[i].body.end = text.len();
    }
    if let Some(err) = deferred {
        return Err(err);
    }
    out.check_sub_sections()?;
    Ok(out)
}

/// Text before the first header: named for what it is when it is a
/// byte-order mark (the line looks fine in an editor), never quoted.
fn orphan_error(text: &str, line: usize) -> ParseError {
    let reason = if line == 1 && text.starts_with(BOM) {
        "the file starts with a UTF-8 byte-order mark (BOM), which the AWS CLI cannot read; \
         save it without BOM"
    } else {
        "text before the first [section] header; put a header such as [default] above it"
    };
    ParseError {
        line,
        reason: reason.into(),
    }
}

impl<'a> RawIni<'a> {
    /// Checks `text` as [`parse`] does and fails with the same error,
    /// building only `[DEFAULT]`'s values and sub-sections.
    pub fn scan(text: &'a str) -> Result<RawIni<'a>, ParseError> {
        read(text, None)
    }

    /// Files a finished option: `[DEFAULT]`'s always, a section's into
    /// `values` when they are wanted. Sub-sections are always parsed, to
    /// find the errors botocore would raise.
    fn settle(
        &mut self,
        pending: Option<Pending<'a>>,
        more: &[&'a str],
        values: Option<&mut Vec<Settings>>,
    ) {
        let Some(p) = pending else {
            return;
        };
        let Some(i) = p.section else {
            self.defaults
                .push((Key::from(p.key.as_ref()), p.finish(more)));
            return;
        };
        if values.is_none() && !p.may_nest(more) {
            return;
        }
        match p.finish(more) {
            Ok(value) => {
                if let Some(settings) = values.and_then(|v| v.last_mut()) {
                    settings.push((Key::from(p.key.as_ref()), value));
                }
            }
            Err(err) => {
                let first = &mut self.sections[i].nested_error;
                if first.is_none() {
                    *first = Some(Box::new(err));
                }
            }
        }
    }

    /// Sub-sections in botocore's order (see `inherit_defaults`): each
    /// section's own values, then the `[DEFAULT]` values it inherits.
    fn check_sub_sections(&self) -> Result<(), ParseError> {
        let default_errors: Vec<(&Key, &ParseError)> = self
            .defaults
            .iter()
            .filter_map(|(k, v)| Some((k, v.as_ref().err()?)))
            .collect();
        for (i, sec) in self.sections.iter().enumerate() {
            if let Some(err) = &sec.nested_error {
                return Err((**err).clone());
            }
            if default_errors.is_empty() {
                continue;
            }
            let own: Vec<std::borrow::Cow<'a, str>> =
                self.own_options(i).map(|(p, _)| p.key).collect();
            if let Some((_, err)) = default_errors
                .iter()
                .find(|(name, _)| !own.iter().any(|k| k == name.as_str()))
            {
                return Err((*err).clone());
            }
        }
        Ok(())
    }

    /// A section's own options, read again from its span, each with its
    /// continuation lines (`""` for blank ones).
    fn own_options(
        &self,
        section: usize,
    ) -> impl Iterator<Item = (Pending<'a>, Vec<&'a str>)> + '_ {
        let sec = &self.sections[section];
        let mut lexer = Lexer::section_body(self.text, sec.body.clone(), sec.line);
        let mut pending: Option<(Pending<'a>, Vec<&'a str>)> = None;
        // An option is complete when the next one starts or the body ends.
        std::iter::from_fn(move || loop {
            match lexer.next() {
                Some(Event::Option { key, value, line }) => {
                    let next = Pending {
                        key: lower_key(key),
                        first: value,
                        line,
                        section: Some(section),
                    };
                    if let Some(done) = pending.replace((next, Vec::new())) {
                        return Some(done);
                    }
                }
                Some(Event::More(line)) => {
                    if let Some((_, more)) = &mut pending {
                        more.push(line);
                    }
                }
                Some(_) => {}
                None => return pending.take(),
            }
        })
    }

    /// A section's own settings, built from its span.
    fn own_settings(&self, section: usize) -> Result<Settings, ParseError> {
        self.own_options(section)
            .map(|(p, more)| Ok((Key::from(p.key.as_ref()), p.finish(&more)?)))
            .collect()
    }

    /// Section names with their header lines, in file order.
    pub fn section_names(&self) -> impl Iterator<Item = (&'a str, usize)> + '_ {
        self.sections.iter().map(|s| (s.name, s.line))
    }

    /// The value of `key` in section number `section` as [`parse`] would
    /// give it (`[DEFAULT]` included).
    pub fn value(&self, section: usize, key: &str) -> Option<Value> {
        if section >= self.sections.len() {
            return None;
        }
        let own = self.own_settings(section).ok()?;
        match get(&own, key) {
            Some(v) => Some(v.clone()),
            None => self
                .defaults
                .iter()
                .find(|(k, _)| k == key)
                .and_then(|(_, v)| v.as_ref().ok().cloned()),
        }
    }

    /// `[DEFAULT]`'s values that parse: one that does not is inherited by
    /// no section (reading would have failed).
    fn usable_defaults(&self) -> Settings {
        self.defaults
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.as_ref().ok()?.clone())))
            .collect()
    }

    /// What [`parse`] gives, with only the sections whose number `keep`
    /// accepts (`[DEFAULT]` is applied to them and kept as `defaults`).
    pub fn to_ini_file(&self, keep: &dyn Fn(usize) -> bool) -> Result<IniFile, ParseError> {
        let defaults = self.usable_defaults();
        let mut sections = Vec::new();
        for i in (0..self.sections.len()).filter(|&i| keep(i)) {
            sections.push(self.build_section(i, self.own_settings(i)?, &defaults));
        }
        Ok(IniFile { sections, defaults })
    }

    /// A [`Section`] from its own settings and the inherited defaults.
    fn build_section(&self, i: usize, mut settings: Settings, defaults: &Settings) -> Section {
        for (k, v) in defaults {
            if !has(&settings, k) {
                settings.push((k.clone(), v.clone()));
            }
        }
        let sec = &self.sections[i];
        Section {
            name: Key::from(sec.name),
            line: sec.line,
            settings,
        }
    }
}

/// A seeded generator for the random-file tests: `next(n)` is in `0..n`
/// (a 64-bit LCG; the same seed gives the same files on every run).
#[cfg(test)]
pub(crate) fn seeded(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |n| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
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
    fn a_bom_is_named_as_such() {
        for text in ["\u{feff}[a]\n", "\u{feff}# c\n[a]\n", "\u{feff}\n[a]\n"] {
            let err = parse(text).unwrap_err();
            assert_eq!(err.line, 1, "{text:?}");
            assert!(err.reason.contains("byte-order mark (BOM)"), "{err:?}");
            assert!(err.reason.contains("save it without BOM"), "{err:?}");
        }
        // Text before a header without a BOM is still called that.
        let err = parse("k = v\n").unwrap_err();
        assert!(err.reason.contains("before the first [section]"), "{err:?}");
    }

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETzz";

    /// Every error the reader can give, on lines that hold a secret: the
    /// reason says what was expected and names at most the key.
    #[test]
    fn no_error_quotes_a_line_that_can_hold_a_secret() {
        let s = SECRET;
        let cases: Vec<(String, usize, &str)> = vec![
            // No delimiter, key first: the key is named.
            (
                format!("[c]\naws_secret_access_key {s}\n"),
                2,
                "\"aws_secret_access_key\" has no \"=\" or \":\"",
            ),
            // No delimiter, the secret alone on its line: nothing of it.
            (
                format!("[c]\n{s}\n"),
                2,
                "(not shown: it may hold a secret)",
            ),
            (format!("[c]\nAKIAIOSFODNN7EXAMPLE{s}\n"), 2, "not shown"),
            // Text before the first header.
            (
                format!("aws_secret_access_key = {s}\n[c]\n"),
                1,
                "before the first [section]",
            ),
            (format!("\u{feff}aws_secret_access_key = {s}\n"), 1, "(BOM)"),
            // A sub-section line without `=`.
            (
                format!("[c]\ns3 =\n  aws_secret_access_key {s}\n"),
                2,
                "\"aws_secret_access_key\" has no \"=\"",
            ),
            (format!("[c]\ns3 =\n  {s}\n"), 2, "not shown"),
            // Duplicate options: a key with the secret in it is not shown.
            (
                format!("[c]\naws_session_token {s}==\naws_session_token {s}==\n"),
                3,
                "appears twice in [c]",
            ),
            (
                format!("[c]\naws_secret_access_key = {s}\naws_secret_access_key = {s}\n"),
                3,
                "'aws_secret_access_key' appears twice",
            ),
            (
                format!("[DEFAULT]\nx = {s}\nx = {s}\n"),
                3,
                "appears twice in [DEFAULT]",
            ),
            // Empty key.
            (format!("[c]\n= {s}\n"), 2, "empty name"),
            // Duplicate section.
            (format!("[c]\nk = {s}\n[c]\n"), 3, "appears twice"),
        ];
        for (text, line, needle) in cases {
            let err = parse(&text).unwrap_err();
            assert_eq!(err.line, line, "{text:?}: {err:?}");
            assert!(err.reason.contains(needle), "{text:?}: {err:?}");
            for part in ["wJalr", "SECRET", "AKIA", "K7MDENG"] {
                assert!(!err.reason.contains(part), "{text:?} leaks: {err:?}");
            }
        }
        let bad = [b"[c]\naws_secret_access_key = wJalr".as_slice(), b"\xff\n"].concat();
        let err = decode(&bad).unwrap_err();
        assert!(!err.reason.contains("wJalr"), "{err:?}");
    }

    #[test]
    fn key_hints_are_names_only() {
        assert_eq!(
            key_hint("  aws_secret_access_key  wJalr"),
            Some("aws_secret_access_key")
        );
        assert_eq!(key_hint("REGION_NAME x"), Some("REGION_NAME"));
        assert_eq!(key_hint("region"), Some("region"));
        assert_eq!(key_hint(SECRET), None);
        assert_eq!(key_hint("AKIAIOSFODNN7EXAMPLE"), None);
        assert_eq!(key_hint("wJalrXUtnFEMIK7MDENGbPxRfiCYzzSECRETzz"), None);
        assert_eq!(key_hint(""), None);
    }

    #[test]
    fn continuation_lines_that_assign_secrets_are_found() {
        let f = parse(&format!(
            "[c]\nregion = us-east-1\n  aws_secret_access_key = {SECRET}\nplain = a\n  b = c\n\
             tok = x\n\tAWS_Session_Token: t\n"
        ))
        .unwrap();
        let value = |k| get_str(&f.sections[0].settings, k).unwrap();
        assert_eq!(
            hidden_secret_key(value("region")),
            Some("aws_secret_access_key")
        );
        assert_eq!(shown_str(value("region")), MASK);
        assert_eq!(hidden_secret_key(value("plain")), None);
        assert_eq!(shown_str(value("plain")), "a\nb = c");
        assert_eq!(hidden_secret_key(value("tok")), Some("AWS_Session_Token"));
        assert_eq!(hidden_secret_key("aws_secret_access_key = x"), None);
        let text = "[a]\nregion = r\n  aws_secret_access_key = s\n[c]\nregion = r\n# c\n\n  x\n  aws_session_token: t\n";
        assert_eq!(indented_secret_line(text, 1, "region"), Some(3));
        assert_eq!(indented_secret_line(text, 4, "region"), Some(9));
        assert_eq!(indented_secret_line(text, 4, "other"), None);
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
                        sec.name.to_string(),
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

    /// `scan` keeps spans and builds values later; `parse` builds them on
    /// the way. On random files both must give the same result, error and
    /// values, whichever sections are asked for.
    #[test]
    fn scan_then_build_agrees_with_parse_on_random_files() {
        const LINES: &[&str] = &[
            "[a]",
            "[b]",
            "[DEFAULT]",
            "  [c]",
            "[profile x]",
            "k = v",
            "K = w",
            "j: 1",
            "s3 =",
            "  x = 1",
            "  bad",
            "\tdeep = 2",
            "",
            "   ",
            "# c",
            "; c",
            "= e",
            "junk",
            "region = r",
            " indented = i",
            "[a]",
            "x=",
            "\u{a0}u = 1",
        ];
        let mut next = seeded(0x5eed);
        let mut checked_ok = 0;
        for _ in 0..4000 {
            let count = 1 + next(12);
            let mut text = String::new();
            for _ in 0..count {
                text.push_str(LINES[next(LINES.len())]);
                text.push_str(["\n", "\r\n", "\r"][next(3)]);
            }
            let parsed = parse(&text);
            let raw = RawIni::scan(&text);
            let built = raw
                .as_ref()
                .map_err(Clone::clone)
                .and_then(|r| r.to_ini_file(&|_| true));
            assert_eq!(built, parsed, "{text:?}");
            let (Ok(raw), Ok(parsed)) = (raw, parsed) else {
                continue;
            };
            checked_ok += 1;
            for (i, section) in parsed.sections.iter().enumerate() {
                for key in ["k", "j", "s3", "region", "x", "nope"] {
                    assert_eq!(
                        raw.value(i, key).as_ref(),
                        get(&section.settings, key),
                        "{text:?}"
                    );
                }
                let one = raw.to_ini_file(&|j| j == i).unwrap();
                assert_eq!(one.sections, vec![section.clone()], "{text:?}");
            }
        }
        assert!(checked_ok > 400, "too few valid files: {checked_ok}");
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
