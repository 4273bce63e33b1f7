//! Which credential source botocore's chain picks for a profile, and why it
//! would fail: `credentials.create_credential_resolver` and the providers'
//! own configuration checks, decided from the files alone.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use super::config::{Config, Profile};
use super::ini::{self, NameHasher, Value};

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
    /// The problem shows only when the credentials are fetched: botocore's
    /// provider was built, and named its role-credential cache file, first
    /// (an SSO profile whose sso-session lacks what the token side reads).
    pub problem_when_fetching: bool,
}

impl Resolution {
    fn of(kind: Kind, problem: Option<String>) -> Resolution {
        Resolution {
            kind,
            problem,
            problem_when_fetching: false,
        }
    }

    /// Whether botocore builds the credential fetcher, and so names its
    /// cache file: no problem, or one that shows only when fetching.
    pub fn names_role_cache(&self) -> bool {
        self.kind.has_role_cache() && (self.problem.is_none() || self.problem_when_fetching)
    }
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
        // The role cache is named as botocore names it: this problem is
        // awsp's own and does not stop botocore's credential fetcher.
        problem_when_fetching: r.names_role_cache(),
    }
}

/// A problem quotes values (`source_profile 'NAME' ... does not exist`):
/// one that [`ini::hides_secret`] masks is masked in the problem too. Such a
/// value has a line break, so a problem without one needs no look (nearly
/// all of them), and only then are the files' values gone through.
fn without_hidden_values(config: &Config, mut r: Resolution) -> Resolution {
    let Some(problem) = r.problem.as_mut().filter(|p| p.contains('\n')) else {
        return r;
    };
    let values = config
        .profiles
        .iter()
        .map(|p| &p.settings)
        .chain(config.sso_sessions.iter().map(|s| &s.settings))
        .flat_map(|settings| settings.iter().filter_map(|(_, v)| v.as_str()));
    for value in values.filter(|v| ini::hides_secret(v)) {
        if problem.contains(value) {
            *problem = problem.replace(value, ini::MASK);
        }
    }
    r
}

/// Words only [`with_indented_secret_problem`]'s problem holds.
const INDENTED_SECRET: &str = "is indented, so it continues";

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

/// Follows `source_profile` links, remembering each profile passed in a
/// hash set: a chain of N profiles costs N steps, and a loop is named by
/// its first repeated profile. The one walker behind the assume-role
/// resolution, `awsp login`'s search for a profile's SSO settings and
/// `Config::load_for_profile`'s search for the sections a chain needs; each
/// says what a link is (a profile position, a name).
pub struct SourceWalk<K> {
    seen: HashSet<K, NameHasher>,
}

/// Where a link led.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step<K> {
    /// A profile the walk had not passed yet.
    Next(K),
    /// A profile the walk had passed: a loop, entered here.
    Repeated(K),
}

impl<K: Eq + Hash + Clone> SourceWalk<K> {
    /// A walk standing on `start`.
    pub fn from(start: K) -> SourceWalk<K> {
        let mut seen = HashSet::default();
        seen.insert(start);
        SourceWalk { seen }
    }

    /// Takes the link to `source`.
    pub fn follow(&mut self, source: K) -> Step<K> {
        if self.seen.insert(source.clone()) {
            Step::Next(source)
        } else {
            Step::Repeated(source)
        }
    }

    /// Whether the walk has stood on `profile`.
    pub fn has<Q>(&self, profile: &Q) -> bool
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.seen.contains(profile)
    }

    /// How many profiles the walk has stood on.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

fn has_assume_role_vars(p: &Profile) -> bool {
    ini::has(&p.settings, "role_arn") && !ini::has(&p.settings, "web_identity_token_file")
}

fn has_static_keys(p: &Profile) -> bool {
    ini::has(&p.settings, "aws_access_key_id") || ini::has(&p.settings, "aws_secret_access_key")
}

/// Resolves the whole chain for a profile selected by name. For many
/// profiles of one config, [`Resolver`] shares the chains' work.
pub fn resolve(config: &Config, profile: &Profile) -> Resolution {
    let mut resolver = Resolver::new(config);
    match config.profile_position(&profile.name) {
        Some(i) if std::ptr::eq(&config.profiles[i], profile) => resolver.resolve(i),
        _ => resolver.resolve_detached(profile),
    }
}

/// The sentence for a profile named `""`: botocore selects `profile or
/// 'default'`, so the section itself is never used.
pub const EMPTY_NAME_PROBLEM: &str =
    "a profile with an empty name cannot be selected: the CLI falls back to 'default'";

/// What an assume-role profile's `source_profile` chain comes to, kept
/// per profile so that every chain is walked once for a whole config.
#[derive(Clone, Debug)]
enum ChainEnd {
    /// The chain ends in an error named where it happens (the same
    /// sentence for every profile above), or at the source profile (by
    /// position) whose own credentials it uses, with their problem if any.
    Done(Option<String>, Option<usize>),
    /// The chain runs into a loop entered at this profile (itself, for a
    /// profile on the loop).
    Loop(usize),
}

/// One step of the assume-role walk from a profile.
enum Link {
    /// The chain ends here: its problem, and the source profile it uses
    /// for credentials when it got that far.
    End(Option<String>, Option<usize>),
    /// Go on to the source profile at this position, which assumes a role too.
    Continue(usize),
}

/// Resolves the profiles of one config, sharing the work of their
/// `source_profile` chains: a chain of N profiles costs N steps in all,
/// not N per profile.
pub struct Resolver<'c> {
    config: &'c Config,
    /// By profile position: what its assume-role chain comes to, once known.
    /// (A map, not a list per profile: resolving one profile of a large
    /// config, as `resolve` does, allocates nothing per profile.)
    chain_ends: HashMap<usize, ChainEnd, NameHasher>,
    /// Links followed so far (for the tests that check the work is linear).
    steps: usize,
}

impl<'c> Resolver<'c> {
    pub fn new(config: &'c Config) -> Resolver<'c> {
        Resolver {
            config,
            chain_ends: HashMap::default(),
            steps: 0,
        }
    }

    /// Links followed so far.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// The resolution of the profile at `index` of the config.
    pub fn resolve(&mut self, index: usize) -> Resolution {
        let r = self.resolve_botocore(index);
        let r = with_indented_secret_problem(self.config, &self.config.profiles[index], r);
        without_hidden_values(self.config, r)
    }

    /// What botocore's chain gives the profile at `index`, before awsp's
    /// own indented-secret problem.
    fn resolve_botocore(&mut self, index: usize) -> Resolution {
        let profile = &self.config.profiles[index];
        if profile.name.is_empty() {
            return self.resolve_empty_name();
        }
        if has_assume_role_vars(profile) {
            return Resolution::of(Kind::AssumeRole, self.assume_role_problem(index));
        }
        resolve_without_assume_role(self.config, profile)
    }

    /// A profile given by value rather than by position (not in the config).
    fn resolve_detached(&mut self, profile: &Profile) -> Resolution {
        let r = self.resolve_detached_botocore(profile);
        let r = with_indented_secret_problem(self.config, profile, r);
        without_hidden_values(self.config, r)
    }

    fn resolve_detached_botocore(&mut self, profile: &Profile) -> Resolution {
        if profile.name.is_empty() {
            return self.resolve_empty_name();
        }
        if has_assume_role_vars(profile) {
            let problem = match self.link(profile, None) {
                Link::End(problem, _) => problem,
                Link::Continue(next) => self.chain_problem(next, None),
            };
            return Resolution::of(Kind::AssumeRole, problem);
        }
        resolve_without_assume_role(self.config, profile)
    }

    /// `[profile ""]` is what selecting `default` gives (botocore uses
    /// `profile or 'default'`), with a sentence saying so.
    fn resolve_empty_name(&mut self) -> Resolution {
        let default = self
            .config
            .profile_position("default")
            .map(|i| self.resolve(i));
        let (kind, default_problem) = match default {
            Some(r) => (r.kind, r.problem),
            None => (Kind::None, None),
        };
        let problem = match default_problem {
            None => EMPTY_NAME_PROBLEM.to_string(),
            Some(p) => format!("{EMPTY_NAME_PROBLEM}, whose problem is: {p}"),
        };
        Resolution::of(kind, Some(problem))
    }

    /// `AssumeRoleProvider`: walks `source_profile` links as botocore does,
    /// with its loop rules, to the first profile that gives credentials
    /// itself.
    fn assume_role_problem(&mut self, top: usize) -> Option<String> {
        let profile = &self.config.profiles[top];
        if !has_static_keys(profile) {
            return self.chain_problem(top, None);
        }
        // A top with keys of its own is the one profile with keys a walk
        // goes on from (below the top, keys end the chain), so coming back
        // to it is a loop that the chain of its source, walked alone, ends
        // at as a source with keys.
        match self.link(profile, Some(top)) {
            Link::End(problem, _) => problem,
            Link::Continue(next) => self.chain_problem(next, Some(top)),
        }
    }

    /// What the chain from the profile at `start` (which assumes a role
    /// without keys of its own) comes to, as a sentence; a chain that ends
    /// at `back_to` is a loop there.
    fn chain_problem(&mut self, start: usize, back_to: Option<usize>) -> Option<String> {
        match self.chain_end(start) {
            ChainEnd::Done(_, Some(end)) if Some(end) == back_to => {
                Some(loop_problem(&self.config.profiles[end].name))
            }
            ChainEnd::Done(problem, _) => problem,
            ChainEnd::Loop(entry) => Some(loop_problem(&self.config.profiles[entry].name)),
        }
    }

    /// The end of the chain from `start`, walked once: every profile
    /// passed on the way learns the same answer, so a later walk stops at
    /// the first profile already known.
    fn chain_end(&mut self, start: usize) -> ChainEnd {
        let mut walk = SourceWalk::from(start);
        let mut path = vec![start];
        let end = loop {
            let current = *path.last().expect("the path starts with the start");
            if let Some(known) = self.chain_ends.get(&current) {
                // Known from an earlier walk, which never passed the
                // profiles of this one (they would be known too).
                let known = known.clone();
                path.pop();
                break known;
            }
            let profile = &self.config.profiles[current];
            match self.link(profile, Some(current)) {
                Link::End(problem, source) => break ChainEnd::Done(problem, source),
                Link::Continue(next) => match walk.follow(next) {
                    Step::Next(next) => path.push(next),
                    Step::Repeated(entry) => {
                        // Profiles from the entry on are on the loop: each
                        // is its own first repeated profile.
                        let on_loop = path.iter().position(|&i| i == entry).unwrap_or(0);
                        for &i in &path[on_loop..] {
                            self.chain_ends.insert(i, ChainEnd::Loop(i));
                        }
                        path.truncate(on_loop);
                        break ChainEnd::Loop(entry);
                    }
                },
            }
        };
        for &i in &path {
            self.chain_ends.insert(i, end.clone());
        }
        self.chain_ends.get(&start).cloned().unwrap_or(end)
    }

    /// `_get_role_config` and `_resolve_credentials_from_profile` for one
    /// assume-role profile (at `position`, when it is the config's own).
    fn link(&mut self, current: &Profile, position: Option<usize>) -> Link {
        self.steps += 1;
        let config = self.config;
        let s = &current.settings;
        let name = current.name.as_str();
        match (
            ini::get(s, "credential_source"),
            ini::get(s, "source_profile"),
        ) {
            (Some(_), Some(_)) => Link::End(
                Some(format!(
                    "profile '{name}' has both source_profile and credential_source; keep one"
                )),
                None,
            ),
            (None, None) => Link::End(
                Some(format!(
                    "profile '{name}' has role_arn but neither source_profile nor credential_source"
                )),
                None,
            ),
            (Some(source), None) => {
                let ok = source
                    .as_str()
                    .is_some_and(|v| VALID_CREDENTIAL_SOURCES.contains(&v));
                let problem = (!ok).then(|| {
                    format!(
                        "credential_source '{source}' in profile '{name}' is not one of {}",
                        VALID_CREDENTIAL_SOURCES.join(", ")
                    )
                });
                Link::End(problem, None)
            }
            (None, Some(source)) => {
                let Value::Str(source) = source else {
                    return Link::End(
                        Some(format!(
                            "source_profile in profile '{name}' must be a single name"
                        )),
                        None,
                    );
                };
                let Some(next_index) = config.profile_position(source) else {
                    return Link::End(
                        Some(format!(
                            "source_profile '{source}' of profile '{name}' does not exist"
                        )),
                        None,
                    );
                };
                let next = &config.profiles[next_index];
                let itself = position == Some(next_index) || source == name;
                if itself {
                    // A profile may name itself to use its own keys; the
                    // walk only comes back here at the top, where botocore
                    // allows it with static keys.
                    if !has_static_keys(next) {
                        return Link::End(Some(loop_problem(name)), None);
                    }
                } else if !has_static_keys(next) && has_assume_role_vars(next) {
                    // A source that assumes a role without keys of its own: go on.
                    return Link::Continue(next_index);
                }
                let r = resolve_without_assume_role(config, next);
                let problem = match (r.kind, r.problem) {
                    (Kind::None, _) => Some(format!(
                        "source profile '{source}' has no credentials of its own"
                    )),
                    (_, Some(p)) => Some(format!("source profile '{source}': {p}")),
                    (_, None) => None,
                };
                Link::End(problem, Some(next_index))
            }
        }
    }
}

fn loop_problem(entry: &str) -> String {
    format!(
        "source_profile loop: the chain comes back to profile '{entry}'; end it at a profile with credentials of its own"
    )
}

/// The chain after assume-role: what a source profile is resolved with.
fn resolve_without_assume_role(config: &Config, p: &Profile) -> Resolution {
    let s = &p.settings;
    let done = Resolution::of;
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
        let (problem, when_fetching) = match sso_problem(config, p) {
            Some(SsoProblem::Loading(p)) => (Some(p), false),
            Some(SsoProblem::Fetching(p)) => (Some(p), true),
            None => (None, false),
        };
        return Resolution {
            kind,
            problem,
            problem_when_fetching: when_fetching,
        };
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

/// Where botocore finds an SSO profile's problem.
enum SsoProblem {
    /// `SSOProvider._load_sso_config`: no credentials provider is built.
    Loading(String),
    /// `SSOTokenProvider._load_sso_config`, run when the credentials are
    /// fetched: the provider and its role-credential fetcher exist.
    Fetching(String),
}

/// Python's `==` on two values: a sub-section is a dict, equal whatever
/// the order of its keys (its keys are unique: a later duplicate replaced
/// the earlier one).
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Str(a), Value::Str(b)) => a == b,
        (Value::Map(a), Value::Map(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, v)| b.iter().any(|(bk, bv)| bk == k && bv == v))
        }
        _ => false,
    }
}

/// `SSOProvider._load_sso_config` and, for sso-session profiles,
/// `SSOTokenProvider._load_sso_config`.
fn sso_problem(config: &Config, p: &Profile) -> Option<SsoProblem> {
    let s = &p.settings;
    let loading = |text: String| Some(SsoProblem::Loading(text));
    let mut missing: Vec<&str> = Vec::new();
    let session_ref = ini::get(s, "sso_session");
    if let Some(value) = session_ref {
        let Value::Str(name) = value else {
            return loading("sso_session must be a single name, not a sub-section".into());
        };
        let Some(session) = config.sso_session(name) else {
            return loading(format!(
                "sso-session '{name}' is not defined; add [sso-session {name}] to the config"
            ));
        };
        // `_resolve_sso_session_reference` copies every key of the session
        // over the profile's; a key both have must hold the same value.
        for (key, val) in &session.settings {
            if let Some(own) = ini::get(s, key) {
                if !same_value(own, val) {
                    return loading(format!(
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
            return loading(format!("SSO settings missing: {}", missing.join(", ")));
        }
        // The token side reads the start URL and region from the session
        // itself, and only for a non-empty session name.
        if !name.is_empty() {
            if session.settings.is_empty() {
                return Some(SsoProblem::Fetching(format!(
                    "sso-session '{name}' is empty; give it sso_start_url and sso_region"
                )));
            }
            let lacking: Vec<&str> = ["sso_start_url", "sso_region"]
                .into_iter()
                .filter(|k| !ini::has(&session.settings, k))
                .collect();
            if !lacking.is_empty() {
                return Some(SsoProblem::Fetching(format!(
                    "sso-session '{name}' lacks {} (the token is looked up from the session, not the profile)",
                    lacking.join(" and ")
                )));
            }
        }
        return None;
    }
    for key in SSO_REQUIRED {
        if !ini::has(s, key) {
            missing.push(key);
        }
    }
    (!missing.is_empty())
        .then(|| SsoProblem::Loading(format!("SSO settings missing: {}", missing.join(", "))))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let half = of(&c, "half");
        assert!(half
            .problem
            .unwrap()
            .contains("`aws_session_token` is indented"));
        assert_eq!(of(&c, "plain").problem, None);
        // An SSO profile keeps the role cache botocore names: the problem
        // is awsp's own and does not stop botocore's fetcher.
        let c = cfg(
            &format!(
                "{SESSION}[profile sso]\nsso_session = main\nsso_account_id = 1\n\
                 sso_role_name = R\nregion = r\n  aws_secret_access_key = S\n"
            ),
            "",
        );
        let sso = of(&c, "sso");
        assert!(sso.problem.unwrap().contains("is indented"));
        assert!(of(&c, "sso").names_role_cache());
    }

    fn cfg(config: &str, credentials: &str) -> Config {
        Config::from_texts(config, credentials)
    }

    fn of(c: &Config, name: &str) -> Resolution {
        resolve(c, c.profile(name).unwrap())
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
            .contains("back to profile 'loop1'"));
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

    /// A config of `n` assume-role profiles, each the source of the one
    /// before; `end` is the last one's `source_profile` line (and keys).
    fn chain(n: usize, end: &str) -> Config {
        let mut text = String::new();
        for i in 0..n {
            text.push_str(&format!(
                "[profile p{i}]\nrole_arn = arn:aws:iam::1:role/R\n"
            ));
            if i + 1 < n {
                text.push_str(&format!("source_profile = p{}\n", i + 1));
            } else {
                text.push_str(end);
            }
        }
        cfg(&text, "")
    }

    fn resolve_all(c: &Config) -> (Vec<Resolution>, usize) {
        let mut resolver = Resolver::new(c);
        let all = (0..c.profiles.len()).map(|i| resolver.resolve(i)).collect();
        (all, resolver.steps())
    }

    #[test]
    fn a_long_chain_is_walked_once_for_all_its_profiles() {
        let n = 2000;
        let (ok, steps) = resolve_all(&chain(n, "credential_source = Environment\n"));
        assert!(ok.iter().all(|r| r.problem.is_none()));
        assert!(steps <= n + 1, "{steps} links followed for a chain of {n}");

        // The loop is named by its first repeated profile, so each
        // message stays short however long the chain.
        let (looped, steps) = resolve_all(&chain(n, "source_profile = p0\n"));
        assert!(steps <= n + 1, "{steps} links followed for a loop of {n}");
        for (i, r) in looped.iter().enumerate() {
            let problem = r.problem.as_deref().unwrap();
            assert!(
                problem.contains(&format!("back to profile 'p{i}'")),
                "{problem}"
            );
            assert!(problem.len() < 120, "{problem}");
        }
    }

    #[test]
    fn a_tail_into_a_loop_names_the_loop_entry() {
        let c = cfg(
            "[profile top]\nrole_arn = a\nsource_profile = a\n\
             [profile a]\nrole_arn = a\nsource_profile = b\n\
             [profile b]\nrole_arn = a\nsource_profile = a\n\
             [profile selfish]\nrole_arn = a\nsource_profile = selfish\n\
             [profile onto-selfish]\nrole_arn = a\nsource_profile = selfish\n",
            "",
        );
        // Resolved in both orders: what a profile gets does not depend
        // on which chains were walked before it.
        for order in [vec![0, 1, 2, 3, 4], vec![4, 3, 2, 1, 0]] {
            let mut resolver = Resolver::new(&c);
            let mut got: Vec<(usize, String)> = order
                .iter()
                .map(|&i| (i, resolver.resolve(i).problem.unwrap()))
                .collect();
            got.sort();
            let entries = ["a", "a", "b", "selfish", "selfish"];
            for ((_, problem), entry) in got.iter().zip(entries) {
                assert!(
                    problem.contains(&format!("back to profile '{entry}'")),
                    "{problem}"
                );
            }
        }
    }

    #[test]
    fn coming_back_to_a_top_with_keys_is_a_loop_but_naming_itself_is_not() {
        let c = cfg(
            "[profile top]\nrole_arn = a\nsource_profile = mid\n\
             [profile mid]\nrole_arn = a\nsource_profile = top\n\
             [profile self]\nrole_arn = a\nsource_profile = self\n",
            "[top]\naws_access_key_id = k\naws_secret_access_key = s\n\
             [self]\naws_access_key_id = k\naws_secret_access_key = s\n",
        );
        assert!(of(&c, "top")
            .problem
            .unwrap()
            .contains("back to profile 'top'"));
        // From mid, top's keys end the chain.
        assert_eq!(of(&c, "mid").problem, None);
        assert_eq!(of(&c, "self").problem, None);
    }

    #[test]
    fn the_empty_name_resolves_as_default() {
        let c = cfg(
            "[profile \"\"]\naws_access_key_id = k\naws_secret_access_key = s\n\
             [default]\ncredential_process = x\n",
            "",
        );
        let r = of(&c, "");
        assert_eq!(r.kind, Kind::Process);
        assert_eq!(r.problem.as_deref(), Some(EMPTY_NAME_PROBLEM));
        let alone = cfg("[profile \"\"]\ncredential_process = x\n", "");
        assert_eq!(of(&alone, "").kind, Kind::None);
    }

    #[test]
    fn a_sub_section_agrees_with_the_session_whatever_its_key_order() {
        let c = cfg(
            &format!(
                "{SESSION}s3 =\n  a = 1\n  b = 2\n\
                 [profile same]\nsso_session = main\nsso_account_id = 1\nsso_role_name = R\ns3 =\n  b = 2\n  a = 1\n\
                 [profile other]\nsso_session = main\nsso_account_id = 1\nsso_role_name = R\ns3 =\n  a = 1\n  b = 3\n\
                 [profile fewer]\nsso_session = main\nsso_account_id = 1\nsso_role_name = R\ns3 =\n  a = 1\n"
            ),
            "",
        );
        assert_eq!(of(&c, "same").problem, None);
        assert!(of(&c, "other").problem.unwrap().contains("s3 differs"));
        assert!(of(&c, "fewer").problem.unwrap().contains("s3 differs"));
    }

    #[test]
    fn a_token_side_problem_still_names_the_role_cache() {
        let c = cfg(
            "[sso-session no-url]\nsso_region = r\n\
             [profile own-url]\nsso_session = no-url\nsso_start_url = u\nsso_account_id = 1\nsso_role_name = R\n\
             [profile no-role]\nsso_session = no-url\nsso_start_url = u\nsso_account_id = 1\n",
            "",
        );
        let own = of(&c, "own-url");
        assert!(own.problem.is_some() && own.names_role_cache());
        let no_role = of(&c, "no-role");
        assert!(no_role.problem.is_some() && !no_role.names_role_cache());
    }
}
