//! Everything awsp knows about one AWS home at one moment: the profiles with
//! their credential source, problems and cache files, and the sso-sessions.

use chrono::{DateTime, Utc};

use super::cache::{cache_file_name, CacheDir, Content, Status, TokenUse};
use super::config::{Config, FileError, Profile, SsoSession};
use super::envname::unswitchable_reason;
use super::ini::{self, Value};
use super::paths::AwsPaths;
use super::py::json::{dumps_sorted, py_int, PyJson, Separators};
use super::resolve::{Kind, Resolver};

/// Which SSO token a profile or session uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRef {
    /// The cache file name; `None` when the configuration keeps botocore
    /// from looking one up (`config_error`).
    pub file: Option<String>,
    pub use_: TokenUse,
}

/// A cache entry's state at a moment. The file's name is in the
/// [`TokenRef`] or [`ProfileInfo::role_cache`] it was looked up by: not
/// copied here, as `awsp list` asks for every profile's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheState {
    pub status: Status,
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug)]
pub struct ProfileInfo {
    /// Position in `Config::profiles`.
    pub index: usize,
    pub kind: Kind,
    /// Why the CLI cannot use the profile, or it cannot be switched to.
    pub problem: Option<String>,
    /// Why no environment variable can select the profile (a NUL byte, the
    /// empty name), also part of `problem`; botocore itself has no problem
    /// with such a name.
    pub unswitchable: Option<&'static str>,
    /// Inline strings (no heap) when short, as account ids and role names are.
    pub account_id: Option<ini::Key>,
    pub role_name: Option<ini::Key>,
    pub token: Option<TokenRef>,
    /// Role-credential cache file name.
    pub role_cache: Option<String>,
}

#[derive(Clone, Debug)]
pub struct SessionInfo {
    pub index: usize,
    pub token: TokenRef,
}

#[derive(Debug)]
pub struct Snapshot {
    pub paths: AwsPaths,
    pub config: Config,
    pub tokens: CacheDir,
    pub role_credentials: CacheDir,
    pub profiles: Vec<ProfileInfo>,
    pub sessions: Vec<SessionInfo>,
}

impl Snapshot {
    /// Reads the config files (errors are fatal, as for the CLI) and lists
    /// the cache folders; cache files are read when first asked for.
    pub fn load(paths: &AwsPaths) -> Result<Snapshot, FileError> {
        let config = Config::load(&paths.config, &paths.credentials)?;
        Ok(Snapshot::from_config(paths, config))
    }

    /// Like [`Snapshot::load`], but reads every cache file too: `list`
    /// shows them all. One thread: a second one for the cache files saved
    /// about a millisecond at 10,000 profiles and cost 0.7 ms at 200
    /// (perf stat, README "After the simplification").
    pub fn load_all(paths: &AwsPaths) -> Result<Snapshot, FileError> {
        let snap = Snapshot::load(paths)?;
        snap.tokens.read_all();
        snap.role_credentials.read_all();
        Ok(snap)
    }

    pub fn from_config(paths: &AwsPaths, config: Config) -> Snapshot {
        // Sessions first: profiles copy their session's token reference
        // rather than hash the session name again.
        let sessions = session_infos(&config);
        // One resolver for all: profiles share their source_profile chains.
        let mut resolver = Resolver::new(&config);
        let profiles = config
            .profiles
            .iter()
            .enumerate()
            .map(|(index, p)| profile_info(&config, &mut resolver, &sessions, index, p))
            .collect();
        Snapshot {
            paths: paths.clone(),
            tokens: CacheDir::tokens(&paths.sso_cache),
            role_credentials: CacheDir::credentials(&paths.cli_cache),
            config,
            profiles,
            sessions,
        }
    }

    /// Re-lists both cache folders (after a login or a clean).
    pub fn reread_caches(&mut self) {
        self.tokens.relist();
        self.role_credentials.relist();
    }

    pub fn profile(&self, info: &ProfileInfo) -> &Profile {
        &self.config.profiles[info.index]
    }

    pub fn session(&self, info: &SessionInfo) -> &SsoSession {
        &self.config.sso_sessions[info.index]
    }

    pub fn find_profile(&self, name: &str) -> Option<&ProfileInfo> {
        self.config
            .profile_position(name)
            .map(|i| &self.profiles[i])
    }

    pub fn token_state(&self, token: &TokenRef, now: DateTime<Utc>) -> CacheState {
        match &token.file {
            None => CacheState {
                status: Status::ConfigError,
                expires_at: None,
            },
            Some(file) => {
                let content = self.tokens.get(file);
                CacheState {
                    status: content.token_status(token.use_, now),
                    expires_at: content.token_expires_at(token.use_, now),
                }
            }
        }
    }

    /// The state of the SSO token `info` uses; `None` when it uses none.
    pub fn profile_token_state(
        &self,
        info: &ProfileInfo,
        now: DateTime<Utc>,
    ) -> Option<CacheState> {
        info.token.as_ref().map(|t| self.token_state(t, now))
    }

    /// The state of the role credentials `info` caches; `None` when it caches none.
    pub fn profile_role_state(&self, info: &ProfileInfo, now: DateTime<Utc>) -> Option<CacheState> {
        info.role_cache.as_deref().map(|f| self.role_state(f, now))
    }

    pub fn role_state(&self, file: &str, now: DateTime<Utc>) -> CacheState {
        let content: &Content = self.role_credentials.get(file);
        CacheState {
            status: content.credentials_status(now),
            expires_at: content.expires_at(),
        }
    }
}

fn str_setting<'a>(p: &'a Profile, key: &str) -> Option<&'a str> {
    ini::get_str(&p.settings, key)
}

/// An sso-session's own token: `sha1(name)`, refreshable. The name alone
/// names the file, so a session lacking what `SSOTokenProvider` needs still
/// has one (its profiles carry the problem): `aws sso login` wrote it while
/// the session was complete, and `clean` must know whose it is.
fn session_token(s: &SsoSession) -> TokenRef {
    TokenRef {
        file: Some(cache_file_name(&s.name)),
        use_: if s.name.is_empty() {
            TokenUse::Legacy
        } else {
            TokenUse::Session
        },
    }
}

fn profile_info(
    config: &Config,
    resolver: &mut Resolver,
    sessions: &[SessionInfo],
    index: usize,
    p: &Profile,
) -> ProfileInfo {
    let resolution = resolver.resolve(index);
    let unswitchable = unswitchable_reason(&p.name);
    if p.name.is_empty() {
        // Selecting "" selects `default` (`profile or 'default'`): the row
        // shows what that gives, with the resolver's sentence saying so.
        let mut info = match config.profile_position("default") {
            Some(d) => profile_info(config, resolver, sessions, d, &config.profiles[d]),
            None => ProfileInfo {
                index,
                kind: Kind::None,
                problem: None,
                unswitchable: None,
                account_id: None,
                role_name: None,
                token: None,
                role_cache: None,
            },
        };
        info.index = index;
        info.problem = resolution.problem;
        info.unswitchable = unswitchable;
        return info;
    }
    let session = str_setting(p, "sso_session").and_then(|n| config.sso_session(n));
    // Session values fill in what the profile lacks (they must agree).
    let merged = |key: &str| -> Option<&Value> {
        ini::get(&p.settings, key).or_else(|| session.and_then(|s| ini::get(&s.settings, key)))
    };
    // Plain strings copied directly: `to_string` goes through the
    // formatting machinery, twice per profile.
    let text = |v: &Value| {
        v.as_str()
            .map_or_else(|| v.to_string().into(), ini::Key::from)
    };
    let (mut account_id, mut role_name) = (
        merged("sso_account_id").map(text),
        merged("sso_role_name").map(text),
    );
    if resolution.kind == Kind::AssumeRole || resolution.kind == Kind::WebIdentity {
        if let Some((account, role)) = str_setting(p, "role_arn").and_then(split_role_arn) {
            account_id = Some(account.into());
            role_name = Some(role.into());
        }
    }
    let token = profile_token(config, sessions, p);
    let role_cache = if resolution.names_role_cache() {
        role_cache_key(p, resolution.kind, &merged).map(|key| cache_file_name(&key))
    } else {
        None
    };
    let problem = match (resolution.problem, unswitchable) {
        (problem, None) => problem,
        (None, Some(why)) => Some(format!("cannot be switched to: {why}")),
        (Some(problem), Some(why)) => {
            Some(format!("{problem}; and it cannot be switched to: {why}"))
        }
    };
    ProfileInfo {
        index,
        kind: resolution.kind,
        problem,
        unswitchable,
        account_id,
        role_name,
        token,
        role_cache,
    }
}

/// The [`ProfileInfo`] of one profile, resolving only that profile (and
/// its `source_profile` chain): what `awsp status` needs on every prompt,
/// without building a whole [`Snapshot`]. `None` if there is no such profile.
pub fn profile_info_by_name(config: &Config, name: &str) -> Option<ProfileInfo> {
    let index = config.profile_position(name)?;
    Some(profile_info(
        config,
        &mut Resolver::new(config),
        &session_infos(config),
        index,
        &config.profiles[index],
    ))
}

/// Every sso-session with the token it uses.
fn session_infos(config: &Config) -> Vec<SessionInfo> {
    config
        .sso_sessions
        .iter()
        .enumerate()
        .map(|(index, s)| SessionInfo {
            index,
            token: session_token(s),
        })
        .collect()
}

/// `arn:aws:iam::ACCOUNT:role/path/NAME` → (ACCOUNT, NAME).
pub fn split_role_arn(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    let (_, _, _, _, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    let role = resource.strip_prefix("role/")?.rsplit('/').next()?;
    Some((account, role))
}

/// The token a profile's SSO settings point at, as botocore finds it.
fn profile_token(config: &Config, sessions: &[SessionInfo], p: &Profile) -> Option<TokenRef> {
    match ini::get(&p.settings, "sso_session") {
        Some(Value::Str(name)) if name.is_empty() => {
            // Empty name: the credential fetcher takes the legacy path with
            // sha1("") and no refresh; the session "" must still exist.
            let exists = config.sso_session(name).is_some();
            Some(TokenRef {
                file: exists.then(|| cache_file_name(name)),
                use_: TokenUse::Legacy,
            })
        }
        Some(Value::Str(name)) => Some(match config.sso_session_position(name) {
            // `sessions[i].token` is `session_token(&config.sso_sessions[i])`.
            Some(i) => sessions[i].token.clone(),
            None => TokenRef {
                file: None,
                use_: TokenUse::Session,
            },
        }),
        Some(Value::Map(_)) => Some(TokenRef {
            file: None,
            use_: TokenUse::Session,
        }),
        None => str_setting(p, "sso_start_url").map(|url| TokenRef {
            file: Some(cache_file_name(url)),
            use_: TokenUse::Legacy,
        }),
    }
}

fn json_of(v: &Value) -> PyJson<'_> {
    match v {
        Value::Str(s) => PyJson::Str(s),
        Value::Map(m) => PyJson::Object(m.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()),
    }
}

/// The text botocore hashes to name the role-credential cache file.
fn role_cache_key<'a>(
    p: &'a Profile,
    kind: Kind,
    merged: &dyn Fn(&str) -> Option<&'a Value>,
) -> Option<String> {
    match kind {
        Kind::Sso | Kind::SsoLegacy => {
            let last = match merged("sso_session") {
                Some(Value::Str(s)) if !s.is_empty() => ("sessionName", PyJson::Str(s)),
                Some(v @ Value::Map(m)) if !m.is_empty() => ("sessionName", json_of(v)),
                _ => ("startUrl", json_of(merged("sso_start_url")?)),
            };
            // Three entries, on the stack: this runs for every profile.
            let entries = [
                ("accountId", json_of(merged("sso_account_id")?)),
                ("roleName", json_of(merged("sso_role_name")?)),
                last,
            ];
            Some(dumps_sorted(&entries, Separators::Compact))
        }
        Kind::AssumeRole => {
            let s = &p.settings;
            let mut entries = vec![("RoleArn", json_of(ini::get(s, "role_arn")?))];
            if let Some(name) = ini::get(s, "role_session_name")
                .filter(|v| !matches!(v, Value::Str(x) if x.is_empty()))
            {
                entries.push(("RoleSessionName", json_of(name)));
            }
            if let Some(ext) = ini::get(s, "external_id") {
                entries.push(("ExternalId", json_of(ext)));
            }
            if let Some(mfa) = ini::get(s, "mfa_serial") {
                entries.push(("SerialNumber", json_of(mfa)));
            }
            if let Some(secs) = ini::get_str(s, "duration_seconds").and_then(py_int) {
                entries.push(("DurationSeconds", PyJson::Int(secs)));
            }
            Some(dumps_sorted(&entries, Separators::Default))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::paths::AwsPaths;

    #[test]
    fn role_arn_parts() {
        assert_eq!(
            split_role_arn("arn:aws:iam::123:role/a/b/Admin"),
            Some(("123", "Admin"))
        );
        assert_eq!(split_role_arn("arn:aws:iam::123:user/x"), None);
        assert_eq!(split_role_arn("nonsense"), None);
    }

    fn snapshot(config: &str) -> Snapshot {
        let paths = AwsPaths::under_home(std::path::Path::new("/nonexistent-home"));
        Snapshot::from_config(&paths, Config::from_texts(config, ""))
    }

    #[test]
    fn a_name_no_variable_can_carry_has_a_problem_beside_botocores() {
        let snap = snapshot(
            "[profile a\0b]\ncredential_process = x\n\
             [profile c\0d]\naws_access_key_id = k\n[profile ok]\ncredential_process = x\n",
        );
        let info = |name: &str| snap.find_profile(name).unwrap();
        let nul = info("a\0b");
        assert_eq!(nul.kind, Kind::Process);
        assert!(nul.unswitchable.is_some());
        assert!(nul.problem.as_deref().unwrap().contains("NUL"));
        // botocore's own problem stays, first.
        let both = info("c\0d").problem.as_deref().unwrap();
        assert!(
            both.starts_with("aws_access_key_id without") && both.contains("NUL"),
            "{both}"
        );
        assert_eq!(info("ok").problem, None);
        assert_eq!(info("ok").unswitchable, None);
    }

    #[test]
    fn an_incomplete_session_still_names_its_token_file() {
        let snap = snapshot("[sso-session half]\nsso_start_url = u\n[sso-session empty]\n");
        for s in &snap.sessions {
            let name = &snap.session(s).name;
            assert_eq!(
                s.token.file.as_deref(),
                Some(cache_file_name(name).as_str())
            );
        }
    }
}
