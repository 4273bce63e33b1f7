//! The one way awsp replaces a file it writes (role-credential cache files,
//! its own state, the config with its marked block and that file's backup):
//! the new bytes go to a temporary file in the same folder (a rename across
//! file systems would not be atomic), created 0600 with `O_EXCL` and named
//! `.awsp-*.tmp` so whose it is shows, set to its final mode, synced, then
//! renamed over the old file. A reader sees the old file or the new one,
//! never half of either; a crash leaves at worst a stray temporary file.

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use tempfile::NamedTempFile;

/// `bytes` in a temporary file in `dir` with permissions `mode`, synced:
/// ready to be renamed into place with [`NamedTempFile::persist`].
pub fn staged(dir: &Path, bytes: &[u8], mode: u32) -> io::Result<NamedTempFile> {
    let mut tmp = tempfile::Builder::new()
        .prefix(crate::aws::clean::STAGED_PREFIX)
        .suffix(crate::aws::clean::STAGED_SUFFIX)
        .permissions(fs::Permissions::from_mode(0o600))
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    if mode != 0o600 {
        tmp.as_file()
            .set_permissions(fs::Permissions::from_mode(mode))?;
    }
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// Replaces `path` (in an existing folder) by `bytes` with permissions
/// `mode`, atomically.
pub fn replace(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    staged(dir, bytes, mode)?
        .persist(path)
        .map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_with_the_mode_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        fs::write(&path, "old").unwrap();
        replace(&path, b"new", 0o600).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        replace(&path, b"newer", 0o644).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!((fs::read(&path).unwrap(), mode), (b"newer".to_vec(), 0o644));
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["f"]);
    }

    #[test]
    fn a_missing_folder_is_an_error_and_nothing_is_made() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no/such/f");
        assert!(replace(&path, b"x", 0o600).is_err());
        assert!(!dir.path().join("no").exists());
    }
}
