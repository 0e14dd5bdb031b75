//! `CwError` and the mapping of ConnectWise error responses onto it.
//!
//! ConnectWise answers errors with `{code, message, errors:[{code,message,resource,field}]}`, except for
//! throttling, which uses `{"error":"ConnectWiseAPI","message":"..."}` plus a `Retry-After` header.
//! Error texts come from the server or from us, never from the request headers, so no key can leak.
use std::time::Duration;

use serde::Deserialize;

/// Everything that can go wrong talking to ConnectWise.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CwError {
    /// 404: the record does not exist (on cloud, possibly bad auth too).
    #[error("not found in ConnectWise")]
    NotFound,
    /// 401 / 403: bad keys, or the API member's role lacks a permission.
    #[error("ConnectWise refused the API member: {0}")]
    Unauthorized(String),
    /// 429: throttled; `retry_after` from the `Retry-After` header when present.
    #[error("ConnectWise rate limit hit{}", fmt_retry(.retry_after))]
    RateLimited {
        /// How long ConnectWise asked us to wait.
        retry_after: Option<Duration>,
    },
    /// 5xx.
    #[error("ConnectWise server error {status}: {message}")]
    Server {
        /// HTTP status.
        status: u16,
        /// Message from the body, if any.
        message: String,
    },
    /// Other 4xx (400 InvalidObject, 409, ...): never retried.
    #[error("ConnectWise rejected the request ({status} {code}): {message}")]
    Client {
        /// HTTP status.
        status: u16,
        /// The body's `code` (e.g. `InvalidObject`).
        code: String,
        /// The body's `message` plus the validation errors' messages.
        message: String,
    },
    /// Connect error, TLS failure or time-out.
    #[error("ConnectWise unreachable: {0}")]
    Unavailable(String),
    /// Bad configuration (never contains the private key).
    #[error("ConnectWise configuration: {0}")]
    Config(String),
    /// A 2xx body we could not understand.
    #[error("unexpected ConnectWise response: {0}")]
    Decode(String),
}

fn fmt_retry(d: &Option<Duration>) -> String {
    match d {
        Some(d) => format!(" (retry after {} s)", d.as_secs_f64().ceil() as u64),
        None => String::new(),
    }
}

impl CwError {
    /// Worth trying again later (429, 5xx, network); everything else needs a human.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. } | Self::Server { .. } | Self::Unavailable(_)
        )
    }

    /// The delay ConnectWise asked for, if this is a 429 that carried one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after } => *retry_after,
            _ => None,
        }
    }

    /// From a transport error. The URL is dropped: it is noise in a technician-facing message.
    pub(crate) fn from_reqwest(e: reqwest::Error) -> Self {
        let kind = if e.is_timeout() {
            "timed out"
        } else if e.is_connect() {
            "connection failed"
        } else if e.is_decode() || e.is_body() {
            return Self::Decode(e.without_url().to_string());
        } else {
            "request failed"
        };
        Self::Unavailable(format!("{kind}: {}", e.without_url()))
    }
}

/// The documented error body (`ErrorResponseMessage`), tolerant of either shape.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody {
    #[serde(default)]
    code: Option<String>,
    /// The 429 shape puts its code here.
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    errors: Option<Vec<ValidationError>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ValidationError {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    field: Option<String>,
}

/// Maps a non-2xx response onto `CwError`. `body` is the raw response text (may be anything).
/// `retry_after` is the already clamped header (src/retry_after.rs).
pub(crate) fn from_response(status: u16, retry_after: Option<Duration>, body: &str) -> CwError {
    let parsed: ErrorBody = serde_json::from_str(body).unwrap_or_default();
    let code = parsed.code.or(parsed.error).unwrap_or_default();
    let mut message = parsed.message.unwrap_or_default();
    // Validation details say which field was wrong; keep them short.
    for e in parsed.errors.unwrap_or_default().iter().take(5) {
        if let Some(m) = &e.message {
            let field = e.field.as_deref().unwrap_or("");
            message.push_str(&format!("; {field}: {m}"));
        }
    }
    if message.is_empty() {
        message = format!("HTTP {status}");
    }
    let message: String = message.chars().take(500).collect();
    match status {
        404 => CwError::NotFound,
        401 | 403 => CwError::Unauthorized(if code.is_empty() {
            message
        } else {
            format!("{code}: {message}")
        }),
        429 => CwError::RateLimited { retry_after },
        500..=599 => CwError::Server { status, message },
        _ => CwError::Client {
            status,
            code,
            message,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_documented_bodies() {
        let body = r#"{"code":"InvalidObject","message":"company object is invalid","errors":[{"code":"OutOfRange","message":"The field yearEstablished must be between 1900 and 9999.","resource":"company","field":"yearEstablished"}]}"#;
        match from_response(400, None, body) {
            CwError::Client {
                status,
                code,
                message,
            } => {
                assert_eq!((status, code.as_str()), (400, "InvalidObject"));
                assert!(message.contains("yearEstablished"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let e = from_response(
            429,
            Some(Duration::from_secs(30)),
            r#"{"error":"ConnectWiseAPI","message":"Too many requests."}"#,
        );
        assert_eq!(e.retry_after(), Some(Duration::from_secs(30)));
        assert!(e.is_retryable());
        assert!(matches!(
            from_response(404, None, "not json"),
            CwError::NotFound
        ));
        assert!(matches!(
            from_response(403, None, "{}"),
            CwError::Unauthorized(_)
        ));
        let e = from_response(503, None, "");
        assert!(e.is_retryable() && e.retry_after().is_none());
        assert!(!from_response(409, None, "{}").is_retryable());
    }
}
