//! The methods a technician may pick for one account: each usable contact point of a kind the
//! directory allows and a provider is configured for, plus Duo push, with a stable id
//! (`sms:mobile`, `email:otherMailbox`, `email:otherMailbox:1` for the attribute's second value,
//! `duo_push`) and a masked target.
use serde::Serialize;

use super::{
    contact::{e164, plausible_email, ContactKind, ContactPoint},
    mask, DirectoryVerification, MethodKind, Verification, VerificationMode,
};

/// One method as the context lists it. `destination` (the number, address or Duo username in
/// clear) never leaves the backend.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Method {
    /// Stable id the panel sends back.
    pub id: String,
    /// SMS, e-mail or Duo push.
    pub kind: MethodKind,
    /// Masked target, e.g. `+1 ***-***-0123`.
    pub target: String,
    /// Where the code or push goes.
    #[serde(skip)]
    pub destination: String,
}

impl std::fmt::Debug for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Method")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("target", &self.target)
            .finish_non_exhaustive()
    }
}

/// What the list is built from besides the contact points.
pub struct MethodInputs<'a> {
    /// The directory's settings.
    pub policy: &'a DirectoryVerification,
    /// The configured providers.
    pub verification: &'a Verification,
    /// The account's own addresses (mail, UPN, the ticket's e-mail): never targets.
    pub work_addresses: &'a [&'a str],
    /// The Duo username of the account, if it has one.
    pub duo_username: Option<&'a str>,
}

/// The methods on offer, in contact-point order, Duo last. Empty when verification is off.
pub fn list(inputs: &MethodInputs<'_>, contacts: &[ContactPoint]) -> Vec<Method> {
    if inputs.policy.mode == VerificationMode::Off {
        return Vec::new();
    }
    let allowed =
        |kind: MethodKind| inputs.policy.methods.contains(&kind) && inputs.verification.has(kind);
    let mut out: Vec<Method> = Vec::new();
    for (at, point) in contacts.iter().enumerate() {
        // The index counts every value of the attribute, offered or not: ids stay stable when
        // another value is unusable or removed from the list.
        let index = contacts[..at]
            .iter()
            .filter(|p| p.attribute == point.attribute)
            .count();
        let (kind, destination, target) = match point.kind {
            ContactKind::Phone => {
                let Some(number) = e164(&point.value) else {
                    continue;
                };
                let target = mask::phone(&number);
                (MethodKind::Sms, number, target)
            }
            ContactKind::Email => {
                let address = point.value.trim().to_string();
                let own = inputs
                    .work_addresses
                    .iter()
                    .any(|w| w.trim().eq_ignore_ascii_case(&address));
                if own || !plausible_email(&address) {
                    continue;
                }
                let target = mask::email(&address);
                (MethodKind::Email, address, target)
            }
        };
        if !allowed(kind)
            || out
                .iter()
                .any(|m| m.kind == kind && m.destination.eq_ignore_ascii_case(&destination))
        {
            continue;
        }
        let base = format!(
            "{}:{}",
            crate::store::vocab::word(&kind),
            point.attribute.word()
        );
        let id = if index == 0 {
            base
        } else {
            format!("{base}:{index}")
        };
        out.push(Method {
            id,
            kind,
            target,
            destination,
        });
    }
    if let (true, Some(user)) = (allowed(MethodKind::DuoPush), inputs.duo_username) {
        out.push(Method {
            id: "duo_push".into(),
            kind: MethodKind::DuoPush,
            target: format!("Duo push to {user}"),
            destination: user.to_string(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::verification::{
        contact::ContactAttribute as A,
        providers::{CodeSender, ProviderError},
    };

    struct Nothing;
    #[async_trait::async_trait]
    impl CodeSender for Nothing {
        async fn send_code(
            &self,
            _to: &str,
            _code: &crate::verification::codes::OneTimeCode,
            _ticket: u64,
        ) -> Result<(), ProviderError> {
            Ok(())
        }
    }

    fn verification() -> Verification {
        Verification {
            email: Some(Arc::new(Nothing)),
            sms: Some(Arc::new(Nothing)),
            ..Verification::default()
        }
    }

    #[test]
    fn lists_usable_points_masked_and_never_the_work_mailbox() {
        let v = verification();
        let policy = DirectoryVerification::default();
        let inputs = MethodInputs {
            policy: &policy,
            verification: &v,
            work_addresses: &["john.smith@contoso.example"],
            duo_username: Some("jsmith"),
        };
        let contacts = [
            ContactPoint::phone(A::Mobile, "+1 555 010 0123"),
            ContactPoint::phone(A::OtherMobile, "not a number"),
            ContactPoint::phone(A::OtherMobile, "555-010-0199"),
            ContactPoint::phone(A::OtherMobile, "5550100123"), // same as mobile
            ContactPoint::email(A::OtherMailbox, "John.Smith@contoso.example"),
            ContactPoint::email(A::OtherMailbox, "john.private@gmail.com"),
            ContactPoint::email(A::OtherMailbox, "jsmith@home.example"),
        ];
        let methods = list(&inputs, &contacts);
        let ids: Vec<_> = methods.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "sms:mobile",
                "sms:otherMobile:1",
                "email:otherMailbox:1",
                "email:otherMailbox:2"
            ]
        );
        assert_eq!(methods[0].target, "+1 ***-***-0123");
        assert_eq!(methods[2].target, "j***@gmail.com");
        assert_eq!(methods[2].destination, "john.private@gmail.com");
        let json = serde_json::to_string(&methods).unwrap();
        assert!(
            !json.contains("private") && !json.contains("0100123"),
            "{json}"
        );
        assert!(!format!("{methods:?}").contains("private"));
    }

    #[test]
    fn only_allowed_and_configured_kinds_and_nothing_when_off() {
        let v = Verification {
            email: Some(Arc::new(Nothing)),
            ..Verification::default()
        };
        let mut policy = DirectoryVerification::default();
        let contacts = [
            ContactPoint::phone(A::Mobile, "+15550100123"),
            ContactPoint::email(A::OtherMailbox, "j@home.example"),
        ];
        fn inputs<'a>(p: &'a DirectoryVerification, v: &'a Verification) -> MethodInputs<'a> {
            MethodInputs {
                policy: p,
                verification: v,
                work_addresses: &[],
                duo_username: Some("jsmith"),
            }
        }
        // No SMS provider, no Duo provider: e-mail only.
        let ids: Vec<_> = list(&inputs(&policy, &v), &contacts)
            .into_iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(ids, ["email:otherMailbox"]);
        policy.methods = vec![MethodKind::Sms];
        assert!(list(&inputs(&policy, &v), &contacts).is_empty());
        policy.methods = vec![MethodKind::Email];
        policy.mode = VerificationMode::Off;
        assert!(list(&inputs(&policy, &v), &contacts).is_empty());
    }
}
