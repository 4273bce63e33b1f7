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
