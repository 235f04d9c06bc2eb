//! The file side of configuration, shared by the CLI and the server: finding
//! `.reframe.toml` from a document's folder upward, reading it and the template it names,
//! and resolving them (with the LSP client's settings, for the server) through
//! [`reframe_core::config`].

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use reframe_core::config::{self, Problem, Report, Resolved, Settings};
use reframe_core::template::Template;

/// The nearest `.reframe.toml` in `folder` or one of its ancestors (the first one wins).
pub fn find_config(folder: &Path) -> Option<PathBuf> {
    folder
        .ancestors()
        .map(|dir| dir.join(config::FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// The folder a document path's configuration search starts from: the document's own
/// folder, made absolute against the current directory.
pub fn document_folder(document: &Path) -> PathBuf {
    let absolute = if document.is_absolute() {
        document.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|cwd| cwd.join(document))
            .unwrap_or_else(|_| document.to_path_buf())
    };
    absolute.parent().map(Path::to_path_buf).unwrap_or(absolute)
}

/// A configuration ready to use.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// What the analysis runs with.
    pub resolved: Arc<Resolved>,
    /// Non-fatal problems (unknown keys, unknown rule codes), for the user to see.
    pub warnings: Vec<Problem>,
    /// The files it was read from (the configuration file and the template), to watch.
    pub sources: Vec<PathBuf>,
    /// The configured template file, if one is configured.
    pub template_file: Option<PathBuf>,
}

/// Loads the configuration from `file` (if any) on top of the client's `settings` (if
/// any): reads the file, reads and parses the template it names, compiles phrase rules
/// and globs. With neither, the defaults. Errors name the file and line.
pub fn load(file: Option<&Path>, settings: Option<&Settings>) -> Result<Loaded, Vec<Problem>> {
    let mut report = Report::default();
    let mut sources = Vec::new();
    let file_settings = match file {
        Some(path) => {
            sources.push(path.to_path_buf());
            let origin = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|err| {
                vec![Problem {
                    origin: origin.clone(),
                    line: None,
                    message: format!("cannot read the configuration: {err}"),
                }]
            })?;
            let base = path.parent().map(Path::to_path_buf);
            let (parsed, parse_report) = Settings::from_toml(&text, &origin, base);
            report.extend(parse_report);
            Some(parsed)
        }
        None => None,
    };
    let layers: Vec<&Settings> = settings.into_iter().chain(file_settings.as_ref()).collect();
    if !report.errors.is_empty() {
        return Err(report.errors);
    }

    let template_file = config::template_path(&layers);
    let template = match &template_file {
        Some((path, layer, line)) => {
            sources.push(path.clone());
            read_template(path, layer, *line)?
        }
        None => Template::builtin().clone(),
    };
    let resolved = config::resolve(&layers, template, &mut report);
    if !report.errors.is_empty() {
        return Err(report.errors);
    }
    Ok(Loaded {
        resolved: Arc::new(resolved),
        warnings: report.warnings,
        sources,
        template_file: template_file.map(|(path, _, _)| path),
    })
}

/// Reads and parses a configured template; a missing file or a template with no
/// sections is an error at the `template` key.
fn read_template(
    path: &Path,
    layer: &Settings,
    line: Option<usize>,
) -> Result<Template, Vec<Problem>> {
    let problem = |message: String| {
        vec![Problem {
            origin: layer.origin.clone(),
            line,
            message,
        }]
    };
    let text = std::fs::read_to_string(path).map_err(|err| {
        problem(format!(
            "cannot read the template {}: {err}",
            path.display()
        ))
    })?;
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "custom".to_string());
    let template = Template::parse(&name, &text);
    let problems = template.problems();
    if !problems.is_empty() {
        return Err(problem(format!(
            "the template {} cannot be used: {}",
            path.display(),
            problems.join("; ")
        )));
    }
    Ok(template)
}

/// What a file looks like on disk (modification time and length), to notice changes
/// without a file watcher. `None` when it does not exist.
pub type Stamp = Option<(SystemTime, u64)>;

/// The stamps of `paths`, in order.
pub fn stamps(paths: &[PathBuf]) -> Vec<Stamp> {
    paths
        .iter()
        .map(|path| {
            let meta = std::fs::metadata(path).ok()?;
            Some((meta.modified().ok()?, meta.len()))
        })
        .collect()
}
