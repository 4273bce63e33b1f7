//! Reading `~/.aws` with the AWS CLI's (botocore's) own rules. No terminal code here.

pub mod cache;
pub mod clean;
pub mod config;
mod dirfile;
pub use dirfile::MAX_CACHE_FILE_BYTES;
pub mod envname;
pub mod ini;
pub mod paths;
pub mod py;
pub mod resolve;
pub mod snapshot;
