//! Entra ID (Microsoft 365) over Microsoft Graph with `reqwest`: app-only client-credentials token, user
//! lookup by mail / UPN / proxyAddresses, `PATCH /users/{id}` with `passwordProfile` (docs/policy.md §6.3).
mod errors;
mod token;
mod user;

use std::time::Duration;

use async_trait::async_trait;
use passdesk_core::{EntraPolicy, Policy};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use zeroize::Zeroizing;

use super::secret::Secret;
use super::{
    config_error, refuse_privileged, refuse_synced, Directory, DirectoryAccount, DirectoryError,
    EffectivePolicy,
};
use errors::{graph_error, Op};
use token::TokenCache;

/// `[[directories]]` with `kind = "graph"`. `Debug` shows no secret.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GraphDirectoryConfig {
    /// Short name for logs and the panel, e.g. `contoso-m365`.
    pub name: String,
    /// Directory (tenant) id or verified domain.
    pub tenant_id: String,
    /// Application (client) id of the app registration.
    pub client_id: String,
    /// Client secret (or use `client_secret_env`).
    #[serde(default)]
    pub client_secret: Option<Secret>,
    /// Name of an environment variable holding the client secret.
    #[serde(default)]
    pub client_secret_env: Option<String>,
    /// Token authority, default `https://login.microsoftonline.com`.
    #[serde(default = "default_authority")]
    pub authority_url: String,
    /// Graph endpoint, default `https://graph.microsoft.com`.
    #[serde(default = "default_graph")]
    pub graph_url: String,
    /// Tenant display name, for the name-substring rule of the policy.
    #[serde(default)]
    pub tenant_name: Option<String>,
    /// The tenant's custom banned-password terms (Graph cannot read them: copy them from the portal).
    #[serde(default)]
    pub custom_terms: Vec<String>,
    /// Allow resetting users that hold a directory role.
    #[serde(default)]
    pub allow_privileged: bool,
    /// Timeout of one HTTP request, seconds.
    #[serde(default = "default_timeout_secs")]
    pub timeout_secs: u64,
    /// Longest `Retry-After` (seconds) waited on a 429 / 503 before giving up; at most 3 retries.
    #[serde(default = "default_max_retry_wait_secs")]
    pub max_retry_wait_secs: u64,
}

fn default_authority() -> String {
    "https://login.microsoftonline.com".into()
}
fn default_graph() -> String {
    "https://graph.microsoft.com".into()
}
fn default_timeout_secs() -> u64 {
    20
}
fn default_max_retry_wait_secs() -> u64 {
    10
}

const MAX_RETRIES: u32 = 3;
/// Pages of `find_by_email` results followed at most (one address rarely matches more than one page).
const MAX_PAGES: u32 = 5;

/// https, or http to a loopback host (the test simulator): tokens and passwords never go out in clear text.
fn parse_endpoint(what: &str, s: &str) -> Result<url::Url, String> {
    let u = url::Url::parse(s.trim_end_matches('/')).map_err(|e| format!("{what} {s}: {e}"))?;
    let loopback = matches!(u.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match u.scheme() {
        "https" => Ok(u),
        "http" if loopback => Ok(u),
        _ => Err(format!("{what} {s} must be https://")),
    }
}

impl GraphDirectoryConfig {
    /// Checks what can be checked without a network.
    pub fn validate(&self) -> Result<(), String> {
        let ok_tenant = !self.tenant_id.is_empty()
            && self
                .tenant_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        if !ok_tenant {
            return Err(format!(
                "tenant_id {:?} is not a tenant id or domain",
                self.tenant_id
            ));
        }
        if self.client_id.trim().is_empty() {
            return Err("client_id is required".into());
        }
        parse_endpoint("authority_url", &self.authority_url)?;
        parse_endpoint("graph_url", &self.graph_url)?;
        if self.timeout_secs == 0 {
            return Err("timeout_secs must be at least 1".into());
        }
        Ok(())
    }
}

/// A configured Entra ID tenant.
pub struct GraphDirectory {
    cfg: GraphDirectoryConfig,
    secret: Secret,
    http: reqwest::Client,
    token_url: url::Url,
    graph: url::Url,
    scope: String,
    tokens: TokenCache,
}

impl std::fmt::Debug for GraphDirectory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphDirectory")
            .field("cfg", &self.cfg)
            .finish_non_exhaustive()
    }
}

impl GraphDirectory {
    /// Validates the config and resolves the client secret. No network.
    pub fn new(cfg: GraphDirectoryConfig) -> Result<Self, DirectoryError> {
        let fail = |m: String| config_error(&cfg.name, m);
        cfg.validate().map_err(fail)?;
        let secret = Secret::resolve(
            cfg.client_secret.as_ref(),
            cfg.client_secret_env.as_deref(),
            "client_secret",
        )
        .map_err(fail)?;
        let mut token_url = parse_endpoint("authority_url", &cfg.authority_url).map_err(fail)?;
        token_url
            .path_segments_mut()
            .map_err(|_| fail("authority_url cannot be a base".into()))?
            .pop_if_empty()
            .extend([cfg.tenant_id.as_str(), "oauth2", "v2.0", "token"]);
        let graph = parse_endpoint("graph_url", &cfg.graph_url).map_err(fail)?;
        let scope = format!("{}/.default", cfg.graph_url.trim_end_matches('/'));
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(cfg.timeout_secs))
            .build()
            .map_err(|e| fail(format!("HTTP client: {e}")))?;
        Ok(Self {
            cfg,
            secret,
            http,
            token_url,
            graph,
            scope,
            tokens: TokenCache::default(),
        })
    }

    /// The config this directory was built from.
    pub fn config(&self) -> &GraphDirectoryConfig {
        &self.cfg
    }

    /// How many access tokens were requested so far (the cache is per directory).
    pub fn tokens_fetched(&self) -> u64 {
        self.tokens.fetched()
    }

    /// `{graph_url}/v1.0/<segments…>`, each segment percent-encoded (an id can never add a path level).
    fn url(&self, segments: &[&str]) -> url::Url {
        let mut u = self.graph.clone();
        if let Ok(mut p) = u.path_segments_mut() {
            p.pop_if_empty().push("v1.0").extend(segments);
        }
        u
    }

    async fn token(&self) -> Result<Secret, DirectoryError> {
        let c = token::Client {
            http: &self.http,
            token_url: &self.token_url,
            client_id: &self.cfg.client_id,
            secret: &self.secret,
            scope: &self.scope,
        };
        self.tokens.get(&c).await
    }

    /// Sends one Graph request: a fresh token once after a 401, and bounded waits on 429 / 503 Retry-After.
    /// Returns the status and body of the final answer.
    async fn call(
        &self,
        method: Method,
        url: url::Url,
        query: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Result<(StatusCode, Vec<u8>), DirectoryError> {
        let mut renewed = false;
        let mut retries = 0;
        loop {
            let token = self.token().await?;
            let mut req = self
                .http
                .request(method.clone(), url.clone())
                .bearer_auth(token.expose())
                .header("ConsistencyLevel", "eventual");
            if !query.is_empty() {
                req = req.query(query);
            }
            if let Some(b) = body {
                req = req
                    .header("Content-Type", "application/json")
                    .body(b.to_vec());
            }
            let resp = req.send().await.map_err(|e| {
                DirectoryError::Unavailable(format!("Graph unreachable: {}", e.without_url()))
            })?;
            let status = resp.status();
            let retry_after = crate::retry_after::from_headers(resp.headers()).map(|d| d.as_secs());
            let bytes = resp
                .bytes()
                .await
                .map_err(|e| DirectoryError::Unavailable(format!("Graph: {e}")))?
                .to_vec();
            match status {
                StatusCode::UNAUTHORIZED if !renewed => {
                    // The cached token may have been revoked or expired early.
                    self.tokens.invalidate().await;
                    renewed = true;
                }
                StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
                    if retries < MAX_RETRIES =>
                {
                    let wait = retry_after.unwrap_or(1);
                    if wait > self.cfg.max_retry_wait_secs {
                        return Err(DirectoryError::Unavailable(format!(
                            "Graph {} asks to retry after {wait} s; giving up (max_retry_wait_secs = {})",
                            status.as_u16(),
                            self.cfg.max_retry_wait_secs
                        )));
                    }
                    tracing::info!(directory = %self.cfg.name, status = status.as_u16(), wait, "Graph throttled; retrying");
                    tokio::time::sleep(Duration::from_secs(wait)).await;
                    retries += 1;
                }
                _ => return Ok((status, bytes)),
            }
        }
    }

    async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        url: url::Url,
        query: &[(&str, &str)],
    ) -> Result<T, DirectoryError> {
        let (status, body) = self.call(Method::GET, url, query, None).await?;
        if !status.is_success() {
            return Err(graph_error(status, &body, Op::Read));
        }
        serde_json::from_slice(&body).map_err(|e| DirectoryError::Other {
            code: "GRAPH_BODY".into(),
            message: e.to_string(),
        })
    }

    /// A user holding any directory role counts as privileged: an active one (also through a
    /// role-assignable group), one scoped to an administrative unit, a custom role, or one the user is
    /// only PIM-eligible for (one activation away). The three reads run concurrently; if the app may not
    /// read any of them, fail closed.
    async fn privileged(&self, id: &str) -> Result<bool, DirectoryError> {
        let memberships = self.url(&[
            "users",
            id,
            "transitiveMemberOf",
            "microsoft.graph.directoryRole",
        ]);
        // OData string literal: a quote in the id is doubled, so it can never end the literal.
        let filter = format!("principalId eq '{}'", id.replace('\'', "''"));
        let assignments = self.url(&["roleManagement", "directory", "roleAssignments"]);
        let eligible = self.url(&["roleManagement", "directory", "roleEligibilitySchedules"]);
        let by_principal = [("$filter", filter.as_str())];
        let (a, b, c) = tokio::join!(
            self.any_role(
                memberships,
                &[("$select", "id,displayName")],
                "directory roles"
            ),
            self.any_role(assignments, &by_principal, "role assignments"),
            self.any_role(eligible, &by_principal, "PIM-eligible roles"),
        );
        Ok(a? || b? || c?)
    }

    /// Whether a role list is non-empty; 403 (the app lacks the permission) counts as a role.
    async fn any_role(
        &self,
        url: url::Url,
        query: &[(&str, &str)],
        what: &str,
    ) -> Result<bool, DirectoryError> {
        match self.get_json::<user::RoleList>(url, query).await {
            Ok(roles) => Ok(!roles.value.is_empty()),
            Err(DirectoryError::AccessDenied { .. }) => {
                tracing::warn!(directory = %self.cfg.name, "cannot read {what}; treating the user as privileged");
                Ok(true)
            }
            Err(e) => Err(e),
        }
    }

    async fn read_user(&self, id: &str) -> Result<DirectoryAccount, DirectoryError> {
        let u: user::GraphUser = self
            .get_json(self.url(&["users", id]), &[("$select", user::SELECT)])
            .await?;
        let privileged = self.privileged(id).await?;
        Ok(u.into_account(privileged))
    }

    /// Re-reads the target and refuses privileged users unless allowed: enforced here too, not only in the flow.
    async fn writable(&self, id: &str) -> Result<DirectoryAccount, DirectoryError> {
        let account = self.read_user(id).await?;
        refuse_synced(refuse_privileged(account, self.cfg.allow_privileged)?)
    }
}

#[async_trait]
impl Directory for GraphDirectory {
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
        let filter = user::email_filter(email);
        // `$count=true` + `ConsistencyLevel: eventual` (sent on every call) enable the advanced query with
        // `or` and the `any()` lambda on proxyAddresses.
        let query = [
            ("$filter", filter.as_str()),
            ("$select", user::SELECT),
            ("$count", "true"),
        ];
        let mut page: user::UserList = self.get_json(self.url(&["users"]), &query).await?;
        let mut users = std::mem::take(&mut page.value);
        let mut pages = 1;
        while let Some(next) = page.next_link.take() {
            // The bearer token only ever goes to the configured Graph origin.
            let next = url::Url::parse(&next)
                .ok()
                .filter(|u| u.origin() == self.graph.origin())
                .ok_or_else(|| DirectoryError::Other {
                    code: "GRAPH_PAGING".into(),
                    message: "@odata.nextLink points elsewhere".into(),
                })?;
            pages += 1;
            if pages > MAX_PAGES {
                return Err(DirectoryError::Other {
                    code: "GRAPH_PAGING".into(),
                    message: format!("more than {MAX_PAGES} pages of users match this address"),
                });
            }
            page = self.get_json(next, &[]).await?;
            users.append(&mut page.value);
        }
        let mut out = Vec::with_capacity(users.len());
        for u in users {
            let privileged = self.privileged(u.id()).await?;
            out.push(u.into_account(privileged));
        }
        Ok(out)
    }

    async fn get_account(&self, id: &str) -> Result<DirectoryAccount, DirectoryError> {
        self.read_user(id).await
    }

    async fn effective_policy(
        &self,
        _account: &DirectoryAccount,
    ) -> Result<EffectivePolicy, DirectoryError> {
        let policy = EntraPolicy {
            custom_terms: self.cfg.custom_terms.clone(),
            global_list: true,
            tenant_name: self.cfg.tenant_name.clone(),
        };
        Ok(EffectivePolicy {
            policy: Policy::Entra(policy),
            source: format!("Entra tenant {}", self.cfg.tenant_name.as_deref().unwrap_or(&self.cfg.tenant_id)),
            uncertain: Some(
                "Microsoft's global banned-password list is secret: PassDesk checks a built-in list of common weak \
                 terms instead, so Entra may still refuse a password that passes here"
                    .into(),
            ),
        })
    }

    async fn reset_password(
        &self,
        account: &DirectoryAccount,
        password: &str,
        temporary: bool,
    ) -> Result<(), DirectoryError> {
        let target = self.writable(&account.id).await?;
        let body = serde_json::json!({
            "passwordProfile": {
                "password": password,
                "forceChangePasswordNextSignIn": temporary,
                "forceChangePasswordNextSignInWithMfa": false,
            }
        });
        // Our serialized copy is wiped on drop; the `Value` above and reqwest's buffer are best effort.
        let bytes = Zeroizing::new(serde_json::to_vec(&body).expect("JSON of strings and bools"));
        drop(body);
        let (status, resp) = self
            .call(
                Method::PATCH,
                self.url(&["users", &target.id]),
                &[],
                Some(&bytes),
            )
            .await?;
        if status.is_success() {
            Ok(())
        } else {
            Err(graph_error(status, &resp, Op::SetPassword))
        }
    }

    async fn unlock(&self, _account: &DirectoryAccount) -> Result<(), DirectoryError> {
        Err(DirectoryError::Other {
            code: "UNSUPPORTED".into(),
            message: "Entra ID has no lockout that Graph can clear; smart lockout ends on its own"
                .into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(graph_url: &str) -> GraphDirectoryConfig {
        toml::from_str(&format!(
            "name = 'm365'\ntenant_id = 'contoso.onmicrosoft.com'\nclient_id = 'app'\nclient_secret = 'Sup3r~Secret'\ngraph_url = '{graph_url}'"
        ))
        .unwrap()
    }

    #[test]
    fn defaults_and_redaction() {
        let c = cfg("https://graph.microsoft.com");
        assert_eq!(c.authority_url, "https://login.microsoftonline.com");
        assert!(!format!("{c:?}").contains("Sup3r"));
        let d = GraphDirectory::new(c).unwrap();
        assert!(!format!("{d:?}").contains("Sup3r"));
        assert_eq!(
            d.token_url.as_str(),
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"
        );
        assert_eq!(d.scope, "https://graph.microsoft.com/.default");
        assert_eq!(
            d.url(&["users", "a/b"]).as_str(),
            "https://graph.microsoft.com/v1.0/users/a%2Fb"
        );
    }

    #[test]
    fn clear_text_endpoints_only_on_loopback() {
        assert!(GraphDirectory::new(cfg("http://graph.example.com")).is_err());
        assert!(GraphDirectory::new(cfg("http://127.0.0.1:9")).is_ok());
        let mut c = cfg("https://graph.microsoft.com");
        c.tenant_id = "../x".into();
        assert!(c.validate().is_err());
    }
}
