//! Differential test: `awsp list --json` against real clients.
//!
//! For every fixture home in `tests/fixtures/` this test builds a temporary
//! HOME (templates such as `{{now+5m}}` expanded), then runs
//!
//! * the botocore oracle (`tests/oracle/botocore_oracle.py`, python from
//!   `$AWSP_ORACLE_PYTHON`, default `<repo>/.venv/bin/python`),
//! * `awsp list --json`,
//! * the AWS CLI v2 `aws configure list-profiles` (`$AWSP_AWS_CLI`, default
//!   `/usr/bin/aws`),
//!
//! all with the same clean environment, and compares what they see.  Every
//! mismatch across all fixtures is collected and reported at once.
//!
//! Set-up and manual runs: `tests/oracle/README.md`.  Without the tools the
//! test is skipped (`common::skip`); `AWSP_DIFF_ONLY=<substring>` restricts
//! it to matching fixtures.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;

use crate::common::{aws_cli, oracle_python, repo};

struct Tools {
    python: PathBuf,
    aws: PathBuf,
}

/// The oracle python (botocore, dateutil) and the AWS CLI v2, or `None`
/// after a skip (see `common::skip`).
fn tools() -> Option<Tools> {
    let python = oracle_python(&["botocore", "dateutil"])?;
    let aws = aws_cli()?;
    Some(Tools { python, aws })
}

// ---------------------------------------------------------------- homes

/// Expands `{{now+5m}}`-style templates (units s, m, h, d) to UTC
/// `YYYY-MM-DDTHH:MM:SSZ`.  Works on bytes: some fixtures are not UTF-8.
fn expand_templates(data: &[u8], now: chrono::DateTime<chrono::Utc>) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        if let Some((len, secs)) = parse_template(&data[i..]) {
            let t = now + chrono::Duration::seconds(secs);
            out.extend_from_slice(t.format("%Y-%m-%dT%H:%M:%SZ").to_string().as_bytes());
            i += len;
        } else {
            out.push(data[i]);
            i += 1;
        }
    }
    out
}

fn parse_template(s: &[u8]) -> Option<(usize, i64)> {
    let rest = s.strip_prefix(b"{{now")?;
    let sign = match rest.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let n: i64 = std::str::from_utf8(&rest[1..1 + digits])
        .ok()?
        .parse()
        .ok()?;
    let unit = match rest.get(1 + digits)? {
        b's' => 1,
        b'm' => 60,
        b'h' => 3600,
        b'd' => 86400,
        _ => return None,
    };
    if rest.get(2 + digits..4 + digits)? != b"}}" {
        return None;
    }
    Some((5 + 4 + digits, sign * n * unit))
}

/// Copies a fixture into `home/.aws/` (all files but `env` and `README`).
fn build_home(fixture: &Path, home: &Path) {
    let now = chrono::Utc::now();
    let aws = home.join(".aws");
    fs::create_dir_all(&aws).unwrap();
    copy_tree(fixture, &aws, true, now);
}

fn copy_tree(src: &Path, dst: &Path, top: bool, now: chrono::DateTime<chrono::Utc>) {
    for entry in fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if top && (name == "env" || name == "README") {
            continue;
        }
        let to = dst.join(&name);
        if entry.file_type().unwrap().is_dir() {
            fs::create_dir_all(&to).unwrap();
            copy_tree(&entry.path(), &to, false, now);
        } else {
            let data = fs::read(entry.path()).unwrap();
            fs::write(&to, expand_templates(&data, now)).unwrap();
        }
    }
}

/// The environment every tool gets: no AWS_* variables but the file paths,
/// IMDS off, then the fixture's `env` file (values passed literally).
fn fixture_env(fixture: &Path, home: &Path) -> (Vec<OsString>, Vec<(String, String)>) {
    let remove: Vec<OsString> = std::env::vars_os()
        .map(|(k, _)| k)
        .filter(|k| k.to_string_lossy().starts_with("AWS_") || k == "BOTO_CONFIG")
        .collect();
    let aws = home.join(".aws");
    let mut set = vec![
        ("HOME".to_string(), home.display().to_string()),
        (
            "AWS_CONFIG_FILE".to_string(),
            aws.join("config").display().to_string(),
        ),
        (
            "AWS_SHARED_CREDENTIALS_FILE".to_string(),
            aws.join("credentials").display().to_string(),
        ),
        ("AWS_EC2_METADATA_DISABLED".to_string(), "true".to_string()),
        ("NO_COLOR".to_string(), "1".to_string()),
        ("PYTHONUTF8".to_string(), "1".to_string()),
    ];
    if let Ok(text) = fs::read_to_string(fixture.join("env")) {
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let (k, v) = line.split_once('=').unwrap_or((line, ""));
            set.retain(|(name, _)| name != k);
            set.push((k.to_string(), v.to_string()));
        }
    }
    (remove, set)
}

fn run(
    cmd: &mut StdCommand,
    env: &(Vec<OsString>, Vec<(String, String)>),
) -> std::io::Result<Output> {
    for k in &env.0 {
        cmd.env_remove(k);
    }
    for (k, v) in &env.1 {
        cmd.env(k, v);
    }
    cmd.output()
}

// ---------------------------------------------------------------- comparison

/// A string field, with JSON null / absent as `None`.
fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn show(v: Option<&str>) -> String {
    match v {
        Some(x) => format!("{x:?}"),
        None => "null".to_string(),
    }
}

/// (cache_file, status, expires_at) of an awsp `token` / `role_credentials`
/// object; a null object counts as all null.
fn cache_triple(v: Option<&Value>) -> (Option<&str>, Option<&str>, Option<&str>) {
    match v {
        Some(o) if o.is_object() => (s(o, "cache_file"), s(o, "status"), s(o, "expires_at")),
        _ => (None, None, None),
    }
}

fn expected_kind(method: Option<&str>, has_sso_session: bool) -> &'static str {
    match method {
        None => "none",
        Some("assume-role") => "assume-role",
        Some("assume-role-with-web-identity") => "web-identity",
        Some("sso") if has_sso_session => "sso",
        Some("sso") => "sso-legacy",
        Some("shared-credentials-file") | Some("config-file") => "static",
        Some("custom-process") => "process",
        Some("login") => "login",
        Some(_) => "UNKNOWN-METHOD",
    }
}

struct Report<'a> {
    fixture: &'a str,
    out: Vec<String>,
}

impl Report<'_> {
    fn field(&mut self, who: &str, field: &str, awsp: String, oracle: String) {
        if awsp != oracle {
            self.out.push(format!(
                "{} | {} | {}: awsp {} vs botocore {}",
                self.fixture, who, field, awsp, oracle
            ));
        }
    }
    fn note(&mut self, msg: String) {
        self.out.push(format!("{} | {}", self.fixture, msg));
    }
}

/// Compares one cache field (token / role_credentials) of awsp with the
/// oracle's `<prefix>_cache_file` / `_status` / `_expires_at`.
fn compare_cache(
    r: &mut Report,
    who: &str,
    what: &str,
    awsp: Option<&Value>,
    oracle: &Value,
    prefix: &str,
) {
    let (file, status, expires) = cache_triple(awsp);
    let o_file = s(oracle, &format!("{prefix}_cache_file"));
    let o_status = s(oracle, &format!("{prefix}_status"));
    let o_expires = s(oracle, &format!("{prefix}_expires_at"));
    r.field(who, &format!("{what}.cache_file"), show(file), show(o_file));
    r.field(who, &format!("{what}.status"), show(status), show(o_status));
    // Also when botocore sees no expiry (an invalid or unreadable file).
    if o_status.is_some() {
        r.field(
            who,
            &format!("{what}.expires_at"),
            show(expires),
            show(o_expires),
        );
    }
}

fn check_fixture(tools: &Tools, fixture: &Path) -> Vec<String> {
    let name = fixture.file_name().unwrap().to_string_lossy().into_owned();
    let mut r = Report {
        fixture: &name,
        out: Vec::new(),
    };
    let home = tempfile::tempdir().unwrap();
    build_home(fixture, home.path());
    let env = fixture_env(fixture, home.path());

    // 1. botocore
    let oracle_out = run(
        StdCommand::new(&tools.python).arg(repo().join("tests/oracle/botocore_oracle.py")),
        &env,
    )
    .expect("run oracle");
    let oracle: Value = match serde_json::from_slice(&oracle_out.stdout) {
        Ok(v) if oracle_out.status.success() => v,
        _ => {
            r.note(format!(
                "ORACLE FAILED (fix the oracle/fixture): {}",
                String::from_utf8_lossy(&oracle_out.stderr)
            ));
            return r.out;
        }
    };

    // 2. awsp
    let mut awsp_cmd = StdCommand::cargo_bin("awsp").expect("awsp binary");
    awsp_cmd.args(["list", "--json"]);
    let awsp_out = run(&mut awsp_cmd, &env).expect("run awsp");
    let awsp_stdout = String::from_utf8_lossy(&awsp_out.stdout).into_owned();
    let awsp_stderr = String::from_utf8_lossy(&awsp_out.stderr).into_owned();

    // 3. AWS CLI v2
    let cli_out = run(
        StdCommand::new(&tools.aws).args(["configure", "list-profiles"]),
        &env,
    )
    .expect("run aws");

    if let Some(error) = s(&oracle, "error") {
        // botocore cannot parse a file: awsp must fail the same way.
        let path = error.rsplit_once(": ").map(|(_, p)| p).unwrap_or(error);
        let code = awsp_out.status.code();
        if code != Some(2)
            || !awsp_stdout.is_empty()
            || !awsp_stderr.starts_with("awsp: ")
            || !awsp_stderr.contains(path)
        {
            r.note(format!(
                "parse error expected (botocore: {error}; cause {}): awsp must exit 2, print nothing on stdout \
                 and `awsp: {path}:...` on stderr; got exit {code:?}, stdout {:?}, stderr {:?}",
                s(&oracle, "cause").unwrap_or("?"),
                truncate(&awsp_stdout),
                truncate(&awsp_stderr)
            ));
        }
        if cli_out.status.success() {
            r.note(format!(
                "AWS CLI v2 accepts a file botocore rejects ({error}); CLI printed {:?}",
                String::from_utf8_lossy(&cli_out.stdout)
            ));
        }
        return r.out;
    }

    let awsp: Value = match serde_json::from_str(&awsp_stdout) {
        Ok(v) if awsp_out.status.success() => v,
        _ => {
            r.note(format!(
                "awsp list --json failed: exit {:?}, stdout {:?}, stderr {:?}",
                awsp_out.status.code(),
                truncate(&awsp_stdout),
                truncate(&awsp_stderr)
            ));
            return r.out;
        }
    };

    let names = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|p| s(p, "name").unwrap_or("<no name>").to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|x| x.as_str().unwrap_or("?").to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let empty = Value::Array(Vec::new());
    let awsp_profiles = awsp.get("profiles").unwrap_or(&empty);
    let awsp_sessions = awsp.get("sso_sessions").unwrap_or(&empty);
    let awsp_names = names(awsp_profiles);
    let oracle_names = strings(&oracle["profiles"]);
    r.field(
        "-",
        "profile names (in order)",
        format!("{awsp_names:?}"),
        format!("{oracle_names:?}"),
    );
    r.field(
        "-",
        "sso-session names (in order)",
        format!("{:?}", names(awsp_sessions)),
        format!("{:?}", strings(&oracle["sso_sessions"])),
    );

    // The CLI's own list, line by line.
    if cli_out.status.success() {
        let text = String::from_utf8_lossy(&cli_out.stdout);
        let cli_names: Vec<String> = match text.strip_suffix('\n') {
            Some(t) => t
                .split('\n')
                .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
                .collect(),
            None if text.is_empty() => Vec::new(),
            None => text.split('\n').map(str::to_string).collect(),
        };
        if cli_names != awsp_names {
            r.note(format!(
                "aws configure list-profiles: awsp {awsp_names:?} vs AWS CLI v2 {cli_names:?}"
            ));
        }
    } else {
        r.note(format!(
            "AWS CLI v2 failed on a file botocore accepts: {}",
            String::from_utf8_lossy(&cli_out.stderr).trim()
        ));
    }

    // Per profile.
    let details = &oracle["details"];
    for pname in &oracle_names {
        let who = format!("profile {pname:?}");
        let matching: Vec<&Value> = awsp_profiles
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| s(p, "name") == Some(pname.as_str()))
            .collect();
        let p = match matching.as_slice() {
            [p] => *p,
            [] => continue, // already reported by the name list
            _ => {
                r.note(format!("{who}: listed {} times by awsp", matching.len()));
                continue;
            }
        };
        let d = &details[pname.as_str()];
        // The chain's pick: the provider that answered, or the one that
        // raised the configuration error.
        let method = s(d, "method").or_else(|| s(d, "raised_by"));
        let want_kind = expected_kind(method, d["has_sso_session"].as_bool().unwrap_or(false));
        // A name no environment variable can carry (NUL, or "" which
        // botocore reads as `default`) is a problem for awsp alone; the
        // oracle describes what selecting it gives (for "", `default`).
        let switchable = !pname.is_empty() && !pname.contains('\0');
        if !switchable && !p.get("problem").is_some_and(Value::is_string) {
            r.note(format!(
                "{who}: awsp gives no problem for a name that cannot be switched to"
            ));
        }
        if s(p, "kind") != Some(want_kind) {
            r.field(
                &who,
                "kind",
                show(s(p, "kind")),
                format!("{want_kind:?} (method {})", show(method)),
            );
        }
        let awsp_problem = p.get("problem").filter(|v| !v.is_null());
        let oracle_problem = d["problem"].as_bool().unwrap_or(false);
        // awsp's own extra problem, where botocore raises nothing: a
        // secret-named key on an indented line (fixture indented_secret).
        let awsp_extra = awsp_problem
            .and_then(Value::as_str)
            .is_some_and(|t| t.contains("is indented, so it continues"));
        if switchable && awsp_problem.is_some() != oracle_problem && !awsp_extra {
            r.field(
                &who,
                "problem",
                awsp_problem.map_or("null".to_string(), |v| v.to_string()),
                if oracle_problem {
                    format!(
                        "{}: {}",
                        s(d, "problem_type").unwrap_or("?"),
                        s(d, "problem_text").unwrap_or("?")
                    )
                } else {
                    "none".to_string()
                },
            );
        }
        compare_cache(&mut r, &who, "token", p.get("token"), d, "token");
        compare_cache(
            &mut r,
            &who,
            "role_credentials",
            p.get("role_credentials"),
            d,
            "role",
        );
    }

    // Per sso-session: the token, complete session or not.
    for (sname, d) in oracle["session_details"].as_object().into_iter().flatten() {
        let who = format!("sso-session {sname:?}");
        let found = awsp_sessions
            .as_array()
            .into_iter()
            .flatten()
            .find(|x| s(x, "name") == Some(sname.as_str()));
        if let Some(x) = found {
            compare_cache(&mut r, &who, "token", x.get("token"), d, "token");
        }
    }
    r.out
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 400 {
        format!("{}...", s.chars().take(400).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Checks every fixture on a few threads (the tools are slow to start);
/// the mismatches in fixture order.
fn check_all(tools: &Tools, fixtures: &[PathBuf]) -> Vec<String> {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism()
        .map_or(4, |n| n.get())
        .min(8);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(f) = fixtures.get(i) else { break };
                let found = check_fixture(tools, f);
                results.lock().unwrap().push((i, found));
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().flat_map(|(_, m)| m).collect()
}

/// 60 seeded random homes (tests/oracle/random_homes.py): credential kinds,
/// problems and cache keys of 240 profiles against botocore.
#[test]
fn random_homes_agree_with_botocore() {
    let Some(tools) = tools() else { return };
    let root = tempfile::tempdir().unwrap();
    let homes = root.path().join("homes");
    let status = StdCommand::new(&tools.python)
        .arg(repo().join("tests/oracle/random_homes.py"))
        .arg(&homes)
        .args(["7", "60"])
        .status()
        .unwrap();
    assert!(status.success());
    let mut fixtures: Vec<PathBuf> = fs::read_dir(&homes)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    fixtures.sort();
    assert_eq!(fixtures.len(), 60);
    let mismatches = check_all(&tools, &fixtures);
    assert!(
        mismatches.is_empty(),
        "{} mismatch(es) on random homes (seed 7):\n  {}",
        mismatches.len(),
        mismatches.join("\n  ")
    );
}

#[test]
fn awsp_agrees_with_botocore_and_aws_cli() {
    let Some(tools) = tools() else { return };
    let only = std::env::var("AWSP_DIFF_ONLY").unwrap_or_default();
    // AWSP_DIFF_ROOT: another folder of fixture homes (e.g. generated ones).
    let root = std::env::var_os("AWSP_DIFF_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("tests/fixtures"));
    let mut fixtures: Vec<PathBuf> = fs::read_dir(&root)
        .expect("the fixtures folder")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && p.file_name().unwrap().to_string_lossy().contains(&only))
        .collect();
    fixtures.sort();
    assert!(!fixtures.is_empty(), "no fixtures matching {only:?}");

    let mismatches = check_all(&tools, &fixtures);
    if !mismatches.is_empty() {
        panic!(
            "{} mismatch(es) between awsp and botocore / AWS CLI v2 over {} fixtures \
             (fixture | profile | field: awsp vs botocore):\n  {}",
            mismatches.len(),
            fixtures.len(),
            mismatches.join("\n  ")
        );
    }
}
