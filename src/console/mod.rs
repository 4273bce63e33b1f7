//! Console sign-in through the federation endpoint: the role credentials
//! become a sign-in token (`getSigninToken`), the token a login URL
//! (`Action=login`). The URL is a credential for 15 minutes: it is opened,
//! or printed only when asked (`--print`), never logged or kept.

pub mod federation;
pub mod signin;

pub use federation::{get_signin_token, FederationError};
pub use signin::{console_destination, federation_url, login_url, Partition};
