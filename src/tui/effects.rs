//! The picker's IO, backed by this run's home: logins (the terminal given
//! to `aws sso login`), clean (the same text as `awsp clean`, from
//! `commands::clean`), reloads and the history.

use crate::aws::clean::{self, CleanPlan};
use crate::aws::snapshot::Snapshot;
use crate::awscli::login::{self, LoginOutcome, LoginTarget};
use crate::commands::clean::{question, short_lines, CleanError, Removal};
use crate::console::ConsoleError;
use crate::home::history::History;
use crate::home::{HistoryError, Home};
use crate::output::human::printable;
use crate::sync::known::SyncView;
use crate::sync::SyncError;
use crate::tui::picker::{ConsoleJob, Effects, LoginFailure};
use crate::tui::terminal::Screen;

/// The picker's effects for one run.
pub struct HomeEffects<'a> {
    home: &'a Home,
    login_args: Vec<String>,
    /// What `c` found, kept for the confirmation.
    pending_clean: Option<CleanPlan>,
}

impl<'a> HomeEffects<'a> {
    /// `login_args`: the extra arguments for `aws sso login`.
    pub fn new(home: &'a Home, login_args: Vec<String>) -> HomeEffects<'a> {
        HomeEffects {
            home,
            login_args,
            pending_clean: None,
        }
    }
}

impl Effects for HomeEffects<'_> {
    fn login(
        &mut self,
        screen: &mut Screen,
        snap: &Snapshot,
        profile: &str,
    ) -> Result<String, LoginFailure> {
        let plan = login::plan(
            snap,
            &LoginTarget::Profile(profile.to_string()),
            &self.login_args,
        )?;
        let demo = self.home.demo_dir();
        // Check before giving the screen away: nothing to run, nothing to leave.
        if demo.is_none() && crate::awscli::find_aws().is_none() {
            return Err(LoginFailure {
                summary: "the AWS CLI (aws) is not on PATH".into(),
                details: vec![
                    login::INSTALL_HINT.to_string(),
                    "`awsp doctor` checks the set-up".into(),
                ],
            });
        }
        let now = chrono::Utc::now();
        let run = screen
            .suspended(|| {
                eprintln!("awsp: {}", printable(&plan.command_line()));
                login::run_keeping_errors(&plan, demo, now)
            })
            .map_err(|e| format!("could not restore the screen: {e}"))?;
        let text = crate::commands::login::outcome_text(&plan, &run.outcome, chrono::Utc::now());
        match run.outcome {
            LoginOutcome::Ok {
                new_expiry: Some(at),
            } if at > chrono::Utc::now() => Ok(text),
            LoginOutcome::Failed { .. } => Err(LoginFailure {
                summary: text,
                details: login_failure_details(run.last_lines),
            }),
            _ => Err(text.into()),
        }
    }

    fn console(&mut self, _snap: &Snapshot, profile: &str) -> Result<ConsoleJob, ConsoleError> {
        if self.home.demo_dir().is_some() {
            return Err(ConsoleError::Demo);
        }
        // The job owns what it reads: it runs on another thread.
        let paths = self.home.paths.clone();
        let profile = profile.to_string();
        Ok(Box::new(move || {
            let resolved = crate::creds::source::resolve(&paths, &profile, chrono::Utc::now())?;
            let (url, _) = crate::console::sign_in_url_for(&resolved, &profile, None, None, None)?;
            let opener = crate::console::open_url(&url)?;
            Ok(format!(
                "console for {} opened with {opener}",
                printable(&profile)
            ))
        }))
    }

    fn plan_clean(&mut self, snap: &Snapshot) -> Option<(String, Vec<String>)> {
        let now = chrono::Utc::now();
        let plan = clean::scan(snap, now);
        let stale = plan.stale_count();
        if stale == 0 {
            return None;
        }
        let asked = (question(stale), short_lines(&plan, now));
        self.pending_clean = Some(plan);
        Some(asked)
    }

    fn clean(&mut self, _snap: &Snapshot) -> Result<String, CleanError> {
        let Some(plan) = self.pending_clean.take() else {
            return Err(CleanError::NothingPlanned);
        };
        Removal::of(&clean::remove(&plan, chrono::Utc::now())).summary()
    }

    fn reload(&mut self) -> anyhow::Result<Snapshot> {
        self.home.load()
    }

    fn save_history(&mut self, history: &History) -> Result<(), HistoryError> {
        self.home.save_history(history)
    }

    fn load_sync(&mut self, snap: &Snapshot) -> SyncView {
        SyncView::load(self.home.state_dir(), &snap.config)
    }

    fn add_profiles(&mut self, session: &str) -> Result<String, SyncError> {
        let Some(dir) = self.home.state_dir() else {
            return Err(SyncError::NoStateFolder);
        };
        let mut report = Vec::new();
        let result = crate::commands::sync::write_stored(
            &self.home.paths,
            dir,
            session,
            chrono::Utc::now(),
            &mut report,
        );
        let report = String::from_utf8_lossy(&report);
        // The write's report, one line each (added, the backup): the last says most.
        let last = report
            .lines()
            .rfind(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim_start_matches("awsp: ")
            .to_string();
        match result {
            Ok(0) => Ok(last),
            Ok(_) => Err(SyncError::NotWritten { report: last }),
            Err(e) => Err(SyncError::Write(e)),
        }
    }
}

/// What aws printed last, and a pointer to `awsp doctor` when the CLI on
/// PATH is v1 (which has no sso-session logins).
fn login_failure_details(mut lines: Vec<String>) -> Vec<String> {
    if crate::awscli::path_has_cli_v1() {
        lines.push(
            "the AWS CLI on PATH is v1, which cannot log in sso-sessions: run `awsp doctor`"
                .to_string(),
        );
    }
    lines
}
