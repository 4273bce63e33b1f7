//! `awsp doctor`: checks and explanations (being written).

use std::io::Write;

use chrono::{DateTime, Utc};

use crate::aws::paths::AwsPaths;
use crate::switch::ShellEnv;

pub fn run(
    _paths: &AwsPaths,
    _env: &ShellEnv,
    _now: DateTime<Utc>,
    _json: bool,
    _out: &mut dyn Write,
) -> anyhow::Result<u8> {
    anyhow::bail!("awsp doctor is not available yet")
}
