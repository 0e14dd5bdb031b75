//! The policy in force for one account: the resultant PSO if any (docs/policy.md §5), else the domain
//! attributes on the base DN, as the core's `Policy::ActiveDirectory`.
//!
//! Policy objects change rarely and every context needs them, so what was read is kept for
//! `CACHE_TTL`: the domain head, each PSO, and each account's resultant PSO (read beside its
//! `tokenGroups` when the account is looked up). A stale minute only shows an outdated policy;
//! the DC still enforces the real one on the reset.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ldap3::{Scope, SearchEntry};
use passdesk_core::{ActiveDirectoryPolicy, DcKind, Policy};

use crate::directory::{DirectoryError, EffectivePolicy};
use crate::sync::lock;

/// Constructed (base-scope reads only): the PSO that applies to an account, if any.
pub(super) const RESULTANT_PSO: &str = "msDS-ResultantPSO";
/// How long a read policy object or resultant PSO is reused.
pub(super) const CACHE_TTL: Duration = Duration::from_secs(60);
/// Accounts remembered at most (older entries are dropped first).
const MAX_ACCOUNTS: usize = 4096;

/// The resultant PSO named on an entry read with [`RESULTANT_PSO`].
pub(super) fn resultant_pso(e: &SearchEntry) -> Option<String> {
    e.attrs.get(RESULTANT_PSO)?.first().cloned()
}

struct Fresh<T> {
    value: T,
    at: Instant,
}

/// Policy reads of one directory in the last [`CACHE_TTL`].
#[derive(Default)]
pub(super) struct Cache {
    /// Account DN (lowercase) → its resultant PSO DN (None: the domain policy applies).
    resultant: Mutex<HashMap<String, Fresh<Option<String>>>>,
    /// Policy object DN (lowercase) → the entry as read (None: not visible to the service account).
    objects: Mutex<HashMap<String, Fresh<Option<SearchEntry>>>>,
}

impl Cache {
    /// Remembers which PSO applies to the account at `dn`.
    pub fn remember_resultant_pso(&self, dn: &str, pso: Option<String>) {
        let mut map = lock(&self.resultant);
        if map.len() >= MAX_ACCOUNTS {
            map.retain(|_, f| f.at.elapsed() < CACHE_TTL);
            if map.len() >= MAX_ACCOUNTS {
                map.clear();
            }
        }
        map.insert(
            dn.to_lowercase(),
            Fresh {
                value: pso,
                at: Instant::now(),
            },
        );
    }

    fn resultant_pso(&self, dn: &str) -> Option<Option<String>> {
        fresh(&lock(&self.resultant), &dn.to_lowercase())
    }

    /// The policy object at `dn`, read once per [`CACHE_TTL`].
    async fn object(
        &self,
        ldap: &mut ldap3::Ldap,
        dn: &str,
        attrs: &[&str],
    ) -> Result<Option<SearchEntry>, DirectoryError> {
        let key = dn.to_lowercase();
        if let Some(known) = fresh(&lock(&self.objects), &key) {
            return Ok(known);
        }
        let read = read_base(ldap, dn, attrs).await?;
        lock(&self.objects).insert(
            key,
            Fresh {
                value: read.clone(),
                at: Instant::now(),
            },
        );
        Ok(read)
    }
}

fn fresh<T: Clone>(map: &HashMap<String, Fresh<T>>, key: &str) -> Option<T> {
    map.get(key)
        .filter(|f| f.at.elapsed() < CACHE_TTL)
        .map(|f| f.value.clone())
}

const DOMAIN_ATTRS: &[&str] = &["minPwdLength", "pwdProperties", "pwdHistoryLength"];
const PSO_ATTRS: &[&str] = &[
    "msDS-MinimumPasswordLength",
    "msDS-PasswordComplexityEnabled",
    "msDS-PasswordHistoryLength",
];
const DOMAIN_PASSWORD_COMPLEX: u32 = 0x1;

fn num(e: &SearchEntry, attr: &str) -> Option<u32> {
    e.attrs.get(attr)?.first()?.trim().parse().ok()
}

/// Domain NC head attributes → policy. Missing attributes mean the caller could not read them.
pub(super) fn from_domain(e: &SearchEntry, dc: DcKind) -> Option<ActiveDirectoryPolicy> {
    Some(ActiveDirectoryPolicy {
        dc,
        min_length: num(e, "minPwdLength")?,
        complexity: num(e, "pwdProperties")? & DOMAIN_PASSWORD_COMPLEX != 0,
        history_length: num(e, "pwdHistoryLength").unwrap_or(0),
    })
}

/// PSO attributes → policy. A non-admin often gets the PSO entry back with no attributes (docs/samba.md §4):
/// that is `None`, not a policy of zeros.
pub(super) fn from_pso(e: &SearchEntry, dc: DcKind) -> Option<ActiveDirectoryPolicy> {
    let complexity = e
        .attrs
        .get("msDS-PasswordComplexityEnabled")?
        .first()?
        .eq_ignore_ascii_case("TRUE");
    Some(ActiveDirectoryPolicy {
        dc,
        min_length: num(e, "msDS-MinimumPasswordLength")?,
        complexity,
        history_length: num(e, "msDS-PasswordHistoryLength").unwrap_or(0),
    })
}

/// One base-object read; `Ok(None)` when the entry is not visible or not there.
async fn read_base(
    ldap: &mut ldap3::Ldap,
    dn: &str,
    attrs: &[&str],
) -> Result<Option<SearchEntry>, DirectoryError> {
    let found = super::optional_search(ldap, dn, Scope::Base, "(objectClass=*)", attrs.to_vec());
    Ok(found.await?.into_iter().next())
}

/// What the config says to assume when the PSO body is unreadable.
pub(super) struct Fallback<'a> {
    pub dc: DcKind,
    pub base_dn: &'a str,
    pub assumed: Option<&'a ActiveDirectoryPolicy>,
}

/// Resolves the effective policy for the account at `dn`, from `cache` where it can.
pub(super) async fn effective(
    ldap: &mut ldap3::Ldap,
    dn: &str,
    fb: &Fallback<'_>,
    cache: &Cache,
) -> Result<EffectivePolicy, DirectoryError> {
    let pso_dn = match cache.resultant_pso(dn) {
        Some(known) => known,
        None => {
            let user = read_base(ldap, dn, &[RESULTANT_PSO])
                .await?
                .ok_or_else(|| DirectoryError::NotFound(dn.into()))?;
            let pso = resultant_pso(&user);
            cache.remember_resultant_pso(dn, pso.clone());
            pso
        }
    };
    if let Some(pso_dn) = &pso_dn {
        let pso = cache.object(ldap, pso_dn, PSO_ATTRS).await?;
        if let Some(p) = pso.as_ref().and_then(|e| from_pso(e, fb.dc)) {
            return Ok(EffectivePolicy {
                policy: Policy::ActiveDirectory(p),
                source: format!("PSO {pso_dn}"),
                uncertain: None,
            });
        }
        // The PSO applies but its settings are hidden from the service account: assume, and say so.
        let (policy, what) = match fb.assumed {
            Some(a) => (
                ActiveDirectoryPolicy {
                    dc: fb.dc,
                    ..a.clone()
                },
                "the configured assumed_policy",
            ),
            None => (domain(ldap, fb, cache).await?, "the domain policy"),
        };
        return Ok(EffectivePolicy {
            policy: Policy::ActiveDirectory(policy),
            source: format!("PSO {pso_dn} (assumed)"),
            uncertain: Some(format!(
                "the fine-grained policy {pso_dn} applies to this account, but the service account cannot read \
                 its settings; checking against {what} instead (grant read on the Password Settings Container)"
            )),
        });
    }
    Ok(EffectivePolicy {
        policy: Policy::ActiveDirectory(domain(ldap, fb, cache).await?),
        source: format!("domain {}", fb.base_dn),
        uncertain: None,
    })
}

async fn domain(
    ldap: &mut ldap3::Ldap,
    fb: &Fallback<'_>,
    cache: &Cache,
) -> Result<ActiveDirectoryPolicy, DirectoryError> {
    let e = cache.object(ldap, fb.base_dn, DOMAIN_ATTRS).await?;
    e.as_ref()
        .and_then(|e| from_domain(e, fb.dc))
        .ok_or_else(|| DirectoryError::Other {
            code: "LDAP_POLICY_UNREADABLE".into(),
            message: format!("cannot read minPwdLength / pwdProperties on {}", fb.base_dn),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn entry(attrs: &[(&str, &str)]) -> SearchEntry {
        SearchEntry {
            dn: "x".into(),
            attrs: attrs
                .iter()
                .map(|(k, v)| (k.to_string(), vec![v.to_string()]))
                .collect(),
            bin_attrs: HashMap::new(),
        }
    }

    #[test]
    fn domain_attributes() {
        let e = entry(&[
            ("minPwdLength", "7"),
            ("pwdProperties", "1"),
            ("pwdHistoryLength", "24"),
        ]);
        let p = from_domain(&e, DcKind::Samba).unwrap();
        assert_eq!(
            (p.dc, p.min_length, p.complexity, p.history_length),
            (DcKind::Samba, 7, true, 24)
        );
        let e = entry(&[("minPwdLength", "0"), ("pwdProperties", "2")]);
        assert!(!from_domain(&e, DcKind::Windows).unwrap().complexity);
    }

    #[test]
    fn pso_without_attributes_is_unreadable() {
        assert!(from_pso(&entry(&[]), DcKind::Windows).is_none());
        let e = entry(&[
            ("msDS-MinimumPasswordLength", "12"),
            ("msDS-PasswordComplexityEnabled", "TRUE"),
            ("msDS-PasswordHistoryLength", "5"),
        ]);
        let p = from_pso(&e, DcKind::Windows).unwrap();
        assert_eq!(
            (p.min_length, p.complexity, p.history_length),
            (12, true, 5)
        );
    }
}
