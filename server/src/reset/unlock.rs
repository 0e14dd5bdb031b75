//! `POST /tickets/{id}/unlock`: fresh context → directory unlock → audit.
use serde_json::{json, Value};

use super::{context, directory_failure, Services};
use crate::{
    connectwise::TicketKind,
    error::ApiError,
    store::{audit, tokens::Technician},
};

/// Clears the lockout of the ticket's account.
pub async fn unlock(
    services: &Services,
    technician: &Technician,
    kind: TicketKind,
    ticket_id: u64,
) -> Result<Value, ApiError> {
    let ctx = context::resolve(services, kind, ticket_id).await?;
    let (entry, account) = ctx.target()?;
    let outcome = entry.directory.unlock(account).await;
    let account_label = ctx.account_label();
    let mut row = ctx.audit_entry(technician, "unlock", &account_label);
    let failure = outcome.as_ref().err().map(|e| directory_failure(e, &[]));
    if let Some(f) = &failure {
        row.result = f.audit_result;
        row.directory_code = f.code.as_deref();
    }
    let mut conn = services.store.pool().acquire().await?;
    let audit_id = audit::insert(&mut conn, &row).await?;
    match failure {
        Some(f) => Err(f.error),
        None => {
            tracing::info!(ticket = ticket_id, account = %account_label, audit_id, "account unlocked");
            Ok(json!({"result": "success", "audit_id": audit_id}))
        }
    }
}
