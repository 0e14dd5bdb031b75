//! The agent protocol: JSON text frames over one WebSocket that the agent opens to the backend
//! (`wss://<backend>/agent/v1/connect`). The backend asks, the agent answers; the set of operations
//! is closed (no raw LDAP, filter or search base ever comes from the backend). docs/agent.md
//! describes the wire format for other implementations.
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::directory::{DirectoryAccount, DirectoryError, EffectivePolicy};

/// Path of the WebSocket endpoint (GET with `Authorization: Bearer <agent credential>`).
pub const CONNECT_PATH: &str = "/agent/v1/connect";
/// Path where an enrolment code is exchanged for the agent's credential (POST, JSON).
pub const JOIN_PATH: &str = "/agent/v1/join";
/// Header carrying the agent's version on the upgrade request.
pub const VERSION_HEADER: &str = "x-passdesk-agent-version";
/// Largest frame either side accepts (a reset request is well under 2 KiB).
pub const MAX_FRAME_BYTES: usize = 64 * 1024;
/// Prefix of agent credentials, so a leaked one is easy to recognise in a scan.
pub const CREDENTIAL_PREFIX: &str = "pda_";
/// Prefix of one-time enrolment codes.
pub const ENROLMENT_PREFIX: &str = "pde_";

/// A frame from the backend to the agent.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// First frame after the upgrade: who the agent is and how often the backend pings.
    Welcome {
        /// The enrolled agent's name.
        agent: String,
        /// The backend sends a WebSocket ping this often; silence for 3 intervals means the link is dead.
        heartbeat_ms: u64,
    },
    /// One directory operation to run; answer with [`AgentFrame::Response`] of the same `id`.
    Request {
        /// Unique per backend process; never reused.
        id: u64,
        /// Time left for the answer when sent; the agent drops work it cannot finish in time, and the
        /// backend discards answers that come later.
        ttl_ms: u64,
        /// What to do (boxed: a reset's account record makes it much larger than the welcome).
        op: Box<Operation>,
    },
}

/// The closed set of directory operations (the `Directory` contract of src/directory.rs).
#[derive(Serialize, Deserialize)]
#[serde(tag = "method", content = "params", rename_all = "snake_case")]
pub enum Operation {
    /// Accounts whose mail / UPN / proxyAddresses equal `email`.
    FindByEmail {
        /// E-mail address from the ticket's contact.
        email: String,
    },
    /// Re-reads one account by its id (DN).
    GetAccount {
        /// The account id as `find_by_email` returned it.
        id: String,
    },
    /// The password policy in force for the account.
    EffectivePolicy {
        /// The account as the backend last read it (the agent re-reads what it needs).
        account: DirectoryAccount,
    },
    /// Sets the password (the agent re-reads the account and applies its own privileged check).
    ResetPassword {
        /// The account as the backend last read it.
        account: DirectoryAccount,
        /// The new password; zeroized when the frame is dropped.
        password: Zeroizing<String>,
        /// Must change at next logon.
        temporary: bool,
    },
    /// Clears a lockout.
    Unlock {
        /// The account as the backend last read it.
        account: DirectoryAccount,
    },
}

impl Operation {
    /// The method name, for logs (never the parameters: a reset carries a password).
    pub fn method(&self) -> OperationKind {
        match self {
            Self::FindByEmail { .. } => OperationKind::FindByEmail,
            Self::GetAccount { .. } => OperationKind::GetAccount,
            Self::EffectivePolicy { .. } => OperationKind::EffectivePolicy,
            Self::ResetPassword { .. } => OperationKind::ResetPassword,
            Self::Unlock { .. } => OperationKind::Unlock,
        }
    }
}

impl std::fmt::Debug for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.method())
    }
}

/// The method of an [`Operation`] without its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    /// `find_by_email`.
    FindByEmail,
    /// `get_account`.
    GetAccount,
    /// `effective_policy`.
    EffectivePolicy,
    /// `reset_password`.
    ResetPassword,
    /// `unlock`.
    Unlock,
}

impl OperationKind {
    /// Whether the operation changes the directory (then a lost answer means "outcome unknown").
    pub fn writes(self) -> bool {
        matches!(self, Self::ResetPassword | Self::Unlock)
    }
}

/// A frame from the agent to the backend.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AgentFrame {
    /// The answer to [`ServerFrame::Request`] `id`.
    Response {
        /// The request's id.
        id: u64,
        /// What the directory answered.
        result: OperationResult,
    },
}

/// The outcome of one operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", content = "value", rename_all = "snake_case")]
pub enum OperationResult {
    /// `find_by_email`.
    Accounts(Vec<DirectoryAccount>),
    /// `get_account`.
    Account(DirectoryAccount),
    /// `effective_policy`.
    Policy(EffectivePolicy),
    /// `reset_password`, `unlock`.
    Done,
    /// The directory (or the agent's own checks) refused or failed.
    Failed(DirectoryError),
}

/// `POST /agent/v1/join` body.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinRequest {
    /// The one-time enrolment code from `passdesk agent enroll`.
    pub code: Zeroizing<String>,
}

/// `POST /agent/v1/join` answer: the credential is shown to the agent once.
#[derive(Serialize, Deserialize)]
pub struct JoinResponse {
    /// The enrolled agent's name.
    pub agent: String,
    /// The agent's long-lived credential (bearer secret for the connect upgrade).
    pub credential: Zeroizing<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::AccountSource;

    fn account() -> DirectoryAccount {
        DirectoryAccount {
            id: "CN=John Smith,OU=Staff,DC=test,DC=lan".into(),
            source: AccountSource::ActiveDirectory,
            sam_account_name: Some("jsmith".into()),
            display_name: None,
            given_name: None,
            surname: None,
            upn: None,
            mail: None,
            enabled: true,
            locked: false,
            must_change: false,
            password_last_set: None,
            privileged: false,
            synced_from_on_premises: false,
        }
    }

    #[test]
    fn request_frames_have_the_documented_shape() {
        let frame = ServerFrame::Request {
            id: 7,
            ttl_ms: 5000,
            op: Box::new(Operation::FindByEmail {
                email: "john.smith@test.lan".into(),
            }),
        };
        let v = serde_json::to_value(&frame).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"type": "request", "id": 7, "ttl_ms": 5000,
                "op": {"method": "find_by_email", "params": {"email": "john.smith@test.lan"}}})
        );
        let back: ServerFrame = serde_json::from_value(v).unwrap();
        assert!(matches!(back, ServerFrame::Request { id: 7, .. }));
    }

    #[test]
    fn errors_round_trip_with_their_kind() {
        for e in [
            DirectoryError::NotFound("gone".into()),
            DirectoryError::PasswordRefused {
                code: "LDAP 19".into(),
                message: "history".into(),
            },
            DirectoryError::Unavailable("down".into()),
        ] {
            let frame = AgentFrame::Response {
                id: 1,
                result: OperationResult::Failed(e.clone()),
            };
            let text = serde_json::to_string(&frame).unwrap();
            let AgentFrame::Response { result, .. } = serde_json::from_str(&text).unwrap();
            assert_eq!(result, OperationResult::Failed(e));
        }
    }

    #[test]
    fn debug_of_a_reset_never_shows_the_password() {
        let op = Operation::ResetPassword {
            account: account(),
            password: Zeroizing::new("Secret!Pass123".into()),
            temporary: true,
        };
        let shown = format!(
            "{:?}",
            ServerFrame::Request {
                id: 1,
                ttl_ms: 1,
                op: Box::new(op)
            }
        );
        assert!(!shown.contains("Secret!Pass123"), "{shown}");
    }

    #[test]
    fn unknown_methods_are_refused() {
        let text = r#"{"type":"request","id":1,"ttl_ms":1,"op":{"method":"raw_ldap","params":{"filter":"(objectClass=*)"}}}"#;
        assert!(serde_json::from_str::<ServerFrame>(text).is_err());
    }
}
