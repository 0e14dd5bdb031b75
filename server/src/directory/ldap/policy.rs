//! The policy in force for one account: the resultant PSO if any (docs/policy.md §5), else the domain
//! attributes on the base DN, as the core's `Policy::ActiveDirectory`.
//!
//! Policy objects change rarely and every context needs them, so what was read is kept for
//! `ttl::TTL` (src/directory/ldap/ttl.rs): the domain head, each PSO, and each account's resultant PSO (read beside its
//! `tokenGroups` when the account is looked up). A stale minute only shows an outdated policy;
//! the DC still enforces the real one on the reset.
use ldap3::{Scope, SearchEntry};
use passdesk_core::{ActiveDirectoryPolicy, DcKind, Policy};

use super::ttl::TtlMap;
use crate::directory::{DirectoryError, EffectivePolicy};

/// Constructed (base-scope reads only): the PSO that applies to an account, if any.
pub(super) const RESULTANT_PSO: &str = "msDS-ResultantPSO";

/// The resultant PSO named on an entry read with [`RESULTANT_PSO`].
pub(super) fn resultant_pso(e: &SearchEntry) -> Option<String> {
    e.attrs.get(RESULTANT_PSO)?.first().cloned()
}

/// Policy reads of one directory in the last [`super::ttl::TTL`].
#[derive(Default)]
pub(super) struct Cache {
    /// Account DN → its resultant PSO DN (None: the domain policy applies).
    resultant: TtlMap<Option<String>>,
    /// Policy object DN → the entry as read (None: not visible to the service account).
    objects: TtlMap<Option<SearchEntry>>,
}

impl Cache {
    /// Remembers which PSO applies to the account at `dn`.
    pub fn remember_resultant_pso(&self, dn: &str, pso: Option<String>) {
        self.resultant.insert(dn, pso);
    }

    /// Whether the account's resultant PSO is known, so its policy needs no read of the account.
    pub fn knows_resultant_pso(&self, dn: &str) -> bool {
        self.resultant.get(dn).is_some()
    }

    /// The policy object at `dn`, read once per [`super::ttl::TTL`].
    async fn object(
        &self,
        reads: &mut Reads<'_>,
        dn: &str,
        attrs: &[&str],
    ) -> Result<Option<SearchEntry>, Unanswered> {
        if let Some(known) = self.objects.get(dn) {
            return Ok(known);
        }
        let read = read_base(reads, dn, attrs).await?;
        self.objects.insert(dn, read.clone());
        Ok(read)
    }
}

/// Where the policy's reads go: nowhere (answer from the cache or not at all), or the directory.
pub(super) enum Reads<'a> {
    /// From the cache only: no session is taken for a policy that is all cached.
    CachedOnly,
    /// Over this bound connection.
    Directory(&'a mut ldap3::Ldap),
}

/// Why [`effective`] gave no policy.
#[derive(Debug)]
pub(super) enum Unanswered {
    /// `Reads::CachedOnly` and something is not cached: ask again with the directory.
    NotCached,
    /// The directory's answer.
    Failed(DirectoryError),
}

impl From<DirectoryError> for Unanswered {
    fn from(e: DirectoryError) -> Self {
        Self::Failed(e)
    }
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
    reads: &mut Reads<'_>,
    dn: &str,
    attrs: &[&str],
) -> Result<Option<SearchEntry>, Unanswered> {
    let Reads::Directory(ldap) = reads else {
        return Err(Unanswered::NotCached);
    };
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
    reads: &mut Reads<'_>,
    dn: &str,
    fb: &Fallback<'_>,
    cache: &Cache,
) -> Result<EffectivePolicy, Unanswered> {
    let pso_dn = match cache.resultant.get(dn) {
        Some(known) => known,
        None => {
            let user = read_base(reads, dn, &[RESULTANT_PSO])
                .await?
                .ok_or_else(|| DirectoryError::NotFound(dn.into()))?;
            let pso = resultant_pso(&user);
            cache.remember_resultant_pso(dn, pso.clone());
            pso
        }
    };
    if let Some(pso_dn) = &pso_dn {
        let pso = cache.object(reads, pso_dn, PSO_ATTRS).await?;
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
            None => (domain(reads, fb, cache).await?, "the domain policy"),
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
        policy: Policy::ActiveDirectory(domain(reads, fb, cache).await?),
        source: format!("domain {}", fb.base_dn),
        uncertain: None,
    })
}

async fn domain(
    reads: &mut Reads<'_>,
    fb: &Fallback<'_>,
    cache: &Cache,
) -> Result<ActiveDirectoryPolicy, Unanswered> {
    let e = cache.object(reads, fb.base_dn, DOMAIN_ATTRS).await?;
    e.as_ref()
        .and_then(|e| from_domain(e, fb.dc))
        .ok_or_else(|| {
            Unanswered::Failed(DirectoryError::Other {
                code: "LDAP_POLICY_UNREADABLE".into(),
                message: format!("cannot read minPwdLength / pwdProperties on {}", fb.base_dn),
            })
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
