//! ANSI colour for line-oriented output: by default only on a terminal and
//! never when `NO_COLOR` is set (https://no-color.org); `--color always`
//! beats both, `--color never` beats a terminal.

use std::io::IsTerminal;
use std::sync::OnceLock;

use crate::cli::ColorChoice;

use crate::aws::cache::Status;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub fn for_stdout() -> Style {
        Style {
            color: wanted(choice(), std::io::stdout().is_terminal(), no_color_env()),
        }
    }

    pub fn plain() -> Style {
        Style { color: false }
    }

    fn paint(self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    pub fn bold(self, s: &str) -> String {
        self.paint("1", s)
    }

    pub fn red(self, s: &str) -> String {
        self.paint("31", s)
    }

    pub fn status(self, status: Option<Status>, s: &str) -> String {
        match status {
            Some(Status::Valid) => self.paint("32", s),
            Some(Status::Refreshable) => self.paint("36", s),
            Some(Status::Expired) | Some(Status::Missing) => self.paint("33", s),
            Some(_) => self.paint("31", s),
            None => s.to_string(),
        }
    }
}

static CHOICE: OnceLock<ColorChoice> = OnceLock::new();

/// Records `--color` for this run (main calls it once, before any output).
pub fn set_choice(choice: ColorChoice) {
    let _ = CHOICE.set(choice);
}

fn choice() -> ColorChoice {
    CHOICE.get().copied().unwrap_or_default()
}

/// Whether output to a terminal gets colour (the picker always draws on
/// one): `--color`, else NO_COLOR. The name is older than `--color`.
pub fn no_color_unset() -> bool {
    wanted(choice(), true, no_color_env())
}

/// NO_COLOR counts when set to anything non-empty.
fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// The rule, in one place: `always` beats NO_COLOR, `never` beats a terminal.
fn wanted(choice: ColorChoice, terminal: bool, no_color: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && !no_color,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn always_beats_no_color_and_never_beats_a_terminal() {
        use ColorChoice::*;
        assert!(wanted(Always, false, true));
        assert!(!wanted(Never, true, false));
        assert!(wanted(Auto, true, false));
        assert!(!wanted(Auto, true, true));
        assert!(!wanted(Auto, false, false));
    }
}
