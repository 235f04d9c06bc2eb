//! Giving memory back to the operating system once documents close.
//!
//! An open document's syntax trees take a few megabytes (tree-sitter's nodes are large
//! next to the text). When it closes they are freed, but glibc's allocator keeps freed
//! memory in its arenas for reuse, so the server's resident size would stay at its peak
//! for the rest of the session. [`release`] asks glibc to return what it can.

/// Caps glibc's arenas at [`ARENAS`] (a user's `MALLOC_ARENA_MAX` wins): with an arena
/// per thread (glibc makes up to eight per core) the memory a closed document freed stays
/// spread over arenas that `malloc_trim` gives back less of; with a single arena the
/// threads that parse and read a large document's chunks side by side wait on its lock
/// (100,000 headings opened in 3.4 s with one arena, 2.0 s with four; `tests/load.rs`
/// gives back as much with four). Called once, at start-up.
pub fn cap_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        unsafe extern "C" {
            fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
        }
        /// glibc's `M_ARENA_MAX`.
        const M_ARENA_MAX: std::ffi::c_int = -8;
        // SAFETY: `mallopt` takes two plain integers and only sets a tunable of glibc's
        // allocator under its own lock; it is safe to call from any thread at any time.
        unsafe {
            mallopt(M_ARENA_MAX, ARENAS);
        }
    }
}

/// The most arenas: one per thread that allocates much at once (the protocol thread, the
/// analysis worker, the chunk reader, the publisher).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const ARENAS: std::ffi::c_int = 4;

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
