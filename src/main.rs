//! The `nkhr` binary: parses the command line and hands over to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    nkhr::cli::run(nkhr::cli::Cli::parse())
}
