//! What stops the flow, in the flow's own words. `http/error.rs` turns it into status + code +
//! message, once; the idempotency table stores it as it is here (no HTTP status), so a replay is
//! mapped by the same code as the first answer.
use passdesk_core::Violation;
use serde::{Deserialize, Serialize};

use super::context::Problem;
use crate::directory::DirectoryError;

/// A flow failure. Serialised (for the idempotency table) with its `code` as the tag, the same word
/// the API answers; the fields are data, never a password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FlowError {
    /// The request cannot be served as given (e.g. an idempotency key that is empty or too long).
    BadRequest {
        /// What is wrong, in words that quote nothing from the request.
        #[serde(default)]
        detail: String,
    },
    /// ConnectWise has no such ticket.
    TicketNotFound,
    /// ConnectWise could not be read.
    ConnectwiseUnavailable {
        /// What went wrong (never a key).
        #[serde(default)]
        detail: String,
    },
    /// Something blocks the reset / unlock (`problems` says what).
    ResetBlocked {
        /// Every blocking problem.
        problems: Vec<Problem>,
    },
    /// The password breaks the account's policy; the directory was not asked.
    PolicyViolation {
        /// The core's violations.
        violations: Vec<Violation>,
    },
    /// The directory refused the password.
    DirectoryRefused {
        /// The directory's own code, e.g. `LDAP 19 (0000052D)`.
        directory_code: String,
        /// The rules the password breaks under the other DC profile (src/ticket_flow/refusal.rs).
        #[serde(default)]
        likely_rules: Vec<Violation>,
        /// What most likely made the directory refuse it, most specific first.
        #[serde(default)]
        likely_causes: Vec<super::refusal::LikelyCause>,
    },
    /// PassDesk's directory account may not do this.
    DirectoryAccessDenied {
        /// The directory's own code.
        directory_code: String,
        /// The directory's text.
        #[serde(default)]
        detail: String,
    },
    /// The directory could not be reached.
    DirectoryUnavailable {
        /// Why.
        #[serde(default)]
        detail: String,
    },
    /// Any other directory answer.
    DirectoryError {
        /// The directory's own code.
        directory_code: String,
        /// The directory's text.
        #[serde(default)]
        detail: String,
    },
    /// A reset with this idempotency key is still running.
    ResetInProgress,
    /// The reset with this key was cut off (by a restart, or a site agent's connection that dropped
    /// before it answered): its outcome is unknown.
    ResetInterrupted {
        /// Empty for a restart; else why no answer came.
        #[serde(default)]
        detail: String,
    },
    /// The idempotency key was already used for another request.
    IdempotencyKeyReused,
    /// The ticket now resolves to another account than the one the panel showed: nothing done.
    TargetChanged,
    /// The directory requires a fresh verification of this caller by this technician on this
    /// ticket before a reset or unlock.
    VerificationRequired,
    /// No such verification method for the ticket's account (or verification is off).
    VerificationMethodUnknown,
    /// No such verification (or another technician's).
    VerificationNotFound,
    /// The typed code is wrong.
    WrongCode {
        /// Wrong codes still allowed before the verification is locked.
        attempts_left: u32,
    },
    /// Too many wrong codes: start a new verification.
    VerificationLocked,
    /// The code or push ran out of time.
    VerificationExpired,
    /// The verification is already closed (`status` says how).
    VerificationClosed {
        /// Its final status.
        status: crate::verification::VerificationStatus,
    },
    /// Too many codes sent to this account recently.
    VerificationRateLimited {
        /// Seconds until another code may be sent.
        retry_after_secs: u64,
    },
    /// The SMS / e-mail / Duo provider asks to slow down.
    VerificationProviderRateLimited {
        /// The provider's words.
        #[serde(default)]
        detail: String,
        /// Seconds to wait, when the provider said.
        #[serde(default)]
        retry_after_secs: Option<u64>,
    },
    /// The provider could not send the code or push.
    VerificationProviderFailed {
        /// Why (never a code, number or key).
        #[serde(default)]
        detail: String,
    },
    /// A failure inside PassDesk (database, unusable policy); `detail` is logged, not shown.
    Internal {
        /// For the log (never a secret).
        #[serde(default)]
        detail: String,
    },
}

impl FlowError {
    /// An internal failure; `err` goes to the log only.
    pub fn internal(err: impl std::fmt::Display) -> Self {
        Self::Internal {
            detail: err.to_string(),
        }
    }

    /// A directory failure during a reset or unlock; `refusal` says what most likely made it
    /// refuse a password. An account that is gone blocks like a missing one.
    pub fn from_directory(e: &DirectoryError, refusal: &super::refusal::Diagnosis) -> Self {
        match e {
            DirectoryError::PasswordRefused { code, .. } => Self::DirectoryRefused {
                directory_code: code.clone(),
                likely_rules: refusal.likely_rules.clone(),
                likely_causes: refusal.likely_causes.clone(),
            },
            DirectoryError::AccessDenied { code, message } => Self::DirectoryAccessDenied {
                directory_code: code.clone(),
                detail: message.clone(),
            },
            DirectoryError::NotFound(what) => Self::ResetBlocked {
                problems: vec![Problem::account_gone(what)],
            },
            DirectoryError::Unavailable(why) => Self::DirectoryUnavailable {
                detail: why.clone(),
            },
            DirectoryError::OutcomeUnknown(why) => Self::ResetInterrupted {
                detail: why.clone(),
            },
            DirectoryError::Other { code, message } => Self::DirectoryError {
                directory_code: code.clone(),
                detail: message.clone(),
            },
        }
    }

    /// The directory's own code, if this is a directory answer that carried one.
    pub fn directory_code(&self) -> Option<&str> {
        match self {
            Self::DirectoryRefused { directory_code, .. }
            | Self::DirectoryAccessDenied { directory_code, .. }
            | Self::DirectoryError { directory_code, .. } => Some(directory_code),
            _ => None,
        }
    }
}

impl From<sqlx::Error> for FlowError {
    fn from(e: sqlx::Error) -> Self {
        Self::internal(e)
    }
}

impl std::fmt::Display for FlowError {
    /// For logs: the code and the detail (never a secret).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let json = serde_json::to_value(self).unwrap_or_default();
        let code = json["code"].as_str().unwrap_or("?");
        match self {
            Self::BadRequest { detail }
            | Self::ConnectwiseUnavailable { detail }
            | Self::DirectoryUnavailable { detail }
            | Self::ResetInterrupted { detail }
            | Self::Internal { detail }
            | Self::DirectoryAccessDenied { detail, .. }
            | Self::DirectoryError { detail, .. }
            | Self::VerificationProviderFailed { detail }
            | Self::VerificationProviderRateLimited { detail, .. } => write!(f, "{code}: {detail}"),
            _ => f.write_str(code),
        }
    }
}
