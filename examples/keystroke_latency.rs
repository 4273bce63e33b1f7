//! Median and worst time of a keystroke (re-filter + redraw on a 120x40
//! TestBackend) while typing realistic queries into the picker on a home:
//! `cargo run --release --example keystroke_latency -- HOME`
//! (make one with `scripts/gen-home.py DIR`). Criterion gives medians; this
//! gives the worst case too, over every prefix of every query.

use std::time::Instant;

use awsp::aws::paths::AwsPaths;
use awsp::aws::snapshot::Snapshot;
use awsp::tui::app::action::Action;
use awsp::tui::app::state::State;
use awsp::tui::app::update::update;
use awsp::tui::picker::{entries, Picker};
use awsp::tui::ui::Theme;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

const QUERIES: &[&str] = &[
    "acct-0042-admin",
    "prod",
    "admin",
    "ReadOnly",
    "0999",
    "zz",
    "eu-west",
    "acct42ro",
    "xyzzy",
];

fn main() {
    let home = std::env::args()
        .nth(1)
        .expect("usage: keystroke_latency HOME");
    let paths = AwsPaths::under_home(std::path::Path::new(&home));
    let snap = Snapshot::load(&paths).expect("loading the home");
    let n = snap.profiles.len();
    let entries = entries(&snap);
    let mut picker = Picker {
        snap,
        state: State::new(entries, "", chrono::Utc::now()),
        active: None,
        warnings: vec![],
        theme: Theme { color: true },
        sync: Default::default(),
    };
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| picker.draw(f)).unwrap();
    let mut times = Vec::new();
    for round in 0..5 {
        for q in QUERIES {
            update(&mut picker.state, Action::StartFilter);
            for ch in q.chars() {
                let start = Instant::now();
                update(&mut picker.state, Action::Type(ch));
                let mid = start.elapsed().as_secs_f64() * 1e3;
                terminal.draw(|f| picker.draw(f)).unwrap();
                if std::env::var_os("VERBOSE").is_some() {
                    eprintln!(
                        "{q} {ch}: filter {mid:.2} total {:.2}",
                        start.elapsed().as_secs_f64() * 1e3
                    );
                }
                if round > 0 {
                    times.push(start.elapsed().as_secs_f64() * 1e3);
                }
            }
            for _ in q.chars() {
                let start = Instant::now();
                update(&mut picker.state, Action::Backspace);
                terminal.draw(|f| picker.draw(f)).unwrap();
                if round > 0 {
                    times.push(start.elapsed().as_secs_f64() * 1e3);
                }
            }
        }
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
    println!(
        "{n} profiles, {} keystrokes: median {:.2} ms, p95 {:.2} ms, worst {:.2} ms",
        times.len(),
        pct(0.5),
        pct(0.95),
        times[times.len() - 1]
    );
}
