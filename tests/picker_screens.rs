//! Snapshots of the picker's screens on the demo home, at a fixed `now`
//! and fixed sizes (ratatui TestBackend + insta).

use awsp::app::action::Action;
use awsp::app::state::{Confirmation, Mode, State};
use awsp::app::update::update;
use awsp::aws::snapshot::Snapshot;
use awsp::demo::DemoHome;
use awsp::picker::{entries, Picker};
use awsp::ui::Theme;
use chrono::{DateTime, TimeZone, Utc};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap()
}

/// Renders the picker on the demo home after `actions`.
fn screen(
    width: u16,
    height: u16,
    active: Option<&str>,
    warnings: &[&str],
    query: &str,
    actions: &[Action],
) -> String {
    let demo = DemoHome::create(now()).unwrap();
    let snap = Snapshot::load(&demo.paths).unwrap();
    let entries = entries(&snap);
    let mut picker = Picker {
        snap,
        state: State::new(entries, query, now()),
        active,
        warnings: warnings.iter().map(|w| w.to_string()).collect(),
        theme: Theme { color: false },
    };
    for a in actions {
        update(&mut picker.state, a.clone());
    }
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| picker.draw(f)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn wide_screen_with_detail_pane() {
    insta::assert_snapshot!(screen(
        160,
        24,
        Some("prod-admin"),
        &[],
        "",
        &[Action::Down]
    ));
}

#[test]
fn standard_80x24_with_detail_below() {
    insta::assert_snapshot!(screen(80, 24, Some("prod-admin"), &[], "", &[]));
}

#[test]
fn smallest_40x10() {
    insta::assert_snapshot!(screen(40, 10, None, &[], "", &[]));
}

#[test]
fn too_small_says_so() {
    let s = screen(30, 6, None, &[], "", &[]);
    assert!(s.contains("awsp needs 40x10; this is 30x6"), "{s}");
}

#[test]
fn filtered_with_problem_profile_selected() {
    insta::assert_snapshot!(screen(100, 26, None, &[], "broken", &[]));
}

#[test]
fn filter_mode_counts_matches() {
    let s = screen(
        100,
        20,
        None,
        &[],
        "",
        &[
            Action::StartFilter,
            Action::Type('a'),
            Action::Type('d'),
            Action::Type('m'),
        ],
    );
    assert!(s.contains("/ adm▏"), "{s}");
    assert!(s.contains("6/13"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn warnings_and_help() {
    insta::assert_snapshot!(screen(
        90,
        24,
        Some("prod-admin"),
        &["AWS_ACCESS_KEY_ID set: it overrides any profile (use --clear-keys to unset)"],
        "",
        &[Action::ToggleHelp]
    ));
}

#[test]
fn confirmation_popup() {
    let demo = DemoHome::create(now()).unwrap();
    let snap = Snapshot::load(&demo.paths).unwrap();
    let entries = entries(&snap);
    let mut picker = Picker {
        snap,
        state: State::new(entries, "", now()),
        active: None,
        warnings: vec![],
        theme: Theme { color: false },
    };
    picker.state.mode = Mode::Confirm(Confirmation {
        title: "Remove 2 stale cache files?".into(),
        lines: vec![
            "sso/cache/a.json  sso-session old  expired 2d ago".into(),
            "cli/cache/b.json  no configured profile  expired 5d ago".into(),
        ],
    });
    let mut terminal = Terminal::new(TestBackend::new(80, 20)).unwrap();
    terminal.draw(|f| picker.draw(f)).unwrap();
    insta::assert_snapshot!(terminal.backend().to_string());
}

#[test]
fn statuses_follow_the_clock() {
    // Seven hours later the acme token (6h12m left at start) is past its
    // expiry but can be refreshed; sandbox's has been expired 2 days longer.
    let demo = DemoHome::create(now()).unwrap();
    let snap = Snapshot::load(&demo.paths).unwrap();
    let entries = entries(&snap);
    let mut picker = Picker {
        snap,
        state: State::new(entries, "", now() + chrono::Duration::hours(7)),
        active: None,
        warnings: vec![],
        theme: Theme { color: false },
    };
    let mut terminal = Terminal::new(TestBackend::new(120, 20)).unwrap();
    terminal.draw(|f| picker.draw(f)).unwrap();
    let s = terminal.backend().to_string();
    assert!(s.contains("acme refreshable"), "{s}");
    assert!(s.contains("sandbox expired 2d7h"), "{s}");
}
