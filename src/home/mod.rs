//! Where this run's files are: the demo home, and awsp's own state (the
//! switch history).

pub mod demo;
pub mod history;
