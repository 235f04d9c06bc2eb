//! What a command reads: the inputs named on the command line (files, folders walked,
//! `-` for stdin), the configuration of each (loaded once per configuration file) and the
//! text of each, with the template its front matter names.
//!
//! The walk uses the `ignore` crate: `.gitignore`, `.ignore` and the global git excludes
//! are honoured (unless `--no-ignore`), hidden entries skipped, only regular files (and
//! links to them) kept, links to folders followed only with `--follow-links` (loops are
//! reported and skipped), every file at most once, and `exclude` globs and the configured
//! template file left out.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use reframe_core::analysis::Finding;
use reframe_core::config::{Problem, Resolved};
use reframe_workspace::{self as workspace, Loaded};

use crate::cli::args::WalkArgs;

/// Where a checked document came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Input {
    File(PathBuf),
    /// Standard input, with the path it belongs to (`--stdin-filename`).
    Stdin(Option<PathBuf>),
}

impl Input {
    /// The name printed for it.
    pub(crate) fn display(&self) -> String {
        match self {
            Input::File(path) | Input::Stdin(Some(path)) => path.display().to_string(),
            Input::Stdin(None) => "<stdin>".to_string(),
        }
    }

    /// The path its configuration and globs come from.
    pub(crate) fn path(&self) -> Option<&Path> {
        match self {
            Input::File(path) | Input::Stdin(Some(path)) => Some(path),
            Input::Stdin(None) => None,
        }
    }

    /// The file to write fixes to (never for stdin).
    pub(crate) fn file(&self) -> Option<&Path> {
        match self {
            Input::File(path) => Some(path),
            Input::Stdin(_) => None,
        }
    }

    /// The path globs are matched against: absolute, symbolic links resolved, so `./a.md`,
    /// `a.md`, an absolute path and a link to the same file all match alike.
    pub(crate) fn glob_path(&self) -> Option<PathBuf> {
        self.path().map(real_path)
    }
}

/// `path` made absolute with symbolic links resolved; for a file that does not exist
/// (`--stdin-filename`), its folder resolved and its name kept.
pub(crate) fn real_path(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let folder = workspace::document_folder(path);
    let folder = std::fs::canonicalize(&folder).unwrap_or(folder);
    match path.file_name() {
        Some(name) => folder.join(name),
        None => folder,
    }
}

/// Collects the documents named by `paths` (folders walked, `-` is stdin, read as
/// `stdin_name` when given). Errors name the path.
pub(crate) fn collect_inputs(
    paths: &[PathBuf],
    walk: WalkArgs,
    stdin_name: Option<&Path>,
    configs: &mut Configs,
    errors: &mut Vec<String>,
) -> Vec<Input> {
    let default = [PathBuf::from(".")];
    let (paths, implicit) = if paths.is_empty() {
        (&default[..], true)
    } else {
        (paths, false)
    };
    let mut inputs = Vec::new();
    let mut seen = HashSet::new();
    for path in paths {
        if path.as_os_str() == "-" {
            let stdin = Input::Stdin(stdin_name.map(Path::to_path_buf));
            if !inputs.contains(&stdin) {
                inputs.push(stdin);
            }
        } else if path.is_dir() {
            for found in walk_folder(path, walk, configs, errors) {
                if seen.insert(FileId::of(&found)) {
                    let shown = match found.strip_prefix(".") {
                        Ok(rest) if implicit => rest.to_path_buf(),
                        _ => found,
                    };
                    inputs.push(Input::File(shown));
                }
            }
        } else if path.exists() || path.is_symlink() {
            if configs.is_template_file(path) {
                eprintln!(
                    "reframe: {}: the configured template, not checked as a write-up",
                    path.display()
                );
            } else if seen.insert(FileId::of(path)) {
                inputs.push(Input::File(path.clone()));
            }
        } else {
            errors.push(format!("{}: no such file or directory", path.display()));
        }
    }
    inputs
}

/// What makes two paths the same file, so that none is checked twice: its device and
/// inode (16 bytes, one `stat`) on Unix, else its path with links resolved.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum FileId {
    #[cfg(unix)]
    Inode(u64, u64),
    Path(Box<Path>),
}

impl FileId {
    fn of(path: &Path) -> FileId {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            if let Ok(meta) = std::fs::metadata(path) {
                return FileId::Inode(meta.dev(), meta.ino());
            }
        }
        FileId::Path(real_path(path).into_boxed_path())
    }
}

/// The markdown files under `dir`, sorted by name within each folder (the walk is
/// shared with the server's workspace diagnostics: `reframe_workspace::walk`).
fn walk_folder(
    dir: &Path,
    walk: WalkArgs,
    configs: &mut Configs,
    errors: &mut Vec<String>,
) -> Vec<PathBuf> {
    let options = workspace::walk::WalkOptions {
        no_ignore: walk.no_ignore,
        follow_links: walk.follow_links,
    };
    workspace::walk::markdown_files(
        dir,
        options,
        |path| !configs.is_left_out(path),
        |problem| match problem {
            workspace::walk::WalkProblem::Io(err) => errors.push(err),
            // A link loop (with --follow-links) or an unreadable ignore file: said, skipped.
            workspace::walk::WalkProblem::Warning(err) => eprintln!("reframe: warning: {err}"),
        },
    )
}

/// One configuration, loaded.
#[derive(Clone)]
struct Folder {
    resolved: Arc<Resolved>,
    /// The configured template file, symbolic links resolved.
    template_file: Option<PathBuf>,
}

/// A file's length and modification time when it was read.
pub(crate) type Stamp = (u64, Option<SystemTime>);

/// What one input is checked with.
pub(crate) struct Read {
    pub(crate) text: String,
    pub(crate) resolved: Arc<Resolved>,
    /// Findings from outside the analysis (a front-matter template nobody knows).
    pub(crate) extra: Vec<Finding>,
    /// The file's length and modification time when it was read (files only).
    pub(crate) stamp: Option<Stamp>,
}

/// Loads configurations, once per configuration file.
pub(crate) struct Configs {
    /// `--config`: one configuration for every document.
    fixed: Option<PathBuf>,
    /// Each configuration file's load: the configuration, or its problems (reported to
    /// the user once, by the first read that needs it).
    cache: HashMap<Option<PathBuf>, Result<Folder, Vec<String>>>,
    reported: HashSet<Option<PathBuf>>,
    /// The template each document is checked against (the one the server uses too).
    chooser: workspace::choice::Chooser,
    /// The configuration file of each document folder (links resolved).
    folders: HashMap<PathBuf, Option<PathBuf>>,
}

impl Configs {
    /// A cache that looks for each input's `.reframe.toml`, or uses `fixed` for every one.
    pub(crate) fn new(fixed: Option<PathBuf>) -> Configs {
        Configs {
            // Absolute, links resolved: globs are matched against real paths.
            fixed: fixed.map(|path| real_path(&path)),
            cache: HashMap::new(),
            reported: HashSet::new(),
            chooser: workspace::choice::Chooser::new(),
            folders: HashMap::new(),
        }
    }

    /// The text of `input` and what it is checked with; `None` (with the reason added to
    /// `errors`) when either cannot be had.
    pub(crate) fn read(&mut self, input: &Input, errors: &mut Vec<String>) -> Option<Read> {
        let (text, stamp) = read_input(input).map_err(|err| errors.push(err)).ok()?;
        let file = self.config_file(input.path());
        let folder = self.folder(file.clone(), errors)?;
        let choice = self.chooser.choose(&folder.resolved, &text);
        if let Some(message) = choice.broken {
            errors.push(format!("{}: {message}", input.display()));
            return None;
        }
        let (resolved, extra) = (choice.resolved, choice.extra);
        Some(Read {
            text,
            resolved,
            extra,
            stamp,
        })
    }

    /// The configuration for `path` (stdin without a name: the current folder's).
    pub(crate) fn resolved_for(
        &mut self,
        path: Option<&Path>,
        errors: &mut Vec<String>,
    ) -> Option<Arc<Resolved>> {
        let file = self.config_file(path);
        self.folder(file, errors).map(|f| f.resolved)
    }

    /// The configuration file of the document at `path`, looked for once per folder.
    fn config_file(&mut self, path: Option<&Path>) -> Option<PathBuf> {
        if let Some(fixed) = &self.fixed {
            return Some(fixed.clone());
        }
        let folder = match path {
            Some(path) => workspace::document_folder(&real_path(path)),
            None => std::env::current_dir().unwrap_or_default(),
        };
        if let Some(found) = self.folders.get(&folder) {
            return found.clone();
        }
        let found = workspace::find_config(&folder);
        self.folders.insert(folder, found.clone());
        found
    }

    fn folder(&mut self, file: Option<PathBuf>, errors: &mut Vec<String>) -> Option<Folder> {
        let loaded = self.load(&file);
        match loaded {
            Ok(folder) => Some(folder),
            Err(problems) => {
                if self.reported.insert(file) {
                    errors.extend(problems);
                }
                None
            }
        }
    }

    /// The configuration of `file` without reporting its problems (a walk asking whether
    /// to skip a file; reading the file reports them).
    fn quietly(&mut self, path: &Path) -> Option<Folder> {
        let file = self.config_file(Some(path));
        self.load(&file).ok()
    }

    fn load(&mut self, file: &Option<PathBuf>) -> Result<Folder, Vec<String>> {
        if let Some(found) = self.cache.get(file) {
            return found.clone();
        }
        let loaded = match workspace::load(file.as_deref(), None) {
            Ok(Loaded {
                resolved,
                warnings,
                template_file,
                ..
            }) => {
                for warning in warnings {
                    eprintln!("reframe: warning: {warning}");
                }
                Ok(Folder {
                    resolved,
                    template_file: template_file.map(|p| real_path(&p)),
                })
            }
            Err(problems) => Err(problems.iter().map(Problem::to_string).collect()),
        };
        self.cache.insert(file.clone(), loaded.clone());
        loaded
    }

    /// Whether a walk leaves `path` out: its configuration excludes it or names it as
    /// the template (a broken configuration leaves nothing out: reading the file reports
    /// it), with the path's links resolved once.
    fn is_left_out(&mut self, path: &Path) -> bool {
        let real = real_path(path);
        let Some(folder) = self.quietly(&real) else {
            return false;
        };
        folder.resolved.is_excluded(&real) || folder.template_file.is_some_and(|t| t == real)
    }

    /// Whether `path` is the template its configuration names.
    fn is_template_file(&mut self, path: &Path) -> bool {
        self.quietly(path)
            .and_then(|f| f.template_file)
            .is_some_and(|t| t == real_path(path))
    }
}

/// The text of an input and, for a file, its length and modification time. A file must
/// be a regular file (a FIFO or device named on the command line is refused, not read).
/// The largest document `check` reads: the server's limit for full analysis. Above it
/// even the structural rules take seconds (10 MB: 6 s and 190 MB), so the file is
/// skipped with an error instead.
pub(crate) const MAX_DOCUMENT: u64 = reframe_core::FULL_ANALYSIS_LIMIT as u64;

/// The error for a document over [`MAX_DOCUMENT`].
fn too_large(name: &str, len: u64) -> String {
    format!(
        "{name}: {:.1} MB is over the {} MB that reframe checks; skipped",
        len as f64 / (1024.0 * 1024.0),
        MAX_DOCUMENT / (1024 * 1024)
    )
}

pub(crate) fn read_input(input: &Input) -> Result<(String, Option<Stamp>), String> {
    let bytes = match input {
        Input::File(path) => {
            let stamp = std::fs::metadata(path)
                .ok()
                .map(|m| (m.len(), m.modified().ok()));
            if let Some((len, _)) = stamp
                && len > MAX_DOCUMENT
            {
                return Err(too_large(&path.display().to_string(), len));
            }
            let bytes = workspace::read_regular_bytes(path, MAX_DOCUMENT)
                .map_err(|err| format!("{}: cannot read: {err}", path.display()))?;
            return String::from_utf8(bytes)
                .map(|text| (text, stamp))
                .map_err(|_| format!("{}: not UTF-8 text, skipped", input.display()));
        }
        Input::Stdin(_) => {
            use std::io::Read as _;
            let mut bytes = Vec::new();
            std::io::stdin()
                .take(MAX_DOCUMENT + 1)
                .read_to_end(&mut bytes)
                .map_err(|err| format!("<stdin>: cannot read: {err}"))?;
            if bytes.len() as u64 > MAX_DOCUMENT {
                return Err(too_large("<stdin>", bytes.len() as u64));
            }
            bytes
        }
    };
    String::from_utf8(bytes)
        .map(|text| (text, None))
        .map_err(|_| format!("{}: not UTF-8 text, skipped", input.display()))
}
