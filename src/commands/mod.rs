//! One module per subcommand; each returns the process exit code.

pub mod clean;
pub mod list;
pub mod login;
