//! Why a directory most likely refused a password PassDesk's validator accepted. A DC names no
//! rule (AD answers `0000052D` for every policy refusal), so PassDesk says what it can tell from
//! what it knows: the password under the other DC software's rules, a policy it could not read
//! whole, the history the DC checks on this reset, and what it cannot see at all.
use passdesk_core::{Account, DcKind, Policy, Validator, Violation};
use serde::{Deserialize, Serialize};

vocabulary! {
    /// A likely reason for a directory's refusal, most specific first.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum LikelyCause {
        /// The password breaks the rules of the other DC software (Samba and Windows count character
        /// kinds differently): the directory's `dc` setting may be wrong; `likely_rules` lists them.
        OtherDcProfile,
        /// The policy PassDesk checked was assumed or partly unreadable (a PSO it may not read).
        PolicyUncertain,
        /// The DC checks the password history on this reset (Windows with the policy-hints control)
        /// and the policy keeps a history: likely a recently used password.
        RecentlyUsed,
        /// What PassDesk cannot see: the minimum password age, or a password filter on the DC (e.g.
        /// Microsoft Entra Password Protection's DC agent).
        DirectoryFilter,
    }
}

/// What PassDesk can say about one refusal.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diagnosis {
    /// The rules the password breaks under the other DC profile (empty when none applies).
    pub likely_rules: Vec<Violation>,
    /// The likely causes, most specific first; always ends with [`LikelyCause::DirectoryFilter`].
    pub likely_causes: Vec<LikelyCause>,
}

/// What the reset knew when the directory refused `password`.
pub struct Refused<'a> {
    /// The policy the password passed.
    pub policy: &'a Policy,
    /// The account's names (for the name rules of the other profile).
    pub account: &'a Account,
    /// The context said the policy may not be exactly the directory's.
    pub policy_uncertain: bool,
    /// The directory checks the history on an admin reset.
    pub history_checked: bool,
}

/// The likely causes of a refusal of `password`.
pub fn diagnose(refused: &Refused<'_>, password: &str) -> Diagnosis {
    let mut out = Diagnosis::default();
    if let Policy::ActiveDirectory(ad) = refused.policy {
        let mut other = ad.clone();
        other.dc = match ad.dc {
            DcKind::Windows => DcKind::Samba,
            DcKind::Samba => DcKind::Windows,
        };
        if let Ok(v) = Validator::new(&Policy::ActiveDirectory(other), refused.account) {
            out.likely_rules = v.validate(password).violations;
        }
        if !out.likely_rules.is_empty() {
            out.likely_causes.push(LikelyCause::OtherDcProfile);
        }
    }
    if refused.policy_uncertain {
        out.likely_causes.push(LikelyCause::PolicyUncertain);
    }
    let keeps_history = match refused.policy {
        Policy::ActiveDirectory(ad) => ad.history_length > 0,
        _ => false,
    };
    if refused.history_checked && keeps_history {
        out.likely_causes.push(LikelyCause::RecentlyUsed);
    }
    out.likely_causes.push(LikelyCause::DirectoryFilter);
    out
}

/// Plain words for a technician, one sentence per cause.
pub fn explain(cause: LikelyCause) -> &'static str {
    match cause {
        LikelyCause::OtherDcProfile => {
            "If this DC runs the other DC software than configured (Samba instead of Windows or the \
             reverse), the password breaks the rules listed."
        }
        LikelyCause::PolicyUncertain => {
            "PassDesk could not read the whole policy that applies to this account; the real one may ask for more."
        }
        LikelyCause::RecentlyUsed => {
            "The DC checks the password history on this reset: the password may have been used recently."
        }
        LikelyCause::DirectoryFilter => {
            "The minimum password age, or a password filter on the DC, may have refused it."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use passdesk_core::{ActiveDirectoryPolicy, RuleId};

    fn ad(dc: DcKind, history_length: u32) -> Policy {
        Policy::ActiveDirectory(ActiveDirectoryPolicy {
            dc,
            min_length: 7,
            complexity: true,
            history_length,
        })
    }

    fn diagnosed(policy: &Policy, uncertain: bool, history: bool, password: &str) -> Diagnosis {
        let account = Account::default();
        let refused = Refused {
            policy,
            account: &account,
            policy_uncertain: uncertain,
            history_checked: history,
        };
        diagnose(&refused, password)
    }

    #[test]
    fn a_password_only_the_other_profile_refuses_names_its_rules() {
        // ß and İ are letters for Windows but Samba's fifth kind: 2 kinds on Samba.
        let d = diagnosed(&ad(DcKind::Windows, 0), false, false, "ßİ12345");
        let rules: Vec<RuleId> = d.likely_rules.iter().map(|v| v.rule).collect();
        assert_eq!(rules, [RuleId::AdComplexity]);
        assert_eq!(
            d.likely_causes,
            [LikelyCause::OtherDcProfile, LikelyCause::DirectoryFilter]
        );
        // The reverse: Samba counts ß as its own kind, Windows as lower case.
        let d = diagnosed(&ad(DcKind::Samba, 0), false, false, "straße12");
        assert_eq!(d.likely_causes[0], LikelyCause::OtherDcProfile);
    }

    #[test]
    fn history_counts_only_where_the_dc_checks_it_and_keeps_one() {
        let good = "Vx7#qLmz-Rt2";
        let d = diagnosed(&ad(DcKind::Windows, 24), true, true, good);
        assert!(d.likely_rules.is_empty());
        assert_eq!(
            d.likely_causes,
            [
                LikelyCause::PolicyUncertain,
                LikelyCause::RecentlyUsed,
                LikelyCause::DirectoryFilter
            ]
        );
        for (history_length, checked) in [(24, false), (0, true)] {
            let d = diagnosed(&ad(DcKind::Windows, history_length), false, checked, good);
            assert_eq!(d.likely_causes, [LikelyCause::DirectoryFilter]);
        }
    }

    #[test]
    fn every_cause_has_words() {
        for cause in [
            LikelyCause::OtherDcProfile,
            LikelyCause::PolicyUncertain,
            LikelyCause::RecentlyUsed,
            LikelyCause::DirectoryFilter,
        ] {
            assert!(explain(cause).ends_with('.'));
        }
    }
}
