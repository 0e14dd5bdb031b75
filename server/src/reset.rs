//! The reset flow, independent of HTTP: ticket context, password reset, unlock, internal notes.
//!
//! [`Services`] holds what the flow talks to; `http/` only converts requests into calls here.
use std::sync::Arc;

use axum::http::StatusCode;
use tokio::sync::Notify;

use crate::{connectwise::TicketKind, directory::DirectoryError, error::ApiError, store::Store};

pub mod connectwise_tickets;
pub mod context;
pub mod directories;
pub mod notes;
pub mod password;
pub mod tickets;
pub mod unlock;

/// Everything the flow needs; shared by the HTTP handlers and the outbox worker.
pub struct Services {
    /// Database.
    pub store: Store,
    /// ConnectWise (or a stand-in).
    pub tickets: Arc<dyn tickets::TicketSystem>,
    /// Configured directories.
    pub directories: directories::Directories,
    /// Note text and retry timing.
    pub notes: notes::NoteSettings,
    /// Wakes the outbox worker when a note was queued.
    pub outbox_wakeup: Notify,
}

impl Services {
    /// Bundles the parts.
    pub fn new(
        store: Store,
        tickets: Arc<dyn tickets::TicketSystem>,
        directories: directories::Directories,
        notes: notes::NoteSettings,
    ) -> Arc<Self> {
        Arc::new(Self {
            store,
            tickets,
            directories,
            notes,
            outbox_wakeup: Notify::new(),
        })
    }
}

/// `service` | `project`, as stored and shown.
pub fn kind_str(kind: TicketKind) -> &'static str {
    match kind {
        TicketKind::Service => "service",
        TicketKind::Project => "project",
    }
}

/// Inverse of [`kind_str`].
pub fn kind_from_str(s: &str) -> Option<TicketKind> {
    match s {
        "service" => Some(TicketKind::Service),
        "project" => Some(TicketKind::Project),
        _ => None,
    }
}

/// A directory failure during a reset or unlock: the API error, the audit result and the code.
pub struct DirectoryFailure {
    /// What the technician gets.
    pub error: ApiError,
    /// `refused` | `error`.
    pub audit_result: &'static str,
    /// The directory's code, if it gave one.
    pub code: Option<String>,
}

/// Maps a directory error. `likely_rules` are the core's violations under the effective policy.
pub fn directory_failure(
    e: &DirectoryError,
    likely_rules: &[passdesk_core::Violation],
) -> DirectoryFailure {
    match e {
        DirectoryError::PasswordRefused { code, .. } => {
            let message = if likely_rules.is_empty() {
                format!(
                    "The directory refused the password ({code}). It passes the policy PassDesk knows, so the \
                     likely cause is the password history (a recent password), the minimum password age, or an \
                     extra password filter on the directory. Try a different password."
                )
            } else {
                format!("The directory refused the password ({code}); it most likely broke the rules listed.")
            };
            DirectoryFailure {
                error: ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "DIRECTORY_REFUSED",
                    message,
                )
                .with("directory_code", code)
                .with("likely_rules", likely_rules),
                audit_result: "refused",
                code: Some(code.clone()),
            }
        }
        DirectoryError::AccessDenied { code, message } => DirectoryFailure {
            error: ApiError::new(
                StatusCode::FORBIDDEN,
                "DIRECTORY_ACCESS_DENIED",
                format!("PassDesk's directory account may not do this ({code}): {message}"),
            )
            .with("directory_code", code),
            audit_result: "error",
            code: Some(code.clone()),
        },
        DirectoryError::NotFound(what) => DirectoryFailure {
            error: ApiError::new(
                StatusCode::CONFLICT,
                "RESET_BLOCKED",
                format!("The account no longer exists: {what}"),
            )
            .with(
                "problems",
                [context::Problem {
                    code: "NO_ACCOUNT",
                    message: "The account no longer exists.".into(),
                }],
            ),
            audit_result: "error",
            code: None,
        },
        DirectoryError::Unavailable(why) => DirectoryFailure {
            error: ApiError::new(
                StatusCode::BAD_GATEWAY,
                "DIRECTORY_UNAVAILABLE",
                format!("The directory could not be reached: {why}"),
            ),
            audit_result: "error",
            code: None,
        },
        DirectoryError::Other { code, message } => DirectoryFailure {
            error: ApiError::new(
                StatusCode::BAD_GATEWAY,
                "DIRECTORY_ERROR",
                format!("The directory answered an error ({code}): {message}"),
            )
            .with("directory_code", code),
            audit_result: "error",
            code: Some(code.clone()),
        },
    }
}
