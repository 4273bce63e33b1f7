//! Which files in the two cache folders are provably stale, and their safe
//! removal. IO is confined to [`scan`] (one listing per folder, one read per
//! file) and [`remove`]; the decision itself ([`classify`]) is pure.
//!
//! Stale means only: an SSO token that has expired and cannot be refreshed,
//! a client registration that has expired, or role credentials that have
//! expired. Everything else is kept with a reason: a file that is not JSON
//! may be half-written by a running `aws`, a symlink is never followed, and
//! nothing outside the two folders is ever touched.

use std::collections::HashMap;
use std::fs::{FileType, Metadata};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde_json::Value as Json;
use sha1::{Digest, Sha1};

use super::cache::{credentials_content, token_content, Content, Refresh, TokenFacts, TokenUse};
use super::ini;
use super::snapshot::Snapshot;
use super::timestamp;

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
    Keep { reason: String },
}

impl Decision {
    fn keep(reason: impl Into<String>) -> Decision {
        Decision::Keep {
            reason: reason.into(),
        }
    }

    pub fn is_stale(&self) -> bool {
        matches!(self, Decision::Stale { .. })
    }
}

/// What the file looked like when it was judged; removal needs it unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Fingerprint {
    len: u64,
    modified: Option<std::time::SystemTime>,
    sha1: [u8; 20],
}

/// One entry of a cache folder and the verdict on it.
#[derive(Clone, Debug)]
pub struct CacheFileVerdict {
    pub path: PathBuf,
    /// The entry's name (lossy UTF-8 for display).
    pub name: String,
    pub folder: Folder,
    /// What it belongs to: `sso-session acme`, `profile prod-read`,
    /// `legacy start URL https://...`, or `no configured profile`.
    pub owner: String,
    pub decision: Decision,
    fingerprint: Option<Fingerprint>,
}

/// Everything found in both folders, stale and kept, sorted by folder and name.
#[derive(Clone, Debug, Default)]
pub struct CleanPlan {
    pub verdicts: Vec<CacheFileVerdict>,
    /// Folder-level remarks (a folder that cannot be listed or is a symlink).
    pub notes: Vec<String>,
    sso_dir: PathBuf,
    cli_dir: PathBuf,
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

/// What became of one stale entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RemoveResult {
    Removed,
    /// Re-checked just before removal and left alone.
    Skipped {
        reason: String,
    },
    /// The removal itself failed (e.g. permission denied).
    Failed {
        error: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoveOutcome {
    pub path: PathBuf,
    pub name: String,
    pub folder: Folder,
    pub result: RemoveResult,
}

/// Lists both cache folders of `snap` (never following links) and judges
/// every entry at `now`.
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
        match std::fs::symlink_metadata(dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                plan.notes
                    .push(format!("{}: cannot be read: {e}", dir.display()));
                continue;
            }
            Ok(m) if m.file_type().is_symlink() => {
                plan.notes.push(format!(
                    "{}: is a symbolic link; awsp never removes anything reached through one",
                    dir.display()
                ));
                continue;
            }
            Ok(m) if !m.is_dir() => {
                plan.notes
                    .push(format!("{}: is not a folder", dir.display()));
                continue;
            }
            Ok(_) => {}
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                plan.notes
                    .push(format!("{}: cannot be listed: {e}", dir.display()));
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let (decision, fingerprint) = judge(folder, &path, now);
            let owner = owners.owner(folder, &name);
            plan.verdicts.push(CacheFileVerdict {
                path,
                name,
                folder,
                owner,
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
    plan.stale()
        .map(|v| RemoveOutcome {
            path: v.path.clone(),
            name: v.name.clone(),
            folder: v.folder,
            result: remove_one(plan, v, now),
        })
        .collect()
}

fn remove_one(plan: &CleanPlan, v: &CacheFileVerdict, now: DateTime<Utc>) -> RemoveResult {
    let skip = |reason: &str| RemoveResult::Skipped {
        reason: reason.to_string(),
    };
    let dir = match v.folder {
        Folder::Sso => &plan.sso_dir,
        Folder::Cli => &plan.cli_dir,
    };
    // Only entries directly inside the two folders, ever.
    if v.path.parent() != Some(dir.as_path())
        || v.path.file_name().is_none()
        || dir.as_os_str().is_empty()
    {
        return skip("not directly inside the cache folder");
    }
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => {}
        _ => return skip("the cache folder changed"),
    }
    let (decision, fingerprint) = judge(v.folder, &v.path, now);
    if !decision.is_stale() {
        return match decision {
            Decision::Keep { reason } if reason == GONE => RemoveResult::Skipped { reason },
            Decision::Keep { reason } => RemoveResult::Skipped {
                reason: format!("no longer stale: {reason}"),
            },
            Decision::Stale { .. } => unreachable!(),
        };
    }
    if fingerprint.is_none() || fingerprint != v.fingerprint {
        return skip("changed since it was listed");
    }
    match std::fs::remove_file(&v.path) {
        Ok(()) => RemoveResult::Removed,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => skip(GONE),
        Err(e) => RemoveResult::Failed {
            error: e.to_string(),
        },
    }
}

/// The reason for an entry that vanished before it was judged.
const GONE: &str = "already gone";

/// Reads one entry (without following a link) and decides.
fn judge(folder: Folder, path: &Path, now: DateTime<Utc>) -> (Decision, Option<Fingerprint>) {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Decision::keep(GONE), None),
        Err(e) => return (Decision::keep(format!("cannot be read: {e}")), None),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(reason) = entry_reason(&name, meta.file_type()) {
        return (Decision::keep(reason), None);
    }
    let bytes = match read_regular(path, &meta) {
        Ok(b) => b,
        Err(reason) => return (Decision::keep(reason), None),
    };
    let fingerprint = Fingerprint {
        len: meta.len(),
        modified: meta.modified().ok(),
        sha1: Sha1::digest(&bytes).into(),
    };
    (classify(folder, &bytes, now), Some(fingerprint))
}

/// Reads a regular file, refusing one that was swapped for a link meanwhile.
fn read_regular(path: &Path, before: &Metadata) -> Result<Vec<u8>, String> {
    use std::io::Read;
    #[cfg(unix)]
    let file = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(path)
    };
    #[cfg(not(unix))]
    let file = std::fs::File::open(path);
    let mut file = file.map_err(|e| format!("cannot be read: {e}"))?;
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot be read: {e}"))?;
    if !meta.is_file() || meta.len() != before.len() {
        return Err("changed while being read".into());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.read_to_end(&mut bytes)
        .map_err(|e| format!("cannot be read: {e}"))?;
    Ok(bytes)
}

/// Reasons to keep an entry without reading it.
fn entry_reason(name: &str, file_type: FileType) -> Option<&'static str> {
    if file_type.is_symlink() {
        return Some("symbolic link: never followed or removed");
    }
    if file_type.is_dir() {
        return Some("a folder, not a file");
    }
    if !file_type.is_file() {
        return Some("not a regular file");
    }
    if !name.ends_with(".json") {
        return Some("not a .json file");
    }
    None
}

/// The verdict on a regular `.json` file's bytes at `now`. Pure.
pub fn classify(folder: Folder, bytes: &[u8], now: DateTime<Utc>) -> Decision {
    let Ok(json) = serde_json::from_slice::<Json>(bytes) else {
        return Decision::keep("not JSON: may be half-written by a running aws");
    };
    match folder {
        Folder::Sso => classify_sso(&json, now),
        Folder::Cli => classify_credentials(&json, now),
    }
}

fn time_of(obj: &serde_json::Map<String, Json>, key: &str) -> Option<DateTime<Utc>> {
    obj.get(key)
        .and_then(Json::as_str)
        .and_then(timestamp::parse)
}

/// `6h12m` from `now` to `at`.
fn left(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    crate::human::short_duration(at - now)
}

fn classify_sso(json: &Json, now: DateTime<Utc>) -> Decision {
    let Some(obj) = json.as_object() else {
        return Decision::keep("JSON of an unknown shape");
    };
    if obj.contains_key("accessToken") {
        // The same reading of the token as the picker's statuses.
        let Content::Token(TokenFacts {
            expires_at,
            refresh,
        }) = token_content(json)
        else {
            return Decision::keep("token without a usable expiresAt");
        };
        if expires_at > now {
            return Decision::keep(format!("token valid for {}", left(expires_at, now)));
        }
        return match refresh {
            Refresh::Until(reg) if reg > now => {
                Decision::keep(format!("expired token, refreshable for {}", left(reg, now)))
            }
            Refresh::Broken => {
                Decision::keep("expired token with an unusable registrationExpiresAt")
            }
            Refresh::Until(_) | Refresh::Impossible => Decision::Stale {
                expired_at: expires_at,
            },
        };
    }
    if obj.contains_key("clientId") && obj.contains_key("clientSecret") {
        return match time_of(obj, "expiresAt") {
            None => Decision::keep("client registration without a usable expiresAt"),
            Some(at) if at > now => {
                Decision::keep(format!("client registration valid for {}", left(at, now)))
            }
            Some(at) => Decision::Stale { expired_at: at },
        };
    }
    Decision::keep("JSON of an unknown shape")
}

fn classify_credentials(json: &Json, now: DateTime<Utc>) -> Decision {
    let expiration = match credentials_content(json) {
        Content::Credentials { expires_at } => Some(expires_at),
        _ => None,
    };
    match expiration {
        None => Decision::keep("no usable Credentials.Expiration"),
        Some(at) if at > now => Decision::keep(format!("credentials valid for {}", left(at, now))),
        Some(at) => Decision::Stale { expired_at: at },
    }
}

/// Who uses which cache file, from the configuration.
struct Owners {
    tokens: HashMap<String, Vec<String>>,
    credentials: HashMap<String, Vec<String>>,
}

impl Owners {
    fn of(snap: &Snapshot) -> Owners {
        let mut tokens: HashMap<String, Vec<String>> = HashMap::new();
        let mut credentials: HashMap<String, Vec<String>> = HashMap::new();
        for s in &snap.sessions {
            if let Some(file) = &s.token.file {
                let name = &snap.session(s).name;
                tokens
                    .entry(file.clone())
                    .or_default()
                    .push(format!("sso-session {name}"));
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
            tokens.entry(file).or_default().push(format!(
                "legacy start URL {url} ({})",
                profile_list(&profiles)
            ));
        }
        let credentials = credentials
            .into_iter()
            .map(|(file, profiles)| (file, vec![profile_list(&profiles)]))
            .collect();
        Owners {
            tokens,
            credentials,
        }
    }

    fn owner(&self, folder: Folder, name: &str) -> String {
        let map = match folder {
            Folder::Sso => &self.tokens,
            Folder::Cli => &self.credentials,
        };
        if let Some(owners) = map.get(name) {
            return owners.join("; ");
        }
        if folder == Folder::Sso {
            if let Some(region) = name
                .strip_prefix("botocore-client-id-")
                .and_then(|r| r.strip_suffix(".json"))
            {
                return format!("client registration for {region}");
            }
        }
        "no configured profile".into()
    }
}

fn profile_list(profiles: &[String]) -> String {
    let word = if profiles.len() == 1 {
        "profile"
    } else {
        "profiles"
    };
    format!("{word} {}", profiles.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap()
    }

    fn at(d: Duration) -> String {
        timestamp::format(&(now() + d))
    }

    fn sso(json: String) -> Decision {
        classify(Folder::Sso, json.as_bytes(), now())
    }

    fn stale(d: &Decision) -> bool {
        d.is_stale()
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
            &creds(-Duration::hours(1)),
            now()
        )));
        // Inside botocore's 15-minute window but not yet passed: kept.
        assert!(!stale(&classify(
            Folder::Cli,
            &creds(Duration::minutes(5)),
            now()
        )));
        assert!(!stale(&classify(
            Folder::Cli,
            b"{\"Credentials\":{}}",
            now()
        )));
        // A token in the credentials folder is not credentials.
        assert!(!stale(&classify(
            Folder::Cli,
            format!(
                r#"{{"accessToken":"t","expiresAt":"{}"}}"#,
                at(-Duration::days(1))
            )
            .as_bytes(),
            now()
        )));
    }
}
