//! Heap tuning for short runs on large homes.
//!
//! `awsp list` on the 10,000-profile home touches about 12 MB of heap in
//! under 30 ms. With glibc's defaults that is ~3,700 page faults (each a
//! trap and a 4 KiB clear), a third of the run; small frees also give
//! memory back to the kernel that the next allocation faults in again.
//! Here the heap keeps what it frees, grows in one 64 MiB step of address
//! space (nothing is touched until used), and asks for transparent huge
//! pages, so the same run takes a few hundred faults.

/// Applies the tuning; a no-op off glibc Linux. Call before the big allocations.
pub fn tune_for_bulk_reads() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    glibc::tune();
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod glibc {
    const TOP_PAD: usize = 64 << 20;
    /// glibc's ceiling for `M_MMAP_THRESHOLD` on 64-bit (HEAP_MAX_SIZE / 2).
    const MMAP_THRESHOLD: usize = 32 << 20;

    pub fn tune() {
        // SAFETY: mallopt, sbrk(0), malloc/free and madvise are called as
        // glibc documents them; madvise only sets a hint on our own heap.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD as libc::c_int);
            libc::mallopt(libc::M_TRIM_THRESHOLD, i32::MAX);
            libc::mallopt(libc::M_TOP_PAD, TOP_PAD as libc::c_int);
            // Make the heap grow by TOP_PAD now, then mark that range for huge pages.
            let start = libc::sbrk(0) as usize;
            // black_box: LLVM removes an unused malloc/free pair.
            let probe = std::hint::black_box(libc::malloc(1 << 20));
            libc::free(probe);
            let end = libc::sbrk(0) as usize;
            const HUGE: usize = 2 << 20;
            let aligned = (start + HUGE - 1) & !(HUGE - 1);
            if end > aligned + HUGE {
                libc::madvise(
                    aligned as *mut libc::c_void,
                    (end - aligned) & !(HUGE - 1),
                    libc::MADV_HUGEPAGE,
                );
                // Skip the room below the first huge page with a block that
                // is never touched (nor freed), so that what comes next is
                // carved from huge pages rather than up to 2 MiB of 4 KiB
                // pages, each a fault of its own.
                std::hint::black_box(libc::malloc(aligned - start));
            }
        }
    }
}
