//! Snapshots of the picker's screens on the demo home, at a fixed `now`
//! and fixed sizes (ratatui TestBackend + insta).

use awsp::aws::snapshot::Snapshot;
use awsp::home::demo::DemoHome;
use awsp::tui::app::action::Action;
use awsp::tui::app::state::{Confirmation, Mode, State};
use awsp::tui::app::update::update;
use awsp::tui::picker::{entries, Picker};
use awsp::tui::ui::Theme;
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
        sync: Default::default(),
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
        sync: Default::default(),
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
        sync: Default::default(),
    };
    let mut terminal = Terminal::new(TestBackend::new(120, 20)).unwrap();
    terminal.draw(|f| picker.draw(f)).unwrap();
    let s = terminal.backend().to_string();
    assert!(s.contains("acme refreshable"), "{s}");
    assert!(s.contains("sandbox expired 2d7h"), "{s}");
}

#[test]
fn help_at_120x35() {
    insta::assert_snapshot!(screen(
        120,
        35,
        Some("prod-admin"),
        &[],
        "",
        &[Action::ToggleHelp]
    ));
}

/// Draws `picker` on a `width` x `height` screen.
fn draw(picker: &mut Picker, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| picker.draw(f)).unwrap();
    terminal.backend().to_string()
}

/// A picker on the demo home (kept alive by the returned guard).
fn demo_picker(active: Option<&'static str>) -> (DemoHome, Picker<'static>) {
    let demo = DemoHome::create(now()).unwrap();
    let snap = Snapshot::load(&demo.paths).unwrap();
    let entries = entries(&snap);
    let picker = Picker {
        snap,
        state: State::new(entries, "", now()),
        active,
        warnings: vec![],
        theme: Theme { color: false },
        sync: Default::default(),
    };
    (demo, picker)
}

#[test]
fn help_at_40x10_scrolls_and_the_footer_keeps_help_and_quit() {
    let (_demo, mut picker) = demo_picker(None);
    let first = draw(&mut picker, 40, 10);
    assert!(first.contains("? help  q quit"), "{first}");
    update(&mut picker.state, Action::ToggleHelp);
    let top = draw(&mut picker, 40, 10);
    assert!(top.contains("j/k scroll"), "{top}");
    assert!(top.contains("move a page"), "{top}");
    insta::assert_snapshot!("help_40x10_top", top);
    for _ in 0..100 {
        update(&mut picker.state, Action::Down);
    }
    let bottom = draw(&mut picker, 40, 10);
    assert!(bottom.contains("quit from anywhere"), "{bottom}");
    insta::assert_snapshot!("help_40x10_bottom", bottom);
    update(&mut picker.state, Action::Cancel);
    assert_eq!(picker.state.mode, Mode::Normal, "q closes the help only");
}

#[test]
fn an_active_profile_not_in_the_config_is_an_error() {
    let (_demo, mut picker) = demo_picker(Some("ghost"));
    let s = draw(&mut picker, 80, 12);
    assert!(s.contains("? ghost (not in config)"), "{s}");
    assert!(!s.contains("● ghost"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn control_characters_in_names_are_shown_escaped() {
    let home = tempfile::tempdir().unwrap();
    let aws = home.path().join(".aws");
    std::fs::create_dir_all(&aws).unwrap();
    std::fs::write(
        aws.join("config"),
        "[sso-session s\u{1b}]0;t\u{7}]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n\n\
         [profile evil\u{1b}[2Jname\u{7}]\nsso_session = s\u{1b}]0;t\u{7}\nsso_account_id = 1\u{1b}[31m2\nsso_role_name = R\u{7}ole\n",
    )
    .unwrap();
    let snap = Snapshot::load(&awsp::aws::paths::AwsPaths::under_home(home.path())).unwrap();
    assert_eq!(snap.profiles.len(), 1);
    let entries = entries(&snap);
    let mut picker = Picker {
        snap,
        state: State::new(entries, "name", now()),
        active: Some("evil\u{1b}[2Jname\u{7}"),
        warnings: vec!["AWS_DEFAULT_PROFILE=x\u{1b}[2J is read first".into()],
        theme: Theme { color: false },
        sync: Default::default(),
    };
    picker.state.warn("cannot log in evil\u{1b}[2Jname\u{7}");
    let s = draw(&mut picker, 100, 24);
    assert!(!s.contains('\u{1b}') && !s.contains('\u{7}'), "{s:?}");
    assert!(s.contains("evil\\e[2Jname\\x07"), "{s}");
    insta::assert_snapshot!(s);
    picker.state.mode = Mode::Confirm(Confirmation {
        title: "Remove t\u{1b}[2J?".into(),
        lines: vec!["sso/cache/x.json  evil\u{1b}[2Jname\u{7}".into()],
    });
    let s = draw(&mut picker, 100, 24);
    assert!(!s.contains('\u{1b}') && !s.contains('\u{7}'), "{s:?}");
    assert!(s.contains("Remove t\\e[2J?"), "{s}");
}

#[test]
fn login_report_and_question_popups() {
    let (_demo, mut picker) = demo_picker(None);
    picker.state.warn("sso-session acme: aws exited 255");
    picker.state.mode = Mode::Report(Confirmation {
        title: "sso-session acme: aws exited 255".into(),
        lines: vec![
            "".into(),
            "Could not connect to the endpoint URL: \"https://oidc.us-east-1.amazonaws.com/device_authorization\"".into(),
        ],
    });
    insta::assert_snapshot!("login_failure_report", draw(&mut picker, 80, 24));
    picker.state.mode = Mode::LoginFirst(awsp::tui::app::state::LoginQuestion {
        profile: "sandbox-dev".into(),
        question: "session sandbox expired 2d ago: log in first? [Y/n]".into(),
        console: false,
    });
    insta::assert_snapshot!("login_first_question", draw(&mut picker, 80, 24));
}

#[test]
fn enter_on_an_expired_session_asks_to_log_in_first() {
    let (_demo, picker) = demo_picker(None);
    let q = picker
        .login_first("sandbox-dev")
        .expect("sandbox expired 2d ago");
    assert_eq!(
        q.question,
        "session sandbox expired 2d ago: log in first? [Y/n]"
    );
    assert_eq!(picker.login_first("prod-admin"), None, "valid");
    assert_eq!(
        picker.login_first("partner-audit"),
        None,
        "the CLI refreshes it"
    );
    assert_eq!(picker.login_first("prod-deploy"), None, "not SSO");
}
