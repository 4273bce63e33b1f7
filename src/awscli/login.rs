//! Running `aws sso login` on the terminal: which command logs in what a
//! profile or session uses ([`plan`], pure), and running it ([`run`]) with
//! the tty as the child's stdin/stdout/stderr and Ctrl-C going to `aws`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::{DateTime, Duration, Utc};

use crate::aws::cache::TokenUse;
use crate::aws::ini::{self, Value};
use crate::aws::py::dateutil;
use crate::aws::resolve::{SourceWalk, Step};
use crate::aws::snapshot::Snapshot;
use crate::output::human::printable;
use crate::output::shown::shown_text;

/// What to install when `aws` is not on PATH.
pub const INSTALL_HINT: &str = "the AWS CLI (aws) is not on PATH: install the AWS CLI v2: \
    https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html";

/// The environment variable read when `--login-args` is absent.
pub const LOGIN_ARGS_ENV: &str = "AWSP_LOGIN_ARGS";

/// What to log in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoginTarget {
    /// From the command line: an sso-session if one has that name, else a profile.
    Name(String),
    /// A profile (a picker row).
    Profile(String),
    /// An sso-session by name.
    Session(String),
    /// The active profile (`ShellEnv::active`); `None` means the CLI's `default`.
    Active(Option<String>),
}

/// The `aws` invocation that logs the target in, and where its token lands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginPlan {
    /// Arguments after `aws`: `sso login --sso-session NAME [extra...]`.
    pub args: Vec<String>,
    /// For people: `sso-session acme`, `profile legacy-billing (legacy SSO)`.
    pub label: String,
    /// The token file `aws` writes (full path).
    pub token_file: PathBuf,
    pub token_use: TokenUse,
    /// From the session or legacy profile, for the simulated (demo) login.
    pub start_url: Option<String>,
    pub region: Option<String>,
}

impl LoginPlan {
    /// `aws sso login FLAG NAME`, whose token lands in the SSO cache under
    /// `cache_key` (the session's name, or a legacy profile's start URL).
    /// Label, start URL and region are the caller's.
    fn sso_login(
        snap: &Snapshot,
        flag: &str,
        name: &str,
        cache_key: &str,
        token_use: TokenUse,
    ) -> LoginPlan {
        LoginPlan {
            args: ["sso", "login", flag, name].map(String::from).to_vec(),
            label: String::new(),
            token_file: snap
                .paths
                .sso_cache
                .join(crate::aws::cache::cache_file_name(cache_key)),
            token_use,
            start_url: None,
            region: None,
        }
    }

    /// `aws sso login --sso-session acme ...`, for messages.
    pub fn command_line(&self) -> String {
        let mut s = String::from("aws");
        for a in &self.args {
            s.push(' ');
            s.push_str(a);
        }
        s
    }
}

/// How a login ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoginOutcome {
    /// `aws` exited 0; the token's expiry as re-read afterwards.
    Ok { new_expiry: Option<DateTime<Utc>> },
    /// `aws` exited non-zero (128 + N for a signal N), or could not be started.
    Failed { code: i32 },
    /// No `aws` on PATH: see [`INSTALL_HINT`].
    NotInstalled,
}

/// Why there is nothing `aws sso login` can log in for a target. Each
/// message is one sentence for the user; names from the files go through
/// `printable` or the secret masking where they may hold either.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    /// Neither an sso-session nor a profile has the name; candidates listed.
    #[error(
        "no sso-session or profile named '{name}' in {}; sso-sessions: {sessions}; SSO profiles: {profiles}",
        config.display()
    )]
    UnknownName {
        name: String,
        config: PathBuf,
        sessions: String,
        profiles: String,
    },
    #[error("the active profile '{name}' is not in {}; name one: awsp login NAME", config.display())]
    ActiveNotConfigured { name: String, config: PathBuf },
    #[error(
        "no profile is active (AWS_PROFILE is unset) and there is no [default] profile; \
         name one: awsp login NAME"
    )]
    NoActiveNoDefault,
    /// No profile is active and the CLI's `default` cannot log in.
    #[error(
        "no profile is active (AWS_PROFILE is unset), so the CLI's default applies: {0}; \
         name one: awsp login NAME"
    )]
    DefaultUnusable(Box<LoginError>),
    #[error(
        "[sso-session {name}] in {} needs sso_start_url and sso_region before aws can log in",
        config.display()
    )]
    SessionIncomplete { name: String, config: PathBuf },
    #[error("profile {profile} uses source_profile {source_name}, which is not configured")]
    SourceMissing {
        profile: String,
        source_name: String,
    },
    /// `session` is already masked (an indented line can make a secret part of it).
    #[error("profile {profile} uses sso-session {session}, which is not in {}", config.display())]
    SessionMissing {
        profile: String,
        session: String,
        config: PathBuf,
    },
    #[error("profile {profile} has an unusable sso_session value; fix it in {}", config.display())]
    UnusableSession { profile: String, config: PathBuf },
    /// The value is never shown, nor followed.
    #[error(
        "profile {}'s source_profile holds an indented secret; fix it in {}",
        printable(profile),
        config.display()
    )]
    SecretInSourceProfile { profile: String, config: PathBuf },
    #[error(
        "profile {profile} does not use SSO (its source_profile chain comes back to {again}); nothing to log in"
    )]
    SourceLoop { profile: String, again: String },
    #[error("profile {profile} does not use SSO; nothing to log in")]
    NotSso { profile: String },
}

/// Extra `aws sso login` arguments: the flag's value, else the environment
/// variable's, split on whitespace (no quoting).
pub fn extra_args(flag: Option<&str>, env: Option<&str>) -> Vec<String> {
    flag.or(env)
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// Decides what logs `target` in. `extra` is appended to the arguments.
pub fn plan(
    snap: &Snapshot,
    target: &LoginTarget,
    extra: &[String],
) -> Result<LoginPlan, LoginError> {
    let mut plan = match target {
        LoginTarget::Session(name) => session_plan(snap, name)?,
        LoginTarget::Profile(name) => profile_plan(snap, name)?,
        LoginTarget::Name(name) => {
            if snap.config.sso_session(name).is_some() {
                session_plan(snap, name)?
            } else if snap.find_profile(name).is_some() {
                profile_plan(snap, name)?
            } else {
                return Err(unknown_name(snap, name));
            }
        }
        LoginTarget::Active(active) => {
            let name = active.as_deref().unwrap_or("default");
            if snap.find_profile(name).is_none() {
                return Err(match active {
                    Some(_) => LoginError::ActiveNotConfigured {
                        name: name.to_string(),
                        config: snap.paths.config.clone(),
                    },
                    None => LoginError::NoActiveNoDefault,
                });
            }
            profile_plan(snap, name).map_err(|e| match active {
                Some(_) => e,
                None => LoginError::DefaultUnusable(Box::new(e)),
            })?
        }
    };
    plan.args.extend(extra.iter().cloned());
    Ok(plan)
}

fn session_plan(snap: &Snapshot, name: &str) -> Result<LoginPlan, LoginError> {
    let Some(session) = snap.config.sso_session(name) else {
        return Err(unknown_name(snap, name));
    };
    let start_url = ini::get_str(&session.settings, "sso_start_url");
    let region = ini::get_str(&session.settings, "sso_region");
    if start_url.is_none() || region.is_none() || name.is_empty() {
        return Err(LoginError::SessionIncomplete {
            name: name.to_string(),
            config: snap.paths.config.clone(),
        });
    }
    Ok(LoginPlan {
        label: format!("sso-session {name}"),
        start_url: start_url.map(str::to_string),
        region: region.map(str::to_string),
        ..LoginPlan::sso_login(snap, "--sso-session", name, name, TokenUse::Session)
    })
}

/// A profile's own SSO settings, else those of its `source_profile` chain
/// (an assume-role profile on top of an SSO one logs in that one's session).
fn profile_plan(snap: &Snapshot, name: &str) -> Result<LoginPlan, LoginError> {
    let mut current = name;
    // However long the chain, each profile is looked at once.
    let mut walk = SourceWalk::from(name);
    loop {
        let Some(profile) = snap.config.profile(current) else {
            return Err(LoginError::SourceMissing {
                profile: name.to_string(),
                source_name: current.to_string(),
            });
        };
        let via = if current == name {
            String::new()
        } else {
            format!(" (via source_profile {current})")
        };
        match ini::get(&profile.settings, "sso_session") {
            Some(Value::Str(session)) if !session.is_empty() => {
                if snap.config.sso_session(session).is_none() {
                    // Masked: an indented line can have made a secret part of it.
                    return Err(LoginError::SessionMissing {
                        profile: current.to_string(),
                        session: shown_text(session).into_owned(),
                        config: snap.paths.config.clone(),
                    });
                }
                let mut plan = session_plan(snap, session)?;
                plan.label.push_str(&via);
                return Ok(plan);
            }
            Some(_) => {
                return Err(LoginError::UnusableSession {
                    profile: current.to_string(),
                    config: snap.paths.config.clone(),
                })
            }
            None => {}
        }
        if let Some(url) = ini::get_str(&profile.settings, "sso_start_url") {
            return Ok(LoginPlan {
                label: format!("profile {current} (legacy SSO){via}"),
                start_url: Some(url.to_string()),
                region: ini::get_str(&profile.settings, "sso_region").map(str::to_string),
                ..LoginPlan::sso_login(snap, "--profile", current, url, TokenUse::Legacy)
            });
        }
        let next = ini::get_str(&profile.settings, "source_profile");
        // Named in messages: a value holding a secret is not followed.
        if next.is_some_and(ini::hides_secret) {
            return Err(LoginError::SecretInSourceProfile {
                profile: current.to_string(),
                config: snap.paths.config.clone(),
            });
        }
        match next.map(|n| walk.follow(n)) {
            Some(Step::Next(next)) => current = next,
            Some(Step::Repeated(again)) => {
                return Err(LoginError::SourceLoop {
                    profile: name.to_string(),
                    again: again.to_string(),
                })
            }
            None => {
                return Err(LoginError::NotSso {
                    profile: name.to_string(),
                })
            }
        }
    }
}

/// The error for a NAME that is neither a session nor a profile, naming candidates.
fn unknown_name(snap: &Snapshot, name: &str) -> LoginError {
    let sessions: Vec<&str> = snap
        .config
        .sso_sessions
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    let profiles: Vec<&str> = snap
        .profiles
        .iter()
        .filter(|p| p.token.is_some())
        .map(|p| snap.profile(p).name.as_str())
        .collect();
    let list = |v: &[&str]| {
        if v.is_empty() {
            return "none".to_string();
        }
        let mut s = v.iter().take(12).copied().collect::<Vec<_>>().join(", ");
        if v.len() > 12 {
            s.push_str(&format!(", ... ({} more)", v.len() - 12));
        }
        s
    };
    LoginError::UnknownName {
        name: name.to_string(),
        config: snap.paths.config.clone(),
        sessions: list(&sessions),
        profiles: list(&profiles),
    }
}

/// Runs the login. `demo` is the demo home: then nothing is run and a fresh
/// token (valid 8 h from `now`) is written into its SSO cache instead.
pub fn run(plan: &LoginPlan, demo: Option<&Path>, now: DateTime<Utc>) -> LoginOutcome {
    run_with(plan, demo, now, false).outcome
}

/// What a login from the picker ended with, and the last lines `aws`
/// wrote to its stderr: the picker redraws over them, so it shows them
/// itself when the login failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginRun {
    pub outcome: LoginOutcome,
    /// At most [`TAIL_LINES`], without control characters' effects
    /// undone: show them through `human::printable`.
    pub last_lines: Vec<String>,
}

/// Lines of `aws`'s stderr kept for the picker.
pub const TAIL_LINES: usize = 6;

/// As [`run`], with `aws`'s stderr copied to the terminal as it comes and
/// its last lines kept.
pub fn run_keeping_errors(plan: &LoginPlan, demo: Option<&Path>, now: DateTime<Utc>) -> LoginRun {
    run_with(plan, demo, now, true)
}

fn run_with(plan: &LoginPlan, demo: Option<&Path>, now: DateTime<Utc>, keep: bool) -> LoginRun {
    let done = |outcome| LoginRun {
        outcome,
        last_lines: Vec::new(),
    };
    if let Some(home) = demo {
        return done(simulate(plan, home, now));
    }
    let Some(aws) = super::find_aws() else {
        return done(LoginOutcome::NotInstalled);
    };
    let mut cmd = Command::new(aws);
    cmd.args(&plan.args);
    let echo = match attach_terminal(&mut cmd, keep) {
        Ok(echo) => echo,
        Err(e) => {
            eprintln!("awsp: cannot give the terminal to aws: {e}");
            return done(LoginOutcome::Failed { code: 1 });
        }
    };
    // Ctrl-C and Ctrl-\ reach aws (same foreground group); awsp stays.
    let has_terminal = crate::tui::terminal::ChildHasTerminal::new();
    let mut child = match cmd.spawn() {
        Ok(child) => {
            has_terminal.running(child.id());
            child
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return done(LoginOutcome::NotInstalled)
        }
        Err(e) => {
            eprintln!("awsp: cannot run aws: {e}");
            return done(LoginOutcome::Failed {
                code: i32::from(crate::exit::CANNOT_RUN),
            });
        }
    };
    let tail = match (child.stderr.take(), echo) {
        (Some(from), Some(to)) => Some(tee::Tee::start(from, to)),
        _ => None,
    };
    let status = match child.wait() {
        Ok(status) => status,
        Err(e) => {
            eprintln!("awsp: waiting for aws: {e}");
            return done(LoginOutcome::Failed { code: 1 });
        }
    };
    let last_lines = tail.map(tee::Tee::finish).unwrap_or_default();
    let outcome = if status.success() {
        LoginOutcome::Ok {
            new_expiry: read_expiry(&plan.token_file),
        }
    } else {
        LoginOutcome::Failed {
            code: exit_code(&status),
        }
    };
    LoginRun {
        outcome,
        last_lines,
    }
}

/// The version of the AWS CLI at `aws` (`aws --version` prints
/// `aws-cli/2.15.0 Python/...`; v1 printed it on stderr). `None` when it
/// cannot be told.
pub fn cli_version(aws: &Path) -> Option<(u32, u32, u32)> {
    let out = Command::new(aws)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let text = [out.stdout, out.stderr].concat();
    super::parse_version(&String::from_utf8_lossy(&text))
}

/// [`cli_version`]'s major number.
pub fn cli_major_version(aws: &Path) -> Option<u32> {
    cli_version(aws).map(|(major, _, _)| major)
}

/// Copies a child's stderr to the terminal while keeping its last lines.
mod tee {
    use std::io::{Read, Write};
    use std::sync::{mpsc, Arc, Mutex};
    use std::time::Duration;

    /// Bytes of the stream kept: enough for the last lines of an error.
    const KEEP_BYTES: usize = 4096;
    /// How long to wait for the stream's end after the child exited: a
    /// process it started (a browser) may hold the stream open for ever.
    const DRAIN: Duration = Duration::from_millis(300);

    pub struct Tee {
        kept: Arc<Mutex<Vec<u8>>>,
        ended: mpsc::Receiver<()>,
    }

    impl Tee {
        pub fn start(mut from: impl Read + Send + 'static, mut to: std::fs::File) -> Tee {
            let kept = Arc::new(Mutex::new(Vec::new()));
            let (tx, ended) = mpsc::channel();
            let keep = Arc::clone(&kept);
            let spawned = std::thread::Builder::new()
                .name("awsp-aws-stderr".into())
                .spawn(move || {
                    let mut buf = [0u8; 4096];
                    while let Ok(n @ 1..) = from.read(&mut buf) {
                        let _ = to.write_all(&buf[..n]);
                        let mut kept = keep.lock().unwrap_or_else(|p| p.into_inner());
                        kept.extend_from_slice(&buf[..n]);
                        let excess = kept.len().saturating_sub(KEEP_BYTES);
                        kept.drain(..excess);
                    }
                    let _ = tx.send(());
                });
            drop(spawned);
            Tee { kept, ended }
        }

        /// The last lines seen, once the stream ended (or after `DRAIN`).
        pub fn finish(self) -> Vec<String> {
            let _ = self.ended.recv_timeout(DRAIN);
            let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
            last_lines(&kept, super::TAIL_LINES)
        }
    }

    /// The last `n` non-blank lines of `bytes`; `\r` (progress output)
    /// ends a line too.
    pub fn last_lines(bytes: &[u8], n: usize) -> Vec<String> {
        let text = String::from_utf8_lossy(bytes);
        let lines: Vec<&str> = text
            .split(['\n', '\r'])
            .map(str::trim_end)
            .filter(|l| !l.trim().is_empty())
            .collect();
        lines[lines.len().saturating_sub(n)..]
            .iter()
            .map(|l| l.to_string())
            .collect()
    }
}

/// The token file's `expiresAt`, re-read from disk.
pub fn read_expiry(path: &Path) -> Option<DateTime<Utc>> {
    let name = path.file_name()?.to_str()?;
    crate::aws::cache::read_token_file(path.parent()?, name).expires_at()
}

fn simulate(plan: &LoginPlan, home: &Path, now: DateTime<Utc>) -> LoginOutcome {
    let Some(file) = plan.token_file.file_name() else {
        return LoginOutcome::Failed { code: 1 };
    };
    let dir = crate::aws::paths::AwsPaths::under_home(home).sso_cache;
    let expiry = now + Duration::hours(8);
    let mut token = serde_json::Map::new();
    let mut put = |k: &str, v: String| {
        token.insert(k.to_string(), serde_json::Value::String(v));
    };
    put("startUrl", plan.start_url.clone().unwrap_or_default());
    put("region", plan.region.clone().unwrap_or_default());
    put("accessToken", "demo-access-token".into());
    put("expiresAt", dateutil::format(&expiry));
    if plan.token_use == TokenUse::Session {
        put("clientId", "demo-client".into());
        put("clientSecret", "demo-secret".into());
        put(
            "registrationExpiresAt",
            dateutil::format(&(now + Duration::days(90))),
        );
        put("refreshToken", "demo-refresh".into());
    }
    let text = serde_json::Value::Object(token).to_string();
    let written = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(dir.join(file), text));
    match written {
        // Read back, as after a real login.
        Ok(()) => LoginOutcome::Ok {
            new_expiry: read_expiry(&dir.join(file)),
        },
        Err(e) => {
            eprintln!("awsp: demo login: cannot write the token: {e}");
            LoginOutcome::Failed { code: 1 }
        }
    }
}

/// The child's stdin/stdout/stderr: the terminal (`/dev/tty`). Without one,
/// stdin and stderr are inherited and stdout goes to awsp's stderr: awsp's
/// own stdout may be captured by the shell function. With `keep`, stderr
/// is a pipe instead and the returned file is where to copy it (stdout
/// stays the terminal, so the sign-in code shows at once, unbuffered).
fn attach_terminal(cmd: &mut Command, keep: bool) -> std::io::Result<Option<std::fs::File>> {
    let Ok(tty) = crate::tui::terminal::open_tty() else {
        cmd.stdin(Stdio::inherit())
            .stdout(stderr_handle()?)
            .stderr(Stdio::inherit());
        return Ok(None);
    };
    cmd.stdin(tty.try_clone()?).stdout(tty.try_clone()?);
    if keep {
        cmd.stderr(Stdio::piped());
        Ok(Some(tty))
    } else {
        cmd.stderr(tty);
        Ok(None)
    }
}

fn stderr_handle() -> std::io::Result<Stdio> {
    use std::os::fd::AsFd;
    Ok(Stdio::from(std::io::stderr().as_fd().try_clone_to_owned()?))
}

fn exit_code(status: &std::process::ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    if let Some(sig) = status.signal() {
        return crate::exit::signalled(sig);
    }
    status.code().unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::config::Config;
    use crate::aws::ini::parse;
    use crate::aws::paths::AwsPaths;

    fn snap(config: &str) -> Snapshot {
        let paths = AwsPaths::under_home(Path::new("/nonexistent-home"));
        let ini = parse(config).unwrap();
        let config = Config::build(&paths.config, Some(ini), &paths.credentials, None);
        Snapshot::from_config(&paths, config)
    }

    const CONFIG: &str = "\
[sso-session acme]
sso_start_url = https://acme.awsapps.com/start
sso_region = us-east-1
[sso-session half]
sso_start_url = https://half.awsapps.com/start
[profile prod]
sso_session = acme
sso_account_id = 1
sso_role_name = R
[profile acme]
sso_session = acme
[profile old]
sso_start_url = https://old.awsapps.com/start
sso_region = us-east-1
sso_account_id = 1
sso_role_name = R
[profile deploy]
role_arn = arn:aws:iam::2:role/D
source_profile = prod
[profile keys]
aws_access_key_id = A
aws_secret_access_key = B
[profile loop]
role_arn = arn:aws:iam::2:role/D
source_profile = loop
[profile ghost]
sso_session = nope
[default]
sso_session = acme
";

    fn args(p: &LoginPlan) -> String {
        p.args.join(" ")
    }

    #[test]
    fn sessions_profiles_and_legacy() {
        let s = snap(CONFIG);
        let name = |n: &str| plan(&s, &LoginTarget::Name(n.into()), &[]);
        assert_eq!(args(&name("acme").unwrap()), "sso login --sso-session acme");
        assert_eq!(name("acme").unwrap().label, "sso-session acme");
        assert_eq!(args(&name("prod").unwrap()), "sso login --sso-session acme");
        let old = name("old").unwrap();
        assert_eq!(args(&old), "sso login --profile old");
        assert_eq!(
            old.token_file.file_name().unwrap().to_str().unwrap(),
            crate::aws::cache::cache_file_name("https://old.awsapps.com/start")
        );
        assert_eq!(old.token_use, TokenUse::Legacy);
        let deploy = name("deploy").unwrap();
        assert_eq!(args(&deploy), "sso login --sso-session acme");
        assert!(deploy.label.contains("via source_profile prod"));
        let message = |n: &str| name(n).unwrap_err().to_string();
        assert_eq!(
            name("keys").unwrap_err(),
            LoginError::NotSso {
                profile: "keys".into()
            }
        );
        assert_eq!(
            message("keys"),
            "profile keys does not use SSO; nothing to log in"
        );
        assert!(message("loop").contains("does not use SSO"));
        assert!(message("ghost").contains("sso-session nope"));
        assert!(message("half").contains("sso_region"));
        let unknown = message("nosuch");
        assert!(unknown.contains("'nosuch'") && unknown.contains("acme, half"));
        assert!(unknown.contains("prod") && !unknown.contains("keys"));
    }

    #[test]
    fn active_profile_and_extra_args() {
        let s = snap(CONFIG);
        let extra = extra_args(None, Some("  --use-device-code   --no-browser "));
        let p = plan(&s, &LoginTarget::Active(Some("old".into())), &extra).unwrap();
        assert_eq!(
            p.command_line(),
            "aws sso login --profile old --use-device-code --no-browser"
        );
        let d = plan(&s, &LoginTarget::Active(None), &[]).unwrap();
        assert_eq!(args(&d), "sso login --sso-session acme");
        assert!(plan(&s, &LoginTarget::Active(Some("gone".into())), &[])
            .unwrap_err()
            .to_string()
            .contains("'gone'"));
        assert_eq!(extra_args(Some("--a"), Some("--b --c")), vec!["--a"]);
        assert!(extra_args(None, None).is_empty());
        // Profile wins over nothing; Session insists on a session.
        assert!(plan(&s, &LoginTarget::Session("prod".into()), &[]).is_err());
        assert_eq!(
            args(&plan(&s, &LoginTarget::Profile("acme".into()), &[]).unwrap()),
            "sso login --sso-session acme"
        );
    }

    #[test]
    fn demo_login_writes_a_fresh_token() {
        let s = snap(CONFIG);
        let home = tempfile::tempdir().unwrap();
        let now = Utc::now();
        let p = plan(&s, &LoginTarget::Name("acme".into()), &[]).unwrap();
        let out = run(&p, Some(home.path()), now);
        let want = dateutil::parse(&dateutil::format(&(now + Duration::hours(8))));
        assert_eq!(out, LoginOutcome::Ok { new_expiry: want });
        let written = home
            .path()
            .join(".aws/sso/cache")
            .join(crate::aws::cache::cache_file_name("acme"));
        assert_eq!(read_expiry(&written), want);
        let text = std::fs::read_to_string(written).unwrap();
        assert!(text.contains("https://acme.awsapps.com/start") && text.contains("refreshToken"));
    }

    #[test]
    fn a_long_source_profile_chain_is_followed_to_its_sso_profile() {
        // Longer than any fixed cap: the walk stops at a loop, not a count.
        let mut config = String::from(CONFIG);
        for i in 0..40 {
            config.push_str(&format!(
                "[profile hop{i}]\nrole_arn = arn:aws:iam::2:role/D\nsource_profile = hop{}\n",
                i + 1
            ));
        }
        config.push_str(
            "[profile hop40]\nsso_session = acme\nsso_account_id = 1\nsso_role_name = R\n",
        );
        config.push_str(
            "[profile ring0]\nsource_profile = ring1\n[profile ring1]\nsource_profile = ring0\n",
        );
        let s = snap(&config);
        let hop = plan(&s, &LoginTarget::Name("hop0".into()), &[]).unwrap();
        assert_eq!(args(&hop), "sso login --sso-session acme");
        assert!(
            hop.label.contains("via source_profile hop40"),
            "{}",
            hop.label
        );
        let ring = plan(&s, &LoginTarget::Name("ring0".into()), &[])
            .unwrap_err()
            .to_string();
        assert!(
            ring.contains("does not use SSO") && ring.contains("ring0"),
            "{ring}"
        );
    }
}
