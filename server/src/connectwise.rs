//! ConnectWise Manage REST API 3.0: the subset PassDesk uses (tickets, contacts, notes).
//!
//! `client` is the real client (Basic auth `company+public:private`, `clientId` header, pinned
//! `Accept` version, paging, 429 + Retry-After); `sandbox` is a local server that speaks the same
//! documented subset (used by `passdesk demo` and as the simulator in tests). Never imports axum
//! outside `sandbox`.
use serde::{Deserialize, Serialize};

pub mod client;
pub mod sandbox;

vocabulary! {
    /// Service ticket or project ticket (different REST resources).
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum TicketKind {
        /// `/service/tickets/{id}`
        #[default]
        Service,
        /// `/project/tickets/{id}`
        Project,
    }
}

/// The company on a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompanyRef {
    /// ConnectWise company record id.
    pub id: u64,
    /// Company identifier (the short code directories are mapped to in the config).
    pub identifier: String,
    /// Display name.
    pub name: String,
}

/// The contact on a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactRef {
    /// Contact record id.
    pub id: u64,
    /// Display name.
    pub name: String,
}

/// What PassDesk needs of a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    /// Ticket id.
    pub id: u64,
    /// Service or project.
    pub kind: TicketKind,
    /// Summary line.
    pub summary: String,
    /// Company (always present on a ticket).
    pub company: CompanyRef,
    /// Contact, if any.
    pub contact: Option<ContactRef>,
    /// The ticket's own `contactEmailAddress`, if set.
    pub contact_email: Option<String>,
}
