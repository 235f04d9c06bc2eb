//! `reframe init` (a commented `.reframe.toml`), `reframe schema` (its JSON Schema),
//! `reframe templates` (the templates a write-up can name), `reframe completions` and
//! `reframe man`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

use reframe_core::config::FILE_NAME;
use reframe_core::template_choice;
use reframe_workspace::{self as workspace, schema};

use crate::cli::args::Cli;
use crate::cli::files::create_new_atomically;
use crate::cli::inputs::Configs;

/// Where editors find the schema (`#:schema` is read by Taplo / Even Better TOML).
pub(crate) const SCHEMA_URL: &str =
    "https://raw.githubusercontent.com/reframe-ls/reframe/main/docs/reframe.schema.json";

/// The file `reframe init` writes: every key, commented out, with what it does.
pub(crate) fn init_text() -> String {
    format!(
        r#"#:schema {SCHEMA_URL}
# reframe configuration: found from a document's folder upward; the first one wins.
# Every key is optional. `reframe schema` prints the schema editors check this file with.

# The template every rule, completion and outline comes from (a markdown file), relative
# to this file. Default: the built-in ops template.
# template = "templates/ops-writeup.md"

# Folders of templates a write-up can name in its front matter (`template: NAME` picks
# NAME.md); built-in: ops-writeup, promotion-packet, star, brag-doc, self-review,
# case-study. `reframe templates` lists them.
# templates = ["templates/"]

# Globs of documents that are always write-ups, besides front matter and headings.
# writeups = ["writeups/**/*.md"]

# Globs of files and folders `reframe check` skips when it walks a folder.
# exclude = ["drafts/**", "archive"]

# Severity per rule code: error | warning | information | hint | off.
[rules]
# weak-verb = "warning"
# passive-voice = "off"

# Your own wording rules: a regex `pattern`, a `code`, a `message`, optional `replace`.
# [[phrases]]
# pattern = '\bspearheaded\b'
# code = "weak-verb"
# message = "Say what you did: led, started, proposed?"
# replace = ["led", "started"]

# Phrases never flagged (whole words, any case).
[allow]
# phrases = ["just-in-time"]
"#
    )
}

/// Writes `.reframe.toml` in `folder`; never replaces one (exit 1).
pub(crate) fn init(folder: &Path) -> ExitCode {
    if !folder.is_dir() {
        eprintln!("reframe: {} is not a folder", folder.display());
        return ExitCode::from(2);
    }
    let path = folder.join(FILE_NAME);
    if path.exists() || path.is_symlink() {
        eprintln!(
            "reframe: {} already exists: not overwritten",
            path.display()
        );
        return ExitCode::from(1);
    }
    match create_new_atomically(&path, &init_text()) {
        Ok(()) => {
            println!("created {}", path.display());
            ExitCode::SUCCESS
        }
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "reframe: {} already exists: not overwritten",
                path.display()
            );
            ExitCode::from(1)
        }
        Err(err) => {
            eprintln!("reframe: cannot create {}: {err}", path.display());
            ExitCode::from(2)
        }
    }
}

/// Prints what a command generated; a closed pipe is not an error.
fn print(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match write(&mut out).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("reframe: cannot write output: {err}");
            ExitCode::from(2)
        }
    }
}

pub(crate) fn print_schema() -> ExitCode {
    print(|out| out.write_all(schema::json_schema().as_bytes()))
}

pub(crate) fn completions(shell: Shell) -> ExitCode {
    print(|out| {
        clap_complete::generate(shell, &mut Cli::command(), "reframe", out);
        Ok(())
    })
}

pub(crate) fn man() -> ExitCode {
    print(|out| clap_mangen::Man::new(Cli::command()).render(out))
}

/// Lists the built-in templates and those of the configured template folders for
/// `folder`'s configuration.
pub(crate) fn templates(folder: &Path) -> ExitCode {
    let mut errors = Vec::new();
    let mut configs = Configs::new(None);
    let probe = folder.join(FILE_NAME);
    let Some(resolved) = configs.resolved_for(Some(&probe), &mut errors) else {
        for error in &errors {
            eprintln!("reframe: {error}");
        }
        return ExitCode::from(2);
    };
    print(|out| {
        for (name, file) in workspace::known_templates(&resolved) {
            let origin = match file {
                Some(file) => file.display().to_string(),
                None => match template_choice::builtin_summary(&name) {
                    Some(summary) => format!("built in: {summary}"),
                    None => "built in".to_string(),
                },
            };
            let default = if name == resolved.template.name {
                " (default here)"
            } else {
                ""
            };
            writeln!(out, "{name}\t{origin}{default}")?;
        }
        Ok(())
    })
}
