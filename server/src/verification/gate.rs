//! The check reset and unlock make before they touch the directory: where the directory requires
//! it, a fresh successful verification of **this** account by **this** technician on **this**
//! ticket, or `VERIFICATION_REQUIRED`. The backend decides; the panel's word counts for nothing.
use super::{notes::VerifiedBy, store, VerificationMode};
use crate::{
    directory::DirectoryAccount,
    store::{now_millis, tokens::Technician},
    ticket_flow::{
        context::TicketContext, directories::DirectoryEntry, error::FlowError, Services,
    },
};

/// How the caller of this reset / unlock was verified (None: not verified, allowed here), or
/// [`FlowError::VerificationRequired`]. `verification_id` names the verification the panel
/// used; without one the newest success of the same binding counts.
pub async fn check(
    services: &Services,
    technician: &Technician,
    ctx: &TicketContext,
    entry: &DirectoryEntry,
    account: &DirectoryAccount,
    verification_id: Option<&str>,
) -> Result<Option<VerifiedBy>, FlowError> {
    let mode = entry.verification.mode;
    if mode == VerificationMode::Off {
        return Ok(None);
    }
    let pool = services.store.pool();
    let row = match verification_id.map(str::trim).filter(|v| !v.is_empty()) {
        Some(id) => store::get(pool, id).await?,
        None => {
            store::latest_success(
                pool,
                technician.id,
                ctx.ticket.id,
                ctx.ticket.kind,
                entry.name(),
                &account.id,
            )
            .await?
        }
    };
    let fresh_ms = services.verification.settings.fresh_for.as_millis() as i64;
    let now = now_millis();
    let valid = row.filter(|r| {
        r.technician_id == technician.id
            && r.ticket_id == ctx.ticket.id
            && r.ticket_kind == ctx.ticket.kind
            && r.directory == entry.name()
            && r.account_id.eq_ignore_ascii_case(&account.id)
            && r.status.is_success()
            && r.verified_at_ms.is_some_and(|at| now - at <= fresh_ms)
    });
    match (valid, mode) {
        (Some(r), _) => Ok(Some(VerifiedBy {
            verification_id: r.id,
            kind: r.kind,
            target: r.target,
        })),
        (None, VerificationMode::Required) => Err(FlowError::VerificationRequired),
        (None, _) => Ok(None),
    }
}
