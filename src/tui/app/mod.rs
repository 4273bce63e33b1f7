//! The picker's model and update: pure, no IO, the time passed in.

pub mod action;
pub mod filter;
pub mod state;
pub mod update;
