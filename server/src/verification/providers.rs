//! Who delivers a code or a push: SMTP e-mail ([`smtp`]), Twilio SMS, Duo push. Each provider's
//! errors become a [`ProviderError`] the flow turns into a clear answer (a provider's 429 is
//! "try again in N s", never a crash). No error text carries a code, number or key.
use std::time::Duration;

use async_trait::async_trait;

use super::codes::OneTimeCode;

pub mod duo;
pub mod smtp;
pub mod twilio;

/// A provider failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// The provider asks to slow down (HTTP 429 and the like).
    #[error("the provider is rate limiting: {message}")]
    RateLimited {
        /// The provider's words.
        message: String,
        /// When to try again, if it said.
        retry_after: Option<Duration>,
    },
    /// The provider refused this message (bad number, bad credentials, unknown user).
    #[error("the provider refused: {0}")]
    Refused(String),
    /// The provider could not be reached or failed.
    #[error("the provider is unavailable: {0}")]
    Unavailable(String),
}

/// Sends a one-time code to a phone number or an e-mail address.
#[async_trait]
pub trait CodeSender: Send + Sync {
    /// Delivers `code` to `to` (E.164 or an address) for the call about ticket `ticket`.
    async fn send_code(
        &self,
        to: &str,
        code: &OneTimeCode,
        ticket: u64,
    ) -> Result<(), ProviderError>;
}

/// Where a push stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushState {
    /// Not answered yet.
    Waiting,
    /// Approved by the user.
    Approved,
    /// Denied (by the user, as fraud, or by the provider's policy).
    Denied,
    /// Not answered in time.
    Timeout,
}

/// Sends a push the user approves on their phone.
#[async_trait]
pub trait PushSender: Send + Sync {
    /// Starts a push to `username` about ticket `ticket`; returns the provider's transaction id.
    async fn start_push(&self, username: &str, ticket: u64) -> Result<String, ProviderError>;
    /// Where the push `txid` stands now.
    async fn push_status(&self, txid: &str) -> Result<PushState, ProviderError>;
}

/// The words of a code message: who asks, the code, how long it lasts, what to do if unexpected.
pub fn code_message(sender: &str, code: &OneTimeCode, ticket: u64, ttl: Duration) -> String {
    format!(
        "Your verification code for {sender} is {}.\n\nRead it to the technician on the phone \
         (ticket #{ticket}). It expires in {} minutes.\nIf you did not call {sender}, do not share \
         it with anyone.",
        code.expose(),
        ttl.as_secs().div_ceil(60)
    )
}

/// An HTTP API root from the config: https, or http to a loopback host (the simulators).
pub fn api_base(raw: &str) -> Result<String, String> {
    let url = url::Url::parse(raw.trim()).map_err(|e| format!("not a URL: {e}"))?;
    if url.host().is_none() {
        return Err("no host".into());
    }
    let loopback = crate::loopback::is_loopback_host(&url);
    if !url.username().is_empty() || url.password().is_some() || url.query().is_some() {
        return Err("no credentials or query in the URL".into());
    }
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        _ => return Err("must use https (http only to a loopback host)".into()),
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// `Retry-After`, if the provider sent one (clamped: src/retry_after.rs).
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    crate::retry_after::from_headers(headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_only_to_loopback() {
        assert_eq!(
            api_base("https://api.twilio.com/").unwrap(),
            "https://api.twilio.com"
        );
        assert!(api_base("http://127.0.0.1:9/sim").is_ok());
        assert!(api_base("http://localhost:9").is_ok());
        assert!(api_base("http://api.twilio.com").is_err());
        assert!(api_base("https://u:p@api.twilio.com").is_err());
    }
}
