//! The profile table: only the visible rows are built; columns drop out in
//! a fixed order when the terminal is narrow.

use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use super::View;
use crate::aws::ini::shown_str as shown;
use crate::aws::snapshot::ProfileInfo;
use crate::output::cell::clip;
use crate::output::human::{printable, state_text};
use crate::tui::app::state::State;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Name,
    Account,
    Role,
    Region,
    Session,
    Token,
    Creds,
}

impl Col {
    fn title(self) -> &'static str {
        match self {
            Col::Name => "PROFILE",
            Col::Account => "ACCOUNT",
            Col::Role => "ROLE",
            Col::Region => "REGION",
            Col::Session => "SESSION",
            Col::Token => "TOKEN",
            Col::Creds => "CREDS",
        }
    }
}

/// Screen order.
const ORDER: [Col; 7] = [
    Col::Name,
    Col::Account,
    Col::Role,
    Col::Region,
    Col::Session,
    Col::Token,
    Col::Creds,
];
/// Dropped first to last when space runs out; the name always stays.
const DROP_ORDER: [Col; 6] = [
    Col::Session,
    Col::Region,
    Col::Role,
    Col::Creds,
    Col::Account,
    Col::Token,
];
const MARK_WIDTH: u16 = 2;
const NAME_MAX: u16 = 36;
/// Columns a name keeps before the other columns start to drop.
const NAME_KEEP: u16 = 20;

/// Widest a column grows; content beyond is clipped with `…`.
fn max_width(col: Col) -> u16 {
    match col {
        Col::Name => NAME_MAX,
        // An id is 12 digits; a portal account name (after a sync) may be longer.
        Col::Account => 24,
        Col::Role => 24,
        Col::Region => 14,
        Col::Session => 14,
        Col::Token => 14,
        Col::Creds => 13,
    }
}

/// The columns that fit in `width`, given each column's content width.
/// Names matter more than extra columns: columns drop while the name would
/// get fewer than NAME_KEEP columns; a longer name is clipped with `…`.
fn columns(width: u16, wanted: &[(Col, u16)]) -> Vec<(Col, u16)> {
    let fit = |col: Col, w: u16| w.max(col.title().len() as u16).min(max_width(col));
    let mut cols: Vec<(Col, u16)> = wanted.iter().map(|&(c, w)| (c, fit(c, w))).collect();
    // A name claims at most NAME_KEEP columns when deciding what to drop:
    // one very long name must not push every other column off the screen.
    let total = |cols: &[(Col, u16)]| -> u16 {
        cols.iter()
            .map(|&(c, w)| if c == Col::Name { w.min(NAME_KEEP) } else { w } + 1)
            .sum::<u16>()
            + MARK_WIDTH
    };
    for drop in DROP_ORDER {
        if total(&cols) <= width {
            break;
        }
        cols.retain(|(c, _)| *c != drop);
    }
    // The name takes what is left, up to its content width.
    let others: u16 = cols
        .iter()
        .filter(|(c, _)| *c != Col::Name)
        .map(|(_, w)| w + 1)
        .sum();
    let room = width.saturating_sub(others + MARK_WIDTH + 1).max(1);
    for (c, w) in cols.iter_mut() {
        if *c == Col::Name {
            *w = (*w).min(room);
        }
    }
    cols
}

/// The text and style of every cell of one visible row.
struct RowCells {
    mark: Span<'static>,
    name_style: Style,
    texts: Vec<(Col, String, Style)>,
}

fn row_cells(state: &State, view: &View, info: &ProfileInfo) -> RowCells {
    let theme = view.theme;
    let snap = view.snap;
    let profile = snap.profile(info);
    let now = state.now;
    let active = view.active == Some(profile.name.as_str());
    let mark = match (active, info.problem.is_some()) {
        (_, true) => Span::styled("! ", theme.problem()),
        (true, false) => Span::styled("● ", theme.active()),
        _ => Span::raw("  "),
    };
    let name_style = if info.problem.is_some() {
        theme.problem()
    } else if active {
        theme.active()
    } else {
        Style::new()
    };
    let plain = |t: Option<&str>| {
        (
            printable(t.filter(|t| !t.is_empty()).unwrap_or("-")).into_owned(),
            Style::new(),
        )
    };
    let state_cell = |st: Option<crate::aws::snapshot::CacheState>| match st {
        Some(st) => (state_text(&st, now), theme.status(Some(st.status))),
        None => ("-".to_string(), Style::new()),
    };
    let texts = ORDER
        .iter()
        .map(|&col| {
            let (text, style) = match col {
                // As shown: the width is measured on this text.
                Col::Name => (printable(&profile.name).into_owned(), name_style),
                // Masked first (`shown_str`: an indented line can have made a
                // secret part of the value), then escaped for the terminal.
                // After a sync, the portal's name for the account.
                Col::Account => match view.sync.synced.account_name(snap, info) {
                    Some(name) => (printable(name).into_owned(), Style::new()),
                    None => (
                        printable(&info.account_id.as_deref().map_or("-".into(), shown))
                            .into_owned(),
                        theme.dim(),
                    ),
                },
                Col::Role => plain(info.role_name.as_deref().map(shown).as_deref()),
                Col::Region => plain(setting(&profile.settings, "region").as_deref()),
                Col::Session => plain(setting(&profile.settings, "sso_session").as_deref()),
                Col::Token => state_cell(snap.profile_token_state(info, now)),
                Col::Creds => state_cell(snap.profile_role_state(info, now)),
            };
            (col, text, style)
        })
        .collect();
    RowCells {
        mark,
        name_style,
        texts,
    }
}

/// A row for an assignment the last sync listed that no profile covers:
/// dimmed, `+` in the mark column and `+ new` where the token state goes.
fn new_row_cells(view: &View, u: &crate::sync::known::Unprofiled) -> RowCells {
    let dim = view.theme.dim();
    let account = if u.new.account_name.is_empty() {
        &u.new.account_id
    } else {
        &u.new.account_name
    };
    let texts = ORDER
        .iter()
        .map(|&col| {
            let text = match col {
                Col::Name => printable(&u.new.profile).into_owned(),
                Col::Account => printable(account).into_owned(),
                Col::Role => printable(&u.new.role).into_owned(),
                Col::Region => "-".to_string(),
                Col::Session => printable(&u.session).into_owned(),
                Col::Token => "+ new".to_string(),
                Col::Creds => "-".to_string(),
            };
            (col, text, dim)
        })
        .collect();
    RowCells {
        mark: Span::styled("+ ", dim),
        name_style: dim,
        texts,
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, view: &View) {
    let theme = view.theme;
    let visible = &state.hits[state.offset.min(state.hits.len())..];
    let visible = &visible[..visible.len().min(area.height.saturating_sub(1) as usize)];
    let cells: Vec<RowCells> = visible
        .iter()
        .map(|hit| {
            let i = hit.index as usize;
            match view.snap.profiles.get(i) {
                Some(info) => row_cells(state, view, info),
                None => new_row_cells(view, &view.sync.unprofiled[i - view.snap.profiles.len()]),
            }
        })
        .collect();
    let wanted: Vec<(Col, u16)> = ORDER
        .iter()
        .enumerate()
        .map(|(i, &col)| {
            (
                col,
                cells
                    .iter()
                    .map(|r| r.texts[i].1.width() as u16)
                    .max()
                    .unwrap_or(0),
            )
        })
        .collect();
    let cols = columns(area.width, &wanted);
    let header = Row::new(
        std::iter::once(Cell::from(""))
            .chain(cols.iter().map(|(c, _)| Cell::from(c.title())))
            .collect::<Vec<_>>(),
    )
    .style(theme.header());
    let rows: Vec<Row> = visible
        .iter()
        .zip(cells)
        .enumerate()
        .map(|(i, (hit, row))| {
            let selected = state.offset + i == state.selected;
            let entry = &state.entries[hit.index as usize];
            let mut out = vec![Cell::from(Line::from(row.mark))];
            for &(col, width) in &cols {
                let (_, text, style) = row
                    .texts
                    .iter()
                    .find(|(c, _, _)| *c == col)
                    .expect("every column has a cell");
                out.push(if col == Col::Name {
                    let positions = state.matcher.name_positions(entry, &state.query);
                    Cell::from(highlight(
                        &entry.name,
                        &positions,
                        width as usize,
                        row.name_style,
                        theme.matched(),
                    ))
                } else {
                    Cell::from(Span::styled(
                        clip(text, width as usize).into_owned(),
                        *style,
                    ))
                });
            }
            let r = Row::new(out);
            if selected {
                r.style(theme.selected())
            } else {
                r
            }
        })
        .collect();
    let widths: Vec<Constraint> = std::iter::once(Constraint::Length(MARK_WIDTH))
        .chain(cols.iter().map(|(_, w)| Constraint::Length(*w)))
        .collect();
    let table = Table::new(rows, widths).header(header).column_spacing(1);
    frame.render_widget(table, area);
    if state.hits.is_empty() {
        let msg = if state.entries.is_empty() {
            "no profiles: add some to ~/.aws/config (see `aws configure sso`)"
        } else {
            "no profile matches the filter"
        };
        let y = area.y + 1;
        if y < area.y + area.height {
            frame.render_widget(
                Line::styled(format!("  {msg}"), theme.dim()),
                Rect {
                    y,
                    height: 1,
                    ..area
                },
            );
        }
    }
}

/// The name, shown printable, with matched characters styled and clipped
/// to `width` columns. `positions` count characters of the raw name; an
/// escaped character (`\e`) is styled as a whole.
fn highlight<'a>(
    name: &str,
    positions: &[usize],
    width: usize,
    base: Style,
    matched: Style,
) -> Line<'a> {
    let shown = printable(name);
    if positions.is_empty() {
        return Line::from(Span::styled(clip(&shown, width).into_owned(), base));
    }
    let mut pieces: Vec<(String, bool)> = name
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let mut buf = [0u8; 4];
            let piece = printable(c.encode_utf8(&mut buf)).into_owned();
            (piece, positions.contains(&i))
        })
        .collect();
    if shown.width() > width {
        // Keep whole pieces that fit before the `…`.
        let mut used = 0;
        let keep = pieces
            .iter()
            .take_while(|(p, _)| {
                used += p.width();
                used < width
            })
            .count();
        pieces.truncate(keep);
        pieces.push(("…".to_string(), false));
    }
    let spans: Vec<Span> = pieces
        .into_iter()
        .map(|(piece, hit)| {
            let style = if hit { base.patch(matched) } else { base };
            Span::styled(piece, style)
        })
        .collect();
    Line::from(spans)
}

/// A plain-string setting as it may be shown (see `ini::shown_str`).
fn setting<'a>(
    settings: &'a crate::aws::ini::Settings,
    key: &str,
) -> Option<std::borrow::Cow<'a, str>> {
    crate::aws::ini::get_str(settings, key).map(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_drop_in_order_and_fit() {
        let wanted: Vec<(Col, u16)> = ORDER.iter().map(|&c| (c, 12)).collect();
        let names = |w| {
            columns(w, &wanted)
                .into_iter()
                .map(|(c, _)| c)
                .collect::<Vec<_>>()
        };
        assert_eq!(names(200), ORDER.to_vec());
        assert!(!names(90).contains(&Col::Session));
        assert!(names(93).contains(&Col::Session));
        assert_eq!(names(40), vec![Col::Name, Col::Token]);
        assert_eq!(names(20), vec![Col::Name]);
        // One very long name does not push the token column off.
        let long: Vec<(Col, u16)> = ORDER
            .iter()
            .map(|&c| {
                (
                    c,
                    match c {
                        Col::Name => 40,
                        Col::Account => 12,
                        _ => 11,
                    },
                )
            })
            .collect();
        let cols = columns(40, &long);
        assert_eq!(
            cols.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
            vec![Col::Name, Col::Token]
        );
        assert_eq!(cols[0].1, 40 - 2 - 12 - 1, "the name takes the rest");
        for w in [10, 40, 80, 120] {
            let used: u16 = columns(w, &wanted)
                .iter()
                .map(|(_, cw)| cw + 1)
                .sum::<u16>()
                + MARK_WIDTH;
            assert!(used <= w.max(16), "width {w}: {used}");
        }
    }
}
