//! The configured directories and which ConnectWise companies each one serves.
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::directory::Directory;

/// Which connector serves a directory (the config's `kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DirectoryKind {
    /// Active Directory / Samba over LDAPS or StartTLS.
    Ldap,
    /// Entra ID over Microsoft Graph.
    Graph,
    /// A customer's AD through its site agent.
    Agent,
    /// The in-memory demo directory.
    Sandbox,
}

/// One configured directory.
#[derive(Clone)]
pub struct DirectoryEntry {
    /// The connector.
    pub kind: DirectoryKind,
    /// ConnectWise company identifiers mapped to it (compared case-insensitively).
    pub companies: Vec<String>,
    /// The connector.
    pub directory: Arc<dyn Directory>,
    /// Caller verification for this customer (`verification`, `verification_methods`).
    pub verification: crate::verification::DirectoryVerification,
}

impl std::fmt::Debug for DirectoryEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DirectoryEntry")
            .field("name", &self.directory.name())
            .field("kind", &self.kind)
            .field("companies", &self.companies)
            .field("verification", &self.verification)
            .finish_non_exhaustive()
    }
}

/// All directories; the first one listing a company serves it.
#[derive(Debug, Clone, Default)]
pub struct Directories {
    entries: Vec<DirectoryEntry>,
}

impl DirectoryEntry {
    /// Name from the config (shown in the panel and the audit).
    pub fn name(&self) -> &str {
        self.directory.name()
    }
}

impl Directories {
    /// From the configured entries.
    pub fn new(entries: Vec<DirectoryEntry>) -> Self {
        Self { entries }
    }

    /// The directory configured for a company identifier.
    pub fn for_company(&self, identifier: &str) -> Option<&DirectoryEntry> {
        self.entries.iter().find(|e| {
            e.companies
                .iter()
                .any(|c| c.eq_ignore_ascii_case(identifier.trim()))
        })
    }
}
