//! The built-in privileged groups of AD, recognised by SID, never by name (a renamed or localised
//! "Domain Admins" is still RID 512). The user's `tokenGroups` (constructed, base-scope read only) holds the
//! SIDs of every security group it is in, transitively and including its primary group, so one read
//! answers "is this an administrator" without chasing `member` links (docs/policy.md §10).
use ldap3::SearchEntry;

/// RIDs of the domain groups that administer the domain or the forest (in any domain of the forest: a
/// child domain's user can be an Enterprise Admin through the root domain's SID).
const DOMAIN_RIDS: &[(u32, &str)] = &[
    (512, "Domain Admins"),
    (518, "Schema Admins"),
    (519, "Enterprise Admins"),
    (520, "Group Policy Creator Owners"),
    (525, "Protected Users"),
    (526, "Key Admins"),
    (527, "Enterprise Key Admins"),
];

/// RIDs under the BUILTIN domain S-1-5-32.
const BUILTIN_RIDS: &[(u32, &str)] = &[
    (544, "Administrators"),
    (548, "Account Operators"),
    (549, "Server Operators"),
    (550, "Print Operators"),
    (551, "Backup Operators"),
];

/// The built-in Administrator account itself (RID 500 of a domain).
const ADMINISTRATOR_RID: u32 = 500;

/// Privileged groups a directory looks up once: DnsAdmins (no well-known RID) and the configured
/// `privileged_groups` that are security groups, by SID, so `tokenGroups` answers for them too.
#[derive(Debug, Default)]
pub(super) struct Extra {
    /// Each group's SID and its name for the log.
    pub sids: Vec<(Sid, String)>,
    /// Configured groups whose SID could not be read (not visible to the service account, or a
    /// distribution group, which `tokenGroups` never lists): checked per account in the chain.
    pub by_chain: Vec<String>,
}

/// `groupType` bit of a security group (MS-ADTS 2.2.12 GROUP_TYPE_SECURITY_ENABLED).
pub(super) const GROUP_TYPE_SECURITY_ENABLED: i64 = 0x8000_0000;

/// The Users container's well-known GUID (`<WKGUID=…,domain>`), where AD and Samba create DnsAdmins.
pub(super) const USERS_CONTAINER_WKGUID: &str = "a9d1ca15768811d1aded00c04fd8d5cd";

/// A binary SID (MS-DTYP 2.4.2.2): revision, sub-authority count, 48-bit big-endian authority, then
/// 32-bit little-endian sub-authorities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Sid {
    authority: u64,
    sub: Vec<u32>,
}

impl Sid {
    pub fn parse(b: &[u8]) -> Option<Sid> {
        let (&rev, &count) = (b.first()?, b.get(1)?);
        if rev != 1 || b.len() != 8 + 4 * usize::from(count) {
            return None;
        }
        let authority = b[2..8].iter().fold(0u64, |a, &x| (a << 8) | u64::from(x));
        let sub = b[8..]
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        Some(Sid { authority, sub })
    }

    fn rid(&self) -> Option<u32> {
        self.sub.last().copied()
    }

    /// S-1-5-21-x-y-z-RID: an account or group of an AD domain.
    fn is_domain_account(&self) -> bool {
        self.authority == 5 && self.sub.len() == 5 && self.sub[0] == 21
    }

    fn is_builtin(&self) -> bool {
        self.authority == 5 && self.sub.len() == 2 && self.sub[0] == 32
    }

    /// The name of the built-in privileged group this SID is, if it is one.
    pub fn well_known_privileged(&self) -> Option<&'static str> {
        let table = if self.is_domain_account() {
            DOMAIN_RIDS
        } else if self.is_builtin() {
            BUILTIN_RIDS
        } else {
            return None;
        };
        let rid = self.rid()?;
        table.iter().find(|(r, _)| *r == rid).map(|(_, n)| *n)
    }
}

impl std::fmt::Display for Sid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "S-1-{}", self.authority)?;
        self.sub.iter().try_for_each(|s| write!(f, "-{s}"))
    }
}

/// The raw values of a binary attribute. ldap3 files a value under `attrs` when it happens to be valid
/// UTF-8 (a SID can be pure ASCII bytes), else under `bin_attrs`: both are read, bytes unchanged.
pub(super) fn binary_values(e: &SearchEntry, attr: &str) -> Vec<Vec<u8>> {
    let text = e
        .attrs
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(attr))
        .flat_map(|(_, v)| v.iter().map(|s| s.as_bytes().to_vec()));
    let bin = e
        .bin_attrs
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(attr))
        .flat_map(|(_, v)| v.iter().cloned());
    text.chain(bin).collect()
}

/// Why an entry that carries `tokenGroups` (and `objectSid`) is privileged, or None. `extra` are SIDs found at
/// run time (DnsAdmins: it has no well-known RID). `None` for `tokenGroups` missing entirely means the
/// service account may not read it: the caller fails closed.
pub(super) fn privileged_by_sid(e: &SearchEntry, extra: &[(Sid, String)]) -> Option<String> {
    let own = binary_values(e, "objectSid");
    if own
        .iter()
        .filter_map(|b| Sid::parse(b))
        .any(|s| s.is_domain_account() && s.rid() == Some(ADMINISTRATOR_RID))
    {
        return Some("the built-in Administrator account".into());
    }
    binary_values(e, "tokenGroups")
        .iter()
        .filter_map(|b| Sid::parse(b))
        .find_map(|s| {
            s.well_known_privileged()
                .map(str::to_owned)
                .or_else(|| {
                    extra
                        .iter()
                        .find_map(|(sid, name)| (*sid == s).then(|| name.clone()))
                })
                .map(|name| format!("member of {name} ({s})"))
        })
}

/// `tokenGroups` came back: always true for a readable user (it holds at least the primary group).
pub(super) fn has_token_groups(e: &SearchEntry) -> bool {
    !binary_values(e, "tokenGroups").is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn sid(authority: u8, sub: &[u32]) -> Vec<u8> {
        let mut b = vec![1, sub.len() as u8, 0, 0, 0, 0, 0, authority];
        sub.iter()
            .for_each(|s| b.extend_from_slice(&s.to_le_bytes()));
        b
    }

    fn entry(tokens: &[Vec<u8>], own: Vec<u8>) -> SearchEntry {
        SearchEntry {
            dn: "CN=x,DC=test,DC=lan".into(),
            attrs: HashMap::new(),
            bin_attrs: HashMap::from([
                ("tokenGroups".to_string(), tokens.to_vec()),
                ("objectSid".to_string(), vec![own]),
            ]),
        }
    }

    const DOM: [u32; 4] = [21, 3524145895, 416872201, 2289044322];

    fn dom(rid: u32) -> Vec<u8> {
        let mut s = DOM.to_vec();
        s.push(rid);
        sid(5, &s)
    }

    #[test]
    fn parses_and_prints_a_sid() {
        let s = Sid::parse(&dom(512)).unwrap();
        assert_eq!(
            s.to_string(),
            "S-1-5-21-3524145895-416872201-2289044322-512"
        );
        assert_eq!(s.well_known_privileged(), Some("Domain Admins"));
        assert_eq!(
            Sid::parse(&sid(5, &[32, 548])).unwrap().to_string(),
            "S-1-5-32-548"
        );
        assert!(Sid::parse(&[1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0]).is_none());
        assert!(Sid::parse(&[]).is_none());
    }

    #[test]
    fn every_listed_group_is_privileged_and_ordinary_ones_are_not() {
        for rid in [512, 518, 519, 520, 525, 526, 527] {
            assert!(
                Sid::parse(&dom(rid))
                    .unwrap()
                    .well_known_privileged()
                    .is_some(),
                "{rid}"
            );
        }
        for rid in [544, 548, 549, 550, 551] {
            assert!(Sid::parse(&sid(5, &[32, rid]))
                .unwrap()
                .well_known_privileged()
                .is_some());
        }
        // Domain Users, Domain Computers, Denied RODC, Users, a user-made group; a builtin RID as a domain RID.
        for s in [
            dom(513),
            dom(515),
            dom(572),
            sid(5, &[32, 545]),
            dom(1117),
            dom(544),
        ] {
            assert_eq!(Sid::parse(&s).unwrap().well_known_privileged(), None);
        }
        // A domain RID under BUILTIN is not Domain Admins.
        assert_eq!(
            Sid::parse(&sid(5, &[32, 512]))
                .unwrap()
                .well_known_privileged(),
            None
        );
    }

    #[test]
    fn decides_from_token_groups_own_sid_and_extra_sids() {
        let user = dom(1200);
        let plain = entry(&[dom(513), sid(5, &[32, 545])], user.clone());
        assert_eq!(privileged_by_sid(&plain, &[]), None);
        assert!(has_token_groups(&plain));
        let ops = entry(&[dom(513), sid(5, &[32, 548])], user.clone());
        assert!(privileged_by_sid(&ops, &[])
            .unwrap()
            .contains("Account Operators (S-1-5-32-548)"));
        let dns = Sid::parse(&dom(1101)).unwrap();
        let dns_member = entry(&[dom(513), dom(1101)], user.clone());
        assert_eq!(privileged_by_sid(&dns_member, &[]), None);
        assert!(privileged_by_sid(&dns_member, &[(dns, "DnsAdmins".into())])
            .unwrap()
            .contains("member of DnsAdmins (S-1-5-21-"));
        assert!(privileged_by_sid(&entry(&[dom(513)], dom(500)), &[]).is_some());
        assert!(!has_token_groups(&entry(&[], user)));
    }

    #[test]
    fn values_filed_as_text_are_read_too() {
        // An all-ASCII SID ends up in `attrs` as a String.
        let ascii = sid(5, &[32, 0x2424_2424]);
        let e = SearchEntry {
            dn: "x".into(),
            attrs: HashMap::from([(
                "tokenGroups".to_string(),
                vec![String::from_utf8(ascii.clone()).unwrap()],
            )]),
            bin_attrs: HashMap::from([("tokengroups".to_string(), vec![dom(512)])]),
        };
        assert_eq!(binary_values(&e, "tokenGroups"), vec![ascii, dom(512)]);
    }
}
