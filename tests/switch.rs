//! Direct switches (`awsp NAME`, `awsp -`, `--unset`, `--region`,
//! `--clear-keys`) without the shell function: the code on stdout, the
//! notices on stderr, the exit statuses.

use assert_cmd::Command;

/// A demo-home awsp with an empty environment; its switch history goes to
/// cargo's scratch folder for integration tests (under target/).
fn awsp() -> Command {
    let state = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("switch-state");
    let state = state.as_path();
    let mut cmd = Command::cargo_bin("awsp").unwrap();
    cmd.env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", state)
        .env("AWSP_STATE_DIR", state)
        .env("AWSP_SHELL", "bash")
        .arg("--demo");
    cmd
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn exact_name_switches_and_keeps_the_previous() {
    let (code, out, err) = run(awsp().env("AWS_PROFILE", "prod-read").arg("prod-admin"));
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
    let (code, out, err) = run(awsp().arg("broken-sso"));
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
    let (code, out, err) = run(awsp()
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

    let (_, out, _) = run(awsp()
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
    let (code, out, _) = run(awsp()
        .env("AWS_PROFILE", "prod-admin")
        .env("AWSP_PREVIOUS", "prod-read")
        .arg("-"));
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "export AWS_PROFILE='prod-read'\nexport AWSP_PREVIOUS='prod-admin'\n"
    );

    let (code, out, err) = run(awsp().arg("-"));
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("no previous profile"), "{err}");

    let (code, out, err) = run(awsp().env("AWSP_PREVIOUS", "gone").arg("-"));
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.contains("previous profile 'gone' is no longer"),
        "{err}"
    );

    let (code, out, _) = run(awsp().env("AWS_PROFILE", "prod-admin").arg("--unset"));
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "unset AWS_PROFILE\nexport AWSP_PREVIOUS='prod-admin'\n"
    );
}

#[test]
fn no_terminal_for_the_picker_is_a_clear_error() {
    // setsid: no controlling terminal, so /dev/tty cannot be opened.
    let mut cmd = std::process::Command::new("setsid");
    cmd.arg("-w")
        .arg(env!("CARGO_BIN_EXE_awsp"))
        .args(["--demo", "prod"]);
    let state = tempfile::tempdir().unwrap();
    cmd.env("AWSP_STATE_DIR", state.path());
    let out = cmd.stdin(std::process::Stdio::null()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the picker needs a terminal"), "{err}");
}
