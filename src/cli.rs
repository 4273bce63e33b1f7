//! The command line, in one place.

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "awsp",
    version,
    about = "Pick an AWS profile and set AWS_PROFILE in your shell (IAM Identity Center aware)",
    long_about = "Pick an AWS profile and set AWS_PROFILE in your shell.\n\n\
        awsp reads ~/.aws/config, ~/.aws/credentials and the SSO and role-credential caches \
        exactly as the AWS CLI does, shows every sso-session's token state and every profile's \
        account, role and credentials, and hands `export AWS_PROFILE=...` to the shell function \
        installed by `awsp init <shell>`.",
    after_help = "Examples:\n  \
        awsp                 open the picker\n  \
        awsp prod-admin      switch at once (exact profile name)\n  \
        awsp prod            open the picker filtered by 'prod'\n  \
        awsp -               switch back to the previous profile\n  \
        awsp --unset         unset AWS_PROFILE\n  \
        awsp list --json     every profile and session, for scripts\n  \
        eval \"$(awsp init bash)\"   install the shell function (see README)\n\n\
        Exit status: 0 switched, 1 cancelled, 2 bad input or config, 130 interrupted.\n\
        A profile named like a command: awsp -- list"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// A profile name to switch to, or text to filter the picker by; `-` switches
    /// back to the previous profile. Use `awsp -- NAME` for a name starting with `-`.
    #[arg(value_name = "QUERY", allow_hyphen_values = false)]
    pub query: Vec<String>,

    #[command(flatten)]
    pub switch: SwitchOpts,

    #[command(flatten)]
    pub global: GlobalOpts,
}

#[derive(Debug, Args, Clone, Default)]
pub struct SwitchOpts {
    /// Unset AWS_PROFILE instead of picking one.
    #[arg(long, conflicts_with = "query")]
    pub unset: bool,

    /// Also export AWS_REGION and AWS_DEFAULT_REGION (boto3 reads the latter).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Also unset AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN,
    /// which otherwise override any profile.
    #[arg(long)]
    pub clear_keys: bool,
}

#[derive(Debug, Args, Clone, Default)]
pub struct GlobalOpts {
    /// Use a bundled demo AWS home instead of yours (nothing of yours is read or written).
    #[arg(long, global = true)]
    pub demo: bool,

    /// Extra arguments for `aws sso login`, e.g. "--use-device-code --no-browser"
    /// [env: AWSP_LOGIN_ARGS]
    #[arg(long, global = true, value_name = "ARGS", allow_hyphen_values = true)]
    pub login_args: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print every profile and sso-session with token and credential state.
    List(ListArgs),
    /// Print the shell function that lets awsp set variables in your shell.
    Init {
        /// bash, zsh, fish, powershell or nu.
        shell: InitShell,
    },
    /// Log in to the sso-session of NAME (a session or a profile; default: the active profile).
    Login {
        /// An sso-session name, or a profile name.
        name: Option<String>,
    },
    /// Remove cache files that are provably stale (expired and not refreshable).
    Clean {
        /// Only list what would be removed and what is kept.
        #[arg(long)]
        dry_run: bool,
        /// Do not ask before removing.
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// One short line for prompts: active profile, account/role, session time left.
    ///
    /// `prod-admin 111111111111/AdministratorAccess acme:6h12m`; the session part
    /// reads `expired`, `refreshable`, `missing` or `error` instead of a time, and
    /// is left out for profiles that are not SSO. A trailing `!` marks a profile
    /// the AWS CLI cannot use (`awsp doctor` says why).
    ///
    /// Exit status: 0 printed (or no profile active: then nothing is printed);
    /// 1 the active profile does not exist (prints `NAME?`); 2 a bad --format,
    /// or a config/credentials file that does not parse (prints `NAME!`).
    Status(StatusArgs),
    /// Check the set-up and explain what is wrong, one line per finding.
    ///
    /// Checks the `aws` CLI (present, v2.9.0 or later), variables that override
    /// or confuse the profile, the active profile, files that do not parse,
    /// profiles with a problem, sections the CLI drops or shadows, [DEFAULT]
    /// leaks, expired SSO tokens and stale cache files. Exit status: 0 when there
    /// are only `ok`/`info` findings, 1 when there is an `error` or `warn`.
    Doctor {
        /// One JSON document for scripts.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// One JSON document for scripts.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// A template, e.g. "{profile} {account}/{role} {session}:{left}".
    /// Placeholders: {profile} {account} {role} {region} {session} {status}
    /// {left} {kind} {mark} (`!` problem, `?` unknown profile); `{{` and `}}`
    /// are literal braces; an unknown placeholder exits 2.
    #[arg(long, value_name = "TEMPLATE")]
    pub format: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// One JSON document for scripts.
    #[arg(long, conflicts_with = "names")]
    pub json: bool,
    /// Profile names only, one per line (for completion).
    #[arg(long)]
    pub names: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum InitShell {
    Bash,
    Zsh,
    Fish,
    #[value(alias = "pwsh")]
    Powershell,
    #[value(alias = "nushell")]
    Nu,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn dash_and_double_dash() {
        let c = Cli::try_parse_from(["awsp", "-"]).unwrap();
        assert_eq!(c.query, vec!["-"]);
        let c = Cli::try_parse_from(["awsp", "--", "-weird"]).unwrap();
        assert_eq!(c.query, vec!["-weird"]);
        let c = Cli::try_parse_from(["awsp", "list", "--json", "--demo"]).unwrap();
        assert!(
            c.global.demo && matches!(c.command, Some(Command::List(ListArgs { json: true, .. })))
        );
    }
}
