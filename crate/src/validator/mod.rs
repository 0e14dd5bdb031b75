//! Compiles a policy + account once, then validates passwords (one call per keystroke).
//!
//! One module per profile ([`active_directory`] for Windows and Samba DCs, [`entra`], [`nist`]);
//! the shared pieces are the character classifiers ([`classify`]), name folding ([`folded`],
//! [`names`]), Entra normalisation and the banned-term index.
use std::sync::{Arc, OnceLock};

use crate::{Account, Policy, PolicyError, Verdict};

mod active_directory;
mod banned_index;
mod checklist;
mod classify;
mod entra;
mod folded;
mod messages;
mod names;
mod nfkc;
mod nist;
mod normalize;
mod policy_check;

use banned_index::{BannedIndex, TermSource};

/// The built-in list of common weak terms (PassDesk's own stand-in for Microsoft's secret global
/// list), one term per line, `#` comments.
const COMMON_WEAK_TERMS: &str = include_str!("../../data/common_weak_terms.txt");

/// Terms of the built-in list, in file order.
pub fn common_weak_terms() -> impl Iterator<Item = &'static str> {
    COMMON_WEAK_TERMS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Indexed once per process and shared by every Entra validator.
fn builtin_global_index() -> Arc<BannedIndex> {
    static INDEX: OnceLock<Arc<BannedIndex>> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            Arc::new(BannedIndex::new(
                common_weak_terms().map(|t| (t, TermSource::Global)),
            ))
        })
        .clone()
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
    compiled: Compiled,
}

impl Validator {
    /// Checks the policy and precomputes what every validation needs (name tokens, normalised
    /// banned terms and their indexes).
    pub fn new(policy: &Policy, account: &Account) -> Result<Self, PolicyError> {
        Self::build(policy, account, None)
    }

    /// Like [`Validator::new`], but an Entra policy with `global_list: true` uses `terms` instead of
    /// the built-in list of common weak terms (tests use policy.md's list; an MSP may know more).
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
        let index = BannedIndex::new(terms.iter().map(|t| (t.as_ref(), TermSource::Global)));
        Self::build(policy, account, Some(Arc::new(index)))
    }

    fn build(
        policy: &Policy,
        account: &Account,
        global: Option<Arc<BannedIndex>>,
    ) -> Result<Self, PolicyError> {
        policy_check::check(policy)?;
        let compiled = match policy {
            Policy::ActiveDirectory(p) => {
                Compiled::ActiveDirectory(active_directory::AdRules::new(p, account))
            }
            Policy::Entra(p) => {
                let global = if p.global_list {
                    Some(global.unwrap_or_else(builtin_global_index))
                } else {
                    None
                };
                Compiled::Entra(Box::new(entra::EntraRules::new(p, account, global)))
            }
            Policy::Nist(p) => Compiled::Nist(nist::NistRules::new(p)),
        };
        Ok(Self {
            policy: policy.clone(),
            compiled,
        })
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
