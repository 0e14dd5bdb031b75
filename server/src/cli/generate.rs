//! `passdesk generate password|passphrase` (owned by the core/CLI work).
use std::process::ExitCode;

/// `passdesk generate ...`
#[derive(Debug, clap::Subcommand)]
pub enum GenerateCommand {
    /// A complex password.
    Password,
    /// A passphrase of EFF words.
    Passphrase,
}

/// Runs `passdesk generate`.
pub fn run(cmd: GenerateCommand) -> ExitCode {
    let _ = cmd;
    eprintln!("not implemented yet");
    ExitCode::from(2)
}
