//! `passdesk agent run`: keep one connection to the backend, answer its requests, reconnect after
//! any drop (capped exponential backoff with jitter), and say in the log what is going on.
use std::{sync::Arc, time::Duration};

use futures_util::{SinkExt as _, StreamExt as _};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use zeroize::Zeroizing;

use super::{
    answer::answer,
    backoff::Backoff,
    connect::{AgentSocket, ConnectError, Dialer},
};
use crate::{
    agent::protocol::{AgentFrame, ServerFrame},
    directory::Directory,
};

/// A connection that stayed up this long resets the backoff.
const STABLE_AFTER: Duration = Duration::from_secs(60);
/// Silence allowed before the backend's first frame (the welcome names the real heartbeat).
const WELCOME_TIMEOUT: Duration = Duration::from_secs(10);

/// Runs until `shutdown` resolves, or fails when the backend refuses the credential for good.
pub async fn run(
    dialer: Dialer,
    credential: Zeroizing<String>,
    directory: Arc<dyn Directory>,
    reconnect_max: Duration,
    shutdown: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    let mut backoff = Backoff::new(
        Duration::from_millis(250),
        Duration::from_secs(1),
        reconnect_max,
    );
    tokio::pin!(shutdown);
    if let Some(proxy) = dialer.proxy_for_log() {
        tracing::info!(proxy = %proxy, "connecting to the backend through a proxy");
    }
    loop {
        let why = match dialer.dial(&credential).await {
            Ok(socket) => {
                tracing::info!("connected to the backend");
                let started = tokio::time::Instant::now();
                let why = tokio::select! {
                    why = session(socket, directory.clone()) => why,
                    _ = &mut shutdown => return Ok(()),
                };
                if started.elapsed() >= STABLE_AFTER {
                    backoff.reset();
                }
                format!("connection lost: {why}")
            }
            Err(ConnectError::Refused(status)) => {
                return Err(ConnectError::Refused(status).into());
            }
            Err(ConnectError::Retry(e)) => format!("cannot connect: {e:#}"),
        };
        let delay = backoff.next_delay(rand::random::<f64>());
        tracing::warn!(reason = %why, retry_in_ms = delay.as_millis() as u64, "reconnecting");
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = &mut shutdown => return Ok(()),
        }
    }
}

/// Serves one connection until it ends; returns why it ended.
async fn session(socket: AgentSocket, directory: Arc<dyn Directory>) -> String {
    let (mut sink, mut stream) = socket.split();
    let (answers, mut to_send) = mpsc::channel::<String>(64);
    let mut silence = WELCOME_TIMEOUT;
    loop {
        tokio::select! {
            frame = tokio::time::timeout(silence, stream.next()) => {
                let frame = match frame {
                    Err(_) => return format!("nothing from the backend for {} s", silence.as_secs()),
                    Ok(None) => return "the backend closed the connection".into(),
                    Ok(Some(Err(e))) => return format!("{e}"),
                    Ok(Some(Ok(frame))) => frame,
                };
                match frame {
                    Message::Text(text) => match serde_json::from_str::<ServerFrame>(text.as_str()) {
                        Ok(ServerFrame::Welcome { agent, heartbeat_ms }) => {
                            silence = Duration::from_millis(heartbeat_ms.saturating_mul(3)).max(Duration::from_secs(1));
                            tracing::info!(agent = %agent, heartbeat_ms, "the backend accepted this agent");
                        }
                        Ok(ServerFrame::Request { id, ttl_ms, op }) => {
                            let method = op.method();
                            tracing::debug!(id, ?method, "request");
                            let directory = directory.clone();
                            let answers = answers.clone();
                            tokio::spawn(async move {
                                let ttl = Duration::from_millis(ttl_ms);
                                // Work that cannot finish before the backend stops waiting is abandoned.
                                let Ok(result) = tokio::time::timeout(ttl, answer(directory.as_ref(), *op)).await else {
                                    tracing::warn!(id, ?method, "request not finished before its deadline");
                                    return;
                                };
                                if let crate::agent::protocol::OperationResult::Failed(e) = &result {
                                    tracing::info!(id, ?method, error = %e, "request failed");
                                } else {
                                    tracing::info!(id, ?method, "request done");
                                }
                                match serde_json::to_string(&AgentFrame::Response { id, result }) {
                                    Ok(text) => { let _ = answers.send(text).await; }
                                    Err(e) => tracing::error!(id, error = %e, "cannot encode an answer"),
                                }
                            });
                        }
                        Err(e) => return format!("unreadable frame from the backend: {e}"),
                    },
                    Message::Close(_) => return "the backend closed the connection".into(),
                    // Pings are answered by tungstenite on the next read or write.
                    _ => {}
                }
            }
            text = to_send.recv() => {
                let Some(text) = text else { continue };
                if let Err(e) = sink.send(Message::Text(text.into())).await {
                    return format!("cannot send an answer: {e}");
                }
            }
        }
    }
}
