//! Internal notes waiting to be posted to ConnectWise. The row is the state: a restart loses nothing.
//!
//! `next_attempt_at` doubles as a lease: whoever posts a note first pushes it into the future with a
//! conditional UPDATE, so the request handler and the background worker never post the same note twice.
use sqlx::{Row, SqliteConnection, SqlitePool};

use super::{
    audit::NoteStatus,
    now_millis, now_rfc3339,
    vocab::{parse, word},
};
use crate::connectwise::TicketKind;

/// How long a claimed note stays invisible to other posters (longer than any post may take).
pub const LEASE_MILLIS: i64 = 60_000;

/// A note to post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingNote {
    /// Outbox row id.
    pub id: i64,
    /// The audit row whose `note` column follows this note.
    pub audit_id: i64,
    /// Ticket id.
    pub ticket_id: u64,
    /// Service or project.
    pub ticket_kind: TicketKind,
    /// Note text (never a password).
    pub text: String,
    /// Failed attempts so far.
    pub attempts: i64,
}

/// Enqueues a note already leased to the caller (it will try to post it right away).
pub async fn enqueue_leased(
    conn: &mut SqliteConnection,
    audit_id: i64,
    ticket_id: u64,
    ticket_kind: TicketKind,
    text: &str,
) -> sqlx::Result<i64> {
    let id = sqlx::query(
        "INSERT INTO outbox (audit_id, ticket_id, ticket_kind, text, next_attempt_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(audit_id)
    .bind(ticket_id as i64)
    .bind(word(&ticket_kind))
    .bind(text)
    .bind(now_millis() + LEASE_MILLIS)
    .execute(conn)
    .await?
    .last_insert_rowid();
    Ok(id)
}

/// Loads one note by id (the caller already holds its lease).
pub async fn get(pool: &SqlitePool, id: i64) -> sqlx::Result<Option<PendingNote>> {
    let row = sqlx::query(
        "SELECT id, audit_id, ticket_id, ticket_kind, text, attempts FROM outbox \
         WHERE id = ? AND posted_at IS NULL AND failed_at IS NULL",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    row.map(to_note).transpose()
}

/// Claims up to `limit` due notes by pushing their `next_attempt_at` one lease into the future.
pub async fn claim_due(pool: &SqlitePool, limit: i64) -> sqlx::Result<Vec<PendingNote>> {
    let now = now_millis();
    let rows = sqlx::query(
        "UPDATE outbox SET next_attempt_at = ? WHERE id IN \
         (SELECT id FROM outbox WHERE posted_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ? \
          ORDER BY next_attempt_at LIMIT ?) \
         RETURNING id, audit_id, ticket_id, ticket_kind, text, attempts",
    )
    .bind(now + LEASE_MILLIS)
    .bind(now)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(to_note).collect()
}

/// When the next unposted note is due (unix ms), if any.
pub async fn next_due(pool: &SqlitePool) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT MIN(next_attempt_at) FROM outbox WHERE posted_at IS NULL AND failed_at IS NULL",
    )
    .fetch_one(pool)
    .await
}

/// Records a successful post and flips the audit row to `posted`, in one transaction.
pub async fn mark_posted(pool: &SqlitePool, note: &PendingNote, note_id: u64) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE outbox SET posted_at = ?, note_id = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?")
        .bind(now_rfc3339())
        .bind(note_id as i64)
        .bind(note.id)
        .execute(&mut *tx)
        .await?;
    super::audit::mark_note(&mut tx, note.audit_id, NoteStatus::Posted).await?;
    tx.commit().await
}

/// Records a failed attempt and when to try again.
pub async fn mark_failed(
    pool: &SqlitePool,
    note: &PendingNote,
    error: &str,
    retry_at_millis: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?")
        .bind(error)
        .bind(retry_at_millis)
        .bind(note.id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Stops trying: records the last error and flips the audit row to `failed`, in one transaction.
pub async fn mark_given_up(pool: &SqlitePool, note: &PendingNote, error: &str) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "UPDATE outbox SET failed_at = ?, attempts = attempts + 1, last_error = ? WHERE id = ?",
    )
    .bind(now_rfc3339())
    .bind(error)
    .bind(note.id)
    .execute(&mut *tx)
    .await?;
    super::audit::mark_note(&mut tx, note.audit_id, NoteStatus::Failed).await?;
    tx.commit().await
}

fn to_note(r: sqlx::sqlite::SqliteRow) -> sqlx::Result<PendingNote> {
    Ok(PendingNote {
        id: r.get("id"),
        audit_id: r.get("audit_id"),
        ticket_id: r.get::<i64, _>("ticket_id") as u64,
        ticket_kind: parse("ticket_kind", r.get("ticket_kind"))?,
        text: r.get("text"),
        attempts: r.get("attempts"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{audit, tokens, Store};

    /// A word the code does not know (here: written past the CHECK) is an error when read, never
    /// silently a service ticket; without the override the CHECK refuses it.
    #[tokio::test]
    async fn a_corrupt_vocabulary_row_is_an_error_not_a_guess() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db").to_string_lossy())
            .await
            .unwrap();
        let pool = store.pool();
        let tech = tokens::create(pool, "Tech").await.unwrap();
        let mut conn = pool.acquire().await.unwrap();
        let row = audit::NewAuditEntry {
            technician_id: tech.id,
            technician: "Tech",
            ticket_id: 7,
            ticket_kind: TicketKind::Project,
            company: "Contoso",
            account: "jsmith",
            action: audit::AuditAction::Reset,
            temporary: Some(true),
            result: audit::AuditResult::Success,
            directory_code: None,
            note: Some(NoteStatus::Queued),
            method: None,
            target: None,
        };
        let audit_id = audit::insert(&mut conn, &row).await.unwrap();
        let id = enqueue_leased(&mut conn, audit_id, 7, TicketKind::Project, "n")
            .await
            .unwrap();
        assert_eq!(
            get(pool, id).await.unwrap().unwrap().ticket_kind,
            TicketKind::Project
        );
        let refused = sqlx::query("UPDATE outbox SET ticket_kind = 'incident'")
            .execute(&mut *conn)
            .await;
        assert!(
            refused.is_err_and(|e| e.to_string().contains("CHECK")),
            "the CHECK lets an unknown kind in"
        );

        sqlx::query("PRAGMA ignore_check_constraints = ON")
            .execute(&mut *conn)
            .await
            .unwrap();
        sqlx::query("UPDATE outbox SET ticket_kind = 'incident'")
            .execute(&mut *conn)
            .await
            .unwrap();
        sqlx::query("UPDATE audit SET result = 'maybe'")
            .execute(&mut *conn)
            .await
            .unwrap();
        drop(conn);
        let e = get(pool, id).await.unwrap_err();
        assert!(e.to_string().contains("incident"), "{e}");
        let filter = audit::AuditFilter {
            limit: 10,
            ..Default::default()
        };
        let e = audit::list(pool, &filter).await.unwrap_err();
        assert!(e.to_string().contains("maybe"), "{e}");
    }
}
