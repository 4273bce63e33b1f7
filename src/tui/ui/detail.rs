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
    let info = &snap.profiles[hit.index as usize];
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
