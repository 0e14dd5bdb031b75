//! `passdesk serve` (owned by the server app work).
use std::process::ExitCode;

/// Arguments of `passdesk serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {}

/// Runs `passdesk serve`.
pub fn run(args: ServeArgs) -> ExitCode {
    let _ = args;
    eprintln!("not implemented yet");
    ExitCode::from(2)
}
