//! The INI dialect of Python's `configparser.RawConfigParser` with default
//! options, as botocore's `configloader.raw_config_parse` uses it.
//!
//! rust-ini cannot express these rules (continuation by relative indent,
//! comments inside values, `:` delimiters, `[DEFAULT]` copying, duplicate
//! errors) and took ~50 ms / 26 MB on a 1.4 MB config; this reader takes a
//! few milliseconds (see `benches/load.rs`).

use std::fmt;

/// A value as botocore sees it: a plain string, or a one-level sub-section
/// (a value that starts with a newline).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Str(String),
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

/// Ordered key/value settings of one section (keys already lower-cased).
pub type Settings = Vec<(String, Value)>;

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
pub fn set(settings: &mut Settings, key: String, value: Value) {
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
        let end = rest.iter().position(|&b| b == b'\n' || b == b'\r');
        let (line, next) = match end {
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

/// A value being collected: its lines and where it started.
struct PendingValue {
    lines: Vec<String>,
    line: usize,
}

struct SectionBuilder {
    name: String,
    line: usize,
    keys: Vec<(String, PendingValue)>,
}

/// Parses text with configparser's rules.
pub fn parse(text: &str) -> Result<IniFile, ParseError> {
    let mut sections: Vec<SectionBuilder> = Vec::new();
    let mut defaults = SectionBuilder {
        name: "DEFAULT".into(),
        line: 0,
        keys: Vec::new(),
    };
    // Which section receives options: None before any header,
    // Some(None) for [DEFAULT], Some(Some(i)) for sections[i].
    let mut current: Option<Option<usize>> = None;
    let mut has_option = false;
    let mut indent_level = 0usize;
    // configparser collects "no delimiter" errors and raises the first
    // at the end; structural errors raise at once.
    let mut deferred: Option<ParseError> = None;

    for (index, raw) in universal_lines(text).enumerate() {
        let lineno = index + 1;
        let stripped = py_strip(raw);
        if stripped.starts_with('#') || stripped.starts_with(';') {
            continue;
        }
        if stripped.is_empty() {
            if has_option {
                if let Some(cur) = current {
                    let sec = match cur {
                        None => &mut defaults,
                        Some(i) => &mut sections[i],
                    };
                    if let Some((_, v)) = sec.keys.last_mut() {
                        v.lines.push(String::new());
                    }
                }
            }
            continue;
        }
        let indent = raw.chars().take_while(|&c| is_py_space(c)).count();
        if let (Some(cur), true) = (current, has_option) {
            if indent > indent_level {
                let sec = match cur {
                    None => &mut defaults,
                    Some(i) => &mut sections[i],
                };
                if let Some((_, v)) = sec.keys.last_mut() {
                    v.lines.push(stripped.to_string());
                }
                continue;
            }
        }
        indent_level = indent;
        if let Some(name) = section_header(stripped) {
            has_option = false;
            if name == "DEFAULT" {
                current = Some(None);
                continue;
            }
            if sections.iter().any(|s| s.name == name) {
                return Err(ParseError {
                    line: lineno,
                    reason: format!("section [{name}] appears twice; merge or rename one"),
                });
            }
            sections.push(SectionBuilder {
                name: name.to_string(),
                line: lineno,
                keys: Vec::new(),
            });
            current = Some(Some(sections.len() - 1));
            continue;
        }
        let Some(cur) = current else {
            return Err(ParseError {
                line: lineno,
                reason: "text before the first [section] header".into(),
            });
        };
        let sec = match cur {
            None => &mut defaults,
            Some(i) => &mut sections[i],
        };
        match split_option(stripped) {
            Some((key, value)) => {
                let key_is_empty = key.is_empty();
                if key_is_empty && deferred.is_none() {
                    deferred = Some(ParseError {
                        line: lineno,
                        reason: "option with an empty name".into(),
                    });
                }
                if sec.keys.iter().any(|(k, _)| *k == key) {
                    return Err(ParseError {
                        line: lineno,
                        reason: format!("option '{key}' appears twice in [{}]; keep one", sec.name),
                    });
                }
                sec.keys.push((
                    key,
                    PendingValue {
                        lines: vec![value.to_string()],
                        line: lineno,
                    },
                ));
                // An empty key is an error already; configparser's
                // `if optname` then stops continuations, and so do we.
                has_option = !key_is_empty;
            }
            None => {
                if deferred.is_none() {
                    deferred = Some(ParseError {
                        line: lineno,
                        reason: format!(
                            "expected 'key = value' or a [section] header, found '{}'",
                            truncate(stripped, 60)
                        ),
                    });
                }
            }
        }
    }
    if let Some(err) = deferred {
        return Err(err);
    }
    let defaults = finish_values(defaults.keys)?;
    let mut out = Vec::with_capacity(sections.len());
    for sec in sections {
        let mut settings = finish_values(sec.keys)?;
        // configparser's options(): section keys first, then default-only keys.
        for (k, v) in &defaults {
            if !has(&settings, k) {
                settings.push((k.clone(), v.clone()));
            }
        }
        out.push(Section {
            name: sec.name,
            line: sec.line,
            settings,
        });
    }
    Ok(IniFile {
        sections: out,
        defaults,
    })
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

/// Splits at the first `=` or `:`; the key is right-stripped and lower-cased.
fn split_option(stripped: &str) -> Option<(String, &str)> {
    let at = stripped.find(['=', ':'])?;
    let key = stripped[..at].trim_end_matches(is_py_space).to_lowercase();
    let value = py_strip(&stripped[at + 1..]);
    Some((key, value))
}

fn finish_values(keys: Vec<(String, PendingValue)>) -> Result<Settings, ParseError> {
    let mut out = Vec::with_capacity(keys.len());
    for (key, pending) in keys {
        let value = if pending.lines.len() == 1 {
            pending.lines.into_iter().next().unwrap_or_default()
        } else {
            let joined = pending.lines.join("\n");
            joined.trim_end_matches(is_py_space).to_string()
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
            Value::Str(value)
        };
        out.push((key, value));
    }
    Ok(out)
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
}
