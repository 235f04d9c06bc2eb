//! Writing files safely: a fixed file replaced atomically (temporary file + rename), a new
//! file created without ever replacing one that appears meanwhile.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::inputs::Stamp;

/// A temporary file name in `path`'s folder, hidden and unique to this process.
fn temp_beside(path: &Path) -> PathBuf {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    folder.join(format!(".{name}.reframe-{}.tmp", std::process::id()))
}

/// Creates `path` (which must not exist) holding `text`, flushed to disk.
fn write_new_file(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

/// Replaces `path`'s contents by writing a temporary file beside it and renaming it over
/// the original, so a reader never sees a half-written file. Keeps the permissions; a
/// symbolic link is followed, so the link stays a link.
pub(crate) fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let path = &std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let temp = temp_beside(path);
    let result = (|| {
        write_new_file(&temp, text)?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&temp, meta.permissions())?;
        }
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// Creates `path` with `text` without ever leaving a partly written file under that name,
/// and without replacing a file that appears meanwhile: write a temporary file, then link
/// it to the name (which fails if the name exists).
pub(crate) fn create_new_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let temp = temp_beside(path);
    let result = (|| {
        write_new_file(&temp, text)?;
        match std::fs::hard_link(&temp, path) {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Err(err),
            // A file system without hard links: fall back to an exclusive create.
            Err(_) => std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .and_then(|mut f| f.write_all(text.as_bytes())),
        }
    })();
    let _ = std::fs::remove_file(&temp);
    result
}

/// What [`write_if_unchanged`] did.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Written {
    Done,
    /// The file changed after it was read: nothing written.
    Changed,
}

/// Replaces `path`'s contents with `text` (atomically) only when the file still holds
/// `original` and has the length and modification time it had when it was read (`stamp`):
/// looked at right before the write, so an edit made meanwhile is never overwritten.
pub(crate) fn write_if_unchanged(
    path: &Path,
    original: &str,
    stamp: Option<Stamp>,
    text: &str,
) -> std::io::Result<Written> {
    pause_for_tests();
    let meta = std::fs::metadata(path)?;
    let now = (meta.len(), meta.modified().ok());
    if stamp.is_some_and(|stamp| stamp != now) {
        return Ok(Written::Changed);
    }
    // The same length and time can hide a change (a coarse clock): compare the bytes too.
    if std::fs::read(path)? != original.as_bytes() {
        return Ok(Written::Changed);
    }
    write_atomically(path, text)?;
    Ok(Written::Done)
}

/// Debug builds only: `REFRAME_TEST_FIX_PAUSE_MS` waits before the unchanged check, so
/// the tests can change the file in between. Release builds never read it.
fn pause_for_tests() {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("REFRAME_TEST_FIX_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms.min(10_000)));
    }
}
