//! SMS codes through Twilio Programmable Messaging: `POST {api_url}/2010-04-01/Accounts/{Sid}/Messages.json`,
//! form fields `To`, `From`, `Body`, HTTP Basic auth (Account SID or API key SID + secret). A 201 means
//! accepted (delivery is asynchronous). Twilio's error text can quote the number, so only its
//! numeric code is kept.
use std::time::Duration;

use async_trait::async_trait;
use serde::Deserialize;

use super::{api_base, code_message, retry_after, CodeSender, ProviderError};
use crate::{directory::secret::Secret, verification::codes::OneTimeCode};

/// `[verification.sms]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsConfig {
    /// Account SID (`AC…`); also the Basic-auth user unless `api_key_sid` is set.
    pub account_sid: String,
    /// API key SID (`SK…`), Twilio's advice for production; its secret goes in `auth_token`.
    #[serde(default)]
    pub api_key_sid: Option<String>,
    /// Auth token / API key secret (or `auth_token_env`).
    #[serde(default)]
    pub auth_token: Option<Secret>,
    /// Environment variable holding it.
    #[serde(default)]
    pub auth_token_env: Option<String>,
    /// Sender: a Twilio number in E.164, a short code or an alphanumeric sender id.
    pub from: String,
    /// API root (default `https://api.twilio.com`; http only to loopback, for the simulator).
    #[serde(default = "default_api_url")]
    pub api_url: String,
    /// Seconds a send may take (default 15).
    #[serde(default)]
    pub timeout_secs: Option<u64>,
}

fn default_api_url() -> String {
    "https://api.twilio.com".into()
}

/// Sends the SMS codes.
pub struct TwilioSender {
    http: reqwest::Client,
    url: String,
    user: String,
    token: Secret,
    from: String,
    sender_name: String,
    ttl: Duration,
}

#[derive(Deserialize, Default)]
struct TwilioError {
    #[serde(default)]
    code: Option<u64>,
}

impl TwilioSender {
    /// From the config (no request yet).
    pub fn new(cfg: &SmsConfig, sender_name: &str, ttl: Duration) -> Result<Self, String> {
        let base =
            api_base(&cfg.api_url).map_err(|e| format!("[verification.sms] api_url: {e}"))?;
        let sid = cfg.account_sid.trim();
        if sid.is_empty() || !sid.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err("[verification.sms] account_sid must be the AC… id".into());
        }
        let token = Secret::resolve(
            cfg.auth_token.as_ref(),
            cfg.auth_token_env.as_deref(),
            "auth_token",
        )
        .map_err(|e| format!("[verification.sms] {e}"))?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(cfg.timeout_secs.unwrap_or(15)))
            .build()
            .map_err(|e| format!("[verification.sms] HTTP client: {e}"))?;
        Ok(Self {
            http,
            url: format!("{base}/2010-04-01/Accounts/{sid}/Messages.json"),
            user: cfg.api_key_sid.clone().unwrap_or_else(|| sid.to_string()),
            token,
            from: cfg.from.clone(),
            sender_name: sender_name.to_string(),
            ttl,
        })
    }
}

#[async_trait]
impl CodeSender for TwilioSender {
    async fn send_code(
        &self,
        to: &str,
        code: &OneTimeCode,
        ticket: u64,
    ) -> Result<(), ProviderError> {
        let body = code_message(&self.sender_name, code, ticket, self.ttl);
        let response = self
            .http
            .post(&self.url)
            .basic_auth(&self.user, Some(self.token.expose()))
            .form(&[
                ("To", to),
                ("From", self.from.as_str()),
                ("Body", body.as_str()),
            ])
            .send()
            .await
            // reqwest's error names the URL (the account SID), never the form.
            .map_err(|e| {
                ProviderError::Unavailable(format!("cannot reach Twilio: {}", e.without_url()))
            })?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let retry_after = retry_after(response.headers());
        let parsed: TwilioError = response.json().await.unwrap_or_default();
        let code = parsed
            .code
            .map(|c| format!("Twilio error {c}, HTTP {}", status.as_u16()))
            .unwrap_or_else(|| format!("HTTP {}", status.as_u16()));
        Err(match status.as_u16() {
            429 => ProviderError::RateLimited {
                message: code,
                retry_after,
            },
            400..=499 => ProviderError::Refused(code),
            _ => ProviderError::Unavailable(code),
        })
    }
}
