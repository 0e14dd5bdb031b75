//! NIST SP 800-63B-4 profile (policy.md §4): length in code points, whole-string blocklist.
use std::collections::HashSet;
use std::sync::Arc;

use zeroize::Zeroizing;

use super::checklist::Checklist;
use super::folded::utf16_span;
use crate::{NistPolicy, RuleId, Verdict};

#[derive(Debug, Clone)]
pub(crate) struct NistRules {
    min_length: u32,
    /// Lower-cased entries; compared with the whole lower-cased password, never substrings.
    blocklist: HashSet<String>,
    met_min_len: Arc<str>,
    met_blocklist: Arc<str>,
}

impl NistRules {
    pub(crate) fn new(policy: &NistPolicy) -> Self {
        let blocklist = policy
            .blocklist
            .iter()
            .filter(|e| !e.is_empty())
            .map(|e| e.to_lowercase())
            .collect();
        Self {
            min_length: policy.min_length,
            blocklist,
            met_min_len: format!("At least {} characters", policy.min_length).into(),
            met_blocklist: "Not on the blocklist of known or common passwords".into(),
        }
    }

    pub(crate) fn check(&self, password: &str) -> Verdict {
        let mut list = Checklist::new(2);
        let chars = password.chars().count();
        let len = u32::try_from(chars).unwrap_or(u32::MAX);
        if len >= self.min_length {
            list.pass(RuleId::NistMinLen, &self.met_min_len);
        } else {
            list.fail(
                RuleId::NistMinLen,
                format!(
                    "Too short: {len} characters, needs at least {}",
                    self.min_length
                ),
                None,
            );
        }

        let lowered = Zeroizing::new(password.to_lowercase());
        if self.blocklist.contains(lowered.as_str()) {
            list.fail(
                RuleId::NistBlocklist,
                "This whole password is on the blocklist of known or common passwords".to_string(),
                Some(utf16_span(password, 0, chars)),
            );
        } else {
            list.pass(RuleId::NistBlocklist, &self.met_blocklist);
        }
        list.finish()
    }
}
