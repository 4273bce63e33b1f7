//! ANSI colour for line-oriented output, only on a terminal and never when
//! `NO_COLOR` is set (https://no-color.org).

use std::io::IsTerminal;

use crate::aws::cache::Status;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub fn for_stdout() -> Style {
        Style {
            color: std::io::stdout().is_terminal() && no_color_unset(),
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

/// NO_COLOR counts when set to anything non-empty.
pub fn no_color_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
