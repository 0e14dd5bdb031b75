//! 10 000 idle site agents on one backend: a real `passdesk serve` process, and a load generator
//! that speaks the agent protocol (WebSocket upgrade with a credential, answers pings) over
//! loopback. Reports the backend's resident memory once all are connected, and whether every agent
//! was still seen within two heartbeats after three heartbeat intervals.
//!
//! Run with `make bench-agents` (raises the open-file limit to the hard limit first; 10 000 agents need ~10 100). `AGENTS=N` changes the count.
#![allow(clippy::unwrap_used)]
use std::{
    path::Path,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use futures_util::StreamExt as _;
use passdesk_server::{
    agent::protocol::CONNECT_PATH,
    store::{agents, Store},
};
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

const HEARTBEAT_SECS: u64 = 5;

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn write_config(dir: &Path, port: u16) -> std::path::PathBuf {
    let path = dir.join("passdesk.toml");
    std::fs::write(
        &path,
        format!(
            r#"
listen = "127.0.0.1:{port}"
database_url = "fleet.db"
[connectwise]
base_url = "http://127.0.0.1:9/unused"
company_id = "x"
public_key = "x"
private_key = "x"
client_id = "x"
[agents]
heartbeat_secs = {HEARTBEAT_SECS}
"#
        ),
    )
    .unwrap();
    path
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return; // `cargo test --benches` / `cargo bench -- --list`: nothing to list
    }
    let count: usize = std::env::var("AGENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let tmp = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = write_config(tmp.path(), port);

    let t0 = Instant::now();
    let store = Store::open(&tmp.path().join("fleet.db").to_string_lossy())
        .await
        .unwrap();
    let mut credentials = Vec::with_capacity(count);
    for i in 0..count {
        let code = agents::enroll(store.pool(), &format!("fleet-{i}"))
            .await
            .unwrap();
        let (_, credential) = agents::join(store.pool(), &code).await.unwrap().unwrap();
        credentials.push(credential.to_string());
    }
    store.close().await;
    eprintln!(
        "enrolled {count} agents in {:.1} s",
        t0.elapsed().as_secs_f64()
    );

    let mut serve = Command::new(env!("CARGO_BIN_EXE_passdesk"))
        .args(["serve", "--config"])
        .arg(&config)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = serve.id();
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let idle_rss = rss_kib(pid);

    let t1 = Instant::now();
    let mut tasks = Vec::with_capacity(count);
    for (i, credential) in credentials.into_iter().enumerate() {
        let mut request = format!("ws://127.0.0.1:{port}{CONNECT_PATH}")
            .into_client_request()
            .unwrap();
        request.headers_mut().insert(
            "authorization",
            format!("Bearer {credential}").parse().unwrap(),
        );
        let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .unwrap();
        let (mut socket, _) = tokio_tungstenite::client_async(request, tcp)
            .await
            .unwrap_or_else(|e| panic!("agent {i}: {e}"));
        // Reading is enough: tungstenite answers each ping with a pong.
        tasks.push(tokio::spawn(async move {
            while let Some(Ok(_)) = socket.next().await {}
        }));
    }
    let connect_s = t1.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let connected_rss = rss_kib(pid);
    eprintln!(
        "{count} agents connected in {connect_s:.1} s; backend RSS {:.1} MiB idle -> {:.1} MiB with all connected ({:.1} KiB per agent)",
        idle_rss as f64 / 1024.0,
        connected_rss as f64 / 1024.0,
        (connected_rss.saturating_sub(idle_rss)) as f64 / count as f64
    );

    // Three heartbeat intervals: every agent must have been seen within the last two.
    tokio::time::sleep(Duration::from_secs(3 * HEARTBEAT_SECS)).await;
    let token = {
        let out = Command::new(env!("CARGO_BIN_EXE_passdesk"))
            .args(["token", "create", "--name", "bench", "--config"])
            .arg(&config)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let body: serde_json::Value = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/api/v1/agents"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let now = chrono::Utc::now();
    let list = body["agents"].as_array().cloned().unwrap_or_default();
    let connected = list.iter().filter(|a| a["connected"] == true).count();
    let fresh = list
        .iter()
        .filter(|a| {
            a["last_seen"]
                .as_str()
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .is_some_and(|t| {
                    (now - t.with_timezone(&chrono::Utc)).num_seconds() <= 2 * HEARTBEAT_SECS as i64
                })
        })
        .count();
    eprintln!(
        "after {}s: {connected}/{count} still connected, {fresh}/{count} seen within 2 heartbeats; backend RSS {:.1} MiB",
        3 * HEARTBEAT_SECS,
        rss_kib(pid) as f64 / 1024.0
    );
    let _ = serve.kill();
    let _ = serve.wait();
    for t in tasks {
        t.abort();
    }
}
