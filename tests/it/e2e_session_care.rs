//! End to end in tmux: the picker's `l` (login) with a stub `aws` that
//! records its arguments and writes a fresh token, with a failing stub and
//! with no `aws` at all; and `c` (clean) removing exactly the stale files.

use crate::common::{from_now, require, role_credentials, sso_token, TestHome, Tmux};
use awsp::aws::cache::cache_file_name;
use chrono::{TimeDelta, Utc};

/// A home whose `main` session token expired two hours ago.
fn home() -> TestHome {
    let home = TestHome::new();
    home.aws_dir("sso/cache");
    home.aws_dir("cli/cache");
    home.write_config(
        "[sso-session main]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n\n\
         [profile prod-admin]\nsso_session = main\nsso_account_id = 111111111111\nsso_role_name = Admin\n\n\
         [profile static]\nregion = eu-west-1\n",
    );
    home.write_credentials(
        "[static]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n",
    );
    home.write_sso_token(
        "main",
        &sso_token(&from_now(Utc::now(), TimeDelta::hours(-2))),
    );
    home
}

/// A stub `aws` in `bin`: records its arguments in $HOME/aws-args, fails
/// when $HOME/aws-fail exists, else writes a token valid for 8 hours.
fn stub_aws(home: &TestHome) {
    let token = cache_file_name("main");
    home.stub(
        "aws",
        &format!(
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> \"$HOME/aws-args\"\n\
             [ -e \"$HOME/aws-fail\" ] && exit 1\n\
             exp=$(date -u -d '+8 hours' +%Y-%m-%dT%H:%M:%SZ)\n\
             printf '{{\"accessToken\":\"new\",\"expiresAt\":\"%s\"}}' \"$exp\" > \"$HOME/.aws/sso/cache/{token}\"\n"
        ),
    );
}

/// A PATH of `bin` alone, with just what the harness needs (`clear`,
/// `date`, `sh`, `printf`).
fn base_bin(home: &TestHome) -> String {
    home.link_tools(&["clear", "date", "sh", "printf"]);
    home.bin().display().to_string()
}

#[test]
fn login_key_runs_aws_and_shows_the_new_expiry() {
    if !(require("tmux") && require("bash")) {
        return;
    }
    let home = home();
    let path = base_bin(&home);
    stub_aws(&home);
    let t = Tmux::start_with_path("bash", home.path(), &path);
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

    // A profile without SSO: a notice, no child. (After a failure awsp
    // runs `aws --version` to tell a v1 CLI: not a login.)
    t.keys(&["j"]);
    t.keys(&["l"]);
    t.wait_for("does not use SSO");
    assert_eq!(
        std::fs::read_to_string(home.path().join("aws-args"))
            .unwrap()
            .lines()
            .filter(|l| l.starts_with("sso login"))
            .count(),
        2
    );
    t.keys(&["q"]);
    t.wait_closed();
}

/// A SIGTERM that ends the picker while `aws sso login` waits (for a
/// browser, here for ever) ends that child too: no login is left running
/// behind the shell prompt.
#[test]
fn a_signal_during_login_ends_the_aws_child_too() {
    if !(require("tmux") && require("bash")) {
        return;
    }
    if !std::path::Path::new("/proc/self/stat").exists() {
        // The child's parent and liveness are read from /proc (Linux).
        crate::common::skip("no /proc to follow the aws child");
        return;
    }
    let home = home();
    home.link_tools(&["sleep", "mv"]);
    let path = base_bin(&home);
    home.stub(
        "aws",
        "#!/bin/sh\necho $$ > \"$HOME/aws-pid.tmp\"\nmv \"$HOME/aws-pid.tmp\" \"$HOME/aws-pid\"\nexec sleep 300\n",
    );
    let t = Tmux::start_with_path("bash", home.path(), &path);
    t.type_line("awsp; echo \"rc=$?\"");
    t.wait_for("main expired 2h");
    t.keys(&["l"]);
    let pid_file = home.path().join("aws-pid");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !pid_file.exists() {
        assert!(std::time::Instant::now() < deadline, "aws never started");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let child: u32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // awsp is the child's parent (field 4 of /proc/PID/stat, after the name).
    let stat = std::fs::read_to_string(format!("/proc/{child}/stat")).unwrap();
    let awsp_pid = stat
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .to_string();
    let killed = std::process::Command::new("kill")
        .args(["-s", "TERM", &awsp_pid])
        .status()
        .unwrap();
    assert!(killed.success());
    t.wait_for("rc=143");
    let alive = |pid: u32| {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|s| !s.rsplit(')').next().unwrap().trim_start().starts_with('Z'))
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while alive(child) {
        assert!(
            std::time::Instant::now() < deadline,
            "the aws child (pid {child}) outlived awsp"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn login_key_without_aws_names_what_to_install() {
    if !(require("tmux") && require("bash")) {
        return;
    }
    let home = home();
    let path = base_bin(&home);
    let t = Tmux::start_with_path("bash", home.path(), &path);
    t.type_line("awsp");
    t.wait_for("main expired 2h");
    t.keys(&["l"]);
    t.wait_for("install the AWS CLI v2");
    t.wait_for("`awsp doctor` checks the set-up");
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
    // Role credentials under fixed names: an expired one, a valid one and
    // one that does not parse.
    let now = Utc::now();
    let cached = |n: u8, body: &str| {
        let rel = format!("cli/cache/{n:040}.json");
        home.write_aws(&rel, body);
        home.aws().join(rel)
    };
    let stale = cached(1, &role_credentials(&from_now(now, TimeDelta::hours(-1))));
    let fresh = cached(2, &role_credentials(&from_now(now, TimeDelta::hours(1))));
    let garbage = cached(3, "{half-written");
    let token = home.aws().join("sso/cache").join(cache_file_name("main"));

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

/// A stub `aws` v1 whose `sso login` fails as it does offline: a line on
/// stdout, the endpoint error on stderr, status 255.
fn offline_aws_v1(home: &TestHome) {
    home.stub(
        "aws",
        "#!/bin/sh\n\
         if [ \"$1\" = --version ]; then echo 'aws-cli/1.29.0 Python/3.11.4 Linux/6.1 botocore/1.31.0'; exit 0; fi\n\
         echo 'Attempting to automatically open the SSO authorization page'\n\
         echo >&2\n\
         echo 'Could not connect to the endpoint URL: \"https://oidc.us-east-1.amazonaws.com/device_authorization\"' >&2\n\
         exit 255\n",
    );
}

/// `l` with an aws that fails: the picker shows what aws said last (it
/// was written while the picker was off the screen) and, for a v1 CLI,
/// points to `awsp doctor`; any key closes that report.
#[test]
fn a_failed_login_shows_what_aws_said() {
    if !(require("tmux") && require("bash")) {
        return;
    }
    let home = home();
    let path = base_bin(&home);
    offline_aws_v1(&home);
    let t = Tmux::start_with_path("bash", home.path(), &path);
    t.type_line("awsp");
    t.wait_for("main expired 2h");
    t.keys(&["l"]);
    let screen = t.wait_until("the report in the picker", |s| {
        s.contains("any key closes") && s.contains("PROFILE")
    });
    assert!(
        screen.contains("sso-session main: aws exited 255"),
        "{screen}"
    );
    assert!(
        screen.contains("Could not connect to the endpoint URL"),
        "{screen}"
    );
    assert!(
        screen.contains("v1") && screen.contains("awsp doctor"),
        "{screen}"
    );
    assert!(!screen.contains("SECRET"), "{screen}");
    t.keys(&["j"]);
    t.wait_until("the report closed", |s| !s.contains("any key closes"));
    let screen = t.screen();
    assert!(
        screen.contains("aws exited 255"),
        "the notice stays:\n{screen}"
    );
    t.keys(&["q"]);
    t.wait_closed();
}

/// Enter on a profile whose session expired asks first: y logs in and
/// switches, n switches anyway, Esc stays in the picker.
#[test]
fn enter_on_an_expired_session_asks_to_log_in_first() {
    if !(require("tmux") && require("bash")) {
        return;
    }
    let home = home();
    let path = base_bin(&home);
    stub_aws(&home);
    let t = Tmux::start_with_path("bash", home.path(), &path);
    let aws_calls = || {
        std::fs::read_to_string(home.path().join("aws-args"))
            .unwrap_or_default()
            .lines()
            .count()
    };
    let expire = || {
        home.write_sso_token(
            "main",
            &sso_token(&from_now(Utc::now(), TimeDelta::hours(-2))),
        )
    };

    // Esc: no login, no switch, still in the picker.
    t.type_line("awsp");
    t.wait_for("main expired 2h");
    t.keys(&["Enter"]);
    t.wait_for("session main expired 2h ago: log in first? [Y/n]");
    t.keys(&["Escape"]);
    t.wait_for("not switched");
    t.keys(&["q"]);
    t.wait_closed();
    assert_eq!(t.var("bash", "AWS_PROFILE"), "RC=1<>");
    assert_eq!(aws_calls(), 0);

    // n: switched without logging in.
    t.type_line("awsp");
    t.wait_for("main expired 2h");
    t.keys(&["Enter"]);
    t.wait_for("log in first? [Y/n]");
    t.keys(&["n"]);
    t.wait_closed();
    assert_eq!(t.var("bash", "AWS_PROFILE"), "RC=0<prod-admin>");
    assert_eq!(aws_calls(), 0);

    // y: aws logs in, then the switch.
    t.type_line("awsp");
    t.wait_for("main expired 2h");
    t.keys(&["Enter"]);
    t.wait_for("log in first? [Y/n]");
    t.keys(&["y"]);
    t.wait_closed();
    assert_eq!(t.var("bash", "AWS_PROFILE"), "RC=0<prod-admin>");
    assert_eq!(aws_calls(), 1);

    // A valid token: Enter switches at once.
    t.type_line("awsp");
    t.wait_for("main valid");
    t.keys(&["Enter"]);
    t.wait_closed();
    assert_eq!(t.var("bash", "AWS_PROFILE"), "RC=0<prod-admin>");
    assert_eq!(aws_calls(), 1);
    expire();
}
