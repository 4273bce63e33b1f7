//! Handing the rendered change to the shell function: `$AWSP_OUT` (a file
//! the PowerShell and nu functions create), fd 3 (bash, zsh, sh, fish), or
//! stdout when no function is installed.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::PathBuf;

use super::{quote::render, EnvChange, Shell};

/// Where [`deliver`] wrote the code.
#[derive(Debug, PartialEq, Eq)]
pub enum Delivery {
    /// File descriptor 3, opened by the bash/zsh/fish function.
    Fd3,
    /// The file named by `$AWSP_OUT` (PowerShell and nu functions).
    File(PathBuf),
    /// No function: printed on stdout; the caller prints
    /// [`install_hint`](super::init::install_hint).
    Stdout,
}

/// Writes `render(Shell::detect(), change)` to where the shell function reads it:
/// - `$AWSP_OUT` (non-empty) names an existing file (the PowerShell and nu
///   functions create it): it is truncated and written. It is not created:
///   a stale `AWSP_OUT` left in the environment then fails loudly instead of
///   scattering files.
/// - else fd 3 is open for writing (checked with `fcntl`, never assumed) and
///   `$AWSP_SHELL` is set: written to fd 3, which is left open (awsp does not
///   own it; the shell closes it when awsp exits).
/// - else stdout, and [`Delivery::Stdout`] is returned.
pub fn deliver(change: &EnvChange) -> io::Result<Delivery> {
    let code = render(Shell::detect(), change);
    if let Some(path) = std::env::var_os("AWSP_OUT").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        let mut file = OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(&path)
            .map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!(
                        "cannot write to AWSP_OUT={}: {e} (the shell function creates this file)",
                        path.display()
                    ),
                )
            })?;
        file.write_all(code.as_bytes())?;
        file.flush()?;
        return Ok(Delivery::File(path));
    }
    let shell_function = std::env::var_os("AWSP_SHELL").is_some_and(|s| !s.is_empty());
    if shell_function && crate::sys::fd3::writable() {
        crate::sys::fd3::write_all(code.as_bytes())?;
        return Ok(Delivery::Fd3);
    }
    let mut stdout = io::stdout().lock();
    stdout.write_all(code.as_bytes())?;
    stdout.flush()?;
    Ok(Delivery::Stdout)
}

/// Marks fd 3 close-on-exec, if it is open, so children awsp starts
/// (`aws sso login`, and anything that daemonizes from it) do not inherit the
/// shell function's pipe. An inherited copy would keep the function's command
/// substitution waiting for end-of-file after awsp has exited. awsp itself
/// can still write to it. Meant to be called once at the start of `main`.
pub fn protect_fd3() {
    crate::sys::fd3::set_cloexec();
}
