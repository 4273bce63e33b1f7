//! No secret from `~/.aws` reaches any output: not through a parse error
//! (a hostile credentials file for every error the reader can give), not
//! through a value that an indented line made hold a secret. Every command
//! that reads the files is run, and the picker's screens are rendered.

use crate::common::{run, TestHome};
use awsp::aws::paths::AwsPaths;
use awsp::aws::snapshot::Snapshot;
use awsp::tui::picker::{entries, Picker};
use awsp::tui::ui::Theme;
use chrono::Utc;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

/// The secret every hostile file holds; no output may contain any part of it.
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzLEAKzz";
const PARTS: [&str; 3] = ["wJalrXUtnFEMI", "K7MDENG", "LEAKzz"];

const CONFIG: &str = "\
[profile work]
region = eu-west-1
";

/// Credentials files that botocore cannot parse, one per error the reader
/// gives, each with the secret on the line it blames (or near it).
fn hostile_credentials() -> Vec<(&'static str, String)> {
    let s = SECRET;
    vec![
        (
            "no delimiter",
            format!("[work]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key {s}\n"),
        ),
        (
            "secret alone",
            format!("[work]\naws_access_key_id = AKIAEXAMPLE\n{s}\n"),
        ),
        (
            "no header",
            format!("aws_secret_access_key = {s}\n[work]\n"),
        ),
        (
            "bom",
            format!("\u{feff}[work]\naws_secret_access_key = {s}\n"),
        ),
        (
            "sub-section",
            format!("[work]\ns3 =\n  aws_secret_access_key {s}\n"),
        ),
        (
            "duplicate key",
            format!("[work]\naws_session_token {s}==\naws_session_token {s}==\n"),
        ),
        (
            "duplicate option",
            format!("[work]\naws_secret_access_key = {s}\naws_secret_access_key = {s}\n"),
        ),
        ("empty key", format!("[work]\n= {s}\n")),
        (
            "duplicate section",
            format!("[work]\naws_secret_access_key = {s}\n[work]\n"),
        ),
    ]
}

/// The commands that read the files, as argument lists.
const COMMANDS: &[&[&str]] = &[
    &["list"],
    &["list", "--json"],
    &["status"],
    &["status", "--json"],
    &[
        "status",
        "--format",
        "{profile} {region} {session} {account} {role}",
    ],
    &["doctor"],
    &["doctor", "--json"],
    &["login", "work"],
    &["clean", "--dry-run"],
];

/// A home with `config` and `credentials`, `work` active, a stub `aws`.
fn home(config: &str, credentials: &str) -> TestHome {
    let h = TestHome::new();
    h.aws_dir("sso/cache");
    h.write_config(config);
    h.write_aws("credentials", credentials);
    h.stub(
        "aws",
        "#!/bin/sh\necho 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1'\n",
    );
    h
}

/// Runs every command on `h`; fails naming the command that printed a part
/// of the secret. Returns each command's stdout and stderr.
fn assert_no_command_prints_the_secret(h: &TestHome, case: &str) -> Vec<(String, String, String)> {
    let mut outputs = Vec::new();
    for args in COMMANDS {
        let (stdout, stderr, _) = run(h
            .awsp()
            .args(*args)
            .env("AWS_PROFILE", "work")
            .env("PATH", h.bin()));
        for part in PARTS {
            assert!(
                !stdout.contains(part) && !stderr.contains(part),
                "{case}: `awsp {}` printed the secret:\n{stdout}\n{stderr}",
                args.join(" ")
            );
        }
        outputs.push((args.join(" "), stdout, stderr));
    }
    outputs
}

#[test]
fn parse_errors_print_no_secret_in_any_command() {
    for (case, credentials) in hostile_credentials() {
        let h = home(CONFIG, &credentials);
        let outputs = assert_no_command_prints_the_secret(&h, case);
        // The error is still reported, with file and line.
        let (_, _, list_err) = &outputs[0];
        assert!(list_err.contains("credentials:"), "{case}: {list_err}");
    }
}

#[test]
fn a_line_without_delimiter_names_its_key_and_what_was_expected() {
    let (_, credentials) = &hostile_credentials()[0];
    let h = home(CONFIG, credentials);
    let (stdout, stderr, code) = run(h.awsp().arg("list"));
    assert_eq!((stdout.as_str(), code), ("", 2), "{stderr}");
    assert!(
        stderr.contains(
            "credentials:3: expected \"key = value\" or a [section] header; \
             the line starting \"aws_secret_access_key\" has no \"=\" or \":\""
        ),
        "{stderr}"
    );
}

#[test]
fn a_bom_is_named_in_the_error() {
    let h = home(
        CONFIG,
        &format!("\u{feff}[work]\naws_secret_access_key = {SECRET}\n"),
    );
    let (_, stderr, code) = run(h.awsp().arg("list"));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("credentials:1: the file starts with a UTF-8 byte-order mark (BOM)"),
        "{stderr}"
    );
    assert!(stderr.contains("save it without BOM"), "{stderr}");
}

/// The picker's error state: a re-read that fails shows the error as a
/// notice (as `r` does); the notice must not hold the secret.
#[test]
fn picker_error_notice_prints_no_secret() {
    let good = home(CONFIG, "[work]\naws_access_key_id = AKIAEXAMPLE\n");
    let paths = AwsPaths::under_home(good.path());
    for (case, credentials) in hostile_credentials() {
        good.write_aws("credentials", "[work]\naws_access_key_id = AKIAEXAMPLE\n");
        let snap = Snapshot::load(&paths).unwrap();
        good.write_aws("credentials", &credentials);
        let err = Snapshot::load(&paths).unwrap_err();
        let mut picker = Picker {
            state: awsp::tui::app::state::State::new(entries(&snap), "", Utc::now()),
            snap,
            active: None,
            warnings: Vec::new(),
            theme: Theme { color: false },
            sync: Default::default(),
        };
        picker.state.warn(format!("{:#}", anyhow::Error::from(err)));
        let screen = draw(&mut picker, 200, 30);
        assert!(screen.contains("credentials:"), "{case}: {screen}");
        for part in PARTS {
            assert!(
                !screen.contains(part),
                "{case}: the picker shows the secret:\n{screen}"
            );
        }
    }
}

fn draw(picker: &mut Picker, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| picker.draw(f)).unwrap();
    terminal.backend().to_string()
}

/// Config files where an indented line makes a secret part of the value
/// above it (configparser's continuation lines), or of a sub-section.
fn indented_secrets() -> Vec<(&'static str, String)> {
    let s = SECRET;
    vec![
        (
            "region",
            format!("[profile work]\nregion = us-east-1\n  aws_secret_access_key = {s}\n"),
        ),
        (
            "sso values",
            format!(
                "[profile work]\nsso_session = acme\n  aws_session_token = {s}\n\
                 sso_account_id = 111111111111\n\taws_secret_access_key: {s}\n\
                 sso_role_name = Admin\n   AWS_SECRET_ACCESS_KEY = {s}\n\
                 [sso-session acme]\nsso_start_url = https://acme.awsapps.com/start\n\
                 sso_region = us-east-1\n"
            ),
        ),
        (
            "source_profile",
            format!(
                "[profile work]\nrole_arn = arn:aws:iam::123456789012:role/x\n\
                 source_profile = base\n  aws_secret_access_key = {s}\n\
                 [profile base]\nsso_start_url = https://b.awsapps.com/start\n\
                 sso_region = us-east-1\nsso_account_id = 1\nsso_role_name = r\n"
            ),
        ),
        (
            "sub-section",
            format!("[profile work]\nregion = eu-west-1\ns3 =\n  aws_secret_access_key = {s}\n"),
        ),
        // A pasted secret with no key name: nothing tells it from a value,
        // so a continuation line that is not a setting hides the value.
        (
            "bare region",
            format!("[profile work]\nregion = us-east-1\n  {s}\n"),
        ),
        (
            "bare token with padding",
            format!("[profile work]\nregion = us-east-1\n\t{s}==\n"),
        ),
        (
            "bare source_profile",
            format!(
                "[profile work]\nrole_arn = arn:aws:iam::123456789012:role/x\n\
                 source_profile = base\n  {s}\n\
                 [profile base]\nregion = us-east-1\n"
            ),
        ),
    ]
}

/// What stays shown: continuation lines that are settings (a sub-section)
/// or a single name-like word keep the value visible.
#[test]
fn continuation_lines_that_are_settings_stay_shown() {
    let h = home(
        "[profile work]\nregion = eu-west-1\ns3 =\n  max_concurrent_requests = 20\n  \
         addressing_style = path\n[profile other]\nsource_profile = base\n  extra\n\
         role_arn = arn:aws:iam::123456789012:role/x\n",
        "",
    );
    let (json, stderr, _) = run(h.awsp().args(["list", "--json"]));
    let doc: serde_json::Value = serde_json::from_str(&json).expect(&stderr);
    let settings = &doc["profiles"][0]["settings"];
    assert_eq!(settings["s3"]["max_concurrent_requests"], "20", "{json}");
    assert_eq!(settings["s3"]["addressing_style"], "path", "{json}");
    assert_eq!(
        doc["profiles"][1]["source_profile"], "base\nextra",
        "{json}"
    );
}

/// A problem quotes values and names from the files: every human output
/// escapes what could drive the terminal (here a title change and a line
/// break inside `source_profile`), and masks a value that hides a secret.
#[test]
fn problems_reach_the_terminal_escaped() {
    let h = home(
        "[profile work]\nrole_arn = arn:aws:iam::123456789012:role/x\n\
         source_profile = base\x1b]0;pwned\x07\n\
         [profile other]\nrole_arn = arn:aws:iam::123456789012:role/x\n\
         source_profile = base\n  extra\n",
        "",
    );
    let (doctor, _, _) = run(h.awsp().arg("doctor").env("PATH", h.bin()));
    assert!(
        doctor.contains("source_profile 'base\\e]0;pwned\\x07' of profile 'work' does not exist"),
        "{doctor}"
    );
    assert!(
        doctor.contains("source_profile 'base\\nextra' of profile 'other'"),
        "{doctor}"
    );
    let (_, creds, code) = run(h.awsp().args(["creds", "work"]).env("PATH", h.bin()));
    assert_ne!(code, 0, "{creds}");
    assert!(creds.contains("'base\\e]0;pwned\\x07'"), "{creds}");
    for out in [&doctor, &creds] {
        assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out:?}");
    }
}

#[test]
fn indented_secrets_are_masked_in_every_command() {
    for (case, config) in indented_secrets() {
        let h = home(&config, "");
        let outputs = assert_no_command_prints_the_secret(&h, case);
        let (_, json, _) = &outputs[1];
        assert!(json.contains("\"work\""), "{case}: {json}");
    }
}

#[test]
fn an_indented_secret_is_a_problem_that_explains_the_indentation() {
    let (_, config) = &indented_secrets()[0];
    let h = home(config, "");
    let (json, stderr, _) = run(h.awsp().args(["list", "--json"]));
    let doc: serde_json::Value = serde_json::from_str(&json).expect(&stderr);
    let work = &doc["profiles"][0];
    assert_eq!(work["region"], "********", "{json}");
    assert_eq!(
        work["problem"],
        "line 3: `aws_secret_access_key` is indented, so it continues `region` instead of \
         being a key; botocore ignores it: remove the indentation",
        "{json}"
    );
    let (table, _, _) = run(h.awsp().arg("list"));
    assert!(table.contains("********"), "{table}");
    let (status, _, _) = run(h
        .awsp()
        .args(["status", "--format", "{region}"])
        .env("AWS_PROFILE", "work"));
    assert_eq!(status.trim(), "********");
}

#[test]
fn a_nested_secret_is_masked_by_its_own_name_in_json_settings() {
    let (_, config) = &indented_secrets()[3];
    let h = home(config, "");
    let (json, stderr, _) = run(h.awsp().args(["list", "--json"]));
    let doc: serde_json::Value = serde_json::from_str(&json).expect(&stderr);
    let settings = &doc["profiles"][0]["settings"];
    assert_eq!(
        settings["s3"]["aws_secret_access_key"], "********",
        "{json}"
    );
    assert_eq!(settings["region"], "eu-west-1", "{json}");
}

#[test]
fn the_picker_masks_indented_secrets_in_table_and_detail_pane() {
    for (case, config) in indented_secrets() {
        let h = home(&config, "");
        let snap = Snapshot::load(&AwsPaths::under_home(h.path())).unwrap();
        let mut picker = Picker {
            state: awsp::tui::app::state::State::new(entries(&snap), "", Utc::now()),
            snap,
            active: Some("work"),
            warnings: Vec::new(),
            theme: Theme { color: false },
            sync: Default::default(),
        };
        // Wide (detail pane beside the table) and tall (below it).
        for (w, hgt) in [(200, 30), (80, 40)] {
            let screen = draw(&mut picker, w, hgt);
            assert!(screen.contains("work"), "{case}: {screen}");
            for part in PARTS {
                assert!(
                    !screen.contains(part),
                    "{case}: the picker shows the secret:\n{screen}"
                );
            }
        }
    }
}
