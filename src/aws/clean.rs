//! Which files in the two cache folders are provably stale, and their safe
//! removal. IO is confined to [`scan`] (one listing per folder, one read per
//! file) and [`remove`]; the decision itself ([`classify`]) is pure.
//!
//! Stale means only what awsp can prove from rules it knows: an SSO token
//! that has expired and cannot be refreshed, a client registration that
//! has expired (the OIDC service refuses its secret, whoever wrote it), or
//! role credentials that have expired. Other programs (the AWS Toolkit,
//! Amazon Q, Kiro) keep tokens here too that expire hourly and renew from
//! their refresh token: an expired token that no configured sso-session or
//! start URL uses and that holds a refresh token or a registration of its
//! own is kept. Everything else is kept with a reason too: a file that is
//! not JSON may be half-written by a running `aws`, a file over
//! [`MAX_CACHE_FILE_BYTES`] is never read, nothing reached through a
//! symbolic link from `~/.aws` down is touched ([`NOFOLLOW_COMPONENTS`]),
//! and nothing outside the two folders is.
//!
//! Removal renames the file to a private name first and re-checks what was
//! renamed, so a token that `aws sso login` rewrites meanwhile is put back
//! rather than deleted.
//!
//! Nothing here is worded for people: owners, reasons and notes come back
//! as data, and `output::clean` words them.

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Duration, Utc};
use serde_json::Value as Json;
use sha1::{Digest, Sha1};

use super::cache::{credentials_content, token_content, Content, Refresh, TokenFacts, TokenUse};
use super::dirfile::nofollow::{Facts, Kind, NoFollowDir, OpenError, ReadFailure};
pub use super::dirfile::{MAX_CACHE_FILE_BYTES, TOO_LARGE};
use super::ini;
use super::py::dateutil;
use super::snapshot::Snapshot;

/// The two folders `clean` looks in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Folder {
    /// `~/.aws/sso/cache`: SSO tokens and client registrations.
    Sso,
    /// `~/.aws/cli/cache`: role credentials.
    Cli,
}

impl Folder {
    /// How the folder is written for people.
    pub fn display(self) -> &'static str {
        match self {
            Folder::Sso => "sso/cache",
            Folder::Cli => "cli/cache",
        }
    }
}

/// What happens to one entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Stale { expired_at: DateTime<Utc> },
    Keep { reason: KeepReason },
}

/// Why an entry is kept. Durations are what was left at the judging time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeepReason {
    /// It vanished before it was judged.
    Gone,
    /// The system's error, as it worded it.
    Unreadable {
        error: String,
    },
    /// A symbolic link: never followed or removed.
    Link,
    Folder,
    /// A FIFO, socket or device.
    NotRegular,
    ChangedWhileRead,
    /// Over [`MAX_CACHE_FILE_BYTES`]: never read.
    TooLarge {
        len: u64,
    },
    /// A private name of an interrupted or put-back removal.
    SetAside,
    /// awsp's staged write, younger than [`STAGED_ABANDONED_AFTER`]: it may
    /// be in progress.
    StagedWrite {
        age: Duration,
    },
    NotJsonName,
    /// Not JSON: may be half-written by a running `aws`.
    NotJson,
    UnknownShape,
    /// An expired token of another program that renews itself.
    AnotherTool,
    RegistrationWithoutExpiry,
    RegistrationValid {
        left: Duration,
    },
    TokenWithoutExpiry,
    TokenValid {
        left: Duration,
    },
    Refreshable {
        left: Duration,
    },
    UnusableRegistrationExpiry,
    CredentialsWithoutExpiry,
    CredentialsValid {
        left: Duration,
    },
}

impl Decision {
    fn keep(reason: KeepReason) -> Decision {
        Decision::Keep { reason }
    }

    pub fn is_stale(&self) -> bool {
        matches!(self, Decision::Stale { .. })
    }
}

/// What the file looked like when it was judged; removal needs it unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Fingerprint {
    /// Length, modification time, device and inode.
    facts: Facts,
    sha1: [u8; 20],
}

/// One entry of a cache folder and the verdict on it.
#[derive(Clone, Debug)]
pub struct CacheFileVerdict {
    pub path: PathBuf,
    /// The entry's name (lossy UTF-8 for display).
    pub name: String,
    pub folder: Folder,
    /// What it belongs to; empty when no configured profile uses it.
    pub owner: Vec<Owner>,
    pub decision: Decision,
    /// The exact name, for removal.
    os_name: OsString,
    /// Whether awsp knows the rules of the file's owner (see [`classify`]).
    owner_known: bool,
    fingerprint: Option<Fingerprint>,
}

impl CacheFileVerdict {
    /// Kept because it is over [`MAX_CACHE_FILE_BYTES`] (never read).
    pub fn is_too_large(&self) -> bool {
        matches!(
            &self.decision,
            Decision::Keep {
                reason: KeepReason::TooLarge { .. }
            }
        )
    }
}

/// Everything found in both folders, stale and kept, sorted by folder and name.
#[derive(Clone, Debug, Default)]
pub struct CleanPlan {
    pub verdicts: Vec<CacheFileVerdict>,
    /// Folder-level remarks (a folder that cannot be listed or is a symlink).
    pub notes: Vec<FolderNote>,
    sso_dir: PathBuf,
    cli_dir: PathBuf,
    /// Device and inode of each folder that was listed: removal reopens the
    /// folder and goes on only if it is still the same one.
    identities: Vec<(Folder, (u64, u64))>,
}

impl CleanPlan {
    pub fn stale(&self) -> impl Iterator<Item = &CacheFileVerdict> {
        self.verdicts.iter().filter(|v| v.decision.is_stale())
    }

    pub fn kept(&self) -> impl Iterator<Item = &CacheFileVerdict> {
        self.verdicts.iter().filter(|v| !v.decision.is_stale())
    }

    pub fn stale_count(&self) -> usize {
        self.stale().count()
    }

    pub fn kept_count(&self) -> usize {
        self.kept().count()
    }
}

/// Who uses a cache file, by the configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Owner {
    Session(String),
    /// A start URL that profiles without an sso-session use.
    LegacyStartUrl {
        url: String,
        profiles: Vec<String>,
    },
    /// Profiles whose role credentials are cached there.
    Profiles(Vec<String>),
    /// `botocore-client-id-REGION.json`.
    Registration {
        region: String,
    },
    /// awsp's own staged write (see [`is_staged_write`]).
    StagedWrite,
}

/// Why a cache folder is not looked in, or not wholly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FolderNote {
    /// Its path has too few components to check each for links.
    Uncheckable(PathBuf),
    Link(PathBuf),
    NotAFolder(PathBuf),
    /// Cannot be opened; the system's error.
    Unreadable(PathBuf, String),
    /// Opened but cannot be listed; the system's error.
    Unlisted(PathBuf, String),
}

/// What became of one stale entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RemoveResult {
    Removed,
    /// Re-checked just before removal and left alone.
    Skipped {
        reason: SkipReason,
    },
    /// The removal itself failed (e.g. permission denied).
    Failed {
        error: RemoveError,
    },
}

/// Why a stale entry was left alone at removal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    FolderChanged,
    NotDirectlyInside,
    Gone,
    NoLongerStale(KeepReason),
    ChangedSinceListed,
    /// Rewritten while set aside, and put back.
    RewrittenPutBack,
    /// Rewritten while set aside, and kept under its private name.
    RewrittenKept(PutBackError),
}

/// Why removing a stale entry failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RemoveError {
    /// The system's error, as it worded it.
    #[error("{0}")]
    Io(String),
    /// Unlinking failed and so did putting it back.
    #[error("{error}; {kept}")]
    NotPutBack { error: String, kept: PutBackError },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoveOutcome {
    pub path: PathBuf,
    pub name: String,
    pub folder: Folder,
    pub result: RemoveResult,
}

/// How many path components, counted up from each cache folder, are opened
/// with `O_NOFOLLOW`: `.aws`, `sso` or `cli`, and `cache`. What is above
/// (the home folder and its parents) is followed: a home that is a link
/// (`/home -> /data/home`) is the user's own setup, while a link from the
/// AWS folder down could lead `clean` to remove files elsewhere.
pub const NOFOLLOW_COMPONENTS: usize = 3;

/// The prefix of the private name an entry has while being removed.
const REMOVING_PREFIX: &str = ".awsp-removing-";

/// How awsp names a file it is writing (`home::replace` stages the new
/// bytes under such a name, then renames it over the old file).
pub const STAGED_PREFIX: &str = ".awsp-";
pub const STAGED_SUFFIX: &str = ".tmp";

/// A staged write this old was abandoned: awsp was killed between the
/// write and the rename, which take milliseconds. Such a file may hold
/// role credentials that nothing else would ever remove.
pub const STAGED_ABANDONED_AFTER: Duration = Duration::minutes(10);

/// Whether `name` is one of awsp's own staged writes.
pub fn is_staged_write(name: &str) -> bool {
    name.starts_with(STAGED_PREFIX)
        && name.ends_with(STAGED_SUFFIX)
        && !name.starts_with(REMOVING_PREFIX)
}

/// `dir` as the folder it is opened from, and the components below it that
/// must not be links.
fn split_checked(dir: &Path) -> Option<(PathBuf, Vec<OsString>)> {
    let mut base = dir.to_path_buf();
    let mut below = Vec::with_capacity(NOFOLLOW_COMPONENTS);
    for _ in 0..NOFOLLOW_COMPONENTS {
        match base.components().next_back() {
            Some(Component::Normal(name)) => below.push(name.to_os_string()),
            _ => return None,
        }
        base.pop();
    }
    below.reverse();
    Some((base, below))
}

/// Opens a cache folder without following a link from the AWS folder down.
/// `Err(None)`: it does not exist; `Err(Some(note))`: it is not used.
fn open_folder(dir: &Path) -> Result<NoFollowDir, Option<FolderNote>> {
    let Some((base, below)) = split_checked(dir) else {
        return Err(Some(FolderNote::Uncheckable(dir.to_path_buf())));
    };
    let below: Vec<&OsStr> = below.iter().map(OsString::as_os_str).collect();
    NoFollowDir::open(&base, &below).map_err(|e| match e {
        OpenError::Missing => None,
        OpenError::Link(p) => Some(FolderNote::Link(p)),
        OpenError::NotAFolder(p) => Some(FolderNote::NotAFolder(p)),
        OpenError::Io(p, e) => Some(FolderNote::Unreadable(p, e.to_string())),
    })
}

/// Lists both cache folders of `snap` (opened without following a link
/// from `~/.aws` down) and judges every entry at `now`.
pub fn scan(snap: &Snapshot, now: DateTime<Utc>) -> CleanPlan {
    let owners = Owners::of(snap);
    let mut plan = CleanPlan {
        sso_dir: snap.paths.sso_cache.clone(),
        cli_dir: snap.paths.cli_cache.clone(),
        ..CleanPlan::default()
    };
    for (folder, dir) in [
        (Folder::Sso, &snap.paths.sso_cache),
        (Folder::Cli, &snap.paths.cli_cache),
    ] {
        let handle = match open_folder(dir) {
            Ok(handle) => handle,
            Err(None) => continue,
            Err(Some(note)) => {
                if !plan.notes.contains(&note) {
                    plan.notes.push(note);
                }
                continue;
            }
        };
        let names = match handle.names() {
            Ok(names) => names,
            Err(e) => {
                plan.notes
                    .push(FolderNote::Unlisted(dir.clone(), e.to_string()));
                continue;
            }
        };
        plan.identities.push((folder, handle.identity));
        for os_name in names {
            let name = os_name.to_string_lossy().into_owned();
            let owner_known = owners.knows(folder, &name);
            let (decision, fingerprint) =
                judge(&handle, &os_name, &os_name, folder, owner_known, now);
            plan.verdicts.push(CacheFileVerdict {
                path: dir.join(&os_name),
                owner: owners.owner(folder, &name),
                name,
                os_name,
                folder,
                owner_known,
                decision,
                fingerprint,
            });
        }
    }
    plan.verdicts
        .sort_by(|a, b| (a.folder, &a.name).cmp(&(b.folder, &b.name)));
    plan
}

/// Removes the stale entries of `plan`, each re-checked just before. One
/// failure does not stop the others.
pub fn remove(plan: &CleanPlan, now: DateTime<Utc>) -> Vec<RemoveOutcome> {
    remove_with(plan, now, &mut |_| {})
}

/// [`remove`], calling `after_rename` with each file's private path once it
/// is moved aside and before it is re-checked: the seam where a test plays
/// an `aws sso login` that writes meanwhile.
pub fn remove_with(
    plan: &CleanPlan,
    now: DateTime<Utc>,
    after_rename: &mut dyn FnMut(&Path),
) -> Vec<RemoveOutcome> {
    plan.stale()
        .map(|v| RemoveOutcome {
            path: v.path.clone(),
            name: v.name.clone(),
            folder: v.folder,
            result: remove_one(plan, v, now, after_rename),
        })
        .collect()
}

fn skip(reason: SkipReason) -> RemoveResult {
    RemoveResult::Skipped { reason }
}

/// Re-checks `v` by name, moves it to a private name in the same folder
/// (so a writer that opens the name from now on creates a new file, which
/// awsp never touches), re-checks what was moved, and only then unlinks
/// it; what changed is put back.
fn remove_one(
    plan: &CleanPlan,
    v: &CacheFileVerdict,
    now: DateTime<Utc>,
    after_rename: &mut dyn FnMut(&Path),
) -> RemoveResult {
    let Some(&(_, identity)) = plan.identities.iter().find(|(f, _)| *f == v.folder) else {
        return skip(SkipReason::FolderChanged);
    };
    let dir_path = match v.folder {
        Folder::Sso => &plan.sso_dir,
        Folder::Cli => &plan.cli_dir,
    };
    // Only entries directly inside the two folders, ever.
    if v.os_name.is_empty() || v.os_name.as_bytes().contains(&b'/') {
        return skip(SkipReason::NotDirectlyInside);
    }
    let dir = match open_folder(dir_path) {
        Ok(dir) if dir.identity == identity => dir,
        _ => return skip(SkipReason::FolderChanged),
    };
    let name = v.os_name.as_os_str();
    if let Err(skipped) = still_as_planned(&dir, name, name, v, now) {
        return skipped;
    }
    let private = match move_aside(&dir, name) {
        Ok(private) => private,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return skip(SkipReason::Gone),
        Err(e) => {
            return RemoveResult::Failed {
                error: RemoveError::Io(e.to_string()),
            }
        }
    };
    after_rename(&dir_path.join(&private));
    if still_as_planned(&dir, &private, name, v, now).is_ok() {
        return match dir.unlink(&private) {
            Ok(()) => RemoveResult::Removed,
            Err(e) => RemoveResult::Failed {
                error: match put_back(&dir, &private, name) {
                    Ok(()) => RemoveError::Io(e.to_string()),
                    Err(kept) => RemoveError::NotPutBack {
                        error: e.to_string(),
                        kept,
                    },
                },
            },
        };
    }
    match put_back(&dir, &private, name) {
        Ok(()) => skip(SkipReason::RewrittenPutBack),
        Err(kept) => skip(SkipReason::RewrittenKept(kept)),
    }
}

/// `Ok` when `opened` (the entry now at that name) is still stale with the
/// bytes and metadata `v` was judged on; the skip to report otherwise.
fn still_as_planned(
    dir: &NoFollowDir,
    opened: &OsStr,
    name: &OsStr,
    v: &CacheFileVerdict,
    now: DateTime<Utc>,
) -> Result<(), RemoveResult> {
    let (decision, fingerprint) = judge(dir, opened, name, v.folder, v.owner_known, now);
    match decision {
        Decision::Keep {
            reason: KeepReason::Gone,
        } => Err(skip(SkipReason::Gone)),
        Decision::Keep { reason } => Err(skip(SkipReason::NoLongerStale(reason))),
        Decision::Stale { .. } if fingerprint.is_none() || fingerprint != v.fingerprint => {
            Err(skip(SkipReason::ChangedSinceListed))
        }
        Decision::Stale { .. } => Ok(()),
    }
}

/// Renames `name` to a fresh private name of this process, never replacing
/// an entry; returns that name.
fn move_aside(dir: &NoFollowDir, name: &OsStr) -> std::io::Result<OsString> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut last = None;
    for _ in 0..8 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let private = OsString::from(format!(
            "{REMOVING_PREFIX}{}-{nanos:08x}{n}",
            std::process::id()
        ));
        match dir.rename_noreplace(name, &private) {
            Ok(()) => return Ok(private),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::ErrorKind::AlreadyExists.into()))
}

/// Why a file set aside could not go back to its name; `aside` is the
/// private name it is kept under (lossy UTF-8), so a person can find it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PutBackError {
    #[error("a newer file took its name, so the older one is kept as {aside}")]
    NameTaken { aside: String },
    /// `error` is the system's, as it worded it (kept as text so outcomes compare).
    #[error("could not be put back ({error}): it is kept as {aside}")]
    Io { aside: String, error: String },
}

/// Renames `private` back to `name`, unless a newer file took that name
/// meanwhile: then both are kept, and the error says where the older is.
fn put_back(dir: &NoFollowDir, private: &OsStr, name: &OsStr) -> Result<(), PutBackError> {
    let aside = private.to_string_lossy().into_owned();
    match dir.rename_noreplace(private, name) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(PutBackError::NameTaken { aside })
        }
        Err(e) => Err(PutBackError::Io {
            aside,
            error: e.to_string(),
        }),
    }
}

/// Reads the entry `opened` of `dir` (links never followed, FIFOs never
/// waited on, nothing over the cap read) and decides as for `name`.
fn judge(
    dir: &NoFollowDir,
    opened: &OsStr,
    name: &OsStr,
    folder: Folder,
    owner_known: bool,
    now: DateTime<Utc>,
) -> (Decision, Option<Fingerprint>) {
    let facts = match dir.stat(opened) {
        Ok(facts) => facts,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return (Decision::keep(KeepReason::Gone), None)
        }
        Err(e) => return (Decision::keep(unreadable(&e)), None),
    };
    let name = name.to_string_lossy();
    let staged = is_staged_write(&name);
    let reason = if staged {
        kind_reason(facts.kind)
    } else {
        entry_reason(&name, facts.kind)
    };
    if let Some(reason) = reason {
        return (Decision::keep(reason), None);
    }
    let (read, bytes) = match dir.read_file(opened, MAX_CACHE_FILE_BYTES) {
        Ok(read) => read,
        Err(ReadFailure::NotRegular(kind)) => {
            let reason = kind_reason(kind).unwrap_or(KeepReason::ChangedWhileRead);
            return (Decision::keep(reason), None);
        }
        Err(ReadFailure::TooLarge(len)) => {
            return (Decision::keep(KeepReason::TooLarge { len }), None)
        }
        Err(ReadFailure::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return (Decision::keep(KeepReason::Gone), None)
        }
        Err(ReadFailure::Io(e)) => return (Decision::keep(unreadable(&e)), None),
    };
    if read.identity != facts.identity || read.len != facts.len {
        return (Decision::keep(KeepReason::ChangedWhileRead), None);
    }
    let fingerprint = Fingerprint {
        facts: read,
        sha1: Sha1::digest(&bytes).into(),
    };
    let decision = if staged {
        staged_decision(read.modified, now)
    } else {
        classify(folder, owner_known, &bytes, now)
    };
    (decision, Some(fingerprint))
}

/// A staged write modified at `modified` (seconds, nanoseconds): stale
/// once [`STAGED_ABANDONED_AFTER`] has passed, whatever its bytes. Pure.
pub fn staged_decision(modified: (i64, i64), now: DateTime<Utc>) -> Decision {
    let Some(written) =
        DateTime::from_timestamp(modified.0, modified.1.clamp(0, 999_999_999) as u32)
    else {
        return Decision::keep(KeepReason::StagedWrite {
            age: Duration::zero(),
        });
    };
    let abandoned_at = written + STAGED_ABANDONED_AFTER;
    if now >= abandoned_at {
        Decision::Stale {
            expired_at: abandoned_at,
        }
    } else {
        Decision::keep(KeepReason::StagedWrite { age: now - written })
    }
}

fn unreadable(e: &std::io::Error) -> KeepReason {
    KeepReason::Unreadable {
        error: e.to_string(),
    }
}

fn kind_reason(kind: Kind) -> Option<KeepReason> {
    match kind {
        Kind::Link => Some(KeepReason::Link),
        Kind::Folder => Some(KeepReason::Folder),
        Kind::Other => Some(KeepReason::NotRegular),
        Kind::File => None,
    }
}

/// Reasons to keep an entry without reading it.
fn entry_reason(name: &str, kind: Kind) -> Option<KeepReason> {
    if let Some(reason) = kind_reason(kind) {
        return Some(reason);
    }
    if name.starts_with(REMOVING_PREFIX) {
        // Set aside because it changed while being removed, or left by a
        // clean that was interrupted: someone should look before it goes.
        return Some(KeepReason::SetAside);
    }
    if !name.ends_with(".json") {
        return Some(KeepReason::NotJsonName);
    }
    None
}

/// The verdict on a regular `.json` file's bytes at `now`. Pure.
/// `owner_known`: the file is one whose rules awsp knows (a configured
/// sso-session's or start URL's token, or `botocore-client-id-REGION.json`);
/// an expired token of anyone else that can renew itself is kept.
pub fn classify(folder: Folder, owner_known: bool, bytes: &[u8], now: DateTime<Utc>) -> Decision {
    let Ok(json) = serde_json::from_slice::<Json>(bytes) else {
        return Decision::keep(KeepReason::NotJson);
    };
    match folder {
        Folder::Sso => classify_sso(&json, owner_known, now),
        Folder::Cli => classify_credentials(&json, now),
    }
}

fn time_of(obj: &serde_json::Map<String, Json>, key: &str) -> Option<DateTime<Utc>> {
    obj.get(key)
        .and_then(Json::as_str)
        .and_then(dateutil::parse)
}

fn classify_sso(json: &Json, owner_known: bool, now: DateTime<Utc>) -> Decision {
    let Some(obj) = json.as_object() else {
        return Decision::keep(KeepReason::UnknownShape);
    };
    if obj.contains_key("accessToken") {
        let decision = classify_token(json, now);
        let renews_itself = ["refreshToken", "clientId", "clientSecret"]
            .iter()
            .any(|key| obj.contains_key(*key));
        if decision.is_stale() && !owner_known && renews_itself {
            return Decision::keep(KeepReason::AnotherTool);
        }
        return decision;
    }
    if obj.contains_key("clientId") && obj.contains_key("clientSecret") {
        return match time_of(obj, "expiresAt") {
            None => Decision::keep(KeepReason::RegistrationWithoutExpiry),
            Some(at) if at > now => {
                Decision::keep(KeepReason::RegistrationValid { left: at - now })
            }
            Some(at) => Decision::Stale { expired_at: at },
        };
    }
    Decision::keep(KeepReason::UnknownShape)
}

/// An SSO token file by today's rules: stale once expired and not refreshable.
fn classify_token(json: &Json, now: DateTime<Utc>) -> Decision {
    // The same reading of the token as the picker's statuses.
    let Content::Token(TokenFacts {
        expires_at,
        refresh,
    }) = token_content(json)
    else {
        return Decision::keep(KeepReason::TokenWithoutExpiry);
    };
    if expires_at > now {
        return Decision::keep(KeepReason::TokenValid {
            left: expires_at - now,
        });
    }
    match refresh {
        Refresh::Until(reg) if reg > now => {
            Decision::keep(KeepReason::Refreshable { left: reg - now })
        }
        Refresh::Broken => Decision::keep(KeepReason::UnusableRegistrationExpiry),
        Refresh::Until(_) | Refresh::Impossible => Decision::Stale {
            expired_at: expires_at,
        },
    }
}

fn classify_credentials(json: &Json, now: DateTime<Utc>) -> Decision {
    let expiration = match credentials_content(json) {
        Content::Credentials { expires_at } => Some(expires_at),
        _ => None,
    };
    match expiration {
        None => Decision::keep(KeepReason::CredentialsWithoutExpiry),
        Some(at) if at > now => Decision::keep(KeepReason::CredentialsValid { left: at - now }),
        Some(at) => Decision::Stale { expired_at: at },
    }
}

/// Who uses which cache file, from the configuration.
struct Owners {
    tokens: HashMap<String, Vec<Owner>>,
    credentials: HashMap<String, Vec<Owner>>,
}

impl Owners {
    fn of(snap: &Snapshot) -> Owners {
        let mut tokens: HashMap<String, Vec<Owner>> = HashMap::new();
        let mut credentials: HashMap<String, Vec<String>> = HashMap::new();
        for s in &snap.sessions {
            if let Some(file) = &s.token.file {
                let name = &snap.session(s).name;
                tokens
                    .entry(file.clone())
                    .or_default()
                    .push(Owner::Session(name.clone()));
            }
        }
        let mut legacy: HashMap<String, (String, Vec<String>)> = HashMap::new();
        for p in &snap.profiles {
            let profile = snap.profile(p);
            if let Some(token) = &p.token {
                let uses_session = ini::has(&profile.settings, "sso_session");
                if let (Some(file), TokenUse::Legacy, false) =
                    (&token.file, token.use_, uses_session)
                {
                    let url = ini::get_str(&profile.settings, "sso_start_url").unwrap_or("");
                    legacy
                        .entry(file.clone())
                        .or_insert_with(|| (url.to_string(), Vec::new()))
                        .1
                        .push(profile.name.clone());
                }
            }
            if let Some(file) = &p.role_cache {
                credentials
                    .entry(file.clone())
                    .or_default()
                    .push(profile.name.clone());
            }
        }
        for (file, (url, profiles)) in legacy {
            tokens
                .entry(file)
                .or_default()
                .push(Owner::LegacyStartUrl { url, profiles });
        }
        let credentials = credentials
            .into_iter()
            .map(|(file, profiles)| (file, vec![Owner::Profiles(profiles)]))
            .collect();
        Owners {
            tokens,
            credentials,
        }
    }

    /// Whether awsp knows the rules of the file's owner: a configured
    /// sso-session's or start URL's token, botocore's own client
    /// registration, or (in `cli/cache`) role credentials, which no one
    /// can renew in place.
    fn knows(&self, folder: Folder, name: &str) -> bool {
        match folder {
            Folder::Sso => self.tokens.contains_key(name) || botocore_registration(name).is_some(),
            Folder::Cli => true,
        }
    }

    fn owner(&self, folder: Folder, name: &str) -> Vec<Owner> {
        if is_staged_write(name) {
            return vec![Owner::StagedWrite];
        }
        let map = match folder {
            Folder::Sso => &self.tokens,
            Folder::Cli => &self.credentials,
        };
        if let Some(owners) = map.get(name) {
            return owners.clone();
        }
        if folder == Folder::Sso {
            if let Some(region) = botocore_registration(name) {
                return vec![Owner::Registration {
                    region: region.to_string(),
                }];
            }
        }
        Vec::new()
    }
}

/// The region of `botocore-client-id-REGION.json`, the registration file
/// of legacy (start-URL) profiles.
fn botocore_registration(name: &str) -> Option<&str> {
    name.strip_prefix("botocore-client-id-")
        .and_then(|r| r.strip_suffix(".json"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap()
    }

    fn at(d: Duration) -> String {
        dateutil::format(&(now() + d))
    }

    fn sso(json: String) -> Decision {
        classify(Folder::Sso, true, json.as_bytes(), now())
    }

    fn stale(d: &Decision) -> bool {
        d.is_stale()
    }

    #[test]
    fn staged_writes_go_once_abandoned() {
        let secs = |d: Duration| {
            let t = now() - d;
            (t.timestamp(), i64::from(t.timestamp_subsec_nanos()))
        };
        assert!(is_staged_write(".awsp-Ab3xYz.tmp"));
        for other in [".awsp-removing-1-2", "awsp-x.tmp", ".awsp-x.json", "x.tmp"] {
            assert!(!is_staged_write(other), "{other}");
        }
        let old = staged_decision(secs(Duration::minutes(11)), now());
        assert_eq!(
            old,
            Decision::Stale {
                expired_at: now() - Duration::minutes(1)
            }
        );
        assert!(staged_decision(secs(STAGED_ABANDONED_AFTER), now()).is_stale());
        assert_eq!(
            staged_decision(secs(Duration::minutes(2)), now()),
            Decision::keep(KeepReason::StagedWrite {
                age: Duration::minutes(2)
            })
        );
        // A clock set back (written "in the future") is in progress.
        assert!(!staged_decision(secs(-Duration::hours(1)), now()).is_stale());
    }

    #[test]
    fn tokens() {
        let day = Duration::days(1);
        let plain = |exp| format!(r#"{{"accessToken":"t","expiresAt":"{}"}}"#, at(exp));
        assert!(stale(&sso(plain(-day))));
        assert!(!stale(&sso(plain(day))));
        assert!(
            stale(&sso(plain(Duration::zero()))),
            "expiresAt == now has passed"
        );
        let refreshable = |reg| {
            format!(
                r#"{{"accessToken":"t","expiresAt":"{}","refreshToken":"r","clientId":"c","clientSecret":"s","registrationExpiresAt":"{}"}}"#,
                at(-day),
                reg
            )
        };
        assert!(!stale(&sso(refreshable(at(day)))));
        assert!(stale(&sso(refreshable(at(-day)))));
        assert!(!stale(&sso(refreshable("soon".into()))));
        let no_refresh_token = refreshable(at(day)).replace(r#""refreshToken":"r","#, "");
        assert!(stale(&sso(no_refresh_token)));
        for keep in [
            r#"{"accessToken":"t","expiresAt":"2000-01-01T00:00:00"}"#,
            r#"{"accessToken":"t","expiresAt":5}"#,
            r#"{"accessToken":"t"}"#,
            r#"["accessToken","expiresAt"]"#,
            r#"{"startUrl":"x","expiresAt":"2000-01-01T00:00:00Z"}"#,
            "{\"accessToken\":\"t\",\"expiresAt\":\"2000-01-01T00:00:00Z\"",
            "",
        ] {
            assert!(!stale(&sso(keep.into())), "{keep}");
        }
    }

    #[test]
    fn registrations_and_credentials() {
        let reg = |d| {
            format!(
                r#"{{"clientId":"c","clientSecret":"s","expiresAt":"{}"}}"#,
                at(d)
            )
        };
        assert!(stale(&sso(reg(-Duration::days(10)))));
        assert!(!stale(&sso(reg(Duration::days(10)))));
        let creds = |d| format!(r#"{{"Credentials":{{"Expiration":"{}"}}}}"#, at(d)).into_bytes();
        assert!(stale(&classify(
            Folder::Cli,
            true,
            &creds(-Duration::hours(1)),
            now()
        )));
        // Inside botocore's 15-minute window but not yet passed: kept.
        assert!(!stale(&classify(
            Folder::Cli,
            true,
            &creds(Duration::minutes(5)),
            now()
        )));
        assert!(!stale(&classify(
            Folder::Cli,
            true,
            b"{\"Credentials\":{}}",
            now()
        )));
        // A token in the credentials folder is not credentials.
        assert!(!stale(&classify(
            Folder::Cli,
            true,
            format!(
                r#"{{"accessToken":"t","expiresAt":"{}"}}"#,
                at(-Duration::days(1))
            )
            .as_bytes(),
            now()
        )));
    }

    #[test]
    fn other_tools_tokens_that_renew_themselves_are_kept() {
        let day = Duration::days(1);
        let unowned = |json: &str| classify(Folder::Sso, false, json.as_bytes(), now());
        let expired = at(-Duration::minutes(20));
        for renews in [
            format!(r#"{{"accessToken":"t","expiresAt":"{expired}","refreshToken":"r"}}"#),
            format!(
                r#"{{"accessToken":"t","expiresAt":"{expired}","clientId":"c","clientSecret":"s"}}"#
            ),
            format!(
                r#"{{"accessToken":"t","expiresAt":"{expired}","refreshToken":"r","clientId":"c","clientSecret":"s","registrationExpiresAt":"{}"}}"#,
                at(-day)
            ),
        ] {
            assert_eq!(
                unowned(&renews),
                Decision::keep(KeepReason::AnotherTool),
                "{renews}"
            );
            // A configured session's file keeps today's rule.
            assert!(stale(&sso(renews.clone())), "{renews}");
        }
        let plain = format!(r#"{{"accessToken":"t","expiresAt":"{expired}"}}"#);
        assert!(stale(&unowned(&plain)), "nothing to renew it from");
        let registration = format!(
            r#"{{"clientId":"c","clientSecret":"s","expiresAt":"{}"}}"#,
            at(-day)
        );
        assert!(
            stale(&unowned(&registration)),
            "a dead registration is dead for all"
        );
    }

    #[test]
    fn only_the_components_from_the_aws_folder_down_are_checked() {
        let (base, below) = split_checked(Path::new("/home/u/.aws/sso/cache")).unwrap();
        assert_eq!(base, Path::new("/home/u"));
        assert_eq!(below, [".aws", "sso", "cache"]);
        assert!(split_checked(Path::new("/a/b")).is_none());
        assert!(split_checked(Path::new("/x/../b/c")).is_none());
    }
}
