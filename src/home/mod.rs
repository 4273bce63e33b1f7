//! Where this run's files are: the AWS files (yours, or the demo home's),
//! the demo home itself, and awsp's own state (the switch history).

pub mod demo;
pub mod history;
pub mod replace;

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use chrono::{DateTime, Utc};

use crate::aws::paths::AwsPaths;
use crate::aws::snapshot::Snapshot;
use demo::DemoHome;
use history::History;

/// Why the picker's history was not saved.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("no state folder (set AWSP_STATE_DIR)")]
    NoStateFolder,
    #[error("{}: {source}", dir.display())]
    Io {
        dir: PathBuf,
        source: std::io::Error,
    },
}

/// Where the AWS files are for this run; holds the demo home alive (it is
/// removed when this is dropped).
pub struct Home {
    pub paths: AwsPaths,
    demo: Option<DemoHome>,
    /// Where the switch history lives (inside the demo home for --demo).
    state_dir: Option<PathBuf>,
}

impl Home {
    /// `--demo`: a fresh demo home, its clocks set from `now`; else the
    /// user's home as the environment names it.
    pub fn new(demo: bool, now: DateTime<Utc>) -> anyhow::Result<Home> {
        if demo {
            let home = DemoHome::create(now).context("creating the demo home")?;
            Ok(Home {
                paths: home.paths.clone(),
                state_dir: Some(home.home().join("state")),
                demo: Some(home),
            })
        } else {
            Ok(Home {
                paths: AwsPaths::from_process_env(),
                demo: None,
                state_dir: history::state_dir(),
            })
        }
    }

    /// The demo home's folder, when this run is `--demo`: logins are
    /// simulated there and nothing is handed to the shell.
    /// awsp's own state folder (history, sync inventories), if any.
    pub fn state_dir(&self) -> Option<&Path> {
        self.state_dir.as_deref()
    }

    pub fn demo_dir(&self) -> Option<&Path> {
        self.demo.as_ref().map(DemoHome::home)
    }

    pub fn load_history(&self) -> History {
        self.state_dir
            .as_deref()
            .map(History::load)
            .unwrap_or_default()
    }

    /// Counts a switch for recent-first ordering; failure only costs ordering.
    pub fn record_switch(&self, profile: &str) {
        if let Some(dir) = &self.state_dir {
            let mut h = History::load(dir);
            h.record(profile, Utc::now());
            if let Err(e) = h.save(dir) {
                eprintln!("awsp: could not update {}: {e}", dir.display());
            }
        }
    }

    /// Saves the picker's history (it changes when an entry is forgotten).
    pub fn save_history(&self, history: &History) -> Result<(), HistoryError> {
        let dir = self.state_dir.as_ref().ok_or(HistoryError::NoStateFolder)?;
        history.save(dir).map_err(|source| HistoryError::Io {
            dir: dir.clone(),
            source,
        })
    }

    pub fn load(&self) -> anyhow::Result<Snapshot> {
        // The error text is `PATH:LINE: reason`.
        Ok(Snapshot::load(&self.paths)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_home_holds_files_and_history_and_goes_away() {
        let home = Home::new(true, Utc::now()).unwrap();
        let dir = home.demo_dir().expect("a demo home").to_path_buf();
        assert!(home.paths.config.starts_with(&dir), "{:?}", home.paths);
        assert!(home.load().unwrap().find_profile("prod-admin").is_some());
        let names = ["prod-admin", "sandbox-dev"];
        assert_eq!(home.load_history().ranks(&names, Utc::now()), [0, 1]);
        home.record_switch("sandbox-dev");
        assert_eq!(home.load_history().ranks(&names, Utc::now()), [1, 0]);
        assert!(
            dir.join("state").is_dir(),
            "the history is kept in the demo"
        );
        drop(home);
        assert!(!dir.exists(), "dropping the home removes the demo");
    }
}
