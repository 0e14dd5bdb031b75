//! Active Directory / Samba AD over LDAPS (or StartTLS) with `ldap3`: find accounts by e-mail, read the
//! effective password policy, reset (unicodePwd + pwdLastSet) and unlock (lockoutTime 0).
//!
//! One connection per operation, bound as the service account, under one timeout: resets are rare and
//! a pooled connection would only add state to get wrong.
mod conn;
mod entry;
mod errors;
mod policy;
mod privileged;
mod reset;

use std::path::PathBuf;
use std::time::Duration;

use async_trait::async_trait;
use ldap3::{Scope, SearchEntry};
use passdesk_core::{ActiveDirectoryPolicy, DcKind};
use serde::Deserialize;

use super::secret::Secret;
use super::{
    config_error, refuse_privileged, Directory, DirectoryAccount, DirectoryError, EffectivePolicy,
};
use conn::{Session, Verify};
use errors::ldap_error;

/// `[[directories]]` with `kind = "ldap"`. `Debug` shows no secret.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LdapDirectoryConfig {
    /// Short name for logs and the panel, e.g. `contoso-ad`.
    pub name: String,
    /// `ldaps://dc1.contoso.example` (port 636), or `ldap://…` together with `starttls = true`.
    pub url: String,
    /// Upgrade an `ldap://` connection with StartTLS (required for `ldap://`).
    #[serde(default)]
    pub starttls: bool,
    /// Service account: a DN, `DOMAIN\user` or `user@domain`.
    pub bind_dn: String,
    /// Service account password (or use `bind_password_env`).
    #[serde(default)]
    pub bind_password: Option<Secret>,
    /// Name of an environment variable holding the service account password.
    #[serde(default)]
    pub bind_password_env: Option<String>,
    /// Where accounts are searched, and the domain NC head whose policy attributes apply, e.g. `DC=contoso,DC=example`.
    pub base_dn: String,
    /// `windows` or `samba`: which DC software enforces the policy.
    #[serde(default)]
    pub dc: DcKind,
    /// PEM file with the CA(s) that sign the DC certificate. Without it the system trust store is used.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Turns TLS certificate verification OFF. For a lab only; logged as a warning at start.
    #[serde(default)]
    pub danger_accept_invalid_certs: bool,
    /// DNs of groups whose (transitive) members count as privileged, besides adminCount=1.
    #[serde(default)]
    pub privileged_groups: Vec<String>,
    /// Allow resetting / unlocking privileged accounts.
    #[serde(default)]
    pub allow_privileged: bool,
    /// Policy assumed when a PSO applies but its settings cannot be read (the result is marked uncertain).
    #[serde(default)]
    pub assumed_policy: Option<ActiveDirectoryPolicy>,
    /// Send the password-policy-hints control on a reset, so the DC applies the password history (and
    /// minimum age) to the help-desk reset like to a user's own change. Windows Server 2012+ honours it;
    /// Samba (4.17 tested) ignores it and skips the history on an admin reset (README).
    #[serde(default = "default_true")]
    pub enforce_history: bool,
    /// Timeout for one whole operation (connect, bind, search / modify), seconds.
    #[serde(default = "default_timeout_secs")]
    pub timeout_secs: u64,
}

fn default_timeout_secs() -> u64 {
    15
}

fn default_true() -> bool {
    true
}

impl LdapDirectoryConfig {
    /// Checks what can be checked without a network: TLS is mandatory.
    pub fn validate(&self) -> Result<(), String> {
        let scheme = self
            .url
            .split("://")
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match scheme.as_str() {
            "ldaps" if self.starttls => {
                Err("starttls applies to ldap:// URLs; ldaps:// is already TLS".into())
            }
            "ldaps" => Ok(()),
            "ldap" if self.starttls => Ok(()),
            // Passwords go over this connection: plain LDAP would expose them (and the DC refuses anyway).
            "ldap" => Err(format!(
                "{}: plain ldap:// is refused; use ldaps:// or set starttls = true",
                self.url
            )),
            _ => Err(format!(
                "{}: the URL must start with ldaps:// or ldap://",
                self.url
            )),
        }?;
        if self.base_dn.trim().is_empty() || self.bind_dn.trim().is_empty() {
            return Err("base_dn and bind_dn are required".into());
        }
        if self.timeout_secs == 0 {
            return Err("timeout_secs must be at least 1".into());
        }
        Ok(())
    }
}

/// A configured AD / Samba directory.
pub struct LdapDirectory {
    cfg: LdapDirectoryConfig,
    password: Secret,
    verify: Verify,
    /// SIDs of the privileged groups without a well-known RID (DnsAdmins), looked up once.
    extra_privileged: tokio::sync::OnceCell<Vec<privileged::Sid>>,
}

impl std::fmt::Debug for LdapDirectory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LdapDirectory")
            .field("cfg", &self.cfg)
            .finish_non_exhaustive()
    }
}

impl LdapDirectory {
    /// Validates the config, resolves the bind password and loads the CA file. No network.
    pub fn new(cfg: LdapDirectoryConfig) -> Result<Self, DirectoryError> {
        cfg.validate().map_err(|m| config_error(&cfg.name, m))?;
        let password = Secret::resolve(
            cfg.bind_password.as_ref(),
            cfg.bind_password_env.as_deref(),
            "bind_password",
        )
        .map_err(|m| config_error(&cfg.name, m))?;
        let verify = conn::verifier(&cfg).map_err(|m| config_error(&cfg.name, m))?;
        Ok(Self {
            cfg,
            password,
            verify,
            extra_privileged: tokio::sync::OnceCell::new(),
        })
    }

    /// `new` plus one connect + bind, so a wrong URL, CA or password shows up at start.
    pub async fn connect(cfg: LdapDirectoryConfig) -> Result<Self, DirectoryError> {
        let dir = Self::new(cfg)?;
        dir.timed(async {
            dir.session().await?.close().await;
            Ok(())
        })
        .await?;
        Ok(dir)
    }

    /// The config this directory was built from.
    pub fn config(&self) -> &LdapDirectoryConfig {
        &self.cfg
    }

    fn timeout(&self) -> Duration {
        Duration::from_secs(self.cfg.timeout_secs)
    }

    async fn session(&self) -> Result<Session, DirectoryError> {
        Session::open(&self.cfg, &self.verify, &self.password, self.timeout()).await
    }

    /// Runs one whole operation (connect, bind, work) under the operation timeout.
    async fn timed<T>(
        &self,
        op: impl std::future::Future<Output = Result<T, DirectoryError>>,
    ) -> Result<T, DirectoryError> {
        tokio::time::timeout(self.timeout(), op)
            .await
            .unwrap_or_else(|_| {
                Err(DirectoryError::Unavailable(format!(
                    "{}: no answer within {} s",
                    self.cfg.url, self.cfg.timeout_secs
                )))
            })
    }

    /// Reads one user entry by DN (refusing DNs outside `base_dn`).
    async fn read_account(
        &self,
        ldap: &mut ldap3::Ldap,
        dn: &str,
    ) -> Result<DirectoryAccount, DirectoryError> {
        if !entry::under_base(dn, &self.cfg.base_dn) {
            return Err(DirectoryError::NotFound(format!(
                "{dn} is outside {}",
                self.cfg.base_dn
            )));
        }
        let res = ldap
            .search(
                dn,
                Scope::Base,
                entry::USER_FILTER,
                entry::ACCOUNT_ATTRS
                    .iter()
                    .chain(&[entry::TOKEN_GROUPS])
                    .copied()
                    .collect::<Vec<&str>>(),
            )
            .await;
        let (entries, _) = res.and_then(|r| r.success()).map_err(ldap_error)?;
        let e = entries
            .into_iter()
            .find(|e| !e.is_ref())
            .map(SearchEntry::construct)
            .ok_or_else(|| DirectoryError::NotFound(dn.to_owned()))?;
        self.finish_account(ldap, e).await
    }

    /// Subtree search from `base_dn`. Continuation references (e.g. to CN=Configuration) are skipped, never chased.
    async fn search_accounts(
        &self,
        ldap: &mut ldap3::Ldap,
        filter: &str,
    ) -> Result<Vec<DirectoryAccount>, DirectoryError> {
        let res = ldap
            .search(
                &self.cfg.base_dn,
                Scope::Subtree,
                filter,
                entry::ACCOUNT_ATTRS.to_vec(),
            )
            .await;
        let (entries, _) = res.and_then(|r| r.success()).map_err(ldap_error)?;
        let mut out = Vec::new();
        for e in entries.into_iter().filter(|e| !e.is_ref()) {
            out.push(self.finish_account(ldap, SearchEntry::construct(e)).await?);
        }
        Ok(out)
    }

    /// Maps an entry and decides `privileged`: adminCount=1, the built-in privileged groups by SID
    /// (`tokenGroups`: transitive, primary group included), DnsAdmins, then the configured groups.
    async fn finish_account(
        &self,
        ldap: &mut ldap3::Ldap,
        e: SearchEntry,
    ) -> Result<DirectoryAccount, DirectoryError> {
        let mut account = entry::to_account(&e, &self.cfg.privileged_groups);
        if !account.privileged {
            account.privileged = self.privileged_by_sid(ldap, e.clone()).await?;
        }
        if !account.privileged && !self.cfg.privileged_groups.is_empty() {
            let filter = entry::in_chain_filter(&self.cfg.privileged_groups);
            let res = ldap.search(&e.dn, Scope::Base, &filter, vec!["1.1"]).await;
            let (hits, _) = res.and_then(|r| r.success()).map_err(ldap_error)?;
            account.privileged = hits.iter().any(|h| !h.is_ref());
        }
        Ok(account)
    }

    /// `tokenGroups` is constructed and only returned on a base-scope read: an entry from a subtree search
    /// is read again for it. Unreadable → privileged (fail closed: PassDesk cannot tell).
    async fn privileged_by_sid(
        &self,
        ldap: &mut ldap3::Ldap,
        mut e: SearchEntry,
    ) -> Result<bool, DirectoryError> {
        if !privileged::has_token_groups(&e) {
            let res = ldap
                .search(
                    &e.dn,
                    Scope::Base,
                    "(objectClass=*)",
                    vec![entry::TOKEN_GROUPS, "objectSid"],
                )
                .await;
            let (entries, _) = res.and_then(|r| r.success()).map_err(ldap_error)?;
            if let Some(full) = entries.into_iter().find(|r| !r.is_ref()) {
                e = SearchEntry::construct(full);
            }
        }
        if !privileged::has_token_groups(&e) {
            tracing::warn!(directory = %self.cfg.name, dn = %e.dn,
                "tokenGroups unreadable for the service account: treating the account as privileged");
            return Ok(true);
        }
        let extra = self.extra_privileged(ldap).await?;
        match privileged::privileged_by_sid(&e, extra) {
            Some(why) => {
                tracing::debug!(directory = %self.cfg.name, dn = %e.dn, "privileged: {why}");
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// DnsAdmins has no well-known RID (MS-ADTS lists it as a domain-local group with a variable RID):
    /// it is found the way Samba's own provisioning finds it (samba/provision/sambadns.py
    /// `get_dnsadmins_sid`), as CN=DnsAdmins in the Users container addressed by its well-known GUID,
    /// so a moved Users container still works. Absent (a DC without DNS) → nothing extra.
    async fn extra_privileged(
        &self,
        ldap: &mut ldap3::Ldap,
    ) -> Result<&Vec<privileged::Sid>, DirectoryError> {
        self.extra_privileged
            .get_or_try_init(|| async {
                let base = format!(
                    "<WKGUID={},{}>",
                    privileged::USERS_CONTAINER_WKGUID,
                    self.cfg.base_dn
                );
                let res = ldap
                    .search(
                        &base,
                        Scope::OneLevel,
                        "(&(objectClass=group)(cn=DnsAdmins))",
                        vec!["objectSid"],
                    )
                    .await
                    .and_then(|r| r.success());
                let entries = match res {
                    Ok((entries, _)) => entries,
                    Err(e) => match ldap_error(e) {
                        DirectoryError::NotFound(_) => Vec::new(),
                        other => return Err(other),
                    },
                };
                Ok(entries
                    .into_iter()
                    .filter(|r| !r.is_ref())
                    .map(SearchEntry::construct)
                    .flat_map(|e| privileged::binary_values(&e, "objectSid"))
                    .filter_map(|b| privileged::Sid::parse(&b))
                    .collect())
            })
            .await
    }

    /// Re-reads the account and refuses privileged ones unless allowed: enforced here too, not only in the flow.
    async fn writable_account(
        &self,
        ldap: &mut ldap3::Ldap,
        id: &str,
    ) -> Result<DirectoryAccount, DirectoryError> {
        let account = self.read_account(ldap, id).await?;
        refuse_privileged(account, self.cfg.allow_privileged)
    }
}

#[async_trait]
impl Directory for LdapDirectory {
    fn name(&self) -> &str {
        &self.cfg.name
    }

    fn allow_privileged(&self) -> bool {
        self.cfg.allow_privileged
    }

    async fn find_by_email(&self, email: &str) -> Result<Vec<DirectoryAccount>, DirectoryError> {
        if email.trim().is_empty() {
            return Ok(Vec::new());
        }
        let filter = entry::email_filter(email);
        self.timed(async {
            let mut s = self.session().await?;
            let out = self.search_accounts(&mut s.ldap, &filter).await;
            s.close().await;
            out
        })
        .await
    }

    async fn get_account(&self, id: &str) -> Result<DirectoryAccount, DirectoryError> {
        self.timed(async {
            let mut s = self.session().await?;
            let out = self.read_account(&mut s.ldap, id).await;
            s.close().await;
            out
        })
        .await
    }

    async fn effective_policy(
        &self,
        account: &DirectoryAccount,
    ) -> Result<EffectivePolicy, DirectoryError> {
        let fb = policy::Fallback {
            dc: self.cfg.dc,
            base_dn: &self.cfg.base_dn,
            assumed: self.cfg.assumed_policy.as_ref(),
        };
        if !entry::under_base(&account.id, &self.cfg.base_dn) {
            return Err(DirectoryError::NotFound(format!(
                "{} is outside {}",
                account.id, self.cfg.base_dn
            )));
        }
        self.timed(async {
            let mut s = self.session().await?;
            let out = policy::effective(&mut s.ldap, &account.id, &fb).await;
            s.close().await;
            out
        })
        .await
    }

    async fn reset_password(
        &self,
        account: &DirectoryAccount,
        password: &str,
        temporary: bool,
    ) -> Result<(), DirectoryError> {
        self.timed(async {
            let mut s = self.session().await?;
            let out = match self.writable_account(&mut s.ldap, &account.id).await {
                Ok(target) => {
                    let history = self.cfg.enforce_history;
                    reset::set_password(&mut s, &target.id, password, temporary, history).await
                }
                Err(e) => Err(e),
            };
            s.close().await;
            out
        })
        .await
    }

    async fn unlock(&self, account: &DirectoryAccount) -> Result<(), DirectoryError> {
        self.timed(async {
            let mut s = self.session().await?;
            let out = match self.writable_account(&mut s.ldap, &account.id).await {
                Ok(target) => reset::unlock(&mut s, &target.id).await,
                Err(e) => Err(e),
            };
            s.close().await;
            out
        })
        .await
    }

    async fn contact_points(
        &self,
        account: &DirectoryAccount,
    ) -> Result<Vec<crate::verification::contact::ContactPoint>, DirectoryError> {
        if !entry::under_base(&account.id, &self.cfg.base_dn) {
            return Err(DirectoryError::NotFound(account.id.clone()));
        }
        self.timed(async {
            let mut s = self.session().await?;
            let res = s
                .ldap
                .search(
                    &account.id,
                    Scope::Base,
                    entry::USER_FILTER,
                    entry::CONTACT_ATTRS.to_vec(),
                )
                .await;
            s.close().await;
            let (entries, _) = res.and_then(|r| r.success()).map_err(ldap_error)?;
            Ok(entries
                .into_iter()
                .find(|e| !e.is_ref())
                .map(SearchEntry::construct)
                .map(|e| entry::contact_points(&e))
                .unwrap_or_default())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(url: &str, starttls: bool) -> LdapDirectoryConfig {
        toml::from_str(&format!(
            "name = 'x'\nurl = '{url}'\nstarttls = {starttls}\nbind_dn = 'TEST\\\\svc'\nbind_password = 'S3cret!pw'\nbase_dn = 'DC=test,DC=lan'\ndc = 'samba'"
        ))
        .unwrap()
    }

    #[test]
    fn plain_ldap_without_starttls_is_refused() {
        assert!(cfg("ldap://dc1", false)
            .validate()
            .unwrap_err()
            .contains("plain ldap"));
        assert!(cfg("ldap://dc1", true).validate().is_ok());
        assert!(cfg("ldaps://dc1", false).validate().is_ok());
        assert!(cfg("http://dc1", false).validate().is_err());
        assert!(LdapDirectory::new(cfg("ldap://dc1", false)).is_err());
    }

    #[test]
    fn readme_example_parses() {
        let entry: crate::config::DirectoryConfig = toml::from_str(
            r#"
            kind = "ldap"
            companies = ["Contoso"]
            name = "contoso-ad"
            url = "ldaps://dc1.contoso.example"
            bind_dn = "CONTOSO\\svc-passdesk"
            bind_password_env = "CONTOSO_BIND_PW"
            base_dn = "DC=contoso,DC=example"
            dc = "windows"
            ca_file = "/etc/passdesk/contoso-ca.pem"
            privileged_groups = ["CN=Domain Admins,CN=Users,DC=contoso,DC=example"]
            assumed_policy = { min_length = 12, complexity = true }
            "#,
        )
        .unwrap();
        assert_eq!(entry.companies, ["Contoso"]);
        let crate::config::ConnectorConfig::Ldap(c) = entry.connector else {
            panic!("kind = \"ldap\" is an LDAP connector");
        };
        assert_eq!(c.bind_dn, "CONTOSO\\svc-passdesk");
        assert_eq!(c.assumed_policy.unwrap().min_length, 12);
        assert_eq!(c.timeout_secs, 15);
        assert!(!c.allow_privileged && !c.danger_accept_invalid_certs && !c.starttls);
        assert!(c.enforce_history, "history is enforced unless turned off");
    }

    #[test]
    fn debug_redacts_the_bind_password() {
        let c = cfg("ldaps://dc1", false);
        assert!(!format!("{c:?}").contains("S3cret"));
        let d = LdapDirectory::new(c).unwrap();
        assert!(!format!("{d:?}").contains("S3cret"));
        assert_eq!(d.config().dc, DcKind::Samba);
    }
}
