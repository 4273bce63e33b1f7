//! One module per subcommand; each returns the process exit code.

pub mod clean;
pub mod complete;
pub mod console;
pub mod creds;
pub mod doctor;
pub mod exec;
pub mod list;
pub mod login;
pub mod status;
pub mod switch;
pub mod sync;
