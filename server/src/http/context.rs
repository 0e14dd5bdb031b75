//! `GET /api/v1/tickets/{id}/context?kind=service|project`.
use axum::{extract::State, Extension, Json};
use serde::Deserialize;

use super::{
    error::ApiError,
    extract::{ApiQuery, TicketId},
    AppState,
};
use crate::{
    connectwise::TicketKind,
    store::tokens::Technician,
    ticket_flow::context::{self, TicketContext},
    verification::flow,
};

/// `?kind=`; defaults to `service`.
#[derive(Debug, Deserialize)]
pub struct KindQuery {
    /// Service or project ticket.
    #[serde(default)]
    pub kind: TicketKind,
}

/// The ticket's context (docs/api.md), with this technician's view of caller verification.
pub async fn context(
    State(state): State<AppState>,
    Extension(technician): Extension<Technician>,
    TicketId(id): TicketId,
    ApiQuery(q): ApiQuery<KindQuery>,
) -> Result<Json<TicketContext>, ApiError> {
    let mut ctx = context::resolve(&state, q.kind, id).await?;
    ctx.verification = Some(flow::describe(&state, &technician, &ctx).await);
    Ok(Json(ctx))
}
