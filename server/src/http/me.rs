//! `GET /api/v1/me`: who the token belongs to (the options page's "Test connection").
use axum::{Extension, Json};
use serde_json::{json, Value};

use crate::store::tokens::Technician;

/// `{"technician":"Jane Tech"}`.
pub async fn me(Extension(technician): Extension<Technician>) -> Json<Value> {
    Json(json!({"technician": technician.name}))
}
