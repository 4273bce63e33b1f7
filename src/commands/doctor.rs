//! `awsp doctor`: checks the set-up and explains, one line per finding,
//! each with what to do. Findings are grouped by severity: `error`, `warn`,
//! `info`, `ok`. Exit 0 when there are only `info`/`ok` findings, 1
//! otherwise; a config file that does not parse is a finding, not a failure
//! of doctor itself.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::aws::cache::Status;
use crate::aws::clean;
use crate::aws::config::{load_file, Config, Oddity};
use crate::aws::paths::AwsPaths;
use crate::aws::py::shlex;
use crate::aws::resolve::Kind;
use crate::aws::snapshot::Snapshot;
use crate::exit;
use crate::output::human::{printable, short_duration};
use crate::output::style::Style;
use crate::shell::switch::ShellEnv;
use crate::sync::known::Synced;

/// The first AWS CLI v2 release that reads `[sso-session ...]`.
pub const MIN_AWS_VERSION: (u32, u32, u32) = (2, 9, 0);
/// The first AWS CLI v2 that reads endpoints from `AWS_ENDPOINT_URL*` and
/// the config file (`endpoint_url`, `[services]`), as botocore does.
pub const MIN_ENDPOINTS_VERSION: (u32, u32, u32) = (2, 13, 0);
/// How long `aws --version` may take.
pub const AWS_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warn,
    Info,
    Ok,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warn => "warn",
            Severity::Info => "info",
            Severity::Ok => "ok",
        }
    }

    /// Whether this finding makes doctor exit 1.
    pub fn is_problem(self) -> bool {
        matches!(self, Severity::Error | Severity::Warn)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// A stable, kebab-case name for scripts.
    pub code: &'static str,
    pub message: String,
    /// What to do; `None` when nothing needs doing.
    pub fix: Option<String>,
}

fn finding(
    severity: Severity,
    code: &'static str,
    message: String,
    fix: Option<String>,
) -> Finding {
    Finding {
        severity,
        code,
        message,
        fix,
    }
}

/// What `aws --version` said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AwsProbe {
    NotFound,
    /// Ran (or tried to) but gave no usable version: the reason.
    Failed(PathBuf, String),
    Version(PathBuf, (u32, u32, u32)),
}

/// The process environment doctor reads besides [`ShellEnv`].
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

pub fn run(
    paths: &AwsPaths,
    state_dir: Option<&Path>,
    env: &ShellEnv,
    now: DateTime<Utc>,
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<u8> {
    let vars = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let probe = probe_aws(std::env::var_os("PATH").as_deref(), AWS_TIMEOUT);
    let findings = check(paths, state_dir, env, &vars, &probe, now);
    if json {
        write_json(out, &findings)?;
    } else {
        write_text(out, &findings, Style::for_stdout())?;
    }
    out.flush()?;
    Ok(if findings.iter().any(|f| f.severity.is_problem()) {
        exit::FINDINGS
    } else {
        exit::OK
    })
}

/// Every check, findings sorted by severity (stable within one).
pub fn check(
    paths: &AwsPaths,
    state_dir: Option<&Path>,
    env: &ShellEnv,
    vars: EnvLookup,
    probe: &AwsProbe,
    now: DateTime<Utc>,
) -> Vec<Finding> {
    let mut f = Vec::new();
    check_aws(&mut f, probe);
    check_env(&mut f, env, vars);
    let snap = check_files(&mut f, paths, state_dir, env, now);
    check_endpoints(&mut f, &snap, vars, probe);
    f.sort_by_key(|x| x.severity);
    f
}

// ---- aws on PATH --------------------------------------------------------

/// Finds `aws` on `path` and runs `aws --version` with a timeout.
pub fn probe_aws(path: Option<&std::ffi::OsStr>, timeout: Duration) -> AwsProbe {
    let Some(exe) = path.and_then(crate::awscli::find_aws_in) else {
        return AwsProbe::NotFound;
    };
    let mut cmd = Command::new(&exe);
    cmd.arg("--version");
    match run_with_timeout(cmd, timeout) {
        Err(reason) => AwsProbe::Failed(exe, reason.to_string()),
        Ok(text) => match crate::awscli::parse_version(&text) {
            Some(v) => AwsProbe::Version(exe, v),
            None => AwsProbe::Failed(
                exe,
                format!("no aws-cli/X.Y.Z in its output: {:?}", first_line(&text)),
            ),
        },
    }
}

fn first_line(s: &str) -> &str {
    let line = s.lines().next().unwrap_or("").trim();
    match line.char_indices().nth(80) {
        Some((i, _)) => &line[..i],
        None => line,
    }
}

/// Why a probed program gave no usable answer.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("could not run: {0}")]
    Spawn(#[source] std::io::Error),
    /// The child was killed after this long.
    #[error("did not answer within {}s", .0.as_secs_f32())]
    Timeout(Duration),
    /// Its status and the first line of what it wrote.
    #[error("exited with {status}: {first_line:?}")]
    Exit {
        status: std::process::ExitStatus,
        first_line: String,
    },
}

/// Runs `cmd` with stdin closed; returns stdout and stderr together, or why
/// it could not run (including a timeout, after which the child is killed).
pub fn run_with_timeout(mut cmd: Command, timeout: Duration) -> Result<String, RunError> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(RunError::Spawn)?;
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    let readers = [
        std::thread::spawn(move || read_all(stdout.as_mut())),
        std::thread::spawn(move || read_all(stderr.as_mut())),
    ];
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(RunError::Timeout(timeout));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(RunError::Spawn(e)),
        }
    };
    // A grandchild may hold the pipes open: do not wait for it forever.
    let mut text = String::new();
    for r in readers {
        if r.is_finished() || start.elapsed() < timeout {
            if let Ok(s) = r.join() {
                text.push_str(&s);
            }
        }
    }
    if !status.success() {
        return Err(RunError::Exit {
            status,
            first_line: first_line(&text).to_string(),
        });
    }
    Ok(text)
}

fn read_all<R: Read>(r: Option<&mut R>) -> String {
    let mut buf = Vec::new();
    if let Some(r) = r {
        let _ = r.take(64 * 1024).read_to_end(&mut buf);
    }
    String::from_utf8_lossy(&buf).into_owned()
}

fn check_aws(f: &mut Vec<Finding>, probe: &AwsProbe) {
    match probe {
        AwsProbe::NotFound => f.push(finding(
            Severity::Error,
            "aws-missing",
            "`aws` (the AWS CLI) is not on PATH; `awsp login` and `aws sso login` need it".into(),
            Some("install AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html".into()),
        )),
        AwsProbe::Failed(exe, reason) => f.push(finding(
            Severity::Warn,
            "aws-unknown-version",
            format!("`{} --version` failed: {reason}", exe.display()),
            Some("check that the AWS CLI v2 works: run `aws --version`".into()),
        )),
        AwsProbe::Version(exe, v) if *v < MIN_AWS_VERSION => {
            let (a, b, c) = v;
            let why = if *a < 2 {
                "AWS CLI v1 has no `aws sso login`"
            } else {
                "versions before 2.9.0 do not read [sso-session] sections"
            };
            f.push(finding(
                Severity::Error,
                "aws-too-old",
                format!("{} is aws-cli {a}.{b}.{c}: {why}", exe.display()),
                Some("upgrade to AWS CLI v2.9.0 or later".into()),
            ))
        }
        AwsProbe::Version(exe, (a, b, c)) => f.push(finding(
            Severity::Ok,
            "aws-ok",
            format!("aws-cli {a}.{b}.{c} ({})", exe.display()),
            None,
        )),
    }
}

// ---- environment --------------------------------------------------------

fn check_env(f: &mut Vec<Finding>, env: &ShellEnv, vars: EnvLookup) {
    if let Some(dp) = &env.aws_default_profile {
        let beats = match &env.aws_profile {
            Some(p) if p != dp => format!(" and wins over AWS_PROFILE={p}"),
            _ => String::new(),
        };
        f.push(finding(
            Severity::Warn,
            "default-profile-set",
            format!("AWS_DEFAULT_PROFILE={dp} is set{beats}: the AWS CLI reads it before AWS_PROFILE, other SDKs ignore it"),
            Some("unset AWS_DEFAULT_PROFILE and use AWS_PROFILE (switching with awsp unsets it)".into()),
        ));
    }
    if !env.key_vars.is_empty() {
        f.push(finding(
            Severity::Warn,
            "access-key-vars",
            format!(
                "{} set: these override every profile",
                env.key_vars.join(", ")
            ),
            Some("unset them, or switch with `awsp --clear-keys`".into()),
        ));
    }
    let web: Vec<&str> = ["AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"]
        .into_iter()
        .filter(|k| vars(k).is_some())
        .collect();
    if !web.is_empty() {
        f.push(finding(
            Severity::Warn,
            "web-identity-vars",
            format!(
                "{} set: web-identity credentials from these are used before the profile's own settings",
                web.join(" and ")
            ),
            Some(format!("unset {} unless this shell runs in CI or EKS", web.join(" "))),
        ));
    }
    match (vars("AWS_REGION"), vars("AWS_DEFAULT_REGION")) {
        (Some(r), None) => f.push(finding(
            Severity::Warn,
            "region-without-default-region",
            format!("AWS_REGION={r} is set without AWS_DEFAULT_REGION: boto3 and AWS CLI v1 read only the latter"),
            Some(format!("also export AWS_DEFAULT_REGION={r} (or switch with `awsp --region {r}`)")),
        )),
        (Some(r), Some(d)) if r != d => f.push(finding(
            Severity::Warn,
            "region-mismatch",
            format!("AWS_REGION={r} and AWS_DEFAULT_REGION={d} differ: tools disagree on the region"),
            Some("set both to the same region (`awsp --region REGION` does)".into()),
        )),
        _ => {}
    }
}

// ---- the files ----------------------------------------------------------

fn check_files(
    f: &mut Vec<Finding>,
    paths: &AwsPaths,
    state_dir: Option<&Path>,
    env: &ShellEnv,
    now: DateTime<Utc>,
) -> Snapshot {
    let config = load_file(&paths.config);
    let credentials = load_file(&paths.credentials);
    let mut broken = false;
    for result in [&config, &credentials] {
        if let Err(e) = result {
            broken = true;
            f.push(finding(
                Severity::Error,
                "file-does-not-parse",
                e.to_string(),
                Some(format!(
                    "fix line {} of {}: until then every aws command fails",
                    e.line,
                    e.path.display()
                )),
            ));
        }
    }
    let config = Config::build(
        &paths.config,
        config.ok().flatten(),
        &paths.credentials,
        credentials.ok().flatten(),
    );
    let snap = Snapshot::from_config(paths, config);
    if snap.profiles.is_empty() && !broken {
        f.push(finding(
            Severity::Warn,
            "no-profiles",
            format!(
                "no profiles in {} or {}",
                paths.config.display(),
                paths.credentials.display()
            ),
            Some("run `aws configure sso` to add an IAM Identity Center profile".into()),
        ));
    }
    check_active(f, &snap, env, broken);
    check_profiles(f, &snap, env);
    check_services(f, &snap, env);
    check_oddities(f, &snap);
    check_tokens(f, &snap, now);
    check_cache(f, &snap, now);
    if !broken {
        check_sync(f, &snap, &Synced::load(state_dir, &snap.config), now);
    }
    snap
}

/// What the last `awsp sync` of each session says: how old it is, and the
/// profiles whose account or role the portal no longer assigns. Nothing
/// when no session was ever synced (syncing is optional).
fn check_sync(f: &mut Vec<Finding>, snap: &Snapshot, synced: &Synced, now: DateTime<Utc>) {
    if let Some(w) = &synced.warning {
        f.push(finding(
            Severity::Warn,
            "sync-store-unreadable",
            w.clone(),
            None,
        ));
    }
    if synced.is_empty() {
        return;
    }
    // Generated profiles are told from hand-written ones by awsp's block.
    let text = std::fs::read(&snap.paths.config)
        .ok()
        .and_then(|b| crate::aws::ini::decode(&b).ok().map(|t| t.to_string()))
        .unwrap_or_default();
    let blocks = crate::sync::block::find_blocks(&text).unwrap_or_default();
    let template = crate::sync::naming::Template::default_template();
    let taken = std::collections::HashSet::new();
    let opts = crate::sync::plan::PlanOpts {
        template: &template,
        region: None,
        also_taken: &taken,
    };
    for (i, session) in snap.config.sso_sessions.iter().enumerate() {
        let name = printable(&session.name);
        let Some(known) = synced.session(i) else {
            f.push(finding(
                Severity::Info,
                "never-synced",
                format!("session {name}: never synced"),
                Some(format!("`awsp sync {name}` lists its accounts and roles")),
            ));
            continue;
        };
        let stored = &known.stored;
        let age = crate::sync::known::age_text(stored.synced_at, now);
        let plan = crate::sync::plan::plan_session(
            &snap.config,
            &blocks,
            session,
            &stored.inventory,
            &opts,
        );
        f.push(finding(
            Severity::Info,
            "sync-age",
            format!(
                "session {name}: {age}: {} accounts, {} assignments, {} without a profile, {} stale",
                stored.inventory.accounts.len(),
                stored.inventory.assignments.len(),
                plan.new.len(),
                plan.stale.len()
            ),
            (!plan.new.is_empty())
                .then(|| format!("`awsp sync {name} --write` adds the missing profiles")),
        ));
        for s in &plan.stale {
            let fix = if s.generated {
                format!("`awsp sync {name} --write` removes it from awsp's block")
            } else {
                "written by hand: delete it or ask for the assignment back".to_string()
            };
            f.push(finding(
                Severity::Warn,
                "stale-profile",
                format!(
                    "profile {} ({} {}): no longer assigned in session {name} ({age})",
                    printable(&s.profile),
                    printable(&s.account_id),
                    printable(&s.role)
                ),
                Some(fix),
            ));
        }
    }
}

fn check_active(f: &mut Vec<Finding>, snap: &Snapshot, env: &ShellEnv, broken: bool) {
    let vars = [
        ("AWS_DEFAULT_PROFILE", &env.aws_default_profile),
        ("AWS_PROFILE", &env.aws_profile),
    ];
    let mut any = false;
    for (var, value) in vars {
        let Some(name) = value else { continue };
        any = true;
        match snap.find_profile(name) {
            Some(info) => {
                if env.active() == Some(name.as_str()) {
                    let what = match (&info.account_id, &info.role_name) {
                        // Masked when an indented line made a secret part of one.
                        (Some(a), Some(r)) => format!(
                            " ({}, {}/{})",
                            info.kind.as_str(),
                            crate::output::shown::shown_text(a),
                            crate::output::shown::shown_text(r)
                        ),
                        _ => format!(" ({})", info.kind.as_str()),
                    };
                    f.push(finding(
                        Severity::Ok,
                        "active-profile",
                        format!("{var}={name} is the active profile{what}"),
                        None,
                    ));
                }
            }
            // A file that does not parse may hold it: said above already.
            None if broken => {}
            None => {
                let close = close_names(name, snap.config.profiles.iter().map(|p| p.name.as_str()));
                let hint = if close.is_empty() {
                    String::new()
                } else {
                    format!("did you mean {}? ", close.join(", "))
                };
                f.push(finding(
                    Severity::Error,
                    "profile-not-found",
                    format!(
                        "{var}={name} names no profile in {} or {}",
                        snap.paths.config.display(),
                        snap.paths.credentials.display()
                    ),
                    Some(format!("{hint}switch with `awsp` (or `unset {var}`)")),
                ));
            }
        }
    }
    if !any {
        f.push(finding(
            Severity::Info,
            "no-active-profile",
            "no profile is active (AWS_PROFILE is unset)".into(),
            Some("run `awsp` to pick one".into()),
        ));
    }
}

/// Up to three names within a small edit distance of `name`, or containing it.
pub fn close_names<'a>(name: &str, names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let lower = name.to_lowercase();
    let mut scored: Vec<(usize, &str)> = names
        .filter_map(|n| {
            let nl = n.to_lowercase();
            let d = edit_distance(&lower, &nl);
            let limit = (name.chars().count() / 3).clamp(1, 3);
            if d <= limit {
                Some((d, n))
            } else if lower.len() >= 3 && (nl.contains(&lower) || lower.contains(&nl)) {
                Some((limit + 1, n))
            } else {
                None
            }
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(3)
        .map(|(_, n)| n.to_string())
        .collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn check_profiles(f: &mut Vec<Finding>, snap: &Snapshot, env: &ShellEnv) {
    for info in &snap.profiles {
        let Some(problem) = &info.problem else {
            continue;
        };
        let p = snap.profile(info);
        let active = env.active() == Some(p.name.as_str());
        let place = match (p.config_line, p.credentials_line) {
            (Some(line), _) => format!("{}:{line}", snap.paths.config.display()),
            (None, Some(line)) => format!("{}:{line}", snap.paths.credentials.display()),
            (None, None) => String::new(),
        };
        f.push(finding(
            if active {
                Severity::Error
            } else {
                Severity::Warn
            },
            "profile-problem",
            format!(
                "profile '{}'{}: {problem}",
                p.name,
                if active { " (active)" } else { "" }
            ),
            Some(if place.is_empty() {
                "fix the profile's settings".into()
            } else {
                format!("edit the section at {place}")
            }),
        ));
    }
}

/// `services = NAME` with no `[services NAME]` section: botocore (and the
/// AWS CLI from 2.13, which reads endpoints from the config) raises
/// `InvalidConfigError` on every client it makes for the profile.
fn check_services(f: &mut Vec<Finding>, snap: &Snapshot, env: &ShellEnv) {
    for info in &snap.profiles {
        let p = snap.profile(info);
        let Some(name) = crate::aws::ini::get_str(&p.settings, "services") else {
            continue;
        };
        if snap.config.services_section(name).is_some() {
            continue;
        }
        let active = env.active() == Some(p.name.as_str());
        let place = p.config_line.map_or(String::new(), |line| {
            format!(" ({}:{line})", snap.paths.config.display())
        });
        f.push(finding(
            if active {
                Severity::Error
            } else {
                Severity::Warn
            },
            "services-missing",
            format!(
                "profile '{}'{place}: services = {name}, but the config file has no [services {name}] section: botocore fails on every call with this profile",
                p.name
            ),
            Some(format!(
                "add a [services {name}] section, or remove the services line"
            )),
        ));
    }
}

/// A portal endpoint set where botocore reads it (`AWS_ENDPOINT_URL_SSO`,
/// `AWS_ENDPOINT_URL`, a profile's `endpoint_url` or `[services]`) while
/// the AWS CLI on PATH is older than 2.13, which reads none of them: awsp's
/// `sync`, `creds` and `console` then call that endpoint and the CLI's own
/// SSO credentials the regional portal. One finding, naming the first place.
fn check_endpoints(f: &mut Vec<Finding>, snap: &Snapshot, vars: EnvLookup, probe: &AwsProbe) {
    use crate::portal::endpoint::configured_url;
    use crate::portal::ConfigEndpoint;
    let AwsProbe::Version(exe, version) = probe else {
        return;
    };
    // Older than 2.9 is an error of its own (`aws-too-old`).
    if *version < MIN_AWS_VERSION || *version >= MIN_ENDPOINTS_VERSION {
        return;
    }
    let from_env = || {
        configured_url(vars, &ConfigEndpoint::none())
            .ok()
            .flatten()
            .map(|url| format!("the environment sets the portal endpoint {url}"))
    };
    let from_config = || {
        snap.config.profiles.iter().find_map(|p| {
            let file = ConfigEndpoint::of_profile(&snap.config, p);
            let url = configured_url(vars, &file).ok().flatten()?;
            let line = p.config_line.map_or(String::new(), |l| {
                format!(" ({}:{l})", snap.paths.config.display())
            });
            Some(format!(
                "profile '{}'{line} sets the portal endpoint {url}",
                p.name
            ))
        })
    };
    let Some(place) = from_env().or_else(from_config) else {
        return;
    };
    let (a, b, c) = version;
    f.push(finding(
        Severity::Warn,
        "endpoints-ignored-by-aws",
        format!(
            "{place}, but {} is aws-cli {a}.{b}.{c}, which reads no configured endpoints: awsp's sync, creds and console call it, the AWS CLI the regional portal",
            exe.display()
        ),
        Some("upgrade to AWS CLI v2.13.0 or later, which reads them as botocore does".into()),
    ));
}

fn check_oddities(f: &mut Vec<Finding>, snap: &Snapshot) {
    let config = snap.paths.config.display();
    for oddity in &snap.config.oddities {
        match oddity {
            Oddity::DroppedSection { header, line } => {
                let why = match shlex::split(header) {
                    None => "an unbalanced quote or a trailing backslash".to_string(),
                    Some(words) => format!(
                        "{} word(s) where the AWS CLI wants a prefix and one name",
                        words.len()
                    ),
                };
                f.push(finding(
                    Severity::Warn,
                    "dropped-section",
                    format!("{config}:{line}: [{header}] is silently ignored by the AWS CLI ({why})"),
                    Some("name it with one word, or quote the name: [profile \"a b\"]".into()),
                ));
            }
            Oddity::Shadowed {
                kind,
                name,
                line,
                by_line,
            } => f.push(finding(
                Severity::Warn,
                "shadowed-section",
                format!("{config}:{line}: {kind} '{name}' is replaced wholesale by the later section at line {by_line}"),
                Some(format!("merge the two sections (lines {line} and {by_line}) into one")),
            )),
            Oddity::DefaultLeak { file, keys } => f.push(finding(
                Severity::Warn,
                "default-leak",
                format!(
                    "{}: [DEFAULT] copies {} into every section of the file",
                    file.display(),
                    keys.join(", ")
                ),
                Some("move these keys to [default] (lower case) or to the profiles that need them".into()),
            )),
        }
    }
}

fn check_tokens(f: &mut Vec<Finding>, snap: &Snapshot, now: DateTime<Utc>) {
    for info in &snap.sessions {
        let name = &snap.session(info).name;
        let state = snap.token_state(&info.token, now);
        let used = snap.profiles.iter().any(|p| {
            crate::aws::ini::get_str(&snap.profile(p).settings, "sso_session") == Some(name)
        });
        let login = Some(format!(
            "`awsp login {name}` (or `aws sso login --sso-session {name}`)"
        ));
        match (state.status, state.expires_at) {
            (Status::Expired, Some(at)) => f.push(finding(
                if used { Severity::Warn } else { Severity::Info },
                "token-expired",
                format!(
                    "sso-session '{name}': token expired {} ago",
                    short_duration(now - at)
                ),
                login,
            )),
            (Status::Valid, Some(at)) => f.push(finding(
                Severity::Ok,
                "token-valid",
                format!(
                    "sso-session '{name}': token valid for {}",
                    short_duration(at - now)
                ),
                None,
            )),
            (Status::Refreshable, _) => f.push(finding(
                Severity::Ok,
                "token-refreshable",
                format!("sso-session '{name}': token is refreshed on next use"),
                None,
            )),
            (Status::Missing, _) => f.push(finding(
                Severity::Info,
                "token-missing",
                format!("sso-session '{name}': not logged in yet"),
                login,
            )),
            (Status::ConfigError, _) => {} // the profiles using it say why
            (status, _) => f.push(finding(
                Severity::Warn,
                "token-unusable",
                format!("sso-session '{name}': token file is {}", status.as_str()),
                login,
            )),
        }
    }
    // Legacy profiles: one finding per start URL.
    let mut seen: Vec<&str> = Vec::new();
    for info in &snap.profiles {
        let (Kind::SsoLegacy, Some(token)) = (info.kind, &info.token) else {
            continue;
        };
        let Some(file) = token.file.as_deref() else {
            continue;
        };
        if seen.contains(&file) {
            continue;
        }
        seen.push(file);
        let p = snap.profile(info);
        let url = crate::aws::ini::get_str(&p.settings, "sso_start_url").unwrap_or("?");
        let state = snap.token_state(token, now);
        if let (Status::Expired, Some(at)) = (state.status, state.expires_at) {
            f.push(finding(
                Severity::Warn,
                "token-expired",
                format!(
                    "legacy start URL {url}: token expired {} ago",
                    short_duration(now - at)
                ),
                Some(format!(
                    "`awsp login {0}` (or `aws sso login --profile {0}`); better, move to an [sso-session]",
                    p.name
                )),
            ));
        }
    }
}

fn check_cache(f: &mut Vec<Finding>, snap: &Snapshot, now: DateTime<Utc>) {
    let plan = clean::scan(snap, now);
    let stale = plan.stale_count();
    if stale > 0 {
        f.push(finding(
            Severity::Info,
            "stale-cache-files",
            format!(
                "{stale} expired cache file(s) in {} and {}",
                snap.paths.sso_cache.display(),
                snap.paths.cli_cache.display()
            ),
            Some("`awsp clean` removes them (`awsp clean --dry-run` lists them)".into()),
        ));
    }
    // Kept by clean, but worth a look: no real cache file comes near the cap.
    for v in plan.kept().filter(|v| v.is_too_large()) {
        if let clean::Decision::Keep { reason } = &v.decision {
            f.push(finding(
                Severity::Warn,
                "cache-file-too-large",
                format!(
                    "{}: {reason}",
                    crate::output::human::printable(&v.path.display().to_string())
                ),
                Some("look at it and remove it by hand; awsp never reads or removes it".into()),
            ));
        }
    }
    for note in &plan.notes {
        f.push(finding(
            Severity::Info,
            "cache-folder",
            note.to_string(),
            None,
        ));
    }
}

// ---- output -------------------------------------------------------------

fn paint(style: Style, severity: Severity, s: &str) -> String {
    if !style.color {
        return s.to_string();
    }
    let code = match severity {
        Severity::Error => "1;31",
        Severity::Warn => "33",
        Severity::Info => "36",
        Severity::Ok => "32",
    };
    format!("\x1b[{code}m{s}\x1b[0m")
}

/// `SEVERITY  message -> fix`, one line each, then a summary line.
pub fn write_text(out: &mut dyn Write, findings: &[Finding], style: Style) -> std::io::Result<()> {
    for x in findings {
        let word = paint(style, x.severity, &format!("{:<5}", x.severity.as_str()));
        // Messages quote names and values from the files: escaped here, once,
        // so none can move the cursor or retitle the window.
        let message = printable(&x.message);
        match &x.fix {
            Some(fix) => writeln!(out, "{word}  {message} -> {}", printable(fix))?,
            None => writeln!(out, "{word}  {message}")?,
        }
    }
    let count = |s: Severity| findings.iter().filter(|x| x.severity == s).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warn));
    if errors + warnings == 0 {
        writeln!(out, "doctor: nothing to fix")
    } else {
        writeln!(out, "doctor: {errors} error(s), {warnings} warning(s)")
    }
}

#[derive(Serialize)]
struct JsonDoc<'a> {
    ok: bool,
    findings: &'a [Finding],
}

pub fn write_json(out: &mut dyn Write, findings: &[Finding]) -> std::io::Result<()> {
    let doc = JsonDoc {
        ok: !findings.iter().any(|f| f.severity.is_problem()),
        findings,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(
            crate::awscli::parse_version("aws-cli/2.15.0 Python/3.11.6 Linux/6 exe/x86_64"),
            Some((2, 15, 0))
        );
        assert_eq!(
            crate::awscli::parse_version("aws-cli/1.46.3 Python/3.11"),
            Some((1, 46, 3))
        );
        assert_eq!(crate::awscli::parse_version("aws-cli/2.9"), Some((2, 9, 0)));
        assert_eq!(crate::awscli::parse_version("something else"), None);
        assert!((2, 8, 12) < MIN_AWS_VERSION && (2, 9, 0) >= MIN_AWS_VERSION);
    }

    #[test]
    fn timeout_kills_a_slow_child() {
        let mut cmd = Command::new("/bin/sh");
        cmd.args(["-c", "sleep 5"]);
        let start = Instant::now();
        let err = run_with_timeout(cmd, Duration::from_millis(200)).unwrap_err();
        assert!(matches!(err, RunError::Timeout(_)), "{err}");
        assert_eq!(err.to_string(), "did not answer within 0.2s");
        assert!(start.elapsed() < Duration::from_secs(3));
    }

    #[test]
    fn close_names_suggest_typos() {
        let names = ["prod-admin", "prod-read", "dev-admin", "x"];
        assert_eq!(
            close_names("prod-admn", names.iter().copied()),
            vec!["prod-admin".to_string()]
        );
        assert!(close_names("zzzzzz", names.iter().copied()).is_empty());
    }
}
