//! The one TOML config of `passdesk serve` / `passdesk token` (see `config.example.toml`).
//!
//! Secrets (ConnectWise private key, directory passwords) may be given inline or through
//! environment variables (`*_env` keys); no `Debug` output of this module prints one.
use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    sync::Arc,
};

use anyhow::Context as _;
use serde::Deserialize;

use crate::{
    agent::hub::{AgentHub, HubSettings},
    connectwise::client::ConnectWiseConfig,
    directory::{
        agent::{AgentDirectory, AgentDirectoryConfig},
        graph::{GraphDirectory, GraphDirectoryConfig},
        ldap::{LdapDirectory, LdapDirectoryConfig},
        sandbox::SandboxDirectory,
    },
    reset::{
        directories::{Directories, DirectoryEntry, DirectoryKind},
        notes::DEFAULT_NOTE_TEXT,
    },
};

/// The whole config file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address the API listens on (default `127.0.0.1:8080`).
    #[serde(default = "default_listen")]
    pub listen: SocketAddr,
    /// SQLite database: a file path (relative paths are relative to the config file) or a
    /// `sqlite:` URL. Created if missing.
    pub database_url: String,
    /// ConnectWise API access.
    pub connectwise: ConnectWiseConfig,
    /// First line of the internal note (the technician and temporary/permanent are appended).
    #[serde(default = "default_note_text")]
    pub note_text: String,
    /// The directories and the ConnectWise companies each one serves.
    #[serde(default)]
    pub directories: Vec<DirectoryConfig>,
    /// PEM certificate chain: with `tls_key_file`, `passdesk serve` terminates TLS itself.
    #[serde(default)]
    pub tls_cert_file: Option<PathBuf>,
    /// PEM private key of `tls_cert_file`.
    #[serde(default)]
    pub tls_key_file: Option<PathBuf>,
    /// Listen on a non-loopback address without TLS (only behind a TLS-terminating reverse proxy
    /// on a trusted network; logged as a warning).
    #[serde(default)]
    pub allow_plain_http: bool,
    /// Site agent connections.
    #[serde(default)]
    pub agents: AgentsConfig,
}

/// `[agents]`: liveness of site agent connections.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentsConfig {
    /// Seconds between the backend's pings; 3 unanswered intervals drop an agent (default 20).
    #[serde(default = "default_heartbeat_secs")]
    pub heartbeat_secs: u64,
    /// Seconds a directory operation may wait for the agent's answer (default 30).
    #[serde(default = "default_request_timeout_secs")]
    pub request_timeout_secs: u64,
}

impl Default for AgentsConfig {
    fn default() -> Self {
        Self {
            heartbeat_secs: default_heartbeat_secs(),
            request_timeout_secs: default_request_timeout_secs(),
        }
    }
}

fn default_heartbeat_secs() -> u64 {
    20
}

fn default_request_timeout_secs() -> u64 {
    30
}

impl AgentsConfig {
    /// The hub settings.
    pub fn hub_settings(&self) -> HubSettings {
        HubSettings {
            heartbeat: std::time::Duration::from_secs(self.heartbeat_secs.max(1)),
            request_timeout: std::time::Duration::from_secs(self.request_timeout_secs.max(1)),
        }
    }
}

fn default_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8080))
}

fn default_note_text() -> String {
    DEFAULT_NOTE_TEXT.to_string()
}

/// One `[[directories]]` entry: `kind`, the connector's own keys, and `companies`.
#[derive(Debug, Deserialize)]
pub struct DirectoryConfig {
    /// ConnectWise company identifiers (e.g. `Contoso`) whose tickets use this directory.
    pub companies: Vec<String>,
    /// The connector and its settings.
    #[serde(flatten)]
    pub connector: ConnectorConfig,
}

/// `kind = "ldap" | "graph" | "agent" | "sandbox"`.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConnectorConfig {
    /// Active Directory / Samba over LDAPS or StartTLS.
    Ldap(LdapDirectoryConfig),
    /// Entra ID over Microsoft Graph.
    Graph(GraphDirectoryConfig),
    /// A customer's AD reached through its site agent.
    Agent(AgentDirectoryConfig),
    /// The in-memory demo directory (seeded with the Contoso accounts).
    Sandbox(SandboxDirectoryConfig),
}

/// `kind = "sandbox"`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SandboxDirectoryConfig {
    /// Directory name.
    pub name: String,
    /// Allow resetting privileged accounts.
    #[serde(default)]
    pub allow_privileged: bool,
}

impl Config {
    /// Reads and checks a config file.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let mut config: Config =
            toml::from_str(&text).with_context(|| format!("invalid config {}", path.display()))?;
        config.database_url = resolve_database_url(&config.database_url, path.parent());
        let base = path.parent().unwrap_or(Path::new("."));
        for file in [&mut config.tls_cert_file, &mut config.tls_key_file]
            .into_iter()
            .flatten()
        {
            if file.is_relative() {
                *file = base.join(&*file);
            }
        }
        config.check()?;
        Ok(config)
    }

    /// Checks what serde cannot: names unique, every directory serves at least one company, and a
    /// company is mapped to only one directory.
    pub fn check(&self) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.tls_cert_file.is_some() == self.tls_key_file.is_some(),
            "set both tls_cert_file and tls_key_file, or neither"
        );
        let plain = self.tls_cert_file.is_none();
        if plain && !self.listen.ip().is_loopback() && !self.allow_plain_http {
            anyhow::bail!(
                "listen = {} is not a loopback address and no TLS is configured: set tls_cert_file and \
                 tls_key_file, or put a TLS reverse proxy in front and set allow_plain_http = true",
                self.listen
            );
        }
        let mut names = std::collections::HashSet::new();
        let mut companies = std::collections::HashMap::new();
        for d in &self.directories {
            let name = d.name();
            anyhow::ensure!(
                names.insert(name.to_string()),
                "two directories are named {name}"
            );
            anyhow::ensure!(
                !d.companies.is_empty(),
                "directory {name} lists no companies"
            );
            for c in &d.companies {
                if let Some(other) = companies.insert(c.to_ascii_lowercase(), name.to_string()) {
                    anyhow::bail!("company {c} is mapped to both {other} and {name}");
                }
            }
        }
        Ok(())
    }
}

/// Plain paths relative to the config file's folder; `sqlite:` URLs as they are.
fn resolve_database_url(url: &str, base: Option<&Path>) -> String {
    if url.starts_with("sqlite:") || Path::new(url).is_absolute() {
        return url.to_string();
    }
    match base {
        Some(base) if !base.as_os_str().is_empty() => base.join(url).to_string_lossy().into_owned(),
        _ => url.to_string(),
    }
}

impl DirectoryConfig {
    /// The configured name.
    pub fn name(&self) -> &str {
        match &self.connector {
            ConnectorConfig::Ldap(c) => &c.name,
            ConnectorConfig::Graph(c) => &c.name,
            ConnectorConfig::Agent(c) => &c.name,
            ConnectorConfig::Sandbox(c) => &c.name,
        }
    }
}

/// Builds the connectors (no network yet: LDAP connects per operation; `agent` directories call
/// through `agents`).
pub fn build_directories(
    configs: &[DirectoryConfig],
    agents: &Arc<AgentHub>,
) -> anyhow::Result<Directories> {
    let mut entries = Vec::new();
    for d in configs {
        let (kind, directory): (DirectoryKind, Arc<dyn crate::directory::Directory>) = match &d
            .connector
        {
            ConnectorConfig::Ldap(c) => {
                let dir = LdapDirectory::new(c.clone()).map_err(|e| anyhow::anyhow!("{e}"))?;
                (DirectoryKind::Ldap, Arc::new(dir))
            }
            ConnectorConfig::Graph(c) => (
                DirectoryKind::Graph,
                Arc::new(GraphDirectory::new(c.clone()).map_err(|e| anyhow::anyhow!("{e}"))?),
            ),
            ConnectorConfig::Agent(c) => (
                DirectoryKind::Agent,
                Arc::new(AgentDirectory::new(c.clone(), agents.clone())),
            ),
            ConnectorConfig::Sandbox(c) => (
                DirectoryKind::Sandbox,
                Arc::new(
                    SandboxDirectory::seeded_demo(&c.name).allowing_privileged(c.allow_privileged),
                ),
            ),
        };
        entries.push(DirectoryEntry {
            kind,
            companies: d.companies.clone(),
            directory,
        });
    }
    Ok(Directories::new(entries))
}

/// Default config path for `--config`.
pub fn default_config_path() -> PathBuf {
    PathBuf::from("passdesk.toml")
}
