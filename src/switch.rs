//! What a switch changes in the calling shell, decided from the shell's
//! environment. Pure: the effects happen in `handoff`.

use crate::cli::SwitchOpts;
use crate::handoff::EnvChange;

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

pub fn plan(target: &Target, env: &ShellEnv, opts: &SwitchOpts) -> Plan {
    let mut plan = Plan::default();
    let set =
        |plan: &mut Plan, k: &str, v: &str| plan.change.set.push((k.to_string(), v.to_string()));
    let current = env.active();
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
            &SwitchOpts::default(),
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
            &SwitchOpts::default(),
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
        let p = plan(&Target::Profile("new".into()), &e, &SwitchOpts::default());
        assert_eq!(p.change.unset, vec!["AWS_DEFAULT_PROFILE".to_string()]);
        assert!(p.notices[0].contains("AWS_DEFAULT_PROFILE=dp"));
    }

    #[test]
    fn unset_region_and_keys() {
        let e = ShellEnv {
            key_vars: vec!["AWS_ACCESS_KEY_ID"],
            ..env()
        };
        let opts = SwitchOpts {
            region: Some("eu-west-1".into()),
            clear_keys: true,
            ..SwitchOpts::default()
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
        let warned = plan(&Target::Unset, &e, &SwitchOpts::default());
        assert!(warned.notices[0].contains("--clear-keys"));
    }
}
