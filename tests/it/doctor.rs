//! `awsp doctor` end to end: a temp HOME, a PATH holding only a stub `aws`
//! (or none), a cleared environment; one test per check.

use crate::common::{awsp, from_now, run, sso_token, TestHome};
use chrono::{Duration, Utc};

const HEALTHY: &str = "\
[sso-session main]
sso_start_url = https://main.awsapps.com/start
sso_region = us-east-1

[profile xyz-admin]
sso_session = main
sso_account_id = 112233445566
sso_role_name = AdministratorAccess
region = eu-west-1

[profile xyz-read]
sso_session = main
sso_account_id = 112233445566
sso_role_name = ReadOnlyAccess
";

/// (severity, code, message, fix) of one finding.
type Row = (String, String, String, String);

struct Home {
    h: TestHome,
}

impl Home {
    fn new(config: &str, credentials: Option<&str>) -> Home {
        let h = TestHome::new();
        h.aws_dir("sso/cache");
        h.write_config(config);
        if let Some(c) = credentials {
            h.write_credentials(c);
        }
        let h = Home { h };
        h.token("main", Duration::hours(6));
        h.stub_aws("echo 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.ubuntu.22'");
        h
    }

    /// The token of `session`, expiring `offset` from now.
    fn token(&self, session: &str, offset: Duration) {
        self.h
            .write_sso_token(session, &sso_token(&from_now(Utc::now(), offset)));
    }

    /// An expired token (2 days ago) for `session`.
    fn expired_token(&self, session: &str) {
        self.token(session, -Duration::days(2));
    }

    /// `bin/aws` runs `body` under /bin/sh.
    fn stub_aws(&self, body: &str) {
        self.h.stub("aws", &format!("#!/bin/sh\n{body}\n"));
    }

    fn no_aws(&self) {
        std::fs::remove_file(self.h.bin().join("aws")).unwrap();
    }

    fn doctor(&self, env: &[(&str, &str)], json: bool) -> (String, i32) {
        let mut cmd = self.h.awsp();
        // PATH holds only the stub folder: no real `aws` can be found.
        cmd.env("PATH", self.h.bin()).arg("doctor");
        if json {
            cmd.arg("--json");
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let (out, err, code) = run(&mut cmd);
        assert!(err.is_empty(), "{err}");
        (out, code)
    }

    /// (severity, code, message, fix) of each finding.
    fn findings(&self, env: &[(&str, &str)]) -> (Vec<Row>, bool, i32) {
        let (out, code) = self.doctor(env, true);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let list = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["severity"].as_str().unwrap().to_string(),
                    f["code"].as_str().unwrap().to_string(),
                    f["message"].as_str().unwrap().to_string(),
                    f["fix"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        (list, v["ok"].as_bool().unwrap(), code)
    }

    fn find(&self, env: &[(&str, &str)], code: &str) -> (String, String, String) {
        let (list, _, _) = self.findings(env);
        let f = list
            .into_iter()
            .find(|f| f.1 == code)
            .unwrap_or_else(|| panic!("no {code} finding"));
        (f.0, f.2, f.3)
    }

    fn codes(&self, env: &[(&str, &str)]) -> Vec<String> {
        self.findings(env).0.into_iter().map(|f| f.1).collect()
    }
}

const ACTIVE: &[(&str, &str)] = &[("AWS_PROFILE", "xyz-admin")];

#[test]
fn healthy_setup_exits_0_with_only_ok_and_info() {
    let h = Home::new(HEALTHY, None);
    let (list, ok, code) = h.findings(ACTIVE);
    assert!(ok && code == 0, "{list:?}");
    assert!(
        list.iter().all(|f| f.0 == "ok" || f.0 == "info"),
        "{list:?}"
    );
    let codes: Vec<&str> = list.iter().map(|f| f.1.as_str()).collect();
    assert_eq!(codes, vec!["aws-ok", "active-profile", "token-valid"]);
    let (text, code) = h.doctor(ACTIVE, false);
    assert_eq!(code, 0);
    assert!(text.starts_with("ok     aws-cli 2.15.0 ("), "{text}");
    assert!(text.ends_with("doctor: nothing to fix\n"), "{text}");
    assert!(!text.contains('\x1b'), "no colour off a terminal");
}

#[test]
fn aws_missing_is_an_error() {
    let h = Home::new(HEALTHY, None);
    h.no_aws();
    let (sev, msg, fix) = h.find(ACTIVE, "aws-missing");
    assert_eq!(sev, "error");
    assert!(
        msg.contains("not on PATH") && fix.contains("install"),
        "{msg} {fix}"
    );
    assert_eq!(h.findings(ACTIVE).2, 1);
}

#[test]
fn aws_older_than_2_9_is_an_error() {
    let h = Home::new(HEALTHY, None);
    h.stub_aws("echo 'aws-cli/2.8.0 Python/3.9.11 Linux/5 exe/x86_64'");
    let (sev, msg, fix) = h.find(ACTIVE, "aws-too-old");
    assert_eq!(sev, "error");
    assert!(
        msg.contains("2.8.0") && fix.contains("2.9.0"),
        "{msg} {fix}"
    );
    // CLI v1 writes its version on stderr.
    h.stub_aws("echo 'aws-cli/1.29.0 Python/3.11 Linux/6 botocore/1.31' >&2");
    let (_, msg, _) = h.find(ACTIVE, "aws-too-old");
    assert!(msg.contains("v1"), "{msg}");
    h.stub_aws("echo 'aws-cli/2.9.0 Python/3.9.11'");
    assert_eq!(h.find(ACTIVE, "aws-ok").0, "ok");
}

#[test]
fn aws_that_fails_or_says_nonsense_is_a_warning() {
    let h = Home::new(HEALTHY, None);
    h.stub_aws("echo 'broken install' >&2; exit 3");
    let (sev, msg, _) = h.find(ACTIVE, "aws-unknown-version");
    assert_eq!(sev, "warn");
    assert!(msg.contains("broken install"), "{msg}");
    h.stub_aws("echo hello");
    assert!(h.find(ACTIVE, "aws-unknown-version").1.contains("hello"));
}

#[test]
fn environment_variables_that_override_or_confuse() {
    let h = Home::new(HEALTHY, None);
    let env = [
        ("AWS_PROFILE", "xyz-admin"),
        ("AWS_DEFAULT_PROFILE", "xyz-read"),
        ("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKE1234"),
        ("AWS_SECRET_ACCESS_KEY", "SECRET-KEY"),
        ("AWS_ROLE_ARN", "arn:aws:iam::1:role/x"),
        ("AWS_WEB_IDENTITY_TOKEN_FILE", "/tmp/t"),
        ("AWS_REGION", "eu-west-1"),
    ];
    let (list, ok, code) = h.findings(&env);
    assert!(!ok && code == 1);
    let get = |c: &str| {
        list.iter()
            .find(|f| f.1 == c)
            .cloned()
            .unwrap_or_else(|| panic!("{c}: {list:?}"))
    };
    let dp = get("default-profile-set");
    assert!(
        dp.2.contains("AWS_DEFAULT_PROFILE=xyz-read") && dp.2.contains("AWS_PROFILE=xyz-admin")
    );
    assert!(dp.3.contains("unset AWS_DEFAULT_PROFILE"));
    let keys = get("access-key-vars");
    assert!(
        keys.2.contains("AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY")
            && keys.3.contains("--clear-keys")
    );
    assert!(get("web-identity-vars")
        .2
        .contains("AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE"));
    let region = get("region-without-default-region");
    assert!(region.3.contains("AWS_DEFAULT_REGION=eu-west-1"));
    for f in &list {
        assert!(!format!("{f:?}").contains("SECRET-KEY"), "{f:?}");
    }
    // Both regions set and equal: nothing to say.
    let codes = h.codes(&[
        ("AWS_PROFILE", "xyz-admin"),
        ("AWS_REGION", "r"),
        ("AWS_DEFAULT_REGION", "r"),
    ]);
    assert!(!codes.iter().any(|c| c.starts_with("region")), "{codes:?}");
    assert_eq!(
        h.codes(&[("AWS_REGION", "a"), ("AWS_DEFAULT_REGION", "b")])
            .iter()
            .filter(|c| *c == "region-mismatch")
            .count(),
        1
    );
}

#[test]
fn active_profile_that_does_not_exist_suggests_close_names() {
    let h = Home::new(HEALTHY, None);
    let (sev, msg, fix) = h.find(&[("AWS_PROFILE", "xyz-admn")], "profile-not-found");
    assert_eq!(sev, "error");
    assert!(
        msg.starts_with("AWS_PROFILE=xyz-admn names no profile"),
        "{msg}"
    );
    assert!(fix.contains("did you mean xyz-admin"), "{fix}");
    let (_, msg, _) = h.find(
        &[("AWS_DEFAULT_PROFILE", "nothing-like-it")],
        "profile-not-found",
    );
    assert!(
        msg.starts_with("AWS_DEFAULT_PROFILE=nothing-like-it"),
        "{msg}"
    );
    assert!(h.codes(&[]).contains(&"no-active-profile".to_string()));
}

#[test]
fn a_file_that_does_not_parse_is_a_finding_not_a_failure() {
    let h = Home::new(
        &format!("{HEALTHY}oops no delimiter\n"),
        Some("[x]\nk = 1\nk = 2\n"),
    );
    let (list, ok, code) = h.findings(ACTIVE);
    assert!(!ok && code == 1);
    let bad: Vec<_> = list
        .iter()
        .filter(|f| f.1 == "file-does-not-parse")
        .collect();
    assert_eq!(bad.len(), 2, "{list:?}");
    let line = HEALTHY.lines().count() + 1;
    assert!(
        bad[0].2.contains(&format!(".aws/config:{line}: ")),
        "{bad:?}"
    );
    assert!(
        bad[1]
            .2
            .contains(".aws/credentials:3: option 'k' appears twice"),
        "{bad:?}"
    );
    assert!(bad
        .iter()
        .all(|f| f.0 == "error" && f.3.contains("fix line")));
    // The profile may be in the broken file: not claimed missing.
    assert!(!list.iter().any(|f| f.1 == "profile-not-found"));
    let (text, code) = h.doctor(ACTIVE, false);
    assert_eq!(code, 1);
    assert!(
        text.lines().filter(|l| l.starts_with("error  ")).count() >= 2,
        "{text}"
    );
}

#[test]
fn profiles_with_a_problem() {
    let h = Home::new(
        &format!("{HEALTHY}\n[profile broken]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = R\n"),
        None,
    );
    let (sev, msg, fix) = h.find(ACTIVE, "profile-problem");
    assert_eq!(sev, "warn");
    assert!(
        msg.contains("profile 'broken'") && msg.contains("sso-session 'nope' is not defined"),
        "{msg}"
    );
    assert!(
        fix.contains(&format!(".aws/config:{}", HEALTHY.lines().count() + 2)),
        "{fix}"
    );
    // The active profile's problem is an error.
    assert_eq!(
        h.find(&[("AWS_PROFILE", "broken")], "profile-problem").0,
        "error"
    );
}

#[test]
fn dropped_shadowed_and_default_leak() {
    let config = format!(
        "[DEFAULT]\noutput = json\n{HEALTHY}\n[profile a b]\nregion = x\n[profile it's]\nregion = y\n[profile \"xyz-read\"]\nregion = z\n"
    );
    let h = Home::new(&config, None);
    let (list, _, code) = h.findings(ACTIVE);
    assert_eq!(code, 1);
    let dropped: Vec<_> = list.iter().filter(|f| f.1 == "dropped-section").collect();
    assert_eq!(dropped.len(), 2, "{list:?}");
    let base = HEALTHY.lines().count() + 2;
    assert!(
        dropped[0].2.contains(&format!(
            "config:{}: [profile a b] is silently ignored",
            base + 2
        )),
        "{:?}",
        dropped[0]
    );
    assert!(dropped[0].2.contains("3 word(s)"));
    assert!(
        dropped[1].2.contains("[profile it's]") && dropped[1].2.contains("unbalanced quote"),
        "{:?}",
        dropped[1]
    );
    let shadowed = list.iter().find(|f| f.1 == "shadowed-section").unwrap();
    assert!(
        shadowed.2.contains(&format!(
            "config:{}: profile 'xyz-read' is replaced wholesale by the later section at line {}",
            13,
            base + 6
        )),
        "{shadowed:?}"
    );
    let leak = list.iter().find(|f| f.1 == "default-leak").unwrap();
    assert!(leak.2.contains("[DEFAULT] copies output"), "{leak:?}");
    assert!(list
        .iter()
        .filter(|f| ["dropped-section", "shadowed-section", "default-leak"].contains(&f.1.as_str()))
        .all(|f| f.0 == "warn"));
}

#[test]
fn expired_tokens_and_stale_cache_files() {
    let h = Home::new(
        &format!("{HEALTHY}\n[sso-session old]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-1\n[profile old-read]\nsso_session = old\nsso_account_id = 2\nsso_role_name = R\n"),
        None,
    );
    h.expired_token("old");
    let (sev, msg, fix) = h.find(ACTIVE, "token-expired");
    assert_eq!(sev, "warn");
    assert_eq!(msg, "sso-session 'old': token expired 2d ago");
    assert!(
        fix.contains("awsp login old") && fix.contains("aws sso login --sso-session old"),
        "{fix}"
    );
    let (sev, msg, fix) = h.find(ACTIVE, "stale-cache-files");
    assert_eq!(sev, "info");
    assert!(msg.starts_with("1 expired cache file(s)"), "{msg}");
    assert!(fix.contains("awsp clean"));
    assert_eq!(
        h.findings(ACTIVE).2,
        1,
        "an expired token in use is worth a warning"
    );
}

#[test]
fn stale_cache_files_alone_do_not_fail() {
    let h = Home::new(HEALTHY, None);
    h.expired_token("unrelated");
    let (list, ok, code) = h.findings(ACTIVE);
    assert!(ok && code == 0, "{list:?}");
    assert!(list.iter().any(|f| f.1 == "stale-cache-files"));
}

#[test]
fn text_is_one_line_per_finding_grouped_by_severity() {
    let h = Home::new(HEALTHY, None);
    h.stub_aws("echo 'aws-cli/2.8.0'");
    let env = [
        ("AWS_PROFILE", "xyz-admin"),
        ("AWS_REGION", "r"),
        ("NO_COLOR", "1"),
    ];
    let (text, code) = h.doctor(&env, false);
    assert_eq!(code, 1);
    let words: Vec<&str> = text
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        words,
        vec!["error", "warn", "ok", "ok", "doctor:"],
        "{text}"
    );
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .contains(" -> also export AWS_DEFAULT_REGION=r"),
        "{text}"
    );
    assert!(
        text.ends_with("doctor: 1 error(s), 1 warning(s)\n"),
        "{text}"
    );
}

#[test]
fn demo_doctor_reports_the_demo_problems() {
    let h = TestHome::new();
    h.stub("aws", "#!/bin/sh\necho aws-cli/2.15.0\n");
    let out = awsp()
        .env("PATH", h.bin())
        .env("AWS_PROFILE", "prod-admin")
        .args(["--demo", "doctor", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    for c in [
        "profile-problem",
        "token-expired",
        "stale-cache-files",
        "active-profile",
        "aws-ok",
    ] {
        assert!(codes.contains(&c), "{c}: {codes:?}");
    }
}

#[test]
fn a_services_line_naming_no_section_is_named_with_its_place() {
    let config = format!(
        "{HEALTHY}services = corp\n\n[profile other]\nservices = here\n\n[services here]\nsso =\n  endpoint_url = https://sso.example\n"
    );
    let h = Home::new(&config, None);
    let (sev, msg, fix) = h.find(&[], "services-missing");
    assert_eq!(sev, "warn");
    assert!(
        msg.starts_with("profile 'xyz-read' (")
            && msg.contains("services = corp")
            && msg.contains("[services corp]"),
        "{msg}"
    );
    assert!(fix.contains("[services corp]"), "{fix}");
    let (list, _, _) = h.findings(&[]);
    assert_eq!(
        list.iter().filter(|f| f.1 == "services-missing").count(),
        1,
        "{list:?}"
    );
    let (sev, _, _) = h.find(&[("AWS_PROFILE", "xyz-read")], "services-missing");
    assert_eq!(sev, "error");
}

#[test]
fn an_endpoint_the_aws_cli_on_path_cannot_read_is_a_warning() {
    let config = format!(
        "{HEALTHY}services = here\n\n[services here]\nsso =\n  endpoint_url = https://sso.example\n"
    );
    let h = Home::new(&config, None);
    // 2.15 reads configured endpoints: nothing to say.
    assert!(!h
        .codes(&[])
        .contains(&"endpoints-ignored-by-aws".to_string()));
    // 2.12 does not: the profile and its line are named, once.
    h.stub_aws("echo 'aws-cli/2.12.7 Python/3.11.4 Linux/6.1 exe/x86_64.debian.12'");
    let (sev, msg, fix) = h.find(&[], "endpoints-ignored-by-aws");
    assert_eq!(sev, "warn");
    assert!(
        msg.starts_with("profile 'xyz-read' (")
            && msg.contains("config:")
            && msg.contains("https://sso.example")
            && msg.contains("aws-cli 2.12.7"),
        "{msg}"
    );
    assert!(fix.contains("2.13.0"), "{fix}");
    let (list, _, _) = h.findings(&[]);
    let n = list
        .iter()
        .filter(|f| f.1 == "endpoints-ignored-by-aws")
        .count();
    assert_eq!(n, 1, "{list:?}");
    // The variable comes first, as in botocore; ignoring them all is quiet.
    let (_, msg, _) = h.find(
        &[("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:9")],
        "endpoints-ignored-by-aws",
    );
    assert!(
        msg.starts_with("the environment sets the portal endpoint http://127.0.0.1:9"),
        "{msg}"
    );
    let ignored = h.codes(&[("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE")]);
    assert!(!ignored.contains(&"endpoints-ignored-by-aws".to_string()));
}

#[test]
fn no_configured_endpoint_no_endpoint_warning_whatever_the_aws_cli() {
    let h = Home::new(HEALTHY, None);
    h.stub_aws("echo 'aws-cli/2.9.19 Python/3.11.2 Linux/6.1 source/x86_64.debian.12'");
    assert!(!h
        .codes(&[])
        .contains(&"endpoints-ignored-by-aws".to_string()));
}
