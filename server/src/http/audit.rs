//! `GET /api/v1/audit?ticket=&account=&technician=&since=&until=&limit=`.
use axum::{extract::State, Json};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{extract::ApiQuery, AppState};
use crate::{http::error::ApiError, store::audit};

/// Default and maximum number of rows.
const DEFAULT_LIMIT: u32 = 100;
const MAX_LIMIT: u32 = 1000;

/// Raw query: every field is text so that `?ticket=` (empty) means "no filter".
#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    ticket: Option<String>,
    account: Option<String>,
    technician: Option<String>,
    since: Option<String>,
    until: Option<String>,
    limit: Option<String>,
}

/// Audit rows, newest first.
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<Value>, ApiError> {
    let filter = to_filter(q)?;
    let entries = audit::list(state.store.pool(), &filter).await?;
    Ok(Json(json!({ "entries": entries })))
}

fn non_empty(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn to_filter(q: AuditQuery) -> Result<audit::AuditFilter, ApiError> {
    let ticket = non_empty(q.ticket)
        .map(|t| {
            t.parse::<u64>()
                .map_err(|_| ApiError::bad_request("ticket must be a number."))
        })
        .transpose()?;
    let limit = non_empty(q.limit)
        .map(|l| {
            l.parse::<u32>()
                .map_err(|_| ApiError::bad_request("limit must be a number."))
        })
        .transpose()?
        .unwrap_or(DEFAULT_LIMIT)
        .clamp(1, MAX_LIMIT);
    Ok(audit::AuditFilter {
        ticket,
        account: non_empty(q.account),
        technician: non_empty(q.technician),
        since: non_empty(q.since)
            .map(|s| parse_time(&s, "since", false))
            .transpose()?,
        until: non_empty(q.until)
            .map(|s| parse_time(&s, "until", true))
            .transpose()?,
        limit,
    })
}

/// RFC 3339 or a plain date (start of day for `since`, end of day for `until`), as stored: UTC, seconds.
fn parse_time(s: &str, field: &str, end_of_day: bool) -> Result<String, ApiError> {
    use chrono::{NaiveDate, SecondsFormat, Utc};
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t
            .with_timezone(&Utc)
            .to_rfc3339_opts(SecondsFormat::Secs, true));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let t = if end_of_day {
            d.and_hms_opt(23, 59, 59)
        } else {
            d.and_hms_opt(0, 0, 0)
        };
        if let Some(t) = t {
            return Ok(t.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true));
        }
    }
    Err(ApiError::bad_request(format!(
        "{field} must be an RFC 3339 time or a YYYY-MM-DD date."
    )))
}
