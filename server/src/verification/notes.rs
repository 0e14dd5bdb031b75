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

/// "e-mail code to j***@gmail.com", or the push's own target ("Duo push to jsmith").
fn how(kind: MethodKind, target: &str) -> String {
    match kind {
        MethodKind::DuoPush => target.to_string(),
        _ => format!("{} to {target}", kind.label()),
    }
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
                "Caller verified by {} — {technician}",
                how(kind, target)
            ))
        }
        S::Locked => format!("too many wrong codes for the {}", how(kind, target)),
        S::Expired => format!("the {} expired unused", how(kind, target)),
        S::Denied => format!("{} denied", how(kind, target)),
        S::Timeout => format!("{} not answered in time", how(kind, target)),
        S::Failed => format!("the {} could not be sent", how(kind, target)),
        S::Pending | S::Sent => return None,
    };
    Some(format!("Caller verification failed: {what} — {technician}"))
}

/// The reset / unlock note's line about the caller.
pub fn reset_line(verified: Option<&VerifiedBy>) -> String {
    match verified {
        Some(v) => format!("Caller verified by {}", how(v.kind, &v.target)),
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
            "Caller verification failed: Duo push to jsmith denied — Jane Tech"
        );
        assert!(outcome_note(VerificationStatus::Sent, MethodKind::Sms, "x", "y").is_none());
        assert_eq!(reset_line(None), "Caller not verified");
    }
}
