//! Directories that hold the accounts: AD / Samba over LDAPS (`ldap`), Entra ID over Microsoft
//! Graph (`graph`), and an in-memory `sandbox` for `passdesk demo`.
//!
//! This module is the contract between the reset flow and the connectors; it never imports axum.
use async_trait::async_trait;
use passdesk_core::Policy;
use serde::{Deserialize, Serialize};

pub mod agent;
pub mod graph;
pub mod ldap;
pub mod sandbox;
pub mod secret;

vocabulary! {
    /// Where an account lives.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum AccountSource {
        /// On-premises Active Directory (Windows or Samba DC).
        ActiveDirectory,
        /// Entra ID (Microsoft 365).
        Entra,
    }
}

/// A directory account as the panel shows it. Contains no secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DirectoryAccount {
    /// Stable handle for later calls: the DN for LDAP, the object id for Graph.
    pub id: String,
    /// AD or Entra.
    pub source: AccountSource,
    /// `sAMAccountName` (AD only).
    pub sam_account_name: Option<String>,
    /// `displayName`.
    pub display_name: Option<String>,
    /// `givenName`.
    pub given_name: Option<String>,
    /// `sn` / `surname`.
    pub surname: Option<String>,
    /// `userPrincipalName`.
    pub upn: Option<String>,
    /// `mail`.
    pub mail: Option<String>,
    /// Account is enabled (AD: UF_ACCOUNTDISABLE clear; Graph: accountEnabled).
    pub enabled: bool,
    /// Locked out (AD: lockoutTime > 0 / UF_LOCKOUT computed).
    pub locked: bool,
    /// Must change password at next logon (AD: pwdLastSet = 0; Graph: forceChangePasswordNextSignIn).
    pub must_change: bool,
    /// When the password was last set (RFC 3339), if known.
    pub password_last_set: Option<String>,
    /// adminCount=1, a member (transitive, primary group included) of a built-in privileged group or a
    /// configured one, or (Graph) holding an admin role; fail-closed true when that cannot be read.
    pub privileged: bool,
    /// (Entra) synced from an on-premises AD (`onPremisesSyncEnabled`): Graph cannot set its
    /// password, the on-premises AD must. Absent from an older site agent's answer: false.
    #[serde(default)]
    pub synced_from_on_premises: bool,
}

impl DirectoryAccount {
    /// Whether `id` (as the panel sent it back) names this account. DNs and object ids compare
    /// case-insensitively, as the directories do.
    pub fn is_the_one(&self, id: &str) -> bool {
        let id = id.trim();
        !id.is_empty() && self.id.trim().eq_ignore_ascii_case(id)
    }

    /// The account JSON the core validator needs (names for the name / token rules).
    pub fn core_account(&self) -> passdesk_core::Account {
        passdesk_core::Account {
            sam_account_name: self.sam_account_name.clone(),
            display_name: self.display_name.clone(),
            given_name: self.given_name.clone(),
            surname: self.surname.clone(),
            upn: self.upn.clone(),
        }
    }
}

/// The policy that applies to one account, in the core's policy JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EffectivePolicy {
    /// The policy the core validates against.
    pub policy: Policy,
    /// Where it came from, e.g. "domain DC=test,DC=lan" or "PSO CN=Staff,CN=Password Settings Container,...".
    pub source: String,
    /// Why it may not be exactly what the directory enforces (e.g. PSO unreadable), or None.
    pub uncertain: Option<String>,
}

/// What went wrong talking to a directory. Messages never contain a password. Serialised (tagged by
/// `kind`) because a site agent sends it back over its connection (src/agent/protocol.rs).
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum DirectoryError {
    /// The directory refused the new password (policy). `code` is the directory's own code, e.g.
    /// `LDAP 19 (0000052D)` or `Graph 400 Request_BadRequest`.
    #[error("the directory refused the password ({code}): {message}")]
    PasswordRefused {
        /// Directory code.
        code: String,
        /// Directory text (sanitised).
        message: String,
    },
    /// The service account may not do this (LDAP 50, Graph 403).
    #[error("the directory denied the operation ({code}): {message}")]
    AccessDenied {
        /// Directory code.
        code: String,
        /// Directory text.
        message: String,
    },
    /// The account no longer exists.
    #[error("account not found: {0}")]
    NotFound(String),
    /// Cannot reach / bind / TLS failure.
    #[error("directory unavailable: {0}")]
    Unavailable(String),
    /// A change was sent (through a site agent) but no answer came back: whether it took effect is
    /// unknown, so it must not be retried blindly.
    #[error("outcome unknown: {0}")]
    OutcomeUnknown(String),
    /// Anything else the directory answered.
    #[error("directory error ({code}): {message}")]
    Other {
        /// Directory code.
        code: String,
        /// Directory text.
        message: String,
    },
}

/// One configured directory (one per customer domain / tenant).
#[async_trait]
pub trait Directory: Send + Sync {
    /// Short name from the config, for logs and the panel.
    fn name(&self) -> &str;
    /// Whether the config allows resetting privileged accounts (adminCount=1, privileged groups, admin
    /// roles). Connectors also enforce this themselves on reset / unlock.
    fn allow_privileged(&self) -> bool {
        false
    }
    /// Whether a refused reset may mean a recently used password: the DC checks the history on an
    /// admin reset (a Windows DC sent the policy-hints control). Explains refusals only.
    fn checks_history_on_reset(&self) -> bool {
        false
    }
    /// Accounts whose mail, userPrincipalName or proxyAddresses (`smtp:` any case) equals `email`
    /// (case-insensitive).
    async fn find_by_email(&self, email: &str) -> Result<Vec<DirectoryAccount>, DirectoryError>;
    /// Re-reads one account by its `id`.
    async fn get_account(&self, id: &str) -> Result<DirectoryAccount, DirectoryError>;
    /// The policy in force for this account (AD: resultant PSO, else domain; Entra: tenant policy).
    async fn effective_policy(
        &self,
        account: &DirectoryAccount,
    ) -> Result<EffectivePolicy, DirectoryError>;
    /// Sets the password. `temporary` = must change at next logon (AD pwdLastSet 0, else -1;
    /// Graph forceChangePasswordNextSignIn).
    async fn reset_password(
        &self,
        account: &DirectoryAccount,
        password: &str,
        temporary: bool,
    ) -> Result<(), DirectoryError>;
    /// Clears a lockout (AD lockoutTime 0). Graph has no lockout to clear: `Other`.
    async fn unlock(&self, account: &DirectoryAccount) -> Result<(), DirectoryError>;
    /// Where a verification code can reach the account's user (src/verification/contact.rs);
    /// none unless the connector reads them.
    async fn contact_points(
        &self,
        _account: &DirectoryAccount,
    ) -> Result<Vec<crate::verification::contact::ContactPoint>, DirectoryError> {
        Ok(Vec::new())
    }
}

/// A directory whose configuration cannot be used (start-up error, names the directory).
pub(crate) fn config_error(name: &str, msg: String) -> DirectoryError {
    DirectoryError::Other {
        code: "CONFIG".into(),
        message: format!("directory {name}: {msg}"),
    }
}

/// The connectors refuse privileged accounts themselves too (defence in depth: not only the reset
/// flow checks), unless the directory's config allows them.
pub(crate) fn refuse_privileged(
    account: DirectoryAccount,
    allowed: bool,
) -> Result<DirectoryAccount, DirectoryError> {
    if account.privileged && !allowed {
        return Err(DirectoryError::AccessDenied {
            code: "PRIVILEGED_ACCOUNT".into(),
            message: "privileged accounts are not reset by PassDesk unless the directory allows it"
                .into(),
        });
    }
    Ok(account)
}

/// Refuses an Entra account that is synced from an on-premises AD: Graph cannot write its password
/// (the DC is authoritative and the next sync would undo it).
pub(crate) fn refuse_synced(account: DirectoryAccount) -> Result<DirectoryAccount, DirectoryError> {
    if account.synced_from_on_premises {
        return Err(DirectoryError::Other {
            code: ON_PREMISES_SYNCED.into(),
            message: "the account is synced from an on-premises AD; its password is set there"
                .into(),
        });
    }
    Ok(account)
}

/// The code of [`refuse_synced`]'s refusal and of Graph's own answer to such a write.
pub const ON_PREMISES_SYNCED: &str = "ON_PREMISES_SYNCED";
