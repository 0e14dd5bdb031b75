//! The `verifications` table (migration 0007): one row per attempt, bound to technician + ticket +
//! directory account. Holds masked targets and keyed code hashes only. Status changes are
//! conditional UPDATEs, so two requests racing on one verification cannot both win.
use sqlx::{Row, SqlitePool};

use super::{MethodKind, VerificationStatus};
use crate::{
    connectwise::TicketKind,
    store::vocab::{parse, word},
};

/// A row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationRow {
    /// Random id (hex).
    pub id: String,
    /// Unix ms.
    pub created_at_ms: i64,
    /// Unix ms: the code or push is dead after this.
    pub expires_at_ms: i64,
    /// Who asked.
    pub technician_id: i64,
    /// Ticket id.
    pub ticket_id: u64,
    /// Service or project.
    pub ticket_kind: TicketKind,
    /// ConnectWise company identifier.
    pub company: String,
    /// Directory name.
    pub directory: String,
    /// DN / object id.
    pub account_id: String,
    /// Audit label of the account.
    pub account: String,
    /// Method id, e.g. `email:otherMailbox`.
    pub method_id: String,
    /// Kind.
    pub kind: MethodKind,
    /// Masked target.
    pub target: String,
    /// HMAC of the code (None for a push, or once the code was used).
    pub code_hash: Option<String>,
    /// Provider transaction id (Duo txid).
    pub provider_ref: Option<String>,
    /// Wrong codes so far.
    pub wrong_attempts: i64,
    /// Where it stands.
    pub status: VerificationStatus,
    /// Unix ms of success.
    pub verified_at_ms: Option<i64>,
}

const COLUMNS: &str = "id, created_at_ms, expires_at_ms, technician_id, ticket_id, ticket_kind, company, directory, \
    account_id, account, method_id, kind, target, code_hash, provider_ref, wrong_attempts, status, verified_at_ms";

fn to_row(r: sqlx::sqlite::SqliteRow) -> sqlx::Result<VerificationRow> {
    Ok(VerificationRow {
        id: r.get("id"),
        created_at_ms: r.get("created_at_ms"),
        expires_at_ms: r.get("expires_at_ms"),
        technician_id: r.get("technician_id"),
        ticket_id: r.get::<i64, _>("ticket_id") as u64,
        ticket_kind: parse("ticket_kind", r.get("ticket_kind"))?,
        company: r.get("company"),
        directory: r.get("directory"),
        account_id: r.get("account_id"),
        account: r.get("account"),
        method_id: r.get("method_id"),
        kind: parse("kind", r.get("kind"))?,
        target: r.get("target"),
        code_hash: r.get("code_hash"),
        provider_ref: r.get("provider_ref"),
        wrong_attempts: r.get("wrong_attempts"),
        status: parse("status", r.get("status"))?,
        verified_at_ms: r.get("verified_at_ms"),
    })
}

/// Inserts a new row (status as given, usually `pending`).
pub async fn insert(pool: &SqlitePool, v: &VerificationRow) -> sqlx::Result<()> {
    sqlx::query(&format!(
        "INSERT INTO verifications ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    ))
    .bind(&v.id)
    .bind(v.created_at_ms)
    .bind(v.expires_at_ms)
    .bind(v.technician_id)
    .bind(v.ticket_id as i64)
    .bind(word(&v.ticket_kind))
    .bind(&v.company)
    .bind(&v.directory)
    .bind(&v.account_id)
    .bind(&v.account)
    .bind(&v.method_id)
    .bind(word(&v.kind))
    .bind(&v.target)
    .bind(&v.code_hash)
    .bind(&v.provider_ref)
    .bind(v.wrong_attempts)
    .bind(word(&v.status))
    .bind(v.verified_at_ms)
    .execute(pool)
    .await?;
    Ok(())
}

/// One row by id.
pub async fn get(pool: &SqlitePool, id: &str) -> sqlx::Result<Option<VerificationRow>> {
    sqlx::query(&format!("SELECT {COLUMNS} FROM verifications WHERE id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(to_row)
        .transpose()
}

/// Moves `id` from `from` to `to` (and records the success time for a success); false when the
/// row was no longer in `from` (someone else moved it first). A final status drops the code hash.
pub async fn transition(
    pool: &SqlitePool,
    id: &str,
    from: VerificationStatus,
    to: VerificationStatus,
    now_ms: i64,
) -> sqlx::Result<bool> {
    let verified_at = to.is_success().then_some(now_ms);
    let done = sqlx::query(
        "UPDATE verifications SET status = ?, verified_at_ms = COALESCE(?, verified_at_ms), \
         code_hash = CASE WHEN ? THEN NULL ELSE code_hash END WHERE id = ? AND status = ?",
    )
    .bind(word(&to))
    .bind(verified_at)
    .bind(to.is_final())
    .bind(id)
    .bind(word(&from))
    .execute(pool)
    .await?
    .rows_affected();
    Ok(done == 1)
}

/// Records the provider's transaction id.
pub async fn set_provider_ref(pool: &SqlitePool, id: &str, provider_ref: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE verifications SET provider_ref = ? WHERE id = ?")
        .bind(provider_ref)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Counts one wrong code on a `sent` row; the new count, or None if the row is not `sent`.
pub async fn count_wrong(pool: &SqlitePool, id: &str) -> sqlx::Result<Option<i64>> {
    let row = sqlx::query(
        "UPDATE verifications SET wrong_attempts = wrong_attempts + 1 WHERE id = ? AND status = 'sent' \
         RETURNING wrong_attempts",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.get(0)))
}

/// Creation times (unix ms) of the codes sent to one account since `since_ms`, oldest first.
pub async fn recent_sends(
    pool: &SqlitePool,
    directory: &str,
    account_id: &str,
    since_ms: i64,
) -> sqlx::Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT created_at_ms FROM verifications WHERE directory = ? AND account_id = ? COLLATE NOCASE \
         AND kind IN ('sms', 'email') AND created_at_ms > ? ORDER BY created_at_ms",
    )
    .bind(directory)
    .bind(account_id)
    .bind(since_ms)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| r.get(0)).collect())
}

/// The newest verification of this technician for this ticket and account.
pub async fn latest(
    pool: &SqlitePool,
    technician_id: i64,
    ticket_id: u64,
    ticket_kind: TicketKind,
    directory: &str,
    account_id: &str,
) -> sqlx::Result<Option<VerificationRow>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM verifications WHERE technician_id = ? AND ticket_id = ? AND ticket_kind = ? \
         AND directory = ? AND account_id = ? COLLATE NOCASE ORDER BY created_at_ms DESC, rowid DESC LIMIT 1"
    ))
    .bind(technician_id)
    .bind(ticket_id as i64)
    .bind(word(&ticket_kind))
    .bind(directory)
    .bind(account_id)
    .fetch_optional(pool)
    .await?
    .map(to_row)
    .transpose()
}

/// The newest successful verification of this technician for this ticket and account.
pub async fn latest_success(
    pool: &SqlitePool,
    technician_id: i64,
    ticket_id: u64,
    ticket_kind: TicketKind,
    directory: &str,
    account_id: &str,
) -> sqlx::Result<Option<VerificationRow>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM verifications WHERE technician_id = ? AND ticket_id = ? AND ticket_kind = ? \
         AND directory = ? AND account_id = ? COLLATE NOCASE AND status IN ('verified', 'approved') \
         ORDER BY verified_at_ms DESC LIMIT 1"
    ))
    .bind(technician_id)
    .bind(ticket_id as i64)
    .bind(word(&ticket_kind))
    .bind(directory)
    .bind(account_id)
    .fetch_optional(pool)
    .await?
    .map(to_row)
    .transpose()
}
