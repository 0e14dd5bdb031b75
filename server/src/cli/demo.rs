//! `passdesk demo` (owned by the server app work).
use std::process::ExitCode;

/// Arguments of `passdesk demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {}

/// Runs `passdesk demo`.
pub fn run(args: DemoArgs) -> ExitCode {
    let _ = args;
    eprintln!("not implemented yet");
    ExitCode::from(2)
}
