//! Contact points: where a code can reach the real user. They come from the directory (AD
//! `mobile`, `otherMobile`, `otherMailbox`; Entra authentication methods, `mobilePhone`,
//! `otherMails`) and, only where the directory config trusts it, the ConnectWise contact. Never
//! the account's own work mailbox: a locked-out user cannot read it, an attacker with a live
//! session can.
use serde::{Deserialize, Serialize};

/// Which attribute a contact point was read from (part of the method id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ContactAttribute {
    /// AD `mobile`.
    #[serde(rename = "mobile")]
    Mobile,
    /// AD `otherMobile` (multi-valued).
    #[serde(rename = "otherMobile")]
    OtherMobile,
    /// AD `otherMailbox` (multi-valued).
    #[serde(rename = "otherMailbox")]
    OtherMailbox,
    /// Entra `mobilePhone`.
    #[serde(rename = "mobilePhone")]
    MobilePhone,
    /// Entra `otherMails`.
    #[serde(rename = "otherMails")]
    OtherMails,
    /// Entra phone authentication method.
    #[serde(rename = "phoneMethod")]
    PhoneMethod,
    /// Entra e-mail authentication method.
    #[serde(rename = "emailMethod")]
    EmailMethod,
    /// A ConnectWise contact communication item (only with `trust_connectwise_contact_points`).
    #[serde(rename = "connectwise")]
    Connectwise,
}

impl ContactAttribute {
    /// The word in method ids, e.g. `sms:otherMobile`.
    pub fn word(self) -> String {
        crate::store::vocab::word(&self)
    }
}

/// Phone or e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    /// A phone number (SMS).
    Phone,
    /// An e-mail address.
    Email,
}

/// One contact point on file. Holds a phone number or address in clear: never logged, never
/// stored, never sent to the panel (the panel sees [`super::mask`]ed targets).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPoint {
    /// Where it was read from.
    pub attribute: ContactAttribute,
    /// Phone or e-mail.
    pub kind: ContactKind,
    /// The value as the directory holds it.
    pub value: String,
}

impl std::fmt::Debug for ContactPoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContactPoint")
            .field("attribute", &self.attribute)
            .field("kind", &self.kind)
            .field("value", &"<redacted>")
            .finish()
    }
}

impl ContactPoint {
    /// A phone number from `attribute`.
    pub fn phone(attribute: ContactAttribute, value: impl Into<String>) -> Self {
        Self {
            attribute,
            kind: ContactKind::Phone,
            value: value.into(),
        }
    }

    /// An e-mail address from `attribute`.
    pub fn email(attribute: ContactAttribute, value: impl Into<String>) -> Self {
        Self {
            attribute,
            kind: ContactKind::Email,
            value: value.into(),
        }
    }
}

/// A phone number in E.164 (`+15550100123`), or None when it cannot be one. Free-text AD values
/// lose spaces, dashes, dots and parentheses; ten digits without a `+` are read as a North
/// American number (the only national format taken without a country code).
pub fn e164(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let plus = raw.starts_with('+');
    let mut digits = String::new();
    for c in raw.chars().skip(usize::from(plus)) {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return None,
        }
    }
    match (plus, digits.len()) {
        (true, 8..=15) if !digits.starts_with('0') => Some(format!("+{digits}")),
        (false, 10) if !digits.starts_with(['0', '1']) => Some(format!("+1{digits}")),
        (false, 11) if digits.starts_with('1') => Some(format!("+{digits}")),
        _ => None,
    }
}

/// A plausible e-mail address (one `@`, something on both sides, a dot in the domain).
pub fn plausible_email(raw: &str) -> bool {
    let raw = raw.trim();
    match raw.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.contains('@')
                && !raw.contains(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_become_e164_or_nothing() {
        assert_eq!(e164("+1 (555) 010-0123").as_deref(), Some("+15550100123"));
        assert_eq!(e164("555.010.0123").as_deref(), Some("+15550100123"));
        assert_eq!(e164("1-555-010-0123").as_deref(), Some("+15550100123"));
        assert_eq!(e164("+44 20 7946 0958").as_deref(), Some("+442079460958"));
        for bad in [
            "",
            "x1234",
            "0555 0100 123",
            "+0123456789",
            "12345",
            "call me",
        ] {
            assert_eq!(e164(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn debug_never_shows_the_value() {
        let p = ContactPoint::phone(ContactAttribute::Mobile, "+15550100123");
        assert!(!format!("{p:?}").contains("555"));
        assert_eq!(ContactAttribute::OtherMobile.word(), "otherMobile");
    }
}
