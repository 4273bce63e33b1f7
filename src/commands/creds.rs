//! `awsp creds [PROFILE] [--format F]`: the profile's role credentials on
//! stdout, the only place awsp prints secrets. [`obtain`] is shared with
//! `exec` and `console`: credentials, with the login offered (or run,
//! `--login`) when the SSO token is expired.

use std::io::{IsTerminal, Write};

use chrono::Utc;

use crate::aws::config::Config;
use crate::aws::snapshot::ProfileInfo;
use crate::creds::format::{render, Format};
use crate::creds::source::{resolve, resolve_usable, CredsError, Resolved};
use crate::exit;
use crate::home::Home;
use crate::output::human::printable;
use crate::tui::terminal::ask_yes_no;

use super::login::LoginOpts;

/// What `creds`, `exec` and `console` share.
#[derive(Clone, Debug, Default)]
pub struct Want<'a> {
    /// The profile (already defaulted to the active one, then `default`).
    pub profile: &'a str,
    /// `--login`: log in without asking when the token is expired.
    pub login: bool,
    pub login_args: Option<&'a str>,
    pub login_args_env: Option<&'a str>,
}

/// The profile to use: PROFILE, else the active one, else `default`.
pub fn profile_or_active<'a>(given: Option<&'a str>, active: Option<&'a str>) -> &'a str {
    given.or(active).unwrap_or("default")
}

/// Credentials for `want.profile`, messages on `err`; the exit status when
/// there are none. `known`: the profile as
/// [`usable_profile`](crate::creds::source::usable_profile) read it
/// already (exec checks it first), so the files are read once.
pub fn obtain(
    home: &Home,
    want: &Want,
    known: Option<(Config, ProfileInfo)>,
    err: &mut dyn Write,
) -> Result<Resolved, u8> {
    // The demo's tokens are made up: no portal or AWS CLI is asked with them.
    if home.demo_dir().is_some() {
        let _ = writeln!(
            err,
            "awsp: demo: the demo home has no real credentials (creds, exec and console need your own)"
        );
        return Err(exit::NO_CREDENTIALS);
    }
    let first = match known {
        Some((config, info)) => {
            resolve_usable(&home.paths, &config, &info, want.profile, Utc::now())
        }
        None => resolve(&home.paths, want.profile, Utc::now()),
    };
    let error = match first {
        Ok(resolved) => return Ok(noted(resolved, err)),
        Err(e) => e,
    };
    if error.login_target().is_none() {
        return Err(report(&error, err));
    }
    let _ = writeln!(err, "awsp: {}", printable(&error.to_string()));
    if !want.login && !ask_to_login() {
        return Err(exit::NO_CREDENTIALS);
    }
    let snapshot = match home.load() {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(err, "awsp: {}", printable(&format!("{e:#}")));
            return Err(exit::BAD_INPUT);
        }
    };
    let opts = LoginOpts {
        // The profile as given (the error holds a printable copy).
        name: Some(want.profile),
        active: None,
        login_args: want.login_args,
        login_args_env: want.login_args_env,
        demo: home.demo_dir(),
    };
    let code = super::login::run(&snapshot, &opts, Utc::now(), err);
    if code != exit::OK {
        return Err(code);
    }
    resolve(&home.paths, want.profile, Utc::now())
        .map(|r| noted(r, err))
        .map_err(|e| report(&e, err))
}

/// Asks on the terminal whether to log in, only when a person is at it:
/// not as a `credential_process`, whose stderr the AWS CLI pipes.
fn ask_to_login() -> bool {
    std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal()
        && ask_yes_no("awsp: log in now?") == Some(true)
}

fn noted(resolved: Resolved, err: &mut dyn Write) -> Resolved {
    if let Some(warning) = &resolved.warning {
        let _ = writeln!(err, "awsp: warning: {}", printable(warning));
    }
    resolved
}

/// Prints `error` and gives its exit status.
pub fn report(error: &CredsError, err: &mut dyn Write) -> u8 {
    let _ = writeln!(err, "awsp: {}", printable(&error.to_string()));
    match error {
        CredsError::Config(_) | CredsError::Problem { .. } | CredsError::DotenvLineBreak => {
            exit::BAD_INPUT
        }
        CredsError::UnknownProfile(_) => exit::UNKNOWN_PROFILE,
        CredsError::AwsMissing { .. } => exit::NOT_INSTALLED,
        _ => exit::NO_CREDENTIALS,
    }
}

/// Runs `awsp creds`.
pub fn run(
    home: &Home,
    want: &Want,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<u8> {
    let resolved = match obtain(home, want, None, err) {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    match render(&resolved.creds, format, want.profile, resolved.origin) {
        Ok(text) => {
            out.write_all(text.as_bytes())?;
            out.flush()?;
            Ok(exit::OK)
        }
        Err(e) => Ok(report(&e, err)),
    }
}
