//! `POST /tickets/{id}/unlock`: fresh context → directory unlock → audit.
use serde::{Deserialize, Serialize};

use super::{context, error::FlowError, password::audit_result, Services};
use crate::{
    connectwise::TicketKind,
    store::{audit, tokens::Technician},
};

/// The (optional) request body.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnlockRequest {
    /// The caller verification this unlock relies on (src/verification/gate.rs).
    #[serde(default)]
    pub verification_id: Option<String>,
}

/// What a successful unlock reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnlockSuccess {
    /// The audit row.
    pub audit_id: i64,
    /// How the caller was verified (null: not verified).
    pub verified_by: Option<crate::verification::notes::VerifiedBy>,
}

/// Clears the lockout of the ticket's account.
pub async fn unlock(
    services: &Services,
    technician: &Technician,
    kind: TicketKind,
    ticket_id: u64,
    request: &UnlockRequest,
) -> Result<UnlockSuccess, FlowError> {
    let ctx = context::resolve(services, kind, ticket_id).await?;
    let (entry, account) = ctx.target()?;
    let verified_by = crate::verification::gate::check(
        services,
        technician,
        &ctx,
        entry,
        account,
        request.verification_id.as_deref(),
    )
    .await?;
    let outcome = entry.directory.unlock(account).await;
    let account_label = ctx.account_label();
    let mut row = ctx.audit_entry(technician, audit::AuditAction::Unlock, &account_label);
    let failure = outcome
        .as_ref()
        .err()
        .map(|e| FlowError::from_directory(e, &Default::default()));
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
            Ok(UnlockSuccess {
                audit_id,
                verified_by,
            })
        }
    }
}
