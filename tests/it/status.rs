//! `awsp status` end to end on a temp HOME: every line form, --json,
//! --format, the exit codes, and the per-profile fast path against the
//! full load on every fixture home.

use std::path::{Path, PathBuf};

use crate::common::{awsp, from_now, refreshable_sso_token, run, sso_token, TestHome};
use awsp::aws::config::Config;
use awsp::aws::snapshot::{profile_info_by_name, Snapshot};
use chrono::{Duration, Utc};

const CONFIG: &str = "\
[default]
region = us-east-1

[sso-session main]
sso_start_url = https://main.awsapps.com/start
sso_region = us-east-1

[sso-session old]
sso_start_url = https://old.awsapps.com/start
sso_region = us-east-1

[sso-session fresh]
sso_start_url = https://fresh.awsapps.com/start
sso_region = us-east-1

[sso-session never]
sso_start_url = https://never.awsapps.com/start
sso_region = us-east-1

[profile xyz-admin]
sso_session = main
sso_account_id = 112233445566
sso_role_name = AdministratorAccess
region = eu-west-1

[profile old-read]
sso_session = old
sso_account_id = 222222222222
sso_role_name = ReadOnly

[profile fresh-dev]
sso_session = fresh
sso_account_id = 333333333333
sso_role_name = Developer

[profile never-dev]
sso_session = never
sso_account_id = 777777777777
sso_role_name = Developer

[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 444444444444
sso_role_name = Billing

[profile deploy]
role_arn = arn:aws:iam::555555555555:role/path/Deployer
source_profile = xyz-admin

[profile broken]
sso_session = nope
sso_account_id = 666666666666
sso_role_name = Admin
";

const CREDENTIALS: &str = "\
[static]
aws_access_key_id = AKIAEXAMPLEKEY12345
aws_secret_access_key = SECRETSECRETSECRETKEY
";

/// A temp HOME with the fixture files; tokens relative to now.
fn home(config: &str) -> TestHome {
    let h = TestHome::new();
    let now = Utc::now();
    h.write_config(config);
    h.write_credentials(CREDENTIALS);
    // 6h12m plus half a minute, so a second of test time still shows 6h12m.
    h.write_sso_token("main", &sso_token(&from_now(now, Duration::seconds(22350))));
    h.write_sso_token("old", &sso_token(&from_now(now, -Duration::days(2))));
    h.write_sso_token(
        "fresh",
        &refreshable_sso_token(
            &from_now(now, Duration::minutes(5)),
            &from_now(now, Duration::days(30)),
        ),
    );
    h.write_sso_token(
        "https://legacy.awsapps.com/start",
        &sso_token(&from_now(now, Duration::seconds(5430))),
    );
    h
}

fn status(h: &TestHome, profile: Option<&str>, args: &[&str]) -> (String, String, i32) {
    let mut cmd = h.awsp();
    cmd.env("PATH", "/usr/bin:/bin").arg("status").args(args);
    if let Some(p) = profile {
        cmd.env("AWS_PROFILE", p);
    }
    run(&mut cmd)
}

fn line_of(profile: &str) -> (String, i32) {
    let h = home(CONFIG);
    let (out, _, code) = status(&h, Some(profile), &[]);
    (out, code)
}

#[test]
fn sso_session_valid_shows_time_left() {
    assert_eq!(
        line_of("xyz-admin"),
        (
            "xyz-admin 112233445566/AdministratorAccess main:6h12m\n".into(),
            0
        )
    );
}

#[test]
fn expired_refreshable_and_missing_tokens() {
    assert_eq!(
        line_of("old-read").0,
        "old-read 222222222222/ReadOnly old:expired\n"
    );
    assert_eq!(
        line_of("fresh-dev").0,
        "fresh-dev 333333333333/Developer fresh:refreshable\n"
    );
    assert_eq!(
        line_of("never-dev").0,
        "never-dev 777777777777/Developer never:missing\n"
    );
}

#[test]
fn legacy_profile_uses_the_start_url_host() {
    assert_eq!(
        line_of("legacy").0,
        "legacy 444444444444/Billing legacy:1h30m\n"
    );
}

#[test]
fn assume_role_and_static_have_no_session_part() {
    assert_eq!(line_of("deploy").0, "deploy 555555555555/Deployer\n");
    assert_eq!(line_of("static"), ("static\n".into(), 0));
}

#[test]
fn a_profile_with_a_problem_ends_with_bang() {
    assert_eq!(
        line_of("broken"),
        ("broken 666666666666/Admin nope:error!\n".into(), 0)
    );
}

#[test]
fn no_active_profile_prints_nothing_and_exits_0() {
    let h = home(CONFIG);
    for args in [&[][..], &["--format", "{profile}"]] {
        assert_eq!(status(&h, None, args), (String::new(), String::new(), 0));
    }
    // Scripts get a document they can parse.
    let (out, err, code) = status(&h, None, &["--json"]);
    assert_eq!((err.as_str(), code), ("", 0));
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v, serde_json::json!({"profile": null}));
    // An empty AWS_PROFILE is no profile.
    assert_eq!(status(&h, Some(""), &[]).0, "");
}

#[test]
fn unknown_profile_prints_name_question_mark_and_exits_1() {
    let h = home(CONFIG);
    assert_eq!(
        status(&h, Some("ghost"), &[]),
        ("ghost?\n".into(), String::new(), 1)
    );
    let (out, _, code) = status(&h, Some("ghost"), &["--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(code, 1);
    assert_eq!(v["exists"], false);
    assert!(v["problem"].as_str().unwrap().contains("ghost"));
    let (out, _, code) = status(&h, Some("ghost"), &["--format", "[{profile}{mark}]"]);
    assert_eq!((out.as_str(), code), ("[ghost?]\n", 1));
}

#[test]
fn aws_default_profile_wins_over_aws_profile() {
    let h = home(CONFIG);
    let out = h
        .awsp()
        .env("AWS_PROFILE", "xyz-admin")
        .env("AWS_DEFAULT_PROFILE", "static")
        .arg("status")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "static\n");
}

#[test]
fn json_has_the_documented_fields() {
    let h = home(CONFIG);
    let (out, _, code) = status(&h, Some("xyz-admin"), &["--json"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 1, "one line: {out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["profile"], "xyz-admin");
    assert_eq!(v["account_id"], "112233445566");
    assert_eq!(v["role_name"], "AdministratorAccess");
    assert_eq!(v["kind"], "sso");
    assert_eq!(v["sso_session"], "main");
    assert_eq!(v["region"], "eu-west-1");
    assert_eq!(v["problem"], serde_json::Value::Null);
    assert_eq!(v["token"]["status"], "valid");
    let left = v["token"]["seconds_left"].as_i64().unwrap();
    assert!((22_300..=22_350).contains(&left), "{left}");
    assert!(v["token"]["expires_at"].as_str().unwrap().ends_with('Z'));
    let (out, _, _) = status(&h, Some("static"), &["--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["kind"], "static");
    assert_eq!(v["token"], serde_json::Value::Null);
}

#[test]
fn format_fills_every_placeholder() {
    let h = home(CONFIG);
    let t = "{profile}|{account}|{role}|{region}|{session}|{status}|{left}|{kind}|{mark}|{{x}}";
    let (out, _, code) = status(&h, Some("xyz-admin"), &["--format", t]);
    assert_eq!(
        (out.as_str(), code),
        (
            "xyz-admin|112233445566|AdministratorAccess|eu-west-1|main|valid|6h12m|sso||{x}\n",
            0
        )
    );
    let (out, _, _) = status(&h, Some("broken"), &["--format", t]);
    assert_eq!(
        out,
        "broken|666666666666|Admin||nope|config_error|error|sso|!|{x}\n"
    );
}

#[test]
fn unknown_placeholder_exits_2_with_a_clear_message() {
    let h = home(CONFIG);
    for profile in [Some("xyz-admin"), None] {
        let (out, err, code) = status(&h, profile, &["--format", "{profile} {acount}"]);
        assert_eq!((out.as_str(), code), ("", 2));
        assert!(err.contains("unknown placeholder {acount}"), "{err}");
        assert!(err.contains("{account}"), "lists the known ones: {err}");
    }
    let (_, err, code) = status(&h, None, &["--format", "{profile"]);
    assert_eq!(code, 2);
    assert!(err.contains("closing"), "{err}");
}

#[test]
fn a_file_that_does_not_parse_marks_the_profile_and_exits_2() {
    let h = home(&format!("{CONFIG}\nthis line is junk\n"));
    // It runs before every prompt: the mark only, `awsp doctor` explains.
    let (out, err, code) = status(&h, Some("xyz-admin"), &[]);
    assert_eq!((out.as_str(), err.as_str(), code), ("xyz-admin!\n", "", 2));
    let (out, err, code) = status(&h, Some("xyz-admin"), &["--json"]);
    assert_eq!(err, "");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(code, 2);
    // The reason names the line's first word, never the rest (it can be a secret).
    let problem = v["problem"].as_str().unwrap();
    assert!(
        problem.contains("the line starting \"this\" has no"),
        "{problem}"
    );
    assert!(!problem.contains("junk"), "{problem}");
}

#[test]
fn never_prints_tokens_or_secrets() {
    let h = home(CONFIG);
    for p in [
        "xyz-admin",
        "old-read",
        "fresh-dev",
        "legacy",
        "static",
        "deploy",
    ] {
        for args in [&[][..], &["--json"]] {
            let (out, err, _) = status(&h, Some(p), args);
            for secret in ["SECRET", "AKIAEXAMPLE"] {
                assert!(
                    !out.contains(secret) && !err.contains(secret),
                    "{p}: {out}{err}"
                );
            }
        }
    }
}

#[test]
fn demo_status_for_prod_admin() {
    let out = awsp()
        .env("AWS_PROFILE", "prod-admin")
        .args(["--demo", "status"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0));
    let rest = text
        .strip_prefix("prod-admin 111111111111/AdministratorAccess acme:")
        .unwrap_or_else(|| panic!("{text}"));
    // The demo's acme token has about 6h12m left.
    assert!(rest.trim_end().starts_with("6h1"), "{text}");
}

/// Every fixture home: its folder, config file and credentials file.
fn fixture_homes() -> Vec<(PathBuf, PathBuf, PathBuf)> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let homes: Vec<_> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|entry| {
            let dir = entry.unwrap().path();
            let (config, credentials) = (dir.join("config"), dir.join("credentials"));
            (dir, config, credentials)
        })
        .collect();
    assert!(homes.len() > 50, "{} fixture homes", homes.len());
    homes
}

/// `list --names`'s load gives the full load's names in its order, and
/// its error, on every fixture home.
#[test]
fn load_names_agrees_with_the_full_load_on_every_fixture() {
    for (dir, config, credentials) in fixture_homes() {
        let names = |c: Config| c.profiles.into_iter().map(|p| p.name).collect::<Vec<_>>();
        let full = Config::load(&config, &credentials).map(names);
        let fast = Config::load_names(&config, &credentials).map(names);
        assert_eq!(
            fast.map_err(|e| e.to_string()),
            full.map_err(|e| e.to_string()),
            "{}",
            dir.display()
        );
    }
}

/// The fast path gives, for every profile of every fixture home, what the
/// full load gives (and the same error for a file that does not parse).
#[test]
fn load_for_profile_agrees_with_the_full_load_on_every_fixture() {
    let mut checked = 0;
    for (dir, config, credentials) in fixture_homes() {
        let full = Config::load(&config, &credentials);
        let full = match full {
            Err(e) => {
                let fast = Config::load_for_profile(&config, &credentials, "x").unwrap_err();
                assert_eq!(fast.to_string(), e.to_string(), "{}", dir.display());
                continue;
            }
            Ok(c) => c,
        };
        let mut names: Vec<String> = full.profiles.iter().map(|p| p.name.clone()).collect();
        names.push("no-such-profile".into());
        let snap = Snapshot::from_config(&awsp::aws::paths::AwsPaths::under_home(&dir), full);
        for name in names {
            let fast = Config::load_for_profile(&config, &credentials, &name).unwrap();
            let want = snap.find_profile(&name);
            let got = profile_info_by_name(&fast, &name);
            match (want, got) {
                (None, None) => {}
                (Some(w), Some(g)) => {
                    let ctx = format!("{} / {name}", dir.display());
                    assert_eq!(snap.profile(w), &fast.profiles[g.index], "{ctx}");
                    assert_eq!(
                        (
                            w.kind,
                            &w.problem,
                            &w.account_id,
                            &w.role_name,
                            &w.token,
                            &w.role_cache
                        ),
                        (
                            g.kind,
                            &g.problem,
                            &g.account_id,
                            &g.role_name,
                            &g.token,
                            &g.role_cache
                        ),
                        "{ctx}"
                    );
                    checked += 1;
                }
                (w, g) => panic!("{} / {name}: {w:?} vs {g:?}", dir.display()),
            }
        }
    }
    assert!(checked > 100, "{checked} profiles compared");
}
