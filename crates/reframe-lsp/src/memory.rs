//! Giving memory back to the operating system once documents close.
//!
//! An open document's syntax trees take a few megabytes (tree-sitter's nodes are large
//! next to the text). When it closes they are freed, but glibc's allocator keeps freed
//! memory in its arenas for reuse, so the server's resident size would stay at its peak
//! for the rest of the session. [`release`] asks glibc to return what it can.

/// Makes every thread allocate from one arena (glibc): analyses run on worker threads,
/// and with an arena per thread the memory a closed document freed would stay spread
/// over arenas that `malloc_trim` gives back less of. Called once, at start-up.
pub fn single_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
        }
        /// glibc's `M_ARENA_MAX`.
        const M_ARENA_MAX: std::ffi::c_int = -8;
        // SAFETY: `mallopt` takes two plain integers and only sets a tunable of glibc's
        // allocator under its own lock; it is safe to call from any thread at any time.
        unsafe {
            mallopt(M_ARENA_MAX, 1);
        }
    }
}

/// Returns the memory freed so far to the operating system, where the allocator keeps it
/// otherwise (glibc); elsewhere it does nothing.
pub fn release() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: `malloc_trim` takes a plain integer, touches only glibc's own heap
        // structures under their locks, and is safe to call from any thread at any time.
        unsafe {
            malloc_trim(0);
        }
    }
}
