//! awsp: an exact, fast AWS profile switcher for IAM Identity Center users.
//!
//! The library holds everything so integration tests and benchmarks reach it;
//! `main.rs` only wires command-line effects to it.

pub mod app;
pub mod aws;
pub mod cli;
pub mod commands;
pub mod demo;
pub mod handoff;
pub mod heap;
pub mod history;
pub mod human;
pub mod jsonw;
pub mod login;
pub mod picker;
pub mod portal;
pub mod style;
mod swar;
pub mod switch;
pub mod term;
pub mod ui;
