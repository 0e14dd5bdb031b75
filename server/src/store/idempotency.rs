//! Idempotency keys for resets, scoped per technician: the same key never resets twice.
//!
//! The key row is inserted (and committed) *before* the reset runs, so of two concurrent requests
//! with the same key exactly one wins the PRIMARY KEY and the other sees it.
//!
//! What is stored is the flow's outcome (serde JSON of the caller's type), not an HTTP answer.
use serde::{de::DeserializeOwned, Serialize};
use sqlx::{Row, SqlitePool};

use super::{
    fingerprint::{RequestFingerprint, StoredFingerprint},
    now_rfc3339,
    vocab::{parse, word},
};
use crate::connectwise::TicketKind;

/// What a claim found.
#[derive(Debug, Clone, PartialEq)]
pub enum Claim<T> {
    /// The key is new: the caller owns it and must `complete` or `release` it.
    Fresh,
    /// A finished request used this key: its stored outcome.
    Done {
        /// The outcome of the first request.
        outcome: T,
        /// Ticket the key was first used for.
        ticket_id: u64,
        /// Kind of that ticket.
        ticket_kind: TicketKind,
    },
    /// The key was first used for a different request (another password, `temporary`, account).
    Different,
    /// Another request with this key is still running.
    InProgress {
        /// Ticket the key was first used for.
        ticket_id: u64,
        /// Kind of that ticket.
        ticket_kind: TicketKind,
    },
}

/// Claims `key` for `technician_id`, or reports what an earlier request with it did.
pub async fn claim<T: DeserializeOwned>(
    pool: &SqlitePool,
    technician_id: i64,
    key: &str,
    ticket_id: u64,
    ticket_kind: TicketKind,
    request: &RequestFingerprint,
) -> sqlx::Result<Claim<T>> {
    let inserted = sqlx::query(
        "INSERT INTO idempotency (technician_id, key, ticket_id, ticket_kind, created_at, \
         request_epoch, request_mac, request_public) VALUES (?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (technician_id, key) DO NOTHING",
    )
    .bind(technician_id)
    .bind(key)
    .bind(ticket_id as i64)
    .bind(word(&ticket_kind))
    .bind(now_rfc3339())
    .bind(&request.epoch)
    .bind(&request.mac)
    .bind(&request.public)
    .execute(pool)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(Claim::Fresh);
    }
    let row = sqlx::query(
        "SELECT ticket_id, ticket_kind, outcome, request_epoch, request_mac, request_public \
         FROM idempotency WHERE technician_id = ? AND key = ?",
    )
    .bind(technician_id)
    .bind(key)
    .fetch_one(pool)
    .await?;
    let stored = StoredFingerprint {
        epoch: row.get("request_epoch"),
        mac: row.get("request_mac"),
        public: row.get("request_public"),
    };
    if !request.same_request(&stored) {
        return Ok(Claim::Different);
    }
    let ticket_id = row.get::<i64, _>("ticket_id") as u64;
    let ticket_kind = parse("ticket_kind", row.get("ticket_kind"))?;
    let outcome: Option<String> = row.get("outcome");
    Ok(match outcome {
        Some(text) => Claim::Done {
            // A stored outcome that does not parse is a corrupt row: an error, never "in progress".
            outcome: serde_json::from_str(&text).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            ticket_id,
            ticket_kind,
        },
        None => Claim::InProgress {
            ticket_id,
            ticket_kind,
        },
    })
}

fn to_json(outcome: &impl Serialize) -> sqlx::Result<String> {
    serde_json::to_string(outcome).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

/// Stores the final outcome of the request that owns the key.
pub async fn complete(
    pool: &SqlitePool,
    technician_id: i64,
    key: &str,
    outcome: &impl Serialize,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE idempotency SET outcome = ? WHERE technician_id = ? AND key = ?")
        .bind(to_json(outcome)?)
        .bind(technician_id)
        .bind(key)
        .execute(pool)
        .await?;
    Ok(())
}

/// Gives every key whose request never finished (the server stopped mid-reset) `outcome` as its
/// stored outcome. Only at startup, before requests are served. Returns how many.
pub async fn answer_unfinished(pool: &SqlitePool, outcome: &impl Serialize) -> sqlx::Result<u64> {
    Ok(
        sqlx::query("UPDATE idempotency SET outcome = ? WHERE outcome IS NULL")
            .bind(to_json(outcome)?)
            .execute(pool)
            .await?
            .rows_affected(),
    )
}

/// Forgets the key: the request failed before touching the directory, so a retry may run again.
pub async fn release(pool: &SqlitePool, technician_id: i64, key: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM idempotency WHERE technician_id = ? AND key = ? AND outcome IS NULL")
        .bind(technician_id)
        .bind(key)
        .execute(pool)
        .await?;
    Ok(())
}
