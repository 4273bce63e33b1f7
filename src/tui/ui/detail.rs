//! The detail pane: the selected profile's settings (secrets masked), cache
//! files, expiry times and its problem, if any.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use super::View;
use crate::aws::py::dateutil;
use crate::output::human::{printable, state_text};
use crate::output::shown::shown_value;
use crate::tui::app::state::State;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, view: &View) {
    let theme = view.theme;
    let block = Block::default()
        .borders(Borders::LEFT | Borders::TOP)
        .border_style(theme.dim());
    let Some(hit) = state.hits.get(state.selected) else {
        frame.render_widget(block, area);
        return;
    };
    let snap = view.snap;
    let Some(info) = snap.profiles.get(hit.index as usize) else {
        let u = &view.sync.unprofiled[hit.index as usize - snap.profiles.len()];
        return draw_new(frame, area, block, u, state, view);
    };
    let profile = snap.profile(info);
    let now = state.now;
    let block = block.title(Span::styled(
        format!(" {} ", printable(&profile.name)),
        theme.active(),
    ));
    let mut lines: Vec<Line> = Vec::new();
    if let Some(problem) = &info.problem {
        lines.push(Line::styled(
            format!("problem: {}", printable(problem)),
            theme.error(),
        ));
    }
    lines.push(Line::from(vec![
        Span::styled("kind ", theme.dim()),
        Span::raw(info.kind.as_str()),
    ]));
    let mut from = Vec::new();
    if let Some(l) = profile.config_line {
        from.push(format!("config:{l}"));
    }
    if let Some(l) = profile.credentials_line {
        from.push(format!("credentials:{l}"));
    }
    lines.push(Line::from(vec![
        Span::styled("from ", theme.dim()),
        Span::raw(from.join(" ")),
    ]));
    if let Some(name) = view.sync.synced.account_name(snap, info) {
        lines.push(Line::from(vec![
            Span::styled("account name ", theme.dim()),
            Span::raw(printable(name).into_owned()),
            Span::styled(" (portal)", theme.dim()),
        ]));
    }
    for (key, value) in &profile.settings {
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", printable(key)), theme.dim()),
            Span::raw(printable(&shown_value(key, value)).into_owned()),
        ]));
    }
    let token_file = info.token.as_ref().and_then(|t| t.file.as_deref());
    for (label, st, file) in [
        ("token", snap.profile_token_state(info, now), token_file),
        (
            "creds",
            snap.profile_role_state(info, now),
            info.role_cache.as_deref(),
        ),
    ] {
        let Some(st) = st else { continue };
        let mut spans = vec![
            Span::styled(format!("{label} "), theme.dim()),
            Span::styled(state_text(&st, now), theme.status(Some(st.status))),
        ];
        if let Some(at) = st.expires_at {
            spans.push(Span::styled(
                format!("  {}", dateutil::format(&at)),
                theme.dim(),
            ));
        }
        lines.push(Line::from(spans));
        if let Some(file) = file {
            lines.push(Line::from(vec![
                Span::styled("  file ", theme.dim()),
                Span::raw(printable(file).into_owned()),
            ]));
        }
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// The detail of an assignment without a profile: what Enter would add.
fn draw_new(
    frame: &mut Frame,
    area: Rect,
    block: Block,
    u: &crate::sync::known::Unprofiled,
    state: &State,
    view: &View,
) {
    let theme = view.theme;
    let block = block.title(Span::styled(
        format!(" + {} ", printable(&u.new.profile)),
        theme.dim(),
    ));
    let field = |k: &str, v: &str| {
        Line::from(vec![
            Span::styled(format!("{k} "), theme.dim()),
            Span::raw(printable(v).into_owned()),
        ])
    };
    let lines = vec![
        Line::styled("no profile yet: Enter adds it (asks first)", theme.notice()),
        field("sso_session", &u.session),
        field("sso_account_id", &u.new.account_id),
        field("account name", &u.new.account_name),
        field("sso_role_name", &u.new.role),
        Line::styled(
            format!(
                "from the last sync ({}); no network needed",
                crate::sync::known::age_text(u.synced_at, state.now)
            ),
            theme.dim(),
        ),
    ];
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
