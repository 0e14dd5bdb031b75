//! `POST /api/v1/tickets/{id}/unlock?kind=service|project`.
use axum::{extract::State, Extension, Json};
use serde::Serialize;

use super::{
    context::KindQuery,
    error::ApiError,
    extract::{ApiJsonOrDefault, ApiQuery, TicketId},
    AppState,
};
use crate::{
    store::tokens::Technician,
    ticket_flow::unlock::{self, UnlockRequest, UnlockSuccess},
};

/// The 200 body: `{"result": "success", ...the success...}`.
#[derive(Serialize)]
pub struct UnlockResponse {
    result: &'static str,
    #[serde(flatten)]
    success: UnlockSuccess,
}

/// Clears the lockout of the ticket's account.
pub async fn unlock(
    State(state): State<AppState>,
    Extension(technician): Extension<Technician>,
    TicketId(id): TicketId,
    ApiQuery(q): ApiQuery<KindQuery>,
    ApiJsonOrDefault(request): ApiJsonOrDefault<UnlockRequest>,
) -> Result<Json<UnlockResponse>, ApiError> {
    let success = unlock::unlock(&state, &technician, q.kind, id, &request).await?;
    Ok(Json(UnlockResponse {
        result: "success",
        success,
    }))
}
