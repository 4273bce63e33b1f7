//! awsp: an exact, fast AWS profile switcher for IAM Identity Center users.
//!
//! The library holds everything so integration tests and benchmarks reach it;
//! `main.rs` only wires command-line effects to it. The folders are the
//! layers: `aws` (botocore's model of the files) and `portal` (the network)
//! know nothing of the others; `commands`, `tui` and `output` read them.
//! `sys` alone may use unsafe code (fd 3, which awsp does not own).

#![deny(unsafe_code)]

// fd 3, openat without following links, modes and signals are Unix's; awsp
// does not pretend to build elsewhere (no untested `cfg(not(unix))` paths).
#[cfg(not(unix))]
compile_error!("awsp supports Unix-like systems only (Linux, macOS, the BSDs)");

pub mod aws;
pub mod awscli;
pub mod cli;
pub mod commands;
pub mod console;
pub mod creds;
pub mod exit;
pub mod fast;
pub mod home;
pub mod output;
pub mod portal;
pub mod shell;
pub mod sync;
#[allow(unsafe_code)]
pub mod sys;
pub mod tui;
