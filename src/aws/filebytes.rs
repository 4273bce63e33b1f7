//! Reading a whole large file into memory without a page fault per 4 KiB.
//!
//! `std::fs::read` of the 1.5 MB benchmark config into fresh heap memory
//! faults each of its ~370 pages in while the kernel copies: `read` took
//! 0.5-0.9 ms of the ~4 ms `awsp status` run. Memory mapped with
//! `MAP_POPULATE` is allocated and cleared inside the one `mmap` call, so
//! the `read` that follows only copies. The file itself is not mapped: a
//! file mapping dies with SIGBUS if the file shrinks while it is read.

use std::fs::File;
use std::io::{self, Read};
use std::ops::Deref;
use std::path::Path;

/// Files smaller than this are read with `std::fs::read`: too few pages
/// to be worth a mapping.
const MAP_FROM: usize = 256 << 10;

/// A file's bytes: on the heap, or in anonymous memory of our own.
pub enum FileBytes {
    Heap(Vec<u8>),
    #[cfg(target_os = "linux")]
    Mapped(populated::Buffer),
}

impl Deref for FileBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Heap(v) => v,
            #[cfg(target_os = "linux")]
            FileBytes::Mapped(b) => b,
        }
    }
}

/// The whole of the file at `path`, as `std::fs::read` gives it.
pub fn read(path: &Path) -> io::Result<FileBytes> {
    let mut file = File::open(path)?;
    let size = file.metadata()?.len() as usize;
    #[cfg(target_os = "linux")]
    if size >= MAP_FROM {
        // One byte of room past the size tells a file that grew since the
        // stat: then the heap path starts over, as std::fs::read would
        // read it to its end.
        if let Some(mut buf) = populated::Buffer::new(size + 1) {
            let filled = read_into(&mut file, &mut buf)?;
            if filled <= size {
                buf.truncate(filled);
                return Ok(FileBytes::Mapped(buf));
            }
            return std::fs::read(path).map(FileBytes::Heap);
        }
    }
    let mut bytes = Vec::with_capacity(size + 1);
    file.read_to_end(&mut bytes)?;
    Ok(FileBytes::Heap(bytes))
}

/// Reads until `buf` is full or the file ends; how many bytes were read.
#[cfg(target_os = "linux")]
fn read_into(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

#[cfg(target_os = "linux")]
mod populated {
    use std::ops::{Deref, DerefMut};

    const HUGE: usize = 2 << 20;

    /// Private anonymous memory in whole 2 MiB huge pages where the kernel
    /// has them (one fault and one clear each, instead of 512 of each).
    pub struct Buffer {
        /// The mapping, and the huge-page-aligned start of the buffer in it.
        base: *mut u8,
        ptr: *mut u8,
        /// Bytes in use.
        len: usize,
        mapped: usize,
    }

    impl Buffer {
        pub fn new(len: usize) -> Option<Buffer> {
            let rounded = len.div_ceil(HUGE) * HUGE;
            let mapped = rounded + HUGE;
            // SAFETY: a fresh private anonymous mapping; no memory of ours
            // is touched. MAP_FAILED is checked before the pointer is used;
            // madvise only sets a hint on that mapping.
            unsafe {
                let base = libc::mmap(
                    std::ptr::null_mut(),
                    mapped,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                    -1,
                    0,
                );
                if base == libc::MAP_FAILED {
                    return None;
                }
                let base: *mut u8 = base.cast();
                let ptr = base.add(base.align_offset(HUGE));
                libc::madvise(ptr.cast(), rounded, libc::MADV_HUGEPAGE);
                Some(Buffer {
                    base,
                    ptr,
                    len,
                    mapped,
                })
            }
        }

        pub fn truncate(&mut self, len: usize) {
            self.len = self.len.min(len);
        }
    }

    impl Deref for Buffer {
        type Target = [u8];
        fn deref(&self) -> &[u8] {
            // SAFETY: `ptr` starts ≥ `len` mapped readable bytes, alive
            // until drop; anonymous memory starts zeroed, so initialised.
            unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
        }
    }

    impl DerefMut for Buffer {
        fn deref_mut(&mut self) -> &mut [u8] {
            // SAFETY: as for `deref`; `&mut self` makes the slice unique.
            unsafe { std::slice::from_raw_parts_mut(self.ptr, self.len) }
        }
    }

    impl Drop for Buffer {
        fn drop(&mut self) {
            // SAFETY: unmaps exactly the mapping made in `new`, once.
            unsafe {
                libc::munmap(self.base.cast(), self.mapped);
            }
        }
    }

    // SAFETY: the buffer owns its mapping outright, like a Vec<u8>.
    unsafe impl Send for Buffer {}
    unsafe impl Sync for Buffer {}
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Small and large files (both paths) come back byte for byte.
    #[test]
    fn reads_whole_files_of_any_size() {
        let dir = tempfile::tempdir().unwrap();
        for size in [0, 1, 4095, MAP_FROM - 1, MAP_FROM, MAP_FROM + 1, 3 << 20] {
            let data: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
            let path = dir.path().join(format!("f{size}"));
            std::fs::write(&path, &data).unwrap();
            let got = read(&path).unwrap();
            assert_eq!(got.len(), size);
            assert!(*got == data[..], "size {size}");
            let on_heap = matches!(got, FileBytes::Heap(_));
            assert_eq!(on_heap, size < MAP_FROM || cfg!(not(target_os = "linux")));
        }
        assert!(read(&dir.path().join("missing")).is_err());
    }
}
