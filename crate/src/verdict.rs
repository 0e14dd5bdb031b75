//! The result of a validation: every failing rule, the rules met, and how certain we are.
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Stable rule identifiers (docs/policy.md). Serialized as e.g. `"AD_MIN_LEN"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[allow(missing_docs)]
pub enum RuleId {
    AdMinLen,
    AdMaxLen,
    AdSamName,
    AdDisplayNameToken,
    AdComplexity,
    EntraCharset,
    EntraMinLen,
    EntraMaxLen,
    EntraComplexity,
    EntraBanned,
    EntraNameSubstring,
    NistMinLen,
    NistBlocklist,
}

impl RuleId {
    /// The stable ID string, e.g. `"AD_MIN_LEN"`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::AdMinLen => "AD_MIN_LEN",
            RuleId::AdMaxLen => "AD_MAX_LEN",
            RuleId::AdSamName => "AD_SAM_NAME",
            RuleId::AdDisplayNameToken => "AD_DISPLAY_NAME_TOKEN",
            RuleId::AdComplexity => "AD_COMPLEXITY",
            RuleId::EntraCharset => "ENTRA_CHARSET",
            RuleId::EntraMinLen => "ENTRA_MIN_LEN",
            RuleId::EntraMaxLen => "ENTRA_MAX_LEN",
            RuleId::EntraComplexity => "ENTRA_COMPLEXITY",
            RuleId::EntraBanned => "ENTRA_BANNED",
            RuleId::EntraNameSubstring => "ENTRA_NAME_SUBSTRING",
            RuleId::NistMinLen => "NIST_MIN_LEN",
            RuleId::NistBlocklist => "NIST_BLOCKLIST",
        }
    }
}

/// One failing rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Violation {
    /// Stable rule ID.
    pub rule: RuleId,
    /// Plain words for a technician, e.g. "Contains the surname \"smith\"". Never contains the password.
    pub message: String,
    /// Offending part as UTF-16 code-unit offsets `[start, end)` for highlighting, when there is one.
    pub span: Option<[u32; 2]>,
}

/// One rule that is met (for a checklist UI).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Satisfied {
    /// Stable rule ID.
    pub rule: RuleId,
    /// What the rule asks, e.g. "At least 7 characters". Shared: a validator words each rule once
    /// and every verdict refers to that text.
    pub message: Arc<str>,
}

/// Outcome of validating one password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// True when no rule fails.
    pub ok: bool,
    /// Every failing rule, in policy evaluation order.
    pub violations: Vec<Violation>,
    /// Every rule of the policy that is met.
    pub satisfied: Vec<Satisfied>,
    /// Why the vendor's real behaviour may differ from this verdict (docs/policy.md §7), or null.
    pub uncertain: Option<String>,
}
