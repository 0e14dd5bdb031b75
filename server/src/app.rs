//! The one composition root: `start(parts)` wires the flow, the outbox worker, the agent hub and
//! the listener, for `passdesk serve`, `passdesk demo` and the tests alike.
use std::{net::SocketAddr, sync::Arc, time::Duration};

use anyhow::Context as _;
use axum::Router;
use tokio::{sync::oneshot, task::JoinHandle};
use tokio_rustls::TlsAcceptor;

use crate::{
    agent::hub::{self, AgentHub},
    listener::{self, Limits},
    store::Store,
    ticket_flow::{
        directories::Directories,
        notes::{NoteSettings, OutboxWorker},
        tickets::TicketSystem,
        Services,
    },
};

/// Longest a request handler may run (a reset's directory call is bounded well below this).
pub const HANDLER_TIMEOUT: Duration = Duration::from_secs(60);
/// Most API requests handled at once; more wait their turn.
pub const MAX_CONCURRENT_REQUESTS: usize = 256;

/// What the backend is made of.
pub struct Parts {
    /// Database.
    pub store: Store,
    /// ConnectWise (or a stand-in).
    pub tickets: Arc<dyn TicketSystem>,
    /// Directories (`agent` ones built with [`Parts::agents`]).
    pub directories: Directories,
    /// The site agents' hub.
    pub agents: Arc<AgentHub>,
    /// Note text and retry timing.
    pub notes: NoteSettings,
    /// Where to listen (bound by the caller, which may need the port first).
    pub listener: tokio::net::TcpListener,
    /// TLS, when the backend terminates it itself.
    pub tls: Option<TlsAcceptor>,
    /// Connection limits.
    pub limits: Limits,
    /// Routes served beside the API (`passdesk demo`: the ticket pages and the ConnectWise sandbox).
    pub extra_routes: Option<Router>,
    /// Caller verification providers (`Default`: none configured).
    pub verification: crate::verification::Verification,
    /// Extension installs whose pages may call the API cross-origin (`cors_extension_ids`).
    pub cors: Vec<crate::http::cors::ExtensionOrigin>,
}

/// Maps the configured company identifiers to ConnectWise record ids once, at startup: tickets
/// are then matched by id, so renaming or reusing an identifier never moves a customer's tickets to
/// another directory. An identifier ConnectWise does not have stops the start with its name.
async fn resolve_companies(
    directories: Directories,
    tickets: &dyn TicketSystem,
) -> anyhow::Result<Directories> {
    let mut ids = std::collections::HashMap::new();
    for identifier in directories.company_identifiers() {
        match tickets.company_id(&identifier).await {
            Ok(Some(id)) => {
                ids.insert(identifier.trim().to_lowercase(), id);
            }
            Ok(None) => {}
            Err(e) => anyhow::bail!("cannot look up the ConnectWise company \"{identifier}\": {e}"),
        }
    }
    Ok(directories.with_company_ids(&ids)?)
}

/// A running backend; [`Running::shutdown`] stops it cleanly.
pub struct Running {
    /// The bound address.
    pub addr: SocketAddr,
    /// The flow's services (tests read the database through them).
    pub services: Arc<Services>,
    stop: oneshot::Sender<()>,
    server: JoinHandle<()>,
    worker: OutboxWorker,
    revocations: JoinHandle<()>,
}

/// Starts everything and returns once the listener accepts connections.
pub async fn start(parts: Parts) -> anyhow::Result<Running> {
    // No company is mapped until ConnectWise has named their record ids (below).
    let services = Services::new(
        parts.store,
        parts.tickets,
        Directories::default(),
        parts.notes,
        parts.agents.clone(),
        parts.verification,
    );
    crate::ticket_flow::password::answer_interrupted(&services)
        .await
        .context("cannot read the idempotency keys")?;
    let listener = parts.listener;
    let addr = listener.local_addr()?;
    let worker = OutboxWorker::spawn(services.clone());
    let revocations = hub::watch_revocations(parts.agents.clone(), services.store.pool().clone());

    let mut app = crate::http::app(services.clone(), &parts.cors);
    if let Some(extra) = parts.extra_routes {
        app = app.merge(extra);
    }
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONCURRENT_REQUESTS));
    let app = app
        .layer(axum::middleware::from_fn(
            move |req, next: axum::middleware::Next| {
                let slots = slots.clone();
                async move {
                    // One semaphore for the whole API (a per-route layer would give each route its own).
                    let _slot = slots.acquire_owned().await;
                    next.run(req).await
                }
            },
        ))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            HANDLER_TIMEOUT,
        ));
    let (stop, stopped) = oneshot::channel::<()>();
    let agents = parts.agents.clone();
    let server = tokio::spawn(listener::serve(
        listener,
        app,
        parts.tls,
        parts.limits,
        async move {
            let _ = stopped.await;
            // Agent connections never end by themselves: close them so the drain can finish.
            agents.disconnect_all();
        },
        Duration::from_secs(5),
    ));
    let running = Running {
        addr,
        services,
        stop,
        server,
        worker,
        revocations,
    };
    // After the listener is up: `passdesk demo` and the tests serve ConnectWise from it. Until this
    // returns, no company is mapped (a context says NO_DIRECTORY), and `start` has not returned.
    match resolve_companies(parts.directories, running.services.tickets.as_ref()).await {
        Ok(resolved) => {
            running.services.set_directories(resolved);
            Ok(running)
        }
        Err(e) => {
            running.shutdown().await;
            Err(e)
        }
    }
}

impl Running {
    /// Stops accepting, lets requests in flight finish, stops the outbox worker, closes the DB.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        let _ = self.server.await;
        self.revocations.abort();
        self.worker.shutdown().await;
        self.services.store.close().await;
    }
}
