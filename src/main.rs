use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    reframe::cli::run(reframe::cli::Cli::parse())
}
