//! Per-shell quoting: the code (or for nu the JSON) that applies an
//! [`EnvChange`], written so that any value arrives as exactly that value
//! and nothing else runs. `tests/it/handoff_shells.rs` checks this in the real
//! shells on hostile values.

use super::{EnvChange, Shell};

/// Variable names are fixed identifiers chosen by awsp, never user data; they
/// are emitted unquoted, so they must be plain identifiers.
fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('A'..='Z' | '_'))
        && chars.all(|c| matches!(c, 'A'..='Z' | '0'..='9' | '_'))
}

fn check_name(name: &str) -> &str {
    debug_assert!(
        is_valid_name(name),
        "environment variable name {name:?} is not [A-Z_][A-Z0-9_]*"
    );
    name
}

/// NUL cannot be part of an environment variable (execve strings end at it)
/// nor survive a shell's command substitution, so it is dropped rather than
/// emitted. A profile name with NUL never gets here (`awsp` refuses to
/// switch to it: `aws::envname::unswitchable_reason`); this is the last guard.
fn without_nul(value: &str) -> std::borrow::Cow<'_, str> {
    if value.contains('\0') {
        value.replace('\0', "").into()
    } else {
        value.into()
    }
}

/// POSIX sh single quotes (bash, zsh, dash, ksh): nothing inside is special
/// except `'` itself, which cannot be escaped inside; close, add `\'`, reopen.
/// A closing quote is always followed by `\` or the end, never by another
/// quote, so zsh's RC_QUOTES option (`''` means `'`) cannot change the meaning.
pub fn quote_posix(value: &str) -> String {
    let value = without_nul(value);
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// fish single quotes: the only escapes are `\'` and `\\`; everything else,
/// newlines included, is literal.
pub fn quote_fish(value: &str) -> String {
    let value = without_nul(value);
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\'' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// PowerShell verbatim (single-quoted) strings: a quote is written twice.
/// PowerShell treats U+2018, U+2019, U+201A and U+201B as single quotes too,
/// so each of those is doubled as well (as PowerShell's own
/// `CodeGeneration.EscapeSingleQuotedStringContent` does).
pub fn quote_powershell(value: &str) -> String {
    let value = without_nul(value);
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// Shell code (or for Nu: a JSON document) that applies `change`, quoted so
/// that ANY value (every character a UTF-8 string can hold except NUL:
/// quotes, `$`, backtick, backslash, `;`, `&`, `|`, newline, spaces, unicode,
/// leading `-`) becomes exactly that value and nothing else runs.
///
/// Unsets come first, then sets, one statement per line. An empty change
/// renders as an empty string (`{"set":{},"unset":[]}` for Nu).
pub fn render(shell: Shell, change: &EnvChange) -> String {
    match shell {
        Shell::Bash | Shell::Zsh | Shell::Posix => statements(
            change,
            |name| format!("unset {name}"),
            |name, value| format!("export {name}={}", quote_posix(value)),
        ),
        // `-g`: erase only the global; a universal variable of the same
        // name is the user's persistent setting and must not be erased
        // for every fish session by a profile switch. `--` ends options
        // before the name (the value is quoted anyway).
        Shell::Fish => statements(
            change,
            |name| format!("set -e -g -- {name}"),
            |name, value| format!("set -gx -- {name} {}", quote_fish(value)),
        ),
        Shell::PowerShell => statements(
            change,
            |name| format!("Remove-Item -LiteralPath Env:{name} -ErrorAction SilentlyContinue"),
            |name, value| format!("$env:{name} = {}", quote_powershell(value)),
        ),
        Shell::Nu => nu_document(change),
    }
}

/// One line per unset, then one per set; names checked, values quoted by
/// `set` itself.
fn statements(
    change: &EnvChange,
    unset: fn(&str) -> String,
    set: fn(&str, &str) -> String,
) -> String {
    let mut out = String::new();
    for name in &change.unset {
        out.push_str(&unset(check_name(name)));
        out.push('\n');
    }
    for (name, value) in &change.set {
        out.push_str(&set(check_name(name), value));
        out.push('\n');
    }
    out
}

/// The nu function's JSON document, `{"set":{...},"unset":[...]}`, ASCII only.
fn nu_document(change: &EnvChange) -> String {
    let mut set = serde_json::Map::new();
    for (name, value) in &change.set {
        set.insert(
            check_name(name).to_owned(),
            serde_json::Value::String(without_nul(value).into_owned()),
        );
    }
    let unset: Vec<serde_json::Value> = change
        .unset
        .iter()
        .map(|name| serde_json::Value::String(check_name(name).to_owned()))
        .collect();
    let doc = serde_json::json!({ "set": set, "unset": unset });
    format!("{}\n", ascii_json(&doc.to_string()))
}

/// Rewrites every non-ASCII character of serialized JSON as `\uXXXX`
/// (UTF-16, surrogate pairs above U+FFFF). Non-ASCII can only occur inside
/// JSON strings, where this escape means the same character, so the document
/// is unchanged in meaning but pure ASCII: no shell or platform text encoding
/// can mangle it on its way through the file.
fn ascii_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASES: &[&str] = &[
        "",
        "plain",
        "it's",
        "''",
        "\\",
        "a\\'b",
        "new\nline",
        "ünï €",
        "-n",
        "--",
        "$(x)`y`",
    ];

    #[test]
    fn posix_quoting() {
        assert_eq!(quote_posix(""), "''");
        assert_eq!(quote_posix("plain"), "'plain'");
        assert_eq!(quote_posix("it's"), "'it'\\''s'");
        assert_eq!(quote_posix("''"), "''\\'''\\'''");
        assert_eq!(quote_posix("\\"), "'\\'");
        assert_eq!(quote_posix("new\nline"), "'new\nline'");
        assert_eq!(quote_posix("ünï €"), "'ünï €'");
        assert_eq!(quote_posix("-n"), "'-n'");
        assert_eq!(quote_posix("$(x)`y`"), "'$(x)`y`'");
        assert_eq!(quote_posix("a\0b"), "'ab'");
    }

    #[test]
    fn posix_quotes_never_touch() {
        // A closing quote directly followed by another quote would read as a
        // literal quote under zsh's RC_QUOTES: scan the quoted regions.
        for case in CASES {
            let q: Vec<char> = quote_posix(case).chars().collect();
            let (mut i, mut in_quote) = (0, false);
            while i < q.len() {
                match (in_quote, q[i]) {
                    (true, '\'') => {
                        assert_ne!(q.get(i + 1), Some(&'\''), "{case:?}");
                        in_quote = false;
                    }
                    (false, '\'') => in_quote = true,
                    (false, '\\') => i += 1,
                    (false, c) => panic!("unquoted {c:?} in {case:?}"),
                    (true, _) => {}
                }
                i += 1;
            }
            assert!(!in_quote, "{case:?}");
        }
    }

    #[test]
    fn fish_quoting() {
        assert_eq!(quote_fish(""), "''");
        assert_eq!(quote_fish("it's"), "'it\\'s'");
        assert_eq!(quote_fish("\\"), "'\\\\'");
        assert_eq!(quote_fish("a\\'b"), "'a\\\\\\'b'");
        assert_eq!(quote_fish("new\nline"), "'new\nline'");
        assert_eq!(quote_fish("ünï €"), "'ünï €'");
        assert_eq!(quote_fish("-n"), "'-n'");
        assert_eq!(quote_fish("$HOME (x) *"), "'$HOME (x) *'");
    }

    #[test]
    fn powershell_quoting() {
        assert_eq!(quote_powershell(""), "''");
        assert_eq!(quote_powershell("it's"), "'it''s'");
        assert_eq!(quote_powershell("\\"), "'\\'");
        assert_eq!(quote_powershell("new\nline"), "'new\nline'");
        assert_eq!(quote_powershell("ünï €"), "'ünï €'");
        assert_eq!(quote_powershell("-n"), "'-n'");
        assert_eq!(quote_powershell("$env:X`n"), "'$env:X`n'");
        assert_eq!(
            quote_powershell("a\u{2018}b\u{2019}c\u{201A}d\u{201B}e"),
            "'a\u{2018}\u{2018}b\u{2019}\u{2019}c\u{201A}\u{201A}d\u{201B}\u{201B}e'"
        );
        // Double quotes (and their unicode forms) are not special in verbatim strings.
        assert_eq!(quote_powershell("a\"b\u{201C}"), "'a\"b\u{201C}'");
    }

    fn sample() -> EnvChange {
        EnvChange {
            set: vec![
                ("AWS_PROFILE".into(), "it's $x".into()),
                ("AWSP_PREVIOUS".into(), "-n".into()),
            ],
            unset: vec!["AWS_DEFAULT_PROFILE".into()],
        }
    }

    #[test]
    fn render_posix_family() {
        let want = "unset AWS_DEFAULT_PROFILE\n\
                    export AWS_PROFILE='it'\\''s $x'\n\
                    export AWSP_PREVIOUS='-n'\n";
        assert_eq!(render(Shell::Bash, &sample()), want);
        assert_eq!(render(Shell::Zsh, &sample()), want);
        assert_eq!(render(Shell::Posix, &sample()), want);
    }

    #[test]
    fn render_fish() {
        assert_eq!(
            render(Shell::Fish, &sample()),
            "set -e -g -- AWS_DEFAULT_PROFILE\n\
             set -gx -- AWS_PROFILE 'it\\'s $x'\n\
             set -gx -- AWSP_PREVIOUS '-n'\n"
        );
    }

    #[test]
    fn render_powershell() {
        assert_eq!(
            render(Shell::PowerShell, &sample()),
            "Remove-Item -LiteralPath Env:AWS_DEFAULT_PROFILE -ErrorAction SilentlyContinue\n\
             $env:AWS_PROFILE = 'it''s $x'\n\
             $env:AWSP_PREVIOUS = '-n'\n"
        );
    }

    #[test]
    fn render_nu_is_json() {
        let doc: serde_json::Value =
            serde_json::from_str(&render(Shell::Nu, &sample())).expect("valid JSON");
        assert_eq!(
            doc,
            serde_json::json!({
                "set": {"AWS_PROFILE": "it's $x", "AWSP_PREVIOUS": "-n"},
                "unset": ["AWS_DEFAULT_PROFILE"],
            })
        );
        let hostile = EnvChange {
            set: vec![("AWS_PROFILE".into(), "ünï € 🦀 \"q\" \\ \n".into())],
            unset: vec![],
        };
        let json = render(Shell::Nu, &hostile);
        assert!(json.is_ascii(), "{json}");
        assert!(
            json.contains("\\u00fc") && json.contains("\\ud83e\\udd80"),
            "{json}"
        );
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["set"]["AWS_PROFILE"], "ünï € 🦀 \"q\" \\ \n");
        let empty: serde_json::Value =
            serde_json::from_str(&render(Shell::Nu, &EnvChange::default())).unwrap();
        assert_eq!(empty, serde_json::json!({"set": {}, "unset": []}));
    }

    #[test]
    fn render_empty_change_is_empty_code() {
        for shell in [Shell::Bash, Shell::Fish, Shell::PowerShell] {
            assert_eq!(render(shell, &EnvChange::default()), "");
        }
    }

    #[test]
    #[should_panic(expected = "is not [A-Z_][A-Z0-9_]*")]
    #[cfg(debug_assertions)]
    fn render_rejects_odd_names() {
        let change = EnvChange {
            set: vec![("AWS_PROFILE;rm".into(), "x".into())],
            unset: vec![],
        };
        render(Shell::Bash, &change);
    }

    #[test]
    fn names() {
        assert!(is_valid_name("AWS_PROFILE"));
        assert!(is_valid_name("_X1"));
        assert!(!is_valid_name("1X"));
        assert!(!is_valid_name("aws_profile"));
        assert!(!is_valid_name(""));
        assert!(!is_valid_name("A-B"));
    }
}
