//! Policy descriptions, exactly the JSON shapes of the CLI and the wasm API.
use serde::{Deserialize, Serialize};

/// A password policy. JSON: `{"kind":"active_directory",...}`, `{"kind":"entra",...}`,
/// `{"kind":"nist",...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Policy {
    /// Active Directory domain policy or resultant PSO.
    ActiveDirectory(ActiveDirectoryPolicy),
    /// Entra ID cloud policy plus Password Protection (PassDesk's model, docs/policy.md §3.3).
    Entra(EntraPolicy),
    /// NIST SP 800-63B-4.
    Nist(NistPolicy),
}

/// Which DC software enforces the AD policy (they differ: docs/policy.md §2).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DcKind {
    /// Windows Server DC.
    #[default]
    Windows,
    /// Samba AD DC: UTF-16 length, 5th "unicode" category, no name checks.
    Samba,
}

/// `{"kind":"active_directory","dc":"windows","min_length":7,"complexity":true,"history_length":24}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ActiveDirectoryPolicy {
    /// Windows or Samba.
    pub dc: DcKind,
    /// `minPwdLength` / `msDS-MinimumPasswordLength` (0–255).
    pub min_length: u32,
    /// `pwdProperties & 1` / `msDS-PasswordComplexityEnabled`.
    pub complexity: bool,
    /// `pwdHistoryLength` (informational: history cannot be checked offline).
    pub history_length: u32,
}

impl Default for ActiveDirectoryPolicy {
    fn default() -> Self {
        Self {
            dc: DcKind::Windows,
            min_length: 7,
            complexity: true,
            history_length: 24,
        }
    }
}

/// `{"kind":"entra","custom_terms":["contoso"],"global_list":true,"tenant_name":"Contoso"}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EntraPolicy {
    /// Tenant custom banned terms (4–16 chars, up to 1000).
    pub custom_terms: Vec<String>,
    /// Apply the built-in list of common weak terms (our stand-in for Microsoft's secret global list).
    pub global_list: bool,
    /// Tenant display name (name-substring rule).
    pub tenant_name: Option<String>,
}

impl Default for EntraPolicy {
    fn default() -> Self {
        Self {
            custom_terms: Vec::new(),
            global_list: true,
            tenant_name: None,
        }
    }
}

/// `{"kind":"nist","min_length":15,"blocklist":["..."]}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NistPolicy {
    /// 15 for single-factor, 8 when used with MFA (code points).
    pub min_length: u32,
    /// Whole-string blocklist (compared after NFKC and lower-casing).
    pub blocklist: Vec<String>,
}

impl Default for NistPolicy {
    fn default() -> Self {
        Self {
            min_length: 15,
            blocklist: Vec::new(),
        }
    }
}

/// A policy that cannot be used (checked once when a [`crate::Validator`] is built).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// A numeric field is outside what the directory allows.
    #[error("{field} must be between {min} and {max}, got {value}")]
    OutOfRange {
        /// JSON field name.
        field: &'static str,
        /// Lowest allowed.
        min: u64,
        /// Highest allowed.
        max: u64,
        /// What was given.
        value: u64,
    },
    /// A custom banned term is too short or too long (Entra allows 4–16 characters).
    #[error("custom_terms[{index}] has {chars} characters; Entra allows {min} to {max}")]
    TermLength {
        /// Position in `custom_terms`.
        index: usize,
        /// Its length in characters.
        chars: usize,
        /// Shortest allowed.
        min: usize,
        /// Longest allowed.
        max: usize,
    },
    /// Too many custom banned terms.
    #[error("custom_terms holds {count} terms; Entra allows at most {max}")]
    TooManyTerms {
        /// How many were given.
        count: usize,
        /// The limit.
        max: usize,
    },
}

impl PolicyError {
    /// The variant's name (`"OutOfRange"`, ...): what the JS API reports as `error.variant`.
    pub fn variant(&self) -> &'static str {
        match self {
            PolicyError::OutOfRange { .. } => "OutOfRange",
            PolicyError::TermLength { .. } => "TermLength",
            PolicyError::TooManyTerms { .. } => "TooManyTerms",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names_match_the_enum() {
        let errors = [
            PolicyError::OutOfRange {
                field: "min_length",
                min: 0,
                max: 255,
                value: 300,
            },
            PolicyError::TermLength {
                index: 0,
                chars: 2,
                min: 4,
                max: 16,
            },
            PolicyError::TooManyTerms {
                count: 1001,
                max: 1000,
            },
        ];
        for e in errors {
            assert!(
                format!("{e:?}").starts_with(&format!("{} ", e.variant())),
                "{e:?}"
            );
        }
    }
}
