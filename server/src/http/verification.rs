//! Caller verification: `POST /api/v1/tickets/{id}/verifications?kind=…`,
//! `POST /api/v1/verifications/{vid}/code`, `GET /api/v1/verifications/{vid}`.
use axum::{
    extract::{Path, State},
    http::StatusCode,
    Extension, Json,
};
use serde::Deserialize;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::{
    context::KindQuery,
    error::ApiError,
    extract::{ApiJson, ApiQuery, TicketId},
    AppState,
};
use crate::{
    store::tokens::Technician,
    verification::flow::{self, StartRequest, VerificationState},
};

/// Body of `…/code`. Not `Debug`, wiped on drop: the code is a secret until used.
#[derive(Deserialize, Zeroize, ZeroizeOnDrop)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    code: String,
}

/// Starts a verification: `201` with its state.
pub async fn start(
    State(state): State<AppState>,
    Extension(technician): Extension<Technician>,
    TicketId(id): TicketId,
    ApiQuery(q): ApiQuery<KindQuery>,
    ApiJson(request): ApiJson<StartRequest>,
) -> Result<(StatusCode, Json<VerificationState>), ApiError> {
    let started = flow::start(&state, &technician, q.kind, id, &request).await?;
    Ok((StatusCode::CREATED, Json(started)))
}

/// Checks a typed code.
pub async fn code(
    State(state): State<AppState>,
    Extension(technician): Extension<Technician>,
    Path(vid): Path<String>,
    ApiJson(request): ApiJson<CodeRequest>,
) -> Result<Json<VerificationState>, ApiError> {
    Ok(Json(
        flow::submit_code(&state, &technician, &vid, &request.code).await?,
    ))
}

/// Where a verification stands (a pending push is polled here).
pub async fn status(
    State(state): State<AppState>,
    Extension(technician): Extension<Technician>,
    Path(vid): Path<String>,
) -> Result<Json<VerificationState>, ApiError> {
    Ok(Json(flow::status(&state, &technician, &vid).await?))
}
