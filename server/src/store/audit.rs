//! Audit trail: who did what to which account from which ticket. Never a secret.
use serde::Serialize;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection, SqlitePool};

use super::now_rfc3339;

/// A row to write (the id and time are assigned here).
#[derive(Debug, Clone)]
pub struct NewAuditEntry<'a> {
    /// Token row id.
    pub technician_id: i64,
    /// Technician name.
    pub technician: &'a str,
    /// Ticket id.
    pub ticket_id: u64,
    /// `service` | `project`.
    pub ticket_kind: &'a str,
    /// ConnectWise company identifier.
    pub company: &'a str,
    /// sAMAccountName, else UPN, else the directory id.
    pub account: &'a str,
    /// `reset` | `unlock`.
    pub action: &'a str,
    /// Temporary password (resets only).
    pub temporary: Option<bool>,
    /// `success` | `refused` (by the directory) | `error` | `rejected` (by the policy check,
    /// before the directory).
    pub result: &'a str,
    /// The directory's own error code, if any.
    pub directory_code: Option<&'a str>,
    /// `queued` when a note was enqueued with this row, else None.
    pub note: Option<&'a str>,
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
    /// `service` | `project`.
    pub ticket_kind: String,
    /// Company identifier.
    pub company: String,
    /// Account name.
    pub account: String,
    /// `reset` | `unlock`.
    pub action: String,
    /// Temporary password (resets only).
    pub temporary: Option<bool>,
    /// `success` | `refused` (by the directory) | `error` | `rejected` (by the policy check,
    /// before the directory).
    pub result: String,
    /// Directory error code.
    pub directory_code: Option<String>,
    /// `posted` | `queued` | `failed` | null.
    pub note: Option<String>,
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
         temporary, result, directory_code, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(now_rfc3339())
    .bind(e.technician_id)
    .bind(e.technician)
    .bind(e.ticket_id as i64)
    .bind(e.ticket_kind)
    .bind(e.company)
    .bind(e.account)
    .bind(e.action)
    .bind(e.temporary)
    .bind(e.result)
    .bind(e.directory_code)
    .bind(e.note)
    .execute(&mut *conn)
    .await?
    .last_insert_rowid();
    Ok(id)
}

/// Records where the row's note stands now: `posted` or `failed`.
pub async fn mark_note(conn: &mut SqliteConnection, audit_id: i64, note: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE audit SET note = ? WHERE id = ?")
        .bind(note)
        .bind(audit_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Rows matching `filter`, newest first.
pub async fn list(pool: &SqlitePool, filter: &AuditFilter) -> sqlx::Result<Vec<AuditEntry>> {
    let mut q = QueryBuilder::<Sqlite>::new(
        "SELECT id, at, technician, ticket_id, ticket_kind, company, account, action, temporary, result, \
         directory_code, note FROM audit WHERE 1 = 1",
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
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.get("id"),
            at: r.get("at"),
            technician: r.get("technician"),
            ticket_id: r.get("ticket_id"),
            ticket_kind: r.get("ticket_kind"),
            company: r.get("company"),
            account: r.get("account"),
            action: r.get("action"),
            temporary: r.get("temporary"),
            result: r.get("result"),
            directory_code: r.get("directory_code"),
            note: r.get("note"),
        })
        .collect())
}
