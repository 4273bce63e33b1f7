//! Reading many small files of one folder: `awsp list` reads every cache
//! file, and per file `std::fs::read` costs a full path walk in the kernel, a
//! `statx` for a size hint and a fresh allocation. [`DirReader`] opens the
//! folder once, opens files relative to it, and reads into one buffer.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Opens files of one folder and reads each whole into a reused buffer.
pub struct DirReader<'a> {
    dir: &'a Path,
    /// The folder, opened once so each file's lookup starts there rather
    /// than at `/`. `None`: open by full path (not Linux, or it failed).
    #[cfg(target_os = "linux")]
    fd: Option<std::os::fd::OwnedFd>,
    /// Scratch for a file name as a NUL-terminated C string.
    #[cfg(target_os = "linux")]
    c_name: Vec<u8>,
    buf: Buffer,
}

impl<'a> DirReader<'a> {
    /// For reading many files of `dir`: holds the folder open on Linux.
    pub fn new(dir: &'a Path) -> DirReader<'a> {
        DirReader {
            dir,
            #[cfg(target_os = "linux")]
            fd: linux::open_dir(dir).ok(),
            #[cfg(target_os = "linux")]
            c_name: Vec::new(),
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
            #[cfg(target_os = "linux")]
            c_name: Vec::new(),
            buf: Buffer::default(),
        }
    }

    /// The whole content of the file `name` (a plain name, no `/`), valid
    /// until the next call.
    pub fn read(&mut self, name: &str) -> io::Result<&[u8]> {
        let mut file = self.open(name)?;
        self.buf.fill_from(&mut file)
    }

    fn open(&mut self, name: &str) -> io::Result<File> {
        #[cfg(target_os = "linux")]
        if let Some(fd) = &self.fd {
            return linux::open_at(fd, name, &mut self.c_name);
        }
        File::open(self.dir.join(name))
    }
}

/// A byte buffer that stays zero-initialised up to its length, so `read`
/// can write into it without `unsafe`, and is only zeroed when it grows.
#[derive(Default)]
struct Buffer {
    bytes: Vec<u8>,
}

impl Buffer {
    /// Covers a typical cache file (about 1 KB) in one `read`.
    const START: usize = 8 * 1024;

    /// Reads `file` to its end, like `std::fs::read` (retrying on EINTR,
    /// failing on any other error) but without asking for its size first.
    fn fill_from(&mut self, file: &mut File) -> io::Result<&[u8]> {
        if self.bytes.is_empty() {
            self.bytes.resize(Self::START, 0);
        }
        let mut filled = 0;
        loop {
            if filled == self.bytes.len() {
                self.bytes.resize(filled * 2, 0);
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
    use std::ffi::CStr;
    use std::fs::File;
    use std::io;
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;

    /// `O_PATH`: the folder is only a starting point for lookups, so it
    /// needs search permission, not read permission.
    pub fn open_dir(dir: &Path) -> io::Result<OwnedFd> {
        let mut c_path = Vec::new();
        let path = c_string(dir.as_os_str().as_bytes(), &mut c_path)?;
        retry(|| {
            // SAFETY: `path` is a valid NUL-terminated string for the call.
            unsafe {
                libc::open(
                    path.as_ptr(),
                    libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC,
                )
            }
        })
    }

    /// Opens `name` in `dir` for reading, following links as botocore does
    /// (so no `O_NOFOLLOW`), with the flags `File::open` uses.
    pub fn open_at(dir: &OwnedFd, name: &str, scratch: &mut Vec<u8>) -> io::Result<File> {
        let name = c_string(name.as_bytes(), scratch)?;
        let fd = retry(|| {
            // SAFETY: `dir` is an open descriptor we own and `name` a valid
            // NUL-terminated string, both alive for the call.
            unsafe {
                libc::openat(
                    dir.as_raw_fd(),
                    name.as_ptr(),
                    libc::O_RDONLY | libc::O_CLOEXEC,
                )
            }
        })?;
        Ok(File::from(fd))
    }

    /// `bytes` + NUL in `scratch`, reused so no file costs an allocation.
    fn c_string<'s>(bytes: &[u8], scratch: &'s mut Vec<u8>) -> io::Result<&'s CStr> {
        scratch.clear();
        scratch.extend_from_slice(bytes);
        scratch.push(0);
        CStr::from_bytes_with_nul(scratch)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "NUL byte in a file name"))
    }

    /// Runs an `open`-like call until it is not interrupted by a signal,
    /// as `File::open` does.
    fn retry(mut call: impl FnMut() -> libc::c_int) -> io::Result<OwnedFd> {
        loop {
            let fd = call();
            if fd >= 0 {
                // SAFETY: a non-negative result is a new descriptor that
                // nothing else owns.
                return Ok(unsafe { OwnedFd::from_raw_fd(fd) });
            }
            let err = io::Error::last_os_error();
            if err.kind() != io::ErrorKind::Interrupted {
                return Err(err);
            }
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
}
