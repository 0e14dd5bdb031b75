//! `passdesk serve --config FILE`: the backend API with the configured ConnectWise and directories.
use std::{path::PathBuf, process::ExitCode};

use anyhow::Context as _;

use std::sync::Arc;

use crate::{
    agent::hub::AgentHub,
    app::{self, Parts},
    config::{build_directories, Config},
    connectwise::client::ConnectWiseClient,
    listener::{tls_acceptor, Limits},
    store::Store,
    ticket_flow::notes::NoteSettings,
};

/// Arguments of `passdesk serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Config file (TOML; see config.example.toml).
    #[arg(long, default_value = "passdesk.toml", env = "PASSDESK_CONFIG")]
    pub config: PathBuf,
}

/// Runs `passdesk serve`.
pub fn run(args: ServeArgs) -> ExitCode {
    init_tracing();
    match runtime().and_then(|rt| rt.block_on(serve(args))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("passdesk serve: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let config = Config::load(&args.config)?;
    let store = Store::open(&config.database_url)
        .await
        .context("cannot open the database")?;
    let client = ConnectWiseClient::new(&config.connectwise)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("invalid [connectwise] settings")?;
    let agents = AgentHub::new(config.agents.hub_settings());
    let directories = build_directories(&config.directories, &agents)?;
    let notes = NoteSettings {
        text: config.note_text.clone(),
        ..NoteSettings::default()
    };
    let tls = match (&config.tls_cert_file, &config.tls_key_file) {
        (Some(cert), Some(key)) => Some(tls_acceptor(cert, key)?),
        _ => None,
    };
    if tls.is_none() && !config.listen.ip().is_loopback() {
        tracing::warn!(listen = %config.listen, "serving plain HTTP on a non-loopback address (allow_plain_http = true): only behind a TLS reverse proxy");
    }
    let https = tls.is_some();
    let running = app::start(Parts {
        store,
        tickets: Arc::new(client),
        directories,
        agents,
        notes,
        listener: tokio::net::TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("cannot listen on {}", config.listen))?,
        tls,
        limits: Limits::default(),
        extra_routes: None,
        cors: config.cors_extension_ids.clone(),
        verification: config
            .verification
            .build(&config.base_dir)
            .context("invalid [verification] settings")?,
    })
    .await?;
    tracing::info!(listen = %running.addr, tls = https, directories = config.directories.len(), "passdesk serve ready");
    ctrl_c().await;
    running.shutdown().await;
    Ok(())
}

/// A multi-threaded tokio runtime for the async subcommands.
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

/// Resolves on Ctrl-C (or SIGTERM on Unix).
pub(crate) async fn ctrl_c() {
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

/// Logs to stderr; `RUST_LOG` overrides the default `info`.
pub(crate) fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
