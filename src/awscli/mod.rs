//! Running the AWS CLI itself (`aws sso login`): finding it, running it on
//! the terminal, reporting what it said.
//!
//! This is the one place that looks for `aws` on PATH: the picker's login,
//! `awsp login` and `awsp doctor` must agree on which `aws` they mean.

pub mod login;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// The AWS CLI on this process's `$PATH`.
pub fn find_aws() -> Option<PathBuf> {
    find_aws_in(&std::env::var_os("PATH")?)
}

/// The first executable `aws` in the folders of `path` (a PATH value).
/// Empty entries are skipped: the shell reads them as the current folder,
/// and awsp must not run an `aws` that happens to lie there.
pub fn find_aws_in(path: &OsStr) -> Option<PathBuf> {
    std::env::split_paths(path)
        .filter(|d| !d.as_os_str().is_empty())
        .map(|d| d.join("aws"))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// True when the AWS CLI on PATH is v1, which cannot log in sso-sessions.
/// False when there is none, or its version cannot be told.
pub fn path_has_cli_v1() -> bool {
    find_aws()
        .and_then(|aws| login::cli_major_version(&aws))
        .is_some_and(|major| major < 2)
}

/// `aws-cli/2.15.0 Python/3.11.6 ...` → (2, 15, 0).
pub fn parse_version(text: &str) -> Option<(u32, u32, u32)> {
    let at = text.find("aws-cli/")?;
    let rest = &text[at + "aws-cli/".len()..];
    let version: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let mut parts = version.split('.').map(|p| p.parse::<u32>().ok());
    Some((
        parts.next()??,
        parts.next()??,
        parts.next().flatten().unwrap_or(0),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn put(dir: &Path, mode: u32) -> PathBuf {
        std::fs::create_dir_all(dir).unwrap();
        let aws = dir.join("aws");
        std::fs::write(&aws, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&aws, std::fs::Permissions::from_mode(mode)).unwrap();
        aws
    }

    #[test]
    fn the_first_executable_aws_wins_and_empty_entries_are_skipped() {
        let tmp = tempfile::tempdir().unwrap();
        let (plain, exe, later) = (
            tmp.path().join("plain"),
            tmp.path().join("exe"),
            tmp.path().join("later"),
        );
        put(&plain, 0o644);
        let want = put(&exe, 0o755);
        put(&later, 0o755);
        std::fs::create_dir_all(tmp.path().join("folder/aws")).unwrap();
        let path =
            std::env::join_paths([PathBuf::new(), tmp.path().join("folder"), plain, exe, later])
                .unwrap();
        assert_eq!(find_aws_in(&path), Some(want));
        assert_eq!(find_aws_in(OsStr::new("")), None);
    }
}
