//! The picker on the 10,000-profile home: the first frame (load + build the
//! state + draw the visible rows) and a keystroke (re-filter + redraw), on
//! ratatui's TestBackend at 120x40.

mod common;

use awsp::aws::paths::AwsPaths;
use awsp::aws::snapshot::Snapshot;
use awsp::tui::app::action::Action;
use awsp::tui::app::state::State;
use awsp::tui::app::update::update;
use awsp::tui::picker::{entries, Picker};
use awsp::tui::ui::Theme;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn picker(paths: &AwsPaths, query: &str) -> Picker<'static> {
    let snap = Snapshot::load(paths).unwrap();
    let entries = entries(&snap);
    Picker {
        snap,
        state: State::new(entries, query, chrono::Utc::now()),
        active: None,
        warnings: vec![],
        theme: Theme { color: true },
        sync: Default::default(),
    }
}

fn bench(c: &mut Criterion) {
    let home = common::BenchHome::ten_thousand();
    let paths = AwsPaths::under_home(&home.path);
    let mut group = c.benchmark_group("picker_10k");
    group.sample_size(30);

    group.bench_function("first_frame", |b| {
        b.iter(|| {
            let mut p = picker(&paths, "");
            let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
            t.draw(|f| p.draw(f)).unwrap();
        })
    });

    let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
    // The first character scans all 10,000 entries.
    group.bench_function("keystroke_first_char", |b| {
        b.iter_batched_ref(
            || picker(&paths, ""),
            |p| {
                update(&mut p.state, Action::StartFilter);
                update(&mut p.state, Action::Type('a'));
                t.draw(|f| p.draw(f)).unwrap();
            },
            BatchSize::LargeInput,
        )
    });
    // A further character refines the previous matches.
    group.bench_function("keystroke_refine", |b| {
        b.iter_batched_ref(
            || {
                let mut p = picker(&paths, "acct-00");
                p.state.refilter();
                p
            },
            |p| {
                update(&mut p.state, Action::Type('4'));
                t.draw(|f| p.draw(f)).unwrap();
            },
            BatchSize::LargeInput,
        )
    });
    // Backspace rescans everything with the shorter query.
    group.bench_function("keystroke_backspace", |b| {
        b.iter_batched_ref(
            || picker(&paths, "acct-0042"),
            |p| {
                update(&mut p.state, Action::Backspace);
                t.draw(|f| p.draw(f)).unwrap();
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
