//! The `nkhr` binary: parses the command line, sets up logging, and hands over to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = nkhr::cli::Cli::parse();
    nkhr::cli::init_tracing(&cli.global);
    nkhr::cli::run(cli)
}
