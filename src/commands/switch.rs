//! `awsp`, `awsp QUERY`, `awsp -`, `awsp --unset`: switch at once to an
//! exact name, else open the picker; then hand the change to the shell
//! function and say what happened (on stderr: stdout may be the hand-off).

use anyhow::{bail, Context as _};

use crate::aws::envname::unswitchable_reason;
use crate::aws::snapshot::Snapshot;
use crate::exit;
use crate::home::Home;
use crate::output::human::printable;
use crate::shell::switch::{self, Plan, ShellEnv, SwitchRequest, Target};
use crate::shell::{deliver, install_hint, render, Delivery, Shell};
use crate::tui::app::state::State;
use crate::tui::effects::HomeEffects;
use crate::tui::picker::{self, Outcome, Picker};
use crate::tui::terminal::Screen;
use crate::tui::ui::Theme;

/// What the command line asked of a switch.
#[derive(Clone, Debug, Default)]
pub struct SwitchArgs {
    /// The words after `awsp`, joined by spaces: a name, a filter, `-`, or empty.
    pub query: String,
    /// `--unset`.
    pub unset: bool,
    pub request: SwitchRequest,
    /// The extra arguments for `aws sso login` (the picker's `l`).
    pub login_args: Vec<String>,
}

/// Runs the switch; returns the exit status.
pub fn run(args: &SwitchArgs, home: &Home, env: &ShellEnv) -> anyhow::Result<u8> {
    if args.unset {
        return hand_off(&Target::Unset, args, env, home, None);
    }
    let query = args.query.as_str();
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
        return hand_off(&Target::Profile(previous), args, env, home, Some(&snap));
    }
    if !query.is_empty() && snap.find_profile(query).is_some() {
        return hand_off(
            &Target::Profile(query.to_string()),
            args,
            env,
            home,
            Some(&snap),
        );
    }
    if let Some(command) = mistyped_command(&snap, query) {
        bail!(
            "no profile matches '{}'; did you mean 'awsp {command}'? (a profile named like a command: awsp -- NAME)",
            printable(query)
        );
    }
    run_picker(args, home, env, snap)
}

/// The command `query` was probably meant to be, when it matches no profile
/// at all (the picker would open on nothing).
fn mistyped_command(snap: &Snapshot, query: &str) -> Option<&'static str> {
    use crate::tui::app::filter::{Matcher, Ranks};
    let command = switch::command_suggestion(query)?;
    let entries = picker::entries(snap);
    let hits = Matcher::default().filter(&entries, query, None, &Ranks::file_order(entries.len()));
    hits.is_empty().then_some(command)
}

/// What the picker warns about on its first screen.
fn picker_warnings(env: &ShellEnv) -> Vec<String> {
    let mut warnings = Vec::new();
    if let Some(dp) = &env.aws_default_profile {
        warnings.push(format!(
            "AWS_DEFAULT_PROFILE={dp} is read before AWS_PROFILE; switching unsets it"
        ));
    }
    warnings.extend(env.key_warning());
    warnings
}

/// Opens the picker; a query that is not an exact name starts it filtered.
fn run_picker(
    args: &SwitchArgs,
    home: &Home,
    env: &ShellEnv,
    snap: Snapshot,
) -> anyhow::Result<u8> {
    let now = chrono::Utc::now();
    let sync = crate::sync::known::SyncView::load(home.state_dir(), &snap.config);
    let entries = picker::entries_with(&snap, &sync.synced);
    let new = picker::new_entries(&sync.unprofiled);
    let mut state = State::new(entries, &args.query, now).with_history(home.load_history());
    state.set_new_entries(new);
    let mut picker = Picker {
        snap,
        state,
        active: env.active(),
        warnings: picker_warnings(env),
        theme: Theme {
            color: crate::output::style::no_color_unset(),
        },
        sync,
    };
    let mut effects = HomeEffects::new(home, args.login_args.clone());
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
    if let Some(line) = picker.state.parting.take() {
        // (Console errors name no secret; the notice line escaped them too.)
        eprintln!("awsp: {}", crate::output::human::printable(&line));
    }
    match outcome {
        Outcome::Switch(name) => {
            hand_off(&Target::Profile(name), args, env, home, Some(&picker.snap))
        }
        Outcome::Cancel => Ok(exit::CANCELLED),
        Outcome::Interrupt => Ok(exit::INTERRUPTED),
    }
}

/// Writes the change for the shell function and tells the user what happened.
fn hand_off(
    target: &Target,
    args: &SwitchArgs,
    env: &ShellEnv,
    home: &Home,
    snap: Option<&Snapshot>,
) -> anyhow::Result<u8> {
    if let Target::Profile(name) = target {
        if let Some(reason) = unswitchable_reason(name) {
            bail!("cannot switch to profile '{}': {reason}", printable(name));
        }
    }
    let plan = switch::plan(target, env, &args.request);
    if home.demo_dir().is_some() {
        return show_demo_handoff(&plan, target, snap);
    }
    let delivery = deliver(&plan.change).context("handing the change to the shell")?;
    // Only a switch the shell function applied is one the user made.
    if let (Target::Profile(name), Delivery::Fd3 | Delivery::File(_)) = (target, &delivery) {
        home.record_switch(name);
    }
    for notice in &plan.notices {
        eprintln!("awsp: {}", printable(notice));
    }
    match target {
        Target::Profile(name) => report_switch(name, snap),
        Target::Unset => eprintln!("awsp: AWS_PROFILE unset"),
    }
    if delivery == Delivery::Stdout {
        eprintln!("{}", install_hint(Shell::detect()));
    }
    Ok(exit::OK)
}

/// The note on a switch to `name` when its SSO session needs a login.
fn session_note_for(snap: Option<&Snapshot>, name: &str) -> Option<String> {
    let snap = snap?;
    let info = snap.find_profile(name)?;
    switch::session_note(snap, info, name, chrono::Utc::now())
}

/// `awsp: AWS_PROFILE=NAME`, with the session's state when it needs a
/// login, and a warning when the CLI cannot use the profile.
fn report_switch(name: &str, snap: Option<&Snapshot>) {
    let shown = printable(name);
    match session_note_for(snap, name) {
        Some(note) => eprintln!("awsp: AWS_PROFILE={shown} ({note})"),
        None => eprintln!("awsp: AWS_PROFILE={shown}"),
    }
    // Switching is allowed, but the CLI will fail with this profile.
    let problem = snap.and_then(|s| s.find_profile(name)?.problem.as_deref());
    if let Some(problem) = problem {
        eprintln!(
            "awsp: warning: the AWS CLI cannot use '{shown}': {}",
            printable(problem)
        );
    }
}

/// `--demo` never changes the caller's shell (its profiles are not the
/// user's): it shows what it would have handed over, and hands nothing.
fn show_demo_handoff(plan: &Plan, target: &Target, snap: Option<&Snapshot>) -> anyhow::Result<u8> {
    let what = match target {
        Target::Profile(name) => format!("AWS_PROFILE={}", printable(name)),
        Target::Unset => "AWS_PROFILE unset".into(),
    };
    eprintln!("awsp: demo: {what}; your shell is not changed (demo profiles are not yours). Outside --demo, awsp would hand the shell:");
    for line in render(Shell::detect(), &plan.change).lines() {
        eprintln!("awsp:     {}", printable(line));
    }
    if let Target::Profile(name) = target {
        if let Some(note) = session_note_for(snap, name) {
            eprintln!("awsp: demo: {note}");
        }
    }
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picker_warns_of_what_overrides_the_profile() {
        assert!(picker_warnings(&ShellEnv::default()).is_empty());
        let env = ShellEnv {
            aws_default_profile: Some("dp".into()),
            key_vars: vec!["AWS_ACCESS_KEY_ID"],
            ..ShellEnv::default()
        };
        let warnings = picker_warnings(&env);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].starts_with("AWS_DEFAULT_PROFILE=dp "),
            "{warnings:?}"
        );
        assert!(warnings[1].contains("AWS_ACCESS_KEY_ID"), "{warnings:?}");
    }

    #[test]
    fn a_mistyped_command_is_named_only_when_no_profile_matches() {
        let home = Home::new(true, chrono::Utc::now()).unwrap();
        let snap = home.load().unwrap();
        assert_eq!(mistyped_command(&snap, "statsu"), Some("status"));
        // Near `status`, but demo profiles match it: the picker opens on them.
        assert_eq!(switch::command_suggestion("stat"), Some("status"));
        assert_eq!(mistyped_command(&snap, "stat"), None);
    }
}
