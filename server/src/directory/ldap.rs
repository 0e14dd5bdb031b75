//! Active Directory / Samba AD over LDAPS (or StartTLS) with `ldap3`: find accounts by e-mail, read the
//! effective password policy, reset (unicodePwd + pwdLastSet) and unlock (lockoutTime 0).
//!
//! Bound connections are pooled per directory (src/directory/ldap/pool.rs) and every operation runs
//! under one timeout; policy objects are cached briefly (src/directory/ldap/policy.rs), so a warm
//! context costs one search and one read of the account.
mod conn;
mod entry;
mod errors;
mod policy;
mod pool;
mod privileged;
mod reset;
mod ttl;

use std::path::PathBuf;
use std::pin::Pin;
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
/// What an account read asks for (the benchmark times the same reads on a raw connection).
pub use entry::ACCOUNT_ATTRS;
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
    /// SIDs of the privileged groups without a well-known RID (DnsAdmins) and of the configured
    /// `privileged_groups`, looked up once.
    extra_privileged: tokio::sync::OnceCell<privileged::Extra>,
    /// Bound sessions between operations.
    pool: pool::Pool,
    /// Domain and PSO policy objects, and each account's resultant PSO, read in the last minute.
    policies: policy::Cache,
    /// Accounts whose groups (`tokenGroups`, configured groups) made them not privileged when they
    /// were last read whole.
    not_privileged: ttl::TtlMap<()>,
}

/// One operation on a session it owns and hands back with the outcome (a closure cannot return a
/// future that borrows its argument).
type SessionOp<'c, T> =
    Pin<Box<dyn std::future::Future<Output = (Session, Result<T, DirectoryError>)> + Send + 'c>>;

/// Whether an operation may run again on a new session after a reused one failed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Retry {
    /// A read: the DC may have dropped the idle connection; nothing was changed.
    OnStaleConnection,
    /// A write: it may have been applied, so it never runs twice.
    Never,
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
            pool: pool::Pool::default(),
            policies: policy::Cache::default(),
            not_privileged: ttl::TtlMap::default(),
        })
    }

    /// `new` plus one connect + bind, so a wrong URL, CA or password shows up at start (the
    /// session then waits in the pool for the first operation).
    pub async fn connect(cfg: LdapDirectoryConfig) -> Result<Self, DirectoryError> {
        let dir = Self::new(cfg)?;
        let session = dir.timed(dir.session()).await?;
        dir.pool.give_back(session, &Ok(()));
        Ok(dir)
    }

    /// Sessions waiting in the pool (tests).
    pub fn idle_sessions(&self) -> usize {
        self.pool.idle_count()
    }

    /// Runs `op` on a pooled session, or a new one, under the operation timeout; the session goes
    /// back to the pool unless its connection failed. A read that fails on a reused session
    /// because the connection broke runs once more on a new one.
    async fn pooled<'c, T>(
        &self,
        retry: Retry,
        op: impl Fn(Session) -> SessionOp<'c, T> + Send + Sync,
    ) -> Result<T, DirectoryError> {
        self.timed(async {
            if let Some(session) = self.pool.take() {
                let (session, out) = op(session).await;
                let again = retry == Retry::OnStaleConnection && pool::broken(&out);
                self.pool.give_back(session, &out);
                if !again {
                    return out;
                }
                tracing::debug!(directory = %self.cfg.name, "a pooled LDAP connection broke; reading again on a new one");
            }
            let (session, out) = op(self.session().await?).await;
            self.pool.give_back(session, &out);
            out
        })
        .await
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

    /// Reads one user entry by DN (refusing DNs outside `base_dn`), with `tokenGroups` and the
    /// resultant PSO in the same read.
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
                    .chain(&[entry::TOKEN_GROUPS, policy::RESULTANT_PSO])
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
    /// (`tokenGroups`: transitive, primary group included), DnsAdmins and the configured groups by
    /// SID, and a configured group without a readable SID through the chain.
    async fn finish_account(
        &self,
        ldap: &mut ldap3::Ldap,
        e: SearchEntry,
    ) -> Result<DirectoryAccount, DirectoryError> {
        let mut account = entry::to_account(&e, &self.cfg.privileged_groups);
        // A search hit is not read again for its groups and PSO when both were read less than a
        // minute ago and it was not privileged then (adminCount and memberOf come fresh with the
        // hit). A reset or unlock reads the account whole anyway (`writable_account`), so a group
        // granted within that minute is still refused where it matters.
        if !account.privileged
            && !privileged::has_token_groups(&e)
            && self.not_privileged.get(&e.dn).is_some()
            && self.policies.knows_resultant_pso(&e.dn)
        {
            return Ok(account);
        }
        let e = self.with_token_groups(ldap, e).await?;
        // Read beside tokenGroups, so the policy of a context costs no round trip of its own; an
        // entry without them was not read whole, so its PSO is left for the policy to read.
        if privileged::has_token_groups(&e) {
            self.policies
                .remember_resultant_pso(&e.dn, policy::resultant_pso(&e));
        }
        if account.privileged {
            return Ok(account);
        }
        account.privileged = self.privileged_by_sid(ldap, &e).await?;
        let by_chain = &self.extra_privileged(ldap).await?.by_chain;
        if !account.privileged && !by_chain.is_empty() {
            let filter = entry::in_chain_filter(by_chain);
            let res = ldap.search(&e.dn, Scope::Base, &filter, vec!["1.1"]).await;
            let (hits, _) = res.and_then(|r| r.success()).map_err(ldap_error)?;
            account.privileged = hits.iter().any(|h| !h.is_ref());
        }
        if account.privileged {
            self.not_privileged.remove(&e.dn);
        } else {
            self.not_privileged.insert(&e.dn, ());
        }
        Ok(account)
    }

    /// `tokenGroups` and `msDS-ResultantPSO` are constructed and only returned on a base-scope
    /// read: an entry from a subtree search is read again for them.
    async fn with_token_groups(
        &self,
        ldap: &mut ldap3::Ldap,
        e: SearchEntry,
    ) -> Result<SearchEntry, DirectoryError> {
        if privileged::has_token_groups(&e) {
            return Ok(e);
        }
        let res = ldap
            .search(
                &e.dn,
                Scope::Base,
                "(objectClass=*)",
                vec![entry::TOKEN_GROUPS, "objectSid", policy::RESULTANT_PSO],
            )
            .await;
        let (entries, _) = res.and_then(|r| r.success()).map_err(ldap_error)?;
        Ok(entries
            .into_iter()
            .find(|r| !r.is_ref())
            .map(SearchEntry::construct)
            .unwrap_or(e))
    }

    /// Unreadable `tokenGroups` → privileged (fail closed: PassDesk cannot tell).
    async fn privileged_by_sid(
        &self,
        ldap: &mut ldap3::Ldap,
        e: &SearchEntry,
    ) -> Result<bool, DirectoryError> {
        if !privileged::has_token_groups(e) {
            tracing::warn!(directory = %self.cfg.name, dn = %e.dn,
                "tokenGroups unreadable for the service account: treating the account as privileged");
            return Ok(true);
        }
        let extra = self.extra_privileged(ldap).await?;
        match privileged::privileged_by_sid(e, &extra.sids) {
            Some(why) => {
                tracing::debug!(directory = %self.cfg.name, dn = %e.dn, "privileged: {why}");
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Looked up once per directory. DnsAdmins has no well-known RID (MS-ADTS lists it as a
    /// domain-local group with a variable RID): it is found the way Samba's own provisioning finds
    /// it (samba/provision/sambadns.py `get_dnsadmins_sid`), as CN=DnsAdmins in the Users container
    /// addressed by its well-known GUID, so a moved Users container still works; absent (a DC
    /// without DNS) → nothing extra. Each configured `privileged_groups` DN is read for its
    /// `objectSid` and `groupType`.
    async fn extra_privileged(
        &self,
        ldap: &mut ldap3::Ldap,
    ) -> Result<&privileged::Extra, DirectoryError> {
        self.extra_privileged
            .get_or_try_init(|| async {
                let mut extra = privileged::Extra::default();
                let users = format!(
                    "<WKGUID={},{}>",
                    privileged::USERS_CONTAINER_WKGUID,
                    self.cfg.base_dn
                );
                let dns_admins = optional_search(
                    ldap,
                    &users,
                    Scope::OneLevel,
                    "(&(objectClass=group)(cn=DnsAdmins))",
                    vec!["objectSid"],
                )
                .await?;
                for e in dns_admins {
                    for sid in privileged::binary_values(&e, "objectSid")
                        .iter()
                        .filter_map(|b| privileged::Sid::parse(b))
                    {
                        extra.sids.push((sid, "DnsAdmins".into()));
                    }
                }
                for group in &self.cfg.privileged_groups {
                    let found = optional_search(
                        ldap,
                        group,
                        Scope::Base,
                        "(objectClass=group)",
                        vec!["objectSid", "groupType"],
                    )
                    .await?;
                    let security_sid = found.first().and_then(|e| {
                        let kind: i64 = e.attrs.get("groupType")?.first()?.trim().parse().ok()?;
                        if kind & privileged::GROUP_TYPE_SECURITY_ENABLED == 0 {
                            return None;
                        }
                        privileged::binary_values(e, "objectSid")
                            .first()
                            .and_then(|b| privileged::Sid::parse(b))
                    });
                    match security_sid {
                        Some(sid) => extra.sids.push((sid, group.clone())),
                        None => extra.by_chain.push(group.clone()),
                    }
                }
                Ok(extra)
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

/// A search whose base may be missing or hidden: no entries then, not an error.
async fn optional_search(
    ldap: &mut ldap3::Ldap,
    base: &str,
    scope: Scope,
    filter: &str,
    attrs: Vec<&str>,
) -> Result<Vec<SearchEntry>, DirectoryError> {
    match ldap
        .search(base, scope, filter, attrs)
        .await
        .and_then(|r| r.success())
    {
        Ok((entries, _)) => Ok(entries
            .into_iter()
            .filter(|r| !r.is_ref())
            .map(SearchEntry::construct)
            .collect()),
        Err(e) => match ldap_error(e) {
            DirectoryError::NotFound(_) | DirectoryError::AccessDenied { .. } => Ok(Vec::new()),
            other => Err(other),
        },
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

    fn checks_history_on_reset(&self) -> bool {
        // Samba ignores the control (README "enforce_history").
        self.cfg.enforce_history && self.cfg.dc == DcKind::Windows
    }

    async fn find_by_email(&self, email: &str) -> Result<Vec<DirectoryAccount>, DirectoryError> {
        if email.trim().is_empty() {
            return Ok(Vec::new());
        }
        let filter = entry::email_filter(email);
        self.pooled(Retry::OnStaleConnection, |mut s| {
            Box::pin(async {
                let out = self.search_accounts(&mut s.ldap, &filter).await;
                (s, out)
            })
        })
        .await
    }

    async fn get_account(&self, id: &str) -> Result<DirectoryAccount, DirectoryError> {
        self.pooled(Retry::OnStaleConnection, |mut s| {
            Box::pin(async move {
                let out = self.read_account(&mut s.ldap, id).await;
                (s, out)
            })
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
        // Right after the lookup everything is cached: no session is taken then.
        let cached = &mut policy::Reads::CachedOnly;
        match policy::effective(cached, &account.id, &fb, &self.policies).await {
            Ok(known) => return Ok(known),
            Err(policy::Unanswered::Failed(e)) => return Err(e),
            Err(policy::Unanswered::NotCached) => {}
        }
        let fb = &fb;
        self.pooled(Retry::OnStaleConnection, |mut s| {
            Box::pin(async move {
                let mut reads = policy::Reads::Directory(&mut s.ldap);
                let out = match policy::effective(&mut reads, &account.id, fb, &self.policies).await
                {
                    Ok(known) => Ok(known),
                    Err(policy::Unanswered::Failed(e)) => Err(e),
                    // Reads over a connection never stop at the cache.
                    Err(policy::Unanswered::NotCached) => Err(DirectoryError::Unavailable(
                        "the policy could not be read".into(),
                    )),
                };
                (s, out)
            })
        })
        .await
    }

    async fn reset_password(
        &self,
        account: &DirectoryAccount,
        password: &str,
        temporary: bool,
    ) -> Result<(), DirectoryError> {
        let history = self.cfg.enforce_history;
        self.pooled(Retry::Never, |mut s| {
            Box::pin(async move {
                let out = match self.writable_account(&mut s.ldap, &account.id).await {
                    Ok(target) => {
                        reset::set_password(&mut s, &target.id, password, temporary, history).await
                    }
                    Err(e) => Err(e),
                };
                (s, out)
            })
        })
        .await
    }

    async fn unlock(&self, account: &DirectoryAccount) -> Result<(), DirectoryError> {
        self.pooled(Retry::Never, |mut s| {
            Box::pin(async move {
                let out = match self.writable_account(&mut s.ldap, &account.id).await {
                    Ok(target) => reset::unlock(&mut s, &target.id).await,
                    Err(e) => Err(e),
                };
                (s, out)
            })
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
        self.pooled(Retry::OnStaleConnection, |mut s| {
            Box::pin(async move {
                let res = s
                    .ldap
                    .search(
                        &account.id,
                        Scope::Base,
                        entry::USER_FILTER,
                        entry::CONTACT_ATTRS.to_vec(),
                    )
                    .await;
                let out = res
                    .and_then(|r| r.success())
                    .map_err(ldap_error)
                    .map(|(entries, _)| {
                        entries
                            .into_iter()
                            .find(|e| !e.is_ref())
                            .map(SearchEntry::construct)
                            .map(|e| entry::contact_points(&e))
                            .unwrap_or_default()
                    });
                (s, out)
            })
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
