//! The one mapping from failures to HTTP status + the error envelope of docs/api.md:
//! `{"error": {"code": "...", "message": "...", ...extra fields per code}}`. The flow's
//! [`FlowError`] is turned into status, code and words here and nowhere else.
//!
//! Internal errors are logged here (their text never contains a secret: neither sqlx nor the
//! connectors put passwords or tokens in error messages) and answered with a generic message.
use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::ticket_flow::error::FlowError;

vocabulary! {
    /// Every `error.code` the API answers (docs/api.md).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum ErrorCode {
        /// 401.
        Unauthorized,
        /// 400.
        BadRequest,
        /// 413.
        PayloadTooLarge,
        /// 404 for an unknown route.
        NotFound,
        /// 500.
        Internal,
        /// 404: ConnectWise has no such ticket.
        TicketNotFound,
        /// 502.
        ConnectwiseUnavailable,
        /// 409 with `problems`.
        ResetBlocked,
        /// 422 with `violations`.
        PolicyViolation,
        /// 422 with `directory_code`, `likely_rules` and `likely_causes`.
        DirectoryRefused,
        /// 403 with `directory_code`.
        DirectoryAccessDenied,
        /// 502.
        DirectoryUnavailable,
        /// 502 with `directory_code`.
        DirectoryError,
        /// 409.
        ResetInProgress,
        /// 409.
        ResetInterrupted,
        /// 409.
        IdempotencyKeyReused,
        /// 409: the ticket's account is not the one the panel showed.
        TargetChanged,
        /// 403: the directory requires a verified caller first.
        VerificationRequired,
        /// 422: no such method for this account.
        VerificationMethodUnknown,
        /// 404: no such verification (or another technician's).
        VerificationNotFound,
        /// 422 with `attempts_left`.
        WrongCode,
        /// 409: too many wrong codes.
        VerificationLocked,
        /// 409: the code or push timed out.
        VerificationExpired,
        /// 409 with `status`: already closed.
        VerificationClosed,
        /// 429 with `retry_after`: too many codes for this account.
        VerificationRateLimited,
        /// 429 with `retry_after` (when known): the provider asks to slow down.
        VerificationProviderRateLimited,
        /// 502: the provider could not send.
        VerificationProviderFailed,
        /// 401: `passdesk agent join` with a code the backend does not know.
        EnrolmentCodeUnknown,
        /// 410: the enrolment code was already exchanged.
        EnrolmentCodeUsed,
        /// 410: the enrolment code is older than 24 h.
        EnrolmentCodeExpired,
        /// 401: an agent connection with an unknown or revoked credential.
        AgentUnauthorized,
    }
}

/// An error answer of the API.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable code, e.g. `RESET_BLOCKED`.
    pub code: ErrorCode,
    /// Plain words for a technician.
    pub message: String,
    /// Extra fields merged into the `error` object (`problems`, `violations`, ...).
    pub extra: Map<String, Value>,
    /// The stored answer of an earlier request with the same idempotency key.
    pub replayed: bool,
}

impl ApiError {
    /// A new error without extra fields.
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            extra: Map::new(),
            replayed: false,
        }
    }

    /// Adds one extra field to the envelope.
    pub fn with(mut self, key: &str, value: impl Serialize) -> Self {
        self.extra.insert(
            key.to_string(),
            serde_json::to_value(value).unwrap_or(Value::Null),
        );
        self
    }

    /// Marks the answer as replayed (`"replayed": true` beside `error`).
    pub fn replayed(mut self, replayed: bool) -> Self {
        self.replayed = replayed;
        self
    }

    /// 401: no, unknown or revoked token.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthorized,
            "A valid technician token is required (Authorization: Bearer ...).",
        )
    }

    /// 400: the request is malformed.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, message)
    }

    /// 413: the body is larger than the limit.
    pub fn payload_too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            "The request body is too large.",
        )
    }

    /// 404 for an unknown route.
    pub fn route_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "There is no such API route.",
        )
    }

    /// 500: logs `err` (never a secret) and answers a generic message.
    pub fn internal(err: impl std::fmt::Display) -> Self {
        tracing::error!(error = %err, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "Something went wrong in PassDesk; see the server log.",
        )
    }

    /// The envelope as JSON.
    pub fn body(&self) -> Value {
        let mut error = Map::new();
        error.insert("code".into(), json!(self.code));
        error.insert("message".into(), json!(self.message));
        for (k, v) in &self.extra {
            error.insert(k.clone(), v.clone());
        }
        let mut body = json!({ "error": error });
        if self.replayed {
            body["replayed"] = json!(true);
        }
        body
    }
}

impl From<FlowError> for ApiError {
    fn from(e: FlowError) -> Self {
        use ErrorCode as C;
        use StatusCode as S;
        match e {
            FlowError::BadRequest { detail } => Self::bad_request(detail),
            FlowError::TicketNotFound => Self::new(
                S::NOT_FOUND,
                C::TicketNotFound,
                "ConnectWise has no such ticket.",
            ),
            FlowError::ConnectwiseUnavailable { detail } => Self::new(
                S::BAD_GATEWAY,
                C::ConnectwiseUnavailable,
                format!("ConnectWise could not be read: {detail}"),
            ),
            FlowError::ResetBlocked { problems } => {
                let message = match problems.first() {
                    Some(p) => format!("The reset is blocked: {}", p.message),
                    None => "The reset is blocked.".to_string(),
                };
                Self::new(S::CONFLICT, C::ResetBlocked, message).with("problems", problems)
            }
            FlowError::PolicyViolation { violations } => Self::new(
                S::UNPROCESSABLE_ENTITY,
                C::PolicyViolation,
                "The password does not meet the account's password policy.",
            )
            .with("violations", violations),
            FlowError::DirectoryRefused {
                directory_code,
                likely_rules,
                likely_causes,
            } => {
                let mut message = format!(
                    "The directory refused the password ({directory_code}) although it passes the policy \
                     PassDesk knows."
                );
                for cause in &likely_causes {
                    message.push(' ');
                    message.push_str(crate::ticket_flow::refusal::explain(*cause));
                }
                message.push_str(" Try a different password.");
                Self::new(S::UNPROCESSABLE_ENTITY, C::DirectoryRefused, message)
                    .with("directory_code", directory_code)
                    .with("likely_rules", likely_rules)
                    .with("likely_causes", likely_causes)
            }
            FlowError::DirectoryAccessDenied {
                directory_code,
                detail,
            } => Self::new(
                S::FORBIDDEN,
                C::DirectoryAccessDenied,
                format!("PassDesk's directory account may not do this ({directory_code}): {detail}"),
            )
            .with("directory_code", directory_code),
            FlowError::DirectoryUnavailable { detail } => Self::new(
                S::BAD_GATEWAY,
                C::DirectoryUnavailable,
                format!("The directory could not be reached: {detail}"),
            ),
            FlowError::DirectoryError {
                directory_code,
                detail,
            } => Self::new(
                S::BAD_GATEWAY,
                C::DirectoryError,
                format!("The directory answered an error ({directory_code}): {detail}"),
            )
            .with("directory_code", directory_code),
            FlowError::ResetInProgress => Self::new(
                S::CONFLICT,
                C::ResetInProgress,
                "A reset with this idempotency key is still running.",
            ),
            FlowError::ResetInterrupted { detail } if detail.is_empty() => Self::new(
                S::CONFLICT,
                C::ResetInterrupted,
                "This reset was interrupted (PassDesk restarted): whether the password was set is unknown. \
                 Check the account, then reset again.",
            ),
            FlowError::ResetInterrupted { detail } => Self::new(
                S::CONFLICT,
                C::ResetInterrupted,
                format!(
                    "No answer came back from the directory ({detail}): whether the change was made is \
                     unknown. Check the account, then try again."
                ),
            ),
            FlowError::IdempotencyKeyReused => Self::new(
                S::CONFLICT,
                C::IdempotencyKeyReused,
                "This idempotency key was already used for another ticket.",
            ),
            FlowError::TargetChanged => Self::new(
                S::CONFLICT,
                C::TargetChanged,
                "The ticket's account changed since the panel showed it. Nothing was done: reload the \
                 ticket and check the account.",
            ),
            FlowError::VerificationRequired => Self::new(
                S::FORBIDDEN,
                C::VerificationRequired,
                "This customer requires the caller to be verified first: verify the caller (Verify \
                 caller), then try again within the verification's time.",
            ),
            FlowError::VerificationMethodUnknown => Self::new(
                S::UNPROCESSABLE_ENTITY,
                C::VerificationMethodUnknown,
                "This verification method is not available for the ticket's account; reload the ticket.",
            ),
            FlowError::VerificationNotFound => Self::new(
                S::NOT_FOUND,
                C::VerificationNotFound,
                "There is no such verification of yours.",
            ),
            FlowError::WrongCode { attempts_left } => Self::new(
                S::UNPROCESSABLE_ENTITY,
                C::WrongCode,
                format!("The code is wrong; {attempts_left} more tries before the verification is locked."),
            )
            .with("attempts_left", attempts_left),
            FlowError::VerificationLocked => Self::new(
                S::CONFLICT,
                C::VerificationLocked,
                "Too many wrong codes: this verification is locked. Start a new one if the caller is genuine.",
            ),
            FlowError::VerificationExpired => Self::new(
                S::CONFLICT,
                C::VerificationExpired,
                "The verification ran out of time. Start a new one.",
            ),
            FlowError::VerificationClosed { status } => Self::new(
                S::CONFLICT,
                C::VerificationClosed,
                "This verification is already finished.",
            )
            .with("status", status),
            FlowError::VerificationRateLimited { retry_after_secs } => Self::new(
                S::TOO_MANY_REQUESTS,
                C::VerificationRateLimited,
                format!(
                    "Too many codes were sent to this account recently. Try again in {} min.",
                    retry_after_secs.div_ceil(60)
                ),
            )
            .with("retry_after", retry_after_secs),
            FlowError::VerificationProviderRateLimited {
                detail,
                retry_after_secs,
            } => {
                let when = match retry_after_secs {
                    Some(s) => format!("Try again in {s} s."),
                    None => "Try again in a minute.".to_string(),
                };
                let e = Self::new(
                    S::TOO_MANY_REQUESTS,
                    C::VerificationProviderRateLimited,
                    format!("The provider is busy and asks PassDesk to slow down ({detail}). {when}"),
                );
                match retry_after_secs {
                    Some(s) => e.with("retry_after", s),
                    None => e,
                }
            }
            FlowError::VerificationProviderFailed { detail } => Self::new(
                S::BAD_GATEWAY,
                C::VerificationProviderFailed,
                format!("The code or push could not be sent: {detail}"),
            ),
            FlowError::Internal { detail } => Self::internal(detail),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body())).into_response();
        if let Some(secs) = self.extra.get("retry_after").and_then(Value::as_u64) {
            if let Ok(v) = axum::http::HeaderValue::from_str(&secs.to_string()) {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, v);
            }
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        Self::internal(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ticket_flow::context::{Problem, ProblemCode};

    /// The flow error's stored tag is the API's code: a replayed outcome reads like the first answer.
    #[test]
    fn each_flow_error_is_answered_with_its_own_code() {
        let problem = Problem {
            code: ProblemCode::NoAccount,
            message: "gone".into(),
        };
        let cases = [
            FlowError::BadRequest { detail: "x".into() },
            FlowError::TicketNotFound,
            FlowError::ConnectwiseUnavailable { detail: "x".into() },
            FlowError::ResetBlocked {
                problems: vec![problem],
            },
            FlowError::PolicyViolation { violations: vec![] },
            FlowError::DirectoryRefused {
                directory_code: "LDAP 19".into(),
                likely_rules: vec![],
                likely_causes: vec![],
            },
            FlowError::DirectoryAccessDenied {
                directory_code: "LDAP 50".into(),
                detail: "x".into(),
            },
            FlowError::DirectoryUnavailable { detail: "x".into() },
            FlowError::DirectoryError {
                directory_code: "LDAP 1".into(),
                detail: "x".into(),
            },
            FlowError::ResetInProgress,
            FlowError::ResetInterrupted {
                detail: String::new(),
            },
            FlowError::ResetInterrupted {
                detail: "the agent's connection dropped".into(),
            },
            FlowError::IdempotencyKeyReused,
            FlowError::TargetChanged,
            FlowError::VerificationRequired,
            FlowError::VerificationMethodUnknown,
            FlowError::VerificationNotFound,
            FlowError::WrongCode { attempts_left: 2 },
            FlowError::VerificationLocked,
            FlowError::VerificationExpired,
            FlowError::VerificationClosed {
                status: crate::verification::VerificationStatus::Verified,
            },
            FlowError::VerificationRateLimited {
                retry_after_secs: 30,
            },
            FlowError::VerificationProviderRateLimited {
                detail: "429".into(),
                retry_after_secs: Some(5),
            },
            FlowError::VerificationProviderFailed { detail: "x".into() },
            FlowError::Internal { detail: "x".into() },
        ];
        for e in cases {
            let stored = serde_json::to_value(&e).unwrap();
            let back: FlowError = serde_json::from_value(stored.clone()).unwrap();
            assert_eq!(back, e);
            let answer = ApiError::from(e).body();
            assert_eq!(answer["error"]["code"], stored["code"], "{answer}");
        }
    }
}
