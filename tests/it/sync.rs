//! `awsp sync`: the plan, `--print`, `--write` and its block, driven with
//! inventories built here (the portal is a function passed in), plus the
//! binary's own errors and a differential check with botocore and the AWS
//! CLI on the written file.

use std::cell::Cell;
use std::path::{Path, PathBuf};

use crate::common::*;
use awsp::aws::paths::AwsPaths;
use awsp::commands::sync::{run as sync_run, Session, SyncOpts};
use awsp::portal::types::{Account, AccountFailure, Assignment, Inventory};
use chrono::{DateTime, TimeDelta, Utc};

const SESSION: &str = "[sso-session acme]\nsso_start_url = https://acme.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n";

fn now() -> DateTime<Utc> {
    Utc::now()
}

/// A home with `config`, and a valid token for session `acme`.
fn home_with(config: &str) -> TestHome {
    let home = TestHome::new();
    home.write_config(config);
    home.write_sso_token("acme", &sso_token(&from_now(now(), TimeDelta::hours(2))));
    home
}

fn inventory(assignments: &[(&str, &str)], accounts: &[(&str, &str)]) -> Inventory {
    Inventory {
        accounts: accounts
            .iter()
            .map(|(id, name)| Account {
                id: id.to_string(),
                name: name.to_string(),
                email: format!("{id}@example.com"),
            })
            .collect(),
        assignments: assignments
            .iter()
            .map(|(a, r)| Assignment {
                account_id: a.to_string(),
                role_name: r.to_string(),
            })
            .collect(),
        failures: vec![],
    }
}

fn three() -> Inventory {
    inventory(
        &[
            ("112233445566", "AdministratorAccess"),
            ("112233445566", "ReadOnlyAccess"),
            ("665544332211", "ReadOnlyAccess"),
        ],
        &[("112233445566", "XYZ"), ("665544332211", "ABC")],
    )
}

struct Ran {
    code: u8,
    out: String,
    err: String,
    calls: usize,
}

/// Runs `awsp sync` in-process on `home`, the portal answering `inv`.
fn sync(home: &TestHome, opts: SyncOpts, inv: &Inventory) -> anyhow::Result<Ran> {
    let calls = Cell::new(0);
    let mut fetch = |s: &Session| {
        calls.set(calls.get() + 1);
        assert!(s.token_file.is_file(), "asked only with a token file");
        Ok(inv.clone())
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let state = home.root().join("state");
    let code = sync_run(
        &AwsPaths::under_home(home.path()),
        Some(&state),
        &opts,
        now(),
        &mut fetch,
        &mut out,
        &mut err,
    )?;
    Ok(Ran {
        code,
        out: text(&out),
        err: text(&err),
        calls: calls.get(),
    })
}

fn write_opts() -> SyncOpts {
    SyncOpts {
        write: true,
        ..SyncOpts::default()
    }
}

fn config_of(home: &TestHome) -> String {
    std::fs::read_to_string(home.aws().join("config")).unwrap()
}

#[test]
fn json_plan_names_new_stale_and_covered() {
    let config = format!(
        "{SESSION}[profile mine]\nsso_session = acme\nsso_account_id = 112233445566\nsso_role_name = AdministratorAccess\n\
         [profile old]\nsso_session = acme\nsso_account_id = 999999999999\nsso_role_name = ReadOnlyAccess\n"
    );
    let home = home_with(&config);
    let mut inv = three();
    inv.failures.push(AccountFailure {
        account_id: "777777777777".into(),
        reason: "No access".into(),
    });
    let ran = sync(
        &home,
        SyncOpts {
            json: true,
            ..SyncOpts::default()
        },
        &inv,
    )
    .unwrap();
    assert_eq!(ran.code, 0, "{}", ran.err);
    let doc: serde_json::Value = serde_json::from_str(&ran.out).unwrap();
    let s = &doc["sessions"][0];
    assert_eq!(s["name"], "acme");
    assert_eq!(s["ok"], true);
    assert_eq!(
        (
            s["accounts"].as_u64(),
            s["assignments"].as_u64(),
            s["covered"].as_u64()
        ),
        (Some(2), Some(3), Some(1))
    );
    let new: Vec<(&str, &str, &str, &str)> = s["new"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["profile"].as_str().unwrap(),
                n["account_id"].as_str().unwrap(),
                n["account_name"].as_str().unwrap(),
                n["role"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        new,
        vec![
            ("xyz-read", "112233445566", "XYZ", "ReadOnlyAccess"),
            ("abc-read", "665544332211", "ABC", "ReadOnlyAccess"),
        ]
    );
    assert_eq!(s["stale"][0]["profile"], "old");
    assert_eq!(s["stale"][0]["account_id"], "999999999999");
    assert_eq!(s["stale"][0]["role"], "ReadOnlyAccess");
    assert_eq!(s["failures"][0]["account_id"], "777777777777");
    // The inventory is kept in the state folder, without any token.
    let stored = awsp::sync::store::load(&home.root().join("state"), "acme").unwrap();
    assert_eq!(stored.inventory, inv);
    let raw = std::fs::read_to_string(awsp::sync::store::path_of(
        &home.root().join("state"),
        "acme",
    ))
    .unwrap();
    assert!(!raw.contains("SECRET"), "{raw}");
}

#[test]
fn human_plan_and_print() {
    let home = home_with(SESSION);
    let ran = sync(&home, SyncOpts::default(), &three()).unwrap();
    assert!(
        ran.out.contains(
            "session acme: 2 accounts, 3 assignments, 0 covered by a profile, 3 new, 0 stale"
        ),
        "{}",
        ran.out
    );
    assert!(
        ran.out
            .contains("new    xyz-admin  112233445566 AdministratorAccess (XYZ)"),
        "{}",
        ran.out
    );
    let ran = sync(
        &home,
        SyncOpts {
            print: true,
            region: Some("us-east-2".into()),
            ..SyncOpts::default()
        },
        &three(),
    )
    .unwrap();
    assert_eq!(
        ran.out,
        "[profile abc-read]\nsso_session = acme\nsso_account_id = 665544332211\nsso_role_name = ReadOnlyAccess\nregion = us-east-2\n\n\
         [profile xyz-admin]\nsso_session = acme\nsso_account_id = 112233445566\nsso_role_name = AdministratorAccess\nregion = us-east-2\n\n\
         [profile xyz-read]\nsso_session = acme\nsso_account_id = 112233445566\nsso_role_name = ReadOnlyAccess\nregion = us-east-2\n"
    );
    assert!(!ran.out.contains("sso_start_url"));
    assert_eq!(config_of(&home), SESSION, "--print writes nothing");
}

#[test]
fn an_expired_or_missing_token_is_reported_and_never_sent() {
    let home = TestHome::new();
    home.write_config(&format!("{SESSION}[sso-session other]\nsso_start_url = https://o.awsapps.com/start\nsso_region = eu-west-1\n"));
    home.write_sso_token("acme", &sso_token(&from_now(now(), -TimeDelta::days(2))));
    let ran = sync(&home, SyncOpts::default(), &three()).unwrap();
    assert_eq!(ran.calls, 0, "no request with an expired or missing token");
    assert_eq!(ran.code, 1);
    assert!(
        ran.out
            .contains("session acme: not synced: token expired 2d: run `awsp login acme`"),
        "{}",
        ran.out
    );
    assert!(
        ran.out.contains(
            "session other: not synced: no token (never logged in): run `awsp login other`"
        ),
        "{}",
        ran.out
    );
    // Once one session is logged in, the other is reported, not a failure...
    home.write_sso_token("other", &sso_token(&from_now(now(), TimeDelta::hours(1))));
    let ran = sync(&home, SyncOpts::default(), &three()).unwrap();
    assert_eq!((ran.calls, ran.code), (1, 0), "{}", ran.out);
    assert!(ran.out.contains("run `awsp login acme`"), "{}", ran.out);
    // ...unless it is named.
    let ran = sync(
        &home,
        SyncOpts {
            sessions: vec!["acme".into(), "other".into()],
            ..SyncOpts::default()
        },
        &three(),
    )
    .unwrap();
    assert_eq!((ran.calls, ran.code), (1, 1), "{}", ran.out);
    // Only the named session is asked.
    let ran = sync(
        &home,
        SyncOpts {
            sessions: vec!["other".into()],
            ..SyncOpts::default()
        },
        &three(),
    )
    .unwrap();
    assert_eq!((ran.calls, ran.code), (1, 0), "{}", ran.out);
}

#[test]
fn bad_input_from_the_binary_exits_2() {
    let home = home_with(SESSION);
    let (out, err, code) = run(home.awsp().args(["sync", "nosuch"]));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("no sso-session 'nosuch'") && err.contains("sessions: acme"),
        "{err}"
    );
    let (_, err, code) = run(home.awsp().args(["sync", "--name", "{acount}"]));
    assert_eq!(code, 2);
    assert!(err.contains("unknown placeholder {acount}"), "{err}");
    let expired = TestHome::new();
    expired.write_config(SESSION);
    let (out, _, code) = run(expired.awsp().args(["sync", "--json"]));
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["sessions"][0]["ok"], false);
    assert!(doc["sessions"][0]["error"]
        .as_str()
        .unwrap()
        .contains("awsp login acme"));
}

#[test]
fn write_appends_a_block_then_a_second_write_touches_nothing() {
    let original = format!("# my notes\r\n{}", SESSION.replace('\n', "\r\n"));
    let original = original.trim_end().to_string(); // no final newline
    let home = home_with(&original);
    let ran = sync(&home, write_opts(), &three()).unwrap();
    assert_eq!(ran.code, 0, "{}", ran.err);
    let written = config_of(&home);
    assert!(
        written.starts_with(&original),
        "every byte before the block kept"
    );
    let block = &written[original.len()..];
    assert!(
        block.starts_with("\r\n\r\n# awsp sync begin: session acme"),
        "{block:?}"
    );
    assert!(
        !block.replace("\r\n", "").contains('\n'),
        "CRLF kept: {block:?}"
    );
    assert!(block.contains("[profile xyz-admin]\r\nsso_session = acme\r\nsso_account_id = 112233445566\r\nsso_role_name = AdministratorAccess\r\nregion = us-east-1\r\n"));
    assert!(ran.err.contains("added 3 profiles"), "{}", ran.err);
    let backup = home.aws().join("config.awsp-backup");
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), original);

    let path = home.aws().join("config");
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let ran = sync(&home, write_opts(), &three()).unwrap();
    assert_eq!(ran.code, 0);
    assert!(ran.err.contains("nothing to change"), "{}", ran.err);
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        before
    );
    assert_eq!(config_of(&home), written);
}

#[test]
fn write_removes_generated_profiles_no_longer_assigned_and_only_reports_hand_written() {
    let config = format!(
        "{SESSION}[profile hand]\nsso_session = acme\nsso_account_id = 665544332211\nsso_role_name = ReadOnlyAccess\n"
    );
    let home = home_with(&config);
    sync(&home, write_opts(), &three()).unwrap();
    assert!(config_of(&home).contains("[profile xyz-read]"));
    let fewer = inventory(
        &[("112233445566", "AdministratorAccess")],
        &[("112233445566", "XYZ")],
    );
    let ran = sync(&home, write_opts(), &fewer).unwrap();
    assert_eq!(ran.code, 0, "{}", ran.err);
    let after = config_of(&home);
    assert!(!after.contains("[profile xyz-read]"), "{after}");
    assert!(after.contains("[profile xyz-admin]"));
    assert!(
        after.starts_with(&config),
        "the hand-written profile is untouched"
    );
    assert!(
        ran.err.contains("removed 1 no longer assigned (xyz-read)"),
        "{}",
        ran.err
    );
    assert!(ran.err.contains("hand-written profile 'hand' (665544332211/ReadOnlyAccess) is no longer assigned; left as is"), "{}", ran.err);
}

#[test]
fn separate_blocks_per_session_and_a_malformed_block_writes_nothing() {
    let config = format!(
        "{SESSION}[sso-session beta]\nsso_start_url = https://beta.awsapps.com/start\nsso_region = eu-west-1\n"
    );
    let home = home_with(&config);
    home.write_sso_token("beta", &sso_token(&from_now(now(), TimeDelta::hours(2))));
    let ran = sync(&home, write_opts(), &three()).unwrap();
    assert_eq!(ran.code, 0, "{}", ran.err);
    let written = config_of(&home);
    assert!(written.contains("# awsp sync begin: session acme"));
    assert!(written.contains("# awsp sync begin: session beta"));
    assert!(written.contains("[profile xyz-admin]\nsso_session = acme"));
    // The same account under the other session: its own names, never a taken one.
    assert!(
        written.contains("[profile xyz-admin-5566]\nsso_session = beta"),
        "{written}"
    );

    let broken = format!(
        "{written}# awsp sync begin: session acme (generated; edits inside are replaced)\n"
    );
    std::fs::write(home.aws().join("config"), &broken).unwrap();
    let e = sync(&home, write_opts(), &three()).err().expect("an error");
    assert!(
        e.to_string()
            .contains("a second awsp block for session 'acme'"),
        "{e}"
    );
    assert_eq!(config_of(&home), broken, "nothing written");
}

#[test]
fn a_symlinked_config_is_written_through_with_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let home = home_with("");
    let dotfiles = home.root().join("dotfiles");
    std::fs::create_dir(&dotfiles).unwrap();
    let target = dotfiles.join("aws-config");
    std::fs::write(&target, SESSION).unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
    let link = home.aws().join("config");
    std::fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink(&target, &link).unwrap();
    sync(&home, write_opts(), &three()).unwrap();
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(&target)
        .unwrap()
        .contains("[profile xyz-admin]"));
    assert_eq!(
        std::fs::metadata(&target).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(
        std::fs::read_to_string(dotfiles.join("aws-config.awsp-backup")).unwrap(),
        SESSION
    );
}

// ---- Every byte outside the block: random files --------------------------

/// xorshift64*: a fixed sequence from a seed, no crate needed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

/// A random config that configparser accepts: comments, blank lines, odd
/// spacing, `:` delimiters, continuation lines, unique sections and keys.
fn random_lines(rng: &mut Rng, sections: &mut usize) -> Vec<String> {
    let mut lines = Vec::new();
    for _ in 0..rng.below(4) {
        *sections += 1;
        let header = rng.pick(&[
            "[profile p{}]",
            "[ profile  p{} ]",
            "[services s{}]",
            "[p{}]",
        ]);
        lines.push(header.replace("{}", &sections.to_string()));
        for k in 0..rng.below(4) {
            let line = match rng.below(7) {
                0 => format!("k{k} = v"),
                1 => format!("k{k}=v  with  spaces   "),
                2 => format!("k{k} : colon"),
                3 => format!("k{k} =\n  nested = x"),
                4 => "# a comment; ünïcode".to_string(),
                5 => String::new(),
                _ => format!("\tk{k}x = indented continuation"),
            };
            lines.push(line);
        }
        if rng.below(3) == 0 {
            lines.push("; semicolon comment".into());
        }
    }
    lines
}

fn join(rng: &mut Rng, lines: &[String]) -> String {
    let nl = rng.pick(&["\n", "\r\n"]);
    let mut text = lines.join("\n").replace('\n', nl);
    if !text.is_empty() && rng.below(2) == 0 {
        text.push_str(nl);
    }
    text
}

#[test]
fn random_files_keep_every_byte_outside_the_block() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut checked = 0;
    for round in 0..60 {
        let mut sections = 0;
        let mut before = vec![SESSION.trim_end().to_string()];
        before.extend(random_lines(&mut rng, &mut sections));
        let after = random_lines(&mut rng, &mut sections);
        let head = join(&mut rng, &before);
        let home = home_with(&head);
        if awsp::aws::config::Config::load(&home.aws().join("config"), Path::new("/nonexistent"))
            .is_err()
        {
            continue;
        }
        // 1. Appended: the file is a prefix of the result.
        let ran = sync(&home, write_opts(), &three()).unwrap();
        assert_eq!(ran.code, 0, "round {round}: {}", ran.err);
        let first = config_of(&home);
        assert!(
            first.starts_with(&head),
            "round {round}: {head:?} -> {first:?}"
        );
        // 2. Text after the block too; then the block is replaced in place.
        let nl = if head.contains("\r\n") { "\r\n" } else { "\n" };
        let tail = join(&mut rng, &after).replace("\r\n", nl);
        let middle = format!("{first}{tail}");
        std::fs::write(home.aws().join("config"), &middle).unwrap();
        let fewer = inventory(
            &[
                ("665544332211", "ReadOnlyAccess"),
                ("123412341234", "Billing"),
            ],
            &[("665544332211", "ABC"), ("123412341234", "Pay")],
        );
        let ran = sync(&home, write_opts(), &fewer).unwrap();
        assert_eq!(ran.code, 0, "round {round}: {}", ran.err);
        let second = config_of(&home);
        let start = second.find("# awsp sync begin").unwrap();
        let end_marker = "# awsp sync end: session acme";
        let end = second.find(end_marker).unwrap() + end_marker.len() + nl.len();
        assert_eq!(
            &second[..start],
            &middle[..middle.find("# awsp sync begin").unwrap()],
            "round {round}"
        );
        assert_eq!(&second[end.min(second.len())..], tail, "round {round}");
        assert!(second[start..end.min(second.len())].contains("[profile pay-billing]"));
        assert!(!second.contains("[profile xyz-admin]"));
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} random files parsed");
}

// ---- Differential: botocore and the AWS CLI read the written profiles ----

fn oracle_tools() -> Option<(PathBuf, PathBuf)> {
    Some((oracle_python(&["botocore"])?, aws_cli()?))
}

const BOTOCORE_READS: &str = r#"
import json, sys, botocore.session
s = botocore.session.Session()
profiles = s.full_config["profiles"]
print(json.dumps({n: [p.get("sso_session"), p.get("sso_account_id"), p.get("sso_role_name"), p.get("region")] for n, p in profiles.items()}))
"#;

#[test]
fn botocore_and_the_aws_cli_read_the_written_profiles() {
    let Some((python, aws)) = oracle_tools() else {
        return;
    };
    let original =
        format!("# keep me\n{SESSION}[profile hand]\nregion = eu-west-1\n   odd = spacing\n");
    let home = home_with(original.trim_end());
    let mut inv = three();
    inv.accounts.push(Account {
        id: "223344556677".into(),
        name: "XYZ".into(),
        email: "dup@example.com".into(),
    });
    for role in ["Deploy+CI@x", "AdministratorAccess"] {
        inv.assignments.push(Assignment {
            account_id: "223344556677".into(),
            role_name: role.into(),
        });
    }
    let ran = sync(&home, write_opts(), &inv).unwrap();
    assert_eq!(ran.code, 0, "{}", ran.err);
    let config = home.aws().join("config");
    let clean_env = |cmd: &mut std::process::Command| {
        cmd.env_clear()
            .env("HOME", home.path())
            .env("AWS_CONFIG_FILE", &config)
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                home.aws().join("credentials"),
            )
            .env("AWS_EC2_METADATA_DISABLED", "true");
    };
    let mut py = std::process::Command::new(&python);
    py.args(["-c", BOTOCORE_READS]);
    clean_env(&mut py);
    let o = py.output().unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    let seen: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let want = [
        ("xyz-admin-5566", "112233445566", "AdministratorAccess"),
        ("xyz-admin-6677", "223344556677", "AdministratorAccess"),
        ("xyz-read", "112233445566", "ReadOnlyAccess"),
        ("abc-read", "665544332211", "ReadOnlyAccess"),
        ("xyz-deploy-ci-x", "223344556677", "Deploy+CI@x"),
    ];
    // The plan's names, read back by botocore with the same values.
    let plan: Vec<&str> = want.iter().map(|w| w.0).collect();
    for (name, account, role) in want {
        assert_eq!(
            seen[name],
            serde_json::json!(["acme", account, role, "us-east-1"]),
            "{name}: {seen}"
        );
    }
    // The indented line still continues the hand-written region, as before.
    assert_eq!(seen["hand"][3], "eu-west-1\nodd = spacing");
    let mut cli = std::process::Command::new(&aws);
    cli.args(["configure", "list-profiles"]);
    clean_env(&mut cli);
    let o = cli.output().unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    let listed: Vec<String> = text(&o.stdout).lines().map(str::to_string).collect();
    for name in &plan {
        assert!(listed.iter().any(|l| l == name), "{name} not in {listed:?}");
    }
    for (name, key, value) in [
        ("xyz-deploy-ci-x", "sso_role_name", "Deploy+CI@x"),
        ("xyz-admin-5566", "sso_account_id", "112233445566"),
        ("abc-read", "sso_session", "acme"),
    ] {
        let mut get = std::process::Command::new(&aws);
        get.args(["configure", "get", key, "--profile", name]);
        clean_env(&mut get);
        let o = get.output().unwrap();
        assert_eq!(
            text(&o.stdout).trim(),
            value,
            "{name} {key}: {}",
            text(&o.stderr)
        );
    }
}

#[test]
fn a_config_edited_during_the_sync_is_not_replaced() {
    let home = home_with(SESSION);
    let path = home.aws().join("config");
    let edited = format!("{SESSION}[profile typed-meanwhile]\nregion = x\n");
    let mut fetch = |_: &Session| {
        // The user saves the file while awsp waits for the portal.
        std::fs::write(&path, &edited).unwrap();
        Ok(three())
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = sync_run(
        &AwsPaths::under_home(home.path()),
        None,
        &write_opts(),
        now(),
        &mut fetch,
        &mut out,
        &mut err,
    )
    .unwrap();
    assert_eq!(code, 1);
    assert!(
        text(&err).contains("changed since awsp read it; nothing written"),
        "{}",
        text(&err)
    );
    assert_eq!(config_of(&home), edited);
    assert!(!home.aws().join("config.awsp-backup").exists());
}

/// The binary against the fake portal, as a user runs it: found through
/// `AWS_ENDPOINT_URL_SSO`, then (no variable) through the `services`
/// section of the profile the AWS CLI would use (`default` here), as a
/// botocore session finds it. The token goes only to the portal.
#[test]
fn the_binary_syncs_from_the_portal_named_by_variable_or_config() {
    use crate::support::fake_portal::{FakeConfig, FakePortal};
    let portal = FakePortal::start(FakeConfig {
        accounts: 3,
        roles_per_account: 2,
        ..FakeConfig::default()
    });
    let home = TestHome::new();
    home.write_config(SESSION);
    let token = format!(
        r#"{{"accessToken": "{}", "expiresAt": "{}"}}"#,
        portal.token(),
        from_now(now(), TimeDelta::hours(2))
    );
    home.write_sso_token("acme", &token);
    let mut cmd = home.awsp();
    cmd.env("AWS_ENDPOINT_URL_SSO", portal.url())
        .env_remove("AWS_PROFILE");
    let (out, err, code) = run(cmd.args(["sync", "--json"]));
    assert_eq!(code, 0, "{err}");
    let by_variable: serde_json::Value = serde_json::from_str(&out).unwrap();
    let new = &by_variable["sessions"][0]["new"];
    assert_eq!(new.as_array().map(Vec::len), Some(6), "{out}");
    assert!(!out.contains(portal.token()) && !err.contains(portal.token()));

    home.write_config(&format!(
        "[default]\nservices = here\n\n{SESSION}\n[services here]\nsso =\n  endpoint_url = {}\n",
        portal.url()
    ));
    let mut cmd = home.awsp();
    cmd.env_remove("AWS_ENDPOINT_URL_SSO")
        .env_remove("AWS_PROFILE");
    let (out, err, code) = run(cmd.args(["sync", "--json"]));
    assert_eq!(code, 0, "{err}");
    let by_config: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(by_config["sessions"][0]["new"], *new);
}
