//! What a site agent adds to one directory operation: `find_by_email` answered by the demo
//! directory directly, and the same call through the backend's hub, a real WebSocket on loopback and
//! the real agent run loop (`src/agent/site/run.rs`) answering from the same directory. The
//! difference is the agent hop (framing, JSON, two task switches, the loopback round trip).
#![allow(clippy::unwrap_used)]
use std::{sync::Arc, time::Duration};

use criterion::{criterion_group, criterion_main, Criterion};
use passdesk_server::{
    agent::{
        hub::{AgentHub, HubSettings},
        site::{connect::Dialer, run},
    },
    app::{self, Parts},
    connectwise::client::{default_api_version, ConnectWiseClient, ConnectWiseConfig},
    directory::{
        agent::{AgentDirectory, AgentDirectoryConfig},
        sandbox::SandboxDirectory,
        Directory,
    },
    listener::Limits,
    store::{agents, Store},
    ticket_flow::{directories::Directories, notes::NoteSettings},
};

const EMAIL: &str = "john.smith@contoso.example";

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let direct = Arc::new(SandboxDirectory::seeded_demo("direct"));
    let through_agent = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let store = Store::open(&tmp.path().join("b.db").to_string_lossy())
            .await
            .unwrap();
        let code = agents::enroll(store.pool(), "bench").await.unwrap();
        let (_, credential) = agents::join(store.pool(), &code).await.unwrap().unwrap();
        let hub = AgentHub::new(HubSettings::default());
        // Never called: the benchmark asks the directory only.
        let tickets = ConnectWiseClient::new(&ConnectWiseConfig {
            base_url: format!("http://{addr}/unused"),
            company_id: "x".into(),
            public_key: "x".into(),
            private_key: Some("x".into()),
            private_key_env: None,
            client_id: "x".into(),
            api_version: default_api_version(),
        })
        .unwrap_or_else(|e| panic!("{e}"));
        let running = app::start(Parts {
            store,
            tickets: Arc::new(tickets),
            directories: Directories::default(),
            agents: hub.clone(),
            notes: NoteSettings::default(),
            listener,
            tls: None,
            limits: Limits::default(),
            extra_routes: None,
            verification: Default::default(),
            cors: Vec::new(),
        })
        .await
        .unwrap();
        let server: url::Url = format!("http://{addr}").parse().unwrap();
        let dialer = Dialer::new(&server, None, None).unwrap();
        let site: Arc<dyn Directory> = Arc::new(SandboxDirectory::seeded_demo("site"));
        tokio::spawn(run::run(
            dialer,
            credential,
            site,
            Duration::from_secs(1),
            std::future::pending(),
        ));
        while hub.live().is_empty() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        std::mem::forget(running);
        AgentDirectory::new(
            AgentDirectoryConfig {
                name: "bench-site".into(),
                agent: "bench".into(),
                allow_privileged: false,
            },
            hub,
        )
    });
    let mut group = c.benchmark_group("find_by_email");
    group.bench_function("direct", |b| {
        b.iter(|| rt.block_on(direct.find_by_email(EMAIL)).unwrap())
    });
    group.bench_function("through_agent", |b| {
        b.iter(|| rt.block_on(through_agent.find_by_email(EMAIL)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
