//! Overlays: the key help, confirmations, questions and reports. Each
//! clears a one-cell ring around itself, so its border never runs into the
//! borders beneath (the detail pane's), and every text goes through
//! `human::printable`.

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use super::Theme;
use crate::output::human::printable;
use crate::tui::app::state::{Confirmation, LoginQuestion};

pub const KEYS: &[(&str, &str)] = &[
    ("j k ↑ ↓", "move"),
    ("PgUp PgDn ^B ^F", "move a page"),
    ("g G Home End", "first / last"),
    ("Enter", "switch to the profile (sets AWS_PROFILE)"),
    ("/", "filter (name, account, role, session)"),
    ("Esc (filter)", "stop typing, keep the filter"),
    ("^U", "clear the filter"),
    ("l", "log in the profile's sso-session"),
    ("o", "open the AWS console as the profile"),
    ("c", "clear stale cache files (asks first)"),
    ("r", "re-read the files"),
    ("s", "order: recent first / A-Z (remembered)"),
    ("a", "also list assignments with no profile yet"),
    ("?", "this help"),
    ("q Esc", "quit without switching"),
    ("^C", "quit from anywhere"),
];

/// Widest the help grows.
const HELP_WIDTH: u16 = 64;

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    h
}

/// Room for a popup: the screen less the cleared ring.
fn room(area: Rect) -> (u16, u16) {
    (area.width.saturating_sub(2), area.height.saturating_sub(2))
}

/// Where a `width` x `height` popup goes: centred beside or above the
/// detail pane when it fits there with its ring, else on the whole screen.
fn place(area: Rect, detail: Option<Rect>, width: u16, height: u16) -> Rect {
    let clear_of_detail = detail.map(|d| {
        if d.y > area.y {
            Rect {
                height: d.y - area.y,
                ..area
            }
        } else {
            Rect {
                width: d.x.saturating_sub(area.x),
                ..area
            }
        }
    });
    match clear_of_detail {
        Some(a) if width + 2 <= a.width && height + 2 <= a.height => centered(a, width, height),
        _ => centered(area, width, height),
    }
}

/// Clears `popup` and the ring of cells around it.
fn clear_around(frame: &mut Frame, popup: Rect) {
    let ring = Rect {
        x: popup.x.saturating_sub(1),
        y: popup.y.saturating_sub(1),
        width: popup.width + 2,
        height: popup.height + 2,
    }
    .intersection(frame.area());
    frame.render_widget(Clear, ring);
}

/// The help's lines for `inner` columns: keys right-aligned in a column,
/// descriptions wrapped under themselves when narrow.
fn help_lines(inner: usize, theme: Theme) -> Vec<Line<'static>> {
    let key_width = KEYS.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
    let indent = key_width + 3;
    let room = inner.saturating_sub(indent).max(8);
    let mut lines = Vec::new();
    for (key, what) in KEYS {
        for (i, part) in wrap_words(what, room).into_iter().enumerate() {
            let left = if i == 0 {
                format!(" {key:>key_width$}  ")
            } else {
                " ".repeat(indent)
            };
            lines.push(Line::from(vec![
                Span::styled(left, theme.key()),
                Span::raw(part),
            ]));
        }
    }
    lines
}

/// `text` in lines of at most `width` columns, broken at spaces (a longer
/// word is cut).
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let line = lines.last_mut().expect("never empty");
        if line.is_empty() {
            line.push_str(word);
        } else if line.width() + 1 + word.width() <= width {
            line.push(' ');
            line.push_str(word);
        } else {
            lines.push(word.to_string());
        }
    }
    lines
}

/// Where the help goes on `area`, and its lines.
fn help_layout(area: Rect, detail: Option<Rect>, theme: Theme) -> (Rect, Vec<Line<'static>>) {
    let (max_w, max_h) = room(area);
    let width = HELP_WIDTH.min(max_w);
    let lines = help_lines(width.saturating_sub(2) as usize, theme);
    let height = (lines.len() as u16 + 2).min(max_h);
    (place(area, detail, width, height), lines)
}

/// How far the help scrolls on a screen of `area` with the detail pane at
/// `detail` (0 when it fits).
pub fn help_max_scroll(area: Rect, detail: Option<Rect>) -> usize {
    let (popup, lines) = help_layout(area, detail, Theme { color: false });
    lines
        .len()
        .saturating_sub(popup.height.saturating_sub(2) as usize)
}

pub fn help(frame: &mut Frame, detail: Option<Rect>, scroll: usize, theme: Theme) {
    let (popup, lines) = help_layout(frame.area(), detail, theme);
    let total = lines.len();
    let shown = popup.height.saturating_sub(2) as usize;
    let scroll = scroll.min(total.saturating_sub(shown));
    let mut block = Block::default().borders(Borders::ALL);
    if shown < total {
        block = block.title(" j/k scroll, other keys close ").title_bottom(
            Line::from(format!(" {}-{}/{total} ", scroll + 1, scroll + shown)).right_aligned(),
        );
    } else {
        block = block.title(" keys (any key closes) ");
    }
    clear_around(frame, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll as u16, 0)),
        popup,
    );
}

/// A bordered box of `lines` under `title`, as wide as its text allows,
/// wrapping what is wider than the screen.
fn boxed(frame: &mut Frame, detail: Option<Rect>, title: &str, lines: Vec<Line>, border: Style) {
    let area = frame.area();
    let (max_w, max_h) = room(area);
    let title = format!(" {} ", printable(title));
    let widest = lines
        .iter()
        .map(Line::width)
        .chain([title.width()])
        .max()
        .unwrap_or(0);
    let width = (widest as u16 + 4).max(30).min(max_w);
    let inner = width.saturating_sub(2).max(1) as usize;
    let rows: usize = lines.iter().map(|l| l.width().div_ceil(inner).max(1)).sum();
    let popup = place(area, detail, width, (rows as u16 + 2).min(max_h));
    clear_around(frame, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(title)
        .border_style(border);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}

pub fn confirm(frame: &mut Frame, detail: Option<Rect>, c: &Confirmation, theme: Theme) {
    let room = frame.area().height.saturating_sub(7) as usize;
    let mut lines: Vec<Line> = c
        .lines
        .iter()
        .take(room)
        .map(|l| Line::raw(printable(l).into_owned()))
        .collect();
    if c.lines.len() > room {
        lines.truncate(room.saturating_sub(1));
        lines.push(Line::styled(
            format!("... and {} more", c.lines.len() - lines.len()),
            theme.dim(),
        ));
    }
    lines.push(Line::styled("y: yes   any other key: no", theme.key()));
    boxed(frame, detail, &c.title, lines, theme.warning());
}

/// A failure and what it printed last; any key closes.
pub fn report(frame: &mut Frame, detail: Option<Rect>, r: &Confirmation, theme: Theme) {
    let mut lines: Vec<Line> = r
        .lines
        .iter()
        .map(|l| Line::raw(printable(l).into_owned()))
        .collect();
    lines.push(Line::styled("any key closes", theme.dim()));
    boxed(frame, detail, &r.title, lines, theme.error());
}

/// `session main expired 2d ago: log in first? [Y/n]`
pub fn login_first(frame: &mut Frame, detail: Option<Rect>, q: &LoginQuestion, theme: Theme) {
    let lines = vec![
        Line::raw(printable(&q.question).into_owned()),
        Line::styled(
            if q.console {
                "y/Enter: log in, then open the console"
            } else {
                "y/Enter: log in, then switch"
            },
            theme.key(),
        ),
        Line::styled(
            if q.console {
                "n Esc: cancel"
            } else {
                "n: switch anyway   Esc: cancel"
            },
            theme.key(),
        ),
    ];
    boxed(frame, detail, "log in first?", lines, theme.warning());
}
