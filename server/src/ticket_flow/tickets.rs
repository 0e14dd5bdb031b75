//! What the reset flow needs from the ticketing system, as a trait: the real implementation is the
//! ConnectWise client (`connectwise_tickets.rs`); the seam also keeps the flow testable on its own.
use std::time::Duration;

use async_trait::async_trait;

use crate::connectwise::{Ticket, TicketKind};

/// Failures the flow distinguishes (texts never contain a key or a password).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TicketError {
    /// The ticket / contact does not exist.
    #[error("not found")]
    NotFound,
    /// Temporarily unavailable (down, 5xx, 429): worth retrying, after `retry_after` if given.
    #[error("{message}")]
    Retryable {
        /// What happened.
        message: String,
        /// Delay the server asked for.
        retry_after: Option<Duration>,
    },
    /// Anything a retry will not fix (bad keys, 4xx, bad config).
    #[error("{0}")]
    Failed(String),
}

/// Reads tickets and posts internal notes.
#[async_trait]
pub trait TicketSystem: Send + Sync {
    /// The ticket with its company, contact and own contact email.
    async fn ticket(&self, kind: TicketKind, id: u64) -> Result<Ticket, TicketError>;
    /// The record id of the company with this identifier, if ConnectWise has one.
    async fn company_id(&self, identifier: &str) -> Result<Option<u64>, TicketError>;
    /// The contact record's Email items, the default one first (empty: none).
    async fn contact_emails(&self, contact_id: u64) -> Result<Vec<String>, TicketError>;
    /// Posts an internal note (`internalAnalysisFlag: true`); returns the note id.
    async fn post_internal_note(
        &self,
        kind: TicketKind,
        ticket_id: u64,
        text: &str,
    ) -> Result<u64, TicketError>;
}
