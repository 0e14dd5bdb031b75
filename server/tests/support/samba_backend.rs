//! The whole backend against the Samba test DC (tests/support/samba.rs), assembled like `passdesk
//! serve` does it: the directory from a `[[directories]]` TOML entry with `kind = "ldap"` through
//! `config::build_directories`, ConnectWise as the real client talking to the sandbox mounted on the
//! same 127.0.0.1:0 listener. Used by the API tests (tests/api_samba.rs) and the LDAP benchmark
//! (benches/ldap_context.rs).
#![allow(clippy::unwrap_used)]
use std::{path::Path, sync::Arc, time::Duration};

use axum::Router;
use passdesk_server::{
    agent::hub::{AgentHub, HubSettings},
    app::{self, Parts, Running},
    config::{build_directories, DirectoryConfig},
    connectwise::{
        client::{ConnectWiseClient, ConnectWiseConfig},
        sandbox::Sandbox,
    },
    demo::CONNECTWISE_MOUNT,
    listener::Limits,
    store::{tokens, Store},
    ticket_flow::notes::NoteSettings,
};

use super::samba::{self, BASE_DN, SVC_PASSWORD};
use super::samba_tickets::{seeded_sandbox, COMPANY, TECHNICIAN};

pub const DOMAIN_ADMINS: &str = "CN=Domain Admins,CN=Users,DC=test,DC=lan";

/// The `[[directories]]` entry an operator would write for this DC (TOML, parsed by the real config code).
pub fn directory_toml(ca_file: &Path, service_account: &str) -> String {
    format!(
        r#"
kind = "ldap"
name = "test-samba"
companies = ["{COMPANY}"]
url = "{url}"
bind_dn = 'TEST\{service_account}'
bind_password = "{SVC_PASSWORD}"
base_dn = "{BASE_DN}"
dc = "samba"
ca_file = "{ca}"
privileged_groups = ["{DOMAIN_ADMINS}"]
timeout_secs = 20
"#,
        url = samba::dc().ldaps_url(),
        ca = ca_file.display(),
    )
}

/// The backend on 127.0.0.1:0 with the ConnectWise sandbox under `CONNECTWISE_MOUNT` on the same listener.
pub struct Backend {
    pub api: String,
    pub token: String,
    pub sandbox: Sandbox,
    pub http: reqwest::Client,
    pub running: Running,
    /// How the backend reaches ConnectWise (the bench times the same client's reads alone).
    pub connectwise: ConnectWiseConfig,
    _tmp: tempfile::TempDir,
}

impl Backend {
    pub async fn start() -> Self {
        Self::bound_as("svc-reset").await
    }

    /// The backend with its directory bound as `service_account` (svc-reset has the delegated
    /// rights, svc-limited none: tests/samba/provision-dc.sh).
    pub async fn bound_as(service_account: &str) -> Self {
        let dc = samba::dc();
        let tmp = tempfile::tempdir().unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let api = format!("http://{}", listener.local_addr().unwrap());
        let sandbox = seeded_sandbox();
        let creds = sandbox.credentials();
        let connectwise = ConnectWiseConfig {
            base_url: format!("{api}{CONNECTWISE_MOUNT}"),
            company_id: creds.company_id.clone(),
            public_key: creds.public_key.clone(),
            private_key: Some(creds.private_key.clone()),
            private_key_env: None,
            client_id: creds.client_id.clone(),
            api_version: passdesk_server::connectwise::client::default_api_version(),
        };
        let client = ConnectWiseClient::new(&connectwise)
            .unwrap_or_else(|e| panic!("connectwise client: {e}"));
        let entry: DirectoryConfig =
            toml::from_str(&directory_toml(&dc.ca_file, service_account)).unwrap();
        let agents = AgentHub::new(HubSettings::default());
        let directories = build_directories(&[entry], &agents).unwrap();
        let store = Store::open(&tmp.path().join("passdesk.db").to_string_lossy())
            .await
            .unwrap();
        let token = tokens::create(store.pool(), TECHNICIAN)
            .await
            .unwrap()
            .token;
        // Fast retries: a note that fails once must not stall the test.
        let notes = NoteSettings {
            post_timeout: Duration::from_secs(5),
            retry_base: Duration::from_millis(50),
            retry_cap: Duration::from_millis(300),
            ..NoteSettings::default()
        };
        let running = app::start(Parts {
            store,
            tickets: Arc::new(client),
            directories,
            agents,
            notes,
            listener,
            tls: None,
            limits: Limits::default(),
            extra_routes: Some(Router::new().nest(CONNECTWISE_MOUNT, sandbox.router())),
            verification: Default::default(),
            cors: Vec::new(),
        })
        .await
        .unwrap();
        Self {
            api,
            token,
            sandbox,
            http: reqwest::Client::new(),
            running,
            connectwise,
            _tmp: tmp,
        }
    }
}
