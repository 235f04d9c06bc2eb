//! The command line: `reframe lsp | check | questions | new | init | templates | schema |
//! completions | man`.
//!
//! `args` holds the clap types; `inputs` collects what to read (the walk, the per-folder
//! configuration cache); `check` analyses, fixes and reports through `report` (one module
//! per format); `files` writes atomically; `new` scaffolds; `questions` prints follow-up
//! questions; `init` writes a configuration and prints the schema, completions and man
//! page. Exit status: 0 clean, 1 findings at or above `--fail-on`, 2 a usage,
//! configuration or I/O error.

use std::path::Path;
use std::process::ExitCode;

mod args;
mod check;
mod files;
mod init;
mod inputs;
mod new;
mod questions;
mod report;

pub use args::Cli;
use args::Command;
use check::CheckOptions;

/// Runs a parsed command line and gives the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Lsp { .. } => run_lsp(),
        Command::Check {
            paths,
            format,
            fail_on,
            fix,
            config,
            summary,
            stdin_filename,
            walk,
            color,
            jobs,
        } => check::check(&CheckOptions {
            paths,
            format,
            fail_on,
            fix,
            config,
            summary,
            stdin_filename,
            walk,
            color,
            jobs: jobs.map(usize::from),
        }),
        Command::Questions {
            paths,
            format,
            config,
            walk,
        } => questions::run(&paths, format, config, walk),
        Command::New { file, template } => new::new_writeup(&file, template.as_deref()),
        Command::Init { folder } => init::init(folder.as_deref().unwrap_or(Path::new("."))),
        Command::Templates { folder } => {
            init::templates(folder.as_deref().unwrap_or(Path::new(".")))
        }
        Command::Schema => init::print_schema(),
        Command::Completions { shell } => init::completions(shell),
        Command::Man => init::man(),
    }
}

fn run_lsp() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    match runtime {
        Ok(runtime) => {
            let shut_down = runtime.block_on(reframe_lsp::run_stdio());
            // Do not wait for the blocking read of stdin: a client that sent `exit` may keep
            // its end open.
            runtime.shutdown_background();
            if shut_down {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(err) => {
            eprintln!("reframe: cannot start the async runtime: {err}");
            ExitCode::from(2)
        }
    }
}
