//! `GET /api/v1/health` (no auth).
use axum::Json;
use serde_json::{json, Value};

/// `{"status":"ok","version":"…"}`.
pub async fn health() -> Json<Value> {
    Json(json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}))
}
