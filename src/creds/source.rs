//! Which credentials a profile gets, in the issue's order: a valid cached
//! file; GetRoleCredentials for an SSO profile with a usable token (and the
//! cache file written); `aws configure export-credentials` for the rest.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::{DateTime, Utc};
use serde_json::Value as Json;

use super::cache_write::{cache_text, write_cache_file};
use super::{Credentials, Origin};
use crate::aws::cache::{read_token_and_secret, Content, Status, REFRESH_WINDOW_SECS};
use crate::aws::config::{Config, FileError};
use crate::aws::ini;
use crate::aws::paths::AwsPaths;
use crate::aws::py::{dateutil, json_load};
use crate::aws::resolve::Kind;
use crate::aws::snapshot::{profile_info_by_name, ProfileInfo};
use crate::aws::MAX_CACHE_FILE_BYTES;
use crate::home::history::read_regular_file;
use crate::output::human::printable;
use crate::portal::{self, AccessToken, ConfigEndpoint, Endpoint, NetOpts, PortalError};
use crate::shell::quote::quote_posix;

/// Credentials and what else the commands need to know about the profile.
#[derive(Debug)]
pub struct Resolved {
    pub creds: Credentials,
    pub origin: Origin,
    /// The profile's `region`, if it has one.
    pub region: Option<String>,
    /// The cache file written (credentials from the portal).
    pub written: Option<PathBuf>,
    /// Something that went wrong without costing the credentials (the
    /// cache file could not be written), for stderr.
    pub warning: Option<String>,
}

/// Why no credentials (or none in the format asked). No message holds a
/// secret, a token or a key.
#[derive(Debug, thiserror::Error)]
pub enum CredsError {
    #[error(transparent)]
    Config(#[from] FileError),
    #[error("no profile named {0} in the config or credentials file (see `awsp list`)")]
    UnknownProfile(String),
    #[error("profile {profile}: {problem}")]
    Problem { profile: String, problem: String },
    /// The SSO token must be renewed by a login.
    #[error("profile {profile}: {what}: run `awsp login {login}` (or add --login)")]
    NeedsLogin {
        profile: String,
        what: String,
        login: String,
    },
    #[error("profile {profile}: GetRoleCredentials: {error}")]
    Portal { profile: String, error: PortalError },
    #[error("profile {profile} ({kind} credentials) needs the AWS CLI v2 (2.9 or later), and no `aws` is on PATH")]
    AwsMissing { profile: String, kind: &'static str },
    #[error("the AWS CLI at {aws} is version {version}: `aws configure export-credentials` needs 2.9 or later")]
    AwsTooOld { aws: String, version: String },
    #[error(
        "`aws configure export-credentials --profile {profile}` failed (exit {code}): {detail}"
    )]
    AwsFailed {
        profile: String,
        code: String,
        detail: String,
    },
    #[error("`aws configure export-credentials --profile {profile}` printed no credentials JSON")]
    AwsBadOutput { profile: String },
    /// `--format dotenv` has no quoting: a value is the rest of its line.
    #[error("a credential holds a line break: no dotenv file can carry it")]
    DotenvLineBreak,
}

impl CredsError {
    /// The profile (shown) whose session `awsp login` would renew, when a
    /// login helps.
    pub fn login_target(&self) -> Option<&str> {
        match self {
            CredsError::NeedsLogin { profile, .. } => Some(profile),
            _ => None,
        }
    }
}

/// Shown names are made safe for the terminal (a profile name is user text).
fn shown(name: &str) -> String {
    printable(name).into_owned()
}

/// The files read for `profile` alone, and its resolution: an unknown
/// profile, or one with a problem, is an error (what `creds`, `exec` and
/// `console` check before anything else).
pub fn usable_profile(
    paths: &AwsPaths,
    profile: &str,
) -> Result<(Config, ProfileInfo), CredsError> {
    let config = Config::load_for_profile(&paths.config, &paths.credentials, profile)?;
    let info = profile_info_by_name(&config, profile)
        .ok_or_else(|| CredsError::UnknownProfile(shown(profile)))?;
    if let Some(problem) = &info.problem {
        return Err(CredsError::Problem {
            profile: shown(profile),
            // It quotes names and values from the files.
            problem: shown(problem),
        });
    }
    Ok((config, info))
}

/// The profile's `region`, if set and not empty.
pub fn region_of(config: &Config, info: &ProfileInfo) -> Option<String> {
    ini::get_str(&config.profiles[info.index].settings, "region")
        .filter(|r| !r.is_empty())
        .map(str::to_string)
}

/// Credentials for `profile` at `now`, reading the files `paths` names.
pub fn resolve(
    paths: &AwsPaths,
    profile: &str,
    now: DateTime<Utc>,
) -> Result<Resolved, CredsError> {
    let (config, info) = usable_profile(paths, profile)?;
    resolve_usable(paths, &config, &info, profile, now)
}

/// [`resolve`] for a profile [`usable_profile`] has already read.
pub fn resolve_usable(
    paths: &AwsPaths,
    config: &Config,
    info: &ProfileInfo,
    profile: &str,
    now: DateTime<Utc>,
) -> Result<Resolved, CredsError> {
    let region = region_of(config, info);
    if let Some(creds) = info
        .role_cache
        .as_deref()
        .and_then(|file| cached(&paths.cli_cache.join(file), now))
    {
        return Ok(Resolved {
            creds,
            origin: Origin::Cache,
            region,
            written: None,
            warning: None,
        });
    }
    if matches!(info.kind, Kind::Sso | Kind::SsoLegacy) {
        if let Some(resolved) = from_portal(paths, config, info, profile, now)? {
            return Ok(Resolved { region, ..resolved });
        }
    }
    let creds = from_aws_cli(profile, info.kind)?;
    Ok(Resolved {
        creds,
        origin: Origin::AwsCli,
        region,
        written: None,
        warning: None,
    })
}

/// The credentials of a cache file the CLI would use as they are (more
/// than the refresh window left, botocore's reading of `Expiration`).
fn cached(path: &Path, now: DateTime<Utc>) -> Option<Credentials> {
    let bytes = read_regular_file(path, MAX_CACHE_FILE_BYTES)?;
    let c = json_load::credentials_and_secrets(&bytes).ok()??;
    let expires = c.expiration?;
    if (expires - now).num_milliseconds() < REFRESH_WINDOW_SECS * 1000 {
        return None;
    }
    Some(Credentials {
        access_key_id: c.access_key_id?,
        secret_access_key: c.secret_access_key?,
        session_token: c.session_token,
        expiration: Some(expires),
    })
}

/// GetRoleCredentials with the profile's cached token. `Ok(None)`: the
/// token needs a refresh the AWS CLI can do (it is then asked instead).
fn from_portal(
    paths: &AwsPaths,
    config: &Config,
    info: &ProfileInfo,
    profile: &str,
    now: DateTime<Utc>,
) -> Result<Option<Resolved>, CredsError> {
    let p = &config.profiles[info.index];
    let session = ini::get_str(&p.settings, "sso_session").and_then(|n| config.sso_session(n));
    let setting = |key: &str| {
        ini::get_str(&p.settings, key)
            .or_else(|| session.and_then(|s| ini::get_str(&s.settings, key)))
            .map(str::to_string)
    };
    // `awsp login` takes a session name or a profile name.
    let login = super::format::bare_or(session.map_or(profile, |s| s.name.as_str()), quote_posix);
    let needs_login = |what: String| CredsError::NeedsLogin {
        profile: shown(profile),
        what,
        login: login.clone(),
    };
    let (Some(token_ref), Some(account), Some(role), Some(region)) = (
        info.token.as_ref(),
        info.account_id.as_deref(),
        info.role_name.as_deref(),
        setting("sso_region"),
    ) else {
        return Ok(None);
    };
    let Some(file) = &token_ref.file else {
        return Ok(None);
    };
    let (content, secret) = read_token_and_secret(&paths.sso_cache, file);
    if content == Content::Missing {
        return Err(needs_login("no SSO token (not logged in)".into()));
    }
    let expires = content.expires_at();
    match content.token_status(token_ref.use_, now) {
        Status::Valid => {}
        // Refreshable, or in botocore's refresh window: the CLI renews it
        // on its own (awsp never refreshes tokens itself).
        Status::Refreshable => return Ok(None),
        Status::Expired => {
            let when = expires.map_or(String::new(), |t| format!(" at {}", dateutil::format(&t)));
            return Err(needs_login(format!("the SSO token expired{when}")));
        }
        other => {
            return Err(needs_login(format!("the SSO token is {}", other.as_str())));
        }
    }
    let Some(token) = secret else {
        return Err(needs_login("the SSO token file has no accessToken".into()));
    };
    let env = &portal::process_env;
    let portal_error = |error| match error {
        PortalError::Unauthorized => needs_login("the portal refused the SSO token".into()),
        error => CredsError::Portal {
            profile: shown(profile),
            error,
        },
    };
    let file_endpoint = ConfigEndpoint::of_profile(config, p);
    let endpoint = Endpoint::resolve(&region, env, &file_endpoint).map_err(portal_error)?;
    let ca_bundle = setting("ca_bundle").map(PathBuf::from);
    let net = NetOpts::from_env(env, ca_bundle.as_deref());
    let role_creds =
        portal::get_role_credentials(&endpoint, &AccessToken::new(token), &net, account, role)
            .map_err(portal_error)?;
    let expiration = DateTime::from_timestamp(role_creds.expiration_ms.div_euclid(1000), 0);
    let (mut written, mut warning) = (None, None);
    match (info.role_cache.as_deref(), cache_text(&role_creds, account)) {
        (Some(name), Some(text)) => match write_cache_file(&paths.cli_cache, name, &text) {
            Ok(path) => written = Some(path),
            Err(e) => {
                warning = Some(format!(
                    "could not write {}: {e}",
                    paths.cli_cache.join(name).display()
                ))
            }
        },
        _ => warning = Some("the portal's credentials have no usable expiry: not cached".into()),
    }
    Ok(Some(Resolved {
        creds: Credentials {
            access_key_id: role_creds.access_key_id,
            secret_access_key: role_creds.secret_access_key,
            session_token: Some(role_creds.session_token),
            expiration,
        },
        origin: Origin::Portal,
        region: None,
        written,
        warning,
    }))
}

/// `aws configure export-credentials --profile P --format process`.
fn from_aws_cli(profile: &str, kind: Kind) -> Result<Credentials, CredsError> {
    let Some(aws) = crate::awscli::find_aws() else {
        return Err(CredsError::AwsMissing {
            profile: shown(profile),
            kind: kind.as_str(),
        });
    };
    let out = Command::new(&aws)
        .args(["configure", "export-credentials", "--profile", profile])
        .args(["--format", "process"])
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .stdout(Stdio::piped())
        .output()
        .map_err(|e| CredsError::AwsFailed {
            profile: shown(profile),
            code: "not run".into(),
            detail: e.to_string(),
        })?;
    if !out.status.success() {
        if let Some(version) = too_old(&aws) {
            return Err(CredsError::AwsTooOld {
                aws: aws.display().to_string(),
                version,
            });
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        let detail = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no message")
            .trim();
        return Err(CredsError::AwsFailed {
            profile: shown(profile),
            code: out
                .status
                .code()
                .map_or("by a signal".into(), |c| c.to_string()),
            detail: printable(detail).into_owned(),
        });
    }
    parse_process_json(&out.stdout).ok_or_else(|| CredsError::AwsBadOutput {
        profile: shown(profile),
    })
}

/// The credential_process document (`Version: 1`).
pub fn parse_process_json(bytes: &[u8]) -> Option<Credentials> {
    let doc: Json = serde_json::from_slice(bytes).ok()?;
    if doc.get("Version").and_then(Json::as_i64) != Some(1) {
        return None;
    }
    let text = |k: &str| doc.get(k).and_then(Json::as_str).map(str::to_string);
    let expiration = match text("Expiration") {
        Some(t) => Some(dateutil::parse(&t)?),
        None => None,
    };
    Some(Credentials {
        access_key_id: text("AccessKeyId")?,
        secret_access_key: text("SecretAccessKey")?,
        session_token: text("SessionToken"),
        expiration,
    })
}

/// The version of `aws` when it is older than 2.9 (no export-credentials).
fn too_old(aws: &Path) -> Option<String> {
    let (major, minor, patch) = crate::awscli::login::cli_version(aws)?;
    ((major, minor) < (2, 9)).then(|| format!("{major}.{minor}.{patch}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn process_json_of_the_cli_parses() {
        let c = parse_process_json(
            br#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "SessionToken": "T", "Expiration": "2026-12-02T15:00:00+00:00"}"#,
        )
        .unwrap();
        assert_eq!(
            c.expiration.unwrap().to_rfc3339(),
            "2026-12-02T15:00:00+00:00"
        );
        assert!(parse_process_json(
            br#"{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "S"}"#
        )
        .is_none());
        let static_keys =
            parse_process_json(br#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S"}"#)
                .unwrap();
        assert!(static_keys.session_token.is_none() && static_keys.expiration.is_none());
    }
}
