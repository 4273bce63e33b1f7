//! Styles, with colour only when allowed (`NO_COLOR`); without colour the
//! screen still marks selection, problems and states by text and modifiers.

use ratatui::style::{Color, Modifier, Style};

use crate::aws::cache::Status;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn title(self) -> Style {
        self.fg(Color::Black)
            .bg(if self.color {
                Color::Cyan
            } else {
                Color::Reset
            })
            .add_modifier(Modifier::BOLD)
    }
    pub fn active(self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }
    pub fn dim(self) -> Style {
        self.fg(Color::DarkGray)
    }
    pub fn warning(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn notice(self) -> Style {
        self.fg(Color::Cyan)
    }
    pub fn prompt(self, editing: bool) -> Style {
        if editing {
            self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
        } else {
            self.fg(Color::Yellow)
        }
    }
    pub fn key(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn header(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub fn selected(self) -> Style {
        if self.color {
            Style::new()
                .bg(Color::Rgb(40, 50, 70))
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
    pub fn matched(self) -> Style {
        self.fg(Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub fn problem(self) -> Style {
        self.fg(Color::Red)
    }
    pub fn status(self, status: Option<Status>) -> Style {
        match status {
            Some(Status::Valid) => self.fg(Color::Green),
            Some(Status::Refreshable) => self.fg(Color::Cyan),
            Some(Status::Expired) => self.fg(Color::Yellow),
            Some(Status::Missing) | None => self.fg(Color::DarkGray),
            Some(_) => self.fg(Color::Red),
        }
    }
}
