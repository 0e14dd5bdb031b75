//! `passdesk token create|list|revoke`: technician tokens (printed once, stored as SHA-256).
use std::{path::PathBuf, process::ExitCode};

use crate::{
    config::Config,
    store::{tokens, Store},
};

/// `passdesk token ...`
#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Create a technician token (printed once).
    Create {
        /// Technician name, shown in the audit and the notes.
        #[arg(long)]
        name: String,
        /// Config file.
        #[arg(long, default_value = "passdesk.toml", env = "PASSDESK_CONFIG")]
        config: PathBuf,
    },
    /// List tokens (never the tokens themselves).
    List {
        /// Config file.
        #[arg(long, default_value = "passdesk.toml", env = "PASSDESK_CONFIG")]
        config: PathBuf,
    },
    /// Revoke a token by id, or every active token of a technician name.
    Revoke {
        /// Token id (from `token list`) or technician name.
        id_or_name: String,
        /// Config file.
        #[arg(long, default_value = "passdesk.toml", env = "PASSDESK_CONFIG")]
        config: PathBuf,
    },
}

/// Runs `passdesk token`.
pub fn run(cmd: TokenCommand) -> ExitCode {
    match super::serve::runtime().and_then(|rt| rt.block_on(token(cmd))) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("passdesk token: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn open(config: &std::path::Path) -> anyhow::Result<Store> {
    Store::open(&Config::load(config)?.database_url).await
}

async fn token(cmd: TokenCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        TokenCommand::Create { name, config } => {
            let store = open(&config).await?;
            let created = tokens::create(store.pool(), &name).await?;
            eprintln!(
                "Token {} for {} (shown once; store it in the extension's options):",
                created.id,
                name.trim()
            );
            println!("{}", created.token);
            store.close().await;
        }
        TokenCommand::List { config } => {
            let store = open(&config).await?;
            println!("{:>4}  {:<24}  {:<20}  revoked", "id", "name", "created");
            for t in tokens::list(store.pool()).await? {
                println!(
                    "{:>4}  {:<24}  {:<20}  {}",
                    t.id,
                    t.name,
                    t.created_at,
                    t.revoked_at.as_deref().unwrap_or("-")
                );
            }
            store.close().await;
        }
        TokenCommand::Revoke { id_or_name, config } => {
            let store = open(&config).await?;
            let n = tokens::revoke(store.pool(), &id_or_name).await?;
            store.close().await;
            if n == 0 {
                eprintln!("no active token matches {id_or_name}");
                return Ok(ExitCode::from(1));
            }
            println!("revoked {n} token(s)");
        }
    }
    Ok(ExitCode::SUCCESS)
}
