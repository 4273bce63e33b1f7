//! Role credentials for one profile, through the AWS CLI's own caches:
//! `awsp creds`, `awsp exec` and `awsp console` share this. The order is
//! the issue's: a valid cached file (no network, no child), the portal's
//! GetRoleCredentials for an SSO profile with a valid token (the cache file
//! then written as the AWS CLI v2 writes it), else the AWS CLI itself.

pub mod cache_write;
pub mod format;
pub mod source;

use std::fmt;

use chrono::{DateTime, Utc};

/// Temporary (or static) credentials. Debug shows the key id and expiry
/// only: the secret and the session token never leave through it.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
    pub expiration: Option<DateTime<Utc>>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field("session_token", &"<redacted>")
            .field("expiration", &self.expiration)
            .finish()
    }
}

/// Where the credentials came from (`--format json` says it as `Source`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A valid file in `~/.aws/cli/cache`.
    Cache,
    /// GetRoleCredentials, just now; the cache file was written.
    Portal,
    /// `aws configure export-credentials`.
    AwsCli,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Cache => "cache",
            Origin::Portal => "portal",
            Origin::AwsCli => "aws-cli",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_secret_and_the_session_token() {
        let c = Credentials {
            access_key_id: "ASIAKEY".into(),
            secret_access_key: "SECRETKEY".into(),
            session_token: Some("SECRETTOKEN".into()),
            expiration: None,
        };
        let shown = format!("{c:?}");
        assert!(
            shown.contains("ASIAKEY") && !shown.contains("SECRET"),
            "{shown}"
        );
    }
}
