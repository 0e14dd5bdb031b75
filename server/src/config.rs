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
    },
    ticket_flow::{
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
    /// Extension installs whose pages may call the API cross-origin: Chromium extension ids or
    /// Firefox internal UUIDs. PassDesk's own extension needs none (src/http/cors.rs).
    #[serde(default)]
    pub cors_extension_ids: Vec<crate::http::cors::ExtensionOrigin>,
    /// Site agent connections.
    #[serde(default)]
    pub agents: AgentsConfig,
    /// Caller verification providers (`[verification.email]`, ...).
    #[serde(default)]
    pub verification: crate::verification::config::VerificationConfig,
    /// The config file's folder (relative files in it are resolved against it).
    #[serde(skip)]
    pub base_dir: PathBuf,
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

/// One `[[directories]]` entry: `kind`, the connector's own keys, and `companies`. Read in two
/// steps so the connector's keys are checked strictly: a typo such as `privileged_group` is an
/// error naming the key, never silently ignored (serde cannot combine `flatten` with
/// `deny_unknown_fields`).
#[derive(Debug, Deserialize)]
#[serde(try_from = "RawDirectoryConfig")]
pub struct DirectoryConfig {
    /// ConnectWise company identifiers (e.g. `Contoso`) whose tickets use this directory.
    pub companies: Vec<String>,
    /// `"required" | "optional" | "off"` (default optional): caller verification before reset / unlock.
    pub verification: crate::verification::VerificationMode,
    /// Which configured providers this customer uses (default all of them).
    pub verification_methods: Option<Vec<crate::verification::MethodKind>>,
    /// Also offer the ConnectWise contact's phones / e-mails as verification targets.
    pub trust_connectwise_contact_points: bool,
    /// The connector and its settings.
    pub connector: ConnectorConfig,
}

/// `[[directories]]` as written: the shared keys, and the rest for the connector of `kind`.
#[derive(Deserialize)]
struct RawDirectoryConfig {
    companies: Vec<String>,
    kind: DirectoryKind,
    #[serde(default)]
    verification: crate::verification::VerificationMode,
    #[serde(default)]
    verification_methods: Option<Vec<crate::verification::MethodKind>>,
    #[serde(default)]
    trust_connectwise_contact_points: bool,
    #[serde(flatten)]
    connector: toml::Table,
}

impl TryFrom<RawDirectoryConfig> for DirectoryConfig {
    type Error = String;

    fn try_from(raw: RawDirectoryConfig) -> Result<Self, String> {
        let keys = toml::Value::Table(raw.connector);
        let name = keys
            .get("name")
            .and_then(toml::Value::as_str)
            .unwrap_or("(no name)")
            .to_string();
        let strict = |e: toml::de::Error| {
            format!(
                "[[directories]] {name} (kind = {}): {}",
                serde_json::to_string(&raw.kind).unwrap_or_default(),
                e.message()
            )
        };
        let connector = match raw.kind {
            DirectoryKind::Ldap => ConnectorConfig::Ldap(keys.try_into().map_err(strict)?),
            DirectoryKind::Graph => ConnectorConfig::Graph(keys.try_into().map_err(strict)?),
            DirectoryKind::Agent => ConnectorConfig::Agent(keys.try_into().map_err(strict)?),
            // The in-memory directory resets nothing real and lets anyone with a token "reset" its
            // demo accounts: `passdesk demo` and the tests build it themselves, a config cannot.
            DirectoryKind::Sandbox => {
                return Err(format!(
                    "[[directories]] {name}: kind = \"sandbox\" is the in-memory demo directory of \
                     `passdesk demo` and the tests, not for `passdesk serve`; use kind = \"ldap\", \
                     \"graph\" or \"agent\""
                ))
            }
        };
        Ok(Self {
            companies: raw.companies,
            verification: raw.verification,
            verification_methods: raw.verification_methods,
            trust_connectwise_contact_points: raw.trust_connectwise_contact_points,
            connector,
        })
    }
}

/// The connector of a `[[directories]]` entry, by its `kind`.
#[derive(Debug)]
pub enum ConnectorConfig {
    /// Active Directory / Samba over LDAPS or StartTLS.
    Ldap(LdapDirectoryConfig),
    /// Entra ID over Microsoft Graph.
    Graph(GraphDirectoryConfig),
    /// A customer's AD reached through its site agent.
    Agent(AgentDirectoryConfig),
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
        config.base_dir = base.to_path_buf();
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
    /// company is mapped to at most one Entra and one on-premises directory (a hybrid customer:
    /// accounts synced from the AD are reset there).
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
            let on_premises = d.kind().is_on_premises();
            for c in &d.companies {
                let slot = (c.to_ascii_lowercase(), on_premises);
                if let Some(other) = companies.insert(slot, name.to_string()) {
                    let what = if on_premises { "on-premises" } else { "Entra" };
                    anyhow::bail!(
                        "company {c} is mapped to two {what} directories, {other} and {name}"
                    );
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
    /// The directory's caller-verification settings.
    pub fn directory_verification(&self) -> crate::verification::DirectoryVerification {
        let defaults = crate::verification::DirectoryVerification::default();
        crate::verification::DirectoryVerification {
            mode: self.verification,
            methods: self
                .verification_methods
                .clone()
                .unwrap_or(defaults.methods),
            trust_connectwise_contact_points: self.trust_connectwise_contact_points,
        }
    }

    /// The connector's kind.
    pub fn kind(&self) -> DirectoryKind {
        match &self.connector {
            ConnectorConfig::Ldap(_) => DirectoryKind::Ldap,
            ConnectorConfig::Graph(_) => DirectoryKind::Graph,
            ConnectorConfig::Agent(_) => DirectoryKind::Agent,
        }
    }

    /// The configured name.
    pub fn name(&self) -> &str {
        match &self.connector {
            ConnectorConfig::Ldap(c) => &c.name,
            ConnectorConfig::Graph(c) => &c.name,
            ConnectorConfig::Agent(c) => &c.name,
        }
    }
}

/// Builds the connectors (no network yet: LDAP binds on its first operation; `agent` directories call
/// through `agents`).
pub fn build_directories(
    configs: &[DirectoryConfig],
    agents: &Arc<AgentHub>,
) -> anyhow::Result<Directories> {
    let mut entries = Vec::new();
    for d in configs {
        let directory: Arc<dyn crate::directory::Directory> = match &d.connector {
            ConnectorConfig::Ldap(c) => {
                Arc::new(LdapDirectory::new(c.clone()).map_err(|e| anyhow::anyhow!("{e}"))?)
            }
            ConnectorConfig::Graph(c) => {
                Arc::new(GraphDirectory::new(c.clone()).map_err(|e| anyhow::anyhow!("{e}"))?)
            }
            ConnectorConfig::Agent(c) => Arc::new(AgentDirectory::new(c.clone(), agents.clone())),
        };
        entries.push(DirectoryEntry {
            verification: d.directory_verification(),
            kind: d.kind(),
            companies: d.companies.clone(),
            company_ids: Vec::new(),
            directory,
        });
    }
    Ok(Directories::new(entries))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("../../config.example.toml");

    fn parse(text: &str) -> Result<Config, String> {
        toml::from_str::<Config>(text).map_err(|e| e.to_string())
    }

    #[test]
    fn the_example_parses_with_every_kind() {
        let config = parse(EXAMPLE).expect("config.example.toml is valid");
        let kinds: Vec<&str> = config
            .directories
            .iter()
            .map(|d| match d.connector {
                ConnectorConfig::Ldap(_) => "ldap",
                ConnectorConfig::Graph(_) => "graph",
                ConnectorConfig::Agent(_) => "agent",
            })
            .collect();
        assert_eq!(kinds, ["ldap", "graph", "agent"]);
    }

    /// The demo directory is refused in a config, naming the directory and what to use instead.
    #[test]
    fn a_sandbox_directory_is_refused() {
        let at = EXAMPLE.find("kind = \"agent\"").unwrap();
        let mut text = EXAMPLE.to_string();
        text.insert_str(
            at,
            "kind = \"sandbox\"\nname = \"demo-directory\"\ncompanies = [\"DemoCo\"]\n\n[[directories]]\n",
        );
        let err = parse(&text).expect_err("sandbox refused");
        assert!(
            err.contains("demo-directory")
                && err.contains("kind = \"sandbox\" is the in-memory demo directory")
                && err.contains("not for `passdesk serve`"),
            "{err}"
        );
    }

    /// One typo per section: the error names the key (and the directory), nothing is ignored.
    #[test]
    fn a_misspelt_key_is_an_error_that_names_it() {
        let cases = [
            (
                "privileged_groups =",
                "privileged_group =",
                "privileged_group",
                "contoso-ad",
            ),
            (
                "assumed_policy =",
                "assumed_polcy =",
                "assumed_polcy",
                "contoso-ad",
            ),
            (
                "custom_terms =",
                "custom_term =",
                "custom_term",
                "fabrikam-m365",
            ),
            (
                "private_key_env =",
                "privat_key_env =",
                "privat_key_env",
                "unknown field",
            ),
        ];
        for (from, to, key, place) in cases {
            assert!(EXAMPLE.contains(from), "{from} not in the example");
            let err = parse(&EXAMPLE.replacen(from, to, 1)).expect_err(key);
            assert!(err.contains(key), "{key}: {err}");
            assert!(err.contains(place), "{key} should name {place}: {err}");
        }
        // Every connector is strict, including the one without secrets.
        let at = EXAMPLE.find("kind = \"agent\"").unwrap();
        let mut text = EXAMPLE.to_string();
        text.insert_str(at, "allow_privilegd = true\n");
        let err = parse(&text).expect_err("agent");
        assert!(err.contains("allow_privilegd"), "agent: {err}");
        let err = parse(&EXAMPLE.replacen("kind = \"graph\"", "kind = \"kerberos\"", 1))
            .expect_err("unknown kind");
        assert!(err.contains("kerberos"), "{err}");
    }
}
