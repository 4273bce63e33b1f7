//! The picker's event loop: reads keys from the tty, runs `update`, and
//! carries out the effects (reload, login, clean) that need IO.

use std::sync::mpsc;
use std::time::Duration;

use anyhow::Context as _;
use chrono::Utc;
use crossterm::event::{self, Event};
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::aws::cache::Status;
use crate::aws::snapshot::Snapshot;
use crate::commands::clean::CleanError;
use crate::console::ConsoleError;
use crate::home::history::History;
use crate::home::HistoryError;
use crate::sync::known::{SyncView, Synced, Unprofiled};
use crate::sync::SyncError;
use crate::tui::app::action;
use crate::tui::app::filter::Entry;
use crate::tui::app::state::{AddQuestion, Confirmation, LoginQuestion, Mode, State};
use crate::tui::app::update::{update, Effect};
use crate::tui::terminal::Screen;
use crate::tui::ui::{self, Theme, View};

/// How the picker ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Switch(String),
    Cancel,
    Interrupt,
}

/// Below this the screen shows only a request to enlarge it.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

/// Search entries for every profile, in the CLI's order.
pub fn entries(snap: &Snapshot) -> Vec<Entry> {
    entries_with(snap, &Synced::default())
}

/// Search entries for every profile, with the portal's account names
/// from the last syncs (the filter matches them).
pub fn entries_with(snap: &Snapshot, synced: &Synced) -> Vec<Entry> {
    snap.profiles
        .iter()
        .map(|info| {
            let p = snap.profile(info);
            Entry::new(
                &p.name,
                &[
                    info.account_id.as_deref(),
                    info.role_name.as_deref(),
                    crate::aws::ini::get_str(&p.settings, "sso_session"),
                    synced.account_name(snap, info),
                ],
            )
        })
        .collect()
}

/// Search entries for the assignments without a profile.
pub fn new_entries(unprofiled: &[Unprofiled]) -> Vec<Entry> {
    unprofiled
        .iter()
        .map(|u| {
            Entry::new(
                &u.new.profile,
                &[
                    Some(u.new.account_id.as_str()),
                    Some(u.new.role.as_str()),
                    Some(u.session.as_str()),
                    Some(u.new.account_name.as_str()),
                ],
            )
        })
        .collect()
}

/// The question Enter on an assignment without a profile asks.
pub fn add_question(u: &Unprofiled, now: chrono::DateTime<Utc>) -> AddQuestion {
    let session = crate::output::human::printable(&u.session);
    let mut lines = vec![
        format!(
            "{} {} in {} ({})",
            crate::output::human::printable(&u.new.account_id),
            crate::output::human::printable(&u.new.role),
            crate::output::human::printable(&u.new.account_name),
            session
        ),
        format!("= awsp sync {session} --write, from the inventory"),
        format!(
            "  {} (no network): adds {} profile{} to awsp's block",
            crate::sync::known::age_text(u.synced_at, now),
            u.session_new,
            if u.session_new == 1 { "" } else { "s" }
        ),
    ];
    if u.session_removed > 0 {
        lines.push(format!(
            "  and removes {} generated one{} no longer assigned",
            u.session_removed,
            if u.session_removed == 1 { "" } else { "s" }
        ));
    }
    lines.push("  (the previous config is kept as a backup)".to_string());
    lines.push("then switches to the new profile".to_string());
    AddQuestion {
        profile: u.new.profile.clone(),
        confirmation: Confirmation {
            title: format!(
                "Add profile {}?",
                crate::output::human::printable(&u.new.profile)
            ),
            lines,
        },
    }
}

/// A login that did not work: the line for the notice, and what `aws`
/// said last (and where to look next), shown in a popup when not empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginFailure {
    pub summary: String,
    pub details: Vec<String>,
}

impl From<crate::awscli::login::LoginError> for LoginFailure {
    fn from(e: crate::awscli::login::LoginError) -> LoginFailure {
        LoginFailure::from(e.to_string())
    }
}

impl From<String> for LoginFailure {
    fn from(summary: String) -> LoginFailure {
        LoginFailure {
            summary,
            details: Vec::new(),
        }
    }
}

/// Hooks for effects that run outside the picker's pure core.
pub trait Effects {
    /// Runs a login for `profile` with the terminal given back; returns the line to show.
    fn login(
        &mut self,
        screen: &mut Screen,
        snap: &Snapshot,
        profile: &str,
    ) -> Result<String, LoginFailure>;
    /// The work that opens the console as `profile` (credentials, then
    /// the sign-in URL to a browser), to run on its own thread; the job
    /// returns the line to show.
    fn console(&mut self, snap: &Snapshot, profile: &str) -> Result<ConsoleJob, ConsoleError>;
    /// Describes what `c` would remove: title and lines, or `None` when nothing is stale.
    fn plan_clean(&mut self, snap: &Snapshot) -> Option<(String, Vec<String>)>;
    /// Removes what was planned; returns the line to show.
    fn clean(&mut self, snap: &Snapshot) -> Result<String, CleanError>;
    /// Re-reads the files.
    fn reload(&mut self) -> anyhow::Result<Snapshot>;
    /// Remembers the order (and anything else in the history).
    fn save_history(&mut self, history: &History) -> Result<(), HistoryError>;
    /// What the last syncs say about `snap`'s profiles (nothing by default).
    fn load_sync(&mut self, _snap: &Snapshot) -> SyncView {
        SyncView::default()
    }
    /// `awsp sync SESSION --write` from the stored inventory; the line to show.
    fn add_profiles(&mut self, session: &str) -> Result<String, SyncError>;
}

/// A console sign-in: it waits for the network (the portal, the
/// federation endpoint), so it runs beside the picker, which keeps
/// drawing and reading keys.
pub type ConsoleJob = Box<dyn FnOnce() -> Result<String, ConsoleError> + Send>;

/// A console job under way: whose it is and where its line arrives.
struct Running {
    profile: String,
    done: mpsc::Receiver<Result<String, ConsoleError>>,
}

impl Running {
    /// `None` while the job runs; then its line, or the error to show
    /// (also when its thread ended without one).
    fn outcome(&self) -> Option<Result<String, String>> {
        match self.done.try_recv() {
            Ok(result) => Some(result.map_err(|e| e.to_string())),
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => Some(Err(format!(
                "the console sign-in as {} stopped unexpectedly",
                self.profile
            ))),
        }
    }
}

/// While a console job runs, the loop looks for its result this often.
const CONSOLE_POLL: Duration = Duration::from_millis(100);

pub struct Picker<'a> {
    pub snap: Snapshot,
    pub state: State,
    pub active: Option<&'a str>,
    pub warnings: Vec<String>,
    pub theme: Theme,
    /// Account names and assignments without a profile, from the last syncs.
    pub sync: SyncView,
}

impl Picker<'_> {
    /// Reads every cache file the visible rows and the header show, so the
    /// draw itself does no IO.
    fn warm(&self, rows: usize) {
        let now = self.state.now;
        for s in &self.snap.sessions {
            let _ = self.snap.token_state(&s.token, now);
        }
        for hit in self.state.hits.iter().skip(self.state.offset).take(rows) {
            // Rows past the profiles are assignments without one: no cache.
            let Some(info) = self.snap.profiles.get(hit.index as usize) else {
                continue;
            };
            if let Some(t) = &info.token {
                let _ = self.snap.token_state(t, now);
            }
            if let Some(f) = &info.role_cache {
                let _ = self.snap.role_state(f, now);
            }
        }
    }

    pub fn draw(&mut self, frame: &mut ratatui::Frame) {
        let area = frame.area();
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            let msg = format!(
                "awsp needs {MIN_WIDTH}x{MIN_HEIGHT}; this is {}x{}",
                area.width, area.height
            );
            frame.render_widget(
                Line::raw(msg),
                Rect {
                    height: 1.min(area.height),
                    ..area
                },
            );
            return;
        }
        let areas = ui::layout(area, &self.state, &self.view());
        self.state.scroll_into_view(ui::visible_rows(&areas));
        let rows = ui::visible_rows(&areas);
        self.state.help_max_scroll = ui::help_max_scroll(area, areas.detail);
        self.state.help_scroll = self.state.help_scroll.min(self.state.help_max_scroll);
        self.warm(rows);
        ui::draw(frame, &self.state, &self.view());
    }

    /// What the screen shows besides the state.
    fn view(&self) -> View<'_> {
        View {
            snap: &self.snap,
            active: self.active,
            warnings: &self.warnings,
            theme: self.theme,
            sync: &self.sync,
        }
    }

    /// Runs until the user switches or leaves. `first_frame_only` ends
    /// after the first frame is on the terminal (for start-up timing).
    pub fn run(
        &mut self,
        screen: &mut Screen,
        effects: &mut dyn Effects,
        first_frame_only: bool,
    ) -> anyhow::Result<Outcome> {
        // The console job under way, if any: local to this loop, as the
        // thread lives no longer than it.
        let mut console: Option<Running> = None;
        loop {
            if screen.hung_up() {
                anyhow::bail!("the terminal went away");
            }
            if let Some(running) = console.take() {
                console = self.console_done(running);
            }
            self.state.now = Utc::now();
            self.redraw(screen)?;
            if first_frame_only {
                return Ok(Outcome::Cancel);
            }
            // Wake at the next second for the countdowns, sooner while
            // a console job may finish.
            let mut wait = Duration::from_millis(
                1000 - u64::from(Utc::now().timestamp_subsec_millis()).min(999),
            );
            if console.is_some() {
                wait = wait.min(CONSOLE_POLL);
            }
            if !event::poll(wait)? {
                continue;
            }
            let Event::Key(key) = event::read()? else {
                continue; // resize and others: the next loop redraws
            };
            let Some(action) = action::from_key(key, &self.state.mode) else {
                continue;
            };
            let effect = update(&mut self.state, action);
            let outcome = self.apply(effect, screen, effects, &mut console);
            if let Some(outcome) = outcome {
                // A console asked for opens before the picker goes, unless
                // the user interrupts (then, or meanwhile).
                if let Some(running) = console.take() {
                    if outcome != Outcome::Interrupt && !self.finish_console(screen, running) {
                        return Ok(Outcome::Interrupt);
                    }
                }
                return Ok(outcome);
            }
        }
    }

    fn redraw(&mut self, screen: &mut Screen) -> anyhow::Result<()> {
        let _screen = crate::tui::terminal::hold_screen();
        screen
            .terminal
            .draw(|f| self.draw(f))
            .context("drawing the picker")?;
        Ok(())
    }

    /// Carries out what `update` asked for; `Some` when the picker ends.
    fn apply(
        &mut self,
        effect: Effect,
        screen: &mut Screen,
        effects: &mut dyn Effects,
        console: &mut Option<Running>,
    ) -> Option<Outcome> {
        match effect {
            Effect::None => {}
            Effect::Switch(name) => match self.login_first(&name) {
                Some(question) => self.state.mode = Mode::LoginFirst(question),
                None => return Some(Outcome::Switch(name)),
            },
            Effect::AskAdd(i) => {
                if let Some(u) = self.sync.unprofiled.get(i) {
                    let q = add_question(u, self.state.now);
                    self.state.mode = Mode::ConfirmAdd(q);
                }
            }
            Effect::AddThenSwitch(name) => return self.add_then_switch(effects, &name),
            Effect::SwitchAnyway(name) => return Some(Outcome::Switch(name)),
            Effect::LoginThenSwitch(name) => {
                if self.login(screen, effects, &name) {
                    return Some(Outcome::Switch(name));
                }
            }
            Effect::Cancel => return Some(Outcome::Cancel),
            Effect::Interrupt => return Some(Outcome::Interrupt),
            Effect::SaveOrder => {
                if let Err(e) = effects.save_history(&self.state.history) {
                    self.state
                        .warn(format!("could not remember the order: {e}"));
                }
            }
            Effect::Reload => {
                if self.reload(effects) {
                    self.state.say("re-read the files");
                }
            }
            Effect::Login(name) => {
                self.login(screen, effects, &name);
            }
            Effect::Console(name) => match self.login_first(&name) {
                Some(question) => {
                    self.state.mode = Mode::LoginFirst(LoginQuestion {
                        console: true,
                        ..question
                    })
                }
                None => self.console(effects, &name, console),
            },
            Effect::LoginThenConsole(name) => {
                if self.login(screen, effects, &name) {
                    self.console(effects, &name, console);
                }
            }
            Effect::PlanClean => match effects.plan_clean(&self.snap) {
                Some((title, lines)) => {
                    self.state.mode = Mode::Confirm(Confirmation { title, lines })
                }
                None => self.state.say("no stale cache files"),
            },
            Effect::Clean => {
                let result = effects.clean(&self.snap);
                self.snap.reread_caches();
                match result {
                    Ok(msg) => self.state.say(msg),
                    Err(e) => self.state.warn(e.to_string()),
                }
            }
        }
        None
    }

    /// Starts opening the console as `profile` on its own thread; the
    /// notice says what it waits for meanwhile. One at a time.
    fn console(&mut self, effects: &mut dyn Effects, profile: &str, console: &mut Option<Running>) {
        // (The notice line escapes what it shows.)
        if let Some(running) = console {
            self.state.say(format!(
                "still signing in to the console as {}…",
                running.profile
            ));
            return;
        }
        let job = match effects.console(&self.snap, profile) {
            Ok(job) => job,
            Err(e) => return self.state.warn(e.to_string()),
        };
        let (tx, done) = mpsc::channel();
        let started = std::thread::Builder::new()
            .name("console".into())
            .spawn(move || {
                let _ = tx.send(job());
            });
        if let Err(e) = started {
            return self
                .state
                .warn(format!("could not start the console sign-in: {e}"));
        }
        self.state
            .say(format!("signing in to the console as {profile}…"));
        *console = Some(Running {
            profile: profile.to_string(),
            done,
        });
    }

    /// Waits for a console job while the picker leaves: false when Ctrl-C
    /// ends the wait (the network timeouts bound it, but retries can add up
    /// to a minute). A failure is kept in `state.parting` for stderr, as
    /// the screen that would show it is about to go.
    fn finish_console(&mut self, screen: &mut Screen, running: Running) -> bool {
        self.state.say(format!(
            "finishing the console sign-in as {}… (Ctrl-C leaves now)",
            running.profile
        ));
        let _ = self.redraw(screen);
        loop {
            if let Some(outcome) = running.outcome() {
                self.state.parting = outcome.err();
                return true;
            }
            // Only Ctrl-C counts now; other keys are dropped. (A zero
            // timeout here never saw a key: the wait is in the poll.)
            if !event::poll(CONSOLE_POLL).unwrap_or(false) {
                continue;
            }
            if let Ok(Event::Key(key)) = event::read() {
                if action::from_key(key, &self.state.mode) == Some(action::Action::Interrupt) {
                    return false;
                }
            }
        }
    }

    /// Shows a finished console job's line (the row then shows the cache
    /// file it wrote); gives the job back while it runs.
    fn console_done(&mut self, running: Running) -> Option<Running> {
        let Some(outcome) = running.outcome() else {
            return Some(running);
        };
        self.snap.reread_caches();
        match outcome {
            Ok(msg) => self.state.say(msg),
            Err(text) => self.state.warn(text),
        }
        None
    }

    /// Logs `profile`'s session in; true when that worked. A failure is
    /// the notice, and what aws said last is shown in a popup.
    fn login(&mut self, screen: &mut Screen, effects: &mut dyn Effects, profile: &str) -> bool {
        let result = effects.login(screen, &self.snap, profile);
        self.snap.reread_caches();
        match result {
            Ok(msg) => {
                self.state.say(msg);
                true
            }
            Err(failure) => {
                self.state.warn(failure.summary.clone());
                if !failure.details.is_empty() {
                    self.state.mode = Mode::Report(Confirmation {
                        title: failure.summary,
                        lines: failure.details,
                    });
                }
                false
            }
        }
    }

    /// The question to ask before switching to `profile` when its session
    /// token is expired (the next `aws` call would fail); `None` when it is
    /// usable, refreshable by the CLI, missing, or not SSO at all.
    pub fn login_first(&self, profile: &str) -> Option<LoginQuestion> {
        let info = self.snap.find_profile(profile)?;
        let st = self.snap.profile_token_state(info, self.state.now)?;
        let now = self.state.now;
        let short = crate::output::human::short_duration;
        let when = match (st.status, st.expires_at) {
            (Status::Expired, Some(at)) if at <= now => format!("expired {} ago", short(now - at)),
            (Status::Expired, Some(at)) => format!("expires in {}", short(at - now)),
            (Status::Expired, None) => "expired".to_string(),
            // Missing (never logged in) switches as before: a fresh set-up
            // often switches first and logs in after.
            _ => return None,
        };
        let plan = crate::awscli::login::plan(
            &self.snap,
            &crate::awscli::login::LoginTarget::Profile(profile.to_string()),
            &[],
        )
        .ok()?;
        let label = plan.label.strip_prefix("sso-").unwrap_or(&plan.label);
        Some(LoginQuestion {
            profile: profile.to_string(),
            question: format!("{label} {when}: log in first? [Y/n]"),
            console: false,
        })
    }

    /// Swaps in a re-read snapshot, keeping query and selection.
    pub fn install(&mut self, snap: Snapshot) {
        let sync = std::mem::take(&mut self.sync);
        self.install_with(snap, sync);
    }

    /// Re-reads the files and what the syncs say about them; false (the
    /// error shown) when the files cannot be read.
    fn reload(&mut self, effects: &mut dyn Effects) -> bool {
        match effects.reload() {
            Ok(snap) => {
                let sync = effects.load_sync(&snap);
                self.install_with(snap, sync);
                true
            }
            Err(e) => {
                self.state.warn(format!("{e:#}"));
                false
            }
        }
    }

    /// Swaps in a re-read snapshot and what the syncs say about it.
    pub fn install_with(&mut self, snap: Snapshot, sync: SyncView) {
        let entries = entries_with(&snap, &sync.synced);
        let new = new_entries(&sync.unprofiled);
        self.snap = snap;
        self.sync = sync;
        self.state.replace_entries(entries);
        self.state.set_new_entries(new);
    }

    /// `y` to "add profile NAME?": writes its session's block from the
    /// stored inventory, re-reads the files, then switches to the new
    /// profile as Enter on it would (asking to log in first if need be).
    /// `None`: stay in the picker (the failure or the question is shown).
    fn add_then_switch(&mut self, effects: &mut dyn Effects, name: &str) -> Option<Outcome> {
        let session = self
            .sync
            .unprofiled
            .iter()
            .find(|u| u.new.profile == name)?
            .session
            .clone();
        match effects.add_profiles(&session) {
            Ok(msg) => self.state.say(msg),
            Err(e) => {
                self.state.warn(e.to_string());
                return None;
            }
        }
        if !self.reload(effects) {
            return None;
        }
        if self.snap.find_profile(name).is_none() {
            self.state.warn(format!(
                "'{}' is not in the config after the write",
                crate::output::human::printable(name)
            ));
            return None;
        }
        self.state.select_name(name);
        match self.login_first(name) {
            Some(question) => {
                self.state.mode = Mode::LoginFirst(question);
                None
            }
            None => Some(Outcome::Switch(name.to_string())),
        }
    }
}
