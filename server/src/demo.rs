//! `passdesk demo`: the whole backend on one listener with no outside system — a SQLite file, the
//! ConnectWise sandbox under `/cw/v4_6_release/apis/3.0` (talked to by the real ConnectWise client,
//! over HTTP), the sandbox directory, the demo ticket pages and a fresh technician token.
use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    path::PathBuf,
    sync::Arc,
};

use anyhow::Context as _;
use serde_json::json;

use crate::{
    agent::hub::{AgentHub, HubSettings},
    app::{self, Parts, Running},
    connectwise::{
        client::{ConnectWiseClient, ConnectWiseConfig},
        sandbox::{Sandbox, SandboxCredentials},
    },
    directory::sandbox::SandboxDirectory,
    listener::Limits,
    store::{tokens, Store},
    ticket_flow::{
        directories::{Directories, DirectoryEntry, DirectoryKind},
        notes::NoteSettings,
        tickets::TicketSystem,
        Services,
    },
    verification::{
        config::VerificationConfig,
        providers::{
            duo::{DuoConfig, DuoPush},
            twilio::{SmsConfig, TwilioSender},
        },
        simulators::{
            duo::{DuoScript, DuoSim},
            twilio::TwilioSim,
        },
        DirectoryVerification, Verification,
    },
};

/// Where the Twilio simulator is mounted.
pub const TWILIO_MOUNT: &str = "/sim/twilio";
/// Where the Duo simulator is mounted.
pub const DUO_MOUNT: &str = "/sim/duo";
/// The host name the Duo simulator signs for.
const DUO_SIM_HOST: &str = "api-demo0000.duosecurity.com";

/// Fresh simulator credentials per run, and providers pointed at them.
fn simulated_providers(
    api: &str,
    verification: &mut Verification,
) -> anyhow::Result<(TwilioSim, DuoSim)> {
    let hex = |n: usize| {
        (0..n)
            .map(|_| char::from_digit(rand::random::<u32>() % 16, 16).unwrap_or('0'))
            .collect::<String>()
    };
    let sid = format!("AC{}", hex(32));
    let token = hex(32);
    let twilio = TwilioSim::new(&sid, &token);
    let ikey = format!("DI{}", hex(18).to_ascii_uppercase());
    let skey = hex(40);
    let duo = DuoSim::new(DUO_SIM_HOST, &ikey, &skey);
    duo.set_user("jsmith", DuoScript::WaitingThenAllow);
    duo.set_user("mjoneil", DuoScript::Allow);
    let name = verification.settings.sender_name.clone();
    if verification.sms.is_none() {
        let cfg = SmsConfig {
            account_sid: sid,
            api_key_sid: None,
            auth_token: Some(crate::directory::secret::Secret::new(token)),
            auth_token_env: None,
            from: "+15005550006".into(),
            api_url: format!("{api}{TWILIO_MOUNT}"),
            timeout_secs: None,
        };
        let sender = TwilioSender::new(&cfg, &name, verification.settings.code_ttl)
            .map_err(|e| anyhow::anyhow!(e))?;
        verification.sms = Some(Arc::new(sender));
    }
    if verification.duo.is_none() {
        let cfg = DuoConfig {
            api_host: DUO_SIM_HOST.into(),
            integration_key: ikey,
            secret_key: Some(crate::directory::secret::Secret::new(skey)),
            secret_key_env: None,
            username_attribute: Default::default(),
            api_url: Some(format!("{api}{DUO_MOUNT}")),
            timeout_secs: None,
        };
        verification.duo = Some(Arc::new(
            DuoPush::new(&cfg, &name).map_err(|e| anyhow::anyhow!(e))?,
        ));
    }
    Ok((twilio, duo))
}

/// Where the sandbox's API root is mounted.
pub const CONNECTWISE_MOUNT: &str = "/cw/v4_6_release/apis/3.0";
/// The ConnectWise company identifier the sandbox directory serves.
pub const DEMO_COMPANY: &str = "Contoso";
/// Name of the demo technician token.
pub const DEMO_TECHNICIAN: &str = "Demo Technician";

/// Wraps the ConnectWise client (a test seam: e.g. start an outage exactly when a note is posted).
pub type TicketsWrapper = Arc<dyn Fn(Arc<dyn TicketSystem>) -> Arc<dyn TicketSystem> + Send + Sync>;

/// How to start the demo.
#[derive(Clone)]
pub struct DemoOptions {
    /// Listen address (`127.0.0.1:0` picks a free port).
    pub listen: SocketAddr,
    /// Folder of the SQLite file.
    pub data_dir: PathBuf,
    /// Note timing (tests shorten the retries).
    pub notes: NoteSettings,
    /// Reuse this ConnectWise sandbox (tests: a restart keeps the same ConnectWise); default a new seeded one.
    pub sandbox: Option<Sandbox>,
    /// Wraps the ConnectWise client before the flow gets it.
    pub tickets_wrapper: Option<TicketsWrapper>,
    /// Agent hub settings (tests shorten the heartbeat).
    pub agents: HubSettings,
    /// Caller verification providers (`[verification]` of a config); none by default.
    pub verification: Option<Arc<VerificationConfig>>,
    /// The demo directory's caller-verification settings.
    pub directory_verification: DirectoryVerification,
    /// SMS and Duo through the built-in Twilio and Duo simulators when `verification` configures
    /// neither (default true).
    pub simulated_providers: bool,
    /// Extension installs whose pages may call the API cross-origin (none by default: the
    /// extension needs no CORS).
    pub cors: Vec<crate::http::cors::ExtensionOrigin>,
    /// Directories served beside the demo one (tests: a hybrid Contoso's Entra tenant).
    pub extra_directories: Vec<DirectoryEntry>,
}

impl DemoOptions {
    /// Defaults for everything but the address and the data folder.
    pub fn new(listen: SocketAddr, data_dir: PathBuf) -> Self {
        Self {
            listen,
            data_dir,
            notes: NoteSettings::default(),
            sandbox: None,
            tickets_wrapper: None,
            agents: HubSettings::default(),
            verification: None,
            directory_verification: DirectoryVerification::default(),
            simulated_providers: true,
            cors: Vec::new(),
            extra_directories: Vec::new(),
        }
    }
}

/// What `passdesk demo` prints. Holds secrets (token, sandbox authorization): no `Debug`.
pub struct DemoInfo {
    /// API root, e.g. `http://127.0.0.1:8080`.
    pub api: String,
    /// Technician token.
    pub token: String,
    /// ConnectWise sandbox API root.
    pub connectwise_base: String,
    /// `Authorization` header for the sandbox.
    pub connectwise_authorization: String,
    /// `clientId` header for the sandbox.
    pub connectwise_client_id: String,
    /// Demo ticket pages.
    pub pages: String,
    /// The built-in Twilio simulator's Messages list and its authorization, when SMS goes there.
    pub twilio: Option<(String, String)>,
}

impl DemoInfo {
    /// The one JSON line of `--json` (docs/api.md).
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "api": self.api,
            "token": self.token,
            "connectwise": {
                "base": self.connectwise_base,
                "authorization": self.connectwise_authorization,
                "client_id": self.connectwise_client_id,
            },
            "pages": self.pages,
            "twilio": self.twilio.as_ref().map(|(messages, authorization)| json!({
                "messages": messages, "authorization": authorization,
            })),
        })
    }
}

/// A running demo; [`RunningDemo::shutdown`] stops it cleanly.
pub struct RunningDemo {
    /// Printed details.
    pub info: DemoInfo,
    /// The bound address.
    pub addr: SocketAddr,
    /// The ConnectWise sandbox (tests inject faults and read notes).
    pub sandbox: Sandbox,
    /// The sandbox directory (tests read its resets).
    pub directory: Arc<SandboxDirectory>,
    /// The flow's services (tests read the database).
    pub services: Arc<Services>,
    /// The Twilio simulator behind the SMS method (tests read its messages).
    pub twilio: TwilioSim,
    /// The Duo simulator behind the push method.
    pub duo: DuoSim,
    running: Running,
}

/// Starts the demo and returns once it answers requests.
pub async fn start(opts: DemoOptions) -> anyhow::Result<RunningDemo> {
    std::fs::create_dir_all(&opts.data_dir)
        .with_context(|| format!("cannot create {}", opts.data_dir.display()))?;
    let listener = tokio::net::TcpListener::bind(opts.listen)
        .await
        .with_context(|| format!("cannot listen on {}", opts.listen))?;
    let addr = listener.local_addr()?;
    // The client must reach the listener even when it is bound to all interfaces.
    let reach = if addr.ip().is_unspecified() {
        SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port())
    } else {
        addr
    };
    let api = format!("http://{reach}");
    let connectwise_base = format!("{api}{CONNECTWISE_MOUNT}");

    // Fresh API-member keys per run: nothing to leak between runs.
    let sandbox = opts
        .sandbox
        .clone()
        .unwrap_or_else(|| Sandbox::seeded_demo(SandboxCredentials::generate("passdesk_demo")));
    let creds = sandbox.credentials();
    let client = ConnectWiseClient::new(&ConnectWiseConfig {
        base_url: connectwise_base.clone(),
        company_id: creds.company_id.clone(),
        public_key: creds.public_key.clone(),
        private_key: Some(creds.private_key.clone()),
        private_key_env: None,
        client_id: creds.client_id.clone(),
        api_version: crate::connectwise::client::default_api_version(),
    })
    .map_err(|e| anyhow::anyhow!("{e}"))?;

    let directory = Arc::new(SandboxDirectory::seeded_demo("contoso-ad"));
    let mut entries = vec![DirectoryEntry {
        kind: DirectoryKind::Sandbox,
        companies: vec![DEMO_COMPANY.to_string()],
        company_ids: Vec::new(),
        directory: directory.clone(),
        verification: opts.directory_verification.clone(),
    }];
    entries.extend(opts.extra_directories.iter().cloned());
    let directories = Directories::new(entries);
    let store = Store::open(&opts.data_dir.join("passdesk.db").to_string_lossy()).await?;
    let token = tokens::create(store.pool(), DEMO_TECHNICIAN)
        .await?
        .token
        .clone();
    let mut tickets: Arc<dyn TicketSystem> = Arc::new(client);
    if let Some(wrap) = &opts.tickets_wrapper {
        tickets = wrap(tickets);
    }
    let mut verification = match &opts.verification {
        Some(cfg) => cfg.build(&opts.data_dir)?,
        None => Verification::default(),
    };
    let sms_simulated = opts.simulated_providers && verification.sms.is_none();
    let (twilio, duo) = if opts.simulated_providers {
        simulated_providers(&api, &mut verification)?
    } else {
        (TwilioSim::new("", ""), DuoSim::new(DUO_SIM_HOST, "", ""))
    };
    let extra = crate::demo_pages::router()
        .nest(CONNECTWISE_MOUNT, sandbox.router())
        .nest(TWILIO_MOUNT, twilio.router())
        .nest(DUO_MOUNT, duo.router());
    let running = app::start(Parts {
        store,
        tickets,
        directories,
        agents: AgentHub::new(opts.agents.clone()),
        notes: opts.notes.clone(),
        listener,
        tls: None,
        limits: Limits::default(),
        extra_routes: Some(extra),
        verification,
        cors: opts.cors.clone(),
    })
    .await?;
    let services = running.services.clone();
    let twilio_info = sms_simulated.then(|| {
        (
            format!("{api}{TWILIO_MOUNT}{}", twilio.messages_path()),
            twilio.authorization(),
        )
    });
    let info = DemoInfo {
        pages: format!("{api}/demo/"),
        api,
        token,
        connectwise_base,
        connectwise_authorization: creds.authorization(),
        connectwise_client_id: creds.client_id,
        twilio: twilio_info,
    };
    Ok(RunningDemo {
        info,
        addr,
        sandbox,
        directory,
        services,
        twilio,
        duo,
        running,
    })
}

impl RunningDemo {
    /// Stops accepting requests, lets running ones finish, stops the outbox worker, closes the DB.
    pub async fn shutdown(self) {
        self.running.shutdown().await;
    }
}
