//! `passdesk serve --config FILE`: the backend API with the configured ConnectWise and directories.
use std::{path::PathBuf, process::ExitCode};

use anyhow::Context as _;

use crate::{
    config::{build_directories, Config},
    connectwise::client::ConnectWiseClient,
    reset::{
        notes::{NoteSettings, OutboxWorker},
        Services,
    },
    store::Store,
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
    let client = ConnectWiseClient::new(&config.connectwise).map_err(|e| anyhow::anyhow!("{e}"))?;
    let directories = build_directories(&config.directories)?;
    let notes = NoteSettings {
        text: config.note_text.clone(),
        ..NoteSettings::default()
    };
    let services = Services::new(store, std::sync::Arc::new(client), directories, notes);
    crate::reset::password::answer_interrupted(&services)
        .await
        .context("cannot read the idempotency keys")?;
    let worker = OutboxWorker::spawn(services.clone());
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    tracing::info!(listen = %listener.local_addr()?, directories = config.directories.len(), "passdesk serve ready");
    axum::serve(listener, crate::http::app(services.clone()))
        .with_graceful_shutdown(ctrl_c())
        .await?;
    worker.shutdown().await;
    services.store.close().await;
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
