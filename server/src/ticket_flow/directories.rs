//! The configured directories and which ConnectWise companies each one serves.
use std::{collections::HashMap, sync::Arc};

use serde::{Deserialize, Serialize};

use crate::directory::Directory;

vocabulary! {
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
        /// The in-memory demo directory of `passdesk demo` and the tests (a config cannot name it).
        Sandbox,
    }
}

impl DirectoryKind {
    /// An Active Directory (reached directly, through an agent, or the demo's): where the password
    /// of an account synced to Entra is really set.
    pub fn is_on_premises(self) -> bool {
        !matches!(self, Self::Graph)
    }
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

/// All directories. A company has at most one Entra and one on-premises directory
/// (`Config::check`); with both, Entra serves it and the AD takes its synced accounts.
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

    /// The directory serving the company with this record id: its Entra one when it has both.
    pub fn for_company(&self, company_id: u64) -> Option<&DirectoryEntry> {
        let mut serving = self.serving(company_id);
        let first = serving.next()?;
        Some(serving.find(|e| !e.kind.is_on_premises()).unwrap_or(first))
    }

    /// The company's on-premises directory when Entra serves it too: where the password of an
    /// account synced from on-premises is set.
    pub fn on_premises_for_company(&self, company_id: u64) -> Option<&DirectoryEntry> {
        let primary = self.for_company(company_id)?;
        if primary.kind.is_on_premises() {
            return None;
        }
        self.serving(company_id).find(|e| e.kind.is_on_premises())
    }

    fn serving(&self, company_id: u64) -> impl Iterator<Item = &DirectoryEntry> {
        self.entries
            .iter()
            .filter(move |e| e.company_ids.contains(&company_id))
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
