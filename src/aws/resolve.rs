//! Which credential source botocore's chain picks for a profile, and why it
//! would fail: `credentials.create_credential_resolver` and the providers'
//! own configuration checks, decided from the files alone.

use super::config::{Config, Profile};
use super::ini::{self, Value};

/// The credential source, in the chain's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    AssumeRole,
    WebIdentity,
    Sso,
    SsoLegacy,
    Static,
    Process,
    Login,
    None,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::AssumeRole => "assume-role",
            Kind::WebIdentity => "web-identity",
            Kind::Sso => "sso",
            Kind::SsoLegacy => "sso-legacy",
            Kind::Static => "static",
            Kind::Process => "process",
            Kind::Login => "login",
            Kind::None => "none",
        }
    }

    /// Kinds whose credentials the AWS CLI caches in `~/.aws/cli/cache`.
    pub fn has_role_cache(self) -> bool {
        matches!(self, Kind::AssumeRole | Kind::Sso | Kind::SsoLegacy)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    pub kind: Kind,
    /// Why the CLI cannot build credentials, as a sentence; `None` if it can.
    pub problem: Option<String>,
}

const VALID_CREDENTIAL_SOURCES: [&str; 3] = ["Environment", "EcsContainer", "Ec2InstanceMetadata"];
const SSO_REQUIRED: [&str; 4] = [
    "sso_start_url",
    "sso_region",
    "sso_role_name",
    "sso_account_id",
];

fn is_truthy(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Str(s)) => !s.is_empty(),
        Some(Value::Map(m)) => !m.is_empty(),
        None => false,
    }
}

fn has_assume_role_vars(p: &Profile) -> bool {
    ini::has(&p.settings, "role_arn") && !ini::has(&p.settings, "web_identity_token_file")
}

fn has_static_keys(p: &Profile) -> bool {
    ini::has(&p.settings, "aws_access_key_id") || ini::has(&p.settings, "aws_secret_access_key")
}

/// Resolves the whole chain for a profile selected by name.
pub fn resolve(config: &Config, profile: &Profile) -> Resolution {
    let resolution = resolve_as_botocore(config, profile);
    with_indented_secret_problem(config, profile, resolution)
}

/// awsp's own problem, beyond botocore's: a secret-named key on an indented
/// line continues the value above it (configparser), so botocore never
/// sees the key, and the profile silently lacks what it seems to set. It
/// replaces botocore's problem, if any: that one follows from it, and its
/// text may quote the value that now holds the secret.
fn with_indented_secret_problem(config: &Config, p: &Profile, r: Resolution) -> Resolution {
    let Some((key, secret)) = p
        .settings
        .iter()
        .find_map(|(k, v)| Some((k.as_str(), ini::hidden_secret_key(v.as_str()?)?)))
    else {
        return r;
    };
    // Only now, on this rare path, are the files read again for the line.
    let line_in = |file: &std::path::Path, header: Option<usize>| {
        let text = std::fs::read_to_string(file).ok()?;
        ini::indented_secret_line(&text, header?, key)
    };
    let at = match line_in(&config.credentials_file, p.credentials_line) {
        Some(n) => format!("credentials line {n}: "),
        None => line_in(&config.config_file, p.config_line)
            .map_or_else(String::new, |n| format!("line {n}: ")),
    };
    Resolution {
        kind: r.kind,
        problem: Some(format!(
            "{at}`{secret}` {INDENTED_SECRET} `{key}` instead of being a key; \
             botocore ignores it: remove the indentation"
        )),
    }
}

/// Words only [`with_indented_secret_problem`]'s problem holds.
const INDENTED_SECRET: &str = "is indented, so it continues";

/// Whether botocore raises a configuration error for the profile: its own
/// problem, not awsp's extra one (which may stand in for it, see
/// [`with_indented_secret_problem`]). Decides whether there is a role
/// cache to look for, as botocore would.
pub fn botocore_raises(config: &Config, p: &Profile, r: &Resolution) -> bool {
    match &r.problem {
        None => false,
        Some(text) if text.contains(INDENTED_SECRET) => {
            resolve_as_botocore(config, p).problem.is_some()
        }
        Some(_) => true,
    }
}

/// The kind and problem botocore's credential chain gives the profile.
fn resolve_as_botocore(config: &Config, profile: &Profile) -> Resolution {
    if profile.name.is_empty() {
        return Resolution {
            kind: Kind::None,
            problem: Some(
                "a profile with an empty name cannot be selected: the CLI falls back to 'default'"
                    .into(),
            ),
        };
    }
    if has_assume_role_vars(profile) {
        return Resolution {
            kind: Kind::AssumeRole,
            problem: assume_role_problem(config, profile),
        };
    }
    resolve_without_assume_role(config, profile)
}

/// The chain after assume-role: what a source profile is resolved with.
fn resolve_without_assume_role(config: &Config, p: &Profile) -> Resolution {
    let s = &p.settings;
    let done = |kind, problem| Resolution { kind, problem };
    if is_truthy(ini::get(s, "web_identity_token_file")) {
        let problem = (!is_truthy(ini::get(s, "role_arn"))).then(|| {
            "web_identity_token_file is set but role_arn is missing; add the role to assume"
                .to_string()
        });
        return done(Kind::WebIdentity, problem);
    }
    if ini::has(s, "sso_account_id") || ini::has(s, "sso_role_name") {
        let kind = if ini::has(s, "sso_session") {
            Kind::Sso
        } else {
            Kind::SsoLegacy
        };
        return done(kind, sso_problem(config, p));
    }
    if p.credentials_keys.access_key {
        return done(
            Kind::Static,
            half_key_problem(p.credentials_keys.secret_key, &config.credentials_file),
        );
    }
    if ini::has(s, "login_session") {
        return done(Kind::Login, None);
    }
    if ini::has(s, "credential_process") {
        return done(Kind::Process, None);
    }
    if p.config_keys.access_key {
        return done(
            Kind::Static,
            half_key_problem(p.config_keys.secret_key, &config.config_file),
        );
    }
    done(Kind::None, None)
}

fn half_key_problem(has_secret: bool, file: &std::path::Path) -> Option<String> {
    (!has_secret).then(|| {
        format!(
            "aws_access_key_id without aws_secret_access_key in {}; add the secret or remove the key",
            file.display()
        )
    })
}

/// `SSOProvider._load_sso_config` and, for sso-session profiles,
/// `SSOTokenProvider._load_sso_config`.
fn sso_problem(config: &Config, p: &Profile) -> Option<String> {
    let s = &p.settings;
    let mut missing: Vec<&str> = Vec::new();
    let session_ref = ini::get(s, "sso_session");
    if let Some(value) = session_ref {
        let Value::Str(name) = value else {
            return Some("sso_session must be a single name, not a sub-section".into());
        };
        let Some(session) = config.sso_session(name) else {
            return Some(format!(
                "sso-session '{name}' is not defined; add [sso-session {name}] to the config"
            ));
        };
        for (key, val) in &session.settings {
            if let Some(own) = ini::get(s, key) {
                if own != val {
                    return Some(format!(
                        "{key} differs between the profile ({own}) and sso-session '{name}' ({val}); remove it from the profile"
                    ));
                }
            }
        }
        for key in SSO_REQUIRED {
            if !ini::has(s, key) && !ini::has(&session.settings, key) {
                missing.push(key);
            }
        }
        if !missing.is_empty() {
            return Some(format!("SSO settings missing: {}", missing.join(", ")));
        }
        // The token side reads the start URL and region from the session
        // itself, and only for a non-empty session name.
        if !name.is_empty() {
            if session.settings.is_empty() {
                return Some(format!(
                    "sso-session '{name}' is empty; give it sso_start_url and sso_region"
                ));
            }
            let lacking: Vec<&str> = ["sso_start_url", "sso_region"]
                .into_iter()
                .filter(|k| !ini::has(&session.settings, k))
                .collect();
            if !lacking.is_empty() {
                return Some(format!(
                    "sso-session '{name}' lacks {} (the token is looked up from the session, not the profile)",
                    lacking.join(" and ")
                ));
            }
        }
        return None;
    }
    for key in SSO_REQUIRED {
        if !ini::has(s, key) {
            missing.push(key);
        }
    }
    (!missing.is_empty()).then(|| format!("SSO settings missing: {}", missing.join(", ")))
}

/// `AssumeRoleProvider`: walks `source_profile` links as botocore does,
/// with its loop rules, to the first profile that gives credentials itself.
fn assume_role_problem(config: &Config, top: &Profile) -> Option<String> {
    let mut visited: Vec<&str> = vec![top.name.as_str()];
    let mut current = top;
    loop {
        let s = &current.settings;
        let name = current.name.as_str();
        match (
            ini::get(s, "credential_source"),
            ini::get(s, "source_profile"),
        ) {
            (Some(_), Some(_)) => {
                return Some(format!(
                    "profile '{name}' has both source_profile and credential_source; keep one"
                ))
            }
            (None, None) => {
                return Some(format!(
                    "profile '{name}' has role_arn but neither source_profile nor credential_source"
                ))
            }
            (Some(source), None) => {
                let ok = source
                    .as_str()
                    .is_some_and(|v| VALID_CREDENTIAL_SOURCES.contains(&v));
                return (!ok).then(|| {
                    format!(
                        "credential_source '{source}' in profile '{name}' is not one of {}",
                        VALID_CREDENTIAL_SOURCES.join(", ")
                    )
                });
            }
            (None, Some(source)) => {
                let Value::Str(source) = source else {
                    return Some(format!(
                        "source_profile in profile '{name}' must be a single name"
                    ));
                };
                let Some(next) = config.profile(source) else {
                    return Some(format!(
                        "source_profile '{source}' of profile '{name}' does not exist"
                    ));
                };
                if visited.contains(&source.as_str()) && (source != name || !has_static_keys(next))
                {
                    visited.push(source);
                    return Some(format!("source_profile loop: {}", visited.join(" -> ")));
                }
                visited.push(source);
                if has_static_keys(next) || !has_assume_role_vars(next) {
                    let r = resolve_without_assume_role(config, next);
                    return match (r.kind, r.problem) {
                        (Kind::None, _) => Some(format!(
                            "source profile '{source}' has no credentials of its own"
                        )),
                        (_, Some(p)) => Some(format!("source profile '{source}': {p}")),
                        (_, None) => None,
                    };
                }
                current = next;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(config: &str, credentials: &str) -> Config {
        Config::from_texts(config, credentials)
    }

    fn of(c: &Config, name: &str) -> Resolution {
        resolve(c, c.profile(name).unwrap())
    }

    #[test]
    fn an_indented_secret_is_awsps_own_problem() {
        let c = cfg(
            "[profile bare]\nregion = r\n  aws_secret_access_key = S\n\
             [profile half]\naws_access_key_id = A\nregion = r\n  aws_session_token: T\n\
             [profile plain]\nregion = r\n  other = x\n",
            "",
        );
        let bare = of(&c, "bare");
        assert_eq!(bare.kind, Kind::None);
        assert_eq!(
            bare.problem.as_deref(),
            Some(
                "`aws_secret_access_key` is indented, so it continues `region` instead of \
                 being a key; botocore ignores it: remove the indentation"
            )
        );
        // botocore raises nothing for `bare`; it does for `half` (a key id
        // without its secret), whose problem ours stands in for.
        assert!(!botocore_raises(&c, c.profile("bare").unwrap(), &bare));
        let half = of(&c, "half");
        assert!(half
            .problem
            .unwrap()
            .contains("`aws_session_token` is indented"));
        assert!(botocore_raises(
            &c,
            c.profile("half").unwrap(),
            &of(&c, "half")
        ));
        assert_eq!(of(&c, "plain").problem, None);
    }

    const SESSION: &str =
        "[sso-session main]\nsso_start_url = https://x/start\nsso_region = us-east-1\n";

    #[test]
    fn kinds_follow_chain_order() {
        let c = cfg(
            &format!(
                "{SESSION}[profile sso]\nsso_session = main\nsso_account_id = 1\nsso_role_name = R\n\
                 [profile legacy]\nsso_start_url = u\nsso_region = r\nsso_account_id = 1\nsso_role_name = R\n\
                 [profile ar]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = st\n\
                 [profile wi]\nrole_arn = a\nweb_identity_token_file = /t\n\
                 [profile proc]\ncredential_process = x\naws_access_key_id = k\naws_secret_access_key = s\n\
                 [profile cfgkey]\naws_access_key_id = k\naws_secret_access_key = s\n\
                 [profile login]\nlogin_session = x\n[profile bare]\nregion = r\n[profile url]\nsso_start_url = u\n"
            ),
            "[st]\naws_access_key_id = k\naws_secret_access_key = s\n",
        );
        let kinds: Vec<(&str, Kind)> = c
            .profiles
            .iter()
            .map(|p| (p.name.as_str(), resolve(&c, p).kind))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("sso", Kind::Sso),
                ("legacy", Kind::SsoLegacy),
                ("ar", Kind::AssumeRole),
                ("wi", Kind::WebIdentity),
                ("proc", Kind::Process),
                ("cfgkey", Kind::Static),
                ("login", Kind::Login),
                ("bare", Kind::None),
                ("url", Kind::None),
                ("st", Kind::Static),
            ]
        );
        assert!(c.profiles.iter().all(|p| resolve(&c, p).problem.is_none()));
    }

    #[test]
    fn sso_problems() {
        let c = cfg(
            &format!(
                "{SESSION}[sso-session half]\nsso_region = r\n[sso-session empty]\n\
                 [profile undefined]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = R\n\
                 [profile conflict]\nsso_session = main\nsso_region = eu-west-1\nsso_account_id = 1\nsso_role_name = R\n\
                 [profile norole]\nsso_session = main\nsso_account_id = 1\n\
                 [profile half]\nsso_session = half\nsso_start_url = u\nsso_account_id = 1\nsso_role_name = R\n\
                 [profile legacy]\nsso_account_id = 1\nsso_role_name = R\nsso_region = r\n"
            ),
            "",
        );
        for (name, needle) in [
            ("undefined", "not defined"),
            ("conflict", "sso_region differs"),
            ("norole", "sso_role_name"),
            ("half", "lacks sso_start_url"),
            ("legacy", "sso_start_url"),
        ] {
            let problem = of(&c, name).problem.unwrap_or_default();
            assert!(problem.contains(needle), "{name}: {problem}");
        }
    }

    #[test]
    fn assume_role_chains_and_loops() {
        let c = cfg(
            "[profile both]\nrole_arn = a\nsource_profile = s\ncredential_source = Environment\n\
             [profile neither]\nrole_arn = a\n\
             [profile badsrc]\nrole_arn = a\ncredential_source = Laptop\n\
             [profile env]\nrole_arn = a\ncredential_source = Environment\n\
             [profile unknown]\nrole_arn = a\nsource_profile = ghost\n\
             [profile loop1]\nrole_arn = a\nsource_profile = loop2\n[profile loop2]\nrole_arn = a\nsource_profile = loop1\n\
             [profile self]\nrole_arn = a\nsource_profile = self\naws_access_key_id = k\naws_secret_access_key = s\n\
             [profile selfnokeys]\nrole_arn = a\nsource_profile = selfnokeys\n\
             [profile chain]\nrole_arn = a\nsource_profile = env\n\
             [profile empty]\nrole_arn = a\nsource_profile = bare\n[profile bare]\nregion = r\n",
            "",
        );
        assert!(of(&c, "both").problem.unwrap().contains("both"));
        assert!(of(&c, "neither").problem.unwrap().contains("neither"));
        assert!(of(&c, "badsrc").problem.unwrap().contains("Laptop"));
        assert_eq!(of(&c, "env").problem, None);
        assert!(of(&c, "unknown")
            .problem
            .unwrap()
            .contains("does not exist"));
        assert!(of(&c, "loop1")
            .problem
            .unwrap()
            .contains("loop1 -> loop2 -> loop1"));
        assert_eq!(of(&c, "self").problem, None);
        assert!(of(&c, "selfnokeys").problem.unwrap().contains("loop"));
        assert_eq!(of(&c, "chain").problem, None);
        assert!(of(&c, "empty").problem.unwrap().contains("no credentials"));
    }

    #[test]
    fn half_key_pairs_and_web_identity_without_role() {
        let c = cfg(
            "[profile cfghalf]\naws_access_key_id = k\n[profile wi]\nweb_identity_token_file = /t\n",
            "[credhalf]\naws_access_key_id = k\n[secretonly]\naws_secret_access_key = s\n",
        );
        assert!(of(&c, "cfghalf").problem.unwrap().contains("config"));
        assert!(of(&c, "credhalf").problem.unwrap().contains("credentials"));
        assert_eq!(of(&c, "secretonly").kind, Kind::None);
        assert!(of(&c, "wi").problem.unwrap().contains("role_arn"));
    }
}
