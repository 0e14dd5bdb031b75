//! The reset flow, independent of HTTP: ticket context, password reset, unlock, internal notes.
//!
//! [`Services`] holds what the flow talks to; `http/` only converts requests into calls here.
use std::sync::Arc;

use tokio::sync::Notify;

use crate::{agent::hub::AgentHub, store::Store};

pub mod connectwise_tickets;
pub mod context;
pub mod directories;
pub mod error;
pub mod notes;
pub mod password;
pub mod refusal;
pub mod tickets;
pub mod unlock;

/// Everything the flow needs; shared by the HTTP handlers and the outbox worker.
pub struct Services {
    /// Database.
    pub store: Store,
    /// ConnectWise (or a stand-in).
    pub tickets: Arc<dyn tickets::TicketSystem>,
    /// Configured directories (companies mapped once ConnectWise has named their record ids at
    /// startup: src/app.rs).
    directories: std::sync::RwLock<directories::Directories>,
    /// Note text and retry timing.
    pub notes: notes::NoteSettings,
    /// Wakes the outbox worker when a note was queued.
    pub outbox_wakeup: Notify,
    /// Connected site agents (the `agent` directories call through it).
    pub agents: Arc<AgentHub>,
    /// Caller verification providers and settings.
    pub verification: crate::verification::Verification,
    /// Keys the fingerprints of reset requests (src/store/fingerprint.rs).
    pub request_key: crate::store::fingerprint::FingerprintKey,
}

impl Services {
    /// The directory serving the company with this record id.
    pub fn directory_for_company(&self, company_id: u64) -> Option<directories::DirectoryEntry> {
        self.directories
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .for_company(company_id)
            .cloned()
    }

    /// The company's on-premises directory when Entra serves it too (synced accounts go there).
    pub fn on_premises_directory_for_company(
        &self,
        company_id: u64,
    ) -> Option<directories::DirectoryEntry> {
        self.directories
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .on_premises_for_company(company_id)
            .cloned()
    }

    /// Replaces the directories (once their companies are resolved).
    pub fn set_directories(&self, resolved: directories::Directories) {
        *self
            .directories
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = resolved;
    }

    /// Bundles the parts.
    pub fn new(
        store: Store,
        tickets: Arc<dyn tickets::TicketSystem>,
        directories: directories::Directories,
        notes: notes::NoteSettings,
        agents: Arc<AgentHub>,
        verification: crate::verification::Verification,
    ) -> Arc<Self> {
        Arc::new(Self {
            store,
            tickets,
            directories: std::sync::RwLock::new(directories),
            notes,
            outbox_wakeup: Notify::new(),
            agents,
            verification,
            request_key: crate::store::fingerprint::FingerprintKey::random(),
        })
    }
}
