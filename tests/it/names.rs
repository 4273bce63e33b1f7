//! Account names and drift after `awsp sync` (issue 12): `list`, `list
//! --json`, `doctor` and the picker's `a` key read the stored inventory,
//! with no network; without a store nothing changes.

use crate::common::{require, run, TestHome, Tmux};
use awsp::portal::types::{Account, Assignment, Inventory};
use chrono::{Duration, Utc};

const CONFIG: &str = "\
[sso-session acme]
sso_start_url = https://acme.awsapps.com/start
sso_region = eu-west-1

# written by hand
[profile prod-admin]
sso_session = acme
sso_account_id = 111122223333
sso_role_name = AdministratorAccess

[profile gone-read]
sso_session = acme
sso_account_id = 999988887777
sso_role_name = ReadOnlyAccess

[profile legacy]
sso_start_url = https://acme.awsapps.com/start/
sso_region = eu-west-1
sso_account_id = 444455556666
sso_role_name = ReadOnlyAccess

[profile plain]
region = us-east-1
";

fn inventory() -> Inventory {
    let account = |id: &str, name: &str| Account {
        id: id.into(),
        name: name.into(),
        email: format!("{id}@example.com"),
    };
    let assigned = |id: &str, role: &str| Assignment {
        account_id: id.into(),
        role_name: role.into(),
    };
    Inventory {
        accounts: vec![
            account("111122223333", "ACME Prod"),
            account("444455556666", "Dev Sandbox"),
        ],
        assignments: vec![
            assigned("111122223333", "AdministratorAccess"),
            assigned("111122223333", "ReadOnlyAccess"),
            assigned("444455556666", "ReadOnlyAccess"),
        ],
        failures: Vec::new(),
    }
}

/// awsp's state folder for a HOME with no AWSP_STATE_DIR (XDG's state dir).
fn state_dir(home: &TestHome) -> std::path::PathBuf {
    home.path().join(".local/state/awsp")
}

fn synced_home(hours_ago: i64) -> TestHome {
    let home = TestHome::new();
    home.write_config(CONFIG);
    let at = Utc::now() - Duration::hours(hours_ago);
    awsp::sync::store::save(&state_dir(&home), "acme", &inventory(), at).unwrap();
    home
}

fn list(home: &TestHome, args: &[&str]) -> (String, String, i32) {
    run(home.awsp().arg("list").args(args))
}

fn names_in_json(text: &str) -> Vec<(String, serde_json::Value)> {
    let doc: serde_json::Value = serde_json::from_str(text).unwrap();
    doc["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let name = p["name"].as_str().unwrap().to_string();
            let account = p
                .get("account_name")
                .cloned()
                .unwrap_or(serde_json::Value::from("ABSENT"));
            (name, account)
        })
        .collect()
}

#[test]
fn without_a_store_list_and_json_are_as_before() {
    let home = TestHome::new();
    home.write_config(CONFIG);
    let (table, err, code) = list(&home, &[]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(!table.contains("ACCOUNT NAME"), "{table}");
    let header: Vec<&str> = table.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        ["PROFILE", "KIND", "ACCOUNT", "ROLE", "REGION", "SESSION", "TOKEN", "CREDS"]
    );
    let (json, _, _) = list(&home, &["--json"]);
    assert!(!json.contains("account_name"), "{json}");

    // The same home with a store for a session the config does not have:
    // byte for byte the same output.
    awsp::sync::store::save(&state_dir(&home), "other", &inventory(), Utc::now()).unwrap();
    assert_eq!(list(&home, &[]).0, table);
    assert_eq!(list(&home, &["--json"]).0, json);
}

#[test]
fn list_names_hand_written_and_legacy_profiles_after_a_sync() {
    let home = synced_home(3);
    let (table, err, code) = list(&home, &[]);
    assert_eq!((code, err.as_str()), (0, ""), "{table}");
    let rows: Vec<Vec<&str>> = table
        .lines()
        .map(|l| {
            l.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect();
    assert_eq!(
        &rows[0][..4],
        ["PROFILE", "KIND", "ACCOUNT", "ACCOUNT NAME"]
    );
    assert_eq!(
        &rows[1][..4],
        ["prod-admin", "sso", "111122223333", "ACME Prod"]
    );
    assert_eq!(&rows[2][..4], ["gone-read", "sso", "999988887777", "-"]);
    assert_eq!(
        &rows[3][..4],
        ["legacy", "sso-legacy", "444455556666", "Dev Sandbox"]
    );
    assert_eq!(&rows[4][..4], ["plain", "none", "-", "-"]);

    let (json, err, code) = list(&home, &["--json"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        names_in_json(&json),
        [
            ("prod-admin".to_string(), "ACME Prod".into()),
            ("gone-read".to_string(), serde_json::Value::Null),
            ("legacy".to_string(), "Dev Sandbox".into()),
            ("plain".to_string(), serde_json::Value::Null),
        ]
    );
}

#[test]
fn a_corrupt_oversized_or_foreign_store_is_one_warning_line() {
    let home = TestHome::new();
    home.write_config(CONFIG);
    let (table, _, _) = list(&home, &[]);
    let (json, _, _) = list(&home, &["--json"]);
    let path = awsp::sync::store::path_of(&state_dir(&home), "acme");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let foreign = format!(
        r#"{{"format":"awsp-sync-1","session":"evil","synced_at":"2026-01-01T00:00:00Z","inventory":{}}}"#,
        serde_json::to_string(&inventory()).unwrap()
    );
    let huge = vec![b' '; awsp::sync::store::MAX_STORE_BYTES as usize + 1];
    for junk in [&b"{not json"[..], b"\xff\xfe", foreign.as_bytes(), &huge] {
        std::fs::write(&path, junk).unwrap();
        for (args, want) in [(&[][..], &table), (&["--json"][..], &json)] {
            let (out, err, code) = list(&home, args);
            assert_eq!(code, 0);
            assert_eq!(&out, want, "the output is as with no store");
            assert_eq!(err.lines().count(), 1, "{err}");
            assert!(
                err.contains("ignoring") && err.contains("awsp sync"),
                "{err}"
            );
        }
    }
}

#[test]
fn doctor_reports_stale_profiles_and_the_age_of_each_sync() {
    let home = synced_home(3);
    let (out, _, code) = run(home.awsp().arg("doctor"));
    assert_eq!(code, 1, "a stale profile is a warning: {out}");
    let stale: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("no longer assigned"))
        .collect();
    assert_eq!(stale.len(), 1, "{out}");
    assert!(stale[0].starts_with("warn"), "{out}");
    assert!(
        stale[0].contains("profile gone-read (999988887777 ReadOnlyAccess)"),
        "{out}"
    );
    assert!(
        out.contains(
            "session acme: synced 3h ago: 2 accounts, 3 assignments, 1 without a profile, 1 stale"
        ),
        "{out}"
    );

    let (json, _, _) = run(home.awsp().args(["doctor", "--json"]));
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let codes: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"stale-profile") && codes.contains(&"sync-age"),
        "{codes:?}"
    );

    // Never synced is said, not a problem; nothing at all without any sync.
    let home = TestHome::new();
    home.write_config(
        &(CONFIG.to_string()
            + "\n[sso-session other]\nsso_start_url = https://o.awsapps.com/start\nsso_region = us-east-1\n"),
    );
    let (before, _, _) = run(home.awsp().arg("doctor"));
    assert!(!before.contains("synced"), "{before}");
    awsp::sync::store::save(
        &state_dir(&home),
        "other",
        &Inventory::default(),
        Utc::now(),
    )
    .unwrap();
    let (after, _, _) = run(home.awsp().arg("doctor"));
    assert!(
        after.contains("info   session acme: never synced"),
        "{after}"
    );
    assert!(
        after.contains("session other: synced just now: 0 accounts"),
        "{after}"
    );
}

/// What `awsp sync acme --write` appends for the one new assignment.
const BLOCK: &str = "
# awsp sync begin: session acme (generated; edits inside are replaced)
[profile acme-prod-read]
sso_session = acme
sso_account_id = 111122223333
sso_role_name = ReadOnlyAccess
region = eu-west-1
# awsp sync end: session acme
";

#[test]
fn key_a_lists_the_assignment_and_enter_adds_it_then_switches() {
    if !require("tmux") || !require("bash") {
        return;
    }
    let home = synced_home(2);
    let config = home.aws().join("config");
    let t = Tmux::start("bash", home.path());

    // Declined: nothing changes, nothing switched.
    t.type_line("awsp");
    t.wait_for("PROFILE");
    t.wait_for("a new");
    t.keys(&["a"]);
    t.wait_for("+ new");
    let screen = t.wait_for("acme-prod-read");
    assert!(screen.contains("ACME Prod"), "{screen}");
    t.literal("/acme-prod-read");
    t.wait_for("1/5");
    t.keys(&["Enter"]);
    let popup = t.wait_for("Add profile acme-prod-read?");
    assert!(popup.contains("no network"), "{popup}");
    t.keys(&["n"]);
    t.wait_for("nothing added");
    t.keys(&["Escape", "q"]);
    t.wait_closed();
    assert_eq!(t.var("bash", "AWS_PROFILE"), "RC=1<>");
    assert_eq!(std::fs::read_to_string(&config).unwrap(), CONFIG);

    // Accepted: the config gains exactly the block, AWS_PROFILE is set.
    t.type_line("awsp");
    t.wait_for("PROFILE");
    t.keys(&["a"]);
    t.wait_for("+ new");
    t.literal("/acme-prod-read");
    t.wait_for("1/5");
    t.keys(&["Enter"]);
    t.wait_for("Add profile acme-prod-read?");
    t.keys(&["y"]);
    t.wait_closed();
    assert_eq!(t.var("bash", "AWS_PROFILE"), "RC=0<acme-prod-read>");
    let after = std::fs::read_to_string(&config).unwrap();
    assert_eq!(after, format!("{CONFIG}{BLOCK}"));
    assert!(home.aws().join("config.awsp-backup").exists());

    // Now covered: no row left to add, and the new profile has its name.
    let (table, _, _) = list(&home, &[]);
    assert!(
        table
            .lines()
            .any(|l| l.contains("acme-prod-read") && l.contains("ACME Prod")),
        "{table}"
    );
}
