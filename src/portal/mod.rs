//! The IAM Identity Center portal: the only network code in awsp, run only
//! when the user asks (`awsp sync`, later `creds` and `console`). No
//! terminal code here: progress and errors come back as data.

pub mod client;
pub mod endpoint;
pub mod error;
pub mod http;
pub mod retry;
pub mod types;

pub use client::{
    fetch_inventory, get_role_credentials, AccessToken, FetchOpts, Progress, RoleCredentials,
    MAX_CONCURRENCY,
};
pub use endpoint::{process_env, ConfigEndpoint, Endpoint, Env};
pub use error::PortalError;
pub use http::{NetOpts, ProxySettings};
pub use retry::RetryPolicy;
