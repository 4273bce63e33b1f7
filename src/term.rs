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
        let mut screen = Screen {
            terminal: Terminal::new(CrosstermBackend::new(tty))?,
        };
        screen.resume()?;
        Ok(screen)
    }

    fn resume(&mut self) -> io::Result<()> {
        enable_raw_mode()?;
        execute!(self.terminal.backend_mut(), EnterAlternateScreen, Hide)?;
        self.terminal.clear()
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

/// Leaves raw mode and the alternate screen; safe to call more than once.
pub fn restore() {
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
