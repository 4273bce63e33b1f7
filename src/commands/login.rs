//! `awsp login [NAME]`: run `aws sso login` for a session or a profile's
//! session on the terminal, and exit with `aws`'s status. Messages go to
//! stderr; `aws` itself talks on `/dev/tty`.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, SubsecRound, Utc};

use crate::aws::py::dateutil;
use crate::aws::snapshot::Snapshot;
use crate::awscli::login::{self, LoginOutcome, LoginPlan, LoginTarget, INSTALL_HINT};
use crate::exit;
use crate::output::human::{printable, short_duration};

/// What the command was given.
#[derive(Clone, Debug, Default)]
pub struct LoginOpts<'a> {
    /// NAME: a session, else a profile.
    pub name: Option<&'a str>,
    /// The active profile (`ShellEnv::active`), used without NAME.
    pub active: Option<&'a str>,
    /// `--login-args`, else `AWSP_LOGIN_ARGS`.
    pub login_args: Option<&'a str>,
    pub login_args_env: Option<&'a str>,
    /// The demo home: the login is simulated there.
    pub demo: Option<&'a Path>,
}

/// The line shown after a login.
pub fn outcome_text(plan: &LoginPlan, outcome: &LoginOutcome, now: DateTime<Utc>) -> String {
    // Token times are whole seconds: `valid 8h`, not `valid 7h59m`.
    let now = now.trunc_subsecs(0);
    match outcome {
        LoginOutcome::Ok {
            new_expiry: Some(at),
        } if *at > now => format!(
            "{}: logged in, valid {} (until {})",
            plan.label,
            short_duration(*at - now),
            dateutil::format(at)
        ),
        LoginOutcome::Ok {
            new_expiry: Some(at),
        } => format!(
            "{}: aws exited 0 but the token in {} expired at {}",
            plan.label,
            plan.token_file.display(),
            dateutil::format(at)
        ),
        LoginOutcome::Ok { new_expiry: None } => format!(
            "{}: aws exited 0 but no usable token is in {}",
            plan.label,
            plan.token_file.display()
        ),
        LoginOutcome::Failed { code } => format!("{}: aws exited {code}", plan.label),
        LoginOutcome::NotInstalled => INSTALL_HINT.to_string(),
    }
}

/// Runs `awsp login`; messages go to `err`. Returns the exit status.
pub fn run(snap: &Snapshot, opts: &LoginOpts, now: DateTime<Utc>, err: &mut dyn Write) -> u8 {
    let target = match opts.name {
        Some(name) => LoginTarget::Name(name.to_string()),
        None => LoginTarget::Active(opts.active.map(str::to_string)),
    };
    let extra = login::extra_args(opts.login_args, opts.login_args_env);
    let plan = match login::plan(snap, &target, &extra) {
        Ok(plan) => plan,
        Err(message) => {
            let _ = writeln!(err, "awsp: {}", printable(&message.to_string()));
            return exit::BAD_INPUT;
        }
    };
    let _ = if opts.demo.is_some() {
        writeln!(
            err,
            "awsp: demo: simulating `{}` (nothing is run)",
            printable(&plan.command_line())
        )
    } else {
        writeln!(
            err,
            "awsp: {}: {}",
            printable(&plan.label),
            printable(&plan.command_line())
        )
    };
    let _ = err.flush();
    let outcome = login::run(&plan, opts.demo, now);
    let _ = writeln!(
        err,
        "awsp: {}",
        printable(&outcome_text(&plan, &outcome, now))
    );
    match outcome {
        LoginOutcome::Ok { .. } => exit::OK,
        LoginOutcome::Failed { code } => exit::child_failed(code),
        LoginOutcome::NotInstalled => exit::NOT_INSTALLED,
    }
}
