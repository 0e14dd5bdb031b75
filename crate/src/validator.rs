//! Compiles a policy + account once, then validates passwords (one call per keystroke).
//!
//! One module per profile ([`active_directory`] for Windows and Samba DCs, [`entra`], [`nist`]);
//! each checks the [`RuleTable`] of its policy (shared with the generators); the shared pieces are
//! name folding ([`folded`],
//! [`names`]), Entra normalisation and the banned-term index.
use std::sync::OnceLock;

use crate::rules::RuleTable;
use crate::{Account, Policy, PolicyError, Verdict};

mod active_directory;
mod banned_index;
mod checklist;
mod entra;
mod folded;
mod messages;
mod names;
mod nfkc;
mod nist;
mod normalize;
mod policy_check;
mod windows_doubt;

/// The built-in list of common weak terms (PassDesk's own stand-in for Microsoft's secret global
/// list), one term per line, `#` comments.
const COMMON_WEAK_TERMS: &str = include_str!("../data/common_weak_terms.txt");

/// Terms of the built-in list, in file order.
pub fn common_weak_terms() -> impl Iterator<Item = &'static str> {
    COMMON_WEAK_TERMS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The built-in list, read once per process (each Entra validator indexes it together with its
/// own terms: one search per keystroke instead of one per list).
fn builtin_global_terms() -> &'static [&'static str] {
    static TERMS: OnceLock<Vec<&'static str>> = OnceLock::new();
    TERMS.get_or_init(|| common_weak_terms().collect())
}

#[derive(Debug, Clone)]
enum Compiled {
    ActiveDirectory(active_directory::AdRules),
    Entra(Box<entra::EntraRules>),
    Nist(nist::NistRules),
}

/// A compiled policy for one account. Build once, call [`Validator::validate`] per keystroke.
#[derive(Debug, Clone)]
pub struct Validator {
    policy: Policy,
    rules: RuleTable,
    compiled: Compiled,
}

impl Validator {
    /// Checks the policy and precomputes what every validation needs (name tokens, normalised
    /// banned terms and their indexes).
    pub fn new(policy: &Policy, account: &Account) -> Result<Self, PolicyError> {
        Self::build(policy, account, None)
    }

    /// Like [`Validator::new`], but an Entra policy with `global_list: true` uses `terms` instead of
    /// the built-in list of common weak terms (tests use the test list of docs/policy.md §8; an MSP
    /// may know more).
    pub fn with_global_terms<I, S>(
        policy: &Policy,
        account: &Account,
        terms: I,
    ) -> Result<Self, PolicyError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let terms: Vec<S> = terms.into_iter().collect();
        let terms: Vec<&str> = terms.iter().map(AsRef::as_ref).collect();
        Self::build(policy, account, Some(&terms))
    }

    fn build(
        policy: &Policy,
        account: &Account,
        global: Option<&[&str]>,
    ) -> Result<Self, PolicyError> {
        policy_check::check(policy)?;
        let rules = RuleTable::of(policy);
        let compiled = match policy {
            Policy::ActiveDirectory(p) => {
                Compiled::ActiveDirectory(active_directory::AdRules::new(p, account, rules))
            }
            Policy::Entra(p) => {
                let global = if p.global_list {
                    Some(global.unwrap_or(builtin_global_terms()))
                } else {
                    None
                };
                Compiled::Entra(Box::new(entra::EntraRules::new(p, account, global, rules)))
            }
            Policy::Nist(p) => Compiled::Nist(nist::NistRules::new(p, rules)),
        };
        Ok(Self {
            policy: policy.clone(),
            rules,
            compiled,
        })
    }

    /// The shape rules this validator checks (what the generators must produce).
    pub(crate) fn rules(&self) -> &RuleTable {
        &self.rules
    }

    /// The policy this validator enforces.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Every rule of the policy for `password`: the failing ones in `violations` (in policy order),
    /// the met ones in `satisfied`. Never panics; the crate's copies of the password are zeroized.
    pub fn validate(&self, password: &str) -> Verdict {
        match &self.compiled {
            Compiled::ActiveDirectory(rules) => rules.check(password),
            Compiled::Entra(rules) => rules.check(password),
            Compiled::Nist(rules) => rules.check(password),
        }
    }
}

/// One-shot validation (compiles the policy, validates once).
pub fn validate(
    password: &str,
    policy: &Policy,
    account: &Account,
) -> Result<Verdict, PolicyError> {
    Ok(Validator::new(policy, account)?.validate(password))
}
