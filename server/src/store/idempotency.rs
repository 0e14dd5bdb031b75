//! Idempotency keys for resets, scoped per technician: the same key never resets twice.
//!
//! The key row is inserted (and committed) *before* the reset runs, so of two concurrent requests
//! with the same key exactly one wins the PRIMARY KEY and the other sees it.
use sqlx::{Row, SqlitePool};

use super::now_rfc3339;

/// What a claim found.
#[derive(Debug, Clone, PartialEq)]
pub enum Claim {
    /// The key is new: the caller owns it and must `complete` or `release` it.
    Fresh,
    /// A finished request used this key: its HTTP status and JSON body.
    Done {
        /// HTTP status of the stored response.
        status: u16,
        /// Stored JSON body.
        response: serde_json::Value,
        /// Ticket the key was first used for.
        ticket_id: u64,
        /// Kind of that ticket.
        ticket_kind: String,
    },
    /// Another request with this key is still running.
    InProgress {
        /// Ticket the key was first used for.
        ticket_id: u64,
        /// Kind of that ticket.
        ticket_kind: String,
    },
}

/// Claims `key` for `technician_id`, or reports what an earlier request with it did.
pub async fn claim(
    pool: &SqlitePool,
    technician_id: i64,
    key: &str,
    ticket_id: u64,
    ticket_kind: &str,
) -> sqlx::Result<Claim> {
    let inserted = sqlx::query(
        "INSERT INTO idempotency (technician_id, key, ticket_id, ticket_kind, created_at) VALUES (?, ?, ?, ?, ?) \
         ON CONFLICT (technician_id, key) DO NOTHING",
    )
    .bind(technician_id)
    .bind(key)
    .bind(ticket_id as i64)
    .bind(ticket_kind)
    .bind(now_rfc3339())
    .execute(pool)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(Claim::Fresh);
    }
    let row = sqlx::query("SELECT ticket_id, ticket_kind, status, response FROM idempotency WHERE technician_id = ? AND key = ?")
        .bind(technician_id)
        .bind(key)
        .fetch_one(pool)
        .await?;
    let ticket_id = row.get::<i64, _>("ticket_id") as u64;
    let ticket_kind: String = row.get("ticket_kind");
    let status: Option<i64> = row.get("status");
    let response: Option<String> = row.get("response");
    Ok(
        match (status, response.and_then(|r| serde_json::from_str(&r).ok())) {
            (Some(status), Some(response)) => Claim::Done {
                status: status as u16,
                response,
                ticket_id,
                ticket_kind,
            },
            _ => Claim::InProgress {
                ticket_id,
                ticket_kind,
            },
        },
    )
}

/// Stores the final response of the request that owns the key.
pub async fn complete(
    pool: &SqlitePool,
    technician_id: i64,
    key: &str,
    status: u16,
    response: &serde_json::Value,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE idempotency SET status = ?, response = ? WHERE technician_id = ? AND key = ?",
    )
    .bind(status as i64)
    .bind(response.to_string())
    .bind(technician_id)
    .bind(key)
    .execute(pool)
    .await?;
    Ok(())
}

/// Gives every key whose request never finished (the server stopped mid-reset) `status` and
/// `response` as its stored answer. Only at startup, before requests are served. Returns how many.
pub async fn answer_unfinished(
    pool: &SqlitePool,
    status: u16,
    response: &serde_json::Value,
) -> sqlx::Result<u64> {
    Ok(
        sqlx::query("UPDATE idempotency SET status = ?, response = ? WHERE response IS NULL")
            .bind(status as i64)
            .bind(response.to_string())
            .execute(pool)
            .await?
            .rows_affected(),
    )
}

/// Forgets the key: the request failed before touching the directory, so a retry may run again.
pub async fn release(pool: &SqlitePool, technician_id: i64, key: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM idempotency WHERE technician_id = ? AND key = ? AND response IS NULL")
        .bind(technician_id)
        .bind(key)
        .execute(pool)
        .await?;
    Ok(())
}
