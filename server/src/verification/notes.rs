//! The ticket's words for verification outcomes. Built from the kind, the masked target, the
//! outcome and the technician only: no code or full number can reach a note.
use super::{MethodKind, VerificationStatus};

/// How a reset or unlock was verified (for its note and answer).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VerifiedBy {
    /// The verification.
    pub verification_id: String,
    /// Its kind.
    pub kind: MethodKind,
    /// Its masked target.
    pub target: String,
}

/// The note of a final outcome, e.g. "Caller verified by e-mail code to j***@gmail.com — Jane
/// Tech"; None for states that get no note (sent, pending).
pub fn outcome_note(
    status: VerificationStatus,
    kind: MethodKind,
    target: &str,
    technician: &str,
) -> Option<String> {
    use VerificationStatus as S;
    let what = match status {
        S::Verified | S::Approved => {
            return Some(format!(
                "Caller verified by {} to {target} — {technician}",
                kind.label()
            ))
        }
        S::Locked => format!("too many wrong codes for the {} to {target}", kind.label()),
        S::Expired => format!("the {} to {target} expired unused", kind.label()),
        S::Denied => format!("Duo push denied ({target})"),
        S::Timeout => format!("Duo push not answered in time ({target})"),
        S::Failed => format!("the {} to {target} could not be sent", kind.label()),
        S::Pending | S::Sent => return None,
    };
    Some(format!("Caller verification failed: {what} — {technician}"))
}

/// The reset / unlock note's line about the caller.
pub fn reset_line(verified: Option<&VerifiedBy>) -> String {
    match verified {
        Some(v) => format!("Caller verified by {} to {}", v.kind.label(), v.target),
        None => "Caller not verified".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_say_how_and_who_and_nothing_secret() {
        assert_eq!(
            outcome_note(
                VerificationStatus::Verified,
                MethodKind::Email,
                "j***@gmail.com",
                "Jane Tech"
            )
            .unwrap(),
            "Caller verified by e-mail code to j***@gmail.com — Jane Tech"
        );
        assert_eq!(
            outcome_note(
                VerificationStatus::Denied,
                MethodKind::DuoPush,
                "Duo push to jsmith",
                "Jane Tech"
            )
            .unwrap(),
            "Caller verification failed: Duo push denied (Duo push to jsmith) — Jane Tech"
        );
        assert!(outcome_note(VerificationStatus::Sent, MethodKind::Sms, "x", "y").is_none());
        assert_eq!(reset_line(None), "Caller not verified");
    }
}
