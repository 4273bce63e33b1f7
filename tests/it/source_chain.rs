//! Hostile `source_profile` shapes end to end: a 2,000-profile chain costs
//! linear work in `list --json` and `status`, and a loop's message names one
//! profile, not the whole chain.

use std::time::{Duration, Instant};

use crate::common::{run, TestHome};

const N: usize = 2000;

/// `N` assume-role profiles, each the source of the one before; the last
/// one's source is `last_source`.
fn chain_home(last_source: &str) -> TestHome {
    let home = TestHome::new();
    let mut config = String::new();
    for i in 0..N {
        let source = if i + 1 < N {
            format!("p{}", i + 1)
        } else {
            last_source.to_string()
        };
        config.push_str(&format!(
            "[profile p{i}]\nrole_arn = arn:aws:iam::111111111111:role/R{i}\nsource_profile = {source}\n\n"
        ));
    }
    config.push_str("[profile keys]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n");
    home.write_config(&config);
    home
}

/// Runs awsp with `args` (and `AWS_PROFILE=p0`), timing it.
fn timed(home: &TestHome, args: &[&str]) -> (String, Duration) {
    let mut cmd = home.awsp();
    cmd.args(args).env("AWS_PROFILE", "p0");
    let start = Instant::now();
    let (out, err, code) = run(&mut cmd);
    let took = start.elapsed();
    assert!(code == 0, "awsp {args:?} exited {code}: {err}");
    (out, took)
}

// Generous bounds for a debug build on a busy machine: before the walker
// was shared, `list --json` took minutes here and `status` seconds.
const BOUND: Duration = Duration::from_secs(5);

#[test]
fn a_long_loop_is_listed_quickly_with_short_messages() {
    let home = chain_home("p0");
    let (out, took) = timed(&home, &["list", "--json"]);
    assert!(took < BOUND, "list --json took {took:?}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let profiles = doc["profiles"].as_array().unwrap();
    assert_eq!(profiles.len(), N + 1);
    for p in profiles.iter().take(N) {
        let name = p["name"].as_str().unwrap();
        let problem = p["problem"].as_str().unwrap();
        assert!(problem.contains(&format!("'{name}'")), "{name}: {problem}");
        assert!(problem.len() < 200, "{name}: {problem}");
    }
    // Each message names one profile: the document grows with N, not N^2.
    assert!(out.len() < 2_000_000, "{} bytes", out.len());

    let (line, took) = timed(&home, &["status"]);
    assert!(took < BOUND, "status took {took:?}");
    assert!(line.starts_with("p0 "), "{line}");
}

#[test]
fn a_long_chain_to_keys_resolves_every_profile_quickly() {
    let home = chain_home("keys");
    let (out, took) = timed(&home, &["list", "--json"]);
    assert!(took < BOUND, "list --json took {took:?}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    for p in doc["profiles"].as_array().unwrap() {
        assert!(p["problem"].is_null(), "{p}");
        assert_eq!(
            p["kind"],
            if p["name"] == "keys" {
                "static"
            } else {
                "assume-role"
            }
        );
    }
    let (json, took) = timed(&home, &["status", "--json"]);
    assert!(took < BOUND, "status --json took {took:?}");
    assert!(json.contains("\"p0\""), "{json}");
}
