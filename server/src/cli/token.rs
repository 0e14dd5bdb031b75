//! `passdesk token create|list|revoke` (owned by the server app work).
use std::process::ExitCode;

/// `passdesk token ...`
#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Create a technician token (printed once).
    Create,
}

/// Runs `passdesk token`.
pub fn run(cmd: TokenCommand) -> ExitCode {
    let _ = cmd;
    eprintln!("not implemented yet");
    ExitCode::from(2)
}
