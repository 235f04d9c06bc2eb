//! The file side of configuration, shared by the CLI and the server: finding
//! `.reframe.toml` from a document's folder upward, reading it and the template it names,
//! and resolving them (with the LSP client's settings, for the server) through
//! [`reframe_core::config`].
//!
//! Files reframe reads on its own (the configuration and templates) are read only when
//! they are regular files, opened without blocking (a FIFO never stalls a run), up to a size
//! limit ([`read_regular_file`]); a relative template path must stay inside the
//! configuration file's folder tree or a configured template folder.

pub mod allow;
pub mod choice;
pub mod schema;
pub mod walk;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use reframe_core::config::{self, Problem, Report, Resolved, Settings};
use reframe_core::template::Template;
use reframe_core::template_choice;

/// The largest configuration file read (1 MB).
pub const CONFIG_LIMIT: u64 = 1 << 20;
/// The largest template file read (1 MB).
pub const TEMPLATE_LIMIT: u64 = 1 << 20;

/// Reads `path` as UTF-8 text when it is a regular file of at most `limit` bytes. A
/// directory, FIFO, socket or device is refused without being opened for a blocking read:
/// the file is opened non-blocking and checked again after opening. Errors are sentences
/// for a message ("is a directory, not a file").
pub fn read_regular_file(path: &Path, limit: u64) -> Result<String, String> {
    let bytes = read_regular_bytes(path, limit)?;
    String::from_utf8(bytes).map_err(|_| "is not UTF-8 text".to_string())
}

/// [`read_regular_file`] without the UTF-8 check.
pub fn read_regular_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|err| err.to_string())?;
    not_regular(&meta)?;
    // Opened for reading only: never created, truncated or written.
    let mut options = std::fs::File::options();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|err| err.to_string())?;
    // The name may have been swapped for something else between the two looks.
    not_regular(&file.metadata().map_err(|err| err.to_string())?)?;
    if meta.len() > limit {
        return Err(too_large(limit));
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|err| err.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

fn too_large(limit: u64) -> String {
    format!("is larger than {} KB", limit / 1024)
}

fn not_regular(meta: &std::fs::Metadata) -> Result<(), String> {
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(());
    }
    Err(if kind.is_dir() {
        "is a directory, not a file".to_string()
    } else {
        "is not a regular file (a FIFO, socket or device): not read".to_string()
    })
}

/// The nearest `.reframe.toml` in `folder` or one of its ancestors (the first one wins).
pub fn find_config(folder: &Path) -> Option<PathBuf> {
    folder
        .ancestors()
        .map(|dir| dir.join(config::FILE_NAME))
        .find(|candidate| candidate.exists())
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
            let text = read_regular_file(path, CONFIG_LIMIT).map_err(|err| {
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
            let setting = layer.template.as_ref().map(|s| s.value.as_str());
            if setting.is_some_and(|s| Path::new(s).is_relative()) {
                confine(path, layer, *line, &layers)?;
            }
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
    let text = read_regular_file(path, TEMPLATE_LIMIT).map_err(|err| {
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

/// Refuses a relative template path that leads (through `..` or a symbolic link) out of
/// its configuration file's folder tree and out of every configured template folder.
fn confine(
    path: &Path,
    layer: &Settings,
    line: Option<usize>,
    layers: &[&Settings],
) -> Result<(), Vec<Problem>> {
    let Ok(real) = std::fs::canonicalize(path) else {
        // Reading it says what is wrong.
        return Ok(());
    };
    let mut roots: Vec<PathBuf> = layer.base.iter().cloned().collect();
    for layer in layers {
        for folder in layer.templates.iter().flat_map(|s| &s.value) {
            roots.push(match &layer.base {
                Some(base) => base.join(folder),
                None => PathBuf::from(folder),
            });
        }
    }
    let inside = roots
        .iter()
        .filter_map(|root| std::fs::canonicalize(root).ok())
        .any(|root| real.starts_with(root));
    if inside {
        return Ok(());
    }
    Err(vec![Problem {
        origin: layer.origin.clone(),
        line,
        message: format!(
            "the template {} is outside the configuration's folder and its template folders: not read (give an absolute path to use it)",
            path.display()
        ),
    }])
}

/// A template a write-up named in its front matter, found.
#[derive(Clone, Debug)]
pub enum Named {
    /// The template of the configuration itself: nothing to change.
    Configured,
    /// A built-in template or a file in a configured template folder.
    Found(Arc<Template>),
    /// Known nowhere; the names that are known, for the message.
    Unknown(Vec<String>),
    /// A file was found but could not be used.
    Broken(String),
}

/// The templates a configuration knows by name: the built-in ones, then the `*.md` files
/// of its template folders (by file stem), with the file each comes from.
pub fn known_templates(resolved: &Resolved) -> Vec<(String, Option<PathBuf>)> {
    let mut known: Vec<(String, Option<PathBuf>)> = template_choice::BUILTIN_TEMPLATES
        .iter()
        .map(|(name, _)| (name.to_string(), None))
        .collect();
    for folder in &resolved.template_folders {
        let Ok(entries) = std::fs::read_dir(folder) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        files.sort();
        for file in files {
            if let Some(stem) = file.file_stem().map(|s| s.to_string_lossy().into_owned())
                && !known.iter().any(|(n, _)| *n == stem)
            {
                known.push((stem, Some(file)));
            }
        }
    }
    known
}

/// Where a template known by name comes from ([`template_by_name`]).
pub enum TemplateSource {
    /// Built into reframe: its markdown.
    Builtin(&'static str),
    /// A file of a configured template folder.
    File(PathBuf),
}

/// The template called `name` among those `resolved` knows ([`known_templates`]).
pub fn template_by_name(resolved: &Resolved, name: &str) -> Option<TemplateSource> {
    match known_templates(resolved)
        .into_iter()
        .find(|(n, _)| n == name)?
    {
        (_, Some(file)) => Some(TemplateSource::File(file)),
        (_, None) => template_choice::BUILTIN_TEMPLATES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, source)| TemplateSource::Builtin(source)),
    }
}

/// A new write-up's text from the template called `name`: its name and the scaffold
/// ([`template_choice::scaffold`]) dated today. An error is a sentence for a message.
pub fn new_writeup_text(resolved: &Resolved, name: &str) -> Result<String, String> {
    let source = match template_by_name(resolved, name) {
        Some(TemplateSource::Builtin(source)) => source.to_string(),
        Some(TemplateSource::File(file)) => read_regular_file(&file, TEMPLATE_LIMIT)
            .map_err(|err| format!("cannot read the template {}: {err}", file.display()))?,
        None => {
            let names: Vec<String> = known_templates(resolved)
                .into_iter()
                .map(|(n, _)| n)
                .collect();
            return Err(format!(
                "no template called “{name}” (known templates: {})",
                names.join(", ")
            ));
        }
    };
    let problems = Template::parse(name, &source).problems();
    if !problems.is_empty() {
        return Err(format!(
            "the template {name} cannot be used: {}",
            problems.join("; ")
        ));
    }
    Ok(template_choice::scaffold(name, &source, &today()))
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    template_choice::civil_date(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// Looks up the template a write-up names in its front matter: the configuration's own
/// template when the name is its name, else a file `NAME.md` in a configured template
/// folder, else a built-in template of that name.
pub fn named_template(resolved: &Resolved, name: &str) -> Named {
    if resolved.template.name == name {
        return Named::Configured;
    }
    let known = known_templates(resolved);
    match known.iter().find(|(n, _)| n == name) {
        Some((_, Some(file))) => match read_regular_file(file, TEMPLATE_LIMIT) {
            Ok(text) => {
                let template = Template::parse(name, &text);
                let problems = template.problems();
                if problems.is_empty() {
                    Named::Found(Arc::new(template))
                } else {
                    Named::Broken(format!(
                        "the template {} cannot be used: {}",
                        file.display(),
                        problems.join("; ")
                    ))
                }
            }
            Err(err) => Named::Broken(format!(
                "cannot read the template {}: {err}",
                file.display()
            )),
        },
        Some((_, None)) => match template_choice::builtin_template(name) {
            Some(template) => Named::Found(Arc::new(template.clone())),
            None => Named::Unknown(known.into_iter().map(|(n, _)| n).collect()),
        },
        None => Named::Unknown(known.into_iter().map(|(n, _)| n).collect()),
    }
}

/// Every template a write-up of this configuration may be checked against when its front
/// matter names none: the configured one first, then the built-in templates and those of
/// the template folders (each name once; a folder file that cannot be read or has no
/// sections is left out). [`template_choice::choose_by_headings`] picks among them.
pub fn candidate_templates(resolved: &Resolved) -> Vec<Arc<Template>> {
    let mut out = vec![Arc::clone(&resolved.template)];
    for (name, file) in known_templates(resolved) {
        if name == resolved.template.name {
            continue;
        }
        let template = match file {
            Some(file) => match read_regular_file(&file, TEMPLATE_LIMIT) {
                Ok(text) => Template::parse(&name, &text),
                Err(_) => continue,
            },
            None => match template_choice::builtin_template(&name) {
                Some(template) => template.clone(),
                None => continue,
            },
        };
        if template.problems().is_empty() {
            out.push(Arc::new(template));
        }
    }
    out
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
