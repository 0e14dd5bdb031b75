//! `POST /api/v1/tickets/{id}/reset?kind=service|project`.
use axum::{extract::State, http::StatusCode, Extension, Json};
use serde_json::Value;

use super::{
    extract::{ApiJson, ApiQuery, TicketId},
    tickets::KindQuery,
    AppState,
};
use crate::{
    error::ApiError,
    reset::password::{self, ResetRequest},
    store::tokens::Technician,
};

/// Resets the password of the ticket's account (the body is wiped when dropped).
pub async fn reset(
    State(state): State<AppState>,
    Extension(technician): Extension<Technician>,
    TicketId(id): TicketId,
    ApiQuery(q): ApiQuery<KindQuery>,
    ApiJson(request): ApiJson<ResetRequest>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (status, body) = password::reset(&state, &technician, q.kind, id, request).await?;
    Ok((status, Json(body)))
}
