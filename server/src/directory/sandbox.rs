//! An in-memory directory for `passdesk demo` and the API tests, seeded with exactly the accounts of
//! the docs/api.md seed table and a Windows-style domain policy (min 7, complexity, history 24).
//!
//! It remembers resets (account, temporary flag, time — never the password). It behaves like a Windows DC
//! reached by the LDAP connector: with `enforce_history` (the connector's default, which sends the
//! policy-hints control) a reused password is refused with `LDAP 19 (0000052D)` from a salted hash of each
//! account's recent passwords; without it an admin reset skips the history, as on the DC. Samba ignores
//! the control (README); tests that need a DC refusal otherwise inject one (`refuse_next_reset`).
use std::sync::Mutex;

use async_trait::async_trait;
use passdesk_core::{ActiveDirectoryPolicy, DcKind, Policy};
use rand::RngCore as _;
use sha2::{Digest, Sha256};

use super::{AccountSource, Directory, DirectoryAccount, DirectoryError, EffectivePolicy};
use crate::sync::lock;
use crate::verification::contact::{ContactAttribute, ContactPoint};

/// How many earlier passwords an account may not reuse (matches the policy's history_length).
const HISTORY: usize = 24;

/// One recorded reset (no secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxReset {
    /// Account id (DN).
    pub account_id: String,
    /// Must change at next logon.
    pub temporary: bool,
    /// RFC 3339.
    pub at: String,
}

struct Stored {
    account: DirectoryAccount,
    /// Other addresses that match (AD proxyAddresses without the `smtp:` prefix).
    proxy_addresses: Vec<String>,
    /// Salted SHA-256 of recent passwords, newest last (history check only).
    history: Vec<[u8; 32]>,
}

/// The in-memory directory.
pub struct SandboxDirectory {
    name: String,
    salt: [u8; 16],
    policy: EffectivePolicy,
    accounts: Mutex<Vec<Stored>>,
    resets: Mutex<Vec<SandboxReset>>,
    unavailable: Mutex<bool>,
    enforce_history: std::sync::atomic::AtomicBool,
    /// An injected refusal for the next reset: (code, message).
    refuse_next: Mutex<Option<(String, String)>>,
    /// Contact points by account id (AD mobile / otherMobile / otherMailbox).
    contacts: Mutex<std::collections::HashMap<String, Vec<ContactPoint>>>,
    /// While true, resets wait at their start (tests: a reset that is really in progress).
    hold: tokio::sync::watch::Sender<bool>,
    /// How many resets wait at the hold.
    held: tokio::sync::watch::Sender<usize>,
}

impl std::fmt::Debug for SandboxDirectory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxDirectory")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

fn account(cn: &str, sam: &str, given: &str, surname: &str, mail: &str) -> DirectoryAccount {
    DirectoryAccount {
        id: format!("CN={cn},OU=Staff,DC=contoso,DC=example"),
        source: AccountSource::ActiveDirectory,
        sam_account_name: Some(sam.to_string()),
        display_name: Some(cn.to_string()),
        given_name: Some(given.to_string()).filter(|s| !s.is_empty()),
        surname: Some(surname.to_string()).filter(|s| !s.is_empty()),
        upn: Some(format!("{sam}@contoso.example")),
        mail: Some(mail.to_string()),
        enabled: true,
        locked: false,
        must_change: false,
        password_last_set: Some("2026-11-01T10:00:00Z".to_string()),
        privileged: false,
        synced_from_on_premises: false,
    }
}

impl SandboxDirectory {
    /// An empty directory with the Windows-style policy.
    pub fn new(name: &str) -> Self {
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        Self {
            name: name.to_string(),
            salt,
            policy: EffectivePolicy {
                policy: Policy::ActiveDirectory(ActiveDirectoryPolicy {
                    dc: DcKind::Windows,
                    min_length: 7,
                    complexity: true,
                    history_length: HISTORY as u32,
                }),
                source: "domain DC=contoso,DC=example".to_string(),
                uncertain: None,
            },
            accounts: Mutex::new(Vec::new()),
            resets: Mutex::new(Vec::new()),
            unavailable: Mutex::new(false),
            hold: tokio::sync::watch::Sender::new(false),
            held: tokio::sync::watch::Sender::new(0),
            enforce_history: std::sync::atomic::AtomicBool::new(true),
            refuse_next: Mutex::new(None),
            contacts: Mutex::new(std::collections::HashMap::new()),
        }
    }

    /// The Contoso accounts of the docs/api.md seed table.
    pub fn seeded_demo(name: &str) -> Self {
        let dir = Self::new(name);
        dir.add(
            account(
                "John Smith",
                "jsmith",
                "John",
                "Smith",
                "john.smith@contoso.example",
            ),
            &["j.smith@contoso.example"],
        );
        let mut mary = account(
            "Mary-Jane O'Neil",
            "mjoneil",
            "Mary-Jane",
            "O'Neil",
            "mary-jane.oneil@contoso.example",
        );
        mary.locked = true;
        dir.add(mary, &[]);
        let mut pat = account(
            "Pat Gone",
            "pgone",
            "Pat",
            "Gone",
            "pat.gone@contoso.example",
        );
        pat.enabled = false;
        dir.add(pat, &[]);
        let mut admin = account("Domain Admin", "admin", "", "", "admin@contoso.example");
        admin.id = "CN=Domain Admin,CN=Users,DC=contoso,DC=example".to_string();
        admin.privileged = true; // adminCount=1
        dir.add(admin, &[]);
        // Contact points as AD holds them (free text, the work mailbox among them: never offered).
        dir.set_contact_points(
            "jsmith",
            vec![
                ContactPoint::phone(ContactAttribute::Mobile, "+1 (555) 010-0123"),
                ContactPoint::email(ContactAttribute::OtherMailbox, "john.smith@contoso.example"),
                ContactPoint::email(
                    ContactAttribute::OtherMailbox,
                    "john.smith.home@example.net",
                ),
            ],
        );
        dir.set_contact_points(
            "mjoneil",
            vec![ContactPoint::email(
                ContactAttribute::OtherMailbox,
                "mj.oneil@example.org",
            )],
        );
        dir
    }

    /// Replaces the contact points of the account with this sAMAccountName.
    pub fn set_contact_points(&self, sam: &str, points: Vec<ContactPoint>) {
        if let Some(a) = self.account_by_sam(sam) {
            lock(&self.contacts).insert(a.id, points);
        }
    }

    /// Whether resets apply the password history (default true, like the LDAP connector's
    /// `enforce_history`); tests turn it off.
    pub fn set_enforce_history(&self, enforce: bool) {
        self.enforce_history
            .store(enforce, std::sync::atomic::Ordering::Relaxed);
    }

    /// Makes the next reset fail with `PasswordRefused { code, message }`, as a DC would (a stricter policy,
    /// a password filter, …), changing nothing. For tests of the refusal path.
    pub fn refuse_next_reset(&self, code: &str, message: &str) {
        *lock(&self.refuse_next) = Some((code.to_string(), message.to_string()));
    }

    /// Adds an account (and extra proxy addresses it answers to).
    pub fn add(&self, account: DirectoryAccount, proxy_addresses: &[&str]) {
        lock(&self.accounts).push(Stored {
            account,
            proxy_addresses: proxy_addresses.iter().map(|s| s.to_string()).collect(),
            history: Vec::new(),
        });
    }

    /// Makes every call fail with `Unavailable` (tests of the DIRECTORY_UNAVAILABLE path).
    pub fn set_unavailable(&self, down: bool) {
        *lock(&self.unavailable) = down;
    }

    /// Holds every reset at its start until `hold_resets(false)`.
    pub fn hold_resets(&self, hold: bool) {
        self.hold.send_replace(hold);
    }

    /// Waits until `n` resets wait at the hold.
    pub async fn resets_held(&self, n: usize) {
        let mut held = self.held.subscribe();
        let _ = held.wait_for(|count| *count >= n).await;
    }

    /// Every reset so far, oldest first.
    pub fn resets(&self) -> Vec<SandboxReset> {
        lock(&self.resets).clone()
    }

    /// The current state of an account by sAMAccountName.
    pub fn account_by_sam(&self, sam: &str) -> Option<DirectoryAccount> {
        let accounts = lock(&self.accounts);
        accounts
            .iter()
            .find(|s| s.account.sam_account_name.as_deref() == Some(sam))
            .map(|s| s.account.clone())
    }

    fn check_up(&self) -> Result<(), DirectoryError> {
        if *lock(&self.unavailable) {
            return Err(DirectoryError::Unavailable(
                "the sandbox directory is switched off".into(),
            ));
        }
        Ok(())
    }

    fn fingerprint(&self, password: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(self.salt);
        h.update(password.as_bytes());
        h.finalize().into()
    }
}

#[async_trait]
impl Directory for SandboxDirectory {
    fn name(&self) -> &str {
        &self.name
    }

    fn checks_history_on_reset(&self) -> bool {
        self.enforce_history
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    async fn find_by_email(&self, email: &str) -> Result<Vec<DirectoryAccount>, DirectoryError> {
        self.check_up()?;
        let email = email.trim();
        let accounts = lock(&self.accounts);
        Ok(accounts
            .iter()
            .filter(|s| {
                let a = &s.account;
                [a.mail.as_deref(), a.upn.as_deref()]
                    .into_iter()
                    .flatten()
                    .any(|v| v.eq_ignore_ascii_case(email))
                    || s.proxy_addresses
                        .iter()
                        .any(|p| p.eq_ignore_ascii_case(email))
            })
            .map(|s| s.account.clone())
            .collect())
    }

    async fn get_account(&self, id: &str) -> Result<DirectoryAccount, DirectoryError> {
        self.check_up()?;
        let accounts = lock(&self.accounts);
        accounts
            .iter()
            .find(|s| s.account.id == id)
            .map(|s| s.account.clone())
            .ok_or_else(|| DirectoryError::NotFound(id.to_string()))
    }

    async fn effective_policy(
        &self,
        _account: &DirectoryAccount,
    ) -> Result<EffectivePolicy, DirectoryError> {
        self.check_up()?;
        Ok(self.policy.clone())
    }

    async fn reset_password(
        &self,
        account: &DirectoryAccount,
        password: &str,
        temporary: bool,
    ) -> Result<(), DirectoryError> {
        let mut hold = self.hold.subscribe();
        if *hold.borrow_and_update() {
            self.held.send_modify(|n| *n += 1);
            let _ = hold.wait_for(|on| !*on).await;
            self.held.send_modify(|n| *n -= 1);
        }
        self.check_up()?;
        if let Some((code, message)) = lock(&self.refuse_next).take() {
            return Err(DirectoryError::PasswordRefused { code, message });
        }
        let fingerprint = self.fingerprint(password);
        let mut accounts = lock(&self.accounts);
        let stored = accounts
            .iter_mut()
            .find(|s| s.account.id == account.id)
            .ok_or_else(|| DirectoryError::NotFound(account.id.clone()))?;
        let enforce = self
            .enforce_history
            .load(std::sync::atomic::Ordering::Relaxed);
        if enforce && stored.history.contains(&fingerprint) {
            // What AD answers for a password in the history (ERROR_PASSWORD_RESTRICTION).
            return Err(DirectoryError::PasswordRefused {
                code: "LDAP 19 (0000052D)".to_string(),
                message: "Constraint violation: the password does not meet the password policy"
                    .to_string(),
            });
        }
        stored.history.push(fingerprint);
        if stored.history.len() > HISTORY {
            stored.history.remove(0);
        }
        let now = crate::store::now_rfc3339();
        stored.account.must_change = temporary;
        stored.account.password_last_set = Some(now.clone());
        drop(accounts);
        lock(&self.resets).push(SandboxReset {
            account_id: account.id.clone(),
            temporary,
            at: now,
        });
        Ok(())
    }

    async fn contact_points(
        &self,
        account: &DirectoryAccount,
    ) -> Result<Vec<ContactPoint>, DirectoryError> {
        self.check_up()?;
        Ok(lock(&self.contacts)
            .get(&account.id)
            .cloned()
            .unwrap_or_default())
    }

    async fn unlock(&self, account: &DirectoryAccount) -> Result<(), DirectoryError> {
        self.check_up()?;
        let mut accounts = lock(&self.accounts);
        let stored = accounts
            .iter_mut()
            .find(|s| s.account.id == account.id)
            .ok_or_else(|| DirectoryError::NotFound(account.id.clone()))?;
        stored.account.locked = false;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn finds_by_mail_upn_or_proxy_address_case_insensitively() {
        let dir = SandboxDirectory::seeded_demo("t");
        for email in [
            "John.Smith@contoso.example",
            "JSMITH@contoso.example",
            "j.smith@CONTOSO.example",
        ] {
            let found = dir.find_by_email(email).await.unwrap();
            assert_eq!(found.len(), 1, "{email}");
            assert_eq!(found[0].sam_account_name.as_deref(), Some("jsmith"));
        }
        assert!(dir
            .find_by_email("ann.nobody@contoso.example")
            .await
            .unwrap()
            .is_empty());
    }

    #[tokio::test]
    async fn seed_matches_the_docs_table() {
        let dir = SandboxDirectory::seeded_demo("t");
        assert!(dir.account_by_sam("mjoneil").unwrap().locked);
        assert!(!dir.account_by_sam("pgone").unwrap().enabled);
        assert!(dir.account_by_sam("admin").unwrap().privileged);
        assert!(!dir.allow_privileged());
    }

    #[tokio::test]
    async fn records_resets_and_refuses_a_password_from_the_history() {
        let dir = SandboxDirectory::seeded_demo("t");
        let jsmith = dir.account_by_sam("jsmith").unwrap();
        dir.reset_password(&jsmith, "First#Pass1", true)
            .await
            .unwrap();
        dir.reset_password(&jsmith, "Second#Pass2", false)
            .await
            .unwrap();
        let again = dir
            .reset_password(&jsmith, "First#Pass1", false)
            .await
            .unwrap_err();
        assert!(
            matches!(again, DirectoryError::PasswordRefused { ref code, .. } if code == "LDAP 19 (0000052D)")
        );
        let resets = dir.resets();
        assert_eq!(
            resets.iter().map(|r| r.temporary).collect::<Vec<_>>(),
            [true, false]
        );
        assert!(!format!("{resets:?}").contains("Pass"));
        // Without enforce_history an admin reset skips the history, like the DC without the control.
        let lax = SandboxDirectory::seeded_demo("t");
        lax.set_enforce_history(false);
        let jsmith = lax.account_by_sam("jsmith").unwrap();
        for _ in 0..2 {
            lax.reset_password(&jsmith, "First#Pass1", false)
                .await
                .unwrap();
        }
        // An injected refusal fails exactly one reset and records nothing.
        lax.refuse_next_reset("LDAP 19 (0000052D)", "filter said no");
        assert!(matches!(
            lax.reset_password(&jsmith, "Other#Pass3", false).await,
            Err(DirectoryError::PasswordRefused { ref message, .. }) if message == "filter said no"
        ));
        assert_eq!(lax.resets().len(), 2);
        lax.reset_password(&jsmith, "Other#Pass3", false)
            .await
            .unwrap();
        dir.set_unavailable(true);
        assert!(matches!(
            dir.find_by_email("x@y").await,
            Err(DirectoryError::Unavailable(_))
        ));
    }
}
