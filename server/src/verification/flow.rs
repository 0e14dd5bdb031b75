//! The verification flow: list the methods of the ticket's account, start a verification (send a
//! code or a push), take a typed code, report (and poll) where one stands. Every event is an
//! audit row (`verify`); final outcomes also post an internal note through the outbox.
use rand::RngCore as _;
use serde::{Deserialize, Serialize};

use super::{
    codes::{well_formed, OneTimeCode},
    methods::{self, Method, MethodInputs},
    notes::outcome_note,
    providers::{ProviderError, PushState},
    store::{self, VerificationRow},
    MethodKind, VerificationMode, VerificationStatus,
};
use crate::{
    connectwise::TicketKind,
    directory::{DirectoryAccount, DirectoryError},
    store::{
        audit::{self, AuditAction, AuditResult, NoteStatus},
        now_millis, outbox,
        tokens::Technician,
    },
    ticket_flow::{
        context::{self, TicketContext},
        directories::DirectoryEntry,
        error::FlowError,
        notes as reset_notes, Services,
    },
};

/// Body of `POST /tickets/{id}/verifications`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartRequest {
    /// A method id from the context.
    pub method: String,
    /// The account id the context showed.
    pub account_id: String,
}

/// Where a verification stands, as the API answers it (never a code or a full target).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerificationState {
    /// Verification id.
    pub id: String,
    /// Where it stands.
    pub status: VerificationStatus,
    /// The method id.
    pub method: String,
    /// Its kind.
    pub kind: MethodKind,
    /// Masked target.
    pub target: String,
    /// When the code / push stops being usable (RFC 3339).
    pub expires_at: String,
    /// Codes only, while `sent`: wrong codes still allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempts_left: Option<u32>,
    /// Successes only: until when reset / unlock accept it (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_until: Option<String>,
}

/// The context's `verification`.
#[derive(Debug, Clone, Serialize)]
pub struct VerificationView {
    /// Reset and unlock need a fresh verification.
    pub required: bool,
    /// The directory's setting.
    pub mode: VerificationMode,
    /// The methods on offer (masked).
    pub methods: Vec<Method>,
    /// This technician's latest verification of this account on this ticket, if recent.
    pub current: Option<VerificationState>,
    /// Why no method could be listed (the directory could not be read), if so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The answer for a row, as of `now_ms` (a `sent` code past its time reads `expired`).
pub fn state_of(services: &Services, row: &VerificationRow, now_ms: i64) -> VerificationState {
    let s = &services.verification.settings;
    let mut status = row.status;
    if status == VerificationStatus::Sent && now_ms > row.expires_at_ms {
        status = VerificationStatus::Expired;
    }
    let attempts_left = (status == VerificationStatus::Sent)
        .then(|| (s.max_wrong_codes as i64 - row.wrong_attempts).max(0) as u32);
    let verified_until = row
        .verified_at_ms
        .filter(|_| status.is_success())
        .map(|at| rfc3339(at + s.fresh_for.as_millis() as i64));
    VerificationState {
        id: row.id.clone(),
        status,
        method: row.method_id.clone(),
        kind: row.kind,
        target: row.target.clone(),
        expires_at: rfc3339(row.expires_at_ms),
        attempts_left,
        verified_until,
    }
}

/// The methods of one account (reads its contact points from the directory).
async fn methods_for(
    services: &Services,
    entry: &DirectoryEntry,
    account: &DirectoryAccount,
    lookup_email: Option<&str>,
) -> Result<Vec<Method>, DirectoryError> {
    if entry.verification.mode == VerificationMode::Off {
        return Ok(Vec::new());
    }
    let contacts = entry.directory.contact_points(account).await?;
    let work: Vec<&str> = [
        account.mail.as_deref(),
        account.upn.as_deref(),
        lookup_email,
    ]
    .into_iter()
    .flatten()
    .collect();
    let duo_username = services.verification.duo_username(account);
    Ok(methods::list(
        &MethodInputs {
            policy: &entry.verification,
            verification: &services.verification,
            work_addresses: &work,
            duo_username: duo_username.as_deref(),
        },
        &contacts,
    ))
}

/// The context's `verification` for `technician`.
pub async fn describe(
    services: &Services,
    technician: &Technician,
    ctx: &TicketContext,
) -> VerificationView {
    let Some(entry) = &ctx.entry else {
        return VerificationView {
            required: false,
            mode: VerificationMode::Off,
            methods: Vec::new(),
            current: None,
            problem: None,
        };
    };
    let mode = entry.verification.mode;
    let mut view = VerificationView {
        required: mode == VerificationMode::Required,
        mode,
        methods: Vec::new(),
        current: None,
        problem: None,
    };
    let Some(account) = &ctx.account else {
        return view;
    };
    match methods_for(services, entry, account, ctx.ticket.email.as_deref()).await {
        Ok(m) => view.methods = m,
        Err(e) => {
            tracing::warn!(directory = %entry.name(), error = %e, "contact points unreadable");
            view.problem = Some(format!("The contact points could not be read: {e}"));
        }
    }
    let latest = store::latest(
        services.store.pool(),
        technician.id,
        ctx.ticket.id,
        ctx.ticket.kind,
        entry.name(),
        &account.id,
    )
    .await;
    let now = now_millis();
    let recent = services.verification.settings.fresh_for.as_millis() as i64;
    match latest {
        Ok(Some(row)) if now - row.created_at_ms <= recent || row.status.is_success() => {
            let state = state_of(services, &row, now);
            let stale =
                state.status.is_success() && row.verified_at_ms.is_some_and(|at| now - at > recent);
            if !stale {
                view.current = Some(state);
            }
        }
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "reading verifications failed"),
    }
    view
}

fn new_id() -> String {
    let mut b = [0u8; 16];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

fn provider_failure(e: &ProviderError) -> FlowError {
    match e {
        ProviderError::RateLimited {
            message,
            retry_after,
        } => FlowError::VerificationProviderRateLimited {
            detail: message.clone(),
            retry_after_secs: retry_after.map(|d| d.as_secs().max(1)),
        },
        ProviderError::Refused(m) | ProviderError::Unavailable(m) => {
            FlowError::VerificationProviderFailed { detail: m.clone() }
        }
    }
}

/// Writes the audit row of one event and, for a final outcome, queues and posts its note.
async fn record(
    services: &Services,
    technician: &Technician,
    row: &VerificationRow,
    result: AuditResult,
    outcome: Option<VerificationStatus>,
) -> Result<(), FlowError> {
    let text = outcome.and_then(|s| outcome_note(s, row.kind, &row.target, &technician.name));
    let entry = audit::NewAuditEntry {
        technician_id: technician.id,
        technician: &technician.name,
        ticket_id: row.ticket_id,
        ticket_kind: row.ticket_kind,
        company: &row.company,
        account: &row.account,
        action: AuditAction::Verify,
        temporary: None,
        result,
        directory_code: None,
        note: text.as_ref().map(|_| NoteStatus::Queued),
        method: Some(row.kind),
        target: Some(&row.target),
    };
    let mut tx = services.store.pool().begin().await?;
    let audit_id = audit::insert(&mut tx, &entry).await?;
    let outbox_id = match &text {
        Some(text) => Some(
            outbox::enqueue_leased(&mut tx, audit_id, row.ticket_id, row.ticket_kind, text).await?,
        ),
        None => None,
    };
    tx.commit().await?;
    tracing::info!(ticket = row.ticket_id, account = %row.account, method = ?row.kind, result = ?result, audit_id, "caller verification");
    if let Some(id) = outbox_id {
        reset_notes::post_now(services, id).await;
    }
    Ok(())
}

/// Moves a row to a final `to` (if still `from`), audits it with `result` and notes it.
async fn finish(
    services: &Services,
    technician: &Technician,
    row: &VerificationRow,
    from: VerificationStatus,
    to: VerificationStatus,
    result: AuditResult,
) -> Result<bool, FlowError> {
    let moved = store::transition(services.store.pool(), &row.id, from, to, now_millis()).await?;
    if moved {
        record(services, technician, row, result, Some(to)).await?;
    }
    Ok(moved)
}

/// Starts a verification of the ticket's account with `request.method`.
pub async fn start(
    services: &Services,
    technician: &Technician,
    kind: TicketKind,
    ticket_id: u64,
    request: &StartRequest,
) -> Result<VerificationState, FlowError> {
    let ctx = context::resolve(services, kind, ticket_id).await?;
    let (entry, account) = ctx.target()?;
    if !account.is_the_one(&request.account_id) {
        return Err(FlowError::TargetChanged);
    }
    let methods = methods_for(services, entry, account, ctx.ticket.email.as_deref())
        .await
        .map_err(|e| FlowError::from_directory(&e, &Default::default()))?;
    let method = methods
        .into_iter()
        .find(|m| m.id == request.method.trim())
        .ok_or(FlowError::VerificationMethodUnknown)?;
    let settings = &services.verification.settings;
    let pool = services.store.pool();
    let now = now_millis();
    if method.kind.sends_code() {
        let window = settings.send_window.as_millis() as i64;
        let sends = store::recent_sends(pool, entry.name(), &account.id, now - window).await?;
        if sends.len() >= settings.max_sends as usize {
            let retry = (sends[0] + window - now).max(1000) / 1000;
            return Err(FlowError::VerificationRateLimited {
                retry_after_secs: retry as u64,
            });
        }
    }
    let id = new_id();
    let code = method.kind.sends_code().then(OneTimeCode::generate);
    let ttl = if method.kind.sends_code() {
        settings.code_ttl
    } else {
        settings.push_timeout
    };
    let mut row = VerificationRow {
        id: id.clone(),
        created_at_ms: now,
        expires_at_ms: now + ttl.as_millis() as i64,
        technician_id: technician.id,
        ticket_id,
        ticket_kind: kind,
        company: ctx.ticket.company.identifier.clone(),
        directory: entry.name().to_string(),
        account_id: account.id.clone(),
        account: ctx.account_label(),
        method_id: method.id.clone(),
        kind: method.kind,
        target: method.target.clone(),
        code_hash: code
            .as_ref()
            .map(|c| services.verification.key.hash(&id, c)),
        provider_ref: None,
        wrong_attempts: 0,
        status: VerificationStatus::Pending,
        verified_at_ms: None,
    };
    store::insert(pool, &row).await?;
    let sent = match (&code, services.verification.code_sender(method.kind)) {
        (Some(code), Some(sender)) => sender
            .send_code(&method.destination, code, ticket_id)
            .await
            .map(|()| VerificationStatus::Sent),
        (None, _) => match &services.verification.duo {
            Some(duo) => match duo.start_push(&method.destination, ticket_id).await {
                Ok(txid) => {
                    store::set_provider_ref(pool, &id, &txid).await?;
                    row.provider_ref = Some(txid);
                    Ok(VerificationStatus::Pending)
                }
                Err(e) => Err(e),
            },
            None => return Err(FlowError::VerificationMethodUnknown),
        },
        (Some(_), None) => return Err(FlowError::VerificationMethodUnknown),
    };
    match sent {
        Ok(status) => {
            if status == VerificationStatus::Sent {
                store::transition(pool, &id, VerificationStatus::Pending, status, now).await?;
            }
            row.status = status;
            record(services, technician, &row, AuditResult::Sent, None).await?;
            Ok(state_of(services, &row, now_millis()))
        }
        Err(e) => {
            tracing::warn!(ticket = ticket_id, method = %method.id, error = %e, "verification could not be sent");
            finish(
                services,
                technician,
                &row,
                VerificationStatus::Pending,
                VerificationStatus::Failed,
                AuditResult::Failed,
            )
            .await?;
            Err(provider_failure(&e))
        }
    }
}

/// The technician's own verification `id` (another technician's is "not found").
async fn own(
    services: &Services,
    technician: &Technician,
    id: &str,
) -> Result<VerificationRow, FlowError> {
    match store::get(services.store.pool(), id.trim()).await? {
        Some(row) if row.technician_id == technician.id => Ok(row),
        _ => Err(FlowError::VerificationNotFound),
    }
}

/// Closes a `sent` code or `pending` push whose time ran out; returns the row as it is now.
async fn expire_if_due(
    services: &Services,
    technician: &Technician,
    row: VerificationRow,
) -> Result<VerificationRow, FlowError> {
    let due = now_millis() > row.expires_at_ms;
    let (from, to, result) = match row.status {
        VerificationStatus::Sent => (
            row.status,
            VerificationStatus::Expired,
            AuditResult::Expired,
        ),
        VerificationStatus::Pending if row.kind == MethodKind::DuoPush => (
            row.status,
            VerificationStatus::Timeout,
            AuditResult::Timeout,
        ),
        _ => return Ok(row),
    };
    if due {
        finish(services, technician, &row, from, to, result).await?;
        return reload(services, &row.id).await;
    }
    Ok(row)
}

async fn reload(services: &Services, id: &str) -> Result<VerificationRow, FlowError> {
    store::get(services.store.pool(), id)
        .await?
        .ok_or(FlowError::VerificationNotFound)
}

fn closed(row: &VerificationRow) -> FlowError {
    match row.status {
        VerificationStatus::Locked => FlowError::VerificationLocked,
        VerificationStatus::Expired | VerificationStatus::Timeout => FlowError::VerificationExpired,
        status => FlowError::VerificationClosed { status },
    }
}

/// Checks the code the caller read back.
pub async fn submit_code(
    services: &Services,
    technician: &Technician,
    id: &str,
    typed: &str,
) -> Result<VerificationState, FlowError> {
    let row = own(services, technician, id).await?;
    if !row.kind.sends_code() {
        return Err(FlowError::BadRequest {
            detail: "This verification is a push: it has no code to enter.".into(),
        });
    }
    let typed = typed.trim();
    if !well_formed(typed) {
        return Err(FlowError::BadRequest {
            detail: "The code is 6 digits.".into(),
        });
    }
    let row = expire_if_due(services, technician, row).await?;
    if row.status != VerificationStatus::Sent {
        return Err(closed(&row));
    }
    let settings = &services.verification.settings;
    let stored = row.code_hash.as_deref().unwrap_or_default();
    if services.verification.key.matches(&row.id, typed, stored) {
        if finish(
            services,
            technician,
            &row,
            VerificationStatus::Sent,
            VerificationStatus::Verified,
            AuditResult::Verified,
        )
        .await?
        {
            let row = reload(services, &row.id).await?;
            return Ok(state_of(services, &row, now_millis()));
        }
        return Err(closed(&reload(services, &row.id).await?));
    }
    let pool = services.store.pool();
    let Some(wrong) = store::count_wrong(pool, &row.id).await? else {
        return Err(closed(&reload(services, &row.id).await?));
    };
    if wrong >= settings.max_wrong_codes as i64 {
        finish(
            services,
            technician,
            &row,
            VerificationStatus::Sent,
            VerificationStatus::Locked,
            AuditResult::Locked,
        )
        .await?;
        return Err(FlowError::VerificationLocked);
    }
    record(services, technician, &row, AuditResult::WrongCode, None).await?;
    Err(FlowError::WrongCode {
        attempts_left: (settings.max_wrong_codes as i64 - wrong) as u32,
    })
}

/// Where a verification stands; a pending push is asked about here (the panel polls).
pub async fn status(
    services: &Services,
    technician: &Technician,
    id: &str,
) -> Result<VerificationState, FlowError> {
    let row = expire_if_due(services, technician, own(services, technician, id).await?).await?;
    if row.kind == MethodKind::DuoPush && row.status == VerificationStatus::Pending {
        if let (Some(duo), Some(txid)) = (&services.verification.duo, &row.provider_ref) {
            let state = duo
                .push_status(txid)
                .await
                .map_err(|e| provider_failure(&e))?;
            let (to, result) = match state {
                PushState::Waiting => return Ok(state_of(services, &row, now_millis())),
                PushState::Approved => (VerificationStatus::Approved, AuditResult::Approved),
                PushState::Denied => (VerificationStatus::Denied, AuditResult::Denied),
                PushState::Timeout => (VerificationStatus::Timeout, AuditResult::Timeout),
            };
            finish(
                services,
                technician,
                &row,
                VerificationStatus::Pending,
                to,
                result,
            )
            .await?;
            let row = reload(services, &row.id).await?;
            return Ok(state_of(services, &row, now_millis()));
        }
    }
    Ok(state_of(services, &row, now_millis()))
}
