//! Why one session was not synced: a line of `awsp sync`'s report, the
//! `error` of its JSON, or the picker's notice after "add profile". No
//! message holds the access token or the token file's text.

use std::path::PathBuf;

use crate::output::human::printable;
use crate::portal::PortalError;
use crate::shell::quote::quote_posix;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("its name (surrounding spaces or control characters) cannot be written in a profile; rename it")]
    UnwritableName,
    #[error("the sso-session lacks sso_start_url or sso_region")]
    MissingSettings,
    #[error("no token (never logged in): run `awsp login {}`", printable(session))]
    NoToken { session: String },
    /// `state` is the token's state as `awsp list` words it (`expired 2h ago`).
    #[error("token {state}: run `awsp login {}`", printable(session))]
    TokenUnusable { session: String, state: String },
    #[error("{}: not a readable JSON token file of sane size (log in again)", path.display())]
    TokenFile { path: PathBuf },
    #[error("{}: no accessToken (log in again)", path.display())]
    NoAccessToken { path: PathBuf },
    /// The portal's 401, with the login that renews the token.
    #[error("{}: awsp login {}", PortalError::Unauthorized, quote_posix(session))]
    Unauthorized { session: String },
    #[error(transparent)]
    Portal(#[from] PortalError),
    /// No inventory kept for the session (the picker writes from the stored one).
    #[error("never synced: run `awsp sync {}`", printable(session))]
    NeverSynced { session: String },
    #[error("no state folder: nothing was synced")]
    NoStateFolder,
    /// The write did not go through; `report` is its last line, which says why.
    #[error("{}", if report.is_empty() { "nothing written" } else { report.as_str() })]
    NotWritten { report: String },
    /// The write failed (the config, its block, the file system), with its causes.
    #[error("{0:#}")]
    Write(anyhow::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The messages are the ones `awsp sync` printed before they were typed.
    #[test]
    fn messages_name_the_fix_and_are_safe_to_print() {
        let shown = |e: SyncError| e.to_string();
        let session = "a b\u{1b}".to_string();
        assert_eq!(
            shown(SyncError::NoToken {
                session: session.clone()
            }),
            "no token (never logged in): run `awsp login a b\\e`"
        );
        assert_eq!(
            shown(SyncError::TokenUnusable {
                session: "acme".into(),
                state: "expired 2d".into()
            }),
            "token expired 2d: run `awsp login acme`"
        );
        assert_eq!(
            shown(SyncError::Unauthorized {
                session: "a b".into()
            }),
            "the portal refused the access token (expired, revoked or logged out): log in again: awsp login 'a b'"
        );
        assert_eq!(
            shown(SyncError::NoAccessToken {
                path: "/c/x.json".into()
            }),
            "/c/x.json: no accessToken (log in again)"
        );
        assert_eq!(
            shown(SyncError::Portal(PortalError::InvalidToken)),
            PortalError::InvalidToken.to_string()
        );
        assert_eq!(
            shown(SyncError::NeverSynced { session }),
            "never synced: run `awsp sync a b\\e`"
        );
        assert_eq!(
            shown(SyncError::NotWritten {
                report: String::new()
            }),
            "nothing written"
        );
        assert_eq!(
            shown(SyncError::NotWritten {
                report: "config: nothing to change".into()
            }),
            "config: nothing to change"
        );
        let write = anyhow::anyhow!("denied").context("/h/.aws/config");
        assert_eq!(shown(SyncError::Write(write)), "/h/.aws/config: denied");
    }
}
