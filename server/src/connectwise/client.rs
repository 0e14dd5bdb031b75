//! The ConnectWise Manage REST API 3.0 client (the subset PassDesk uses).
//!
//! - Auth: `Authorization: Basic base64("{company}+{public}:{private}")` plus the `clientId` header, and a
//!   pinned `Accept: application/vnd.connectwise.com+json; version=…` so a CW upgrade cannot change shapes.
//! - Reads are interactive (a technician waits): two quick retries on 429 / 5xx / network errors with
//!   jittered, capped backoff; a `Retry-After` beyond the cap is returned as `RateLimited` instead.
//! - Writes (note POSTs) are never retried here: a POST that timed out may have been applied, so the
//!   backend's outbox decides (it honours `retry_after()`).
//! - The private key only lives inside a header value marked sensitive; it is in no URL, log or error.
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use rand::Rng as _;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::{Ticket, TicketKind};

mod error;
pub mod models;
pub mod paging;

pub use error::CwError;
use models::{ContactModel, CreatedNote, NewNote, TicketModel, CONTACT_FIELDS, TICKET_FIELDS};

/// The API version pinned in `Accept` unless the config says otherwise.
pub fn default_api_version() -> String {
    "2025.8".to_string()
}

/// `[connectwise]` in the config file.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectWiseConfig {
    /// API root, e.g. `https://api-na.myconnectwise.net/v4_6_release/apis/3.0` (https unless loopback).
    pub base_url: String,
    /// Login company id.
    pub company_id: String,
    /// API member public key.
    pub public_key: String,
    /// API member private key (prefer `private_key_env`).
    #[serde(default)]
    pub private_key: Option<String>,
    /// Name of the environment variable that holds the private key.
    #[serde(default)]
    pub private_key_env: Option<String>,
    /// clientId from developer.connectwise.com.
    pub client_id: String,
    /// Pinned API version sent in `Accept`.
    #[serde(default = "default_api_version")]
    pub api_version: String,
}

impl fmt::Debug for ConnectWiseConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectWiseConfig")
            .field("base_url", &self.base_url)
            .field("company_id", &self.company_id)
            .field("public_key", &self.public_key)
            .field(
                "private_key",
                &self.private_key.as_ref().map(|_| "<redacted>"),
            )
            .field("private_key_env", &self.private_key_env)
            .field("client_id", &self.client_id)
            .field("api_version", &self.api_version)
            .finish()
    }
}

impl ConnectWiseConfig {
    /// The private key from the config or from the named environment variable.
    fn resolve_private_key(&self) -> Result<String, CwError> {
        if let Some(k) = self.private_key.as_deref().filter(|k| !k.is_empty()) {
            return Ok(k.to_string());
        }
        match self.private_key_env.as_deref().filter(|v| !v.is_empty()) {
            Some(var) => std::env::var(var)
                .ok()
                .filter(|k| !k.is_empty())
                .ok_or_else(|| {
                    CwError::Config(format!(
                        "environment variable {var} (private key) is not set"
                    ))
                }),
            None => Err(CwError::Config("set private_key or private_key_env".into())),
        }
    }
}

/// Tunables; `Default` is what production uses. Tests shorten them.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Whole-request time-out.
    pub request_timeout: Duration,
    /// TCP + TLS connect time-out.
    pub connect_timeout: Duration,
    /// Retries after the first attempt, for reads only.
    pub read_retries: u32,
    /// First backoff step (doubled per retry, plus jitter up to this much).
    pub base_delay: Duration,
    /// Longest wait between read attempts; a longer `Retry-After` is returned as `RateLimited`.
    pub max_delay: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(5),
            read_retries: 2,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
        }
    }
}

/// ConnectWise REST client; cheap to clone.
#[derive(Clone)]
pub struct ConnectWiseClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// API root without a trailing slash.
    base: String,
    headers: HeaderMap,
    opts: ClientOptions,
}

impl fmt::Debug for ConnectWiseClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectWiseClient")
            .field("base", &self.inner.base)
            .finish_non_exhaustive()
    }
}

/// Checks the API root: absolute http(s), https unless the host is loopback, no credentials in it.
fn validate_base_url(raw: &str) -> Result<String, CwError> {
    let url = url::Url::parse(raw.trim())
        .map_err(|e| CwError::Config(format!("base_url is not a URL: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(CwError::Config(
            "base_url must not contain credentials".into(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(CwError::Config(
            "base_url must not have a query or fragment".into(),
        ));
    }
    if url.host().is_none() {
        return Err(CwError::Config("base_url has no host".into()));
    }
    let loopback = crate::loopback::is_loopback_host(&url);
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        _ => {
            return Err(CwError::Config(
                "base_url must use https (http only for a loopback host)".into(),
            ))
        }
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

fn header(value: &str, what: &str) -> Result<HeaderValue, CwError> {
    HeaderValue::from_str(value).map_err(|_| {
        CwError::Config(format!(
            "{what} contains characters not allowed in a header"
        ))
    })
}

impl ConnectWiseClient {
    /// Builds a client with production defaults.
    pub fn new(cfg: &ConnectWiseConfig) -> Result<Self, CwError> {
        Self::with_options(cfg, ClientOptions::default())
    }

    /// Builds a client with explicit time-outs / retry settings.
    pub fn with_options(cfg: &ConnectWiseConfig, opts: ClientOptions) -> Result<Self, CwError> {
        let base = validate_base_url(&cfg.base_url)?;
        for (v, what) in [
            (&cfg.company_id, "company_id"),
            (&cfg.public_key, "public_key"),
            (&cfg.client_id, "client_id"),
        ] {
            if v.trim().is_empty() {
                return Err(CwError::Config(format!("{what} is empty")));
            }
        }
        if cfg.api_version.is_empty()
            || !cfg
                .api_version
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.')
        {
            return Err(CwError::Config("api_version must look like 2025.8".into()));
        }
        let private = zeroize::Zeroizing::new(cfg.resolve_private_key()?);
        let creds = zeroize::Zeroizing::new(format!(
            "{}+{}:{}",
            cfg.company_id, cfg.public_key, *private
        ));
        let b64 = zeroize::Zeroizing::new(
            base64::engine::general_purpose::STANDARD.encode(creds.as_bytes()),
        );
        let mut auth = HeaderValue::from_str(&format!("Basic {}", *b64))
            .map_err(|_| CwError::Config("credentials are not valid header text".into()))?;
        auth.set_sensitive(true); // keeps it out of reqwest / http Debug output

        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, auth);
        // Header names are case-insensitive; `http` stores them lower-case.
        headers.insert(
            HeaderName::from_static("clientid"),
            header(cfg.client_id.trim(), "client_id")?,
        );
        headers.insert(
            ACCEPT,
            header(
                &format!(
                    "application/vnd.connectwise.com+json; version={}",
                    cfg.api_version
                ),
                "api_version",
            )?,
        );
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));

        let http = reqwest::Client::builder()
            .timeout(opts.request_timeout)
            .connect_timeout(opts.connect_timeout)
            // Cloud redirects old codebases; never follow to plain http from https.
            .https_only(base.starts_with("https://"))
            .redirect(reqwest::redirect::Policy::limited(5))
            .user_agent(concat!("PassDesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| CwError::Config(format!("HTTP client: {}", e.without_url())))?;
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                base,
                headers,
                opts,
            }),
        })
    }

    /// The API root this client talks to.
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    fn url(&self, path: &str, query: &[(&str, String)]) -> String {
        let q = paging::encode_query(query);
        if q.is_empty() {
            format!("{}{}", self.inner.base, path)
        } else {
            format!("{}{}?{}", self.inner.base, path, q)
        }
    }

    /// One request; a non-2xx becomes the matching `CwError`.
    async fn send_once(
        &self,
        method: Method,
        url: &str,
        body: Option<&[u8]>,
    ) -> Result<reqwest::Response, CwError> {
        let mut req = self
            .inner
            .http
            .request(method, url)
            .headers(self.inner.headers.clone());
        if let Some(b) = body {
            req = req.body(b.to_vec());
        }
        let resp = req.send().await.map_err(CwError::from_reqwest)?;
        let status = resp.status();
        if status.is_success() {
            return Ok(resp);
        }
        let retry_after = crate::retry_after::from_headers(resp.headers());
        // Error bodies are small; cap what we read in case a proxy sends a page of HTML.
        let text = resp.text().await.unwrap_or_default();
        let text: String = text.chars().take(8192).collect();
        Err(error::from_response(status.as_u16(), retry_after, &text))
    }

    /// Delay before retry number `attempt` (0-based): exponential, capped, with jitter.
    fn backoff(&self, attempt: u32) -> Duration {
        let o = &self.inner.opts;
        let exp = o.base_delay.saturating_mul(1u32 << attempt.min(16));
        let jitter_ms = rand::rng().random_range(0..=o.base_delay.as_millis() as u64);
        (exp + Duration::from_millis(jitter_ms)).min(o.max_delay)
    }

    /// GET with the interactive retry policy.
    async fn get_with_retry(&self, url: &str) -> Result<reqwest::Response, CwError> {
        let mut attempt = 0;
        loop {
            match self.send_once(Method::GET, url, None).await {
                Ok(r) => return Ok(r),
                Err(e) if e.is_retryable() && attempt < self.inner.opts.read_retries => {
                    let backoff = self.backoff(attempt);
                    let wait = match e.retry_after() {
                        // Waiting longer would stall the technician: let the caller decide.
                        Some(ra) if ra > self.inner.opts.max_delay => return Err(e),
                        Some(ra) => ra.max(backoff),
                        None => backoff,
                    };
                    tracing::debug!(error = %e, attempt, wait_ms = wait.as_millis() as u64, "retrying ConnectWise read");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    async fn decode<T: DeserializeOwned>(resp: reqwest::Response) -> Result<T, CwError> {
        let bytes = resp.bytes().await.map_err(CwError::from_reqwest)?;
        serde_json::from_slice(&bytes).map_err(|e| CwError::Decode(e.to_string()))
    }

    /// GET `path` (relative to the API root) and decode the JSON body.
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, CwError> {
        let resp = self.get_with_retry(&self.url(path, query)).await?;
        Self::decode(resp).await
    }

    /// Reads a service or project ticket.
    pub async fn ticket(&self, kind: TicketKind, id: u64) -> Result<Ticket, CwError> {
        let path = format!("{}/{id}", tickets_path(kind));
        let model: TicketModel = self
            .get_json(&path, &[("fields", TICKET_FIELDS.to_string())])
            .await?;
        if model.id != id {
            return Err(CwError::Decode(format!(
                "asked for ticket {id}, got {}",
                model.id
            )));
        }
        model.into_ticket(kind).map_err(CwError::Decode)
    }

    /// A contact record (subset).
    pub async fn contact(&self, contact_id: u64) -> Result<ContactModel, CwError> {
        self.get_json(
            &format!("/company/contacts/{contact_id}"),
            &[("fields", CONTACT_FIELDS.to_string())],
        )
        .await
    }

    /// The record id of the company whose identifier is `identifier` (ConnectWise keeps identifiers
    /// unique), or `None`.
    pub async fn company_id(&self, identifier: &str) -> Result<Option<u64>, CwError> {
        #[derive(serde::Deserialize)]
        struct Id {
            id: u64,
        }
        let identifier = identifier.trim();
        // `"` would end the string literal and `*` is a wildcard: either could widen the match.
        if identifier.is_empty() || identifier.contains(['"', '*', '\\']) {
            return Err(CwError::Config(format!(
                "company identifier {identifier:?} is empty or contains \", * or \\"
            )));
        }
        let query = [
            ("conditions", format!(r#"identifier="{identifier}""#)),
            ("fields", "id".to_string()),
        ];
        let found: Vec<Id> = self.get_json("/company/companies", &query).await?;
        Ok(found.first().map(|c| c.id))
    }

    /// Every Email item of the contact, the default one first.
    pub async fn contact_emails(&self, contact_id: u64) -> Result<Vec<String>, CwError> {
        Ok(self.contact(contact_id).await?.emails())
    }

    /// Posts an internal-only note (Internal flag on, Discussion / Resolution off, no notifications) and
    /// returns its id. Not retried: see the module doc.
    pub async fn post_internal_note(
        &self,
        kind: TicketKind,
        ticket_id: u64,
        text: &str,
    ) -> Result<u64, CwError> {
        let body = serde_json::to_vec(&NewNote::internal(text))
            .map_err(|e| CwError::Decode(e.to_string()))?;
        let url = self.url(&format!("{}/{ticket_id}/notes", tickets_path(kind)), &[]);
        let resp = self.send_once(Method::POST, &url, Some(&body)).await?;
        let note: CreatedNote = Self::decode(resp).await?;
        Ok(note.id)
    }
}

fn tickets_path(kind: TicketKind) -> &'static str {
    match kind {
        TicketKind::Service => "/service/tickets",
        TicketKind::Project => "/project/tickets",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(base: &str) -> ConnectWiseConfig {
        ConnectWiseConfig {
            base_url: base.into(),
            company_id: "acme".into(),
            public_key: "pub".into(),
            private_key: Some("s3cr3t-priv".into()),
            private_key_env: None,
            client_id: "cid".into(),
            api_version: default_api_version(),
        }
    }

    #[test]
    fn base_url_rules() {
        assert!(ConnectWiseClient::new(&cfg(
            "https://api-na.myconnectwise.net/v4_6_release/apis/3.0/"
        ))
        .is_ok());
        assert!(ConnectWiseClient::new(&cfg("http://127.0.0.1:9/cw")).is_ok());
        assert!(ConnectWiseClient::new(&cfg("http://localhost:9/cw")).is_ok());
        for bad in [
            "http://cw.example/apis/3.0",
            "https://u:p@cw.example/",
            "ftp://cw.example",
            "nonsense",
        ] {
            assert!(
                matches!(ConnectWiseClient::new(&cfg(bad)), Err(CwError::Config(_))),
                "{bad}"
            );
        }
        let c = ConnectWiseClient::new(&cfg("https://h.example/a/")).unwrap();
        assert_eq!(c.base_url(), "https://h.example/a");
    }

    #[test]
    fn missing_key_is_config_error_without_secret() {
        let mut c = cfg("https://h.example");
        c.private_key = None;
        c.private_key_env = Some("PASSDESK_TEST_SURELY_UNSET_VAR".into());
        let e = ConnectWiseClient::new(&c).unwrap_err();
        assert!(matches!(e, CwError::Config(_)));
        assert!(e.to_string().contains("PASSDESK_TEST_SURELY_UNSET_VAR"));
        let dbg = format!(
            "{:?} {:?}",
            cfg("https://h.example"),
            ConnectWiseClient::new(&cfg("https://h.example")).unwrap()
        );
        assert!(!dbg.contains("s3cr3t-priv"), "{dbg}");
    }

    #[test]
    fn backoff_is_capped() {
        let c = ConnectWiseClient::new(&cfg("https://h.example")).unwrap();
        for a in 0..10 {
            assert!(c.backoff(a) <= Duration::from_secs(2));
        }
        assert!(c.backoff(0) >= Duration::from_millis(100));
    }
}
