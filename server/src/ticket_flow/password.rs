//! `POST /tickets/{id}/reset`: idempotency claim → fresh context → core validation → directory
//! reset → audit + outbox (one transaction) → immediate note post.
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::{
    context,
    error::FlowError,
    notes::{self, NoteStatus},
    refusal, Services,
};
use crate::{
    connectwise::TicketKind,
    directory::{DirectoryAccount, DirectoryError},
    store::{
        audit::{self, AuditAction, AuditResult},
        fingerprint::RequestFingerprint,
        idempotency, outbox,
        tokens::Technician,
    },
    verification::{gate, notes::VerifiedBy},
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
    /// The account the panel showed (`account.id` of the context): the reset hits it or nothing.
    #[zeroize(skip)]
    pub account_id: String,
    /// The caller verification this reset relies on (src/verification/gate.rs).
    #[zeroize(skip)]
    #[serde(default)]
    pub verification_id: Option<String>,
}

impl std::fmt::Debug for ResetRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResetRequest")
            .field("password", &"<redacted>")
            .field("temporary", &self.temporary)
            .field("idempotency_key", &self.idempotency_key)
            .field("account_id", &self.account_id)
            .field("verification_id", &self.verification_id)
            .finish()
    }
}

/// What a successful reset reports (and the idempotency table keeps for replays).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResetSuccess {
    /// Where the internal note stands.
    pub note: NoteStatus,
    /// Must change at next logon.
    pub temporary: bool,
    /// The audit row.
    pub audit_id: i64,
    /// The account that was reset.
    pub account: DirectoryAccount,
    /// How the caller was verified (null: not verified).
    #[serde(default)]
    pub verified_by: Option<VerifiedBy>,
}

/// The outcome of one reset request as the idempotency table stores it: no HTTP in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResetOutcome {
    /// The password was set.
    Success(Box<ResetSuccess>),
    /// The request failed (after the directory saw it, or it was interrupted).
    Failure(FlowError),
}

impl From<Result<ResetSuccess, FlowError>> for ResetOutcome {
    fn from(r: Result<ResetSuccess, FlowError>) -> Self {
        match r {
            Ok(s) => Self::Success(Box::new(s)),
            Err(e) => Self::Failure(e),
        }
    }
}

/// The answer of [`reset`]: the outcome, and whether it is the stored one of an earlier request.
#[derive(Debug, Clone, PartialEq)]
pub struct ResetAnswer {
    /// Success or failure.
    pub outcome: Result<ResetSuccess, FlowError>,
    /// The stored outcome of an earlier request with the same key.
    pub replayed: bool,
}

impl ResetAnswer {
    fn fresh(outcome: Result<ResetSuccess, FlowError>) -> Self {
        Self {
            outcome,
            replayed: false,
        }
    }
}

/// Runs a reset for `technician`; never resets twice for the same idempotency key.
pub async fn reset(
    services: &Services,
    technician: &Technician,
    kind: TicketKind,
    ticket_id: u64,
    request: ResetRequest,
) -> ResetAnswer {
    match claim_and_run(services, technician, kind, ticket_id, &request).await {
        Ok(answer) => answer,
        Err(e) => ResetAnswer::fresh(Err(e)),
    }
}

async fn claim_and_run(
    services: &Services,
    technician: &Technician,
    kind: TicketKind,
    ticket_id: u64,
    request: &ResetRequest,
) -> Result<ResetAnswer, FlowError> {
    let key = request.idempotency_key.trim().to_string();
    if key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY_LEN {
        return Err(FlowError::BadRequest {
            detail: format!("idempotency_key must be 1 to {MAX_IDEMPOTENCY_KEY_LEN} characters."),
        });
    }
    let pool = services.store.pool();
    let fingerprint = fingerprint(services, request);
    match idempotency::claim::<ResetOutcome>(
        pool,
        technician.id,
        &key,
        ticket_id,
        kind,
        &fingerprint,
    )
    .await?
    {
        idempotency::Claim::Fresh => {}
        idempotency::Claim::Different => return Err(FlowError::IdempotencyKeyReused),
        idempotency::Claim::Done {
            outcome,
            ticket_id: first,
            ticket_kind,
        } => {
            if first != ticket_id || ticket_kind != kind {
                return Err(FlowError::IdempotencyKeyReused);
            }
            let outcome = match outcome {
                ResetOutcome::Success(s) => Ok(*s),
                ResetOutcome::Failure(e) => Err(e),
            };
            return Ok(ResetAnswer {
                outcome,
                replayed: true,
            });
        }
        idempotency::Claim::InProgress {
            ticket_id: first,
            ticket_kind,
        } => {
            if first != ticket_id || ticket_kind != kind {
                return Err(FlowError::IdempotencyKeyReused);
            }
            return Err(FlowError::ResetInProgress);
        }
    }
    match run(services, technician, kind, ticket_id, request).await {
        Ok(success) => {
            let outcome = ResetOutcome::Success(Box::new(success.clone()));
            idempotency::complete(pool, technician.id, &key, &outcome).await?;
            Ok(ResetAnswer::fresh(Ok(success)))
        }
        Err(Failure::BeforeDirectory(e)) => {
            // Nothing was changed: the same key may be tried again.
            idempotency::release(pool, technician.id, &key).await?;
            Err(e)
        }
        Err(Failure::AfterDirectory(e)) => {
            // The directory saw the request; replay this outcome rather than risk a second reset.
            let outcome = ResetOutcome::Failure(e.clone());
            idempotency::complete(pool, technician.id, &key, &outcome).await?;
            Err(e)
        }
    }
}

/// What the idempotency table keeps of `request` to tell a repeat from another request.
pub fn fingerprint(services: &Services, request: &ResetRequest) -> RequestFingerprint {
    services.request_key.fingerprint(
        &request.password,
        &format!(
            "temporary={};account={}",
            request.temporary,
            request.account_id.trim().to_lowercase()
        ),
    )
}

/// At startup: resets the previous run left unfinished (it stopped mid-reset) get a stored answer,
/// so repeating one explains what happened instead of answering "still running" forever. Whether
/// the directory took the password is unknown; the panel's next attempt uses a new key.
pub async fn answer_interrupted(services: &Services) -> sqlx::Result<u64> {
    let interrupted = ResetOutcome::Failure(FlowError::ResetInterrupted {
        detail: String::new(),
    });
    let count = idempotency::answer_unfinished(services.store.pool(), &interrupted).await?;
    if count > 0 {
        tracing::warn!(
            count,
            "resets interrupted by the last shutdown: their outcome is unknown"
        );
    }
    Ok(count)
}

/// Whether a failure happened before the directory was asked to change anything.
enum Failure {
    BeforeDirectory(FlowError),
    AfterDirectory(FlowError),
}

impl From<sqlx::Error> for Failure {
    fn from(e: sqlx::Error) -> Self {
        Failure::AfterDirectory(FlowError::internal(e))
    }
}

async fn run(
    services: &Services,
    technician: &Technician,
    kind: TicketKind,
    ticket_id: u64,
    request: &ResetRequest,
) -> Result<ResetSuccess, Failure> {
    let ctx = context::resolve(services, kind, ticket_id)
        .await
        .map_err(Failure::BeforeDirectory)?;
    let (entry, account) = ctx.target().map_err(Failure::BeforeDirectory)?;
    if !account.is_the_one(&request.account_id) {
        return Err(Failure::BeforeDirectory(FlowError::TargetChanged));
    }
    let verified_by = gate::check(
        services,
        technician,
        &ctx,
        entry,
        account,
        request.verification_id.as_deref(),
    )
    .await
    .map_err(Failure::BeforeDirectory)?;
    let Some(policy) = &ctx.policy else {
        return Err(Failure::BeforeDirectory(ctx.blocked()));
    };
    let validator =
        passdesk_core::Validator::new(policy, &account.core_account()).map_err(|e| {
            Failure::BeforeDirectory(FlowError::internal(format!(
                "the directory's policy is unusable: {e}"
            )))
        })?;
    let verdict = validator.validate(&request.password);
    let account_label = ctx.account_label();
    let reset_row = audit::NewAuditEntry {
        temporary: Some(request.temporary),
        ..ctx.audit_entry(technician, AuditAction::Reset, &account_label)
    };
    if !verdict.ok {
        // Audited although the directory was not asked: who tried to set what kind of password
        // for which account matters to an MSP (the row never holds the password).
        let row = audit::NewAuditEntry {
            result: AuditResult::Rejected,
            ..reset_row.clone()
        };
        let before = |e| Failure::BeforeDirectory(FlowError::internal(e));
        let mut conn = services.store.pool().acquire().await.map_err(before)?;
        audit::insert(&mut conn, &row).await.map_err(before)?;
        return Err(Failure::BeforeDirectory(FlowError::PolicyViolation {
            violations: verdict.violations,
        }));
    }

    let outcome = entry
        .directory
        .reset_password(account, &request.password, request.temporary)
        .await;
    let mut entry_row = audit::NewAuditEntry {
        note: Some(NoteStatus::Queued),
        ..reset_row
    };
    if let Err(e) = outcome {
        let refusal = match &e {
            DirectoryError::PasswordRefused { .. } => refusal::diagnose(
                &refusal::Refused {
                    policy,
                    account: &account.core_account(),
                    policy_uncertain: ctx.policy_uncertain.is_some(),
                    history_checked: entry.directory.checks_history_on_reset(),
                },
                &request.password,
            ),
            _ => refusal::Diagnosis::default(),
        };
        let failure = FlowError::from_directory(&e, &refusal);
        entry_row.result = audit_result(&failure);
        entry_row.directory_code = failure.directory_code();
        entry_row.note = None;
        let mut conn = services.store.pool().acquire().await?;
        audit::insert(&mut conn, &entry_row).await?;
        tracing::warn!(ticket = ticket_id, account = %entry_row.account, error = %e, "directory refused the reset");
        return Err(Failure::AfterDirectory(failure));
    }

    // Audit row and note go in together: a crash cannot leave a reset without its queued note.
    let text = notes::reset_note_text(
        &services.notes.text,
        &technician.name,
        &account_label,
        request.temporary,
        verified_by.as_ref(),
    );
    let mut tx = services.store.pool().begin().await?;
    let audit_id = audit::insert(&mut tx, &entry_row).await?;
    let outbox_id = outbox::enqueue_leased(&mut tx, audit_id, ticket_id, kind, &text).await?;
    tx.commit().await?;
    tracing::info!(ticket = ticket_id, account = %entry_row.account, audit_id, technician = %technician.name, "password reset");

    let note = notes::post_now(services, outbox_id).await;
    Ok(ResetSuccess {
        note,
        temporary: request.temporary,
        audit_id,
        account: account.clone(),
        verified_by,
    })
}

/// How the audit records a failed directory call: refused (the password) or error.
pub fn audit_result(e: &FlowError) -> AuditResult {
    match e {
        FlowError::DirectoryRefused { .. } => AuditResult::Refused,
        _ => AuditResult::Error,
    }
}
