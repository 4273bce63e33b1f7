//! Direct switches (`awsp NAME`, `awsp -`, `--unset`, `--region`,
//! `--clear-keys`) without the shell function: the code on stdout, the
//! notices on stderr, the exit statuses.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::{run, without_terminal};

/// A demo-home awsp with an empty environment; its switch history goes to
/// cargo's scratch folder for integration tests (under target/).
fn awsp() -> Command {
    let state = Path::new(env!("CARGO_TARGET_TMPDIR")).join("switch-state");
    let mut cmd = common::awsp();
    cmd.env("PATH", "/usr/bin:/bin")
        .env("HOME", &state)
        .env("AWSP_STATE_DIR", &state)
        .env("AWSP_SHELL", "bash")
        .arg("--demo");
    cmd
}

#[test]
fn exact_name_switches_and_keeps_the_previous() {
    let (out, err, code) = run(awsp().env("AWS_PROFILE", "prod-read").arg("prod-admin"));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "export AWS_PROFILE='prod-admin'\nexport AWSP_PREVIOUS='prod-read'\n"
    );
    assert!(err.contains("awsp: AWS_PROFILE=prod-admin"), "{err}");
    assert!(
        err.contains("eval \"$(awsp init bash)\""),
        "the install hint: {err}"
    );
}

#[test]
fn a_profile_with_a_problem_switches_with_a_warning() {
    let (out, err, code) = run(awsp().arg("broken-sso"));
    assert_eq!(code, 0);
    assert!(out.contains("export AWS_PROFILE='broken-sso'"));
    assert!(
        err.contains(
            "warning: the AWS CLI cannot use 'broken-sso': sso-session 'acme-old' is not defined"
        ),
        "{err}"
    );
}

#[test]
fn default_profile_and_key_variables() {
    let (out, err, code) = run(awsp()
        .env("AWS_DEFAULT_PROFILE", "ci-user")
        .env("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
        .arg("prod-admin"));
    assert_eq!(code, 0);
    assert!(out.contains("unset AWS_DEFAULT_PROFILE\n"), "{out}");
    assert!(
        out.contains("export AWSP_PREVIOUS='ci-user'"),
        "the CLI's active profile was ci-user: {out}"
    );
    assert!(
        !out.contains("AWS_ACCESS_KEY_ID"),
        "keys stay without --clear-keys: {out}"
    );
    assert!(err.contains("unset AWS_DEFAULT_PROFILE=ci-user"), "{err}");
    assert!(
        err.contains("AWS_ACCESS_KEY_ID set: it overrides any profile (use --clear-keys"),
        "{err}"
    );
    assert!(!err.contains("AKIAEXAMPLE"), "never print a key: {err}");

    let (out, _, _) = run(awsp()
        .env("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
        .env("AWS_SESSION_TOKEN", "tok")
        .args(["--clear-keys", "--region", "eu-west-1", "prod-admin"]));
    for line in [
        "unset AWS_ACCESS_KEY_ID",
        "unset AWS_SESSION_TOKEN",
        "export AWS_REGION='eu-west-1'",
        "export AWS_DEFAULT_REGION='eu-west-1'",
    ] {
        assert!(out.contains(line), "{line} in {out}");
    }
}

#[test]
fn dash_goes_back_and_unset_unsets() {
    let (out, _, code) = run(awsp()
        .env("AWS_PROFILE", "prod-admin")
        .env("AWSP_PREVIOUS", "prod-read")
        .arg("-"));
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "export AWS_PROFILE='prod-read'\nexport AWSP_PREVIOUS='prod-admin'\n"
    );

    let (out, err, code) = run(awsp().arg("-"));
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("no previous profile"), "{err}");

    let (out, err, code) = run(awsp().env("AWSP_PREVIOUS", "gone").arg("-"));
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.contains("previous profile 'gone' is no longer"),
        "{err}"
    );

    let (out, _, code) = run(awsp().env("AWS_PROFILE", "prod-admin").arg("--unset"));
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "unset AWS_PROFILE\nexport AWSP_PREVIOUS='prod-admin'\n"
    );
}

#[test]
fn no_terminal_for_the_picker_is_a_clear_error() {
    // A new session: no controlling terminal, so /dev/tty cannot be opened.
    // The test's own environment is kept here, as it always was.
    let state = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_awsp"));
    cmd.args(["--demo", "prod"])
        .env("AWSP_STATE_DIR", state.path())
        .stdin(Stdio::null());
    let (out, err, code) = run(without_terminal(&mut cmd));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("the picker needs a terminal"), "{err}");
}
