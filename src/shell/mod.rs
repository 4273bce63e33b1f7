//! The shell side: which shell runs awsp, the functions `awsp init` prints
//! (`init`), quoting (`quote`), the hand-off (`delivery`) and what a switch
//! changes (`switch`).
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
//! arrives as exactly that value and nothing else runs. `tests/it/handoff_shells.rs`
//! checks this in the real shells on hostile values.

pub mod delivery;
pub mod init;
pub mod quote;
pub mod switch;

pub use delivery::{deliver, protect_fd3, Delivery};
pub use init::{init_script, install_hint};
pub use quote::render;

/// The shells awsp knows how to talk to; also the argument of `awsp init`,
/// so the names it accepts are the names [`Shell::from_name`] reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    #[value(name = "powershell", alias = "pwsh")]
    PowerShell,
    #[value(alias = "nushell")]
    Nu,
    // The same code as bash, its own function (`shell/awsp.sh`, without
    // `local`, which ksh lacks). The doc line is `awsp init --help`'s text.
    /// POSIX sh: dash, ksh, busybox sh, ash.
    #[value(name = "sh", alias = "posix")]
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
    /// or as the basename of `$SHELL`: the names and aliases of the clap
    /// value. Exact, lower-case names only.
    pub fn from_name(name: &str) -> Option<Shell> {
        <Shell as clap::ValueEnum>::from_str(name, false).ok()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_names() {
        use clap::ValueEnum;
        assert_eq!(Shell::value_variants(), Shell::ALL.as_slice());
        for shell in Shell::ALL {
            let value = shell.to_possible_value().expect("every shell is a value");
            assert_eq!(
                value.get_name(),
                shell.name(),
                "init's name is the canonical one"
            );
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
}
