//! awsp: parse the command line, run the command, map outcomes to exit codes.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use clap::Parser;

use awsp::aws::config::Config;
use awsp::aws::paths::AwsPaths;
use awsp::aws::snapshot::Snapshot;
use awsp::cli::{Cli, Command};
use awsp::commands::list;
use awsp::home::demo::DemoHome;
use awsp::home::history::{self, History};
use awsp::output::style::Style;
use awsp::shell::handoff::{self, Delivery, Shell};
use awsp::shell::switch::{self, ShellEnv, Target};
use awsp::tui::app::state::State;
use awsp::tui::picker::{self, Effects, LoginFailure, Outcome, Picker};
use awsp::tui::terminal::Screen;
use awsp::tui::ui::Theme;

/// Exit statuses shared with the shell function.
const EXIT_OK: u8 = 0;
const EXIT_CANCELLED: u8 = 1;
const EXIT_BAD_INPUT: u8 = 2;
const EXIT_INTERRUPTED: u8 = 130;

fn main() -> ExitCode {
    // Children (aws sso login) must not hold the shell function's pipe open.
    handoff::protect_fd3();
    let cli = Cli::parse().resolved();
    awsp::output::style::set_choice(cli.global.color);
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::from(EXIT_OK);
            }
            eprintln!("awsp: {}", printable_lines(&format!("{err:#}")));
            ExitCode::from(EXIT_BAD_INPUT)
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

/// `awsp list | head` closing the pipe early is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

/// Where the AWS files are for this run; holds the demo home alive.
struct Home {
    paths: AwsPaths,
    demo: Option<DemoHome>,
    /// Where the switch history lives (inside the demo home for --demo).
    state_dir: Option<std::path::PathBuf>,
}

impl Home {
    fn new(demo: bool, now: chrono::DateTime<chrono::Utc>) -> anyhow::Result<Home> {
        if demo {
            let home = DemoHome::create(now).context("creating the demo home")?;
            Ok(Home {
                paths: home.paths.clone(),
                state_dir: Some(home.home().join("state")),
                demo: Some(home),
            })
        } else {
            Ok(Home {
                paths: AwsPaths::from_process_env(),
                demo: None,
                state_dir: history::state_dir(),
            })
        }
    }

    fn load_history(&self) -> History {
        self.state_dir
            .as_deref()
            .map(History::load)
            .unwrap_or_default()
    }

    /// Counts a switch for recent-first ordering; failure only costs ordering.
    fn record_switch(&self, profile: &str) {
        if let Some(dir) = &self.state_dir {
            let mut h = History::load(dir);
            h.record(profile, chrono::Utc::now());
            if let Err(e) = h.save(dir) {
                eprintln!("awsp: could not update {}: {e}", dir.display());
            }
        }
    }

    fn load(&self) -> anyhow::Result<Snapshot> {
        // The error text is `PATH:LINE: reason`.
        Ok(Snapshot::load(&self.paths)?)
    }
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    let now = chrono::Utc::now();
    if let Some(Command::Init { shell }) = &cli.command {
        io::stdout().write_all(handoff::init_script(shell.shell()).as_bytes())?;
        return Ok(EXIT_OK);
    }
    let home = Home::new(cli.global.demo, now)?;
    let env = ShellEnv::from_process();
    match &cli.command {
        Some(Command::List(args)) => {
            let stdout = io::stdout();
            let pretty = stdout.is_terminal();
            let mut out = io::BufWriter::new(stdout.lock());
            if args.names {
                // Completion calls this on every Tab: the names need no caches.
                let config = Config::load_names(&home.paths.config, &home.paths.credentials)?;
                // Escaped for a person reading a terminal; exact for the
                // completion scripts, which read it through a pipe.
                list::write_names(&mut out, &config, pretty)?;
                std::mem::forget(config);
            } else {
                let snap = Snapshot::load_all(&home.paths)?;
                if args.json {
                    // Nothing went to `out` yet: the document still comes first.
                    let mut raw = raw_stdout(&stdout);
                    let sink: &mut dyn Write = match &mut raw {
                        Some(file) => file,
                        None => &mut out,
                    };
                    list::write_json(sink, &snap, env.active(), now, pretty)?;
                } else {
                    list::write_table(&mut out, &snap, env.active(), now, Style::for_stdout())?;
                }
                // The process ends next: freeing 10,000 profiles one by one
                // took 8% of `list --json`'s instructions.
                std::mem::forget(snap);
            }
            out.flush()?;
            Ok(EXIT_OK)
        }
        Some(Command::Init { .. }) => unreachable!("handled above"),
        Some(Command::Login { name, .. }) => {
            let snap = home.load()?;
            let env_args = std::env::var(awsp::awscli::login::LOGIN_ARGS_ENV).ok();
            let opts = awsp::commands::login::LoginOpts {
                name: name.as_deref(),
                active: env.active(),
                login_args: cli.global.login_args.as_deref(),
                login_args_env: env_args.as_deref(),
                demo: home.demo.as_ref().map(DemoHome::home),
            };
            Ok(awsp::commands::login::run(
                &snap,
                &opts,
                now,
                &mut io::stderr(),
            ))
        }
        Some(Command::Clean { dry_run, yes }) => {
            let snap = home.load()?;
            let opts = awsp::commands::clean::CleanOpts {
                dry_run: *dry_run,
                yes: *yes,
            };
            awsp::commands::clean::run(&snap, opts, now, &mut io::stdout().lock())
        }
        Some(Command::Status(args)) => {
            awsp::commands::status::run(&home.paths, &env, now, args, &mut io::stdout().lock())
        }
        Some(Command::Doctor { json }) => {
            awsp::commands::doctor::run(&home.paths, &env, now, *json, &mut io::stdout().lock())
        }
        None => run_switch(&cli, &home, &env),
    }
}

/// A handle of its own on stdout, for `list --json`'s one large document:
/// `io::stdout()` is a `LineWriter` that searches every chunk for its last
/// newline, 0.4 ms over the 6.6 MB of a 10,000-profile home. `None` if fd 1
/// cannot be duplicated; then stdout as usual.
#[cfg(unix)]
fn raw_stdout(stdout: &io::Stdout) -> Option<std::fs::File> {
    use std::os::fd::AsFd;
    let fd = stdout.as_fd().try_clone_to_owned().ok()?;
    Some(std::fs::File::from(fd))
}

#[cfg(not(unix))]
fn raw_stdout(_: &io::Stdout) -> Option<std::fs::File> {
    None
}

/// `awsp`, `awsp QUERY`, `awsp -`, `awsp --unset`.
fn run_switch(cli: &Cli, home: &Home, env: &ShellEnv) -> anyhow::Result<u8> {
    if cli.switch.unset {
        return hand_off(&Target::Unset, cli, env, home, None);
    }
    let query = cli.query.join(" ");
    let snap = home.load()?;
    if query == "-" {
        let Some(previous) = env.previous.clone() else {
            bail!("no previous profile yet (AWSP_PREVIOUS is unset): switch once with the shell function first");
        };
        if snap.find_profile(&previous).is_none() {
            bail!(
                "previous profile '{previous}' is no longer in {}",
                snap.paths.config.display()
            );
        }
        return hand_off(&Target::Profile(previous), cli, env, home, Some(&snap));
    }
    if !query.is_empty() && snap.find_profile(&query).is_some() {
        return hand_off(&Target::Profile(query), cli, env, home, Some(&snap));
    }
    if let Some(command) = mistyped_command(&snap, &query) {
        bail!(
            "no profile matches '{}'; did you mean 'awsp {command}'? (a profile named like a command: awsp -- NAME)",
            awsp::output::human::printable(&query)
        );
    }
    run_picker(cli, home, env, snap, &query)
}

/// The command `query` was probably meant to be, when it matches no profile
/// at all (the picker would open on nothing).
fn mistyped_command(snap: &Snapshot, query: &str) -> Option<&'static str> {
    use awsp::tui::app::filter::{Matcher, Ranks};
    let command = switch::command_suggestion(query)?;
    let entries = picker::entries(snap);
    let hits = Matcher::default().filter(&entries, query, None, &Ranks::file_order(entries.len()));
    hits.is_empty().then_some(command)
}

/// Opens the picker; a query that is not an exact name starts it filtered.
fn run_picker(
    cli: &Cli,
    home: &Home,
    env: &ShellEnv,
    snap: Snapshot,
    query: &str,
) -> anyhow::Result<u8> {
    let now = chrono::Utc::now();
    let mut warnings = Vec::new();
    if let Some(dp) = &env.aws_default_profile {
        warnings.push(format!(
            "AWS_DEFAULT_PROFILE={dp} is read before AWS_PROFILE; switching unsets it"
        ));
    }
    if let Some(w) = env.key_warning() {
        warnings.push(w);
    }
    let entries = picker::entries(&snap);
    let mut picker = Picker {
        snap,
        state: State::new(entries, query, now).with_history(home.load_history()),
        active: env.active(),
        warnings,
        theme: Theme {
            color: awsp::output::style::no_color_unset(),
        },
    };
    let login_args = awsp::awscli::login::extra_args(
        cli.global.login_args.as_deref(),
        std::env::var(awsp::awscli::login::LOGIN_ARGS_ENV)
            .ok()
            .as_deref(),
    );
    let mut effects = MainEffects {
        home,
        login_args,
        pending_clean: None,
    };
    let outcome = {
        let mut screen = Screen::enter()?;
        // scripts/bench-startup times the whole process up to the first frame.
        // tests/e2e_picker.rs panics here to check the terminal is restored.
        let panic_test = std::env::var_os("AWSP_PANIC_AFTER_FIRST_FRAME").is_some();
        let first_frame_only =
            panic_test || std::env::var_os("AWSP_EXIT_AFTER_FIRST_FRAME").is_some();
        let outcome = picker.run(&mut screen, &mut effects, first_frame_only)?;
        assert!(
            !panic_test,
            "AWSP_PANIC_AFTER_FIRST_FRAME is set: a panic with the picker on screen"
        );
        outcome
        // The screen is restored here, before anything is printed.
    };
    match outcome {
        Outcome::Switch(name) => {
            hand_off(&Target::Profile(name), cli, env, home, Some(&picker.snap))
        }
        Outcome::Cancel => Ok(EXIT_CANCELLED),
        Outcome::Interrupt => Ok(EXIT_INTERRUPTED),
    }
}

/// The picker's IO effects, backed by this run's AWS home.
struct MainEffects<'a> {
    home: &'a Home,
    login_args: Vec<String>,
    /// What `c` found, kept for the confirmation.
    pending_clean: Option<awsp::aws::clean::CleanPlan>,
}

impl Effects for MainEffects<'_> {
    fn login(
        &mut self,
        screen: &mut Screen,
        snap: &Snapshot,
        profile: &str,
    ) -> Result<String, LoginFailure> {
        use awsp::awscli::login::{self, LoginOutcome, LoginTarget};
        let plan = login::plan(
            snap,
            &LoginTarget::Profile(profile.to_string()),
            &self.login_args,
        )?;
        let demo = self.home.demo.as_ref().map(DemoHome::home);
        // Check before giving the screen away: nothing to run, nothing to leave.
        if demo.is_none() && login::find_on_path("aws").is_none() {
            return Err(LoginFailure {
                summary: "the AWS CLI (aws) is not on PATH".into(),
                details: vec![
                    login::INSTALL_HINT.to_string(),
                    "`awsp doctor` checks the set-up".into(),
                ],
            });
        }
        let now = chrono::Utc::now();
        let run = screen
            .suspended(|| {
                eprintln!(
                    "awsp: {}",
                    awsp::output::human::printable(&plan.command_line())
                );
                login::run_keeping_errors(&plan, demo, now)
            })
            .map_err(|e| format!("could not restore the screen: {e}"))?;
        let text = awsp::commands::login::outcome_text(&plan, &run.outcome, chrono::Utc::now());
        match run.outcome {
            LoginOutcome::Ok {
                new_expiry: Some(at),
            } if at > chrono::Utc::now() => Ok(text),
            LoginOutcome::Failed { .. } => Err(LoginFailure {
                summary: text,
                details: login_failure_details(run.last_lines),
            }),
            _ => Err(text.into()),
        }
    }

    fn plan_clean(&mut self, snap: &Snapshot) -> Option<(String, Vec<String>)> {
        let now = chrono::Utc::now();
        let plan = awsp::aws::clean::scan(snap, now);
        let stale = plan.stale_count();
        if stale == 0 {
            return None;
        }
        // One short line per file: the popup must not wrap.
        let lines = plan
            .stale()
            .map(|v| {
                let when = match &v.decision {
                    awsp::aws::clean::Decision::Stale { expired_at } => {
                        awsp::commands::clean::expired_text(*expired_at, now)
                    }
                    awsp::aws::clean::Decision::Keep { reason } => reason.to_string(),
                };
                let name = if v.name.chars().count() > 24 {
                    format!("{}….json", v.name.chars().take(10).collect::<String>())
                } else {
                    v.name.clone()
                };
                format!(
                    "{}/{name}  {when}  {}",
                    v.folder.display(),
                    awsp::output::clean::owners_text(&v.owner)
                )
            })
            .collect();
        let title = format!(
            "Remove {stale} stale cache file{}?",
            if stale == 1 { "" } else { "s" }
        );
        self.pending_clean = Some(plan);
        Some((title, lines))
    }

    fn clean(&mut self, _snap: &Snapshot) -> Result<String, String> {
        use awsp::aws::clean::RemoveResult;
        let Some(plan) = self.pending_clean.take() else {
            return Err("nothing to clean".into());
        };
        let outcomes = awsp::aws::clean::remove(&plan, chrono::Utc::now());
        let count = |f: fn(&RemoveResult) -> bool| outcomes.iter().filter(|o| f(&o.result)).count();
        let removed = count(|r| matches!(r, RemoveResult::Removed));
        let skipped = count(|r| matches!(r, RemoveResult::Skipped { .. }));
        let failed: Vec<String> = outcomes
            .iter()
            .filter_map(|o| match &o.result {
                RemoveResult::Failed { error } => Some(format!("{}: {error}", o.name)),
                _ => None,
            })
            .collect();
        let mut msg = format!(
            "removed {removed} stale cache file{}",
            if removed == 1 { "" } else { "s" }
        );
        if skipped > 0 {
            msg.push_str(&format!(", {skipped} changed since and kept"));
        }
        if failed.is_empty() {
            Ok(msg)
        } else {
            Err(format!("{msg}; failed: {}", failed.join("; ")))
        }
    }

    fn reload(&mut self) -> anyhow::Result<Snapshot> {
        self.home.load()
    }

    fn save_history(&mut self, history: &History) -> Result<(), String> {
        match &self.home.state_dir {
            Some(dir) => history
                .save(dir)
                .map_err(|e| format!("{}: {e}", dir.display())),
            None => Err("no state folder (set AWSP_STATE_DIR)".into()),
        }
    }
}

/// What aws printed last, and a pointer to `awsp doctor` when the CLI on
/// PATH is v1 (which has no sso-session logins).
fn login_failure_details(mut lines: Vec<String>) -> Vec<String> {
    let v1 = awsp::awscli::login::find_on_path("aws")
        .and_then(|aws| awsp::awscli::login::cli_major_version(&aws))
        .is_some_and(|major| major < 2);
    if v1 {
        lines.push(
            "the AWS CLI on PATH is v1, which cannot log in sso-sessions: run `awsp doctor`"
                .to_string(),
        );
    }
    lines
}

/// Writes the change for the shell function and tells the user what happened.
fn hand_off(
    target: &Target,
    cli: &Cli,
    env: &ShellEnv,
    home: &Home,
    snap: Option<&Snapshot>,
) -> anyhow::Result<u8> {
    if let Target::Profile(name) = target {
        if let Some(reason) = awsp::aws::envname::unswitchable_reason(name) {
            bail!(
                "cannot switch to profile '{}': {reason}",
                awsp::output::human::printable(name)
            );
        }
    }
    let plan = switch::plan(target, env, &cli.switch);
    if home.demo.is_some() {
        return show_demo_handoff(&plan, target, snap);
    }
    let delivery = handoff::deliver(&plan.change).context("handing the change to the shell")?;
    // Only a switch the shell function applied is one the user made.
    if let (Target::Profile(name), Delivery::Fd3 | Delivery::File(_)) = (target, &delivery) {
        home.record_switch(name);
    }
    for notice in &plan.notices {
        eprintln!("awsp: {}", awsp::output::human::printable(notice));
    }
    match target {
        Target::Profile(name) => report_switch(name, snap),
        Target::Unset => eprintln!("awsp: AWS_PROFILE unset"),
    }
    if delivery == Delivery::Stdout {
        eprintln!("{}", handoff::install_hint(Shell::detect()));
    }
    Ok(EXIT_OK)
}

/// `awsp: AWS_PROFILE=NAME`, with the session's state when it needs a
/// login, and a warning when the CLI cannot use the profile.
fn report_switch(name: &str, snap: Option<&Snapshot>) {
    let info = snap.and_then(|s| Some((s, s.find_profile(name)?)));
    let session =
        info.and_then(|(s, info)| switch::session_note(s, info, name, chrono::Utc::now()));
    let shown = awsp::output::human::printable(name);
    match session {
        Some(note) => eprintln!("awsp: AWS_PROFILE={shown} ({note})"),
        None => eprintln!("awsp: AWS_PROFILE={shown}"),
    }
    // Switching is allowed, but the CLI will fail with this profile.
    if let Some(problem) = info.and_then(|(_, p)| p.problem.as_deref()) {
        eprintln!(
            "awsp: warning: the AWS CLI cannot use '{shown}': {}",
            awsp::output::human::printable(problem)
        );
    }
}

/// `--demo` never changes the caller's shell (its profiles are not the
/// user's): it shows what it would have handed over, and hands nothing.
fn show_demo_handoff(
    plan: &switch::Plan,
    target: &Target,
    snap: Option<&Snapshot>,
) -> anyhow::Result<u8> {
    let what = match target {
        Target::Profile(name) => format!("AWS_PROFILE={}", awsp::output::human::printable(name)),
        Target::Unset => "AWS_PROFILE unset".into(),
    };
    eprintln!("awsp: demo: {what}; your shell is not changed (demo profiles are not yours). Outside --demo, awsp would hand the shell:");
    for line in handoff::render(Shell::detect(), &plan.change).lines() {
        eprintln!("awsp:     {}", awsp::output::human::printable(line));
    }
    if let Target::Profile(name) = target {
        if let Some(note) = snap
            .and_then(|s| Some((s, s.find_profile(name)?)))
            .and_then(|(s, info)| switch::session_note(s, info, name, chrono::Utc::now()))
        {
            eprintln!("awsp: demo: {note}");
        }
    }
    Ok(EXIT_OK)
}
