//! The last inventory of each sso-session, kept in awsp's state folder
//! (`$AWSP_STATE_DIR/sync/<sha1 of the session name>.json`, the folder of
//! `history.json`) with the time of the sync: what later commands (list,
//! doctor, the picker) read to show account names and stale profiles
//! without a network call. Written atomically (temporary file, fsync,
//! rename); read back only from a regular file of sane size. It holds
//! what the portal listed and nothing else: never a token.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::portal::types::Inventory;

const FORMAT: &str = "awsp-sync-1";
/// Far above any real inventory (~300 bytes per account with its roles:
/// 10,000 accounts fit in 3 MB).
pub const MAX_STORE_BYTES: u64 = 32 << 20;

/// One session's inventory as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stored {
    pub session: String,
    /// RFC 3339 in the file (`2026-12-02T08:00:00Z`).
    #[serde(with = "rfc3339")]
    pub synced_at: DateTime<Utc>,
    pub inventory: Inventory,
}

/// chrono is built without its serde feature: the time as RFC 3339 text.
mod rfc3339 {
    use chrono::{DateTime, SecondsFormat, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::Secs, true))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(serde::de::Error::custom)
    }
}

#[derive(Serialize)]
struct OnDisk {
    format: String,
    #[serde(flatten)]
    stored: Stored,
}

/// [`OnDisk`] as read back: the same members spelled out, because
/// `flatten` makes serde buffer the whole document first (the store of
/// 200 accounts took 2.6 M instructions to read that way, more than the
/// rest of `list --json`). `I` is the whole [`Inventory`], or only what a
/// reader needs of it ([`AccountsOnly`]).
#[derive(Deserialize)]
struct OnDiskRead<I> {
    format: String,
    session: String,
    #[serde(with = "rfc3339")]
    synced_at: DateTime<Utc>,
    inventory: I,
}

/// Where the inventory of `session` is kept under the state folder. The
/// name is hashed: a session name may hold `/`, `..` or bytes a file
/// name cannot.
pub fn path_of(state_dir: &Path, session: &str) -> PathBuf {
    state_dir
        .join("sync")
        .join(crate::aws::cache::cache_file_name(session))
}

/// Writes the inventory of `session` at `now`. Something other than a
/// regular file at the path is left alone, as for the history.
pub fn save(
    state_dir: &Path,
    session: &str,
    inventory: &Inventory,
    now: DateTime<Utc>,
) -> std::io::Result<PathBuf> {
    let path = path_of(state_dir, session);
    let dir = path.parent().expect("the path has a folder");
    std::fs::create_dir_all(dir)?;
    let doc = OnDisk {
        format: FORMAT.into(),
        stored: Stored {
            session: session.to_string(),
            synced_at: now,
            inventory: inventory.clone(),
        },
    };
    crate::home::history::write_state_file(&path, &doc)?;
    Ok(path)
}

/// What `list` needs of a store: the accounts. The assignments are
/// skipped unparsed (serde still checks they are JSON, without building them).
#[derive(Deserialize)]
struct AccountsOnly {
    accounts: Vec<crate::portal::types::Account>,
}

/// As [`load_checked`] with only the accounts filled in (no assignments,
/// no failures): a third of the work for `list`'s account names.
pub fn load_accounts_checked(state_dir: &Path, session: &str) -> Result<Option<Stored>, PathBuf> {
    load_as(state_dir, session, |only: AccountsOnly| Inventory {
        accounts: only.accounts,
        ..Inventory::default()
    })
}

/// The stored inventory of `session`, or `None` when there is none, or it
/// is not a regular file of at most [`MAX_STORE_BYTES`], or not awsp's
/// format, or for another session.
pub fn load(state_dir: &Path, session: &str) -> Option<Stored> {
    load_checked(state_dir, session).ok().flatten()
}

/// As [`load`], but tells "never synced" (`Ok(None)`) from a file that is
/// there and not usable (`Err(its path)`), for a one-line warning.
pub fn load_checked(state_dir: &Path, session: &str) -> Result<Option<Stored>, PathBuf> {
    load_as(state_dir, session, |inventory: Inventory| inventory)
}

/// Reads the store of `session` with its inventory as `I`, which
/// `inventory` turns into what is returned.
fn load_as<I: serde::de::DeserializeOwned>(
    state_dir: &Path,
    session: &str,
    inventory: impl FnOnce(I) -> Inventory,
) -> Result<Option<Stored>, PathBuf> {
    let path = path_of(state_dir, session);
    let Some(bytes) = crate::home::history::read_regular_file(&path, MAX_STORE_BYTES) else {
        return match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            _ => Err(path),
        };
    };
    match serde_json::from_slice::<OnDiskRead<I>>(&bytes) {
        Ok(doc) if doc.format == FORMAT && doc.session == session => Ok(Some(Stored {
            session: doc.session,
            synced_at: doc.synced_at,
            inventory: inventory(doc.inventory),
        })),
        _ => Err(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portal::types::{Account, AccountFailure, Assignment};
    use chrono::TimeZone;

    fn inventory() -> Inventory {
        Inventory {
            accounts: vec![Account {
                id: "111122223333".into(),
                name: "Prod".into(),
                email: "p@example.com".into(),
            }],
            assignments: vec![Assignment {
                account_id: "111122223333".into(),
                role_name: "AdministratorAccess".into(),
            }],
            failures: vec![AccountFailure {
                account_id: "444455556666".into(),
                reason: "403".into(),
            }],
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 2, 8, 0, 0).unwrap()
    }

    #[test]
    fn round_trip_per_session_with_the_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = save(dir.path(), "a/../b", &inventory(), now()).unwrap();
        assert_eq!(path.parent().unwrap(), dir.path().join("sync"));
        let back = load(dir.path(), "a/../b").unwrap();
        assert_eq!(back.inventory, inventory());
        assert_eq!(back.synced_at, now());
        assert_eq!(load(dir.path(), "other"), None);
        let leftovers = std::fs::read_dir(dir.path().join("sync")).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file left behind");
    }

    #[test]
    fn junk_foreign_or_oversized_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = save(dir.path(), "s", &inventory(), now()).unwrap();
        let good = std::fs::read(&path).unwrap();
        for junk in [&b""[..], b"{", b"[]", b"{\"format\":\"x\"}"] {
            std::fs::write(&path, junk).unwrap();
            assert_eq!(load(dir.path(), "s"), None);
        }
        // Another session's document under this session's name.
        let other = String::from_utf8(good.clone())
            .unwrap()
            .replace("\"session\":\"s\"", "\"session\":\"t\"");
        std::fs::write(&path, other).unwrap();
        assert_eq!(load(dir.path(), "s"), None);
        let mut big = good.clone();
        big.pop();
        big.resize(MAX_STORE_BYTES as usize + 1, b' ');
        std::fs::write(&path, big).unwrap();
        assert_eq!(load(dir.path(), "s"), None);
        assert_eq!(load_checked(dir.path(), "s"), Err(path.clone()));
        assert_eq!(load_checked(dir.path(), "never"), Ok(None));
        assert_eq!(load_accounts_checked(dir.path(), "s"), Err(path.clone()));
        std::fs::write(&path, &good).unwrap();
        let accounts = load_accounts_checked(dir.path(), "s").unwrap().unwrap();
        assert_eq!(accounts.inventory.accounts, inventory().accounts);
        assert!(accounts.inventory.assignments.is_empty());
    }

    #[test]
    fn a_folder_or_fifo_at_the_path_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_of(dir.path(), "s");
        std::fs::create_dir_all(&path).unwrap();
        assert!(save(dir.path(), "s", &inventory(), now()).is_err());
        assert!(path.is_dir());
        std::fs::remove_dir(&path).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(made.success());
        assert_eq!(load(dir.path(), "s"), None, "does not hang on a FIFO");
    }
}
