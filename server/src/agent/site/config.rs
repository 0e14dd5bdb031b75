//! `agent.toml` of `passdesk agent join|run`, and the credential file `join` writes beside it.
//!
//! The `[directory]` table holds the keys of an LDAP `[[directories]]` entry (`kind = "ldap"`, `url`,
//! `bind_dn`, `bind_password_env`, …) without `name` and `companies`, which live on the backend. The
//! bind password stays at the site: nothing of this table is ever sent to the backend.
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::directory::ldap::LdapDirectoryConfig;

/// The whole `agent.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentConfig {
    /// The backend, `https://passdesk.msp.example` (http:// only for loopback tests).
    pub server: String,
    /// PEM with the CA(s) of the backend's certificate. When set, ONLY these are trusted (a
    /// TLS-inspecting middlebox is refused); otherwise the system's trust store.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// `http://proxy:3128` (CONNECT); else `HTTPS_PROXY` / `NO_PROXY` from the environment.
    #[serde(default)]
    pub proxy: Option<String>,
    /// Longest wait between reconnection attempts, seconds (default 60).
    #[serde(default = "default_reconnect_max_secs")]
    pub reconnect_max_secs: u64,
    /// The LDAP connector's keys.
    pub directory: toml::Table,
}

fn default_reconnect_max_secs() -> u64 {
    60
}

/// What `passdesk agent join` stores (mode 0600): never printed, never logged.
#[derive(Serialize, Deserialize)]
pub struct Credential {
    /// The enrolled agent's name.
    pub agent: String,
    /// The backend it was issued by.
    pub server: String,
    /// The bearer secret of the connect upgrade.
    pub credential: Zeroizing<String>,
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("agent", &self.agent)
            .field("server", &self.server)
            .finish_non_exhaustive()
    }
}

/// `agent.toml` → `agent.credential` in the same folder.
pub fn credential_path(config: &Path) -> PathBuf {
    config.with_extension("credential")
}

impl AgentConfig {
    /// Reads and checks `agent.toml`; relative `ca_file`s are relative to its folder.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let mut cfg: AgentConfig = toml::from_str(&text)
            .with_context(|| format!("invalid agent config {}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        if let Some(ca) = &cfg.ca_file {
            if ca.is_relative() {
                cfg.ca_file = Some(base.join(ca));
            }
        }
        check_server_url(&cfg.server)?;
        anyhow::ensure!(
            cfg.reconnect_max_secs >= 1,
            "reconnect_max_secs must be at least 1"
        );
        // Fail at start, not at the first request: the connector's keys must parse.
        cfg.ldap("check")?;
        Ok(cfg)
    }

    /// The `[directory]` table as the LDAP connector's config, named `name` (the agent's name).
    pub fn ldap(&self, name: &str) -> anyhow::Result<LdapDirectoryConfig> {
        let mut table = self.directory.clone();
        match table.remove("kind").as_ref().and_then(|k| k.as_str()) {
            Some("ldap") => {}
            Some(other) => anyhow::bail!(
                "[directory] kind = {other:?}: a site agent serves kind = \"ldap\" only"
            ),
            None => anyhow::bail!("[directory] needs kind = \"ldap\""),
        }
        for key in ["name", "companies"] {
            anyhow::ensure!(
                !table.contains_key(key),
                "[directory] must not set {key}: it lives in the backend's [[directories]] entry of kind \"agent\""
            );
        }
        table.insert("name".into(), toml::Value::String(name.into()));
        let cfg: LdapDirectoryConfig = toml::Value::Table(table)
            .try_into()
            .context("invalid [directory] table")?;
        cfg.validate()
            .map_err(|e| anyhow::anyhow!("[directory]: {e}"))?;
        Ok(cfg)
    }
}

/// `https://…`, or `http://` to a loopback address (tests, a reverse proxy on the same host).
pub fn check_server_url(server: &str) -> anyhow::Result<url::Url> {
    let url =
        url::Url::parse(server).with_context(|| format!("server = {server:?} is not a URL"))?;
    match url.scheme() {
        "https" => {}
        "http" if crate::loopback::is_loopback_host(&url) => {}
        _ => anyhow::bail!(
            "server = {server:?}: the agent talks to the backend over https:// only (http:// for loopback)"
        ),
    }
    anyhow::ensure!(url.host_str().is_some(), "server = {server:?} has no host");
    Ok(url)
}

impl Credential {
    /// Reads the credential file `join` wrote.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = Zeroizing::new(std::fs::read_to_string(path).with_context(|| {
            format!(
                "cannot read {} (run `passdesk agent join` first)",
                path.display()
            )
        })?);
        toml::from_str(&text).with_context(|| format!("{} is damaged; join again", path.display()))
    }

    /// Writes it with mode 0600 (replacing an earlier one atomically).
    pub fn store(&self, path: &Path) -> anyhow::Result<()> {
        let text = Zeroizing::new(toml::to_string(self).context("cannot encode the credential")?);
        let tmp = path.with_extension("credential.tmp");
        let _ = std::fs::remove_file(&tmp);
        {
            use std::io::Write as _;
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt as _;
                options.mode(0o600);
            }
            let mut file = options
                .open(&tmp)
                .with_context(|| format!("cannot create {}", tmp.display()))?;
            file.write_all(text.as_bytes())?;
            file.sync_all()?;
        }
        std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AGENT_TOML: &str = r#"
server = "https://passdesk.msp.example"
ca_file = "backend-ca.pem"
[directory]
kind = "ldap"
url = "ldaps://dc1.contoso.example"
bind_dn = 'CONTOSO\svc-passdesk'
bind_password_env = "CONTOSO_BIND_PW"
base_dn = "DC=contoso,DC=example"
dc = "windows"
"#;

    fn load(text: &str) -> anyhow::Result<AgentConfig> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agent.toml");
        std::fs::write(&path, text).unwrap();
        AgentConfig::load(&path)
    }

    #[test]
    fn readme_example_parses_and_names_the_directory_after_the_agent() {
        let cfg = load(AGENT_TOML).unwrap();
        assert!(cfg.ca_file.unwrap().ends_with("backend-ca.pem"));
        let dir = load(AGENT_TOML).unwrap().ldap("contoso-dc1").unwrap();
        assert_eq!(dir.name, "contoso-dc1");
        assert_eq!(dir.base_dn, "DC=contoso,DC=example");
    }

    #[test]
    fn the_shipped_agent_example_is_valid() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../agent.example.toml");
        let cfg = AgentConfig::load(&path).unwrap();
        assert_eq!(
            cfg.ldap("contoso-dc1").unwrap().url,
            "ldaps://dc1.contoso.example"
        );
    }

    #[test]
    fn backend_side_keys_and_other_kinds_are_refused() {
        let named = AGENT_TOML.replace("kind = \"ldap\"", "kind = \"ldap\"\nname = \"x\"");
        assert!(format!("{:#}", load(&named).unwrap_err()).contains("must not set name"));
        let graph = AGENT_TOML.replace("kind = \"ldap\"", "kind = \"graph\"");
        assert!(format!("{:#}", load(&graph).unwrap_err()).contains("ldap"));
        let plain = AGENT_TOML.replace(
            "https://passdesk.msp.example",
            "http://passdesk.msp.example",
        );
        assert!(format!("{:#}", load(&plain).unwrap_err()).contains("https"));
        let typo = AGENT_TOML.replace("ca_file", "cafile");
        assert!(load(&typo).is_err());
    }

    #[test]
    fn the_credential_file_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = credential_path(&dir.path().join("agent.toml"));
        let cred = Credential {
            agent: "a1".into(),
            server: "https://x".into(),
            credential: Zeroizing::new("pda_secret".into()),
        };
        cred.store(&path).unwrap();
        cred.store(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(
            Credential::load(&path).unwrap().credential.as_str(),
            "pda_secret"
        );
        assert!(!format!("{cred:?}").contains("pda_secret"));
    }
}
