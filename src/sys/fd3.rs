//! fd 3: the pipe the shell function opens for awsp's `export` line
//! (`awsp init SHELL`). awsp never owns it, so it is never wrapped in a
//! `File` or `OwnedFd` (which would close it on drop); each call here
//! borrows it for that call alone.

use std::io;
use std::os::fd::{BorrowedFd, RawFd};
use std::sync::OnceLock;

use rustix::fs::OFlags;
use rustix::io::{Errno, FdFlags};

const HANDOFF_FD: RawFd = 3;

/// Whether fd 3 was open the first time awsp looked. `main` looks first of
/// all (through [`set_cloexec`]), before awsp opens a file of its own, so
/// an open fd 3 is the shell's and not one of awsp's files that took the
/// free number; a free fd 3 is never touched afterwards.
fn open_at_start() -> bool {
    static OPEN: OnceLock<bool> = OnceLock::new();
    *OPEN.get_or_init(|| {
        // SAFETY: fcntl(F_GETFD) takes and returns integers only; on a
        // descriptor that is not open it fails with EBADF and does nothing.
        unsafe { libc::fcntl(HANDOFF_FD, libc::F_GETFD) != -1 }
    })
}

/// fd 3, borrowed for the length of `use_fd`; `None` when it was not open
/// when awsp started.
fn with_fd3<T>(use_fd: impl FnOnce(BorrowedFd<'_>) -> T) -> Option<T> {
    if !open_at_start() {
        return None;
    }
    // SAFETY: fd 3 was open when awsp started (checked above), and awsp
    // never closes it: it holds no `File` or `OwnedFd` on a descriptor it
    // did not open (and a free fd 3 is not borrowed at all). The borrow
    // ends when `use_fd` returns.
    let fd = unsafe { BorrowedFd::borrow_raw(HANDOFF_FD) };
    Some(use_fd(fd))
}

/// True when fd 3 is open and its access mode allows writing.
pub fn writable() -> bool {
    with_fd3(|fd| {
        rustix::fs::fcntl_getfl(fd).is_ok_and(|flags| {
            let mode = flags & OFlags::RWMODE;
            mode == OFlags::WRONLY || mode == OFlags::RDWR
        })
    })
    .unwrap_or(false)
}

/// Writes all of `buf` to fd 3, retrying when a signal interrupts.
pub fn write_all(buf: &[u8]) -> io::Result<()> {
    with_fd3(|fd| {
        let mut rest = buf;
        while !rest.is_empty() {
            match rustix::io::write(fd, rest) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => rest = &rest[n..],
                Err(Errno::INTR) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    })
    .unwrap_or_else(|| Err(io::Error::from_raw_os_error(libc::EBADF)))
}

/// Marks fd 3 close-on-exec, if it is open; failure is harmless (a child
/// then inherits the pipe, as it would have without this).
pub fn set_cloexec() {
    with_fd3(|fd| {
        if let Ok(flags) = rustix::io::fcntl_getfd(fd) {
            let _ = rustix::io::fcntl_setfd(fd, flags | FdFlags::CLOEXEC);
        }
    });
}
