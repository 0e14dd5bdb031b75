//! `POST /api/v1/tickets/{id}/unlock?kind=service|project`.
use axum::{extract::State, Extension, Json};
use serde_json::Value;

use super::{
    extract::{ApiQuery, TicketId},
    tickets::KindQuery,
    AppState,
};
use crate::{error::ApiError, reset::unlock, store::tokens::Technician};

/// Clears the lockout of the ticket's account.
pub async fn unlock(
    State(state): State<AppState>,
    Extension(technician): Extension<Technician>,
    TicketId(id): TicketId,
    ApiQuery(q): ApiQuery<KindQuery>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(unlock::unlock(&state, &technician, q.kind, id).await?))
}
