//! Reading `~/.aws` with the AWS CLI's (botocore's) own rules. No terminal code here.

pub mod cache;
mod cachejson;
pub mod clean;
pub mod config;
mod dirfile;
pub mod envname;
mod filebytes;
pub mod ini;
pub mod paths;
pub mod pyjson;
pub mod resolve;
pub mod shlex;
pub mod snapshot;
pub mod timestamp;
