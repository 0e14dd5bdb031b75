//! The backend's side of the agent protocol, in-process: a scripted agent (a real WebSocket client
//! speaking the frames of src/agent/protocol.rs, answering from the demo directory with the agent's
//! own `answer` function) drives what a real agent can't be made to do on cue — drop the connection
//! while a reset is in flight, answer too late, or come with a wrong credential.
#![allow(clippy::unwrap_used)]
use std::{sync::Arc, time::Duration};

use axum::Router;
use futures_util::{SinkExt as _, StreamExt as _};
use passdesk_server::{
    agent::{
        hub::{AgentHub, HubSettings},
        protocol::{AgentFrame, Operation, ServerFrame, CONNECT_PATH},
        site::answer::answer,
    },
    app::{self, Parts, Running},
    connectwise::{
        client::{default_api_version, ConnectWiseClient, ConnectWiseConfig},
        sandbox::{Sandbox, SandboxCredentials},
    },
    demo::CONNECTWISE_MOUNT,
    directory::{
        agent::{AgentDirectory, AgentDirectoryConfig},
        sandbox::SandboxDirectory,
    },
    listener::Limits,
    store::{agents, tokens, Store},
    ticket_flow::{
        directories::{Directories, DirectoryEntry, DirectoryKind},
        notes::NoteSettings,
    },
};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::{client::IntoClientRequest as _, Message};

const AGENT: &str = "scripted-1";
const TICKET: u64 = 1001;

struct Backend {
    api: String,
    addr: std::net::SocketAddr,
    token: String,
    credential: String,
    running: Running,
    http: reqwest::Client,
    _tmp: tempfile::TempDir,
}

async fn start(request_timeout: Duration) -> Backend {
    start_with(request_timeout, Limits::default()).await
}

async fn start_with(request_timeout: Duration, limits: Limits) -> Backend {
    let tmp = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let api = format!("http://{addr}");
    let sandbox = Sandbox::seeded_demo(SandboxCredentials::generate("passdesk_agent_test"));
    let c = sandbox.credentials();
    let client = ConnectWiseClient::new(&ConnectWiseConfig {
        base_url: format!("{api}{CONNECTWISE_MOUNT}"),
        company_id: c.company_id.clone(),
        public_key: c.public_key.clone(),
        private_key: Some(c.private_key.clone()),
        private_key_env: None,
        client_id: c.client_id.clone(),
        api_version: default_api_version(),
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let hub = AgentHub::new(HubSettings {
        heartbeat: Duration::from_secs(1),
        request_timeout,
    });
    let directories = Directories::new(vec![DirectoryEntry {
        verification: Default::default(),
        kind: DirectoryKind::Agent,
        companies: vec!["Contoso".into()],
        company_ids: Vec::new(),
        directory: Arc::new(AgentDirectory::new(
            AgentDirectoryConfig {
                name: "contoso-site".into(),
                agent: AGENT.into(),
                allow_privileged: false,
            },
            hub.clone(),
        )),
    }]);
    let store = Store::open(&tmp.path().join("passdesk.db").to_string_lossy())
        .await
        .unwrap();
    let token = tokens::create(store.pool(), "Agent Tester")
        .await
        .unwrap()
        .token;
    let code = agents::enroll(store.pool(), AGENT).await.unwrap();
    let (_, credential) = agents::join(store.pool(), &code).await.unwrap().unwrap();
    let running = app::start(Parts {
        store,
        tickets: Arc::new(client),
        directories,
        agents: hub,
        notes: NoteSettings::default(),
        listener,
        tls: None,
        limits,
        extra_routes: Some(Router::new().nest(CONNECTWISE_MOUNT, sandbox.router())),
        verification: Default::default(),
        cors: Vec::new(),
    })
    .await
    .unwrap();
    Backend {
        api,
        addr,
        token,
        credential: credential.to_string(),
        running,
        http: reqwest::Client::new(),
        _tmp: tmp,
    }
}

/// How the scripted agent behaves.
#[derive(Clone, Copy)]
enum Script {
    /// Answers every read; drops the connection when asked to reset.
    DropOnReset,
    /// Answers everything this late.
    Late(Duration),
}

type Socket = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

async fn dial(
    b: &Backend,
    credential: &str,
) -> Result<Socket, tokio_tungstenite::tungstenite::Error> {
    let mut request = format!("ws://{}{CONNECT_PATH}", b.addr)
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "authorization",
        format!("Bearer {credential}").parse().unwrap(),
    );
    let tcp = tokio::net::TcpStream::connect(b.addr).await.unwrap();
    tokio_tungstenite::client_async(request, tcp)
        .await
        .map(|(s, _)| s)
}

async fn scripted_agent(mut socket: Socket, script: Script) {
    let directory = SandboxDirectory::seeded_demo("site");
    while let Some(Ok(frame)) = socket.next().await {
        let Message::Text(text) = frame else { continue };
        let Ok(ServerFrame::Request { id, op, .. }) = serde_json::from_str(text.as_str()) else {
            continue;
        };
        match script {
            Script::DropOnReset if matches!(*op, Operation::ResetPassword { .. }) => return,
            Script::Late(delay) => tokio::time::sleep(delay).await,
            Script::DropOnReset => {}
        }
        let result = answer(&directory, *op).await;
        let reply = serde_json::to_string(&AgentFrame::Response { id, result }).unwrap();
        if socket.send(Message::Text(reply.into())).await.is_err() {
            return;
        }
    }
}

impl Backend {
    async fn connect_agent(&self, script: Script) {
        let socket = dial(self, &self.credential)
            .await
            .expect("the agent is accepted");
        tokio::spawn(scripted_agent(socket, script));
        for _ in 0..100 {
            if !self.running.services.agents.live().is_empty() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("the scripted agent never showed as connected");
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut r = self
            .http
            .request(method, format!("{}{path}", self.api))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            r = r.json(&body);
        }
        let r = r.send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }
}

#[tokio::test]
async fn a_reset_cut_off_by_a_dropped_agent_connection_is_interrupted_and_never_retried() {
    let b = start(Duration::from_secs(10)).await;
    b.connect_agent(Script::DropOnReset).await;
    let (status, ctx) = b
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/tickets/{TICKET}/context"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{ctx}");
    assert_eq!(ctx["can_reset"], true, "{ctx}");
    let body = json!({"password": "Vx7#qDemo-Lmz", "temporary": true, "idempotency_key": "cut-1",
        "account_id": ctx["account"]["id"]});
    let (status, first) = b
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/tickets/{TICKET}/reset"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(status, 409, "{first}");
    assert_eq!(first["error"]["code"], "RESET_INTERRUPTED", "{first}");
    assert!(
        first["error"]["message"]
            .as_str()
            .unwrap()
            .contains("unknown"),
        "{first}"
    );
    // The same key replays the answer: PassDesk never sends that reset a second time.
    let (status, again) = b
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/tickets/{TICKET}/reset"),
            Some(body),
        )
        .await;
    assert_eq!(status, 409, "{again}");
    assert_eq!(again["replayed"], true, "{again}");
    let (_, audit) = b.call(reqwest::Method::GET, "/api/v1/audit", None).await;
    let entry = &audit["entries"][0];
    assert_eq!(
        (entry["action"].as_str(), entry["result"].as_str()),
        (Some("reset"), Some("error")),
        "{audit}"
    );
    b.running.shutdown().await;
}

#[tokio::test]
async fn a_late_answer_is_discarded_and_the_context_says_why() {
    let b = start(Duration::from_millis(500)).await;
    b.connect_agent(Script::Late(Duration::from_millis(900)))
        .await;
    let (status, ctx) = b
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/tickets/{TICKET}/context"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{ctx}");
    assert_eq!(ctx["problems"][0]["code"], "DIRECTORY_UNAVAILABLE", "{ctx}");
    assert!(
        ctx["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("no answer within"),
        "{ctx}"
    );
    // The late answer arrives after its call gave up: it is dropped, the connection stays usable.
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(b.running.services.agents.live().len(), 1);
    b.running.shutdown().await;
}

#[tokio::test]
async fn an_unknown_or_revoked_credential_is_refused_at_the_upgrade() {
    let b = start(Duration::from_secs(5)).await;
    let refused = |r: Result<Socket, tokio_tungstenite::tungstenite::Error>| match r {
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => resp.status().as_u16(),
        Err(e) => panic!("{e}"),
        Ok(_) => 0,
    };
    assert_eq!(refused(dial(&b, "pda_made-up").await), 401);
    assert!(agents::revoke(b.running.services.store.pool(), AGENT)
        .await
        .unwrap());
    assert_eq!(refused(dial(&b, &b.credential).await), 401);
    // An agent with no connection: the context says it is not connected, at once.
    let (_, ctx) = b
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/tickets/{TICKET}/context"),
            None,
        )
        .await;
    assert_eq!(ctx["problems"][0]["code"], "DIRECTORY_UNAVAILABLE", "{ctx}");
    assert!(
        ctx["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains(AGENT),
        "{ctx}"
    );
    b.running.shutdown().await;
}

/// Reads until the server closes the connection; how long that took (None: still open at `max`).
async fn closed_within(stream: &mut tokio::net::TcpStream, max: Duration) -> Option<Duration> {
    use tokio::io::AsyncReadExt as _;
    let t0 = std::time::Instant::now();
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout(max.saturating_sub(t0.elapsed()), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return Some(t0.elapsed()),
            Ok(Ok(_)) => continue,
            Err(_) => return None,
        }
    }
}

#[tokio::test]
async fn slow_and_idle_clients_are_disconnected() {
    use tokio::io::AsyncWriteExt as _;
    let limits = Limits {
        header_read: Duration::from_secs(1),
        idle: Duration::from_secs(1),
        ..Limits::default()
    };
    let b = start_with(Duration::from_secs(5), limits).await;
    // Slow-loris: a header that trickles in, a byte at a time, never finished.
    let mut slow = tokio::net::TcpStream::connect(b.addr).await.unwrap();
    slow.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let trickle = tokio::spawn(async move {
        for _ in 0..40 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if slow.write_all(b"X").await.is_err() {
                return Some(slow);
            }
        }
        None
    });
    // Idle: connects and never sends a byte.
    let mut idle = tokio::net::TcpStream::connect(b.addr).await.unwrap();
    assert!(
        closed_within(&mut idle, Duration::from_secs(8))
            .await
            .is_some(),
        "idle connection kept open"
    );
    let slow = trickle.await.unwrap();
    assert!(
        slow.is_some(),
        "a trickling header kept the connection open for 8 s"
    );
    // A real request on a fresh connection still works.
    let (status, _) = b.call(reqwest::Method::GET, "/api/v1/me", None).await;
    assert_eq!(status, 200);
    b.running.shutdown().await;
}
