//! Direct switches (`awsp NAME`, `awsp -`, `--unset`, `--region`,
//! `--clear-keys`) without the shell function: the code on stdout, the
//! notices on stderr, the exit statuses.

use crate::common;
use std::process::{Command, Stdio};

use crate::common::{run, without_terminal};

/// The demo's files as a real home (`--demo` itself never switches the
/// caller's shell: see `demo_never_changes_the_callers_environment`), kept
/// alive by the returned handle; the switch history goes to its `state/`.
fn demo_files() -> awsp::home::demo::DemoHome {
    awsp::home::demo::DemoHome::create(chrono::Utc::now()).unwrap()
}

/// awsp on a home made of the demo's files, with an empty environment.
fn awsp_in(home: &awsp::home::demo::DemoHome) -> Command {
    let mut cmd = common::awsp();
    cmd.env("PATH", "/usr/bin:/bin")
        .env("HOME", home.home())
        .env("AWSP_STATE_DIR", home.home().join("state"))
        .env("AWSP_SHELL", "bash");
    cmd
}

thread_local! {
    static HOME: awsp::home::demo::DemoHome = demo_files();
}

/// awsp on this thread's home of demo files.
fn awsp() -> Command {
    HOME.with(awsp_in)
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
        !out.contains("AWSP_PREVIOUS"),
        "AWS_DEFAULT_PROFILE is never a profile awsp switched away from: {out}"
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
        .env_remove("AWS_PROFILE")
        .env("AWSP_STATE_DIR", state.path())
        .stdin(Stdio::null());
    let (out, err, code) = run(without_terminal(&mut cmd));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("the picker needs a terminal"), "{err}");
}

/// A home whose only profiles have hostile names, and an sso-session whose
/// token expired two days ago.
fn hostile_home() -> common::TestHome {
    let h = common::TestHome::new();
    h.write_config(
        "[profile evil\u{1b}]0;pwned\u{7}x]\nregion = us-east-1\n\
         [profile bs\u{8}name]\nregion = us-east-1\n\
         [sso-session acme]\nsso_start_url = https://acme.awsapps.com/start\nsso_region = us-east-1\n\
         [profile prod-admin]\nsso_session = acme\nsso_account_id = 111111111111\nsso_role_name = Admin\n",
    );
    let now = chrono::Utc::now();
    h.write_sso_token(
        "acme",
        &common::sso_token(&common::from_now(
            now,
            -(chrono::Duration::hours(48) + chrono::Duration::minutes(10)),
        )),
    );
    h
}

fn raw_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && c != '\n')
}

#[test]
fn control_characters_are_escaped_for_people_and_exact_for_programs() {
    let h = hostile_home();
    let evil = "evil\u{1b}]0;pwned\u{7}x";
    let shown = "evil\\e]0;pwned\\x07x";
    let cmd = || {
        let mut c = h.awsp();
        c.env("AWSP_STATE_DIR", h.root().join("state"))
            .env("AWSP_SHELL", "bash");
        c
    };
    let (out, err, code) = run(cmd().arg("list"));
    assert_eq!(code, 0, "{err}");
    assert!(
        !raw_control(&out),
        "raw control characters in the table: {out:?}"
    );
    assert!(out.contains(shown) && out.contains("bs\\x08name"), "{out}");

    // Piped (completion reads it): the exact bytes.
    let (out, _, _) = run(cmd().args(["list", "--names"]));
    assert!(out.lines().any(|l| l == evil), "{out:?}");

    let (out, err, code) = run(cmd().arg("status").env("AWS_PROFILE", evil));
    assert_eq!(code, 0, "{err}");
    assert!(!raw_control(&out) && out.starts_with(shown), "{out:?}");
    let (out, _, _) = run(cmd().args(["status", "--json"]).env("AWS_PROFILE", evil));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["profile"], evil);

    // The switch: the code carries the name exactly, the message escapes it.
    let (out, err, code) = run(cmd().args(["--", evil]).env("AWS_PROFILE", "bs\u{8}name"));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("export AWS_PROFILE='{evil}'")),
        "{out:?}"
    );
    assert!(
        !raw_control(&err),
        "raw control characters on stderr: {err:?}"
    );
    assert!(err.contains(&format!("awsp: AWS_PROFILE={shown}")), "{err}");
}

#[test]
fn an_expired_session_is_named_in_the_switch_message() {
    let h = hostile_home();
    let (_, err, code) = run(h
        .awsp()
        .env("AWSP_STATE_DIR", h.root().join("state"))
        .arg("prod-admin"));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "awsp: AWS_PROFILE=prod-admin (session acme expired 2d ago: awsp login prod-admin)"
        ),
        "{err}"
    );
}

#[test]
fn a_command_typo_suggests_the_command() {
    // A home where these match no profile (the demo's data-analyst, a
    // DataScientist, does match `lsit`: the picker would show it).
    let h = hostile_home();
    for (typo, command) in [
        ("lsit", "list"),
        ("stauts", "status"),
        ("lgoin", "login"),
        ("cln", "clean"),
    ] {
        let (out, err, code) = run(without_terminal(h.awsp().arg(typo)));
        assert_eq!((code, out.as_str()), (2, ""), "{typo}: {err}");
        assert!(
            err.contains(&format!("did you mean 'awsp {command}'?")),
            "{typo}: {err}"
        );
    }
    // A query that matches profiles still opens the picker (here: no terminal).
    let (_, err, code) = run(without_terminal(awsp().arg("prod")));
    assert_eq!(code, 2);
    assert!(err.contains("the picker needs a terminal"), "{err}");
}

#[test]
fn previous_is_only_a_profile_awsp_switched_away_from() {
    let (out, _, code) = run(awsp()
        .env("AWS_DEFAULT_PROFILE", "ci-user")
        .env("AWS_PROFILE", "prod-read")
        .arg("prod-admin"));
    assert_eq!(code, 0);
    assert!(out.contains("export AWSP_PREVIOUS='prod-read'"), "{out}");
    let (out, _, _) = run(awsp().env("AWS_DEFAULT_PROFILE", "ci-user").arg("--unset"));
    assert!(!out.contains("AWSP_PREVIOUS"), "{out}");
}

#[test]
fn a_switch_printed_on_stdout_is_not_history() {
    let home = demo_files();
    let history = home.home().join("state").join("history.json");
    let (_, err, code) = run(awsp_in(&home).env_remove("AWSP_SHELL").arg("prod-admin"));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("shell function is not installed"), "{err}");
    assert!(
        !history.exists(),
        "a switch that changed no shell was recorded"
    );
}

#[test]
fn demo_never_changes_the_callers_environment() {
    let dir = tempfile::tempdir().unwrap();
    let script = r#"eval "$("$AWSP_BIN" init bash)"
awsp --demo prod-admin
printf '[%s][%s]' "$?" "${AWS_PROFILE-unset}" > result
"#;
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", script])
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", dir.path())
        .env("AWSP_BIN", env!("CARGO_BIN_EXE_awsp"))
        .env("AWSP_STATE_DIR", dir.path().join("state"))
        .output()
        .unwrap();
    let err = common::text(&out.stderr);
    let result = std::fs::read_to_string(dir.path().join("result")).unwrap();
    assert_eq!(result, "[0][unset]", "{err}");
    assert!(out.stdout.is_empty(), "{}", common::text(&out.stdout));
    assert!(
        err.contains("demo") && err.contains("export AWS_PROFILE='prod-admin'"),
        "it shows what it would hand over: {err}"
    );
}

#[test]
fn a_name_no_variable_can_carry_is_never_handed_over() {
    if !common::require("tmux") || !common::require("bash") {
        return;
    }
    let h = common::TestHome::new();
    h.write_config("[profile nul\0name]\nregion = us-east-1\n");
    let t = common::Tmux::start("bash", h.path());
    t.type_line("AWSP_STATE_DIR=~/state awsp");
    t.wait_for("quit");
    // The picker refuses in place and says why; quitting hands nothing over.
    t.keys(&["Enter"]);
    t.wait_for("NUL byte");
    t.keys(&["q"]);
    t.wait_prompt();
    let screen = t.screen();
    assert_eq!(t.var("bash", "AWS_PROFILE"), "RC=1<>", "{screen}");
}

/// Runs `awsp ARGS` on a pseudo-terminal (util-linux `script`), so its
/// stdout is a terminal; returns what it printed.
fn on_a_terminal(args: &str) -> Option<String> {
    if !common::require("script") {
        return None;
    }
    let cmd = format!("{} {args}", env!("CARGO_BIN_EXE_awsp"));
    let out = HOME.with(|h| {
        Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", h.home())
            .env("TERM", "xterm")
            .output()
            .unwrap()
    });
    Some(common::text(&out.stdout))
}

#[test]
fn color_always_beats_no_color_and_never_beats_a_terminal() {
    let painted = |s: &str| s.contains("\u{1b}[");
    let (out, _, _) = run(awsp().arg("list"));
    assert!(!painted(&out), "piped: plain");
    let (out, _, _) = run(awsp()
        .args(["list", "--color", "always"])
        .env("NO_COLOR", "1"));
    assert!(painted(&out), "{out}");
    let (out, _, _) = run(awsp()
        .args(["--color", "always", "doctor"])
        .env("NO_COLOR", "1"));
    assert!(painted(&out), "{out}");
    if let Some(out) = on_a_terminal("list") {
        assert!(painted(&out), "a terminal gets colour: {out}");
        let out = on_a_terminal("list --color never").unwrap();
        assert!(!painted(&out), "{out}");
        let out = on_a_terminal("doctor --color never").unwrap();
        assert!(!painted(&out), "{out}");
    }
}

#[test]
fn the_hint_for_sh_installs_a_function_that_switches() {
    // Without the function, SHELL=/bin/sh gets the sh hint...
    let (_, err, _) = run(awsp()
        .env_remove("AWSP_SHELL")
        .env("SHELL", "/bin/sh")
        .arg("prod-admin"));
    assert!(err.contains("eval \"$(awsp init sh)\""), "{err}");
    // ...and that line, in every POSIX sh here, switches with the real binary.
    let home = demo_files();
    let bin = home.home().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_awsp"), bin.join("awsp")).unwrap();
    let script = r#"eval "$(awsp init sh)"
AWS_PROFILE=prod-read; export AWS_PROFILE
awsp prod-admin 2>/dev/null
printf '%s|%s|%s' "$?" "$AWS_PROFILE" "$AWSP_PREVIOUS""#;
    for sh in [&["dash"][..], &["ksh"], &["busybox", "sh"]] {
        if !common::require(sh[0]) {
            continue;
        }
        let out = Command::new(sh[0])
            .args(&sh[1..])
            .args(["-c", script])
            .env_clear()
            .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
            .env("HOME", home.home())
            .env("AWSP_STATE_DIR", home.home().join("state"))
            .output()
            .unwrap();
        assert_eq!(
            common::text(&out.stdout),
            "0|prod-admin|prod-read",
            "{sh:?}: {}",
            common::text(&out.stderr)
        );
    }
}
