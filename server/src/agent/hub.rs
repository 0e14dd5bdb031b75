//! The backend's side of the site agents: which agents are connected, and one typed call to an agent
//! with an id, a deadline and an answer matched back to it. A dropped connection fails every call in
//! flight at once (writes as "outcome unknown"); an agent that is not connected answers "offline
//! since …" without waiting.
use std::{
    collections::HashMap,
    net::SocketAddr,
    sync::{
        atomic::{AtomicI64, AtomicU64, Ordering},
        Arc, Mutex, PoisonError,
    },
    time::Duration,
};

use axum::extract::ws::{Message, WebSocket};
use chrono::{DateTime, SecondsFormat, Utc};
use futures_util::{SinkExt as _, StreamExt as _};
use serde::Serialize;
use tokio::sync::{mpsc, oneshot, watch};
use zeroize::Zeroizing;

use super::protocol::{AgentFrame, Operation, OperationResult, ServerFrame};
use crate::directory::DirectoryError;

/// Liveness and deadlines of agent connections.
#[derive(Debug, Clone)]
pub struct HubSettings {
    /// The backend pings every agent this often; 3 silent intervals drop the connection.
    pub heartbeat: Duration,
    /// How long a call waits for the agent's answer.
    pub request_timeout: Duration,
}

impl Default for HubSettings {
    fn default() -> Self {
        Self {
            heartbeat: Duration::from_secs(20),
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// What the backend knows of one connected agent (no secret).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LiveAgent {
    /// Enrolled name.
    pub name: String,
    /// RFC 3339.
    pub connected_since: String,
    /// RFC 3339 of the last frame received (pong, answer).
    pub last_seen: String,
    /// Version the agent announced.
    pub version: Option<String>,
    /// The address the connection came from (a NAT or proxy address, typically).
    pub remote_addr: Option<String>,
}

/// All agent connections of this backend instance.
pub struct AgentHub {
    settings: HubSettings,
    started: DateTime<Utc>,
    next_id: AtomicU64,
    next_serial: AtomicU64,
    agents: Mutex<HashMap<String, Slot>>,
}

#[derive(Default)]
struct Slot {
    session: Option<Arc<Session>>,
    offline_since: Option<DateTime<Utc>>,
}

type Pending = HashMap<u64, (bool, oneshot::Sender<OperationResult>)>;

/// One live connection.
struct Session {
    serial: u64,
    connected_since: DateTime<Utc>,
    remote: Option<SocketAddr>,
    version: Option<String>,
    last_seen_ms: AtomicI64,
    outgoing: mpsc::Sender<Zeroizing<String>>,
    pending: Mutex<Pending>,
    close: watch::Sender<Option<&'static str>>,
}

impl Session {
    fn pending(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }
    fn touch(&self) {
        self.last_seen_ms
            .store(Utc::now().timestamp_millis(), Ordering::Relaxed);
    }
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl AgentHub {
    /// An empty hub.
    pub fn new(settings: HubSettings) -> Arc<Self> {
        Arc::new(Self {
            settings,
            started: Utc::now(),
            next_id: AtomicU64::new(1),
            next_serial: AtomicU64::new(1),
            agents: Mutex::new(HashMap::new()),
        })
    }

    /// The liveness settings.
    pub fn settings(&self) -> &HubSettings {
        &self.settings
    }

    fn agents(&self) -> std::sync::MutexGuard<'_, HashMap<String, Slot>> {
        self.agents.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn session(&self, agent: &str) -> Result<Arc<Session>, DirectoryError> {
        let agents = self.agents();
        match agents.get(agent) {
            Some(Slot {
                session: Some(s), ..
            }) => Ok(s.clone()),
            Some(Slot {
                offline_since: Some(since),
                ..
            }) => Err(DirectoryError::Unavailable(format!(
                "the PassDesk agent {agent} is offline since {}",
                since.format("%Y-%m-%d %H:%M UTC")
            ))),
            _ => Err(DirectoryError::Unavailable(format!(
                "the PassDesk agent {agent} has not connected since the backend started ({})",
                self.started.format("%Y-%m-%d %H:%M UTC")
            ))),
        }
    }

    /// Connected agents, by name.
    pub fn live(&self) -> Vec<LiveAgent> {
        let agents = self.agents();
        let mut live: Vec<LiveAgent> = agents
            .iter()
            .filter_map(|(name, slot)| {
                let s = slot.session.as_ref()?;
                let seen = DateTime::from_timestamp_millis(s.last_seen_ms.load(Ordering::Relaxed))
                    .unwrap_or(s.connected_since);
                Some(LiveAgent {
                    name: name.clone(),
                    connected_since: rfc3339(s.connected_since),
                    last_seen: rfc3339(seen),
                    version: s.version.clone(),
                    remote_addr: s.remote.map(|a| a.to_string()),
                })
            })
            .collect();
        live.sort_by(|a, b| a.name.cmp(&b.name));
        live
    }

    /// When the agent went offline (None while connected or if never seen by this instance).
    pub fn offline_since(&self, agent: &str) -> Option<String> {
        self.agents()
            .get(agent)
            .and_then(|s| s.offline_since)
            .map(rfc3339)
    }

    /// Closes the agent's live connection, if any (revocation, shutdown).
    pub fn disconnect(&self, agent: &str, why: &'static str) -> bool {
        let session = self.agents().get(agent).and_then(|s| s.session.clone());
        match session {
            Some(s) => {
                let _ = s.close.send(Some(why));
                true
            }
            None => false,
        }
    }

    /// Closes every live connection (backend shutdown).
    pub fn disconnect_all(&self) {
        for s in self.agents().values().filter_map(|s| s.session.as_ref()) {
            let _ = s.close.send(Some("backend shutting down"));
        }
    }

    /// Names of the connected agents.
    pub fn connected_names(&self) -> Vec<String> {
        self.agents()
            .iter()
            .filter(|(_, s)| s.session.is_some())
            .map(|(n, _)| n.clone())
            .collect()
    }

    /// Runs `op` on the agent and waits for its answer (at most `request_timeout`).
    pub async fn call(
        &self,
        agent: &str,
        op: Operation,
    ) -> Result<OperationResult, DirectoryError> {
        let writes = op.method().writes();
        let session = self.session(agent)?;
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let timeout = self.settings.request_timeout;
        let ttl_ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
        let (tx, rx) = oneshot::channel();
        session.pending().insert(id, (writes, tx));
        let text = {
            let frame = ServerFrame::Request {
                id,
                ttl_ms,
                op: Box::new(op),
            };
            // The frame (and its password) is dropped, zeroized, right after it is serialised.
            Zeroizing::new(
                serde_json::to_string(&frame).map_err(|e| DirectoryError::Other {
                    code: "AGENT_PROTOCOL".into(),
                    message: e.to_string(),
                })?,
            )
        };
        let lost = |why: &str| {
            if writes {
                DirectoryError::OutcomeUnknown(format!(
                    "the connection to the PassDesk agent {agent} was lost ({why})"
                ))
            } else {
                DirectoryError::Unavailable(format!(
                    "the connection to the PassDesk agent {agent} was lost ({why})"
                ))
            }
        };
        if session.outgoing.send(text).await.is_err() {
            session.pending().remove(&id);
            return Err(DirectoryError::Unavailable(format!(
                "the PassDesk agent {agent} just disconnected"
            )));
        }
        match tokio::time::timeout(timeout, rx).await {
            Ok(Ok(result)) => Ok(result),
            Ok(Err(_)) => Err(lost("disconnected before answering")),
            Err(_) => {
                session.pending().remove(&id);
                Err(lost(&format!("no answer within {} s", timeout.as_secs())))
            }
        }
    }

    /// Serves one authenticated agent connection until it ends. A newer connection of the same
    /// agent replaces an older one.
    pub async fn serve(
        self: Arc<Self>,
        agent: String,
        socket: WebSocket,
        remote: Option<SocketAddr>,
        version: Option<String>,
    ) {
        let (outgoing, mut to_send) = mpsc::channel::<Zeroizing<String>>(64);
        let (close, mut closed) = watch::channel(None);
        let session = Arc::new(Session {
            serial: self.next_serial.fetch_add(1, Ordering::Relaxed),
            connected_since: Utc::now(),
            remote,
            version,
            last_seen_ms: AtomicI64::new(Utc::now().timestamp_millis()),
            outgoing,
            pending: Mutex::new(HashMap::new()),
            close,
        });
        let replaced = {
            let mut agents = self.agents();
            let slot = agents.entry(agent.clone()).or_default();
            slot.offline_since = None;
            slot.session.replace(session.clone())
        };
        if let Some(old) = replaced {
            let _ = old.close.send(Some("replaced by a newer connection"));
        }
        tracing::info!(agent = %agent, remote = ?remote, version = ?session.version, "agent connected");

        let (mut sink, mut stream) = socket.split();
        let heartbeat = self.settings.heartbeat;
        let welcome = ServerFrame::Welcome {
            agent: agent.clone(),
            heartbeat_ms: u64::try_from(heartbeat.as_millis()).unwrap_or(u64::MAX),
        };
        let mut reason: String = "the agent closed the connection".into();
        match serde_json::to_string(&welcome) {
            Ok(text) => {
                if let Err(e) = sink.send(Message::Text(text.into())).await {
                    reason = format!("cannot send the welcome: {e}");
                }
            }
            Err(e) => reason = format!("cannot encode the welcome: {e}"),
        }
        let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + heartbeat, heartbeat);
        let silence_ms = i64::try_from(heartbeat.as_millis().saturating_mul(3)).unwrap_or(i64::MAX);
        loop {
            tokio::select! {
                frame = stream.next() => match frame {
                    Some(Ok(Message::Text(text))) => {
                        session.touch();
                        match serde_json::from_str::<AgentFrame>(text.as_str()) {
                            Ok(AgentFrame::Response { id, result }) => {
                                // A late answer (its call timed out) finds no waiter and is dropped.
                                if let Some((_, waiter)) = session.pending().remove(&id) {
                                    let _ = waiter.send(result);
                                }
                            }
                            Err(e) => {
                                reason = format!("the agent sent an unreadable frame: {e}");
                                break;
                            }
                        }
                    }
                    Some(Ok(Message::Close(_))) | None => break,
                    Some(Ok(_)) => session.touch(),
                    Some(Err(e)) => {
                        reason = format!("connection error: {e}");
                        break;
                    }
                },
                text = to_send.recv() => {
                    let Some(text) = text else { break };
                    if let Err(e) = sink.send(Message::Text(text.as_str().into())).await {
                        reason = format!("cannot send: {e}");
                        break;
                    }
                }
                _ = ping.tick() => {
                    let silent = Utc::now().timestamp_millis() - session.last_seen_ms.load(Ordering::Relaxed);
                    if silent > silence_ms {
                        reason = format!("no heartbeat answer for {} s", silent / 1000);
                        break;
                    }
                    if let Err(e) = sink.send(Message::Ping(Vec::new().into())).await {
                        reason = format!("cannot send a ping: {e}");
                        break;
                    }
                }
                _ = closed.changed() => {
                    if let Some(why) = *closed.borrow() {
                        reason = why.to_string();
                    }
                    let _ = sink.send(Message::Close(None)).await;
                    break;
                }
            }
        }
        // Every call still waiting learns at once that no answer will come.
        session.pending().clear();
        {
            let mut agents = self.agents();
            if let Some(slot) = agents.get_mut(&agent) {
                if slot
                    .session
                    .as_ref()
                    .is_some_and(|s| s.serial == session.serial)
                {
                    slot.session = None;
                    slot.offline_since = Some(Utc::now());
                }
            }
        }
        tracing::warn!(agent = %agent, reason = %reason, "agent disconnected");
    }
}

/// Disconnects revoked agents within about a second of `passdesk agent revoke` (another process
/// writes the revocation into the database).
pub fn watch_revocations(
    hub: Arc<AgentHub>,
    pool: sqlx::SqlitePool,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            if hub.connected_names().is_empty() {
                continue;
            }
            match crate::store::agents::revoked_names(&pool).await {
                Ok(revoked) => {
                    for name in revoked {
                        if hub.disconnect(&name, "the agent was revoked") {
                            tracing::warn!(agent = %name, "revoked agent disconnected");
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "cannot read agent revocations"),
            }
        }
    })
}
