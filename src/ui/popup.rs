//! Overlays: the key help and confirmations.

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::Theme;
use crate::app::state::Confirmation;

pub const KEYS: &[(&str, &str)] = &[
    ("j k ↑ ↓", "move"),
    ("PgUp PgDn ^B ^F", "move a page"),
    ("g G Home End", "first / last"),
    ("Enter", "switch to the profile (sets AWS_PROFILE)"),
    ("/", "filter (name, account, role, session)"),
    ("Esc (filter)", "stop typing, keep the filter"),
    ("^U", "clear the filter"),
    ("l", "log in the profile's sso-session"),
    ("c", "clear stale cache files (asks first)"),
    ("r", "re-read the files"),
    ("s", "order: recent first / A-Z (remembered)"),
    ("?", "this help"),
    ("q Esc", "quit without switching"),
    ("^C", "quit from anywhere"),
];

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    h
}

pub fn help(frame: &mut Frame, theme: Theme) {
    let lines: Vec<Line> = KEYS
        .iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(format!("{k:>16}  "), theme.key()),
                Span::raw(*what),
            ])
        })
        .collect();
    let area = centered(frame.area(), 64, lines.len() as u16 + 2);
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" keys (any key closes) ");
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

pub fn confirm(frame: &mut Frame, c: &Confirmation, theme: Theme) {
    let area = frame.area();
    let room = area.height.saturating_sub(5) as usize;
    let mut lines: Vec<Line> = c
        .lines
        .iter()
        .take(room)
        .map(|l| Line::raw(l.clone()))
        .collect();
    if c.lines.len() > room {
        lines.truncate(room.saturating_sub(1));
        lines.push(Line::styled(
            format!("... and {} more", c.lines.len() - lines.len()),
            theme.dim(),
        ));
    }
    lines.push(Line::styled("y: yes   any other key: no", theme.key()));
    let width = c
        .lines
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(20)
        .max(c.title.len()) as u16
        + 4;
    let popup = centered(area, width.max(30), lines.len() as u16 + 2);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", c.title))
        .border_style(theme.warning());
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
