//! Command-line surface of the `passdesk` binary. Each subcommand lives in its own file.
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub mod agent;
pub mod check;
pub mod demo;
pub mod extension_policy;
pub mod generate;
pub mod serve;
pub mod token;

/// PassDesk: reset Active Directory / Microsoft 365 passwords from ConnectWise tickets.
#[derive(Debug, Parser)]
#[command(name = "passdesk", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a password (read from stdin) against a policy; exit 0 pass, 1 violation, 2 bad input.
    Check(check::CheckArgs),
    /// Generate compliant passwords or passphrases.
    #[command(subcommand)]
    Generate(generate::GenerateCommand),
    /// Run the backend API.
    Serve(serve::ServeArgs),
    /// Manage technician tokens.
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// Run the whole backend with a built-in ConnectWise sandbox and sandbox directory.
    Demo(demo::DemoArgs),
    /// Site agents: enrol / list / revoke on the backend; join / run at the customer site.
    #[command(subcommand)]
    Agent(agent::AgentCommand),
    /// Print the managed policy (Chrome/Edge and Firefox) that points technicians' extensions at a backend.
    ExtensionPolicy(extension_policy::ExtensionPolicyArgs),
}

/// Runs the parsed command and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check(a) => check::run(a),
        Command::Generate(c) => generate::run(c),
        Command::Serve(a) => serve::run(a),
        Command::Token(c) => token::run(c),
        Command::Demo(a) => demo::run(a),
        Command::Agent(c) => agent::run(c),
        Command::ExtensionPolicy(a) => extension_policy::run(a),
    }
}
