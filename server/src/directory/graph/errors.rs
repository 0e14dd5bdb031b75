//! Graph error bodies (`{"error":{"code":"…","message":"…"}}`) → `DirectoryError`.
use reqwest::StatusCode;
use serde::Deserialize;

use crate::directory::DirectoryError;

#[derive(Deserialize, Default)]
struct Envelope {
    #[serde(default)]
    error: Inner,
}

#[derive(Deserialize, Default)]
struct Inner {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

/// What was being done, because a 400 means "password refused" only on a password write.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    Read,
    SetPassword,
}

fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(400)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Maps a non-2xx answer. `body` is the raw response body.
pub(super) fn graph_error(status: StatusCode, body: &[u8], op: Op) -> DirectoryError {
    let e = serde_json::from_slice::<Envelope>(body)
        .unwrap_or_default()
        .error;
    let code = format!(
        "Graph {} {}",
        status.as_u16(),
        if e.code.is_empty() { "-" } else { &e.code }
    );
    let message = clean(&e.message);
    match status.as_u16() {
        // "Unable to update the specified properties for on-premises mastered Directory Sync
        // objects…": not the password's fault, the account belongs to the on-premises AD.
        400 if message.to_lowercase().contains("on-premises mastered") => DirectoryError::Other {
            code: format!("Graph 400 {}", crate::directory::ON_PREMISES_SYNCED),
            message,
        },
        // The documented refusal: "The specified password does not comply with password complexity requirements."
        400 if op == Op::SetPassword
            && (e.code == "Request_BadRequest" || message.to_lowercase().contains("password")) =>
        {
            DirectoryError::PasswordRefused { code, message }
        }
        401 => DirectoryError::Unavailable(format!(
            "{code}: Graph rejected the app's access token: {message}"
        )),
        403 => DirectoryError::AccessDenied { code, message },
        404 => DirectoryError::NotFound(message),
        429 | 500..=599 => DirectoryError::Unavailable(format!("{code}: {message}")),
        _ => DirectoryError::Other { code, message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFUSED: &str = r#"{"error":{"code":"Request_BadRequest","message":"The specified password does not comply with password complexity requirements. Please provide a different password.","innerError":{"date":"2026-11-27T05:00:00","request-id":"x","client-request-id":"y"}}}"#;

    #[test]
    fn documented_400_is_password_refused() {
        match graph_error(StatusCode::BAD_REQUEST, REFUSED.as_bytes(), Op::SetPassword) {
            DirectoryError::PasswordRefused { code, message } => {
                assert_eq!(code, "Graph 400 Request_BadRequest");
                assert!(message.starts_with("The specified password does not comply"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            graph_error(StatusCode::BAD_REQUEST, REFUSED.as_bytes(), Op::Read),
            DirectoryError::Other { .. }
        ));
    }

    #[test]
    fn a_synced_user_is_no_password_refusal() {
        let body = br#"{"error":{"code":"Request_BadRequest","message":"Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration."}}"#;
        match graph_error(StatusCode::BAD_REQUEST, body, Op::SetPassword) {
            DirectoryError::Other { code, .. } => assert_eq!(code, "Graph 400 ON_PREMISES_SYNCED"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn other_statuses() {
        let denied = br#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}"#;
        assert!(
            matches!(graph_error(StatusCode::FORBIDDEN, denied, Op::SetPassword),
            DirectoryError::AccessDenied { code, .. } if code == "Graph 403 Authorization_RequestDenied")
        );
        assert!(matches!(
            graph_error(StatusCode::NOT_FOUND, b"", Op::Read),
            DirectoryError::NotFound(_)
        ));
        assert!(matches!(
            graph_error(StatusCode::UNAUTHORIZED, b"not json", Op::Read),
            DirectoryError::Unavailable(_)
        ));
    }
}
