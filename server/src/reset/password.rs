//! `POST /tickets/{id}/reset`: idempotency claim → fresh context → core validation → directory
//! reset → audit + outbox (one transaction) → immediate note post.
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{json, Value};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::{
    context, directory_failure, kind_str,
    notes::{self, NoteStatus},
    Services,
};
use crate::{
    connectwise::TicketKind,
    error::ApiError,
    store::{audit, idempotency, outbox, tokens::Technician},
};

/// Longest accepted idempotency key.
pub const MAX_IDEMPOTENCY_KEY_LEN: usize = 128;

/// The request body. Not `Debug`-derived and wiped on drop: the password must never reach a log,
/// a span or a panic message.
#[derive(Deserialize, Zeroize, ZeroizeOnDrop)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    /// The new password.
    pub password: String,
    /// Must change at next logon.
    #[zeroize(skip)]
    pub temporary: bool,
    /// Chosen by the panel per attempt.
    pub idempotency_key: String,
}

impl std::fmt::Debug for ResetRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResetRequest")
            .field("password", &"<redacted>")
            .field("temporary", &self.temporary)
            .field("idempotency_key", &self.idempotency_key)
            .finish()
    }
}

/// An answer of the reset route: status + JSON body (success or error envelope).
pub type Answer = (StatusCode, Value);

/// Runs a reset for `technician`; never resets twice for the same idempotency key.
pub async fn reset(
    services: &Services,
    technician: &Technician,
    kind: TicketKind,
    ticket_id: u64,
    request: ResetRequest,
) -> Result<Answer, ApiError> {
    let key = request.idempotency_key.trim().to_string();
    if key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY_LEN {
        return Err(ApiError::bad_request(format!(
            "idempotency_key must be 1 to {MAX_IDEMPOTENCY_KEY_LEN} characters."
        )));
    }
    let pool = services.store.pool();
    match idempotency::claim(pool, technician.id, &key, ticket_id, kind_str(kind)).await? {
        idempotency::Claim::Fresh => {}
        idempotency::Claim::Done {
            status,
            mut response,
            ticket_id: first,
            ticket_kind,
        } => {
            if first != ticket_id || ticket_kind != kind_str(kind) {
                return Err(key_reused());
            }
            response["replayed"] = json!(true);
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            return Ok((status, response));
        }
        idempotency::Claim::InProgress {
            ticket_id: first,
            ticket_kind,
        } => {
            if first != ticket_id || ticket_kind != kind_str(kind) {
                return Err(key_reused());
            }
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "RESET_IN_PROGRESS",
                "A reset with this idempotency key is still running.",
            ));
        }
    }
    match run(services, technician, kind, ticket_id, &request).await {
        Ok(answer) => {
            idempotency::complete(pool, technician.id, &key, answer.0.as_u16(), &answer.1).await?;
            Ok(answer)
        }
        Err(Failure::BeforeDirectory(e)) => {
            // Nothing was changed: the same key may be tried again.
            idempotency::release(pool, technician.id, &key).await?;
            Err(e)
        }
        Err(Failure::AfterDirectory(e)) => {
            // The directory saw the request; replay this outcome rather than risk a second reset.
            idempotency::complete(pool, technician.id, &key, e.status.as_u16(), &e.body()).await?;
            Err(e)
        }
    }
}

/// At startup: resets the previous run left unfinished (it stopped mid-reset) get a stored answer,
/// so repeating one explains what happened instead of answering "still running" forever. Whether
/// the directory took the password is unknown; the panel's next attempt uses a new key.
pub async fn answer_interrupted(services: &Services) -> sqlx::Result<u64> {
    let interrupted = ApiError::new(
        StatusCode::CONFLICT,
        "RESET_INTERRUPTED",
        "This reset was interrupted (PassDesk restarted): whether the password was set is unknown. \
         Check the account, then reset again.",
    );
    let count = idempotency::answer_unfinished(
        services.store.pool(),
        interrupted.status.as_u16(),
        &interrupted.body(),
    )
    .await?;
    if count > 0 {
        tracing::warn!(
            count,
            "resets interrupted by the last shutdown: their outcome is unknown"
        );
    }
    Ok(count)
}

fn key_reused() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "IDEMPOTENCY_KEY_REUSED",
        "This idempotency key was already used for another ticket.",
    )
}

/// Whether a failure happened before the directory was asked to change anything.
enum Failure {
    BeforeDirectory(ApiError),
    AfterDirectory(ApiError),
}

impl From<sqlx::Error> for Failure {
    fn from(e: sqlx::Error) -> Self {
        Failure::AfterDirectory(ApiError::internal(e))
    }
}

async fn run(
    services: &Services,
    technician: &Technician,
    kind: TicketKind,
    ticket_id: u64,
    request: &ResetRequest,
) -> Result<Answer, Failure> {
    let ctx = context::resolve(services, kind, ticket_id)
        .await
        .map_err(Failure::BeforeDirectory)?;
    let (entry, account) = ctx.target().map_err(Failure::BeforeDirectory)?;
    let Some(policy) = &ctx.policy else {
        return Err(Failure::BeforeDirectory(ctx.blocked()));
    };
    let validator =
        passdesk_core::Validator::new(policy, &account.core_account()).map_err(|e| {
            Failure::BeforeDirectory(ApiError::internal(format!(
                "the directory's policy is unusable: {e}"
            )))
        })?;
    let verdict = validator.validate(&request.password);
    let account_label = ctx.account_label();
    let reset_row = audit::NewAuditEntry {
        temporary: Some(request.temporary),
        ..ctx.audit_entry(technician, "reset", &account_label)
    };
    if !verdict.ok {
        // Audited although the directory was not asked: who tried to set what kind of password
        // for which account matters to an MSP (the row never holds the password).
        let row = audit::NewAuditEntry {
            result: "rejected",
            ..reset_row.clone()
        };
        let before = |e| Failure::BeforeDirectory(ApiError::internal(e));
        let mut conn = services.store.pool().acquire().await.map_err(before)?;
        audit::insert(&mut conn, &row).await.map_err(before)?;
        return Err(Failure::BeforeDirectory(
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "POLICY_VIOLATION",
                "The password does not meet the account's password policy.",
            )
            .with("violations", &verdict.violations),
        ));
    }

    let outcome = entry
        .directory
        .reset_password(account, &request.password, request.temporary)
        .await;
    let mut entry_row = audit::NewAuditEntry {
        note: Some(NoteStatus::Queued.as_str()),
        ..reset_row
    };
    if let Err(e) = outcome {
        let failure = directory_failure(&e, &verdict.violations);
        entry_row.result = failure.audit_result;
        entry_row.directory_code = failure.code.as_deref();
        entry_row.note = None;
        let mut conn = services.store.pool().acquire().await?;
        audit::insert(&mut conn, &entry_row).await?;
        tracing::warn!(ticket = ticket_id, account = %entry_row.account, error = %e, "directory refused the reset");
        return Err(Failure::AfterDirectory(failure.error));
    }

    // Audit row and note go in together: a crash cannot leave a reset without its queued note.
    let text = notes::reset_note_text(&services.notes.text, &technician.name, request.temporary);
    let mut tx = services.store.pool().begin().await?;
    let audit_id = audit::insert(&mut tx, &entry_row).await?;
    let outbox_id =
        outbox::enqueue_leased(&mut tx, audit_id, ticket_id, kind_str(kind), &text).await?;
    tx.commit().await?;
    tracing::info!(ticket = ticket_id, account = %entry_row.account, audit_id, technician = %technician.name, "password reset");

    let note = notes::post_now(services, outbox_id).await;
    Ok((
        StatusCode::OK,
        json!({
            "result": "success",
            "note": note.as_str(),
            "temporary": request.temporary,
            "audit_id": audit_id,
            "account": account,
        }),
    ))
}
