//! The configured directories and which ConnectWise companies each one serves.
use std::{collections::HashMap, sync::Arc};

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
    /// ConnectWise company identifiers mapped to it, as configured (compared case-insensitively).
    pub companies: Vec<String>,
    /// The record ids of `companies`, resolved through ConnectWise at startup
    /// ([`Directories::with_company_ids`]): tickets are mapped by these only, because an identifier
    /// can be renamed or reused by another company.
    pub company_ids: Vec<u64>,
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
            .field("company_ids", &self.company_ids)
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

    /// The directory serving the company with this record id.
    pub fn for_company(&self, company_id: u64) -> Option<&DirectoryEntry> {
        self.entries
            .iter()
            .find(|e| e.company_ids.contains(&company_id))
    }

    /// Every configured company identifier (as written), for resolving them to record ids.
    pub fn company_identifiers(&self) -> Vec<String> {
        let mut all: Vec<String> = Vec::new();
        for c in self.entries.iter().flat_map(|e| &e.companies) {
            if !all.iter().any(|a| a.eq_ignore_ascii_case(c)) {
                all.push(c.clone());
            }
        }
        all
    }

    /// Sets each entry's `company_ids` from `ids` (identifier, lowercase → record id, as
    /// ConnectWise answered). An identifier ConnectWise does not know is an error naming it.
    pub fn with_company_ids(mut self, ids: &HashMap<String, u64>) -> Result<Self, UnknownCompany> {
        for e in &mut self.entries {
            e.company_ids = e
                .companies
                .iter()
                .map(|c| {
                    ids.get(&c.trim().to_lowercase())
                        .copied()
                        .ok_or_else(|| UnknownCompany {
                            identifier: c.clone(),
                            directory: e.directory.name().to_string(),
                        })
                })
                .collect::<Result<_, _>>()?;
        }
        Ok(self)
    }
}

/// A configured company identifier that ConnectWise does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("directory {directory}: ConnectWise has no company with the identifier \"{identifier}\" (companies = [...] in the config)")]
pub struct UnknownCompany {
    /// As configured.
    pub identifier: String,
    /// The directory that lists it.
    pub directory: String,
}
