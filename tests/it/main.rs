//! awsp's integration tests, one binary with a module per area (as ripgrep
//! and fd do): one link step instead of one per file. Run one area with
//! `cargo test --test it sync::`.
//!
//! A test that needs a tool the machine may lack (a shell, tmux, the AWS
//! CLI, botocore) is skipped with a `SKIPPED:` line in a plain `cargo test`
//! and fails under `AWSP_REQUIRE_ALL=1`, which scripts/test (and so CI) sets
//! after installing them all (`common::skip`).

mod common;
mod support;

mod byte_paths;
mod clean;
mod completion;
mod creds;
mod differential;
mod differential_fuzz;
mod doctor;
mod e2e_picker;
mod e2e_session_care;
mod handoff_shells;
mod login;
mod names;
mod picker_screens;
mod portal;
mod secrets;
mod source_chain;
mod status;
mod switch;
mod sync;
mod timestamps;
