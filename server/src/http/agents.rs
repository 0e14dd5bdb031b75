//! Site agents over HTTP: `POST /agent/v1/join` (enrolment code → credential), `GET
//! /agent/v1/connect` (the agent's WebSocket, authenticated by its credential during the upgrade) and
//! `GET /api/v1/agents` (technician token: who is connected; no secrets).
use axum::{
    extract::{ws::WebSocketUpgrade, State},
    http::{header::AUTHORIZATION, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Extension, Json,
};
use serde::Serialize;

use super::{
    auth::bearer_token,
    error::{ApiError, ErrorCode},
    extract::ApiJson,
    AppState,
};
use crate::{
    agent::protocol::{JoinRequest, JoinResponse, MAX_FRAME_BYTES, VERSION_HEADER},
    listener::RemoteAddr,
    store::agents::{self, JoinRefusal},
};

/// `POST /agent/v1/join`.
pub async fn join(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<JoinRequest>,
) -> Result<Json<JoinResponse>, ApiError> {
    match agents::join(state.store.pool(), request.code.trim())
        .await
        .map_err(ApiError::internal)?
    {
        Ok((agent, credential)) => {
            tracing::info!(agent = %agent, "agent joined");
            Ok(Json(JoinResponse { agent, credential }))
        }
        Err(refusal) => {
            tracing::warn!(reason = ?refusal, "agent join refused");
            let (status, code) = match refusal {
                JoinRefusal::Unknown => (StatusCode::UNAUTHORIZED, ErrorCode::EnrolmentCodeUnknown),
                JoinRefusal::Used => (StatusCode::GONE, ErrorCode::EnrolmentCodeUsed),
                JoinRefusal::Expired => (StatusCode::GONE, ErrorCode::EnrolmentCodeExpired),
            };
            Err(ApiError::new(status, code, refusal.to_string()))
        }
    }
}

/// `GET /agent/v1/connect`: upgrades an authenticated agent to its WebSocket.
pub async fn connect(
    State(state): State<AppState>,
    remote: Option<Extension<RemoteAddr>>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let credential = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token);
    let agent = match credential {
        Some(c) => match agents::authenticate(state.store.pool(), c).await {
            Ok(agent) => agent,
            Err(e) => return ApiError::internal(e).into_response(),
        },
        None => None,
    };
    let Some(agent) = agent else {
        tracing::warn!(remote = ?remote.as_ref().map(|r| r.0 .0), "agent connection refused: unknown or revoked credential");
        return ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::AgentUnauthorized,
            "This agent credential is unknown or revoked; enrol the agent again (passdesk agent enroll / join).",
        )
        .into_response();
    };
    let version = headers
        .get(VERSION_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.chars().take(40).collect());
    let hub = state.agents.clone();
    upgrade
        // Idle agents are the normal case (thousands per backend): small buffers, grown on demand,
        // instead of tungstenite's 128 KiB read buffer per connection (benches/agent_fleet.rs).
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .max_message_size(MAX_FRAME_BYTES)
        .max_frame_size(MAX_FRAME_BYTES)
        .on_upgrade(move |socket| hub.serve(agent, socket, remote.map(|r| r.0 .0), version))
}

/// One agent in `GET /api/v1/agents`.
#[derive(Debug, Serialize)]
pub struct AgentStatus {
    /// Enrolled name.
    pub name: String,
    /// Connected to this backend instance now.
    pub connected: bool,
    /// RFC 3339, while connected.
    pub connected_since: Option<String>,
    /// RFC 3339 of the last frame received, while connected.
    pub last_seen: Option<String>,
    /// RFC 3339 of the disconnect, if it was connected to this instance before.
    pub offline_since: Option<String>,
    /// Version the agent announced.
    pub version: Option<String>,
    /// Where its connection comes from.
    pub remote_addr: Option<String>,
    /// RFC 3339 of the enrolment (join).
    pub joined_at: Option<String>,
    /// RFC 3339 if revoked.
    pub revoked_at: Option<String>,
}

/// `GET /api/v1/agents`.
pub async fn list(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    let rows = agents::list(state.store.pool()).await?;
    let live = state.agents.live();
    let agents: Vec<AgentStatus> = rows
        .into_iter()
        .map(|row| {
            let now = live.iter().find(|l| l.name == row.name);
            AgentStatus {
                connected: now.is_some(),
                connected_since: now.map(|l| l.connected_since.clone()),
                last_seen: now.map(|l| l.last_seen.clone()),
                offline_since: state.agents.offline_since(&row.name),
                version: now.and_then(|l| l.version.clone()),
                remote_addr: now.and_then(|l| l.remote_addr.clone()),
                joined_at: row.joined_at,
                revoked_at: row.revoked_at,
                name: row.name,
            }
        })
        .collect();
    Ok(Json(serde_json::json!({ "agents": agents })))
}
