//! `passdesk demo [--listen ADDR] [--data-dir DIR] [--json] [--verification-config FILE]
//! [--verification MODE]`.
use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    process::ExitCode,
    sync::Arc,
    time::Instant,
};

use anyhow::Context as _;
use serde::Deserialize;

use crate::{
    demo::{self, DemoOptions},
    verification::{config::VerificationConfig, VerificationMode},
};

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
    /// A TOML file with a `[verification]` table (as in config.example.toml), e.g. a real SMTP
    /// relay for e-mail codes; SMS and Duo it leaves out still go to the built-in simulators.
    /// Relative file names in it are relative to the file.
    #[arg(long, value_name = "FILE")]
    pub verification_config: Option<PathBuf>,
    /// The demo directory's caller verification: required, optional (default) or off.
    #[arg(long, value_name = "MODE", value_parser = parse_mode)]
    pub verification: Option<VerificationMode>,
}

fn parse_mode(s: &str) -> Result<VerificationMode, String> {
    match s {
        "required" => Ok(VerificationMode::Required),
        "optional" => Ok(VerificationMode::Optional),
        "off" => Ok(VerificationMode::Off),
        _ => Err("expected required, optional or off".into()),
    }
}

/// Only the `[verification]` table of the file counts; any other table is a mistake.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VerificationFile {
    verification: VerificationConfig,
}

/// Reads `--verification-config`, with relative `ca_file`s made relative to the file.
pub fn read_verification_config(path: &Path) -> anyhow::Result<VerificationConfig> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut cfg = toml::from_str::<VerificationFile>(&text)
        .with_context(|| format!("invalid {}", path.display()))?
        .verification;
    if let Some(email) = cfg.email.as_mut() {
        if let Some(ca) = email.ca_file.as_mut() {
            if ca.is_relative() {
                *ca = path.parent().unwrap_or(Path::new(".")).join(&*ca);
            }
        }
    }
    Ok(cfg)
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
    let mut opts = DemoOptions::new(args.listen, data_dir.clone());
    if let Some(path) = &args.verification_config {
        opts.verification = Some(Arc::new(read_verification_config(path)?));
    }
    if let Some(mode) = args.verification {
        opts.directory_verification.mode = mode;
    }
    let running = demo::start(opts).await?;
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
        // The extension set up for this API in a throwaway browser profile; the token is pasted by
        // the person, never passed on a command line (tests/e2e/tools/demo-browser.mjs).
        println!(
            "  try the extension: node tests/e2e/tools/demo-browser.mjs chromium {}",
            info.api
        );
        println!("                     (or firefox; from the repository, after `make extension`: it opens the");
        println!("                     options page with this API filled in: paste the token, Test connection, Save)");
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

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("verification.toml");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn the_verification_table_is_read_and_a_relative_ca_file_is_next_to_the_file() {
        let (dir, path) = file(
            "[verification]\nsender_name = \"Contoso Help Desk\"\n[verification.email]\n\
             smtp_host = \"127.0.0.1\"\nsmtp_port = 2525\nfrom = \"x@msp.example\"\nca_file = \"ca.pem\"\n",
        );
        let cfg = read_verification_config(&path).unwrap();
        assert_eq!(cfg.sender_name.as_deref(), Some("Contoso Help Desk"));
        let email = cfg.email.unwrap();
        assert_eq!(email.smtp_port, Some(2525));
        assert_eq!(email.ca_file, Some(dir.path().join("ca.pem")));
    }

    #[test]
    fn other_tables_and_unknown_keys_are_refused_with_the_file_named() {
        for text in [
            "[verification]\n[listen]\n",
            "[verification]\nfresh_for = 3\n",
            "sender_name = \"x\"\n",
        ] {
            let (_dir, path) = file(text);
            let err = format!("{:#}", read_verification_config(&path).unwrap_err());
            assert!(err.contains("verification.toml"), "{text}: {err}");
        }
        let missing = read_verification_config(Path::new("/nonexistent/v.toml")).unwrap_err();
        assert!(format!("{missing:#}").contains("cannot read /nonexistent/v.toml"));
    }

    #[test]
    fn modes_parse_by_their_config_names() {
        assert_eq!(parse_mode("required"), Ok(VerificationMode::Required));
        assert_eq!(parse_mode("optional"), Ok(VerificationMode::Optional));
        assert_eq!(parse_mode("off"), Ok(VerificationMode::Off));
        assert!(parse_mode("Required").is_err());
    }
}
