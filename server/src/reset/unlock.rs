//! `POST /tickets/{id}/unlock`: fresh context → directory unlock → audit.
use serde::Serialize;

use super::{context, error::FlowError, password::audit_result, Services};
use crate::{
    connectwise::TicketKind,
    store::{audit, tokens::Technician},
};

/// What a successful unlock reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnlockSuccess {
    /// The audit row.
    pub audit_id: i64,
}

/// Clears the lockout of the ticket's account.
pub async fn unlock(
    services: &Services,
    technician: &Technician,
    kind: TicketKind,
    ticket_id: u64,
) -> Result<UnlockSuccess, FlowError> {
    let ctx = context::resolve(services, kind, ticket_id).await?;
    let (entry, account) = ctx.target()?;
    let outcome = entry.directory.unlock(account).await;
    let account_label = ctx.account_label();
    let mut row = ctx.audit_entry(technician, audit::AuditAction::Unlock, &account_label);
    let failure = outcome
        .as_ref()
        .err()
        .map(|e| FlowError::from_directory(e, &[]));
    if let Some(f) = &failure {
        row.result = audit_result(f);
        row.directory_code = f.directory_code();
    }
    let mut conn = services.store.pool().acquire().await?;
    let audit_id = audit::insert(&mut conn, &row).await?;
    match failure {
        Some(f) => Err(f),
        None => {
            tracing::info!(ticket = ticket_id, account = %account_label, audit_id, "account unlocked");
            Ok(UnlockSuccess { audit_id })
        }
    }
}
