//! `passdesk`: the PassDesk CLI (check / generate) and backend (serve, token, demo).
//! Thin: parse the command line, dispatch to `passdesk_server::cli`.
use std::process::ExitCode;

use clap::Parser;
use passdesk_server::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    cli::run(cli)
}
