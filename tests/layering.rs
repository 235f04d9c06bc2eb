//! The analysis core stays pure: no LSP types, no async, no file system or process I/O.
//! Only `src/server/` and `src/cli.rs` (and `main.rs`) may use them.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::path::{Path, PathBuf};

const CORE: &[&str] = &[
    "src/analysis",
    "src/document",
    "src/rules",
    "src/template.rs",
    "src/config.rs",
];

const FORBIDDEN: &[&str] = &[
    "tower_lsp",
    "ls_types",
    "lsp_types",
    "tokio",
    "async ",
    ".await",
    "std::fs",
    "std::net",
    "std::process",
    "File::open",
    "read_to_string",
    "std::env",
];

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .expect("read dir")
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for entry in entries {
            rust_files(&entry, out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

#[test]
fn the_core_has_no_lsp_async_or_io() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in CORE {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() >= 5, "core files not found: {files:?}");
    let mut violations = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read source");
        // Unit tests inside a core file may read fixtures; the code above them may not.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (n, line) in code.lines().enumerate() {
            let line = line.split("//").next().unwrap_or("");
            for word in FORBIDDEN {
                if line.contains(word) {
                    violations.push(format!("{}:{}: {word}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "core imports I/O, async or LSP:\n{}",
        violations.join("\n")
    );
}
