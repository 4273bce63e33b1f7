//! End to end in tmux: the picker's `l` (login) with a stub `aws` that
//! records its arguments and writes a fresh token, with a failing stub and
//! with no `aws` at all; and `c` (clean) removing exactly the stale files.

mod common;

use common::{require, Tmux};
use sha1::{Digest, Sha1};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn cache_name(text: &str) -> String {
    format!("{}.json", hex::encode(Sha1::digest(text.as_bytes())))
}

fn ts(offset_secs: i64) -> String {
    awsp::aws::timestamp::format(&(chrono::Utc::now() + chrono::Duration::seconds(offset_secs)))
}

/// A home whose `main` session token expired two hours ago.
fn home() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let aws = dir.path().join(".aws");
    std::fs::create_dir_all(aws.join("sso/cache")).unwrap();
    std::fs::create_dir_all(aws.join("cli/cache")).unwrap();
    std::fs::write(
        aws.join("config"),
        "[sso-session main]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n\n\
         [profile prod-admin]\nsso_session = main\nsso_account_id = 111111111111\nsso_role_name = Admin\n\n\
         [profile static]\nregion = eu-west-1\n",
    )
    .unwrap();
    std::fs::write(
        aws.join("credentials"),
        "[static]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n",
    )
    .unwrap();
    std::fs::write(
        aws.join("sso/cache").join(cache_name("main")),
        format!(r#"{{"accessToken":"t","expiresAt":"{}"}}"#, ts(-7200)),
    )
    .unwrap();
    dir
}

/// A stub `aws` in `bin`: records its arguments in $HOME/aws-args, fails
/// when $HOME/aws-fail exists, else writes a token valid for 8 hours.
fn stub_aws(bin: &Path) {
    std::fs::create_dir_all(bin).unwrap();
    let token = cache_name("main");
    let script = format!(
        "#!/bin/sh\nprintf '%s\\n' \"$*\" >> \"$HOME/aws-args\"\n\
         [ -e \"$HOME/aws-fail\" ] && exit 1\n\
         exp=$(date -u -d '+8 hours' +%Y-%m-%dT%H:%M:%SZ)\n\
         printf '{{\"accessToken\":\"new\",\"expiresAt\":\"%s\"}}' \"$exp\" > \"$HOME/.aws/sso/cache/{token}\"\n"
    );
    let path = bin.join("aws");
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A PATH dir with just what the harness needs (`clear`, `date`, `sh`).
fn base_bin(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for tool in ["clear", "date", "sh", "printf"] {
        let target = common::which(tool);
        let _ = std::os::unix::fs::symlink(target, dir.join(tool));
    }
}

#[test]
fn login_key_runs_aws_and_shows_the_new_expiry() {
    if !(require("tmux") && require("bash")) {
        return;
    }
    let home = home();
    let bin = home.path().join("bin");
    base_bin(&bin);
    stub_aws(&bin);
    let t = Tmux::start_with_path("bash", home.path(), &bin.display().to_string());
    t.type_line("awsp");
    t.wait_for("main expired 2h");
    t.keys(&["l"]);
    // Wait for the whole redrawn screen, not its first line: a capture
    // between the notice and the table flaked (~1 run in 75). The stub's
    // token lasts 8h from its own clock, so a slow run shows 7h59m.
    t.wait_until("the notice and the refreshed table", |s| {
        s.contains("logged in, valid")
            && (s.contains("main valid 7h59m") || s.contains("main valid 8h"))
            && s.contains("prod-admin")
    });
    let args = std::fs::read_to_string(home.path().join("aws-args")).unwrap();
    assert_eq!(args, "sso login --sso-session main\n");

    // A failing aws: the picker says so and keeps working.
    std::fs::write(home.path().join("aws-fail"), "").unwrap();
    t.keys(&["l"]);
    t.wait_for("sso-session main: aws exited 1");

    // A profile without SSO: a notice, no child.
    t.keys(&["j"]);
    t.keys(&["l"]);
    t.wait_for("does not use SSO");
    assert_eq!(
        std::fs::read_to_string(home.path().join("aws-args"))
            .unwrap()
            .lines()
            .count(),
        2
    );
    t.keys(&["q"]);
    t.wait_closed();
}

#[test]
fn login_key_without_aws_names_what_to_install() {
    if !(require("tmux") && require("bash")) {
        return;
    }
    let home = home();
    let bin = home.path().join("bin");
    base_bin(&bin);
    let t = Tmux::start_with_path("bash", home.path(), &bin.display().to_string());
    t.type_line("awsp");
    t.wait_for("main expired 2h");
    t.keys(&["l"]);
    t.wait_for("install the AWS CLI v2");
    t.keys(&["j"]);
    t.wait_for("static");
    t.keys(&["q"]);
    t.wait_closed();
}

#[test]
fn clean_key_asks_then_removes_exactly_the_stale_files() {
    if !(require("tmux") && require("bash")) {
        return;
    }
    let home = home();
    let cli = home.path().join(".aws/cli/cache");
    let stale = cli.join("0000000000000000000000000000000000000001.json");
    let fresh = cli.join("0000000000000000000000000000000000000002.json");
    let garbage = cli.join("0000000000000000000000000000000000000003.json");
    std::fs::write(
        &stale,
        format!(r#"{{"Credentials":{{"Expiration":"{}"}}}}"#, ts(-3600)),
    )
    .unwrap();
    std::fs::write(
        &fresh,
        format!(r#"{{"Credentials":{{"Expiration":"{}"}}}}"#, ts(3600)),
    )
    .unwrap();
    std::fs::write(&garbage, "{half-written").unwrap();
    let token = home.path().join(".aws/sso/cache").join(cache_name("main"));

    let t = Tmux::start("bash", home.path());
    t.type_line("awsp");
    t.wait_for("main expired 2h");
    // No: nothing goes.
    t.keys(&["c"]);
    t.wait_for("Remove 2 stale cache files?");
    t.keys(&["n"]);
    t.wait_for("nothing removed");
    assert!(stale.exists() && token.exists());
    // Yes: the expired token and credentials go; the rest stays.
    t.keys(&["c"]);
    t.wait_for("Remove 2 stale cache files?");
    t.keys(&["y"]);
    t.wait_for("removed 2 stale cache files");
    t.wait_for("main missing");
    assert!(!stale.exists() && !token.exists());
    assert!(fresh.exists() && garbage.exists());
    t.keys(&["c"]);
    t.wait_for("no stale cache files");
    t.keys(&["q"]);
    t.wait_closed();
}
