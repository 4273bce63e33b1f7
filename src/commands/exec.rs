//! `awsp exec [PROFILE] -- CMD [ARGS...]`: CMD runs as the profile, with no
//! shell in between. awsp replaces itself with CMD (exec(2)), so CMD's exit
//! status and its signals are its own by construction, and no awsp process
//! is left to forward them.

use std::ffi::OsString;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::process::Command;

use crate::aws::resolve::Kind;
use crate::creds::source::{region_of, usable_profile};
use crate::exit;
use crate::home::Home;
use crate::output::human::printable;

use super::creds::{obtain, Want};

/// Variables that would override or confuse the profile CMD is given.
pub const REMOVED: &[&str] = &[
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
];

#[derive(Debug)]
pub struct ExecOpts<'a> {
    pub want: Want<'a>,
    /// `--keys`: the key variables instead of `AWS_PROFILE`.
    pub keys: bool,
    /// `--region`: overrides the profile's region.
    pub region: Option<&'a str>,
    pub command: &'a [OsString],
}

/// What CMD's environment changes to: variables to set, in order, after
/// [`REMOVED`] are removed.
pub fn child_env(
    profile: &str,
    region: Option<&str>,
    keys: Option<&crate::creds::Credentials>,
) -> Vec<(&'static str, String)> {
    let mut set = match keys {
        None => vec![("AWS_PROFILE", profile.to_string())],
        Some(c) => crate::creds::format::variables(c),
    };
    if let Some(r) = region {
        set.push(("AWS_REGION", r.to_string()));
        set.push(("AWS_DEFAULT_REGION", r.to_string()));
    }
    set
}

/// Runs CMD; returns only when it could not be started.
pub fn run(home: &Home, opts: &ExecOpts, err: &mut dyn Write) -> u8 {
    let Some((program, args)) = opts.command.split_first() else {
        let _ = writeln!(
            err,
            "awsp: exec: no command given: awsp exec PROFILE -- CMD [ARGS...]"
        );
        return exit::BAD_INPUT;
    };
    let profile = opts.want.profile;
    // The profile must exist and be usable; SSO and assume-role profiles
    // get their credentials now (cached for CMD's SDK, the login offered
    // here rather than failing inside CMD), other kinds only with --keys.
    let (config, info) = match usable_profile(&home.paths, profile) {
        Ok(found) => found,
        Err(e) => return super::creds::report(&e, err),
    };
    let needed = opts.keys || matches!(info.kind, Kind::Sso | Kind::SsoLegacy | Kind::AssumeRole);
    let profile_region = region_of(&config, &info);
    let resolved = if needed {
        match obtain(home, &opts.want, Some((config, info)), err) {
            Ok(r) => Some(r),
            Err(code) => return code,
        }
    } else {
        None
    };
    let region = opts.region.map(str::to_string).or(profile_region);
    let keys = if opts.keys {
        resolved.as_ref().map(|r| &r.creds)
    } else {
        None
    };
    let mut cmd = Command::new(program);
    cmd.args(args);
    for name in REMOVED {
        cmd.env_remove(name);
    }
    for (name, value) in child_env(profile, region.as_deref(), keys) {
        cmd.env(name, value);
    }
    let error = cmd.exec();
    let shown = printable(&program.to_string_lossy()).into_owned();
    let _ = writeln!(err, "awsp: exec: cannot run {shown}: {error}");
    if error.kind() == std::io::ErrorKind::NotFound {
        exit::NOT_INSTALLED
    } else {
        exit::CANNOT_RUN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_mode_sets_the_profile_and_region_and_no_keys() {
        let env = child_env("p", Some("eu-west-1"), None);
        assert_eq!(
            env,
            [
                ("AWS_PROFILE", "p".to_string()),
                ("AWS_REGION", "eu-west-1".into()),
                ("AWS_DEFAULT_REGION", "eu-west-1".into())
            ]
        );
    }

    #[test]
    fn keys_mode_sets_keys_and_no_profile() {
        let c = crate::creds::Credentials {
            access_key_id: "A".into(),
            secret_access_key: "S".into(),
            session_token: Some("T".into()),
            expiration: Some("2026-12-02T15:00:00Z".parse().unwrap()),
        };
        let env = child_env("p", None, Some(&c));
        let names: Vec<_> = env.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            names,
            [
                "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY",
                "AWS_SESSION_TOKEN",
                "AWS_CREDENTIAL_EXPIRATION"
            ]
        );
    }
}
