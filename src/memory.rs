//! Handing memory a finished job freed back to the system.
//!
//! glibc's allocator keeps what a thread freed in that thread's arena, and raises its threshold
//! for `mmap` after a large block is freed, so the tens of megabytes a job reads and drops (the
//! unpacked LSOA tables, a layer's scratch) stay resident long after the job is gone. A job that
//! ends asks for them to be returned. Elsewhere (Windows, musl) the system allocator returns
//! large blocks as they are freed, and this does nothing.
//!
//! The same goes for the packed data in the binary: its pages, read once to unpack a file, stay
//! counted against the process until it is told they are not needed again.

/// Returns the free pages of every allocator arena to the system (glibc's `malloc_trim`).
pub fn release_freed() {
    #[cfg(all(feature = "app", target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists, under its locks; it takes
    // no pointers from us and is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Tells the system the pages wholly inside `bytes` (read-only data of the binary, read once)
/// are not needed: they leave the resident set and, if ever read again, are read again from
/// the file. Only for data mapped from the binary, never for memory the program wrote.
pub fn forget_read_only(bytes: &'static [u8]) {
    #[cfg(all(feature = "app", target_os = "linux"))]
    {
        const PAGE: usize = 4096;
        let start = (bytes.as_ptr() as usize).next_multiple_of(PAGE);
        let end = (bytes.as_ptr() as usize + bytes.len()) / PAGE * PAGE;
        if end > start {
            // SAFETY: the range lies wholly inside `bytes`, a `'static` slice of the binary's
            // read-only (never written) mapping; dropping such pages only makes the next read
            // fault them in again from the file, with the same contents. It frees nothing Rust
            // owns and invalidates no reference.
            unsafe {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED);
            }
        }
    }
    #[cfg(not(all(feature = "app", target_os = "linux")))]
    let _ = bytes;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Resident memory in kB (Linux), from /proc.
    #[cfg(all(feature = "app", target_os = "linux", target_env = "gnu"))]
    fn resident_kb() -> Option<u64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    #[cfg(all(feature = "app", target_os = "linux", target_env = "gnu"))]
    #[test]
    fn what_a_finished_thread_freed_is_given_back() {
        // A thread fills and frees many medium blocks (below the mmap threshold, so they land
        // in its arena) with small ones it keeps between them, as parsing a table does: the
        // freed space is not at the arena's top, so freeing alone cannot give it back.
        let (done, wait) = std::sync::mpsc::channel();
        let (release, released) = std::sync::mpsc::channel::<()>();
        let worker = std::thread::spawn(move || {
            let mut kept = Vec::new();
            let blocks: Vec<Vec<u8>> = (0..4_000)
                .map(|i| {
                    kept.push(Box::new(i));
                    vec![(i % 251) as u8; 64 * 1024]
                })
                .collect();
            std::hint::black_box(&blocks);
            drop(blocks);
            done.send(()).ok();
            released.recv().ok();
            drop(kept);
        });
        wait.recv().ok();
        let before = resident_kb().unwrap_or(0);
        release_freed();
        let after = resident_kb().unwrap_or(0);
        release.send(()).ok();
        worker.join().ok();
        // 250 MB were freed: most of it must leave the process.
        assert!(
            before.saturating_sub(after) > 100_000,
            "resident {before} kB before, {after} kB after"
        );
    }

    #[cfg(all(feature = "app", target_os = "linux", target_env = "gnu"))]
    #[test]
    fn forgotten_read_only_pages_read_the_same_again() {
        static DATA: [u8; 64 * 1024] = {
            let mut d = [0u8; 64 * 1024];
            let mut i = 0;
            while i < d.len() {
                d[i] = (i % 253) as u8;
                i += 1;
            }
            d
        };
        let sum = |d: &[u8]| d.iter().map(|&b| u64::from(b)).sum::<u64>();
        let before = sum(std::hint::black_box(&DATA));
        forget_read_only(&DATA);
        assert_eq!(sum(std::hint::black_box(&DATA)), before);
    }
}
