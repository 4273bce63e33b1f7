//! The load step on a home of 10,000 SSO profiles and 1,000 cached role
//! credentials (`scripts/gen-home.py`): what `awsp list --json` and the
//! picker do before showing anything.
//!
//! `cargo bench --bench load` (about a minute on 2 cores).

use std::hint::black_box;
use std::io;
use std::time::Duration;

use awsp::aws::config::Config;
use awsp::aws::ini;
use awsp::aws::paths::AwsPaths;
use awsp::aws::snapshot::Snapshot;
use awsp::commands::list::write_json;
use criterion::{criterion_group, criterion_main, Criterion};

mod common;

fn benches(c: &mut Criterion) {
    let home = common::BenchHome::ten_thousand();
    let paths = AwsPaths::under_home(&home.path);
    let text = std::fs::read_to_string(&paths.config).expect("reading the generated config");
    let now = chrono::Utc::now();

    // Sanity: the generated home is what the figures claim.
    let snap = Snapshot::load(&paths).expect("loading the generated home");
    assert!(
        snap.profiles.len() > 10_000,
        "{} profiles",
        snap.profiles.len()
    );
    let found = snap
        .profiles
        .iter()
        .filter_map(|p| p.role_cache.as_deref())
        .filter(|f| {
            !matches!(
                snap.role_credentials.get(f),
                awsp::aws::cache::Content::Missing
            )
        })
        .count();
    assert_eq!(found, 1_000, "role-credential cache files found by name");
    drop(snap);

    let mut g = c.benchmark_group("load_10k");
    g.sample_size(30)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(8));

    g.bench_function("snapshot_load", |b| {
        b.iter(|| black_box(Snapshot::load(black_box(&paths)).unwrap()))
    });
    g.bench_function("snapshot_load_write_json", |b| {
        b.iter(|| {
            let snap = Snapshot::load(black_box(&paths)).unwrap();
            write_json(
                &mut io::sink(),
                &snap,
                &awsp::sync::known::Synced::default(),
                None,
                now,
                false,
            )
            .unwrap();
            black_box(snap)
        })
    });
    g.bench_function("config_load", |b| {
        b.iter(|| black_box(Config::load(&paths.config, &paths.credentials).unwrap()))
    });
    g.bench_function("ini_parse", |b| {
        b.iter(|| black_box(ini::parse(black_box(&text)).unwrap()))
    });
    g.bench_function("rust_ini_load_from_str_opt", |b| {
        let opt = || ::ini::ParseOption {
            enabled_quote: false,
            enabled_escape: false,
            enabled_indented_mutiline_value: true,
            enabled_preserve_key_leading_whitespace: false,
        };
        b.iter(|| black_box(::ini::Ini::load_from_str_opt(black_box(&text), opt()).unwrap()))
    });
    g.finish();
}

criterion_group!(load, benches);
criterion_main!(load);
