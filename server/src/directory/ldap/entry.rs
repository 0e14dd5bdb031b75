//! Search filters and the mapping of a user entry to `DirectoryAccount`.
use ldap3::{ldap_escape, SearchEntry};

use crate::directory::{AccountSource, DirectoryAccount};

/// Attributes read for every account. `msDS-User-Account-Control-Computed` is constructed: it must be named.
pub const ACCOUNT_ATTRS: &[&str] = &[
    "sAMAccountName",
    "displayName",
    "givenName",
    "sn",
    "userPrincipalName",
    "mail",
    "userAccountControl",
    "msDS-User-Account-Control-Computed",
    "lockoutTime",
    "pwdLastSet",
    "adminCount",
    "memberOf",
    "objectSid",
];

/// Constructed: the SIDs of all groups the account is in (transitive, primary group too); base scope only.
pub(super) const TOKEN_GROUPS: &str = "tokenGroups";

/// Only person user objects (not computers, which are also objectClass=user).
pub(super) const USER_FILTER: &str = "(&(objectCategory=person)(objectClass=user))";

const UF_ACCOUNTDISABLE: u64 = 0x2;
const UF_LOCKOUT: u64 = 0x10;

/// `(&(objectCategory=person)(objectClass=user)(|(mail=x)(userPrincipalName=x)(proxyAddresses=smtp:x)))`
/// with `x` escaped per RFC 4515 (`*`, `(`, `)`, `\`, NUL), so an address can never widen the search.
/// AD compares these attributes case-insensitively, so `smtp:` also matches the primary `SMTP:` entry.
pub(super) fn email_filter(email: &str) -> String {
    let x = ldap_escape(email.trim());
    format!("(&{USER_FILTER}(|(mail={x})(userPrincipalName={x})(proxyAddresses=smtp:{x})))")
}

/// Transitive membership in any of `groups` (LDAP_MATCHING_RULE_IN_CHAIN), for a base search on the user.
pub(super) fn in_chain_filter(groups: &[String]) -> String {
    let parts: String = groups
        .iter()
        .map(|g| {
            format!(
                "(memberOf:1.2.840.113556.1.4.1941:={})",
                ldap_escape(g.as_str())
            )
        })
        .collect();
    format!("(|{parts})")
}

fn first<'a>(e: &'a SearchEntry, attr: &str) -> Option<&'a str> {
    e.attrs
        .get(attr)
        .and_then(|v| v.first())
        .map(String::as_str)
}

fn first_owned(e: &SearchEntry, attr: &str) -> Option<String> {
    first(e, attr).map(str::to_owned)
}

fn number(e: &SearchEntry, attr: &str) -> Option<i64> {
    first(e, attr).and_then(|v| v.trim().parse().ok())
}

/// FILETIME (100 ns since 1601-01-01 UTC) → RFC 3339; 0 and "never" (i64::MAX) → None.
pub(super) fn filetime_to_rfc3339(ft: i64) -> Option<String> {
    const EPOCH_DIFF_SECS: i64 = 11_644_473_600;
    if ft <= 0 || ft == i64::MAX {
        return None;
    }
    let secs = ft / 10_000_000 - EPOCH_DIFF_SECS;
    let nanos = (ft % 10_000_000) as u32 * 100;
    chrono::DateTime::from_timestamp(secs, nanos)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// Maps one entry. `privileged_groups` are compared against the direct `memberOf` values here; the caller
/// may add transitive membership (see `in_chain_filter`).
pub(super) fn to_account(e: &SearchEntry, privileged_groups: &[String]) -> DirectoryAccount {
    let uac = number(e, "userAccountControl").unwrap_or(0) as u64;
    // Lockout is only visible in the computed attribute (userAccountControl keeps 512, docs/samba.md §4);
    // lockoutTime alone stays set after the lockout expired, so it is the fallback only.
    let locked = match number(e, "msDS-User-Account-Control-Computed") {
        Some(computed) => computed as u64 & UF_LOCKOUT != 0,
        None => number(e, "lockoutTime").unwrap_or(0) > 0,
    };
    let pwd_last_set = number(e, "pwdLastSet");
    let member_of_privileged = e.attrs.get("memberOf").is_some_and(|groups| {
        groups
            .iter()
            .any(|g| privileged_groups.iter().any(|p| p.eq_ignore_ascii_case(g)))
    });
    DirectoryAccount {
        id: e.dn.clone(),
        source: AccountSource::ActiveDirectory,
        sam_account_name: first_owned(e, "sAMAccountName"),
        display_name: first_owned(e, "displayName"),
        given_name: first_owned(e, "givenName"),
        surname: first_owned(e, "sn"),
        upn: first_owned(e, "userPrincipalName"),
        mail: first_owned(e, "mail"),
        enabled: uac & UF_ACCOUNTDISABLE == 0,
        locked,
        must_change: pwd_last_set == Some(0),
        password_last_set: pwd_last_set.and_then(filetime_to_rfc3339),
        privileged: number(e, "adminCount") == Some(1) || member_of_privileged,
        synced_from_on_premises: false,
    }
}

/// `dn` lies under `base` (case-insensitive, on an RDN boundary): ids from a client never leave the base DN.
pub(super) fn under_base(dn: &str, base: &str) -> bool {
    let (dn, base) = (
        dn.trim().to_ascii_lowercase(),
        base.trim().to_ascii_lowercase(),
    );
    dn == base || dn.ends_with(&format!(",{base}"))
}

/// Where a verification code can reach the user (src/verification/contact.rs): the phones and
/// the other mailboxes of the Personal-Information property set. `mail` is left out on purpose.
pub(super) const CONTACT_ATTRS: &[&str] = &["mobile", "otherMobile", "otherMailbox"];

/// The contact points of an entry read with [`CONTACT_ATTRS`], in that order.
pub(super) fn contact_points(e: &SearchEntry) -> Vec<crate::verification::contact::ContactPoint> {
    use crate::verification::contact::{ContactAttribute as A, ContactPoint};
    let values = |name: &str| {
        e.attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    out.extend(
        values("mobile")
            .into_iter()
            .map(|v| ContactPoint::phone(A::Mobile, v)),
    );
    out.extend(
        values("otherMobile")
            .into_iter()
            .map(|v| ContactPoint::phone(A::OtherMobile, v)),
    );
    out.extend(
        values("otherMailbox")
            .into_iter()
            .map(|v| ContactPoint::email(A::OtherMailbox, v)),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn entry(attrs: &[(&str, &[&str])]) -> SearchEntry {
        SearchEntry {
            dn: "CN=John Smith,OU=Staff,DC=test,DC=lan".into(),
            attrs: attrs
                .iter()
                .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
                .collect(),
            bin_attrs: HashMap::new(),
        }
    }

    #[test]
    fn filter_escapes_rfc4515_specials() {
        let f = email_filter("a*b(c)d\\e\0@x");
        assert!(f.contains(r"(mail=a\2ab\28c\29d\5ce\00@x)"), "{f}");
        assert!(!f.contains("a*b"));
        assert_eq!(f.matches("(mail=").count(), 1);
    }

    #[test]
    fn filetime_converts() {
        // 2026-11-01T10:00:00Z = 1793527200 s after 1970
        let ft = (1_793_527_200i64 + 11_644_473_600) * 10_000_000;
        assert_eq!(
            filetime_to_rfc3339(ft).as_deref(),
            Some("2026-11-01T10:00:00Z")
        );
        assert_eq!(filetime_to_rfc3339(0), None);
        assert_eq!(filetime_to_rfc3339(i64::MAX), None);
    }

    #[test]
    fn flags_map() {
        let e = entry(&[
            ("userAccountControl", &["514"]),
            ("msDS-User-Account-Control-Computed", &["16"]),
            ("pwdLastSet", &["0"]),
            ("memberOf", &["cn=domain admins,cn=users,dc=test,dc=lan"]),
        ]);
        let a = to_account(&e, &["CN=Domain Admins,CN=Users,DC=test,DC=lan".into()]);
        assert!(!a.enabled && a.locked && a.must_change && a.privileged);
        assert_eq!(a.password_last_set, None);
        let e = entry(&[
            ("userAccountControl", &["512"]),
            ("lockoutTime", &["134402287208289490"]),
            ("msDS-User-Account-Control-Computed", &["0"]),
            ("adminCount", &["0"]),
        ]);
        let a = to_account(&e, &[]);
        assert!(a.enabled && !a.locked && !a.must_change && !a.privileged);
        assert!(to_account(&entry(&[("adminCount", &["1"])]), &[]).privileged);
        assert!(to_account(&entry(&[("lockoutTime", &["5"])]), &[]).locked);
    }

    #[test]
    fn base_check() {
        assert!(under_base("CN=A,OU=Staff,DC=test,DC=lan", "dc=TEST,dc=lan"));
        assert!(!under_base("CN=A,DC=nottest,DC=lan", "DC=test,DC=lan"));
        assert!(!under_base("CN=A,DC=xtest,DC=lan", "DC=test,DC=lan"));
    }
}
