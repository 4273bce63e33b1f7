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
        self.paint(BOLD, s)
    }

    pub fn red(self, s: &str) -> String {
        self.paint(RED, s)
    }

    pub fn status(self, status: Option<Status>, s: &str) -> String {
        match status_code(status) {
            Some(code) => self.paint(code, s),
            None => s.to_string(),
        }
    }

    /// What `write` pushes onto `line`, in colour `code` when colour is on:
    /// the same bytes as pushing [`Style::paint`]'s result, without a
    /// `String` for each painted table cell.
    pub fn push_painted(
        self,
        line: &mut String,
        code: Option<&str>,
        write: impl FnOnce(&mut String),
    ) {
        match code.filter(|_| self.color) {
            Some(code) => {
                line.push_str("\x1b[");
                line.push_str(code);
                line.push('m');
                write(line);
                line.push_str("\x1b[0m");
            }
            None => write(line),
        }
    }
}

pub const BOLD: &str = "1";
pub const RED: &str = "31";

/// The colour of a token or credentials state; `None` leaves it plain.
pub fn status_code(status: Option<Status>) -> Option<&'static str> {
    match status? {
        Status::Valid => Some("32"),
        Status::Refreshable => Some("36"),
        Status::Expired | Status::Missing => Some("33"),
        _ => Some(RED),
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
