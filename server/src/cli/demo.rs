//! `passdesk demo [--listen ADDR] [--data-dir DIR] [--json]`.
use std::{net::SocketAddr, path::PathBuf, process::ExitCode, time::Instant};

use crate::demo::{self, DemoOptions};

/// Arguments of `passdesk demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Listen address; `127.0.0.1:0` picks a free port (the real one is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Folder for the SQLite file (default: a new temporary folder, removed on exit).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Print one JSON line with the URLs and credentials when ready (for scripts and tests).
    #[arg(long)]
    pub json: bool,
}

/// Runs `passdesk demo` until Ctrl-C.
pub fn run(args: DemoArgs) -> ExitCode {
    super::serve::init_tracing();
    match super::serve::runtime().and_then(|rt| rt.block_on(demo_main(args))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("passdesk demo: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn demo_main(args: DemoArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let (data_dir, temporary) = match args.data_dir {
        Some(dir) => (dir, false),
        None => {
            let dir = std::env::temp_dir().join(format!(
                "passdesk-demo-{}-{:08x}",
                std::process::id(),
                rand::random::<u32>()
            ));
            (dir, true)
        }
    };
    let running = demo::start(DemoOptions::new(args.listen, data_dir.clone())).await?;
    let info = &running.info;
    if args.json {
        println!("{}", info.to_json());
    } else {
        println!(
            "PassDesk demo ready in {} ms",
            started.elapsed().as_millis()
        );
        println!("  API:               {}", info.api);
        println!("  technician token:  {}", info.token);
        println!("  demo ticket pages: {}", info.pages);
        println!("  ConnectWise sandbox: {}", info.connectwise_base);
        println!("    Authorization: {}", info.connectwise_authorization);
        println!("    clientId:      {}", info.connectwise_client_id);
        println!("  database: {}", data_dir.join("passdesk.db").display());
        println!("Ctrl-C stops it.");
    }
    tracing::info!(
        ready_ms = started.elapsed().as_millis() as u64,
        "passdesk demo ready"
    );
    super::serve::ctrl_c().await;
    running.shutdown().await;
    if temporary {
        let _ = std::fs::remove_dir_all(&data_dir);
    }
    Ok(())
}
