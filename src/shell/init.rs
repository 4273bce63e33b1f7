//! The shell functions `awsp init SHELL` prints (the scripts live in
//! `shell/`), and the one-line hint for a shell that does not have one yet.

use super::Shell;

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

#[cfg(test)]
mod tests {
    use super::*;

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
                Some(crate::cli::Command::Init { shell: s }) => assert_eq!(s, shell, "{hint}"),
                other => panic!("{hint}: {other:?}"),
            }
        }
    }
}
