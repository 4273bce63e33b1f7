//! `awsp sync`: profiles for every account and role the Identity Center
//! portal gives a session. Pure planning and text work, plus the two files
//! it writes (the stored inventory, the config block); the command itself
//! is `commands::sync`, the network client `portal`.

pub mod block;
pub mod error;
pub mod known;
pub mod naming;
pub mod plan;
pub mod store;
pub mod write;

pub use error::SyncError;
