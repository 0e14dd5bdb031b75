//! Ticket → contact email → directory → account → effective policy, plus every problem that blocks
//! a reset. The reset and unlock flows call this again themselves: the client's idea of the
//! account is never trusted.
use serde::{Deserialize, Serialize};

use super::{
    directories::{DirectoryEntry, DirectoryKind},
    error::FlowError,
    tickets::TicketError,
    Services,
};
use crate::{
    connectwise::{CompanyRef, ContactRef, Ticket, TicketKind},
    directory::{DirectoryAccount, EffectivePolicy},
    store::{audit, tokens::Technician},
};

vocabulary! {
    /// What blocks a reset, as the panel knows it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum ProblemCode {
        /// The ticket has no contact.
        NoContact,
        /// The contact has no e-mail address.
        NoEmail,
        /// The ticket's e-mail is none of its contact's: fix the ticket (PassDesk never guesses).
        EmailMismatch,
        /// No directory serves the ticket's company.
        NoDirectory,
        /// No account matches the e-mail (or it no longer exists).
        NoAccount,
        /// More than one account matches.
        MultipleAccounts,
        /// The account is disabled.
        AccountDisabled,
        /// The account is privileged and the directory does not allow it.
        PrivilegedAccount,
        /// The directory could not be read.
        DirectoryUnavailable,
        /// The Entra account is synced from an on-premises AD that PassDesk has no directory for:
        /// Graph cannot set its password.
        OnPremisesSynced,
    }
}

/// Something that blocks a reset, with a code the panel knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// What kind of problem.
    pub code: ProblemCode,
    /// Plain words for a technician.
    pub message: String,
}

impl Problem {
    fn new(code: ProblemCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// The account was found, but the directory no longer has it when the flow acts on it.
    pub fn account_gone(what: &str) -> Self {
        Self::new(
            ProblemCode::NoAccount,
            format!("The account no longer exists: {what}"),
        )
    }
}

/// `ticket` of the context answer.
#[derive(Debug, Clone, Serialize)]
pub struct TicketView {
    /// Ticket id.
    pub id: u64,
    /// Service or project.
    pub kind: TicketKind,
    /// Summary.
    pub summary: String,
    /// Company.
    pub company: CompanyRef,
    /// Contact, if any.
    pub contact: Option<ContactRef>,
    /// The email the account is looked up by.
    pub email: Option<String>,
}

/// `directory` of the context answer.
#[derive(Debug, Clone, Serialize)]
pub struct DirectoryView {
    /// Configured name.
    pub name: String,
    /// The connector.
    pub kind: DirectoryKind,
}

/// The answer of `GET /tickets/{id}/context` (docs/api.md).
#[derive(Debug, Clone, Serialize)]
pub struct TicketContext {
    /// The ticket as ConnectWise has it.
    pub ticket: TicketView,
    /// The directory serving the ticket's company.
    pub directory: Option<DirectoryView>,
    /// The one matching account.
    pub account: Option<DirectoryAccount>,
    /// The effective policy in the core's JSON.
    pub policy: Option<passdesk_core::Policy>,
    /// The account fields the core validator needs.
    pub policy_account: Option<passdesk_core::Account>,
    /// Where the policy came from.
    pub policy_source: Option<String>,
    /// Why the policy may not be exactly what the directory enforces.
    pub policy_uncertain: Option<String>,
    /// Everything that blocks a reset.
    pub problems: Vec<Problem>,
    /// No problem.
    pub can_reset: bool,
    /// No problem and the account is locked.
    pub can_unlock: bool,
    /// Caller verification: required, the masked methods, the current verification
    /// (filled per technician by the context handler).
    pub verification: Option<crate::verification::flow::VerificationView>,
    /// The directory entry, for the reset flow.
    #[serde(skip)]
    pub entry: Option<DirectoryEntry>,
}

impl TicketContext {
    /// The directory entry and account a reset or unlock acts on: only when nothing blocks it,
    /// else [`FlowError::ResetBlocked`] with the problems.
    pub fn target(&self) -> Result<(&DirectoryEntry, &DirectoryAccount), FlowError> {
        match (&self.entry, &self.account) {
            (Some(entry), Some(account)) if self.problems.is_empty() => Ok((entry, account)),
            _ => Err(self.blocked()),
        }
    }

    /// The reset is blocked by the context's problems.
    pub fn blocked(&self) -> FlowError {
        FlowError::ResetBlocked {
            problems: self.problems.clone(),
        }
    }

    /// The audit row of a successful `action` on this ticket's account; the flows adjust the
    /// outcome fields (result, directory code, note) before inserting it.
    pub fn audit_entry<'a>(
        &'a self,
        technician: &'a Technician,
        action: audit::AuditAction,
        account_label: &'a str,
    ) -> audit::NewAuditEntry<'a> {
        audit::NewAuditEntry {
            technician_id: technician.id,
            technician: &technician.name,
            ticket_id: self.ticket.id,
            ticket_kind: self.ticket.kind,
            company: &self.ticket.company.identifier,
            account: account_label,
            action,
            temporary: None,
            result: audit::AuditResult::Success,
            directory_code: None,
            note: None,
            method: None,
            target: None,
        }
    }

    /// How the audit names the account: sAMAccountName, else UPN, else the directory id.
    pub fn account_label(&self) -> String {
        self.account
            .as_ref()
            .map(|a| {
                a.sam_account_name
                    .clone()
                    .or_else(|| a.upn.clone())
                    .unwrap_or_else(|| a.id.clone())
            })
            .unwrap_or_default()
    }
}

/// Maps a ConnectWise failure while reading the ticket.
pub fn ticket_error(e: TicketError) -> FlowError {
    match e {
        TicketError::NotFound => FlowError::TicketNotFound,
        other => FlowError::ConnectwiseUnavailable {
            detail: other.to_string(),
        },
    }
}

/// Builds the context of one ticket.
pub async fn resolve(
    services: &Services,
    kind: TicketKind,
    id: u64,
) -> Result<TicketContext, FlowError> {
    let ticket = services
        .tickets
        .ticket(kind, id)
        .await
        .map_err(ticket_error)?;
    let mut problems = Vec::new();
    let entry = services.directory_for_company(ticket.company.id);
    // The ticket's own e-mail is nearly always one of its contact's: it is looked up while
    // ConnectWise reads the contact, and the answer is used only if the contact confirms it.
    let typed = typed_email(&ticket);
    let early = async {
        match (&entry, &typed) {
            (Some(e), Some(typed)) => Some(e.directory.find_by_email(typed).await),
            _ => None,
        }
    };
    let (email, early) = tokio::join!(contact_email(services, &ticket, &mut problems), early);
    let email = email?;
    if entry.is_none() {
        problems.push(Problem::new(
            ProblemCode::NoDirectory,
            format!(
                "No directory is configured for the company \"{}\".",
                ticket.company.identifier
            ),
        ));
    }
    let mut ctx = TicketContext {
        ticket: TicketView {
            id: ticket.id,
            kind: ticket.kind,
            summary: ticket.summary,
            company: ticket.company,
            contact: ticket.contact,
            email: email.clone(),
        },
        directory: entry.as_ref().map(|e| DirectoryView {
            name: e.name().to_string(),
            kind: e.kind,
        }),
        account: None,
        policy: None,
        policy_account: None,
        policy_source: None,
        policy_uncertain: None,
        problems,
        can_reset: false,
        can_unlock: false,
        verification: None,
        entry,
    };
    if let (Some(entry), Some(email)) = (ctx.entry.clone(), email) {
        let before = ctx.problems.len();
        let found = match early {
            Some(found) if typed.is_some_and(|t| t.eq_ignore_ascii_case(&email)) => found,
            _ => entry.directory.find_by_email(&email).await,
        };
        look_up_account(&entry, &email, found, &mut ctx).await;
        if ctx
            .account
            .as_ref()
            .is_some_and(|a| a.synced_from_on_premises)
        {
            to_on_premises(services, &email, before, &mut ctx).await;
        }
    }
    ctx.can_reset = ctx.problems.is_empty();
    ctx.can_unlock = ctx.can_reset && ctx.account.as_ref().is_some_and(|a| a.locked);
    Ok(ctx)
}

/// The ticket's free-text e-mail, when it has a contact and one.
fn typed_email(ticket: &Ticket) -> Option<String> {
    ticket.contact.as_ref()?;
    ticket
        .contact_email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_owned)
}

/// The e-mail the account is looked up by: always one of the contact record's Email items (the
/// ticket's free-text e-mail only when it is one of them, else the default item). A ticket e-mail
/// that is none of them is `EMAIL_MISMATCH`: anyone can type an address on a ticket.
async fn contact_email(
    services: &Services,
    ticket: &Ticket,
    problems: &mut Vec<Problem>,
) -> Result<Option<String>, FlowError> {
    let Some(contact) = &ticket.contact else {
        problems.push(Problem::new(
            ProblemCode::NoContact,
            "The ticket has no contact.",
        ));
        return Ok(None);
    };
    let on_record: Vec<String> = match services.tickets.contact_emails(contact.id).await {
        Ok(emails) => emails
            .iter()
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty())
            .collect(),
        Err(TicketError::NotFound) => Vec::new(),
        Err(e) => return Err(ticket_error(e)),
    };
    let Some(default) = on_record.first() else {
        problems.push(Problem::new(
            ProblemCode::NoEmail,
            format!("The contact {} has no email address.", contact.name),
        ));
        return Ok(None);
    };
    match typed_email(ticket) {
        None => Ok(Some(default.clone())),
        Some(typed) => match on_record.iter().find(|e| e.eq_ignore_ascii_case(&typed)) {
            Some(item) => Ok(Some(item.clone())),
            None => {
                problems.push(Problem::new(
                    ProblemCode::EmailMismatch,
                    format!(
                        "The e-mail on this ticket ({typed}) is not one of {}'s; correct the ticket's contact or e-mail.",
                        contact.name
                    ),
                ));
                Ok(None)
            }
        },
    }
}

/// An Entra account synced from on-premises is set in the company's AD: when one is configured the
/// context becomes that AD's account (looked up by the same e-mail), so the reset goes there;
/// otherwise `ON_PREMISES_SYNCED` blocks it. `before`: the problems found before the Entra lookup.
async fn to_on_premises(services: &Services, email: &str, before: usize, ctx: &mut TicketContext) {
    let Some(ad) = services.on_premises_directory_for_company(ctx.ticket.company.id) else {
        ctx.problems.push(Problem::new(
            ProblemCode::OnPremisesSynced,
            format!(
                "This account comes from {}'s on-premises AD; reset it there.",
                ctx.ticket.company.name
            ),
        ));
        return;
    };
    ctx.problems.truncate(before);
    ctx.account = None;
    ctx.policy = None;
    ctx.policy_account = None;
    ctx.policy_source = None;
    ctx.policy_uncertain = None;
    ctx.directory = Some(DirectoryView {
        name: ad.name().to_string(),
        kind: ad.kind,
    });
    let found = ad.directory.find_by_email(email).await;
    look_up_account(&ad, email, found, ctx).await;
    ctx.entry = Some(ad);
}

/// Takes the one account `found` by `email` and reads its policy; every failure becomes a problem.
async fn look_up_account(
    entry: &DirectoryEntry,
    email: &str,
    found: Result<Vec<DirectoryAccount>, crate::directory::DirectoryError>,
    ctx: &mut TicketContext,
) {
    let unavailable = |e: crate::directory::DirectoryError| {
        tracing::warn!(directory = %entry.name(), error = %e, "directory lookup failed");
        Problem::new(
            ProblemCode::DirectoryUnavailable,
            format!("The directory {} could not be read: {e}", entry.name()),
        )
    };
    let mut accounts = match found {
        Ok(accounts) => accounts,
        Err(e) => return ctx.problems.push(unavailable(e)),
    };
    let account = match accounts.len() {
        0 => {
            return ctx.problems.push(Problem::new(
                ProblemCode::NoAccount,
                format!("No account in {} matches {email}.", entry.name()),
            ))
        }
        1 => accounts.remove(0),
        n => {
            return ctx.problems.push(Problem::new(
                ProblemCode::MultipleAccounts,
                format!(
                    "{n} accounts in {} match {email}; fix the directory before resetting.",
                    entry.name()
                ),
            ))
        }
    };
    if !account.enabled {
        ctx.problems.push(Problem::new(
            ProblemCode::AccountDisabled,
            "The account is disabled.",
        ));
    }
    if account.privileged && !entry.directory.allow_privileged() {
        ctx.problems.push(Problem::new(
            ProblemCode::PrivilegedAccount,
            "The account is privileged (an administrator); PassDesk does not reset it here.",
        ));
    }
    match entry.directory.effective_policy(&account).await {
        Ok(EffectivePolicy {
            policy,
            source,
            uncertain,
        }) => {
            ctx.policy = Some(policy);
            ctx.policy_source = Some(source);
            ctx.policy_uncertain = uncertain;
        }
        Err(e) => ctx.problems.push(unavailable(e)),
    }
    ctx.policy_account = Some(account.core_account());
    ctx.account = Some(account);
}
