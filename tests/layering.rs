//! The shape of the workspace, checked: the core crate is pure (no LSP, async, file system,
//! environment, network or processes, in its code and its tests alike, and no such
//! dependency in its manifest), only the binary and the adapter may use the adapter, and
//! no module of any crate imports a module that imports it back.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Words the core's sources may not contain outside comments.
const FORBIDDEN_IN_CORE: &[&str] = &[
    "tower_lsp",
    "ls_types",
    "lsp_types",
    "tokio",
    "async ",
    ".await",
    "std::fs",
    "std::net",
    "std::process",
    "std::env",
    "File::open",
    "read_to_string",
    "reframe_lsp",
    "reframe_workspace",
];

/// Crates the core may depend on (normal dependencies).
const CORE_DEPENDENCIES: &[&str] = &[
    "globset",
    "harper-brill",
    "harper-core",
    "regex",
    "ropey",
    "serde",
    "serde_json",
    "strsim",
    "toml",
    "tree-sitter",
    "tree-sitter-md",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

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

/// The lines of a file with `//` comments cut off (string contents are kept: a string
/// that names a forbidden path is as suspicious as code that uses it).
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(n, line)| (n + 1, line.split("//").next().unwrap_or("")))
}

#[test]
fn the_core_has_no_lsp_async_or_io_anywhere() {
    let core = root().join("crates/reframe-core/src");
    let mut files = Vec::new();
    rust_files(&core, &mut files);
    assert!(files.len() >= 20, "core files not found: {files:?}");
    let mut violations = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read source");
        for (n, line) in code_lines(&text) {
            for word in FORBIDDEN_IN_CORE {
                if line.contains(word) {
                    violations.push(format!("{}:{n}: {word}", file.display()));
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "the core uses I/O, async or LSP:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_core_manifest_depends_on_no_server_or_runtime() {
    let manifest: toml::Table =
        std::fs::read_to_string(root().join("crates/reframe-core/Cargo.toml"))
            .expect("core manifest")
            .parse()
            .expect("TOML");
    let dependencies = manifest["dependencies"].as_table().expect("dependencies");
    let unexpected: Vec<&String> = dependencies
        .keys()
        .filter(|name| !CORE_DEPENDENCIES.contains(&name.as_str()))
        .collect();
    assert!(
        unexpected.is_empty(),
        "reframe-core gained dependencies {unexpected:?}; a new one must be pure (no LSP, \
         async runtime or I/O) and added to CORE_DEPENDENCIES with a reason in ARCHITECTURE.md"
    );
}

#[test]
fn only_the_binary_and_the_adapter_use_the_adapter() {
    let mut files = Vec::new();
    for dir in ["crates/reframe-core/src", "crates/reframe-workspace/src"] {
        rust_files(&root().join(dir), &mut files);
    }
    let mut violations = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read source");
        for (n, line) in code_lines(&text) {
            for word in ["reframe_lsp", "tower_lsp", "tokio"] {
                if line.contains(word) {
                    violations.push(format!("{}:{n}: {word}", file.display()));
                }
            }
        }
    }
    // The command line uses the adapter only to start the server and, for the JSON report,
    // the adapter's `to_proto` conversion; never its state or handlers.
    let mut cli = Vec::new();
    rust_files(&root().join("src/cli"), &mut cli);
    for file in &cli {
        let text = std::fs::read_to_string(file).expect("read source");
        for (n, line) in code_lines(&text) {
            let mut rest = line;
            while let Some(at) = rest.find("reframe_lsp::") {
                rest = &rest[at + "reframe_lsp::".len()..];
                if !(rest.starts_with("to_proto") || rest.starts_with("run_stdio")) {
                    violations.push(format!("{}:{n}: reframe_lsp::{rest}", file.display()));
                }
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

/// The module path (`a::b`) of a source file under a crate's `src`.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_string());
    }
    parts.join("::")
}

/// The modules a file's code (before its unit tests) names through `crate::` or `super::`,
/// resolved to the longest known module path.
fn imports(module: &str, text: &str, modules: &BTreeSet<String>) -> Vec<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    let own: Vec<&str> = module.split("::").filter(|p| !p.is_empty()).collect();
    let mut found = BTreeSet::new();
    for (_, line) in code_lines(code) {
        let mut rest = line;
        loop {
            let next_crate = rest.find("crate::");
            let next_super = rest.find("super::");
            let (at, mut base) = match (next_crate, next_super) {
                (Some(c), Some(s)) if c < s => (c + "crate::".len(), Vec::new()),
                (Some(c), None) => (c + "crate::".len(), Vec::new()),
                (_, Some(s)) => (s, own.clone()),
                (None, None) => break,
            };
            rest = &rest[at..];
            // Each `super::` goes up one module from this file's own.
            while let Some(after) = rest.strip_prefix("super::") {
                if base.pop().is_none() {
                    base.clear();
                }
                rest = after;
            }
            let path: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let mut parts: Vec<String> = base.iter().map(|s| s.to_string()).collect();
            parts.extend(path.split("::").filter(|p| !p.is_empty()).map(String::from));
            // The longest prefix that is a module of this crate.
            while !parts.is_empty() {
                let candidate = parts.join("::");
                if modules.contains(&candidate) {
                    if candidate != module {
                        found.insert(candidate);
                    }
                    break;
                }
                parts.pop();
            }
        }
    }
    found.into_iter().collect()
}

/// Strongly connected components of more than one module (Tarjan, iterative enough for a
/// graph of a few dozen modules).
fn cycles(graph: &BTreeMap<String, Vec<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a BTreeMap<String, Vec<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(w: &mut Walk<'a>, v: &'a str) {
        w.index.insert(v, w.next);
        w.low.insert(v, w.next);
        w.next += 1;
        w.stack.push(v);
        w.on_stack.insert(v);
        let graph = w.graph;
        for u in graph.get(v).into_iter().flatten() {
            let u = u.as_str();
            if !w.index.contains_key(u) {
                visit(w, u);
                let low = w.low[v].min(w.low[u]);
                w.low.insert(v, low);
            } else if w.on_stack.contains(u) {
                let low = w.low[v].min(w.index[u]);
                w.low.insert(v, low);
            }
        }
        if w.low[v] == w.index[v] {
            let mut component = Vec::new();
            while let Some(u) = w.stack.pop() {
                w.on_stack.remove(u);
                component.push(u.to_string());
                if u == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                w.found.push(component);
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v.as_str()) {
            visit(&mut walk, v);
        }
    }
    walk.found
}

fn module_graph(src: &Path) -> BTreeMap<String, Vec<String>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(src, f)).collect();
    files
        .iter()
        .map(|file| {
            let module = module_of(src, file);
            let text = std::fs::read_to_string(file).expect("read source");
            let edges = imports(&module, &text, &modules);
            (module, edges)
        })
        .collect()
}

#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    let mut problems = Vec::new();
    for src in [
        "crates/reframe-core/src",
        "crates/reframe-workspace/src",
        "crates/reframe-lsp/src",
        "src",
    ] {
        let graph = module_graph(&root().join(src));
        assert!(!graph.is_empty(), "{src}: no modules");
        for cycle in cycles(&graph) {
            problems.push(format!("{src}: {}", cycle.join(" ⇄ ")));
        }
    }
    assert!(
        problems.is_empty(),
        "import cycles:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_cycle_check_finds_a_cycle_and_resolves_paths() {
    // The checker itself: paths through `crate::` and `super::` resolve to the longest
    // module they name, comments and unit tests do not count, and modules that name each
    // other around a loop are one cycle.
    let modules: BTreeSet<String> = ["a", "a::b", "a::b::d", "c"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(
        imports("a::b::d", "use super::super::super::c::Thing;\n", &modules),
        vec!["c".to_string()]
    );
    assert_eq!(
        imports(
            "a::b",
            "use crate::c::{x, y};\n// use crate::a;\n",
            &modules
        ),
        vec!["c".to_string()]
    );
    assert_eq!(
        imports(
            "a::b",
            "use super::Thing;\n#[cfg(test)]\nuse crate::c;\n",
            &modules
        ),
        vec!["a".to_string()]
    );
    assert_eq!(
        imports(
            "a",
            "fn f() { crate::a::b::d::g(); super::x(); }\n",
            &modules
        ),
        vec!["a::b::d".to_string()]
    );
    let mut graph = BTreeMap::new();
    graph.insert("a".to_string(), vec!["c".to_string()]);
    graph.insert("c".to_string(), vec!["a::b".to_string()]);
    graph.insert("a::b".to_string(), vec!["a".to_string()]);
    assert_eq!(
        cycles(&graph),
        vec![vec!["a".to_string(), "a::b".to_string(), "c".to_string()]]
    );
    graph.insert("a::b".to_string(), Vec::new());
    assert!(cycles(&graph).is_empty());
}
