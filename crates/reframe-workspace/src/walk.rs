//! The walk over a folder's markdown files, shared by `reframe check` and the server's
//! workspace diagnostics: the `ignore` crate honours `.gitignore`, `.ignore` and the global
//! git excludes (unless told not to), hidden entries are skipped, `node_modules` and
//! `target` folders left out, only regular files (and links to them) kept, links to
//! folders followed only when asked (loops are reported and skipped), sorted by name.

use std::path::{Path, PathBuf};

/// How to walk.
#[derive(Clone, Copy, Debug, Default)]
pub struct WalkOptions {
    /// Ignore files are not honoured (`--no-ignore`).
    pub no_ignore: bool,
    /// Links to folders are followed (`--follow-links`).
    pub follow_links: bool,
}

/// What went wrong along the way.
#[derive(Debug)]
pub enum WalkProblem {
    /// A folder or file could not be read.
    Io(String),
    /// A link loop or an unreadable ignore file: skipped.
    Warning(String),
}

/// Whether `path` is a markdown file by its name.
pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// The markdown files under `dir` that `keep` accepts, sorted by name within each folder.
/// `problem` hears about what could not be walked.
pub fn markdown_files(
    dir: &Path,
    options: WalkOptions,
    mut keep: impl FnMut(&Path) -> bool,
    mut problem: impl FnMut(WalkProblem),
) -> Vec<PathBuf> {
    let honour = !options.no_ignore;
    let mut builder = ignore::WalkBuilder::new(dir);
    builder
        .hidden(true)
        .ignore(honour)
        .git_ignore(honour)
        .git_global(honour)
        .git_exclude(honour)
        .parents(honour)
        .require_git(false)
        .follow_links(options.follow_links)
        .sort_by_file_name(|a, b| a.cmp(b));
    if honour {
        builder.filter_entry(|entry| {
            !(entry.depth() > 0
                && entry.file_type().is_some_and(|t| t.is_dir())
                && matches!(entry.file_name().to_str(), Some("node_modules" | "target")))
        });
    }
    let mut found = Vec::new();
    for entry in builder.build() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) if err.is_io() => {
                problem(WalkProblem::Io(err.to_string()));
                continue;
            }
            Err(err) => {
                problem(WalkProblem::Warning(err.to_string()));
                continue;
            }
        };
        let path = entry.path();
        if entry.depth() == 0 || !is_markdown(path) {
            continue;
        }
        // Regular files only: never a FIFO, socket or device (reading one could block);
        // a link to a regular file counts as that file.
        let regular = match entry.file_type() {
            Some(t) if t.is_file() => true,
            Some(t) if t.is_symlink() => std::fs::metadata(path).is_ok_and(|m| m.is_file()),
            _ => false,
        };
        if regular && keep(path) {
            found.push(path.to_path_buf());
        }
    }
    found
}
