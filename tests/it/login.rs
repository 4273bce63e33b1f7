//! `awsp login` end to end with a stub `aws` on PATH that records its
//! arguments and, like a successful `aws sso login`, writes a fresh token.
//! Every run is in a new session (setsid) so no terminal is reachable: the
//! child's stdout must then go to awsp's stderr, never to awsp's stdout.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration as StdDuration, Instant};

use crate::common::{from_now, text, without_terminal, TestHome};
use awsp::aws::cache::cache_file_name;
use chrono::{Duration, Utc};

const CONFIG: &str = "\
[sso-session acme]
sso_start_url = https://acme.awsapps.com/start
sso_region = us-east-1

[profile prod-read]
sso_session = acme
sso_account_id = 111111111111
sso_role_name = ReadOnly

[profile some-legacy-profile]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 222222222222
sso_role_name = Billing

[profile deploy]
role_arn = arn:aws:iam::333333333333:role/Deployer
source_profile = prod-read

[profile keys]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = secret
";

const STUB: &str = r#"#!/bin/sh
printf '%s\n' "$@" > "$STUB_RECORD"
echo "stub aws: hello on stdout"
echo "stub aws: hello on stderr" >&2
if [ -n "$STUB_SLEEP" ]; then
    : > "$STUB_STARTED"
    sleep "$STUB_SLEEP"
fi
if [ -n "$STUB_TOKEN_FILE" ]; then
    mkdir -p "$HOME/.aws/sso/cache"
    printf '{"startUrl": "https://acme.awsapps.com/start", "region": "us-east-1", "accessToken": "fresh", "expiresAt": "%s"}' "$STUB_EXPIRES" > "$HOME/.aws/sso/cache/$STUB_TOKEN_FILE"
fi
exit "${STUB_EXIT:-0}"
"#;

struct World {
    h: TestHome,
}

impl World {
    fn new() -> World {
        let h = TestHome::new();
        h.aws_dir("sso/cache");
        h.write_config(CONFIG);
        h.stub("aws", STUB);
        std::fs::create_dir_all(h.root().join("empty")).unwrap();
        World { h }
    }

    fn record(&self) -> PathBuf {
        self.h.root().join("record")
    }

    fn recorded(&self) -> Option<Vec<String>> {
        let text = std::fs::read_to_string(self.record()).ok()?;
        Some(text.lines().map(str::to_string).collect())
    }

    /// awsp with a clean environment: the stub first on PATH, no terminal.
    fn awsp(&self, args: &[&str]) -> Command {
        let mut cmd = self.h.awsp();
        let path = format!("{}:/usr/bin:/bin", self.h.bin().display());
        cmd.env("PATH", path)
            .env("AWS_CONFIG_FILE", self.h.aws().join("config"))
            .env("STUB_RECORD", self.record())
            .args(args);
        without_terminal(&mut cmd);
        cmd
    }
}

fn words(s: &str) -> Vec<String> {
    s.split(' ').map(str::to_string).collect()
}

#[test]
fn session_login_runs_aws_and_reports_the_new_expiry() {
    let w = World::new();
    let expires = from_now(Utc::now(), Duration::hours(8));
    let out = w
        .awsp(&["login", "acme"])
        .env("STUB_TOKEN_FILE", cache_file_name("acme"))
        .env("STUB_EXPIRES", &expires)
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(w.recorded().unwrap(), words("sso login --sso-session acme"));
    assert!(
        err.contains("sso-session acme: logged in, valid") && err.contains(&expires),
        "{err}"
    );
    // No terminal: the child's stdout went to awsp's stderr, not its stdout.
    assert!(out.stdout.is_empty(), "stdout: {}", text(&out.stdout));
    assert!(err.contains("stub aws: hello on stdout") && err.contains("hello on stderr"));
}

#[test]
fn profile_names_log_in_their_session_or_legacy_profile() {
    let w = World::new();
    for (name, want) in [
        ("prod-read", "sso login --sso-session acme"),
        ("deploy", "sso login --sso-session acme"),
        (
            "some-legacy-profile",
            "sso login --profile some-legacy-profile",
        ),
    ] {
        let out = w.awsp(&["login", name]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        assert_eq!(w.recorded().unwrap(), words(want), "{name}");
        // The stub wrote no token: said, but aws's status (0) is kept.
        assert!(text(&out.stderr).contains("no usable token"), "{name}");
    }
}

#[test]
fn active_profile_is_the_default_target() {
    let w = World::new();
    let out = w
        .awsp(&["login"])
        .env("AWS_PROFILE", "some-legacy-profile")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        w.recorded().unwrap(),
        words("sso login --profile some-legacy-profile")
    );
}

#[test]
fn extra_arguments_from_env_and_flag() {
    let w = World::new();
    let out = w
        .awsp(&["login", "acme"])
        .env("AWSP_LOGIN_ARGS", "--use-device-code --no-browser")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        w.recorded().unwrap(),
        words("sso login --sso-session acme --use-device-code --no-browser")
    );
    // The flag wins over the variable.
    let out = w
        .awsp(&["login", "acme", "--login-args", "--no-browser"])
        .env("AWSP_LOGIN_ARGS", "--use-device-code")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        w.recorded().unwrap(),
        words("sso login --sso-session acme --no-browser")
    );
}

#[test]
fn failing_aws_gives_its_status() {
    let w = World::new();
    let out = w
        .awsp(&["login", "acme"])
        .env("STUB_EXIT", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("sso-session acme: aws exited 1"));
    let out = w
        .awsp(&["login", "acme"])
        .env("STUB_EXIT", "42")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(42));
}

#[test]
fn no_aws_on_path_exits_127_naming_what_to_install() {
    let w = World::new();
    let out = w
        .awsp(&["login", "acme"])
        .env("PATH", w.h.root().join("empty"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(127));
    let err = text(&out.stderr);
    assert!(
        err.contains("install the AWS CLI v2")
            && err.contains(
                "https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html"
            ),
        "{err}"
    );
    assert!(w.recorded().is_none());
}

#[test]
fn bad_names_exit_2_with_candidates() {
    let w = World::new();
    let out = w.awsp(&["login", "nosuch"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("'nosuch'") && err.contains("sso-sessions: acme"),
        "{err}"
    );
    assert!(err.contains("some-legacy-profile") && !err.contains("keys"));
    let out = w.awsp(&["login", "keys"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("profile keys does not use SSO; nothing to log in"));
    assert!(w.recorded().is_none(), "aws was not run");
}

#[test]
fn demo_login_runs_nothing() {
    let w = World::new();
    let out = w.awsp(&["--demo", "login", "acme"]).output().unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("sso-session acme: logged in, valid 8h"),
        "{err}"
    );
    assert!(w.recorded().is_none(), "the stub must not run in --demo");
    assert!(out.stdout.is_empty());
}

/// Ctrl-C at the terminal signals the whole foreground group: `aws` dies of
/// it (its SIGINT is back to default), awsp does not, and reports it.
#[test]
fn interrupt_reaches_aws_not_awsp() {
    let w = World::new();
    let started = w.h.root().join("started");
    let child = w
        .awsp(&["login", "acme"])
        .env("STUB_SLEEP", "5")
        .env("STUB_STARTED", &started)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(&started);
    // awsp is its session's (and process group's) leader: signal the group.
    let pgid = child.id() as libc::pid_t;
    // SAFETY: kill with a process group id we created.
    assert_eq!(unsafe { libc::kill(-pgid, libc::SIGINT) }, 0);
    let out = child.wait_with_output().unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(err.contains("aws exited 130"), "{err}");
}

/// A signal meant for awsp alone is ignored while `aws` runs.
#[test]
fn awsp_survives_sigint_while_aws_runs() {
    let w = World::new();
    let started = w.h.root().join("started");
    let child = w
        .awsp(&["login", "acme"])
        .env("STUB_SLEEP", "1")
        .env("STUB_STARTED", &started)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(&started);
    assert_eq!(
        // SAFETY: kill on our own child's pid.
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) },
        0
    );
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

fn wait_for(path: &Path) {
    let start = Instant::now();
    while !path.exists() {
        assert!(
            start.elapsed() < StdDuration::from_secs(20),
            "the stub never started"
        );
        std::thread::sleep(StdDuration::from_millis(20));
    }
}

#[test]
fn names_are_escaped_in_messages() {
    let w = World::new();
    let out = w
        .awsp(&["login", "no\u{1b}]0;x\u{7}such"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        !err.chars().any(|c| c.is_control() && c != '\n'),
        "raw control characters: {err:?}"
    );
    assert!(err.contains("no\\e]0;x\\x07such"), "{err}");
}
