//! The `reframe` command: the command line (`src/cli/`) over reframe-core, and `reframe lsp`,
//! which hands stdin and stdout to the language server in reframe-lsp.

use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    cli::run(cli::Cli::parse())
}
