//! Compiles a policy + account once, then validates passwords (one call per keystroke).
use crate::{Account, Policy, PolicyError, Verdict};

/// A compiled policy for one account. Build once, call [`Validator::validate`] per keystroke.
#[derive(Debug, Clone)]
pub struct Validator {
    policy: Policy,
    // TODO(core-validate): compiled per-profile state (name tokens, banned-term indexes).
}

impl Validator {
    /// Checks the policy and precomputes what every validation needs.
    pub fn new(policy: &Policy, account: &Account) -> Result<Self, PolicyError> {
        let _ = account;
        Ok(Self { policy: policy.clone() })
    }

    /// The policy this validator enforces.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Every failing rule of the policy for `password`.
    pub fn validate(&self, password: &str) -> Verdict {
        let _ = password;
        unimplemented!("core-validate")
    }
}

/// One-shot validation (compiles the policy, validates once).
pub fn validate(password: &str, policy: &Policy, account: &Account) -> Result<Verdict, PolicyError> {
    Ok(Validator::new(policy, account)?.validate(password))
}
