//! awsp: parse the command line, run the command, map outcomes to exit codes.

#![deny(unsafe_code)]

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use awsp::awscli::login::{extra_args, LOGIN_ARGS_ENV};
use awsp::cli::{Cli, Command};
use awsp::commands::{self, login::LoginOpts, switch::SwitchArgs};
use awsp::exit;
use awsp::home::Home;
use awsp::shell::switch::{ShellEnv, SwitchRequest};

fn main() -> ExitCode {
    // Children (aws sso login) must not hold the shell function's pipe open.
    awsp::shell::protect_fd3();
    let cli = Cli::parse().resolved();
    awsp::output::style::set_choice(cli.global.color);
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        // `awsp list | head` closing the pipe early is not an error.
        Err(err) if is_broken_pipe(&err) => ExitCode::from(exit::OK),
        Err(err) => {
            eprintln!("awsp: {}", printable_lines(&format!("{err:#}")));
            ExitCode::from(exit::BAD_INPUT)
        }
    }
}

/// An error for people: it may quote a profile name or a line of a file,
/// so each line is made safe for the terminal (its line breaks kept).
fn printable_lines(text: &str) -> String {
    text.split('\n')
        .map(awsp::output::human::printable)
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    let now = chrono::Utc::now();
    // Made per command: `init` reads no home, and `--demo` creates one.
    let home = || Home::new(cli.global.demo, now);
    let env = ShellEnv::from_process();
    let login_args_env = std::env::var(LOGIN_ARGS_ENV).ok();
    let login_args = cli.global.login_args.as_deref();
    // What creds, exec and console ask for: the profile and how to log in.
    let active = env.active();
    let want = |profile, login| commands::creds::Want {
        profile: commands::creds::profile_or_active(profile, active),
        login,
        login_args,
        login_args_env: login_args_env.as_deref(),
    };
    match &cli.command {
        Some(Command::Init { shell }) => {
            io::stdout().write_all(awsp::shell::init_script(*shell).as_bytes())?;
            Ok(exit::OK)
        }
        Some(Command::List(args)) => {
            let home = home()?;
            commands::list::run(&home.paths, home.state_dir(), args, env.active(), now)
        }
        Some(Command::Login { name, .. }) => {
            let home = home()?;
            let opts = LoginOpts {
                name: name.as_deref(),
                active: env.active(),
                login_args,
                login_args_env: login_args_env.as_deref(),
                demo: home.demo_dir(),
            };
            Ok(commands::login::run(
                &home.load()?,
                &opts,
                now,
                &mut io::stderr(),
            ))
        }
        Some(Command::Clean { dry_run, yes }) => {
            let opts = commands::clean::CleanOpts {
                dry_run: *dry_run,
                yes: *yes,
            };
            commands::clean::run(&home()?.load()?, opts, now, &mut io::stdout().lock())
        }
        Some(Command::Status(args)) => {
            commands::status::run(&home()?.paths, &env, now, args, &mut io::stdout().lock())
        }
        Some(Command::Doctor { json }) => {
            let home = home()?;
            let state = home.state_dir();
            commands::doctor::run(
                &home.paths,
                state,
                &env,
                now,
                *json,
                &mut io::stdout().lock(),
            )
        }
        Some(Command::Sync(args)) => {
            let home = home()?;
            let progress = io::stderr().is_terminal() && !args.json;
            let mut fetch = |s: &commands::sync::Session| commands::sync::portal_fetch(s, progress);
            commands::sync::run(
                &home.paths,
                home.state_dir(),
                &commands::sync::SyncOpts::from(args),
                now,
                &mut fetch,
                &mut io::stdout().lock(),
                &mut io::stderr(),
            )
        }
        Some(Command::Creds(args)) => {
            let home = home()?;
            let want = want(args.profile.as_deref(), args.common.login);
            commands::creds::run(
                &home,
                &want,
                args.format,
                &mut io::stdout().lock(),
                &mut io::stderr(),
            )
        }
        Some(Command::Exec(args)) => {
            let home = home()?;
            let opts = commands::exec::ExecOpts {
                want: want(args.profile.as_deref(), args.common.login),
                keys: args.keys,
                region: args.region.as_deref(),
                command: &args.command,
            };
            Ok(commands::exec::run(&home, &opts, &mut io::stderr()))
        }
        Some(Command::Console(args)) => {
            let home = home()?;
            let opts = commands::console::ConsoleOpts {
                want: want(args.profile.as_deref(), args.common.login),
                service: args.service.as_deref(),
                destination: args.destination.as_deref(),
                region: args.region.as_deref(),
                print: args.print,
            };
            Ok(commands::console::run(
                &home,
                &opts,
                &mut io::stdout().lock(),
                &mut io::stderr(),
            ))
        }
        Some(Command::Complete { shell, words }) => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            let code = commands::complete::run(*shell, words, &home()?.paths, &mut out)?;
            out.flush()?;
            Ok(code)
        }
        Some(Command::Completions { shell }) => {
            io::stdout().write_all(commands::complete::script(*shell).as_bytes())?;
            Ok(exit::OK)
        }
        Some(Command::Man) => {
            commands::complete::man_page(&mut io::stdout().lock())?;
            Ok(exit::OK)
        }
        None => {
            let args = SwitchArgs {
                query: cli.query.join(" "),
                unset: cli.switch.unset,
                request: SwitchRequest {
                    region: cli.switch.region.clone(),
                    clear_keys: cli.switch.clear_keys,
                },
                login_args: extra_args(login_args, login_args_env.as_deref()),
            };
            commands::switch::run(&args, &home()?, &env)
        }
    }
}
