//! `passdesk check --policy FILE [--account FILE]` (owned by the core/CLI work).
use std::{path::PathBuf, process::ExitCode};

/// Arguments of `passdesk check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Policy JSON file.
    #[arg(long)]
    pub policy: PathBuf,
    /// Account JSON file.
    #[arg(long)]
    pub account: Option<PathBuf>,
}

/// Runs `passdesk check`.
pub fn run(args: CheckArgs) -> ExitCode {
    let _ = args;
    eprintln!("not implemented yet");
    ExitCode::from(2)
}
