//! The floor for awsp's commands at a realistic size (scripts/bench-small):
//! a process that only reads the files awsp reads (the config, the
//! credentials file, every file of `~/.aws/sso/cache` and `~/.aws/cli/cache`)
//! and does nothing with them. A command within 1.5x of this spends little
//! of its time on its own work.

use std::path::PathBuf;

fn main() {
    let aws = PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".aws");
    let mut bytes = 0;
    for file in ["config", "credentials"] {
        bytes += std::fs::read(aws.join(file)).map_or(0, |b| b.len());
    }
    for dir in ["sso/cache", "cli/cache"] {
        let Ok(entries) = std::fs::read_dir(aws.join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            bytes += std::fs::read(entry.path()).map_or(0, |b| b.len());
        }
    }
    // Printed so the reads cannot be optimised away.
    if std::env::var_os("READ_FLOOR_VERBOSE").is_some() {
        println!("{bytes}");
    }
}
