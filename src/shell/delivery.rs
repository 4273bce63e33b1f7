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
    if shell_function && fd3_writable() {
        write_all_fd3(code.as_bytes())?;
        return Ok(Delivery::Fd3);
    }
    let mut stdout = io::stdout().lock();
    stdout.write_all(code.as_bytes())?;
    stdout.flush()?;
    Ok(Delivery::Stdout)
}

const HANDOFF_FD: libc::c_int = 3;

/// True when fd 3 is open and its access mode allows writing.
fn fd3_writable() -> bool {
    // SAFETY: F_GETFL only queries the descriptor's flags; an unopened fd
    // yields -1/EBADF. No memory is passed.
    let flags = unsafe { libc::fcntl(HANDOFF_FD, libc::F_GETFL) };
    if flags == -1 {
        return false;
    }
    matches!(flags & libc::O_ACCMODE, libc::O_WRONLY | libc::O_RDWR)
}

/// Writes all of `buf` to fd 3 with `write(2)`, without wrapping the fd in a
/// `File` (which would close it on drop, and awsp does not own it).
fn write_all_fd3(mut buf: &[u8]) -> io::Result<()> {
    while !buf.is_empty() {
        // SAFETY: buf is a valid slice for buf.len() bytes; fd 3 was checked open.
        let n = unsafe { libc::write(HANDOFF_FD, buf.as_ptr().cast(), buf.len()) };
        if n < 0 {
            let err = io::Error::last_os_error();
            if err.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(err);
        }
        if n == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        buf = &buf[n as usize..];
    }
    Ok(())
}

/// Marks fd 3 close-on-exec, if it is open, so children awsp starts
/// (`aws sso login`, and anything that daemonizes from it) do not inherit the
/// shell function's pipe. An inherited copy would keep the function's command
/// substitution waiting for end-of-file after awsp has exited. awsp itself
/// can still write to it. Meant to be called once at the start of `main`.
pub fn protect_fd3() {
    // SAFETY: fcntl on an integer fd with integer arguments; failure is harmless.
    unsafe {
        let flags = libc::fcntl(HANDOFF_FD, libc::F_GETFD);
        if flags != -1 {
            libc::fcntl(HANDOFF_FD, libc::F_SETFD, flags | libc::FD_CLOEXEC);
        }
    }
}
