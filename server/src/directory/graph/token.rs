//! OAuth 2.0 client-credentials token for Graph, cached until a minute before it expires.
use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::Mutex;

use crate::directory::secret::Secret;
use crate::directory::DirectoryError;

struct Cached {
    token: Secret,
    renew_at: Instant,
}

/// Shares one token between concurrent calls; the lock is held during a refresh so only one request goes out.
#[derive(Default)]
pub(super) struct TokenCache {
    slot: Mutex<Option<Cached>>,
    fetched: std::sync::atomic::AtomicU64,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: u64,
}

#[derive(Deserialize, Default)]
struct TokenError {
    #[serde(default)]
    error: String,
    #[serde(default)]
    error_description: String,
}

/// What a token request needs.
pub(super) struct Client<'a> {
    pub http: &'a reqwest::Client,
    pub token_url: &'a url::Url,
    pub client_id: &'a str,
    pub secret: &'a Secret,
    pub scope: &'a str,
}

impl TokenCache {
    /// How many tokens were fetched so far (for tests and logs).
    pub fn fetched(&self) -> u64 {
        self.fetched.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A valid token, from the cache or freshly requested.
    pub async fn get(&self, c: &Client<'_>) -> Result<Secret, DirectoryError> {
        let mut slot = self.slot.lock().await;
        if let Some(cached) = slot.as_ref().filter(|t| Instant::now() < t.renew_at) {
            return Ok(cached.token.clone());
        }
        let (token, expires_in) = fetch(c).await?;
        self.fetched
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // Renew a minute early (or halfway for very short lifetimes) so a token never expires in flight.
        let margin = Duration::from_secs(60.min(expires_in / 2));
        *slot = Some(Cached {
            token: token.clone(),
            renew_at: Instant::now() + Duration::from_secs(expires_in) - margin,
        });
        Ok(token)
    }

    /// Drops the cached token (after a 401).
    pub async fn invalidate(&self) {
        *self.slot.lock().await = None;
    }
}

async fn fetch(c: &Client<'_>) -> Result<(Secret, u64), DirectoryError> {
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", c.client_id),
        ("client_secret", c.secret.expose()),
        ("scope", c.scope),
    ];
    let resp = c
        .http
        .post(c.token_url.clone())
        .form(&form)
        .send()
        .await
        .map_err(|e| {
            DirectoryError::Unavailable(format!("token endpoint unreachable: {}", e.without_url()))
        })?;
    let status = resp.status();
    if status.is_success() {
        let body: TokenResponse = resp.json().await.map_err(|e| {
            DirectoryError::Unavailable(format!("token endpoint answered an unexpected body: {e}"))
        })?;
        return Ok((Secret::new(body.access_token), body.expires_in.max(1)));
    }
    // AAD's error body never holds the secret; keep its code and the first line of its description.
    let err: TokenError = resp.json().await.unwrap_or_default();
    let desc: String = err
        .error_description
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(200)
        .collect();
    Err(DirectoryError::Unavailable(format!(
        "token request for client {} failed: HTTP {} {} {desc}",
        c.client_id,
        status.as_u16(),
        err.error
    )))
}
