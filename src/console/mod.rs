//! Console sign-in through the federation endpoint: the role credentials
//! become a sign-in token (`getSigninToken`), the token a login URL
//! (`Action=login`). The URL is a credential for 15 minutes: it is opened,
//! or printed only when asked (`--print`), never logged or kept.

pub mod federation;
pub mod open;
pub mod signin;

pub use federation::{get_signin_token, FederationError};
pub use open::open_url;
pub use signin::{console_destination, federation_url, login_url, Partition};

use crate::creds::Credentials;

/// The issuer shown on the console's sign-out page.
pub const ISSUER: &str = "awsp";

/// The login URL for `creds` in `region` (the federation endpoint of the
/// region's partition, or `AWSP_FEDERATION_URL`), and the page it lands on.
pub fn sign_in_url(
    creds: &Credentials,
    region: &str,
    service: Option<&str>,
    destination: Option<&str>,
) -> Result<(String, String), FederationError> {
    let override_url = std::env::var("AWSP_FEDERATION_URL").ok();
    let federation = federation_url(region, override_url.as_deref());
    let net = crate::portal::NetOpts::from_env(&crate::portal::process_env, None);
    let token = get_signin_token(&federation, creds, &net)?;
    let destination = console_destination(region, service, destination);
    let url = login_url(&federation, ISSUER, &destination, &token);
    Ok((url, destination))
}

/// Why the console cannot open; never holds a credential.
#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    /// The picker's demo home has made-up credentials.
    #[error("demo: no real credentials, no console")]
    Demo,
    #[error(transparent)]
    Creds(#[from] crate::creds::source::CredsError),
    #[error("profile {profile}: long-term keys cannot sign in to the console (federation needs temporary credentials)")]
    LongTermKeys { profile: String },
    #[error("console: {0}")]
    Federation(#[from] FederationError),
    #[error("no browser could be started ($BROWSER, xdg-open, open)")]
    NoBrowser,
}

/// The login URL and its landing page for `resolved`'s credentials: in
/// `region`, else the profile's, else us-east-1. `awsp console` and the
/// picker's `o` both come here.
pub fn sign_in_url_for(
    resolved: &crate::creds::source::Resolved,
    profile: &str,
    region: Option<&str>,
    service: Option<&str>,
    destination: Option<&str>,
) -> Result<(String, String), ConsoleError> {
    if resolved.creds.session_token.is_none() {
        return Err(ConsoleError::LongTermKeys {
            profile: crate::output::human::printable(profile).into_owned(),
        });
    }
    let region = region.or(resolved.region.as_deref()).unwrap_or("us-east-1");
    Ok(sign_in_url(&resolved.creds, region, service, destination)?)
}
