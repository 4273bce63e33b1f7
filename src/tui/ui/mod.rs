//! The picker's screen: `draw(frame, &State, &View)`. No IO and no clock:
//! the time is `state.now`, cache contents were read before drawing.

mod detail;
mod popup;
mod table;
pub mod theme;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::aws::snapshot::Snapshot;
use crate::output::human::{printable, state_text};
use crate::tui::app::state::{Mode, State};
pub use theme::Theme;

/// What the screen shows besides the picker state.
pub struct View<'a> {
    pub snap: &'a Snapshot,
    pub active: Option<&'a str>,
    /// Environment warnings (access keys set, ...), one line each.
    pub warnings: &'a [String],
    pub theme: Theme,
    /// Account names and the assignments without a profile, from the last syncs.
    pub sync: &'a crate::sync::known::SyncView,
}

/// Where each part goes for a frame of `area`.
pub struct Areas {
    pub header: Rect,
    pub warnings: Rect,
    pub notice: Rect,
    pub filter: Rect,
    pub table: Rect,
    pub detail: Option<Rect>,
    pub footer: Rect,
}

/// Side-by-side detail from this width, below the table from this height.
const DETAIL_SIDE_MIN_WIDTH: u16 = 150;
const DETAIL_SIDE_WIDTH: u16 = 46;
const DETAIL_BELOW_MIN_HEIGHT: u16 = 24;
const DETAIL_BELOW_HEIGHT: u16 = 9;

pub fn layout(area: Rect, state: &State, view: &View) -> Areas {
    let warnings = view.warnings.len().min(2) as u16;
    let notice = u16::from(state.notice.is_some());
    let [header, warn_area, notice_area, filter, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(warnings),
        Constraint::Length(notice),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let (table, detail) = if area.width >= DETAIL_SIDE_MIN_WIDTH {
        let [t, d] =
            Layout::horizontal([Constraint::Min(40), Constraint::Length(DETAIL_SIDE_WIDTH)])
                .areas(body);
        (t, Some(d))
    } else if area.height >= DETAIL_BELOW_MIN_HEIGHT {
        let [t, d] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(DETAIL_BELOW_HEIGHT)])
                .areas(body);
        (t, Some(d))
    } else {
        (body, None)
    };
    Areas {
        header,
        warnings: warn_area,
        notice: notice_area,
        filter,
        table,
        detail,
        footer,
    }
}

/// Table rows that fit (the table's own header takes one line).
pub fn visible_rows(areas: &Areas) -> usize {
    areas.table.height.saturating_sub(1) as usize
}

pub fn draw(frame: &mut Frame, state: &State, view: &View) {
    let areas = layout(frame.area(), state, view);
    let theme = view.theme;
    frame.render_widget(Paragraph::new(header_line(state, view)), areas.header);
    let warn_lines: Vec<Line> = view
        .warnings
        .iter()
        .map(|w| Line::styled(format!(" ⚠ {}", printable(w)), theme.warning()))
        .collect();
    frame.render_widget(Paragraph::new(warn_lines), areas.warnings);
    if let Some(n) = &state.notice {
        let style = if n.error {
            theme.error()
        } else {
            theme.notice()
        };
        frame.render_widget(
            Paragraph::new(Line::styled(format!(" {}", printable(&n.text)), style)),
            areas.notice,
        );
    }
    frame.render_widget(
        Paragraph::new(filter_line(state, theme, areas.filter.width)),
        areas.filter,
    );
    table::draw(frame, areas.table, state, view);
    if let Some(d) = areas.detail {
        detail::draw(frame, d, state, view);
    }
    frame.render_widget(
        Paragraph::new(footer_line(state, theme, areas.footer.width)),
        areas.footer,
    );
    match &state.mode {
        Mode::Help => popup::help(frame, areas.detail, state.help_scroll, theme),
        Mode::Confirm(c) => popup::confirm(frame, areas.detail, c, theme),
        Mode::ConfirmAdd(q) => popup::confirm(frame, areas.detail, &q.confirmation, theme),
        Mode::Report(r) => popup::report(frame, areas.detail, r, theme),
        Mode::LoginFirst(q) => popup::login_first(frame, areas.detail, q, theme),
        Mode::Normal | Mode::Filter => {}
    }
}

pub use popup::help_max_scroll;

/// `awsp  ● prod-admin   acme valid 6h12m · sandbox expired 2d`
fn header_line<'a>(state: &State, view: &View<'a>) -> Line<'a> {
    let theme = view.theme;
    let mut spans = vec![Span::styled(" awsp ", theme.title())];
    match view.active {
        // AWS_PROFILE naming no profile: every aws call fails with
        // "The config profile (NAME) could not be found".
        Some(name) if view.snap.find_profile(name).is_none() => spans.push(Span::styled(
            format!(" ? {} (not in config) ", printable(name)),
            theme.error(),
        )),
        Some(name) => spans.push(Span::styled(
            format!(" ● {} ", printable(name)),
            theme.active(),
        )),
        None => spans.push(Span::styled(" no profile ", theme.dim())),
    }
    for (i, info) in view.snap.sessions.iter().enumerate() {
        spans.push(Span::styled(if i == 0 { "  " } else { " · " }, theme.dim()));
        let session = view.snap.session(info);
        let st = view.snap.token_state(&info.token, state.now);
        spans.push(Span::raw(format!("{} ", printable(&session.name))));
        spans.push(Span::styled(
            state_text(&st, state.now),
            theme.status(Some(st.status)),
        ));
    }
    Line::from(spans)
}

fn filter_line<'a>(state: &State, theme: Theme, width: u16) -> Line<'a> {
    let count = format!("{}/{}", state.hits.len(), state.entries.len());
    let mut spans = Vec::new();
    let editing = state.mode == Mode::Filter;
    if editing || !state.query.is_empty() {
        spans.push(Span::styled(" / ", theme.prompt(editing)));
        spans.push(Span::raw(printable(&state.query).into_owned()));
        if editing {
            spans.push(Span::styled("▏", theme.prompt(true)));
        }
    } else {
        spans.push(Span::styled(" / to filter", theme.dim()));
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let pad = (width as usize).saturating_sub(used + count.len() + 1);
    spans.push(Span::raw(" ".repeat(pad)));
    spans.push(Span::styled(count, theme.dim()));
    Line::from(spans)
}

/// The keys that fit in `width`: `? help` and `q quit` (in filter mode
/// `esc done` and `^C quit`) always stay; the others drop out from the
/// least needed.
fn footer_line<'a>(state: &State, theme: Theme, width: u16) -> Line<'a> {
    // (key, what, drop rank: 0 never, higher drops first)
    let keys: &[(&str, &str, u8)] = match state.mode {
        Mode::Filter => &[
            ("↑↓", "move", 2),
            ("⏎", "switch", 1),
            ("esc", "done", 0),
            ("^U", "clear", 3),
            ("^C", "quit", 0),
        ],
        _ => &[
            ("↑↓/jk", "move", 2),
            ("⏎", "switch", 1),
            ("/", "filter", 3),
            ("l", "login", 4),
            ("o", "console", 7),
            ("c", "clean", 5),
            ("r", "reload", 6),
            ("?", "help", 0),
            ("q", "quit", 0),
        ],
    };
    // `a` only once a sync found assignments without a profile.
    let with_new;
    let keys = if state.mode != Mode::Filter && !state.new_entries.is_empty() {
        let what = if state.show_new { "hide new" } else { "new" };
        with_new = keys
            .iter()
            .copied()
            .chain(std::iter::once(("a", what, 7)))
            .collect::<Vec<_>>();
        &with_new[..]
    } else {
        keys
    };
    let item_width = |(key, what, _): &(&str, &str, u8)| {
        Span::raw(*key).width() + 1 + Span::raw(*what).width() + 2
    };
    let mut shown: Vec<&(&str, &str, u8)> = keys.iter().collect();
    // One leading blank; the last item's two trailing blanks may be cut.
    let fits = |shown: &[&(&str, &str, u8)]| {
        let used = 1 + shown.iter().map(|k| item_width(k)).sum::<usize>();
        used.saturating_sub(2) <= width as usize
    };
    while !fits(&shown) {
        let Some(worst) = shown
            .iter()
            .enumerate()
            .filter(|(_, k)| k.2 > 0)
            .max_by_key(|(_, k)| k.2)
            .map(|(i, _)| i)
        else {
            break;
        };
        shown.remove(worst);
    }
    let mut spans = vec![Span::raw(" ")];
    for (key, what, _) in shown {
        spans.push(Span::styled(*key, theme.key()));
        spans.push(Span::styled(format!(" {what}  "), theme.dim()));
    }
    Line::from(spans)
}
