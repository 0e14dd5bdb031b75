//! Shared harness of the `api_*` tests: the whole backend as `passdesk demo` builds it (SQLite file,
//! the ConnectWise sandbox on the same 127.0.0.1:0 listener talked to by the real client, the
//! sandbox directory), driven over real HTTP.
#![allow(dead_code, clippy::unwrap_used)]
use std::{
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};

use passdesk_server::{
    connectwise::{sandbox::Sandbox, TicketKind},
    demo::{self, DemoOptions, RunningDemo, TicketsWrapper},
    ticket_flow::notes::NoteSettings,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Retries fast so outbox tests take well under a second per attempt.
pub fn fast_notes() -> NoteSettings {
    NoteSettings {
        post_timeout: Duration::from_secs(3),
        retry_base: Duration::from_millis(50),
        retry_cap: Duration::from_millis(300),
        ..NoteSettings::default()
    }
}

/// A running backend plus an HTTP client.
pub struct TestApp {
    pub demo: RunningDemo,
    pub http: reqwest::Client,
    pub data_dir: PathBuf,
    _tmp: Option<tempfile::TempDir>,
}

impl TestApp {
    /// A fresh backend in a new temporary folder.
    pub async fn start() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let mut app = Self::start_in(&dir, None, None).await;
        app._tmp = Some(tmp);
        app
    }

    /// A fresh backend whose demo options `adjust` changes first (verification providers, ...).
    pub async fn start_with(adjust: impl FnOnce(&mut DemoOptions)) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let mut opts = DemoOptions::new("127.0.0.1:0".parse().unwrap(), tmp.path().to_path_buf());
        opts.notes = fast_notes();
        adjust(&mut opts);
        let demo = demo::start(opts).await.expect("backend starts");
        Self {
            demo,
            http: reqwest::Client::new(),
            data_dir: tmp.path().to_path_buf(),
            _tmp: Some(tmp),
        }
    }

    /// A backend on the SQLite file in `dir`, optionally reusing a ConnectWise sandbox and
    /// wrapping the ConnectWise client.
    pub async fn start_in(
        dir: &Path,
        sandbox: Option<Sandbox>,
        wrapper: Option<TicketsWrapper>,
    ) -> Self {
        let mut opts = DemoOptions::new("127.0.0.1:0".parse().unwrap(), dir.to_path_buf());
        opts.notes = fast_notes();
        opts.sandbox = sandbox;
        opts.tickets_wrapper = wrapper;
        let demo = demo::start(opts).await.expect("backend starts");
        Self {
            demo,
            http: reqwest::Client::new(),
            data_dir: dir.to_path_buf(),
            _tmp: None,
        }
    }

    pub fn token(&self) -> &str {
        &self.demo.info.token
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.demo.info.api, path)
    }

    pub fn sandbox(&self) -> &Sandbox {
        &self.demo.sandbox
    }

    /// GET with the demo token.
    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let r = self
            .http
            .get(self.url(path))
            .bearer_auth(self.token())
            .send()
            .await
            .unwrap();
        read(r).await
    }

    /// POST JSON with the demo token.
    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let r = self
            .http
            .post(self.url(path))
            .bearer_auth(self.token())
            .json(&body)
            .send()
            .await
            .unwrap();
        read(r).await
    }

    /// POST a reset of a service ticket.
    /// Resets the account the service ticket's context shows, as the panel does.
    pub async fn reset(&self, ticket: u64, password: &str, key: &str) -> (StatusCode, Value) {
        let account_id = self.account_id(ticket).await;
        self.post(
            &format!("/api/v1/tickets/{ticket}/reset"),
            json!({"password": password, "temporary": true, "idempotency_key": key, "account_id": account_id}),
        )
        .await
    }

    /// `account.id` of the service ticket's context ("" when it shows none).
    pub async fn account_id(&self, ticket: u64) -> String {
        let (_, ctx) = self.get(&format!("/api/v1/tickets/{ticket}/context")).await;
        ctx["account"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Notes of a ticket as the sandbox holds them.
    pub fn notes(&self, kind: TicketKind, ticket: u64) -> Vec<Value> {
        self.sandbox().notes(kind, ticket)
    }

    /// Every audit row through the API.
    pub async fn audit(&self, query: &str) -> Vec<Value> {
        let (status, body) = self.get(&format!("/api/v1/audit{query}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["entries"].as_array().unwrap().clone()
    }

    pub async fn shutdown(self) {
        self.demo.shutdown().await;
    }

    /// Shuts down but keeps the temporary data folder (returned) for inspection.
    pub async fn shutdown_keeping_data(self) -> Option<tempfile::TempDir> {
        self.demo.shutdown().await;
        self._tmp
    }
}

/// Status + JSON body (Null when the body is not JSON).
pub async fn read(r: reqwest::Response) -> (StatusCode, Value) {
    let status = r.status();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// A password the seeded Windows policy accepts for every demo account.
pub fn good_password(tag: &str) -> String {
    format!("Vx7#q{tag}-Lmz")
}

/// Polls `check` every 20 ms until it is true or `timeout` passes.
pub async fn wait_until<F: Fn() -> bool>(timeout: Duration, check: F) -> bool {
    let deadline = tokio::time::Instant::now() + timeout;
    while tokio::time::Instant::now() < deadline {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    check()
}

/// Wrapper type re-exported for tests that build one.
pub fn wrapper<F>(f: F) -> TicketsWrapper
where
    F: Fn(
            Arc<dyn passdesk_server::ticket_flow::tickets::TicketSystem>,
        ) -> Arc<dyn passdesk_server::ticket_flow::tickets::TicketSystem>
        + Send
        + Sync
        + 'static,
{
    Arc::new(f)
}

/// Every route of the router, read from its source (src/http.rs) so that no test keeps its own
/// copy: (method function as written, `get` / `post` / `any`; path as served). A path given as a
/// constant is resolved to the constant's value.
pub fn router_routes() -> Vec<(String, String)> {
    use passdesk_server::agent::protocol::{CONNECT_PATH, JOIN_PATH};
    let source = include_str!("../../src/http.rs");
    let routes: Vec<(String, String)> = source
        .split(".route(")
        .skip(1)
        .map(|rest| {
            let (path, handler) = rest.split_once(',').unwrap();
            let method = handler.trim().split('(').next().unwrap().trim();
            let path = path.trim();
            let path = match path {
                "crate::agent::protocol::JOIN_PATH" => JOIN_PATH.to_string(),
                "crate::agent::protocol::CONNECT_PATH" => CONNECT_PATH.to_string(),
                quoted if quoted.starts_with('"') && quoted.ends_with('"') => {
                    quoted.trim_matches('"').to_string()
                }
                other => panic!("router_routes: add the value of {other} here"),
            };
            assert!(
                ["get", "post", "any"].contains(&method),
                "router_routes: {path} is served by {method}(...); teach router_routes it"
            );
            (method.to_string(), path)
        })
        .collect();
    assert!(routes.len() >= 10, "{routes:?}");
    routes
}
