//! What the last `awsp sync` of each sso-session tells the other commands,
//! read from the store alone (no network): the portal's account names for
//! every profile whose account it listed (hand-written ones included),
//! the profiles whose assignment is gone (STALE) and how old each sync is.
//!
//! Loading reads one small file per sso-session of the config; a session
//! never synced costs one failed `open`. A store file that is not awsp's
//! (junk, oversized, another session's, not a regular file) is ignored;
//! the caller shows at most one line about it.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, Utc};

use crate::aws::config::{Config, Profile};
use crate::aws::ini;
use crate::aws::snapshot::{ProfileInfo, Snapshot};

use super::store::{self, Stored};

/// One synced session: its inventory and the account names by id.
#[derive(Clone, Debug)]
pub struct SyncedSession {
    pub stored: Stored,
    names: HashMap<String, usize>,
}

impl SyncedSession {
    fn new(stored: Stored) -> SyncedSession {
        let names = stored
            .inventory
            .accounts
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        SyncedSession { stored, names }
    }

    /// The portal's name of `account_id`, if it listed that account.
    pub fn account_name(&self, account_id: &str) -> Option<&str> {
        let i = *self.names.get(account_id)?;
        Some(self.stored.inventory.accounts[i].name.as_str())
    }
}

/// The stores of a config's sso-sessions, in config order.
#[derive(Clone, Debug, Default)]
pub struct Synced {
    /// Same index as `Config::sso_sessions`; `None`: never synced.
    sessions: Vec<Option<SyncedSession>>,
    /// One line about store files that were ignored, if any.
    pub warning: Option<String>,
}

impl Synced {
    /// Reads the store of every sso-session in `config`; nothing without a state folder.
    pub fn load(state_dir: Option<&Path>, config: &Config) -> Synced {
        Synced::load_with(state_dir, config, store::load_checked)
    }

    /// As [`Synced::load`] with the accounts alone (no assignments): for
    /// `list`, which shows names only.
    pub fn load_names(state_dir: Option<&Path>, config: &Config) -> Synced {
        Synced::load_with(state_dir, config, store::load_accounts_checked)
    }

    fn load_with(
        state_dir: Option<&Path>,
        config: &Config,
        read: fn(&Path, &str) -> Result<Option<Stored>, std::path::PathBuf>,
    ) -> Synced {
        let Some(dir) = state_dir else {
            return Synced::default();
        };
        let mut ignored = Vec::new();
        let sessions = config
            .sso_sessions
            .iter()
            .map(|s| match read(dir, &s.name) {
                Ok(found) => found.map(SyncedSession::new),
                Err(path) => {
                    ignored.push(path);
                    None
                }
            })
            .collect();
        let warning = ignored.first().map(|first| {
            let more = match ignored.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            format!(
                "ignoring {}{more}: not a sync store awsp can read (run `awsp sync` again)",
                first.display()
            )
        });
        Synced { sessions, warning }
    }

    /// Built from stores already at hand (tests, the picker after a write).
    pub fn from_sessions(sessions: Vec<Option<Stored>>) -> Synced {
        Synced {
            sessions: sessions
                .into_iter()
                .map(|s| s.map(SyncedSession::new))
                .collect(),
            warning: None,
        }
    }

    /// Whether no session of the config was ever synced.
    pub fn is_empty(&self) -> bool {
        self.sessions.iter().all(Option::is_none)
    }

    /// The synced session at config index `i`.
    pub fn session(&self, i: usize) -> Option<&SyncedSession> {
        self.sessions.get(i).and_then(Option::as_ref)
    }

    /// The portal's account name for `info`: its sso-session (or, for a
    /// legacy profile, the session with its start URL) was synced and the
    /// portal listed its account.
    pub fn account_name<'a>(&'a self, snap: &Snapshot, info: &ProfileInfo) -> Option<&'a str> {
        if self.is_empty() {
            return None;
        }
        let account = info.account_id.as_deref()?;
        let p = snap.profile(info);
        let i = session_of(&snap.config, p)?;
        self.session(i)?.account_name(account)
    }
}

/// The config index of the sso-session `p` signs in through: its
/// `sso_session`, or for a legacy profile the first session whose start
/// URL is its own (a trailing `/` aside).
pub fn session_of(config: &Config, p: &Profile) -> Option<usize> {
    if let Some(name) = ini::get_str(&p.settings, "sso_session") {
        return config.sso_session_position(name);
    }
    let url = ini::get_str(&p.settings, "sso_start_url")?.trim_end_matches('/');
    config.sso_sessions.iter().position(|s| {
        ini::get_str(&s.settings, "sso_start_url").is_some_and(|u| u.trim_end_matches('/') == url)
    })
}

/// "synced 3h ago" for a sync at `at`.
pub fn age_text(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    // A time ahead of the clock (another machine's sync) is negative: "just now".
    let age = now - at;
    if age.num_seconds() < 60 {
        return "synced just now".to_string();
    }
    format!("synced {} ago", crate::output::human::short_duration(age))
}

/// An assignment the last sync listed that no profile covers, with the
/// name `awsp sync` would give it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unprofiled {
    pub session: String,
    pub new: super::plan::NewProfile,
    /// Profiles `awsp sync SESSION --write` would add (this one among them).
    pub session_new: usize,
    /// Generated profiles that write would remove (no longer assigned).
    pub session_removed: usize,
    pub synced_at: DateTime<Utc>,
}

/// Every synced session's assignments without a profile, planned as
/// `awsp sync SESSION --write` plans them (default names, the session's
/// region), from `config_text` (the config's own text, for awsp's blocks).
/// A malformed block: none (sync refuses to write then, and says why).
pub fn unprofiled(config: &Config, config_text: &str, synced: &Synced) -> Vec<Unprofiled> {
    if synced.is_empty() {
        return Vec::new();
    }
    let Ok(blocks) = super::block::find_blocks(config_text) else {
        return Vec::new();
    };
    let template = super::naming::Template::default_template();
    let taken = std::collections::HashSet::new();
    let opts = super::plan::PlanOpts {
        template: &template,
        region: None,
        also_taken: &taken,
    };
    let mut out = Vec::new();
    for (i, session) in config.sso_sessions.iter().enumerate() {
        let Some(known) = synced.session(i) else {
            continue;
        };
        let plan =
            super::plan::plan_session(config, &blocks, session, &known.stored.inventory, &opts);
        let removed = plan.stale.iter().filter(|s| s.generated).count();
        out.extend(plan.new.iter().map(|n| Unprofiled {
            session: session.name.clone(),
            new: n.clone(),
            session_new: plan.new.len(),
            session_removed: removed,
            synced_at: known.stored.synced_at,
        }));
    }
    out
}

/// What the picker knows from the last syncs: names for the account
/// column, and the rows `a` adds.
#[derive(Clone, Debug, Default)]
pub struct SyncView {
    pub synced: Synced,
    pub unprofiled: Vec<Unprofiled>,
}

impl SyncView {
    /// From the state folder and the config file as it is now.
    pub fn load(state_dir: Option<&Path>, config: &Config) -> SyncView {
        let synced = Synced::load(state_dir, config);
        if synced.is_empty() {
            return SyncView {
                synced,
                unprofiled: Vec::new(),
            };
        }
        let text = std::fs::read(&config.config_file)
            .ok()
            .and_then(|b| ini::decode(&b).ok().map(|t| t.to_string()))
            .unwrap_or_default();
        let unprofiled = unprofiled(config, &text, &synced);
        SyncView { synced, unprofiled }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::paths::AwsPaths;
    use crate::portal::types::{Account, Inventory};
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap()
    }

    #[test]
    fn names_by_session_and_by_a_legacy_start_url() {
        let dir = tempfile::tempdir().unwrap();
        let paths = AwsPaths::under_home(dir.path());
        std::fs::create_dir_all(paths.config.parent().unwrap()).unwrap();
        std::fs::write(
            &paths.config,
            "[sso-session a]\nsso_start_url = https://a.awsapps.com/start\nsso_region = us-east-1\n\
             [sso-session b]\nsso_start_url = https://b.awsapps.com/start\nsso_region = us-east-1\n\
             [profile in-a]\nsso_session = a\nsso_account_id = 1\nsso_role_name = R\n\
             [profile in-b]\nsso_session = b\nsso_account_id = 1\nsso_role_name = R\n\
             [profile legacy-b]\nsso_start_url = https://b.awsapps.com/start/\nsso_region = us-east-1\n\
             sso_account_id = 1\nsso_role_name = R\n\
             [profile legacy-elsewhere]\nsso_start_url = https://z.awsapps.com/start\nsso_region = us-east-1\n\
             sso_account_id = 1\nsso_role_name = R\n",
        )
        .unwrap();
        let snap = Snapshot::load(&paths).unwrap();
        let stored = Stored {
            session: "b".into(),
            synced_at: now(),
            inventory: Inventory {
                accounts: vec![Account {
                    id: "1".into(),
                    name: "One in b".into(),
                    email: String::new(),
                }],
                ..Inventory::default()
            },
        };
        let synced = Synced::from_sessions(vec![None, Some(stored)]);
        let name = |p: &str| synced.account_name(&snap, snap.find_profile(p).unwrap());
        assert_eq!(name("in-a"), None, "session a was never synced");
        assert_eq!(name("in-b"), Some("One in b"));
        assert_eq!(name("legacy-b"), Some("One in b"));
        assert_eq!(name("legacy-elsewhere"), None);
        assert!(Synced::default().is_empty());
    }

    #[test]
    fn age_is_short() {
        let ago = |m| age_text(now() - chrono::Duration::minutes(m), now());
        assert_eq!(ago(0), "synced just now");
        assert_eq!(ago(180), "synced 3h ago");
        assert_eq!(ago(60 * 24 * 5), "synced 5d ago");
        assert_eq!(
            age_text(now() + chrono::Duration::hours(1), now()),
            "synced just now"
        );
    }
}
