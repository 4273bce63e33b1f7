//! The terminal: draw on the tty (never stdout, which the shell function may
//! capture), raw mode and the alternate screen under a guard, restored on
//! every path including panics, and suspended around a child process.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};

use crossterm::cursor::{Hide, Show};
use crossterm::execute;
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

pub type Tui = Terminal<CrosstermBackend<File>>;

fn open_tty() -> io::Result<File> {
    OpenOptions::new().read(true).write(true).open("/dev/tty")
}

/// Owns the screen while the picker runs; dropping it restores the terminal.
pub struct Screen {
    pub terminal: Tui,
    /// The tty's descriptor (owned by the terminal's backend), to notice a hang-up.
    tty_fd: std::os::fd::RawFd,
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
        let tty_fd = std::os::fd::AsRawFd::as_raw_fd(&tty);
        let mut screen = Screen {
            terminal: Terminal::new(CrosstermBackend::new(tty))?,
            tty_fd,
        };
        screen.resume()?;
        Ok(screen)
    }

    fn resume(&mut self) -> io::Result<()> {
        ACTIVE.store(true, std::sync::atomic::Ordering::SeqCst);
        enable_raw_mode()?;
        execute!(self.terminal.backend_mut(), EnterAlternateScreen, Hide)?;
        self.terminal.clear()
    }

    /// True once the terminal has hung up (its window closed). crossterm
    /// then reads end-of-file forever without reporting it, and a picker
    /// that only waits for keys would spin; the loop asks this instead.
    pub fn hung_up(&self) -> bool {
        let mut fds = libc::pollfd {
            fd: self.tty_fd,
            events: 0,
            revents: 0,
        };
        // SAFETY: one valid pollfd, zero timeout; the fd lives as long as self.
        let ready = unsafe { libc::poll(&mut fds, 1, 0) };
        ready > 0 && fds.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
    }

    /// Gives the terminal back (for `aws sso login`) while `f` runs.
    pub fn suspended<T>(&mut self, f: impl FnOnce() -> T) -> io::Result<T> {
        restore();
        let out = f();
        self.resume()?;
        Ok(out)
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        restore();
    }
}

/// Whether awsp holds the screen (raw mode, alternate screen).
static ACTIVE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

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
