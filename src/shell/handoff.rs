//! Handing environment changes to the calling shell.
//!
//! A program cannot change its parent's environment, so `awsp` is run through
//! a small shell function (`awsp init SHELL` prints it; the scripts live in
//! `shell/`). The function gives the binary a private channel, and after the
//! binary exits 0 it applies what came through that channel:
//!
//! | shell            | channel                         | payload                    |
//! |------------------|---------------------------------|----------------------------|
//! | bash, zsh, sh    | fd 3 (a command substitution)   | `export`/`unset` lines     |
//! | (sh: dash, ksh, busybox sh; `awsp init sh`)                                   |
//! | fish             | fd 3 (piped into `read -z`)     | `set -gx`/`set -e` lines   |
//! | PowerShell       | temp file named by `$AWSP_OUT`  | `$env:X = '...'` lines     |
//! | nushell          | temp file named by `$AWSP_OUT`  | JSON `{"set":{},"unset":[]}` |
//!
//! awsp's own stdout and stderr stay the user's, so `awsp list | grep prod`
//! works through the function, and the picker draws on `/dev/tty` anyway.
//!
//! Everything emitted is quoted so that any value (any character a Rust
//! string can hold except NUL, which no environment variable can hold: a
//! profile whose name has one, or is empty, is refused before anything is
//! handed over, see `aws::envname`)
//! arrives as exactly that value and nothing else runs. `tests/handoff_shells.rs`
//! checks this in the real shells on hostile values.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::PathBuf;

/// The shells awsp knows how to talk to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    PowerShell,
    Nu,
    /// Any POSIX shell (dash, ash, ksh, busybox sh): the same code as bash,
    /// its own function (`shell/awsp.sh`, without `local`).
    Posix,
}

impl Shell {
    /// Every shell, in the order `awsp init` documents them.
    pub const ALL: [Shell; 6] = [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::PowerShell,
        Shell::Nu,
        Shell::Posix,
    ];

    /// Parses a shell name as given to `awsp init NAME`, in `$AWSP_SHELL`
    /// or as the basename of `$SHELL`. Exact, lower-case names only.
    pub fn from_name(name: &str) -> Option<Shell> {
        match name {
            "bash" => Some(Shell::Bash),
            "zsh" => Some(Shell::Zsh),
            "fish" => Some(Shell::Fish),
            "powershell" | "pwsh" => Some(Shell::PowerShell),
            "nu" | "nushell" => Some(Shell::Nu),
            "sh" | "posix" => Some(Shell::Posix),
            _ => None,
        }
    }

    /// The shell to emit code for: `$AWSP_SHELL` (set by the shell functions)
    /// if it names a shell, else the basename of `$SHELL` (the login shell,
    /// a guess when awsp runs without the function), else POSIX.
    pub fn detect() -> Shell {
        Self::detect_from(
            std::env::var("AWSP_SHELL").ok().as_deref(),
            std::env::var("SHELL").ok().as_deref(),
        )
    }

    /// [`Shell::detect`] with the two variables passed in (testable).
    fn detect_from(awsp_shell: Option<&str>, shell: Option<&str>) -> Shell {
        if let Some(s) = awsp_shell.and_then(Shell::from_name) {
            return s;
        }
        shell
            .map(|path| path.rsplit(['/', '\\']).next().unwrap_or(path))
            .map(|base| base.strip_suffix(".exe").unwrap_or(base))
            .and_then(Shell::from_name)
            .unwrap_or(Shell::Posix)
    }

    /// The canonical name, accepted by [`Shell::from_name`] and used as the
    /// value of `AWSP_SHELL` by the functions.
    pub fn name(self) -> &'static str {
        match self {
            Shell::Bash => "bash",
            Shell::Zsh => "zsh",
            Shell::Fish => "fish",
            Shell::PowerShell => "powershell",
            Shell::Nu => "nu",
            Shell::Posix => "sh",
        }
    }
}

impl std::fmt::Display for Shell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Environment changes awsp hands to the calling shell.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnvChange {
    pub set: Vec<(String, String)>,
    pub unset: Vec<String>,
}

impl EnvChange {
    /// True when there is nothing to apply.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.unset.is_empty()
    }
}

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
    let mut out = String::new();
    match shell {
        Shell::Bash | Shell::Zsh | Shell::Posix => {
            for name in &change.unset {
                out.push_str(&format!("unset {}\n", check_name(name)));
            }
            for (name, value) in &change.set {
                out.push_str(&format!(
                    "export {}={}\n",
                    check_name(name),
                    quote_posix(value)
                ));
            }
        }
        Shell::Fish => {
            // `-g`: erase only the global; a universal variable of the same
            // name is the user's persistent setting and must not be erased
            // for every fish session by a profile switch. `--` ends options
            // before the name (the value is quoted anyway).
            for name in &change.unset {
                out.push_str(&format!("set -e -g -- {}\n", check_name(name)));
            }
            for (name, value) in &change.set {
                out.push_str(&format!(
                    "set -gx -- {} {}\n",
                    check_name(name),
                    quote_fish(value)
                ));
            }
        }
        Shell::PowerShell => {
            for name in &change.unset {
                out.push_str(&format!(
                    "Remove-Item -LiteralPath Env:{} -ErrorAction SilentlyContinue\n",
                    check_name(name)
                ));
            }
            for (name, value) in &change.set {
                out.push_str(&format!(
                    "$env:{} = {}\n",
                    check_name(name),
                    quote_powershell(value)
                ));
            }
        }
        Shell::Nu => {
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
            out.push_str(&ascii_json(&doc.to_string()));
            out.push('\n');
        }
    }
    out
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

const BASH: &str = include_str!("../../shell/awsp.bash");
const ZSH: &str = include_str!("../../shell/awsp.zsh");
const FISH: &str = include_str!("../../shell/awsp.fish");
const POWERSHELL: &str = include_str!("../../shell/awsp.ps1");
const NU: &str = include_str!("../../shell/awsp.nu");
const POSIX: &str = include_str!("../../shell/awsp.sh");

/// The init script printed by `awsp init SHELL`.
pub fn init_script(shell: Shell) -> &'static str {
    match shell {
        Shell::Bash => BASH,
        Shell::Posix => POSIX,
        Shell::Zsh => ZSH,
        Shell::Fish => FISH,
        Shell::PowerShell => POWERSHELL,
        Shell::Nu => NU,
    }
}

/// One line for stderr when awsp ran without its shell function: how to
/// install the function for `shell`.
pub fn install_hint(shell: Shell) -> String {
    let how = match shell {
        Shell::Bash => "add `eval \"$(awsp init bash)\"` to ~/.bashrc",
        Shell::Zsh => "add `eval \"$(awsp init zsh)\"` to ~/.zshrc",
        Shell::Posix => {
            "add `eval \"$(awsp init sh)\"` to your shell's startup file (~/.profile, or the file $ENV names)"
        }
        Shell::Fish => "add `awsp init fish | source` to ~/.config/fish/config.fish",
        Shell::PowerShell => {
            "add `Invoke-Expression (& awsp init powershell | Out-String)` to $PROFILE"
        }
        Shell::Nu => {
            "run `mkdir ~/.cache/awsp; awsp init nu | save -f ~/.cache/awsp/init.nu` and add \
             `source ~/.cache/awsp/init.nu` to config.nu"
        }
    };
    format!(
        "awsp: the shell function is not installed, so the code was printed on stdout; \
         to switch profiles in this shell, {how}"
    )
}

/// Where [`deliver`] wrote the code.
#[derive(Debug, PartialEq, Eq)]
pub enum Delivery {
    /// File descriptor 3, opened by the bash/zsh/fish function.
    Fd3,
    /// The file named by `$AWSP_OUT` (PowerShell and nu functions).
    File(PathBuf),
    /// No function: printed on stdout; the caller prints [`install_hint`].
    Stdout,
}

/// Writes `render(Shell::detect(), change)` to where the shell function reads it:
/// - `$AWSP_OUT` (non-empty) names an existing file (the PowerShell and nu
///   functions create it): it is truncated and written. It is not created:
///   a stale `AWSP_OUT` left in the environment then fails loudly instead of
///   scattering files.
/// - else fd 3 is open for writing (checked with `fcntl`, never assumed) and
///   `$AWSP_SHELL` is set: written to fd 3, which is left open (awsp does not
///   own it; the shell closes it when awsp exits).
/// - else stdout, and [`Delivery::Stdout`] is returned.
pub fn deliver(change: &EnvChange) -> io::Result<Delivery> {
    let code = render(Shell::detect(), change);
    if let Some(path) = std::env::var_os("AWSP_OUT").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        let mut file = OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(&path)
            .map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!(
                        "cannot write to AWSP_OUT={}: {e} (the shell function creates this file)",
                        path.display()
                    ),
                )
            })?;
        file.write_all(code.as_bytes())?;
        file.flush()?;
        return Ok(Delivery::File(path));
    }
    let shell_function = std::env::var_os("AWSP_SHELL").is_some_and(|s| !s.is_empty());
    if shell_function && crate::sys::fd3::writable() {
        crate::sys::fd3::write_all(code.as_bytes())?;
        return Ok(Delivery::Fd3);
    }
    let mut stdout = io::stdout().lock();
    stdout.write_all(code.as_bytes())?;
    stdout.flush()?;
    Ok(Delivery::Stdout)
}

/// Marks fd 3 close-on-exec, if it is open, so children awsp starts
/// (`aws sso login`, and anything that daemonizes from it) do not inherit the
/// shell function's pipe. An inherited copy would keep the function's command
/// substitution waiting for end-of-file after awsp has exited. awsp itself
/// can still write to it. Meant to be called once at the start of `main`.
pub fn protect_fd3() {
    crate::sys::fd3::set_cloexec();
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
        for shell in Shell::ALL {
            assert_eq!(Shell::from_name(shell.name()), Some(shell));
        }
        assert_eq!(Shell::from_name("pwsh"), Some(Shell::PowerShell));
        assert_eq!(Shell::from_name("nushell"), Some(Shell::Nu));
        assert_eq!(Shell::from_name("posix"), Some(Shell::Posix));
        assert_eq!(Shell::from_name("tcsh"), None);
        assert_eq!(Shell::from_name("Bash"), None);
    }

    #[test]
    fn detect_prefers_awsp_shell_then_shell_basename() {
        assert_eq!(
            Shell::detect_from(Some("fish"), Some("/bin/zsh")),
            Shell::Fish
        );
        assert_eq!(
            Shell::detect_from(Some("bogus"), Some("/bin/zsh")),
            Shell::Zsh
        );
        assert_eq!(Shell::detect_from(None, Some("/usr/bin/bash")), Shell::Bash);
        assert_eq!(
            Shell::detect_from(None, Some("/opt/microsoft/powershell/7/pwsh")),
            Shell::PowerShell
        );
        assert_eq!(
            Shell::detect_from(None, Some("C:\\Program Files\\PowerShell\\7\\pwsh.exe")),
            Shell::PowerShell
        );
        assert_eq!(Shell::detect_from(None, Some("/bin/tcsh")), Shell::Posix);
        assert_eq!(Shell::detect_from(None, None), Shell::Posix);
        assert_eq!(Shell::detect_from(Some(""), Some("")), Shell::Posix);
    }

    #[test]
    fn init_scripts_are_embedded_and_define_awsp() {
        for shell in Shell::ALL {
            let script = init_script(shell);
            assert!(script.contains("awsp"), "{shell}");
            assert!(script.contains("AWSP_SHELL"), "{shell}");
        }
        assert!(init_script(Shell::Posix).contains("AWSP_SHELL=sh "));
        assert!(
            !init_script(Shell::Posix).contains("local "),
            "ksh has no `local`"
        );
    }

    #[test]
    fn install_hint_is_one_line_naming_the_command() {
        for shell in Shell::ALL {
            let hint = install_hint(shell);
            assert!(!hint.contains('\n'));
            assert!(hint.contains("awsp init"), "{hint}");
        }
        assert!(install_hint(Shell::Bash).contains("eval \"$(awsp init bash)\""));
    }

    /// Every `awsp init X` a hint suggests is one `awsp init` accepts.
    #[test]
    fn install_hints_suggest_commands_that_work() {
        use clap::Parser;
        for shell in Shell::ALL {
            let hint = install_hint(shell);
            let at = hint.find("awsp init ").expect("a command");
            let words: Vec<&str> = hint[at..]
                .split(|c: char| c.is_whitespace() || "`)|\"".contains(c))
                .filter(|w| !w.is_empty())
                .take(3)
                .collect();
            let cli = crate::cli::Cli::try_parse_from(&words)
                .unwrap_or_else(|e| panic!("{hint}: {words:?}: {e}"));
            match cli.command {
                Some(crate::cli::Command::Init { shell: s }) => {
                    assert_eq!(crate::cli::InitShell::shell(s), shell, "{hint}")
                }
                other => panic!("{hint}: {other:?}"),
            }
        }
    }
}
