//! `awsp status`: one short line for prompts (being written).

use std::io::Write;

use chrono::{DateTime, Utc};

use crate::aws::paths::AwsPaths;
use crate::cli::StatusArgs;
use crate::switch::ShellEnv;

pub fn run(
    _paths: &AwsPaths,
    _env: &ShellEnv,
    _now: DateTime<Utc>,
    _args: &StatusArgs,
    _out: &mut dyn Write,
) -> anyhow::Result<u8> {
    anyhow::bail!("awsp status is not available yet")
}
