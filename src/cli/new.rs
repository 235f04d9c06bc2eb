//! `reframe new`: a write-up scaffolded from a template, dated today.

use std::path::Path;
use std::process::ExitCode;

use reframe_core::config::Problem;
use reframe_core::template::{self, Template};
use reframe_core::template_choice;
use reframe_workspace as workspace;

use crate::cli::files::create_new_atomically;

/// Writes a new write-up scaffolded from the template, marked with `template:` in its
/// front matter (so it is recognised from the first keystroke) and dated today.
pub(crate) fn new_writeup(file: &Path, template_path: Option<&Path>) -> ExitCode {
    let (name, source) = match new_template_source(file, template_path) {
        Ok(found) => found,
        Err(message) => {
            eprintln!("reframe: {message}");
            return ExitCode::from(2);
        }
    };
    // A file where a folder of the path should be: say so, not "already exists".
    if let Some(blocker) = file
        .ancestors()
        .skip(1)
        .filter(|p| !p.as_os_str().is_empty())
        .find(|p| p.exists() && !p.is_dir())
    {
        eprintln!(
            "reframe: cannot create {}: {} is a file, not a folder",
            file.display(),
            blocker.display()
        );
        return ExitCode::from(2);
    }
    if file.exists() || file.is_symlink() {
        eprintln!(
            "reframe: {} already exists: not overwritten",
            file.display()
        );
        return ExitCode::from(1);
    }
    let body = template_choice::scaffold(&name, &source, &workspace::today());
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty())
        && let Err(err) = std::fs::create_dir_all(parent)
    {
        eprintln!("reframe: cannot create {}: {err}", parent.display());
        return ExitCode::from(2);
    }
    match create_new_atomically(file, &body) {
        Ok(()) => {
            println!("created {} from the {name} template", file.display());
            ExitCode::SUCCESS
        }
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "reframe: {} already exists: not overwritten",
                file.display()
            );
            ExitCode::from(1)
        }
        Err(err) => {
            eprintln!("reframe: cannot create {}: {err}", file.display());
            ExitCode::from(2)
        }
    }
}

/// The configuration for a new file's folder, if one is found (the folder may not exist
/// yet: looked for from its nearest existing ancestor).
fn new_file_config(file: &Path) -> Result<Option<workspace::Loaded>, String> {
    let folder = workspace::document_folder(file);
    let existing = folder
        .ancestors()
        .find(|p| p.is_dir())
        .map(Path::to_path_buf);
    let Some(config) = existing.and_then(|f| workspace::find_config(&f)) else {
        return Ok(None);
    };
    // Loading checks the whole configuration, template included.
    workspace::load(Some(&config), None)
        .map(Some)
        .map_err(|problems| {
            problems
                .iter()
                .map(Problem::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        })
}

/// Whether `--template` names a template rather than giving a path: no folder part, no
/// `.md` ending, and no file of that name here.
fn is_template_name(value: &Path) -> bool {
    value.components().count() == 1
        && value.extension().is_none()
        && !value.exists()
        && value.to_str().is_some_and(|s| !s.is_empty())
}

/// The template `new` uses: `--template` (a name among the built-in templates and those
/// of the configured template folders, or a path), else the one configured for the new
/// file's folder, else the built-in one. Gives its name and markdown.
fn new_template_source(
    file: &Path,
    template_path: Option<&Path>,
) -> Result<(String, String), String> {
    let path = match template_path {
        Some(value) if is_template_name(value) => {
            let name = value.to_string_lossy().into_owned();
            let resolved = match new_file_config(file)? {
                Some(loaded) => loaded.resolved,
                None => std::sync::Arc::new(reframe_core::config::Resolved::defaults()),
            };
            match workspace::template_by_name(&resolved, &name) {
                Some(workspace::TemplateSource::File(path)) => Some(path),
                Some(workspace::TemplateSource::Builtin(source)) => {
                    return Ok((name, source.to_string()));
                }
                None => {
                    let names: Vec<String> = workspace::known_templates(&resolved)
                        .into_iter()
                        .map(|(n, _)| n)
                        .collect();
                    return Err(format!(
                        "no template called “{name}” (known templates: {}; or give a path)",
                        names.join(", ")
                    ));
                }
            }
        }
        Some(path) => Some(path.to_path_buf()),
        None => new_file_config(file)?.and_then(|loaded| loaded.template_file),
    };
    match path {
        Some(path) => {
            let source = workspace::read_regular_file(&path, workspace::TEMPLATE_LIMIT)
                .map_err(|err| format!("cannot read the template {}: {err}", path.display()))?;
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "custom".to_string());
            let problems = Template::parse(&name, &source).problems();
            if !problems.is_empty() {
                return Err(format!(
                    "the template {} cannot be used: {}",
                    path.display(),
                    problems.join("; ")
                ));
            }
            Ok((name, source))
        }
        None => Ok((
            template::DEFAULT_TEMPLATE_NAME.to_string(),
            template::DEFAULT_TEMPLATE_SOURCE.to_string(),
        )),
    }
}
