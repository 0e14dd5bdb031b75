//! The user query and the mapping of a Graph user to `DirectoryAccount`.
use serde::Deserialize;

use crate::directory::{AccountSource, DirectoryAccount};

/// Properties read for every user (`$select`).
pub(super) const SELECT: &str =
    "id,displayName,givenName,surname,userPrincipalName,mail,accountEnabled,lastPasswordChangeDateTime,passwordProfile,onPremisesSyncEnabled";

/// OData string literal: single quotes are doubled (OData ABNF `SQUOTE-in-string`).
fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// `mail eq 'x' or userPrincipalName eq 'x' or proxyAddresses/any(p:p eq 'smtp:x')`. Graph compares these
/// case-insensitively, so `smtp:` also matches a primary `SMTP:` address.
pub(super) fn email_filter(email: &str) -> String {
    let x = email.trim();
    format!(
        "mail eq {} or userPrincipalName eq {} or proxyAddresses/any(p:p eq {})",
        literal(x),
        literal(x),
        literal(&format!("smtp:{x}"))
    )
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct PasswordProfile {
    #[serde(default)]
    force_change_password_next_sign_in: bool,
}

/// A user as Graph returns it (only the selected properties; absent ones are null or missing).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct GraphUser {
    id: String,
    display_name: Option<String>,
    given_name: Option<String>,
    surname: Option<String>,
    user_principal_name: Option<String>,
    mail: Option<String>,
    account_enabled: Option<bool>,
    last_password_change_date_time: Option<String>,
    password_profile: Option<PasswordProfile>,
    /// true when Entra Connect syncs the user from an on-premises AD; null for cloud-only users.
    on_premises_sync_enabled: Option<bool>,
}

/// `{"value":[…]}`
#[derive(Deserialize)]
pub(super) struct UserList {
    pub value: Vec<GraphUser>,
    /// The next page, an absolute URL with the query already in it.
    #[serde(rename = "@odata.nextLink", default)]
    pub next_link: Option<String>,
}

/// `{"value":[…]}` of directory roles; only the count matters.
#[derive(Deserialize)]
pub(super) struct RoleList {
    pub value: Vec<serde_json::Value>,
}

impl GraphUser {
    /// The object id.
    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn into_account(self, privileged: bool) -> DirectoryAccount {
        DirectoryAccount {
            id: self.id,
            source: AccountSource::Entra,
            sam_account_name: None,
            display_name: self.display_name,
            given_name: self.given_name,
            surname: self.surname,
            upn: self.user_principal_name,
            mail: self.mail,
            // Not returned means not known: treat as disabled rather than let a reset through.
            enabled: self.account_enabled.unwrap_or(false),
            // Entra smart lockout is not visible through Graph.
            locked: false,
            must_change: self
                .password_profile
                .unwrap_or_default()
                .force_change_password_next_sign_in,
            password_last_set: self.last_password_change_date_time,
            privileged,
            synced_from_on_premises: self.on_premises_sync_enabled.unwrap_or(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_doubled() {
        let f = email_filter("mary-jane.o'neil@contoso.example");
        assert_eq!(
            f,
            "mail eq 'mary-jane.o''neil@contoso.example' or userPrincipalName eq 'mary-jane.o''neil@contoso.example' \
             or proxyAddresses/any(p:p eq 'smtp:mary-jane.o''neil@contoso.example')"
        );
    }

    #[test]
    fn maps_a_user() {
        let u: GraphUser = serde_json::from_str(
            r#"{"id":"a1","displayName":"Ann","userPrincipalName":"ann@x","accountEnabled":true,
                "passwordProfile":{"forceChangePasswordNextSignIn":true,"password":null},
                "lastPasswordChangeDateTime":"2026-11-01T10:00:00Z"}"#,
        )
        .unwrap();
        let a = u.into_account(false);
        assert!(a.enabled && a.must_change && !a.locked && !a.privileged);
        assert_eq!(a.source, AccountSource::Entra);
        assert_eq!(a.password_last_set.as_deref(), Some("2026-11-01T10:00:00Z"));
        assert!(!a.synced_from_on_premises, "null: a cloud-only user");
        let synced: GraphUser = serde_json::from_str(
            r#"{"id":"a2","accountEnabled":true,"onPremisesSyncEnabled":true}"#,
        )
        .unwrap();
        assert!(synced.into_account(false).synced_from_on_premises);
    }
}
