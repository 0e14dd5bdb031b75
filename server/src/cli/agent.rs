//! `passdesk agent enroll|list|revoke` (on the backend) and `passdesk agent join|run` (at the
//! customer site). The credential and enrolment codes are never logged; the credential is never
//! printed.
use std::{io::Read as _, path::PathBuf, process::ExitCode, sync::Arc, time::Duration};

use anyhow::Context as _;
use zeroize::Zeroizing;

use crate::{
    agent::{
        protocol::{JoinRequest, JoinResponse, JOIN_PATH},
        site::{
            config::{check_server_url, credential_path, AgentConfig, Credential},
            connect::Dialer,
        },
    },
    config::Config,
    directory::ldap::LdapDirectory,
    store::{agents, Store},
};

/// `passdesk agent ...`
#[derive(Debug, clap::Subcommand)]
pub enum AgentCommand {
    /// Backend: create an agent (if new) and print a one-time enrolment code (valid 24 h).
    Enroll {
        /// The agent's name, e.g. `contoso-dc1` (what a `kind = "agent"` directory names).
        #[arg(long)]
        name: String,
        /// The backend's config file.
        #[arg(long, default_value = "passdesk.toml", env = "PASSDESK_CONFIG")]
        config: PathBuf,
    },
    /// Backend: list the agents (never a credential).
    List {
        /// The backend's config file.
        #[arg(long, default_value = "passdesk.toml", env = "PASSDESK_CONFIG")]
        config: PathBuf,
    },
    /// Backend: revoke an agent; it is disconnected within a second and its credential refused.
    Revoke {
        /// The agent's name.
        name: String,
        /// The backend's config file.
        #[arg(long, default_value = "passdesk.toml", env = "PASSDESK_CONFIG")]
        config: PathBuf,
    },
    /// Site: exchange an enrolment code for this agent's credential (written beside agent.toml, 0600).
    Join {
        /// The backend, e.g. `https://passdesk.msp.example` (default: `server` of agent.toml).
        #[arg(long)]
        server: Option<String>,
        /// The enrolment code, or `-` to read it from standard input.
        #[arg(long)]
        code: String,
        /// The agent's config file.
        #[arg(long, default_value = "agent.toml", env = "PASSDESK_AGENT_CONFIG")]
        config: PathBuf,
    },
    /// Site: run the agent (Ctrl-C / SIGTERM stop it).
    Run {
        /// The agent's config file.
        #[arg(long, default_value = "agent.toml", env = "PASSDESK_AGENT_CONFIG")]
        config: PathBuf,
    },
}

/// Runs `passdesk agent`.
pub fn run(cmd: AgentCommand) -> ExitCode {
    super::serve::init_tracing();
    match super::serve::runtime().and_then(|rt| rt.block_on(agent(cmd))) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("passdesk agent: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn open(config: &std::path::Path) -> anyhow::Result<Store> {
    Store::open(&Config::load(config)?.database_url).await
}

async fn agent(cmd: AgentCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        AgentCommand::Enroll { name, config } => {
            let store = open(&config).await?;
            let code = agents::enroll(store.pool(), &name).await?;
            eprintln!(
                "Enrolment code for agent {name} (one use, valid 24 hours). At the site, run:"
            );
            eprintln!("  passdesk agent join --server https://<this backend> --code <code> --config agent.toml");
            println!("{}", code.as_str());
            Ok(ExitCode::SUCCESS)
        }
        AgentCommand::List { config } => {
            let store = open(&config).await?;
            let rows = agents::list(store.pool()).await?;
            println!("{:<24} {:<22} {:<22} revoked", "name", "created", "joined");
            for a in rows {
                println!(
                    "{:<24} {:<22} {:<22} {}",
                    a.name,
                    a.created_at,
                    a.joined_at.as_deref().unwrap_or("-"),
                    a.revoked_at.as_deref().unwrap_or("-")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        AgentCommand::Revoke { name, config } => {
            let store = open(&config).await?;
            if agents::revoke(store.pool(), &name).await? {
                eprintln!(
                    "Agent {name} revoked; a running backend disconnects it within a second."
                );
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("No active agent is named {name}.");
                Ok(ExitCode::FAILURE)
            }
        }
        AgentCommand::Join {
            server,
            code,
            config,
        } => join(server, code, config).await,
        AgentCommand::Run { config } => run_agent(config).await,
    }
}

/// Reads agent.toml if it exists (join may come before the `[directory]` table is written).
fn join_settings(
    config: &std::path::Path,
    server: Option<String>,
) -> anyhow::Result<(url::Url, Option<PathBuf>, Option<String>)> {
    let file = if config.exists() {
        Some(AgentConfig::load(config)?)
    } else {
        None
    };
    let server = match (server, &file) {
        (Some(s), Some(f)) if s.trim_end_matches('/') != f.server.trim_end_matches('/') => {
            anyhow::bail!(
                "--server {s} differs from server = {:?} in {}",
                f.server,
                config.display()
            )
        }
        (Some(s), _) => s,
        (None, Some(f)) => f.server.clone(),
        (None, None) => anyhow::bail!(
            "--server is required when {} does not exist",
            config.display()
        ),
    };
    let url = check_server_url(&server)?;
    Ok((
        url,
        file.as_ref().and_then(|f| f.ca_file.clone()),
        file.and_then(|f| f.proxy),
    ))
}

async fn join(server: Option<String>, code: String, config: PathBuf) -> anyhow::Result<ExitCode> {
    let (url, ca_file, proxy) = join_settings(&config, server)?;
    let code = Zeroizing::new(if code == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        s.trim().to_string()
    } else {
        code.trim().to_string()
    });
    let mut http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30));
    if let Some(ca) = &ca_file {
        let pem =
            std::fs::read(ca).with_context(|| format!("cannot read ca_file {}", ca.display()))?;
        // Pinned: only this CA, not the system's (a TLS-inspecting middlebox must fail).
        http = http.tls_built_in_root_certs(false);
        for cert in reqwest::Certificate::from_pem_bundle(&pem)
            .with_context(|| format!("{}: not a PEM certificate", ca.display()))?
        {
            http = http.add_root_certificate(cert);
        }
    }
    if let Some(p) = &proxy {
        http = http.proxy(reqwest::Proxy::all(p).context("invalid proxy URL")?);
    }
    let http = http.build().context("cannot build the HTTPS client")?;
    let endpoint = format!("{}{JOIN_PATH}", url.as_str().trim_end_matches('/'));
    let response = http
        .post(&endpoint)
        .json(&JoinRequest { code })
        .send()
        .await
        .with_context(|| format!("cannot reach the backend at {url}"))?;
    let status = response.status();
    if !status.is_success() {
        let body: serde_json::Value = response.json().await.unwrap_or_default();
        let message = body["error"]["message"].as_str().unwrap_or("no details");
        anyhow::bail!(
            "the backend refused the enrolment code (HTTP {}): {message}",
            status.as_u16()
        );
    }
    let joined: JoinResponse = response
        .json()
        .await
        .context("unreadable answer from the backend")?;
    let path = credential_path(&config);
    Credential {
        agent: joined.agent.clone(),
        server: url.to_string(),
        credential: joined.credential,
    }
    .store(&path)?;
    eprintln!(
        "Joined as agent {}; credential written to {} (mode 0600). Start it with: passdesk agent run --config {}",
        joined.agent,
        path.display(),
        config.display()
    );
    Ok(ExitCode::SUCCESS)
}

async fn run_agent(config: PathBuf) -> anyhow::Result<ExitCode> {
    let cfg = AgentConfig::load(&config)?;
    let credential = Credential::load(&credential_path(&config))?;
    let url = check_server_url(&cfg.server)?;
    if credential.server.trim_end_matches('/') != url.as_str().trim_end_matches('/') {
        tracing::warn!(joined = %credential.server, server = %url, "agent.toml names another backend than the one this agent joined");
    }
    let ldap = LdapDirectory::new(cfg.ldap(&credential.agent)?)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("invalid [directory]")?;
    let dialer = Dialer::new(&url, cfg.ca_file.as_deref(), cfg.proxy.as_deref())?;
    tracing::info!(agent = %credential.agent, server = %url, "passdesk agent starting");
    crate::agent::site::run::run(
        dialer,
        credential.credential,
        Arc::new(ldap),
        Duration::from_secs(cfg.reconnect_max_secs),
        super::serve::ctrl_c(),
    )
    .await?;
    tracing::info!("passdesk agent stopped");
    Ok(ExitCode::SUCCESS)
}
