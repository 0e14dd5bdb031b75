//! NIST SP 800-63B-4 profile (docs/policy.md §4): length in code points, whole-string blocklist.
use std::collections::HashSet;
use std::sync::Arc;

use zeroize::Zeroizing;

use super::checklist::Checklist;
use super::folded::utf16_span;
use super::nfkc::nfkc;
use crate::rules::RuleTable;
use crate::{NistPolicy, RuleId, Verdict};

#[derive(Debug, Clone)]
pub(crate) struct NistRules {
    table: RuleTable,
    /// Entries in NFKC, lower-cased; compared with the whole password normalised the same way,
    /// never substrings.
    blocklist: HashSet<String>,
    met_min_len: Arc<str>,
    met_blocklist: Arc<str>,
}

impl NistRules {
    pub(crate) fn new(policy: &NistPolicy, table: RuleTable) -> Self {
        let blocklist = policy
            .blocklist
            .iter()
            .filter(|e| !e.is_empty())
            .map(|e| comparable(e).to_string())
            .collect();
        Self {
            table,
            blocklist,
            met_min_len: format!("At least {} characters", table.min_len).into(),
            met_blocklist: "Not on the blocklist of known or common passwords".into(),
        }
    }

    pub(crate) fn check(&self, password: &str) -> Verdict {
        let mut list = Checklist::new(2);
        let len = self.table.unit.of(password);
        if len >= self.table.min_len {
            list.pass(RuleId::NistMinLen, &self.met_min_len);
        } else {
            list.fail(
                RuleId::NistMinLen,
                format!(
                    "Too short: {len} characters, needs at least {}",
                    self.table.min_len
                ),
                None,
            );
        }

        if self.blocklist.contains(comparable(password).as_str()) {
            list.fail(
                RuleId::NistBlocklist,
                "This whole password is on the blocklist of known or common passwords".to_string(),
                Some(utf16_span(password, 0, password.chars().count())),
            );
        } else {
            list.pass(RuleId::NistBlocklist, &self.met_blocklist);
        }
        list.finish()
    }
}

/// How the password and the entries are compared: NFKC, then lower case, so full-width, ligature and
/// other compatibility forms match their plain letters (a PassDesk decision, docs/policy.md §4).
fn comparable(s: &str) -> Zeroizing<String> {
    Zeroizing::new(nfkc(s).to_lowercase())
}

#[cfg(test)]
mod tests {
    use crate::{Account, NistPolicy, Policy, RuleId, Validator};

    fn rules(verdict: &crate::Verdict) -> Vec<RuleId> {
        verdict.violations.iter().map(|v| v.rule).collect()
    }

    #[test]
    fn blocklist_matches_compatibility_forms_and_case_of_the_whole_password() {
        let policy = Policy::Nist(NistPolicy {
            min_length: 8,
            blocklist: vec!["Password1234".into(), "ﬁnancedept".into()],
        });
        let v = Validator::new(&policy, &Account::default()).unwrap();
        for refused in [
            "password1234",
            "ＰＡＳＳＷＯＲＤ１２３４",
            "financedept",
            "FINANCEDEPT",
        ] {
            assert_eq!(
                rules(&v.validate(refused)),
                [RuleId::NistBlocklist],
                "{refused}"
            );
        }
        for accepted in ["password12345", "my password1234", "finance dept"] {
            assert!(v.validate(accepted).ok, "{accepted}");
        }
    }
}
