//! The terminal: draw on the tty (never stdout, which the shell function may
//! capture), raw mode and the alternate screen under a guard, restored on
//! every path including panics and signals from outside (a closed window,
//! `kill`), and suspended around a child process.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use crossterm::cursor::{Hide, Show};
use crossterm::execute;
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

pub type Tui = Terminal<CrosstermBackend<File>>;

/// The controlling terminal, for reading and writing: the one way awsp
/// opens it (the picker draws on it, `clean` asks on it, `aws sso login`
/// gets it), never stdout, which the shell function may capture.
pub fn open_tty() -> io::Result<File> {
    OpenOptions::new().read(true).write(true).open("/dev/tty")
}

/// Asks `question` on the terminal and reads one line: the one [y/N]
/// prompt of awsp (`clean`, and `creds` before it logs in). `None` when
/// there is no terminal.
pub fn ask_yes_no(question: &str) -> Option<bool> {
    let tty = open_tty().ok()?;
    let mut writer = tty.try_clone().ok()?;
    write!(writer, "{question} [y/N] ").ok()?;
    writer.flush().ok()?;
    let mut line = String::new();
    io::BufRead::read_line(&mut io::BufReader::new(tty), &mut line).ok()?;
    Some(is_yes(&line))
}

/// `y` or `yes` in any case, around any spaces; anything else is no.
fn is_yes(answer: &str) -> bool {
    let answer = answer.trim();
    answer.eq_ignore_ascii_case("y") || answer.eq_ignore_ascii_case("yes")
}

/// Owns the screen while the picker runs; dropping it restores the terminal.
pub struct Screen {
    pub terminal: Tui,
    /// A second handle on the tty (the backend owns the first and does not
    /// lend it), to notice a hang-up.
    tty: File,
}

impl Screen {
    pub fn enter() -> io::Result<Screen> {
        let tty = open_tty().map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "the picker needs a terminal (/dev/tty: {e}); use `awsp NAME` or `awsp list`"
                ),
            )
        })?;
        install_panic_hook();
        exit_on_signals();
        reserve_fd3();
        let mut screen = Screen {
            tty: tty.try_clone()?,
            terminal: Terminal::new(CrosstermBackend::new(tty))?,
        };
        screen.resume()?;
        Ok(screen)
    }

    fn resume(&mut self) -> io::Result<()> {
        let _screen = hold_screen();
        ACTIVE.store(true, Ordering::SeqCst);
        enable_raw_mode()?;
        execute!(self.terminal.backend_mut(), EnterAlternateScreen, Hide)?;
        self.terminal.clear()
    }

    /// True once the terminal has hung up (its window closed). crossterm
    /// then reads end-of-file forever without reporting it, and a picker
    /// that only waits for keys would spin; the loop asks this instead.
    pub fn hung_up(&self) -> bool {
        use rustix::event::{poll, PollFd, PollFlags, Timespec};
        let mut fds = [PollFd::new(&self.tty, PollFlags::empty())];
        let no_wait = Timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        poll(&mut fds, Some(&no_wait)).is_ok_and(|ready| ready > 0)
            && fds[0]
                .revents()
                .intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL)
    }

    /// Gives the terminal back (for `aws sso login`) while `f` runs.
    pub fn suspended<T>(&mut self, f: impl FnOnce() -> T) -> io::Result<T> {
        hold_screen_and_restore();
        let out = {
            let _child = ChildHasTerminal::new();
            f()
        };
        self.resume()?;
        Ok(out)
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        hold_screen_and_restore();
    }
}

/// Whether awsp holds the screen (raw mode, alternate screen).
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Held while a frame is written or the terminal's mode changes: the
/// signal thread takes it before restoring and exiting, so no frame lands
/// on the shell's screen after the restore.
static SCREEN: Mutex<()> = Mutex::new(());

/// Holds the screen for a frame or a mode change (see [`SCREEN`]).
pub fn hold_screen() -> MutexGuard<'static, ()> {
    SCREEN
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn hold_screen_and_restore() {
    let _screen = hold_screen();
    restore();
}

/// Leaves raw mode and the alternate screen, once: leaving the alternate
/// screen twice makes the terminal restore the saved cursor twice, which put
/// the shell's next output on top of a panic message printed in between.
pub fn restore() {
    if !ACTIVE.swap(false, std::sync::atomic::Ordering::SeqCst) {
        return;
    }
    let _ = disable_raw_mode();
    if let Ok(mut tty) = open_tty() {
        let _ = execute!(tty, LeaveAlternateScreen, Show);
        let _ = tty.flush();
    }
}

/// Restores the terminal before the default hook prints the panic.
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

/// Folders removed when a signal ends awsp (the `--demo` home): a signal
/// skips the destructors that would remove them.
static REMOVE_ON_SIGNAL: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// While a child (`aws sso login`) has the terminal, Ctrl-C and Ctrl-\ are
/// meant for it: the terminal sends them to the whole foreground group.
static CHILD_HAS_TERMINAL: AtomicBool = AtomicBool::new(false);
/// The process id of that child while it runs (0: none).
static CHILD_PID: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

fn removals() -> MutexGuard<'static, Vec<PathBuf>> {
    REMOVE_ON_SIGNAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Removes `dir` if a signal ends awsp before [`remove_now`] does.
pub fn remove_on_signal(dir: &Path) {
    exit_on_signals();
    removals().push(dir.to_path_buf());
}

/// Removes `dir` now and forgets it. Under the same lock as the signal
/// thread's removal, so a signal arriving meanwhile waits for it.
pub fn remove_now(dir: &Path) {
    let mut dirs = removals();
    let _ = std::fs::remove_dir_all(dir);
    dirs.retain(|d| d != dir);
}

/// Marks a child as owning the terminal while alive.
pub struct ChildHasTerminal {
    was: bool,
}

impl ChildHasTerminal {
    pub fn new() -> ChildHasTerminal {
        exit_on_signals();
        ChildHasTerminal {
            was: CHILD_HAS_TERMINAL.swap(true, Ordering::SeqCst),
        }
    }

    /// The child's process id, once it runs: a SIGTERM or SIGHUP that ends
    /// awsp is passed on to it, so no `aws sso login` is left waiting for a
    /// browser after the picker is gone. Forgotten when this guard drops.
    pub fn running(&self, pid: u32) {
        CHILD_PID.store(pid, Ordering::SeqCst);
    }
}

impl Default for ChildHasTerminal {
    fn default() -> Self {
        ChildHasTerminal::new()
    }
}

impl Drop for ChildHasTerminal {
    fn drop(&mut self) {
        CHILD_PID.store(0, Ordering::SeqCst);
        CHILD_HAS_TERMINAL.store(self.was, Ordering::SeqCst);
    }
}

/// From the first call on, SIGINT, SIGTERM, SIGHUP and SIGQUIT end awsp as
/// Ctrl-C in the picker does: the terminal restored, the demo home removed,
/// status 128+N. A thread waits for them (signal-hook's self-pipe), so the
/// work is done outside the signal handler. Only runs that hold something
/// to undo call this: a plain `awsp status` keeps the default dispositions
/// and starts no thread. Handlers, unlike ignored signals, do not survive
/// exec: a child starts with the defaults.
pub fn exit_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        reserve_fd3();
        let Ok(mut signals) =
            signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP, SIGQUIT])
        else {
            return; // the defaults stay: the signal still ends awsp
        };
        let spawned = std::thread::Builder::new()
            .name("awsp-signals".into())
            .spawn(move || {
                for sig in signals.forever() {
                    let for_the_child = sig == SIGINT || sig == SIGQUIT;
                    if for_the_child && CHILD_HAS_TERMINAL.load(Ordering::SeqCst) {
                        continue;
                    }
                    exit_on(sig);
                }
            });
        drop(spawned);
    });
}

fn exit_on(sig: i32) -> ! {
    // Kept until exit: no frame after the restore, no new demo home.
    let _screen = hold_screen();
    // SIGINT and SIGQUIT reached the child already (same foreground group).
    let pid = i32::try_from(CHILD_PID.load(Ordering::SeqCst)).unwrap_or(0);
    if let (Some(pid), Some(signal)) = (
        rustix::process::Pid::from_raw(pid).filter(|_| pid > 0),
        rustix::process::Signal::from_named_raw(sig),
    ) {
        let _ = rustix::process::kill_process(pid, signal);
    }
    restore();
    for dir in removals().drain(..) {
        let _ = std::fs::remove_dir_all(dir);
    }
    std::process::exit(crate::exit::signalled(sig))
}

/// Fd 3 is the shell function's channel: the hand-off writes the export
/// line there when it is open for writing. Started without it, awsp would
/// give number 3 to the next file it opens (the signal pipe, the tty) and
/// the line would vanish into it. A read-only `/dev/null` there, kept for
/// the life of the process, keeps 3 taken and unwritable, so the hand-off
/// falls back to stdout as it should. Called before opening anything.
fn reserve_fd3() {
    use std::os::fd::AsRawFd;
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Up to 0, 1, 2 and 3 may be free: fill the lowest until 3 is taken.
        for _ in 0..4 {
            let Ok(null) = File::open("/dev/null") else {
                return;
            };
            let fd = null.as_raw_fd();
            if fd > 3 {
                return; // 3 was open already; this one closes again
            }
            std::mem::forget(null);
            if fd == 3 {
                return;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::is_yes;

    #[test]
    fn only_y_or_yes_in_any_case_is_yes() {
        for yes in ["y", "Y", "yes", "YES", " Yes \n", "y\r\n"] {
            assert!(is_yes(yes), "{yes:?}");
        }
        for no in ["", "\n", "n", "no", "ye", "yess", "y es", "ja", "1"] {
            assert!(!is_yes(no), "{no:?}");
        }
    }
}
