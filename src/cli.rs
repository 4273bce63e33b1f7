//! The command line, in one place.

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "awsp",
    version,
    // clap's own usage line, in an error about a mistyped flag, puts the
    // flag it suggests into the usage (`awsp --version [QUERY]...`), which
    // reads like a command to type: a fixed line instead.
    override_usage = "awsp [OPTIONS] [QUERY]...\n       awsp [OPTIONS] <COMMAND>",
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

    /// Extra arguments for `aws sso login` (the picker's `l`, `awsp login`),
    /// e.g. "--use-device-code --no-browser" [env: AWSP_LOGIN_ARGS]
    #[arg(long, value_name = "ARGS", allow_hyphen_values = true)]
    pub login_args: Option<String>,
}

impl Cli {
    /// The parsed command line with `global.login_args` filled in.
    pub fn resolved(mut self) -> Cli {
        self.global.login_args = self.login_args().map(str::to_string);
        self
    }

    /// `--login-args`, given before the subcommand or (for `login`) after it.
    pub fn login_args(&self) -> Option<&str> {
        match &self.command {
            Some(Command::Login {
                login_args: Some(args),
                ..
            }) => Some(args),
            _ => self.login_args.as_deref(),
        }
    }
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

    /// Colour: auto (on a terminal, unless NO_COLOR is set), always (even
    /// piped, even with NO_COLOR), never.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// `--login-args` wherever it was given ([`Cli::resolved`] fills it).
    #[arg(skip)]
    pub login_args: Option<String>,
}

/// `--color WHEN`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print every profile and sso-session with token and credential state.
    List(ListArgs),
    /// Print the shell function that lets awsp set variables in your shell.
    Init {
        /// bash, zsh, fish, powershell, nu, or sh (dash, ksh, busybox sh).
        shell: crate::shell::Shell,
    },
    /// Log in to the sso-session of NAME (a session or a profile; default: the active profile).
    Login {
        /// An sso-session name, or a profile name.
        name: Option<String>,
        /// Extra arguments for `aws sso login`, e.g. "--use-device-code --no-browser"
        /// [env: AWSP_LOGIN_ARGS]
        #[arg(long, value_name = "ARGS", allow_hyphen_values = true)]
        login_args: Option<String>,
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
    /// Exit status: 0 printed (or no profile active: then nothing is printed,
    /// `{"profile":null}` with --json); 1 the active profile does not exist
    /// (prints `NAME?`); 2 a bad --format, or a config/credentials file that
    /// does not parse (prints `NAME!` and nothing on stderr: it runs in every
    /// prompt; `awsp doctor` says what is wrong).
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
    /// Find every account and role the Identity Center portal gives your
    /// sso-sessions, and plan (or add) profiles for them.
    ///
    /// Prints, per session, the assignments found, the NEW ones no profile
    /// covers (with the name each would get) and the STALE profiles whose
    /// account or role is no longer assigned. `--print` gives the new
    /// profiles' config text; `--write` puts them in awsp's own block of the
    /// config (`# awsp sync begin/end` lines), keeping every byte outside it
    /// and the previous file as `config.awsp-backup`. Exit status: 0 done, 1 a
    /// portal error, a named session not logged in, nothing synced, or the
    /// config changed meanwhile; 2 bad input.
    Sync(SyncArgs),
    /// Print PROFILE's role credentials (default: the active profile), the
    /// only command that prints secrets, on stdout only.
    ///
    /// A valid cached file in ~/.aws/cli/cache is used as is; an SSO profile
    /// with a valid token gets them from the portal (GetRoleCredentials) and
    /// the cache file is written as the AWS CLI writes it; anything else asks
    /// `aws configure export-credentials`. Exit status: 0 printed; 1 no
    /// credentials (log in: `--login`), unknown profile; 2 bad input; 127 no `aws`.
    Creds(CredsArgs),
    /// Run CMD as PROFILE, without a shell: AWS_PROFILE (or, with --keys,
    /// the key variables) and the profile's region; exit status is CMD's.
    Exec(ExecArgs),
    /// Open the AWS console signed in as PROFILE (the URL is a credential:
    /// printed only with --print).
    Console(ConsoleArgs),
    /// Print a completion script for packagers (`awsp init` already completes).
    ///
    /// The completion part of `awsp init SHELL`: install it as bash-completion's
    /// `completions/awsp`, as `_awsp` in a zsh `$fpath` directory, or as fish's
    /// `vendor_completions.d/awsp.fish`. It asks the binary for candidates.
    Completions {
        /// bash, zsh or fish.
        shell: CompletionShell,
    },
    /// Print the man page (roff), e.g. `awsp man | man -l -`.
    Man,
    /// Completion candidates for the shell scripts (internal).
    #[command(name = "__complete", hide = true)]
    Complete {
        /// The shell the candidates are formatted for.
        shell: CompletionShell,
        /// The command line's words, unquoted: the program, the words before
        /// the cursor, and the word being completed.
        #[arg(raw = true)]
        words: Vec<String>,
    },
}

/// What `creds`, `exec` and `console` share.
#[derive(Debug, Args)]
pub struct CredsCommon {
    /// Log in first without asking when the SSO token is expired.
    #[arg(long)]
    pub login: bool,
}

#[derive(Debug, Args)]
pub struct CredsArgs {
    /// The profile (default: the active one, else `default`).
    pub profile: Option<String>,
    /// process (credential_process JSON), env, fish, powershell, dotenv, json.
    #[arg(long, value_enum, default_value_t = crate::creds::format::Format::Process)]
    pub format: crate::creds::format::Format,
    #[command(flatten)]
    pub common: CredsCommon,
}

#[derive(Debug, Args)]
pub struct ExecArgs {
    /// The profile (default: the active one, else `default`).
    pub profile: Option<String>,
    /// Give CMD AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
    /// and AWS_CREDENTIAL_EXPIRATION instead of AWS_PROFILE.
    #[arg(long)]
    pub keys: bool,
    /// AWS_REGION and AWS_DEFAULT_REGION (default: the profile's region).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    #[command(flatten)]
    pub common: CredsCommon,
    /// The command and its arguments, after `--`; passed as they are.
    #[arg(last = true, value_name = "CMD", value_parser = clap::value_parser!(std::ffi::OsString))]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct ConsoleArgs {
    /// The profile (default: the active one, else `default`).
    pub profile: Option<String>,
    /// A service's console page, e.g. s3, ec2, cloudwatch.
    #[arg(long, value_name = "SERVICE", conflicts_with = "destination")]
    pub service: Option<String>,
    /// The console URL to land on.
    #[arg(long, value_name = "URL")]
    pub destination: Option<String>,
    /// The console's region (default: the profile's, else us-east-1).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Print the sign-in URL (a credential, valid 15 minutes) instead of opening it.
    #[arg(long)]
    pub print: bool,
    #[command(flatten)]
    pub common: CredsCommon,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// sso-sessions to sync (default: every session; those without a valid
    /// token are reported with the login command and not asked).
    #[arg(value_name = "SESSION")]
    pub sessions: Vec<String>,
    /// The plan as one JSON document.
    #[arg(long, conflicts_with = "print")]
    pub json: bool,
    /// Print the config text of the new profiles on stdout.
    #[arg(long)]
    pub print: bool,
    /// Write the new profiles into awsp's block of the config (and remove
    /// generated ones no longer assigned).
    #[arg(long)]
    pub write: bool,
    /// Profile names: {account} {account_id} {role} {short_role} {session};
    /// default "{account}-{short_role}" (e.g. prod-admin).
    #[arg(long, value_name = "TEMPLATE")]
    pub name: Option<String>,
    /// The region of new profiles (default: the session's sso_region).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
}

/// The shells completion scripts are written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
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

    fn help_of(args: &[&str]) -> String {
        let err = Cli::try_parse_from(args).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::DisplayHelp);
        err.to_string()
    }

    #[test]
    fn login_args_only_where_it_applies() {
        assert!(help_of(&["awsp", "--help"]).contains("--login-args"));
        assert!(help_of(&["awsp", "login", "--help"]).contains("--login-args"));
        for sub in ["list", "status", "doctor", "clean", "init"] {
            let help = help_of(&["awsp", sub, "--help"]);
            assert!(!help.contains("--login-args"), "{sub}: {help}");
        }
        let c =
            Cli::try_parse_from(["awsp", "login", "--login-args", "--no-browser", "acme"]).unwrap();
        assert!(matches!(
            c.command,
            Some(Command::Login { login_args: Some(ref a), .. }) if a == "--no-browser"
        ));
        let c = Cli::try_parse_from(["awsp", "--login-args", "--no-browser", "login"]).unwrap();
        assert_eq!(c.login_args(), Some("--no-browser"));
        assert!(Cli::try_parse_from(["awsp", "list", "--login-args", "x"]).is_err());
    }

    #[test]
    fn a_mistyped_flag_suggests_the_right_one() {
        let err = Cli::try_parse_from(["awsp", "--versoin"]).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("'--version'"), "{text}");
        assert!(
            !text.contains("Usage: awsp --version"),
            "the usage line is not the suggestion: {text}"
        );
    }

    #[test]
    fn color_choice() {
        for (arg, want) in [
            ("auto", ColorChoice::Auto),
            ("always", ColorChoice::Always),
            ("never", ColorChoice::Never),
        ] {
            let c = Cli::try_parse_from(["awsp", "list", "--color", arg]).unwrap();
            assert_eq!(c.global.color, want);
            let c = Cli::try_parse_from(["awsp", "--color", arg, "doctor"]).unwrap();
            assert_eq!(c.global.color, want);
        }
        assert_eq!(
            Cli::try_parse_from(["awsp"]).unwrap().global.color,
            ColorChoice::Auto
        );
        assert!(Cli::try_parse_from(["awsp", "--color", "sometimes"]).is_err());
    }

    #[test]
    fn init_sh_is_accepted() {
        let c = Cli::try_parse_from(["awsp", "init", "sh"]).unwrap();
        assert!(matches!(
            c.command,
            Some(Command::Init {
                shell: crate::shell::Shell::Posix
            })
        ));
    }
}
