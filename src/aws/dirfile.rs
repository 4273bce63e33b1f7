//! Reading many small files of one folder: `awsp list` reads every cache
//! file, and per file `std::fs::read` costs a full path walk in the kernel, a
//! `statx` for a size hint and a fresh allocation. [`DirReader`] opens the
//! folder once, opens files relative to it, and reads into one buffer.
//!
//! Every read is capped at [`MAX_CACHE_FILE_BYTES`] and never blocks on a
//! FIFO or device. [`nofollow`] is the stricter access `awsp clean` uses.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The most awsp reads of one cache file. Real ones are 1-3 KB (a token
/// with its client registration and scopes); 1 MiB is far above any of
/// them, yet small enough that a file of absurd size (a sparse 8 TB
/// `huge.json`) costs one bounded read rather than an allocation that
/// aborts awsp (and, in the picker, leaves the terminal raw).
pub const MAX_CACHE_FILE_BYTES: u64 = 1024 * 1024;

/// What people are told about a file over [`MAX_CACHE_FILE_BYTES`].
pub const TOO_LARGE: &str = "too large to be a cache file";

/// The error of a read that passed [`MAX_CACHE_FILE_BYTES`].
#[derive(Debug)]
pub struct TooLarge;

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "over 1 MiB: {TOO_LARGE}")
    }
}

impl std::error::Error for TooLarge {}

/// Whether `e` is the [`TooLarge`] error of [`DirReader::read`].
pub fn is_too_large(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<TooLarge>())
}

/// Opens files of one folder and reads each whole into a reused buffer.
pub struct DirReader<'a> {
    dir: &'a Path,
    /// The folder, opened once so each file's lookup starts there rather
    /// than at `/`. `None`: open by full path (not Linux, or it failed).
    #[cfg(target_os = "linux")]
    fd: Option<std::os::fd::OwnedFd>,
    buf: Buffer,
}

impl<'a> DirReader<'a> {
    /// For reading many files of `dir`: holds the folder open on Linux.
    pub fn new(dir: &'a Path) -> DirReader<'a> {
        DirReader {
            dir,
            #[cfg(target_os = "linux")]
            fd: linux::open_dir(dir).ok(),
            buf: Buffer::default(),
        }
    }

    /// For reading one file: opening the folder too would cost more
    /// system calls than it saves.
    pub fn by_path(dir: &'a Path) -> DirReader<'a> {
        DirReader {
            dir,
            #[cfg(target_os = "linux")]
            fd: None,
            buf: Buffer::default(),
        }
    }

    /// The whole content of the file `name` (a plain name, no `/`), valid
    /// until the next call; a [`TooLarge`] error past the cap.
    pub fn read(&mut self, name: &str) -> io::Result<&[u8]> {
        let mut file = self.open(name)?;
        self.buf.fill_from(&mut file)
    }

    fn open(&self, name: &str) -> io::Result<File> {
        #[cfg(target_os = "linux")]
        if let Some(fd) = &self.fd {
            return linux::open_at(fd, name);
        }
        open_nonblocking(&self.dir.join(name))
    }
}

/// `File::open`, but a FIFO or device opens without waiting (its read then
/// fails or is empty, and the file is unreadable rather than a hang).
fn open_nonblocking(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    options.open(path)
}

/// A byte buffer that stays zero-initialised up to its length, so `read`
/// can write into it with safe code, and is only zeroed when it grows.
#[derive(Default)]
struct Buffer {
    bytes: Vec<u8>,
}

impl Buffer {
    /// Covers a typical cache file (about 1 KB) in one `read`.
    const START: usize = 8 * 1024;

    /// Reads `file` to its end, like `std::fs::read` (retrying on EINTR,
    /// failing on any other error) but without asking for its size first,
    /// and failing with [`TooLarge`] once past the cap.
    fn fill_from(&mut self, file: &mut File) -> io::Result<&[u8]> {
        // One byte over the cap tells a file of exactly the cap from a larger one.
        const LIMIT: usize = MAX_CACHE_FILE_BYTES as usize + 1;
        if self.bytes.is_empty() {
            self.bytes.resize(Self::START, 0);
        }
        let mut filled = 0;
        loop {
            if filled >= LIMIT {
                return Err(io::Error::other(TooLarge));
            }
            if filled == self.bytes.len() {
                self.bytes.resize((filled * 2).min(LIMIT), 0);
            }
            match file.read(&mut self.bytes[filled..]) {
                Ok(0) => return Ok(&self.bytes[..filled]),
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use std::fs::File;
    use std::io;
    use std::os::fd::OwnedFd;
    use std::path::Path;

    use rustix::fs::{Mode, OFlags, CWD};
    use rustix::io::Errno;

    /// `O_PATH`: the folder is only a starting point for lookups, so it
    /// needs search permission, not read permission.
    pub fn open_dir(dir: &Path) -> io::Result<OwnedFd> {
        retry(|| {
            rustix::fs::openat(
                CWD,
                dir,
                OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )
        })
    }

    /// Opens `name` in `dir` for reading, following links as botocore does
    /// (so no `O_NOFOLLOW`), with the flags `File::open` uses, and without
    /// waiting on a FIFO or device. rustix makes the C string of a short
    /// name on the stack, so no file costs an allocation.
    pub fn open_at(dir: &OwnedFd, name: &str) -> io::Result<File> {
        let flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NONBLOCK | OFlags::NOCTTY;
        retry(|| rustix::fs::openat(dir, name, flags, Mode::empty())).map(File::from)
    }

    /// Runs an `open`-like call until it is not interrupted by a signal,
    /// as `File::open` does.
    fn retry(mut call: impl FnMut() -> Result<OwnedFd, Errno>) -> io::Result<OwnedFd> {
        loop {
            match call() {
                Err(Errno::INTR) => {}
                result => return result.map_err(io::Error::from),
            }
        }
    }
}

/// A folder reached without following any link below a trusted base, and
/// the few operations `awsp clean` needs inside it, all relative to the
/// folder's descriptor: once open, swapping a component of its path for a
/// link changes nothing that is read, renamed or removed.
pub mod nofollow {
    use std::ffi::{OsStr, OsString};
    use std::fs::File;
    use std::io::{self, Read};
    use std::os::fd::OwnedFd;
    use std::os::unix::ffi::OsStrExt;
    use std::path::{Path, PathBuf};

    use rustix::fs::{AtFlags, Dir, FileType, Mode, OFlags, Stat, CWD};
    use rustix::io::Errno;

    /// Why a folder was not opened.
    #[derive(Debug)]
    pub enum OpenError {
        /// A component does not exist: there is nothing to look at.
        Missing,
        /// This component is a symbolic link.
        Link(PathBuf),
        /// This component is not a folder.
        NotAFolder(PathBuf),
        Io(PathBuf, io::Error),
    }

    /// What kind of entry a name is, links not followed.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Kind {
        File,
        Link,
        Folder,
        /// A FIFO, socket or device.
        Other,
    }

    /// What an entry's metadata says, for telling later whether it changed.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct Facts {
        pub kind: Kind,
        pub len: u64,
        /// Modification time, seconds and nanoseconds.
        pub modified: (i64, i64),
        /// Device and inode: the same file, not only the same bytes.
        pub identity: (u64, u64),
    }

    /// Why a file's bytes were not read.
    #[derive(Debug)]
    pub enum ReadFailure {
        /// Not a regular file (never opened if known before).
        NotRegular(Kind),
        /// Longer than the cap: its length, never read.
        TooLarge(u64),
        Io(io::Error),
    }

    #[derive(Debug)]
    pub struct NoFollowDir {
        fd: OwnedFd,
        /// Device and inode of the folder itself.
        pub identity: (u64, u64),
    }

    const DIR_FLAGS: OFlags = OFlags::RDONLY
        .union(OFlags::DIRECTORY)
        .union(OFlags::NOFOLLOW)
        .union(OFlags::CLOEXEC);

    impl NoFollowDir {
        /// Opens `base` (following links: it is the user's own choice, such
        /// as a home folder that is a link) and then each of `below` in turn
        /// with `O_NOFOLLOW`, so no component below `base` may be a link.
        pub fn open(base: &Path, below: &[&OsStr]) -> Result<NoFollowDir, OpenError> {
            let mut fd = rustix::fs::openat(
                CWD,
                base,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .map_err(|e| match e {
                Errno::NOENT => OpenError::Missing,
                Errno::NOTDIR => OpenError::NotAFolder(base.to_path_buf()),
                e => OpenError::Io(base.to_path_buf(), e.into()),
            })?;
            let mut path = base.to_path_buf();
            for component in below {
                path.push(component);
                fd = match rustix::fs::openat(&fd, *component, DIR_FLAGS, Mode::empty()) {
                    Ok(next) => next,
                    Err(e) => return Err(open_error(&fd, component, path, e)),
                };
            }
            let identity = identity(
                &rustix::fs::fstat(&fd).map_err(|e| OpenError::Io(path.clone(), e.into()))?,
            );
            Ok(NoFollowDir { fd, identity })
        }

        /// The names in the folder, `.` and `..` left out.
        pub fn names(&self) -> io::Result<Vec<OsString>> {
            let mut names = Vec::new();
            for entry in Dir::read_from(&self.fd)? {
                let entry = entry?;
                let name = OsStr::from_bytes(entry.file_name().to_bytes());
                if name != "." && name != ".." {
                    names.push(name.to_os_string());
                }
            }
            Ok(names)
        }

        /// The entry `name`, links not followed.
        pub fn stat(&self, name: &OsStr) -> io::Result<Facts> {
            let st = rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW)?;
            Ok(facts(&st))
        }

        /// The bytes of the regular file `name` if it has at most `max`:
        /// opened without following a link and without waiting on a FIFO,
        /// checked to be a regular file on the open descriptor, then read.
        pub fn read_file(&self, name: &OsStr, max: u64) -> Result<(Facts, Vec<u8>), ReadFailure> {
            let flags = OFlags::RDONLY
                | OFlags::NOFOLLOW
                | OFlags::NONBLOCK
                | OFlags::NOCTTY
                | OFlags::CLOEXEC;
            let fd = match rustix::fs::openat(&self.fd, name, flags, Mode::empty()) {
                Ok(fd) => fd,
                Err(Errno::LOOP) => return Err(ReadFailure::NotRegular(Kind::Link)),
                Err(e) => return Err(ReadFailure::Io(e.into())),
            };
            let st = rustix::fs::fstat(&fd).map_err(|e| ReadFailure::Io(e.into()))?;
            let facts = facts(&st);
            if facts.kind != Kind::File {
                return Err(ReadFailure::NotRegular(facts.kind));
            }
            if facts.len > max {
                return Err(ReadFailure::TooLarge(facts.len));
            }
            let mut bytes = Vec::with_capacity(facts.len as usize);
            File::from(fd)
                .take(max + 1)
                .read_to_end(&mut bytes)
                .map_err(ReadFailure::Io)?;
            if bytes.len() as u64 > max {
                // It grew while being read.
                return Err(ReadFailure::TooLarge(bytes.len() as u64));
            }
            Ok((facts, bytes))
        }

        /// Renames `from` to `to` in this folder, failing with
        /// `AlreadyExists` rather than replacing an entry named `to`.
        pub fn rename_noreplace(&self, from: &OsStr, to: &OsStr) -> io::Result<()> {
            #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
            match rustix::fs::renameat_with(
                &self.fd,
                from,
                &self.fd,
                to,
                rustix::fs::RenameFlags::NOREPLACE,
            ) {
                // A file system without the flag: check, then rename.
                Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {}
                other => return other.map_err(Into::into),
            }
            match rustix::fs::statat(&self.fd, to, AtFlags::SYMLINK_NOFOLLOW) {
                Ok(_) => return Err(io::ErrorKind::AlreadyExists.into()),
                Err(Errno::NOENT) => {}
                Err(e) => return Err(e.into()),
            }
            Ok(rustix::fs::renameat(&self.fd, from, &self.fd, to)?)
        }

        /// Removes the file `name` of this folder (never a folder).
        pub fn unlink(&self, name: &OsStr) -> io::Result<()> {
            Ok(rustix::fs::unlinkat(&self.fd, name, AtFlags::empty())?)
        }
    }

    /// Which of missing, a link, not a folder or another error made
    /// opening `component` of `parent` fail with `err`.
    fn open_error(parent: &OwnedFd, component: &OsStr, path: PathBuf, err: Errno) -> OpenError {
        match rustix::fs::statat(parent, component, AtFlags::SYMLINK_NOFOLLOW) {
            Err(Errno::NOENT) => OpenError::Missing,
            Ok(st) => match kind(&st) {
                Kind::Link => OpenError::Link(path),
                Kind::Folder => OpenError::Io(path, err.into()),
                _ => OpenError::NotAFolder(path),
            },
            Err(_) => OpenError::Io(path, err.into()),
        }
    }

    fn kind(st: &Stat) -> Kind {
        match FileType::from_raw_mode(st.st_mode as _) {
            FileType::RegularFile => Kind::File,
            FileType::Symlink => Kind::Link,
            FileType::Directory => Kind::Folder,
            _ => Kind::Other,
        }
    }

    // The `stat` field types differ by platform (`dev_t` is 32-bit on macOS).
    #[allow(clippy::unnecessary_cast)]
    fn identity(st: &Stat) -> (u64, u64) {
        (st.st_dev as u64, st.st_ino as u64)
    }

    #[allow(clippy::unnecessary_cast)]
    fn facts(st: &Stat) -> Facts {
        Facts {
            kind: kind(st),
            len: st.st_size as u64,
            modified: (st.st_mtime as i64, st.st_mtime_nsec as i64),
            identity: identity(st),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_whole_files_of_any_size_through_one_buffer() {
        let dir = tempfile::tempdir().unwrap();
        let sizes = [
            0,
            1,
            Buffer::START - 1,
            Buffer::START,
            Buffer::START + 1,
            300_000,
            5,
        ];
        for (i, size) in sizes.iter().enumerate() {
            let bytes: Vec<u8> = (0..*size).map(|n| (n * 7 + i) as u8).collect();
            std::fs::write(dir.path().join(format!("{i}")), bytes).unwrap();
        }
        for mut reader in [DirReader::new(dir.path()), DirReader::by_path(dir.path())] {
            for i in 0..sizes.len() {
                let want = std::fs::read(dir.path().join(format!("{i}"))).unwrap();
                assert_eq!(reader.read(&format!("{i}")).unwrap(), want, "file {i}");
            }
            let err = reader.read("none").unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::NotFound);
        }
    }

    #[test]
    fn a_folder_that_cannot_be_opened_falls_back_to_paths() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("gone");
        let mut reader = DirReader::new(&gone);
        assert_eq!(
            reader.read("a").unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
        std::fs::create_dir(&gone).unwrap();
        std::fs::write(gone.join("a"), "x").unwrap();
        assert_eq!(reader.read("a").unwrap(), b"x");
    }

    #[test]
    fn reads_stop_at_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let cap = MAX_CACHE_FILE_BYTES as usize;
        std::fs::write(dir.path().join("cap"), vec![b'x'; cap]).unwrap();
        std::fs::write(dir.path().join("over"), vec![b'x'; cap + 1]).unwrap();
        let sparse = File::create(dir.path().join("sparse")).unwrap();
        sparse.set_len(1 << 40).unwrap();
        for mut reader in [DirReader::new(dir.path()), DirReader::by_path(dir.path())] {
            assert_eq!(reader.read("cap").unwrap().len(), cap);
            for name in ["over", "sparse"] {
                let err = reader.read(name).unwrap_err();
                assert!(is_too_large(&err), "{name}: {err}");
            }
            assert!(reader.buf.bytes.len() <= cap + 1);
        }
    }

    /// A FIFO that took a cache file's name after the listing: reading it
    /// fails or is empty at once instead of waiting for a writer forever.
    #[test]
    fn a_fifo_does_not_block() {
        let dir = tempfile::tempdir().unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(dir.path().join("pipe.json"))
            .status()
            .unwrap();
        assert!(made.success());
        let path = dir.path().to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for mut reader in [DirReader::new(&path), DirReader::by_path(&path)] {
                let read = reader.read("pipe.json").map(<[u8]>::to_vec);
                tx.send(read.map_err(|e| e.kind())).unwrap();
            }
        });
        for _ in 0..2 {
            let read = rx
                .recv_timeout(std::time::Duration::from_secs(5))
                .expect("reading a FIFO blocked");
            assert!(read.map_or(true, |bytes| bytes.is_empty()));
        }
    }
}
