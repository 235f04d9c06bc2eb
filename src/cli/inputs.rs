//! What a command reads: the inputs named on the command line (files, folders walked,
//! `-` for stdin), the configuration of each (loaded once per configuration file) and the
//! text of each.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use reframe_core::config::{Problem, Resolved};
use reframe_workspace::{self as workspace, Loaded};

/// Where a checked document came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Input {
    File(PathBuf),
    Stdin,
}

impl Input {
    pub(crate) fn display(&self) -> String {
        match self {
            Input::File(path) => path.display().to_string(),
            Input::Stdin => "<stdin>".to_string(),
        }
    }

    pub(crate) fn path(&self) -> Option<&Path> {
        match self {
            Input::File(path) => Some(path),
            Input::Stdin => None,
        }
    }
}

/// Collects the documents named by `paths` (directories walked, sorted, hidden folders
/// skipped; `-` is stdin). Errors name the path.
pub(crate) fn collect_inputs(paths: &[PathBuf], errors: &mut Vec<String>) -> Vec<Input> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            if !inputs.contains(&Input::Stdin) {
                inputs.push(Input::Stdin);
            }
        } else if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found, errors);
            inputs.extend(found.into_iter().map(Input::File));
        } else if path.exists() {
            inputs.push(Input::File(path.clone()));
        } else {
            errors.push(format!("{}: no such file or directory", path.display()));
        }
    }
    inputs
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<String>) {
    let mut stack = vec![dir.to_path_buf()];
    let mut found = Vec::new();
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(err) => {
                errors.push(format!("{}: {err}", dir.display()));
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if path.is_dir() {
                if !hidden && entry.file_name() != "node_modules" && entry.file_name() != "target" {
                    stack.push(path);
                }
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
            {
                found.push(path);
            }
        }
    }
    found.sort();
    files.extend(found);
}

/// Loads configurations, once per configuration file.
pub(crate) struct Configs {
    /// `--config`: one configuration for every document.
    pub(crate) fixed: Option<PathBuf>,
    pub(crate) cache: HashMap<Option<PathBuf>, Option<Arc<Resolved>>>,
}

impl Configs {
    /// A cache that looks for each input's `.reframe.toml`, or uses `fixed` for every one.
    pub(crate) fn new(fixed: Option<PathBuf>) -> Configs {
        Configs {
            fixed,
            cache: HashMap::new(),
        }
    }

    /// The configuration for a document, or `None` when it is broken (its problems are
    /// printed once, on first use).
    /// The text of `input` and the configuration it is checked with; `None` (with the
    /// reason added to `errors`) when either cannot be had.
    pub(crate) fn read(
        &mut self,
        input: &Input,
        errors: &mut Vec<String>,
    ) -> Option<(String, Arc<Resolved>)> {
        let text = read_input(input).map_err(|err| errors.push(err)).ok()?;
        let resolved = self.for_input(input, errors)?;
        Some((text, resolved))
    }

    pub(crate) fn for_input(
        &mut self,
        input: &Input,
        errors: &mut Vec<String>,
    ) -> Option<Arc<Resolved>> {
        let file = match &self.fixed {
            Some(path) => Some(path.clone()),
            None => {
                let folder = match input {
                    Input::File(path) => workspace::document_folder(path),
                    Input::Stdin => std::env::current_dir().unwrap_or_default(),
                };
                workspace::find_config(&folder)
            }
        };
        if let Some(found) = self.cache.get(&file) {
            return found.clone();
        }
        let loaded = match workspace::load(file.as_deref(), None) {
            Ok(Loaded {
                resolved, warnings, ..
            }) => {
                for warning in warnings {
                    eprintln!("reframe: warning: {warning}");
                }
                Some(resolved)
            }
            Err(problems) => {
                errors.extend(problems.iter().map(Problem::to_string));
                None
            }
        };
        self.cache.insert(file, loaded.clone());
        loaded
    }
}

pub(crate) fn read_input(input: &Input) -> Result<String, String> {
    let bytes = match input {
        Input::File(path) => {
            std::fs::read(path).map_err(|err| format!("{}: cannot read: {err}", path.display()))?
        }
        Input::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|err| format!("<stdin>: cannot read: {err}"))?;
            bytes
        }
    };
    String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8 text, skipped", input.display()))
}
