//! The shell side: init scripts, quoting, the hand-off (fd 3 or a file) and
//! what a switch changes.

pub mod handoff;
pub mod switch;
