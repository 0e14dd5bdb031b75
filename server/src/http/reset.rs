//! `POST /api/v1/tickets/{id}/reset?kind=service|project`.
use axum::{extract::State, Extension, Json};
use serde::Serialize;

use super::{
    context::KindQuery,
    error::ApiError,
    extract::{ApiJson, ApiQuery, TicketId},
    AppState,
};
use crate::{
    store::tokens::Technician,
    ticket_flow::password::{self, ResetRequest, ResetSuccess},
};

/// The 200 body: `{"result": "success", ...the success..., "replayed": true?}`.
#[derive(Serialize)]
pub struct ResetResponse {
    result: &'static str,
    #[serde(flatten)]
    success: ResetSuccess,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    replayed: bool,
}

/// Resets the password of the ticket's account (the body is wiped when dropped).
pub async fn reset(
    State(state): State<AppState>,
    Extension(technician): Extension<Technician>,
    TicketId(id): TicketId,
    ApiQuery(q): ApiQuery<KindQuery>,
    ApiJson(request): ApiJson<ResetRequest>,
) -> Result<Json<ResetResponse>, ApiError> {
    let answer = password::reset(&state, &technician, q.kind, id, request).await;
    match answer.outcome {
        Ok(success) => Ok(Json(ResetResponse {
            result: "success",
            success,
            replayed: answer.replayed,
        })),
        Err(e) => Err(ApiError::from(e).replayed(answer.replayed)),
    }
}
