//! The `nkhr` command line.
//!
//! Every option has a flag and an environment variable, so the same binary is configured
//! by hand on a laptop and by the environment in a container. With no options at all, `nkhr`
//! serves the built-in dataset from a SQLite file in the working directory.

use std::{path::PathBuf, process::ExitCode};

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use crate::dataset::{self, DatasetFiles};

/// A GraphQL API over a source-verified claims dataset on human rights in North Korea.
#[derive(Debug, Parser)]
#[command(name = "nkhr", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOptions,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options every subcommand understands.
#[derive(Debug, Clone, Args)]
pub struct GlobalOptions {
    /// Folder of dataset files to use instead of the dataset built into the binary.
    #[arg(long, env = "NKHR_SEEDS", global = true, value_name = "FOLDER")]
    pub seeds: Option<PathBuf>,
    /// What to log, as a tracing filter: `info`, `debug`, `nkhr=debug,sqlx=warn`…
    #[arg(
        long,
        env = "NKHR_LOG",
        global = true,
        default_value = "info",
        value_name = "FILTER"
    )]
    pub log: String,
    /// How to write logs: `text` for people, `json` for log collectors.
    #[arg(
        long,
        env = "NKHR_LOG_FORMAT",
        global = true,
        default_value = "text",
        value_enum
    )]
    pub log_format: LogFormat,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// What `nkhr` does; `serve` when no command is given.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the dataset files against every rule, without a database.
    Check,
    /// Report, per source, how many asserting sentences the claims cover.
    Coverage {
        /// List every uncovered sentence.
        #[arg(long)]
        verbose: bool,
    },
}

impl GlobalOptions {
    /// The dataset files: the folder given, or the built-in copy.
    pub fn dataset_files(&self) -> anyhow::Result<DatasetFiles> {
        match &self.seeds {
            Some(folder) => DatasetFiles::read_dir(folder),
            None => Ok(DatasetFiles::embedded()),
        }
    }
}

/// Runs the command line to completion and returns the process's exit code.
pub fn run(cli: Cli) -> ExitCode {
    match execute(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn execute(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Some(Command::Check) => check(&cli.global),
        Some(Command::Coverage { verbose }) => coverage(&cli.global, verbose),
        None => anyhow::bail!("no command given"),
    }
}

fn check(global: &GlobalOptions) -> anyhow::Result<ExitCode> {
    let files = global.dataset_files()?;
    match dataset::load(&files) {
        Ok(dataset) => {
            println!("{}: ok ({})", files.origin(), dataset.summary());
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            eprint!("{error}");
            Ok(ExitCode::FAILURE)
        }
    }
}

fn coverage(global: &GlobalOptions, verbose: bool) -> anyhow::Result<ExitCode> {
    let files = global.dataset_files()?;
    let dataset = dataset::load(&files).context("loading the dataset to measure its coverage")?;
    let mut complete = true;
    for source in dataset::coverage::report(&dataset) {
        println!(
            "{}: {} sentences, {} excluded, {} asserting, {} covered ({:.1}%), {:.1}% of asserting characters quoted",
            source.source,
            source.sentences,
            source.excluded,
            source.asserting,
            source.covered,
            source.percent(),
            100.0 * source.character_share,
        );
        complete &= source.uncovered.is_empty();
        for (sentence, share) in &source.uncovered {
            if verbose {
                println!(
                    "  uncovered ({:.0}% quoted) at {}: {}",
                    100.0 * share,
                    sentence.start,
                    sentence.text
                );
            }
        }
    }
    Ok(if complete {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
