//! The account a password is checked for (names feed the name / token rules).
use serde::{Deserialize, Serialize};

/// Directory attributes of the target account. Every field is optional: a missing name simply
/// skips the checks that need it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Account {
    /// AD `sAMAccountName`, e.g. `jsmith`.
    pub sam_account_name: Option<String>,
    /// AD `displayName`, e.g. `John Smith`.
    pub display_name: Option<String>,
    /// `givenName` (Entra name-substring rule).
    pub given_name: Option<String>,
    /// `sn` / `surname` (Entra name-substring rule).
    pub surname: Option<String>,
    /// `userPrincipalName`.
    pub upn: Option<String>,
}
