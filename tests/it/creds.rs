//! `awsp creds`, `awsp exec` and `awsp console` against the fake portal and
//! a fake federation endpoint; the real AWS CLI v2 and botocore read the
//! cache file awsp writes; exec in real shells with hostile argv.

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use chrono::{TimeDelta, Utc};

use crate::common::*;
use crate::support::fake_federation::{FakeFederation, SIGNIN_TOKEN};
use crate::support::fake_portal::{FakeConfig, FakePortal};
use awsp::aws::cache::cache_file_name;

/// A home with profile `p` (sso-session `s`) on account 0's first role of
/// `portal`, and a token for `s` valid for `token_left`.
struct Setup {
    home: TestHome,
    portal: FakePortal,
    account: String,
    role: String,
}

impl Setup {
    fn new(token_left: TimeDelta) -> Setup {
        Setup::with_portal(token_left, FakeConfig::default())
    }

    fn with_portal(token_left: TimeDelta, config: FakeConfig) -> Setup {
        let portal = FakePortal::start(config);
        let account = portal.accounts()[0].id.clone();
        let role = portal.accounts()[0].roles[0].clone();
        let home = TestHome::new();
        home.write_config(&format!(
            "[profile p]\nsso_session = s\nsso_account_id = {account}\nsso_role_name = {role}\nregion = eu-west-1\n\n\
             [sso-session s]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n\n\
             [profile keys]\naws_access_key_id = AKIASTATIC\naws_secret_access_key = SECRET-STATIC\n"
        ));
        let token = format!(
            r#"{{"startUrl": "https://x.awsapps.com/start", "region": "us-east-1", "accessToken": "{}", "expiresAt": "{}"}}"#,
            portal.token(),
            from_now(Utc::now(), token_left)
        );
        home.write_sso_token("s", &token);
        Setup {
            home,
            portal,
            account,
            role,
        }
    }

    fn cache_file(&self) -> std::path::PathBuf {
        let key = format!(
            r#"{{"accountId":"{}","roleName":"{}","sessionName":"s"}}"#,
            self.account, self.role
        );
        self.home
            .aws()
            .join("cli/cache")
            .join(cache_file_name(&key))
    }

    fn awsp(&self) -> Command {
        let mut cmd = self.home.awsp();
        cmd.env("AWS_ENDPOINT_URL_SSO", self.portal.url())
            .env("PATH", "/usr/bin:/bin");
        without_terminal(&mut cmd);
        cmd
    }

    fn secret(&self) -> String {
        format!("fake-secret-{}-{}", self.account, self.role)
    }
}

#[test]
fn creds_fetches_writes_the_cli_cache_file_then_reads_it_without_network() {
    let s = Setup::new(TimeDelta::hours(8));
    let (out, err, code) = run(s.awsp().args(["creds", "p"]));
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["Version"], 1);
    assert_eq!(doc["SecretAccessKey"], s.secret());
    assert!(
        doc["Expiration"].as_str().unwrap().ends_with("+00:00"),
        "{out}"
    );
    assert_eq!(s.portal.stats().requests, 1);
    assert!(
        !err.contains("fake-secret") && !err.contains("fake-session"),
        "{err}"
    );

    let path = s.cache_file();
    let meta = std::fs::metadata(&path).expect("the CLI's cache file");
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with(r#"{"ProviderType": "sso", "Credentials": {"AccessKeyId": ""#),
        "{text}"
    );
    assert!(!text.ends_with('\n'));
    let cached: serde_json::Value = serde_json::from_str(&text).unwrap();
    let exp = cached["Credentials"]["Expiration"].as_str().unwrap();
    assert!(exp.ends_with('Z') && exp.len() == 20, "{exp}");

    // Second run: the file, no request.
    let (again, _, code) = run(s.awsp().args(["creds", "p"]));
    assert_eq!((code, again.as_str()), (0, out.as_str()));
    assert_eq!(
        s.portal.stats().requests,
        1,
        "a valid cache file means no network"
    );
}

/// Files Python's `json` reads and RFC 8259 does not (a `NaN`, a later
/// duplicate key): `creds` reads them as `list` does and as botocore
/// does, with one reader for the token's secret and the cached keys.
#[test]
fn creds_reads_token_and_cache_files_with_pythons_json_rules() {
    let s = Setup::new(TimeDelta::hours(8));
    let token = format!(
        r#"{{"accessToken": "stale", "accessToken": "{}", "expiresAt": "{}", "n": NaN}}"#,
        s.portal.token(),
        from_now(Utc::now(), TimeDelta::hours(8))
    );
    s.home.write_sso_token("s", &token);
    let (out, err, code) = run(s.awsp().args(["creds", "p"]));
    assert_eq!(code, 0, "the last accessToken is sent: {err}");
    assert!(out.contains(&s.secret()), "{out}");
    assert_eq!(s.portal.stats().requests, 1);

    let path = s.cache_file();
    let expires = from_now(Utc::now(), TimeDelta::hours(5));
    std::fs::write(
        &path,
        format!(
            r#"{{"ProviderType": "sso", "x": Infinity, "Credentials": {{"AccessKeyId": "ASIAOLD", "SecretAccessKey": "from-the-file", "SessionToken": "tok", "Expiration": "{expires}", "AccessKeyId": "ASIANEW"}}}}"#
        ),
    )
    .unwrap();
    let (listed, _, _) = run(s.awsp().args(["list", "--json"]));
    let doc: serde_json::Value = serde_json::from_str(&listed).unwrap();
    let p = doc["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "p")
        .unwrap();
    assert_eq!(p["role_credentials"]["status"], "valid", "{listed}");
    let (out, err, code) = run(s.awsp().args(["creds", "p"]));
    assert_eq!(code, 0, "{err}");
    let got: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(got["AccessKeyId"], "ASIANEW");
    assert_eq!(got["SecretAccessKey"], "from-the-file");
    assert_eq!(s.portal.stats().requests, 1, "the cache file, no request");
}

/// The portal named in the config file (a `services` section), with no
/// variable set: as the SDKs find it.
#[test]
fn creds_finds_the_portal_in_the_config_files_services_section() {
    let s = Setup::new(TimeDelta::hours(8));
    let config = std::fs::read_to_string(s.home.aws().join("config")).unwrap();
    s.home.write_config(&format!(
        "{}\n[services local]\nsso =\n  endpoint_url = {}\n",
        config.replace("[profile p]\n", "[profile p]\nservices = local\n"),
        s.portal.url()
    ));
    let mut cmd = s.awsp();
    cmd.env_remove("AWS_ENDPOINT_URL_SSO");
    let (out, err, code) = run(cmd.args(["creds", "p"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&s.secret()), "{out}");
    assert_eq!(s.portal.stats().requests, 1);
}

#[test]
fn the_real_aws_cli_and_botocore_read_the_file_awsp_wrote() {
    let Some(aws) = aws_cli() else { return };
    let Some(python) = oracle_python(&["botocore"]) else {
        return;
    };
    let s = Setup::new(TimeDelta::hours(8));
    let (ours, err, code) = run(s.awsp().args(["creds", "p"]));
    assert_eq!(code, 0, "{err}");
    // No route to AWS: a closed port as the portal.
    for format in ["process", "env", "powershell"] {
        let mut cli = Command::new(&aws);
        cli.args([
            "configure",
            "export-credentials",
            "--profile",
            "p",
            "--format",
            format,
        ])
        .env_clear()
        .env("HOME", s.home.path())
        .env("PATH", "/usr/bin:/bin")
        .env("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:9");
        let (theirs, cli_err, code) = run(&mut cli);
        assert_eq!(code, 0, "{cli_err}");
        let (mine, _, _) = run(s.awsp().args(["creds", "p", "--format", format]));
        assert_eq!(
            mine, theirs,
            "--format {format}: awsp and the AWS CLI print the same"
        );
        if format == "process" {
            assert_eq!(theirs, ours);
        }
    }
    let script = r#"
import os, botocore.session
from botocore.credentials import JSONFileCache
s = botocore.session.Session(profile='p')
sso = s.get_component('credential_provider').get_provider('sso')
sso.cache = JSONFileCache(os.path.expanduser('~/.aws/cli/cache'))
c = s.get_credentials().get_frozen_credentials()
print(c.access_key, c.secret_key, c.token)
"#;
    let out = Command::new(python)
        .args(["-c", script])
        .env_clear()
        .env("HOME", s.home.path())
        .env("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:9")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_str(&ours).unwrap();
    assert_eq!(
        text(&out.stdout).trim(),
        format!(
            "{} {} {}",
            doc["AccessKeyId"].as_str().unwrap(),
            doc["SecretAccessKey"].as_str().unwrap(),
            doc["SessionToken"].as_str().unwrap()
        )
    );
}

#[test]
fn formats_dotenv_fish_json() {
    let s = Setup::new(TimeDelta::hours(8));
    let (dotenv, _, code) = run(s.awsp().args(["creds", "p", "--format", "dotenv"]));
    assert_eq!(code, 0);
    assert!(
        dotenv.contains(&format!("AWS_SECRET_ACCESS_KEY={}\n", s.secret())),
        "{dotenv}"
    );
    let (fish, _, _) = run(s.awsp().args(["creds", "p", "--format", "fish"]));
    assert!(
        fish.lines().all(|l| l.starts_with("set -gx AWS_")),
        "{fish}"
    );
    let (json, _, _) = run(s.awsp().args(["creds", "p", "--format", "json"]));
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (doc["Profile"].as_str(), doc["Source"].as_str()),
        (Some("p"), Some("cache"))
    );
}

#[test]
fn an_expired_token_names_the_login_and_prints_no_secret() {
    let s = Setup::new(TimeDelta::hours(-1));
    let (out, err, code) = run(s.awsp().args(["creds", "p"]));
    assert_eq!(code, 1);
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("expired") && err.contains("awsp login s") && err.contains("--login"),
        "{err}"
    );
    assert!(!err.contains(s.portal.token()), "{err}");
    assert_eq!(s.portal.stats().requests, 0);
}

#[test]
fn unknown_profiles_and_a_missing_aws_are_clear() {
    let s = Setup::new(TimeDelta::hours(8));
    let (_, err, code) = run(s.awsp().args(["creds", "nope"]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no profile named nope"), "{err}");
    // A static profile goes to the AWS CLI, which is not on this PATH.
    let (out, err, code) = run(s.awsp().args(["creds", "keys"]).env("PATH", s.home.bin()));
    assert_eq!(code, 127, "{err}");
    assert!(
        out.is_empty() && err.contains("no `aws` is on PATH"),
        "{err}"
    );
    assert!(!err.contains("SECRET"), "{err}");
}

#[test]
fn other_profiles_go_through_aws_configure_export_credentials() {
    let Some(aws) = aws_cli() else { return };
    let s = Setup::new(TimeDelta::hours(8));
    s.home.link_tools(&[]);
    std::os::unix::fs::symlink(&aws, s.home.bin().join("aws")).unwrap();
    let (out, err, code) = run(s
        .awsp()
        .args(["creds", "keys", "--format", "env"])
        .env("PATH", format!("{}:/usr/bin:/bin", s.home.bin().display())));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "export AWS_ACCESS_KEY_ID=AKIASTATIC\nexport AWS_SECRET_ACCESS_KEY=SECRET-STATIC\n"
    );
}

#[test]
fn exec_gives_the_profile_or_the_keys_and_passes_the_status_on() {
    let s = Setup::new(TimeDelta::hours(8));
    let (out, err, code) = run(s
        .awsp()
        .args(["exec", "p", "--", "env"])
        .env("AWS_ACCESS_KEY_ID", "AKIAOLD")
        .env("AWS_DEFAULT_PROFILE", "old"));
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().any(|l| l == "AWS_PROFILE=p"), "{out}");
    assert!(out.lines().any(|l| l == "AWS_REGION=eu-west-1"));
    assert!(out.lines().any(|l| l == "AWS_DEFAULT_REGION=eu-west-1"));
    assert!(
        !out.contains("AKIAOLD") && !out.contains("AWS_DEFAULT_PROFILE"),
        "{out}"
    );
    assert!(
        !out.contains("fake-secret"),
        "no keys without --keys: {out}"
    );
    assert!(s.cache_file().is_file(), "exec warmed the CLI cache");

    let (out, err, code) =
        run(s
            .awsp()
            .args(["exec", "--keys", "--region", "ap-south-1", "p", "--", "env"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("AWS_SECRET_ACCESS_KEY={}\n", s.secret())),
        "{out}"
    );
    assert!(out.contains("AWS_CREDENTIAL_EXPIRATION=") && out.contains("AWS_REGION=ap-south-1\n"));
    assert!(!out.contains("AWS_PROFILE="), "{out}");
    assert!(!err.contains("fake-secret"), "{err}");

    let (_, _, code) = run(s.awsp().args(["exec", "p", "--", "sh", "-c", "exit 7"]));
    assert_eq!(code, 7);
    let status = s
        .awsp()
        .args(["exec", "p", "--", "sh", "-c", "kill -TERM $$"])
        .status()
        .unwrap();
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(
        status.signal(),
        Some(15),
        "awsp is replaced by CMD: its signal is CMD's"
    );
}

#[test]
fn exec_refuses_what_it_cannot_run() {
    let s = Setup::new(TimeDelta::hours(8));
    let (_, err, code) = run(s.awsp().args(["exec", "p"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no command given"), "{err}");
    let marker = s.home.root().join("ran");
    let touch = format!("touch {}", marker.display());
    let (_, err, code) = run(s.awsp().args(["exec", "nope", "--", "sh", "-c", &touch]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no profile named nope"));
    let expired = Setup::new(TimeDelta::hours(-2));
    let (_, err, code) = run(expired.awsp().args(["exec", "p", "--", "sh", "-c", &touch]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("awsp login s"), "{err}");
    assert!(!marker.exists(), "nothing ran");
    let (_, err, code) = run(s.awsp().args(["exec", "p", "--", "/no/such/program"]));
    assert_eq!(code, 127, "{err}");
}

#[test]
fn exec_passes_hostile_argv_untouched_from_real_shells() {
    let s = Setup::new(TimeDelta::hours(8));
    let awsp = env!("CARGO_BIN_EXE_awsp");
    // printf shows each argument in brackets, bytes as they arrive.
    let expected: &[u8] = b"[a b][\"q\" 'q'][$(touch x)][`id`][l1\nl2][][*][\xff]";
    for shell in ["bash", "zsh", "fish"] {
        if !require(shell) {
            continue;
        }
        let line = match shell {
            "fish" => format!(
                "{awsp} exec p -- printf '[%s]' 'a b' '\"q\" \\'q\\'' '$(touch x)' '`id`' 'l1\nl2' '' '*' \\xff"
            ),
            _ => format!(
                "{awsp} exec p -- printf '[%s]' 'a b' '\"q\" '\\''q'\\' '$(touch x)' '`id`' $'l1\\nl2' '' '*' $'\\xff'"
            ),
        };
        let out = Command::new(which(shell))
            .args(["-c", &line])
            .current_dir(s.home.root())
            .env_clear()
            .env("HOME", s.home.path())
            .env("PATH", "/usr/bin:/bin")
            .env("AWS_ENDPOINT_URL_SSO", s.portal.url())
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}: {}", text(&out.stderr));
        assert_eq!(
            out.stdout,
            expected,
            "{shell}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(
            !s.home.root().join("x").exists(),
            "{shell} expanded nothing"
        );
    }
}

#[test]
fn console_prints_the_login_url_only_when_asked() {
    let s = Setup::new(TimeDelta::hours(8));
    let fed = FakeFederation::start();
    let (out, err, code) = run(s
        .awsp()
        .args(["console", "p", "--print"])
        .env("AWSP_FEDERATION_URL", &fed.url));
    assert_eq!(code, 0, "{err}");
    let url = out.trim_end();
    assert!(
        url.starts_with(&format!(
            "{}?Action=login&Issuer=awsp&Destination=https%3A%2F%2Feu-west-1.console.aws.amazon.com%2Fconsole%2Fhome%3Fregion%3Deu-west-1&SigninToken=",
            fed.url
        )),
        "{url}"
    );
    assert!(url.ends_with("SECRET-SIGNIN%2BTOKEN%2F%3D"), "{url}");
    let session = &fed.sessions()[0];
    assert_eq!(session["sessionKey"], s.secret());
    assert!(session["sessionId"]
        .as_str()
        .unwrap()
        .starts_with("ASIAFAKE"));
    assert!(
        !err.contains("SECRET") && !err.contains("fake-secret"),
        "{err}"
    );

    // Opening: the URL goes to $BROWSER's argv, nowhere else.
    let record = s.home.root().join("browser-args");
    s.home.stub(
        "browser",
        &format!("#!/bin/sh\nprintf '%s' \"$1\" > {}\n", record.display()),
    );
    let (out, err, code) = run(s
        .awsp()
        .args(["console", "p", "--service", "s3"])
        .env("AWSP_FEDERATION_URL", &fed.url)
        .env("BROWSER", s.home.bin().join("browser")));
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        !err.contains("SECRET") && !err.contains("SigninToken"),
        "{err}"
    );
    let opened = std::fs::read_to_string(&record).unwrap();
    assert!(
        opened.contains("s3%2Fhome") && opened.contains("SigninToken=SECRET"),
        "{opened}"
    );
    let _ = SIGNIN_TOKEN;
}

#[test]
fn after_creds_no_other_command_prints_the_credentials() {
    let s = Setup::new(TimeDelta::hours(8));
    let (out, err, code) = run(s.awsp().args(["creds", "p", "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let secrets = [
        doc["SecretAccessKey"].as_str().unwrap().to_string(),
        doc["SessionToken"].as_str().unwrap().to_string(),
        s.portal.token().to_string(),
    ];
    let commands: &[&[&str]] = &[
        &["list"],
        &["list", "--json"],
        &["status"],
        &["status", "--json"],
        &["doctor"],
        &["doctor", "--json"],
        &["clean", "--dry-run"],
        &["exec", "p", "--", "env"],
        &["console", "p"],
        &["creds", "nope"],
    ];
    for args in commands {
        let (out, err, _) = run(s
            .awsp()
            .args(*args)
            .env("AWS_PROFILE", "p")
            .env("AWSP_FEDERATION_URL", "http://127.0.0.1:9/federation"));
        for secret in &secrets {
            assert!(
                !out.contains(secret.as_str()) && !err.contains(secret.as_str()),
                "awsp {args:?} printed a secret:\n{out}\n{err}"
            );
        }
    }
    // The list shows the cache file creds wrote as valid.
    let (json, _, _) = run(s.awsp().args(["list", "--json"]));
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    let p = list["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "p")
        .unwrap();
    assert_eq!(p["role_credentials"]["status"], "valid", "{p}");
}

/// The picker in bash under tmux on a home whose portal answers after
/// `latency`, filtered to profile `p`, with a browser stub that records
/// the URL it is given in the returned file. `awsp_line` starts awsp.
struct ConsolePicker {
    s: Setup,
    _federation: FakeFederation,
    t: Tmux,
    browser_args: std::path::PathBuf,
}

impl ConsolePicker {
    fn start(latency_ms: u64, awsp_line: &str) -> ConsolePicker {
        let slow = FakeConfig {
            latency: std::time::Duration::from_millis(latency_ms),
            ..FakeConfig::default()
        };
        let s = Setup::with_portal(TimeDelta::hours(8), slow);
        let federation = FakeFederation::start();
        let browser_args = s.home.root().join("browser-args");
        s.home.stub(
            "browser",
            &format!(
                "#!/bin/sh\nprintf '%s' \"$1\" > {}\n",
                browser_args.display()
            ),
        );
        let t = Tmux::start("bash", s.home.path());
        t.type_line(&format!(
            "export AWS_ENDPOINT_URL_SSO={} AWSP_FEDERATION_URL={} BROWSER={}",
            s.portal.url(),
            federation.url,
            s.home.bin().join("browser").display()
        ));
        t.type_line(awsp_line);
        // (Not "PROFILE": the typed line may hold AWS_PROFILE.)
        t.wait_for("o console");
        t.literal("/p");
        t.wait_for("1/2");
        t.keys(&["Escape"]);
        ConsolePicker {
            s,
            _federation: federation,
            t,
            browser_args,
        }
    }
}

#[test]
fn picker_o_opens_the_console_and_the_row_shows_the_new_cache_file() {
    if !require("tmux") || !require("bash") {
        return;
    }
    // A slow portal: the picker says what it waits for meanwhile, and
    // goes on drawing and reading keys.
    let ConsolePicker {
        s,
        t,
        browser_args,
        _federation,
    } = ConsolePicker::start(2500, "awsp");
    let before = t.wait_for("o console");
    let row = |screen: &str| {
        screen
            .lines()
            .find(|l| l.contains(&s.account) && l.contains("eu-west-1"))
            .unwrap_or_default()
            .to_string()
    };
    assert!(row(&before).trim_end().ends_with("missing"), "{before}");
    t.keys(&["o"]);
    let waiting = t.wait_for("signing in to the console as p…");
    assert!(!waiting.contains("console for p opened"), "{waiting}");
    // The picker keeps reading keys meanwhile: the help opens and closes
    // while the portal still waits.
    t.keys(&["?"]);
    t.wait_for("open the AWS console as the profile");
    assert!(
        !s.cache_file().exists(),
        "the help opened only after the sign-in had finished"
    );
    t.keys(&["Escape"]);
    let screen = t.wait_for("console for p opened");
    // The CREDS column reads the file just written (the role's hour).
    let after = row(&screen);
    assert!(
        !after.contains("missing") && after.matches("valid").count() == 2,
        "{screen}"
    );
    assert!(
        !screen.contains("SECRET") && !screen.contains("fake-secret"),
        "{screen}"
    );
    let opened = std::fs::read_to_string(&browser_args).unwrap();
    assert!(opened.contains("SigninToken=SECRET"), "{opened}");
    assert!(
        s.cache_file().is_file(),
        "the picker's console wrote the CLI cache file"
    );
    assert_eq!(s.portal.stats().requests, 1);
}

#[test]
fn leaving_the_picker_during_o_first_finishes_the_console_sign_in() {
    if !require("tmux") || !require("bash") {
        return;
    }
    let ConsolePicker {
        s,
        t,
        browser_args,
        _federation,
    } = ConsolePicker::start(
        1500,
        "awsp; echo \"status=$? profile=${AWS_PROFILE-unset}\"",
    );
    t.wait_for("o console");
    t.keys(&["o"]);
    t.wait_for("signing in to the console as p…");
    t.keys(&["q"]);
    t.wait_for("finishing the console sign-in as p…");
    // (The picker draws on the alternate screen; the line typed shows
    // again once awsp has left, and its output is a line of its own.)
    let after = t.wait_until("awsp to exit", |screen| {
        screen.lines().any(|l| l.starts_with("status="))
    });
    assert!(
        after
            .lines()
            .any(|l| l.trim_end() == "status=1 profile=unset"),
        "{after}"
    );
    // The browser was given the sign-in URL before awsp left.
    let opened = std::fs::read_to_string(&browser_args).unwrap();
    assert!(opened.contains("SigninToken=SECRET"), "{opened}");
    assert!(s.cache_file().is_file());
}

#[test]
fn ctrl_c_while_the_picker_finishes_the_console_sign_in_leaves_at_once() {
    if !require("tmux") || !require("bash") {
        return;
    }
    let ConsolePicker {
        s,
        t,
        _federation,
        browser_args: _browser_args,
    } = ConsolePicker::start(
        20_000,
        "awsp; echo \"status=$? profile=${AWS_PROFILE-unset}\"",
    );
    t.keys(&["o"]);
    t.wait_for("signing in to the console as p…");
    t.keys(&["Enter"]);
    t.wait_for("(Ctrl-C leaves now)");
    let asked = std::time::Instant::now();
    t.keys(&["C-c"]);
    let after = t.wait_until("awsp to exit", |screen| {
        screen.lines().any(|l| l.starts_with("status="))
    });
    assert!(
        after
            .lines()
            .any(|l| l.trim_end() == "status=130 profile=unset"),
        "{after}"
    );
    assert!(asked.elapsed() < std::time::Duration::from_secs(10));
    assert!(!s.cache_file().exists(), "the portal had not answered yet");
}

#[test]
fn a_console_sign_in_that_fails_while_the_picker_leaves_is_said_on_stderr() {
    if !require("tmux") || !require("bash") {
        return;
    }
    // Nothing listens on port 9: the federation call fails after the
    // portal's credentials arrive.
    let ConsolePicker {
        s: _home,
        t,
        browser_args,
        _federation,
    } = ConsolePicker::start(
        1500,
        "AWSP_FEDERATION_URL=http://127.0.0.1:9/federation awsp; echo \"status=$?\"",
    );
    t.keys(&["o"]);
    t.wait_for("signing in to the console as p…");
    t.keys(&["q"]);
    let after = t.wait_until("awsp to exit", |screen| {
        screen.lines().any(|l| l.starts_with("status="))
    });
    let said = after
        .lines()
        .find(|l| l.starts_with("awsp: console:"))
        .unwrap_or_else(|| panic!("no console error on stderr:\n{after}"));
    assert!(said.contains("127.0.0.1:9"), "{after}");
    assert!(after.lines().any(|l| l.trim_end() == "status=1"), "{after}");
    assert!(!browser_args.exists(), "no browser for a failed sign-in");
}

#[test]
fn login_flag_logs_in_first_then_fetches() {
    let s = Setup::new(TimeDelta::hours(-1));
    let token_file = s.home.aws().join("sso/cache").join(cache_file_name("s"));
    let fresh = format!(
        r#"{{"startUrl": "https://x.awsapps.com/start", "region": "us-east-1", "accessToken": "{}", "expiresAt": "{}"}}"#,
        s.portal.token(),
        from_now(Utc::now(), TimeDelta::hours(8))
    );
    let body = s.home.root().join("fresh-token");
    std::fs::write(&body, fresh).unwrap();
    let record = s.home.root().join("aws-args");
    s.home.stub(
        "aws",
        &format!(
            "#!/bin/sh\necho \"$@\" > {}\ncp {} {}\n",
            record.display(),
            body.display(),
            token_file.display()
        ),
    );
    let path = format!("{}:/usr/bin:/bin", s.home.bin().display());
    let (out, err, code) = run(s.awsp().args(["creds", "--login", "p"]).env("PATH", &path));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(&record).unwrap().trim(),
        "sso login --sso-session s"
    );
    assert!(out.contains(&s.secret()), "{out}");
    assert!(s.cache_file().is_file());
}

#[test]
fn an_aws_older_than_2_9_is_named() {
    let s = Setup::new(TimeDelta::hours(8));
    s.home.stub(
        "aws",
        "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'aws-cli/2.8.3 Python/3.9'; exit 0; fi\n\
         echo 'aws: error: argument operation: Invalid choice' >&2; exit 252\n",
    );
    let path = format!("{}:/usr/bin:/bin", s.home.bin().display());
    let (out, err, code) = run(s.awsp().args(["creds", "keys"]).env("PATH", &path));
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("version 2.8.3") && err.contains("2.9 or later"),
        "{err}"
    );
}

#[test]
fn a_refreshable_token_in_its_window_is_left_to_the_aws_cli() {
    let s = Setup::new(TimeDelta::hours(8));
    // Five minutes left, with what the CLI needs to refresh it.
    let token = format!(
        r#"{{"startUrl": "https://x.awsapps.com/start", "region": "us-east-1", "accessToken": "{}", "expiresAt": "{}", "clientId": "c", "clientSecret": "SECRET-CLIENT", "registrationExpiresAt": "{}", "refreshToken": "SECRET-REFRESH"}}"#,
        s.portal.token(),
        from_now(Utc::now(), TimeDelta::minutes(5)),
        from_now(Utc::now(), TimeDelta::days(30))
    );
    s.home.write_sso_token("s", &token);
    let record = s.home.root().join("aws-args");
    s.home.stub(
        "aws",
        &format!("#!/bin/sh\necho \"$@\" > {}\nprintf '{{\"Version\": 1, \"AccessKeyId\": \"ASIACLI\", \"SecretAccessKey\": \"from-cli\", \"SessionToken\": \"t\", \"Expiration\": \"2099-01-01T00:00:00+00:00\"}}'\n", record.display()),
    );
    let path = format!("{}:/usr/bin:/bin", s.home.bin().display());
    let (out, err, code) = run(s.awsp().args(["creds", "p"]).env("PATH", &path));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"AccessKeyId\": \"ASIACLI\""), "{out}");
    assert_eq!(
        std::fs::read_to_string(&record).unwrap().trim(),
        "configure export-credentials --profile p --format process"
    );
    assert_eq!(
        s.portal.stats().requests,
        0,
        "awsp does not refresh tokens itself"
    );
}

#[test]
fn creds_exec_and_console_complete_profile_names() {
    let s = Setup::new(TimeDelta::hours(8));
    for command in ["creds", "exec", "console"] {
        let (out, err, code) =
            run(s
                .awsp()
                .args(["__complete", "bash", "--", "awsp", command, "k"]));
        assert_eq!(code, 0, "{err}");
        assert_eq!(out.trim(), "keys", "awsp {command} k<TAB>");
    }
}

#[test]
fn a_legacy_sso_profile_gets_its_file_under_the_start_url_key() {
    let s = Setup::new(TimeDelta::hours(8));
    let url = "https://legacy.awsapps.com/start";
    s.home.write_config(&format!(
        "[profile old]\nsso_start_url = {url}\nsso_region = us-east-1\nsso_account_id = {}\nsso_role_name = {}\n",
        s.account, s.role
    ));
    s.home.write_sso_token(
        url,
        &format!(
            r#"{{"startUrl": "{url}", "region": "us-east-1", "accessToken": "{}", "expiresAt": "{}"}}"#,
            s.portal.token(),
            from_now(Utc::now(), TimeDelta::hours(8))
        ),
    );
    let (out, err, code) = run(s.awsp().args(["creds", "old"]));
    assert_eq!(code, 0, "{err}");
    let key = format!(
        r#"{{"accountId":"{}","roleName":"{}","startUrl":"{url}"}}"#,
        s.account, s.role
    );
    let file = s.home.aws().join("cli/cache").join(cache_file_name(&key));
    assert!(file.is_file(), "the legacy key names the file");
    if let Some(aws) = aws_cli() {
        let mut cli = Command::new(aws);
        cli.args(["configure", "export-credentials", "--profile", "old"])
            .env_clear()
            .env("HOME", s.home.path())
            .env("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:9");
        let (theirs, cli_err, code) = run(&mut cli);
        assert_eq!((code, theirs.as_str()), (0, out.as_str()), "{cli_err}");
    }
}

#[test]
fn the_demo_asks_no_portal() {
    let (out, err, code) = run(awsp().args(["--demo", "creds", "prod-admin"]));
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty() && err.contains("demo"), "{err}");
}
