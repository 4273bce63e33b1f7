//! Writing the config file: the one place awsp changes it (`sync --write`).
//!
//! The new text goes to a temporary file in the target's own folder
//! (fsynced, with the file's mode), the previous bytes are kept next to it
//! as `config.awsp-backup` (replaced on each write), and the temporary file
//! is renamed over the target. A symlinked config is written through to
//! the file it points to, so the link stays. If the file changed since awsp
//! read it (other bytes or another mtime, checked right before the rename),
//! nothing replaces it.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The config file as awsp read it, to compare with right before writing.
#[derive(Clone, Debug)]
pub struct ReadConfig {
    /// The path as configured (`AWS_CONFIG_FILE` or `~/.aws/config`).
    pub path: PathBuf,
    /// The file itself: `path` with every symlink resolved.
    pub target: PathBuf,
    pub bytes: Vec<u8>,
    pub mtime: Option<SystemTime>,
    pub mode: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{}: changed since awsp read it; nothing written (run the command again)", .0.display())]
    Changed(PathBuf),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What a write did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteOutcome {
    /// The file already held these bytes: not touched (same mtime).
    Unchanged,
    Written {
        backup: PathBuf,
    },
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Reads the config at `path` for a later [`write`]; `None` if there is no
/// such file. Something other than a regular file is an error.
pub fn read(path: &Path) -> Result<Option<ReadConfig>, WriteError> {
    let target = match std::fs::canonicalize(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(path)(e)),
    };
    let meta = std::fs::metadata(&target).map_err(io_error(&target))?;
    if !meta.is_file() {
        return Err(io_error(path)(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        )));
    }
    let bytes = std::fs::read(&target).map_err(io_error(&target))?;
    Ok(Some(ReadConfig {
        path: path.to_path_buf(),
        mtime: meta.modified().ok(),
        mode: {
            use std::os::unix::fs::PermissionsExt;
            meta.permissions().mode() & 0o7777
        },
        target,
        bytes,
    }))
}

/// Where the previous content is kept: `<file>.awsp-backup` beside the target.
pub fn backup_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".awsp-backup");
    target.with_file_name(name)
}

/// Whether the target still holds what `read` saw.
fn unchanged_since(read: &ReadConfig) -> Result<bool, WriteError> {
    let meta = std::fs::metadata(&read.target).map_err(io_error(&read.target))?;
    if meta.modified().ok() != read.mtime || meta.len() != read.bytes.len() as u64 {
        return Ok(false);
    }
    let now = std::fs::read(&read.target).map_err(io_error(&read.target))?;
    Ok(now == read.bytes)
}

/// A temporary file in `dir` holding `bytes` with `read`'s mode, synced.
fn staged(
    dir: &Path,
    bytes: &[u8],
    read: &ReadConfig,
) -> Result<tempfile::NamedTempFile, WriteError> {
    crate::home::replace::staged(dir, bytes, read.mode).map_err(io_error(dir))
}

/// Replaces the file `read` came from by `new`, atomically, keeping the
/// previous bytes as the backup first. Equal bytes: nothing is touched.
pub fn write(read: &ReadConfig, new: &[u8]) -> Result<WriteOutcome, WriteError> {
    if new == read.bytes.as_slice() {
        return Ok(WriteOutcome::Unchanged);
    }
    if !unchanged_since(read)? {
        return Err(WriteError::Changed(read.path.clone()));
    }
    let dir = read.target.parent().unwrap_or(Path::new("."));
    let backup = backup_path(&read.target);
    if std::fs::symlink_metadata(&backup).is_ok_and(|m| !m.is_file()) {
        return Err(io_error(&backup)(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file; left alone (move it away to let awsp keep its backup there)",
        )));
    }
    let new_file = staged(dir, new, read)?;
    staged(dir, &read.bytes, read)?
        .persist(&backup)
        .map_err(|e| io_error(&backup)(e.error))?;
    // The last moment before the rename: an editor may have saved meanwhile.
    if !unchanged_since(read)? {
        return Err(WriteError::Changed(read.path.clone()));
    }
    new_file
        .persist(&read.target)
        .map_err(|e| io_error(&read.target)(e.error))?;
    // The rename itself survives a crash only once the folder is synced.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(WriteOutcome::Written { backup })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn writes_keeping_mode_and_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        let read = read(&path).unwrap().unwrap();
        let outcome = write(&read, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o640);
        let backup = dir.path().join("config.awsp-backup");
        assert_eq!(
            outcome,
            WriteOutcome::Written {
                backup: backup.clone()
            }
        );
        assert_eq!(std::fs::read(&backup).unwrap(), b"old");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 2, "no temporary file left");
    }

    #[test]
    fn a_symlink_is_written_through_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("real")).unwrap();
        let target = dir.path().join("real/config");
        std::fs::write(&target, "old").unwrap();
        let link = dir.path().join("config");
        std::os::unix::fs::symlink("real/config", &link).unwrap();
        let read = read(&link).unwrap().unwrap();
        write(&read, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(
            std::fs::read(dir.path().join("real/config.awsp-backup")).unwrap(),
            b"old"
        );
    }

    #[test]
    fn a_file_changed_since_reading_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(&path, "old").unwrap();
        let read = read(&path).unwrap().unwrap();
        std::fs::write(&path, "edited").unwrap();
        assert!(matches!(write(&read, b"new"), Err(WriteError::Changed(_))));
        assert_eq!(std::fs::read(&path).unwrap(), b"edited");
        // Same bytes, another mtime: changed too.
        std::fs::write(&path, "old").unwrap();
        let read = super::read(&path).unwrap().unwrap();
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(later)
            .unwrap();
        assert!(matches!(write(&read, b"new"), Err(WriteError::Changed(_))));
    }

    #[test]
    fn equal_bytes_touch_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(&path, "same").unwrap();
        let before = std::fs::metadata(&path).unwrap().modified().unwrap();
        let read = read(&path).unwrap().unwrap();
        assert_eq!(write(&read, b"same").unwrap(), WriteOutcome::Unchanged);
        assert_eq!(
            std::fs::metadata(&path).unwrap().modified().unwrap(),
            before
        );
        assert!(!dir.path().join("config.awsp-backup").exists());
    }
}
