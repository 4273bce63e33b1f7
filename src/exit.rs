//! Every exit status awsp ends with, in one place. The shell functions
//! apply a change only after status 0, and prompts and scripts read the
//! others, so a number here is part of the interface (README, `--help`).

/// Done: switched, printed, nothing wrong found.
pub const OK: u8 = 0;
/// The picker was closed without a choice (Esc, `q`).
pub const CANCELLED: u8 = 1;
/// `awsp clean`: the question was answered no.
pub const DECLINED: u8 = 1;
/// `awsp doctor`: an `error` or `warn` finding.
pub const FINDINGS: u8 = 1;
/// `awsp status`: the active profile names no profile.
pub const UNKNOWN_PROFILE: u8 = 1;
/// A program awsp ran failed with a status that cannot be passed on.
pub const CHILD_FAILED: u8 = 1;
/// `awsp creds`, `exec`, `console`: no credentials (a login is needed, the
/// portal or the AWS CLI failed); nothing was printed or run.
pub const NO_CREDENTIALS: u8 = 1;
/// Bad input: the command line, a file that does not parse, an unknown
/// name; also every error `main` reports.
pub const BAD_INPUT: u8 = 2;
/// `awsp clean`: a stale file could not be removed.
pub const NOT_REMOVED: u8 = 2;
/// A program awsp ran was found but could not be started: the shell's
/// "cannot execute".
pub const CANNOT_RUN: u8 = 126;
/// The AWS CLI (`aws`) is not on PATH: the shell's own "command not found".
pub const NOT_INSTALLED: u8 = 127;
/// Ctrl-C in the picker: the shell's status for SIGINT.
pub const INTERRUPTED: u8 = SIGNALLED + 2;

/// Killed by signal N: the shell's convention is 128 + N.
const SIGNALLED: u8 = 128;

/// The status for "ended by signal `sig`" (128 + N, as the shell reports it).
pub fn signalled(sig: i32) -> i32 {
    i32::from(SIGNALLED) + sig
}

/// awsp's status after a program it ran failed with `code`: the same
/// status when it fits, else [`CHILD_FAILED`]; never 0 (a failure must not
/// read as success).
pub fn child_failed(code: i32) -> u8 {
    match u8::try_from(code) {
        Ok(0) | Err(_) => CHILD_FAILED,
        Ok(code) => code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interrupted_is_the_shells_status_for_sigint() {
        assert_eq!(i32::from(INTERRUPTED), signalled(libc::SIGINT));
        assert_eq!(signalled(libc::SIGTERM), 143);
        assert_eq!(signalled(libc::SIGHUP), 129);
    }

    #[test]
    fn a_childs_failure_is_never_success() {
        assert_eq!(child_failed(255), 255);
        assert_eq!(child_failed(130), 130);
        assert_eq!(child_failed(0), CHILD_FAILED);
        assert_eq!(child_failed(-1), CHILD_FAILED);
        assert_eq!(child_failed(256), CHILD_FAILED);
    }
}
