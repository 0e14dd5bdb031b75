//! HTTP API of docs/api.md. One file per area; handlers only convert and delegate to `reset`.
//!
//! Layers (outermost first): trace → CORS (configured extension installs only) → 413 envelope → body limit →
//! routes; the protected routes additionally sit behind the Bearer-token check.
use std::sync::Arc;

use axum::{
    middleware,
    routing::{any, get, post},
    Router,
};
use tower_http::{limit::RequestBodyLimitLayer, trace::TraceLayer};

use crate::ticket_flow::Services;
use error::ApiError;

pub mod agents;
pub mod audit;
pub mod auth;
pub mod context;
pub mod cors;
pub mod error;
pub mod extract;
pub mod health;
pub mod me;
pub mod reset;
pub mod unlock;
pub mod verification;

/// Largest accepted request body (a reset request is well under 1 KiB).
pub const BODY_LIMIT_BYTES: usize = 16 * 1024;

/// What every handler gets.
pub type AppState = Arc<Services>;

/// The whole API as an axum router; `cors` names the extension installs whose pages may call it
/// cross-origin (none: no CORS answer at all, see src/http/cors.rs).
pub fn app(state: AppState, cors: &[cors::ExtensionOrigin]) -> Router {
    let protected = Router::new()
        .route("/api/v1/me", get(me::me))
        .route("/api/v1/tickets/{id}/context", get(context::context))
        .route("/api/v1/tickets/{id}/reset", post(reset::reset))
        .route("/api/v1/tickets/{id}/unlock", post(unlock::unlock))
        .route("/api/v1/audit", get(audit::list))
        .route("/api/v1/agents", get(agents::list))
        .route(
            "/api/v1/tickets/{id}/verifications",
            post(verification::start),
        )
        .route("/api/v1/verifications/{id}/code", post(verification::code))
        .route("/api/v1/verifications/{id}", get(verification::status))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_technician,
        ));
    let router = Router::new()
        .route("/api/v1/health", get(health::health))
        // Site agents authenticate with their own credential (src/http/agents.rs).
        .route(crate::agent::protocol::JOIN_PATH, post(agents::join))
        .route(crate::agent::protocol::CONNECT_PATH, any(agents::connect))
        .merge(protected)
        .fallback(|| async { ApiError::route_not_found() })
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT_BYTES))
        .layer(middleware::map_response(extract::envelope_for_413));
    let router = match cors::layer(cors) {
        Some(layer) => router.layer(layer),
        None => router,
    };
    router.layer(TraceLayer::new_for_http().make_span_with(request_span))
}

/// The span of one request: method and path only. A query string may carry what does not belong
/// in a log (an account, a search), so the URI is never recorded whole.
fn request_span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    tracing::debug_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path()
    )
}
