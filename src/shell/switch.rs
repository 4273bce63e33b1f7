//! What a switch changes in the calling shell, decided from the shell's
//! environment. Pure: the effects happen in `delivery`.

use chrono::{DateTime, Utc};

use crate::aws::cache::Status;
use crate::aws::snapshot::{ProfileInfo, Snapshot};
use crate::output::human::{printable, short_duration};
use crate::shell::quote::quote_posix;
use crate::shell::EnvChange;

/// Variables that override any profile when set.
pub const KEY_VARS: [&str; 3] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
];

/// The profile-related part of the calling shell's environment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShellEnv {
    pub aws_profile: Option<String>,
    pub aws_default_profile: Option<String>,
    /// `AWSP_PREVIOUS`: where `awsp -` goes.
    pub previous: Option<String>,
    /// Those of [`KEY_VARS`] that are set.
    pub key_vars: Vec<&'static str>,
}

impl ShellEnv {
    pub fn from_process() -> ShellEnv {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        ShellEnv {
            aws_profile: var("AWS_PROFILE"),
            aws_default_profile: var("AWS_DEFAULT_PROFILE"),
            previous: var("AWSP_PREVIOUS"),
            key_vars: KEY_VARS.into_iter().filter(|k| var(k).is_some()).collect(),
        }
    }

    /// The profile the AWS CLI uses now: it checks `AWS_DEFAULT_PROFILE` first.
    pub fn active(&self) -> Option<&str> {
        self.aws_default_profile
            .as_deref()
            .or(self.aws_profile.as_deref())
    }

    /// A one-line warning when access-key variables override profiles.
    pub fn key_warning(&self) -> Option<String> {
        (!self.key_vars.is_empty()).then(|| {
            format!(
                "{} set: it overrides any profile (use --clear-keys to unset)",
                self.key_vars.join(", ")
            )
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Profile(String),
    Unset,
}

/// The change to hand to the shell and the lines to tell the user.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub change: EnvChange,
    pub notices: Vec<String>,
}

/// What the user asked a switch to change besides the profile
/// (`--region`, `--clear-keys`): the command line's words, as the domain
/// knows them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SwitchRequest {
    /// Also export `AWS_REGION` and `AWS_DEFAULT_REGION`.
    pub region: Option<String>,
    /// Also unset the access-key variables that override any profile.
    pub clear_keys: bool,
}

pub fn plan(target: &Target, env: &ShellEnv, opts: &SwitchRequest) -> Plan {
    let mut plan = Plan::default();
    let set =
        |plan: &mut Plan, k: &str, v: &str| plan.change.set.push((k.to_string(), v.to_string()));
    // Where `awsp -` goes back to: only a profile awsp switches away from.
    // AWS_DEFAULT_PROFILE is unset by the switch but was never awsp's.
    let current = env.aws_profile.as_deref();
    match target {
        Target::Profile(name) => {
            set(&mut plan, "AWS_PROFILE", name);
            if let Some(prev) = current.filter(|p| p != name) {
                set(&mut plan, "AWSP_PREVIOUS", prev);
            }
        }
        Target::Unset => {
            plan.change.unset.push("AWS_PROFILE".into());
            if let Some(prev) = current {
                set(&mut plan, "AWSP_PREVIOUS", prev);
            }
        }
    }
    if let Some(default_profile) = &env.aws_default_profile {
        plan.change.unset.push("AWS_DEFAULT_PROFILE".into());
        plan.notices.push(format!(
            "unset AWS_DEFAULT_PROFILE={default_profile}: the AWS CLI reads it before AWS_PROFILE"
        ));
    }
    if let Some(region) = &opts.region {
        set(&mut plan, "AWS_REGION", region);
        set(&mut plan, "AWS_DEFAULT_REGION", region);
    }
    if opts.clear_keys {
        if !env.key_vars.is_empty() {
            plan.notices
                .push(format!("unset {}", env.key_vars.join(", ")));
        }
        plan.change
            .unset
            .extend(env.key_vars.iter().map(|k| k.to_string()));
    } else if let Some(warning) = env.key_warning() {
        plan.notices.push(format!("warning: {warning}"));
    }
    plan
}

/// The subcommands, for [`command_suggestion`].
const COMMANDS: [&str; 6] = ["list", "status", "login", "doctor", "clean", "init"];

/// The subcommand `query` looks like a typo of: within two edits of it, or
/// a start of it (`stat`, `doc`). The closest wins; ties go to the order of
/// [`COMMANDS`]. The caller asks only when no profile matches the query.
pub fn command_suggestion(query: &str) -> Option<&'static str> {
    let query = query.to_ascii_lowercase();
    if query.is_empty() || query.contains(char::is_whitespace) {
        return None;
    }
    COMMANDS
        .into_iter()
        .filter_map(|c| {
            let d = edit_distance(&query, c);
            if c.starts_with(&query) {
                Some((0, c))
            } else {
                (d <= 2 && d < c.len()).then_some((d, c))
            }
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance, with a swap of two neighbours counting as one
/// edit (`lsit` is one away from `list`).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// For the switch message: the profile's SSO session when it needs a login,
/// e.g. `session acme expired 2d ago: awsp login prod-admin`.
pub fn session_note(
    snap: &Snapshot,
    info: &ProfileInfo,
    name: &str,
    now: DateTime<Utc>,
) -> Option<String> {
    let token = info.token.as_ref()?;
    let state = snap.token_state(token, now);
    let what = match (state.status, state.expires_at) {
        (Status::Expired, Some(at)) if at <= now => {
            format!("expired {} ago", short_duration(now - at))
        }
        (Status::Expired, _) => "expired".to_string(),
        (Status::Missing, _) => "not logged in".to_string(),
        _ => return None,
    };
    let profile = snap.profile(info);
    let session = match crate::aws::ini::get_str(&profile.settings, "sso_session") {
        Some(s) if !s.is_empty() => format!("session {}", printable(s)),
        _ => "SSO token".to_string(),
    };
    Some(format!("{session} {what}: awsp login {}", login_word(name)))
}

/// `name` as a word to type after `awsp login`: quoted when the shell
/// would otherwise split or expand it, then made safe to print.
fn login_word(name: &str) -> String {
    let plain = name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | '@' | '+' | ':'));
    let word = if plain && !name.starts_with('-') {
        name.to_string()
    } else if name.starts_with('-') {
        format!("-- {}", quote_posix(name))
    } else {
        quote_posix(name)
    };
    printable(&word).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> ShellEnv {
        ShellEnv {
            aws_profile: Some("old".into()),
            ..ShellEnv::default()
        }
    }

    #[test]
    fn switch_keeps_previous() {
        let p = plan(
            &Target::Profile("new".into()),
            &env(),
            &SwitchRequest::default(),
        );
        assert_eq!(
            p.change.set,
            vec![
                ("AWS_PROFILE".into(), "new".into()),
                ("AWSP_PREVIOUS".into(), "old".into())
            ]
        );
        assert!(p.change.unset.is_empty() && p.notices.is_empty());
        let same = plan(
            &Target::Profile("old".into()),
            &env(),
            &SwitchRequest::default(),
        );
        assert_eq!(same.change.set, vec![("AWS_PROFILE".into(), "old".into())]);
    }

    #[test]
    fn default_profile_is_unset_and_said() {
        let e = ShellEnv {
            aws_default_profile: Some("dp".into()),
            ..env()
        };
        assert_eq!(e.active(), Some("dp"));
        let p = plan(
            &Target::Profile("new".into()),
            &e,
            &SwitchRequest::default(),
        );
        assert_eq!(p.change.unset, vec!["AWS_DEFAULT_PROFILE".to_string()]);
        assert!(
            p.change
                .set
                .contains(&("AWSP_PREVIOUS".into(), "old".into())),
            "previous is AWS_PROFILE, never AWS_DEFAULT_PROFILE: {p:?}"
        );
        assert!(p.notices[0].contains("AWS_DEFAULT_PROFILE=dp"));
    }

    #[test]
    fn unset_region_and_keys() {
        let e = ShellEnv {
            key_vars: vec!["AWS_ACCESS_KEY_ID"],
            ..env()
        };
        let opts = SwitchRequest {
            region: Some("eu-west-1".into()),
            clear_keys: true,
        };
        let p = plan(&Target::Unset, &e, &opts);
        assert_eq!(
            p.change.unset,
            vec!["AWS_PROFILE".to_string(), "AWS_ACCESS_KEY_ID".to_string()]
        );
        assert!(p
            .change
            .set
            .contains(&("AWS_DEFAULT_REGION".into(), "eu-west-1".into())));
        let warned = plan(&Target::Unset, &e, &SwitchRequest::default());
        assert!(warned.notices[0].contains("--clear-keys"));
    }

    #[test]
    fn command_typos() {
        for (typo, want) in [
            ("lsit", "list"),
            ("ls", "list"),
            ("stat", "status"),
            ("statsu", "status"),
            ("doc", "doctor"),
            ("lgoin", "login"),
            ("clena", "clean"),
            ("LIST", "list"),
        ] {
            assert_eq!(command_suggestion(typo), Some(want), "{typo}");
        }
        for far in ["prod", "x", "", "sandbox-dev", "list me"] {
            assert_eq!(command_suggestion(far), None, "{far}");
        }
    }

    #[test]
    fn login_words_are_typed_safely() {
        assert_eq!(login_word("prod-admin"), "prod-admin");
        assert_eq!(login_word("a b"), "'a b'");
        assert_eq!(login_word("-x"), "-- '-x'");
        assert_eq!(login_word("e\u{1b}x"), "'e\\ex'");
    }
}
