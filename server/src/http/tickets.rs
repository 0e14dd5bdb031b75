//! `GET /api/v1/tickets/{id}/context?kind=service|project`.
use axum::{extract::State, Json};
use serde::Deserialize;

use super::{
    error::ApiError,
    extract::{ApiQuery, TicketId},
    AppState,
};
use crate::{
    connectwise::TicketKind,
    reset::context::{self, TicketContext},
};

/// `?kind=`; defaults to `service`.
#[derive(Debug, Deserialize)]
pub struct KindQuery {
    /// Service or project ticket.
    #[serde(default)]
    pub kind: TicketKind,
}

/// The ticket's context (docs/api.md).
pub async fn context(
    State(state): State<AppState>,
    TicketId(id): TicketId,
    ApiQuery(q): ApiQuery<KindQuery>,
) -> Result<Json<TicketContext>, ApiError> {
    Ok(Json(context::resolve(&state, q.kind, id).await?))
}
