//! Audit trail: who did what to which account from which ticket. Never a secret.
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection, SqlitePool};

use super::{
    now_rfc3339,
    vocab::{parse, parse_opt, word},
};
use crate::connectwise::TicketKind;

vocabulary! {
    /// What was done to the account.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum AuditAction {
        /// Password reset.
        Reset,
        /// Lockout cleared.
        Unlock,
        /// A caller verification event (`method`, masked `target`).
        Verify,
    }
}

vocabulary! {
    /// How it ended.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum AuditResult {
        /// Done.
        Success,
        /// The directory refused the password.
        Refused,
        /// Any other failure of the directory call.
        Error,
        /// The policy check refused the password before the directory was asked.
        Rejected,
        /// Verification: a code was sent.
        Sent,
        /// Verification: the caller read back the right code.
        Verified,
        /// Verification: a wrong code was entered.
        WrongCode,
        /// Verification: too many wrong codes; the verification is closed.
        Locked,
        /// Verification: the code or push ran out of time before it was used.
        Expired,
        /// Verification: the user approved the Duo push.
        Approved,
        /// Verification: the user (or Duo) denied the push.
        Denied,
        /// Verification: the push was not answered in time.
        Timeout,
        /// Verification: the code or push could not be sent.
        Failed,
    }
}

vocabulary! {
    /// Where the internal note of a reset stands, as the API and the audit say it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum NoteStatus {
        /// ConnectWise has it.
        Posted,
        /// In the outbox; the worker will post it.
        Queued,
        /// PassDesk stopped trying (`reset::notes::gives_up`): a person has to add the note.
        Failed,
    }
}

/// A row to write (the id and time are assigned here).
#[derive(Debug, Clone)]
pub struct NewAuditEntry<'a> {
    /// Token row id.
    pub technician_id: i64,
    /// Technician name.
    pub technician: &'a str,
    /// Ticket id.
    pub ticket_id: u64,
    /// Service or project.
    pub ticket_kind: TicketKind,
    /// ConnectWise company identifier.
    pub company: &'a str,
    /// sAMAccountName, else UPN, else the directory id.
    pub account: &'a str,
    /// Reset or unlock.
    pub action: AuditAction,
    /// Temporary password (resets only).
    pub temporary: Option<bool>,
    /// How it ended.
    pub result: AuditResult,
    /// The directory's own error code, if any.
    pub directory_code: Option<&'a str>,
    /// `queued` when a note was enqueued with this row, else None.
    pub note: Option<NoteStatus>,
    /// Verification rows: the method kind (`sms`, `email`, `duo_push`).
    pub method: Option<crate::verification::MethodKind>,
    /// Verification rows: the masked contact point.
    pub target: Option<&'a str>,
}

/// A row as `GET /api/v1/audit` returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    /// Row id.
    pub id: i64,
    /// RFC 3339.
    pub at: String,
    /// Technician name.
    pub technician: String,
    /// Ticket id.
    pub ticket_id: i64,
    /// Service or project.
    pub ticket_kind: TicketKind,
    /// Company identifier.
    pub company: String,
    /// Account name.
    pub account: String,
    /// Reset or unlock.
    pub action: AuditAction,
    /// Temporary password (resets only).
    pub temporary: Option<bool>,
    /// How it ended.
    pub result: AuditResult,
    /// Directory error code.
    pub directory_code: Option<String>,
    /// Where the note stands; null when the row has none.
    pub note: Option<NoteStatus>,
    /// Verification rows: the method kind.
    pub method: Option<crate::verification::MethodKind>,
    /// Verification rows: the masked contact point.
    pub target: Option<String>,
}

/// Filters of `GET /api/v1/audit`; every field optional.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Ticket id.
    pub ticket: Option<u64>,
    /// Account name (exact, case-insensitive).
    pub account: Option<String>,
    /// Technician name (exact, case-insensitive).
    pub technician: Option<String>,
    /// At or after (RFC 3339, normalised to UTC seconds).
    pub since: Option<String>,
    /// At or before (RFC 3339, normalised to UTC seconds).
    pub until: Option<String>,
    /// At most this many rows, newest first.
    pub limit: u32,
}

/// Inserts one row (inside the caller's transaction) and returns its id.
pub async fn insert(conn: &mut SqliteConnection, e: &NewAuditEntry<'_>) -> sqlx::Result<i64> {
    let id = sqlx::query(
        "INSERT INTO audit (at, technician_id, technician, ticket_id, ticket_kind, company, account, action, \
         temporary, result, directory_code, note, method, target) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(now_rfc3339())
    .bind(e.technician_id)
    .bind(e.technician)
    .bind(e.ticket_id as i64)
    .bind(word(&e.ticket_kind))
    .bind(e.company)
    .bind(e.account)
    .bind(word(&e.action))
    .bind(e.temporary)
    .bind(word(&e.result))
    .bind(e.directory_code)
    .bind(e.note.as_ref().map(word))
    .bind(e.method.as_ref().map(word))
    .bind(e.target)
    .execute(&mut *conn)
    .await?
    .last_insert_rowid();
    Ok(id)
}

/// Records where the row's note stands now: `posted` or `failed`.
pub async fn mark_note(
    conn: &mut SqliteConnection,
    audit_id: i64,
    note: NoteStatus,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE audit SET note = ? WHERE id = ?")
        .bind(word(&note))
        .bind(audit_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Rows matching `filter`, newest first.
pub async fn list(pool: &SqlitePool, filter: &AuditFilter) -> sqlx::Result<Vec<AuditEntry>> {
    let mut q = QueryBuilder::<Sqlite>::new(
        "SELECT id, at, technician, ticket_id, ticket_kind, company, account, action, temporary, result, \
         directory_code, note, method, target FROM audit WHERE 1 = 1",
    );
    if let Some(t) = filter.ticket {
        q.push(" AND ticket_id = ").push_bind(t as i64);
    }
    if let Some(a) = &filter.account {
        q.push(" AND account = ")
            .push_bind(a.clone())
            .push(" COLLATE NOCASE");
    }
    if let Some(t) = &filter.technician {
        q.push(" AND technician = ")
            .push_bind(t.clone())
            .push(" COLLATE NOCASE");
    }
    if let Some(s) = &filter.since {
        q.push(" AND at >= ").push_bind(s.clone());
    }
    if let Some(u) = &filter.until {
        q.push(" AND at <= ").push_bind(u.clone());
    }
    q.push(" ORDER BY id DESC LIMIT ")
        .push_bind(filter.limit as i64);
    let rows = q.build().fetch_all(pool).await?;
    rows.into_iter()
        .map(|r| {
            Ok(AuditEntry {
                id: r.get("id"),
                at: r.get("at"),
                technician: r.get("technician"),
                ticket_id: r.get("ticket_id"),
                ticket_kind: parse("ticket_kind", r.get("ticket_kind"))?,
                company: r.get("company"),
                account: r.get("account"),
                action: parse("action", r.get("action"))?,
                temporary: r.get("temporary"),
                result: parse("result", r.get("result"))?,
                directory_code: r.get("directory_code"),
                note: parse_opt("note", r.get("note"))?,
                method: parse_opt("method", r.get("method"))?,
                target: r.get("target"),
            })
        })
        .collect()
}
