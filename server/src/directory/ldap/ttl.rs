//! A small map whose entries count for [`TTL`] only, keyed by DN (compared case-insensitively, as
//! LDAP compares DNs): the policy objects, each account's resultant PSO and each account's last
//! "not privileged" verdict are kept in one of these per directory.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::sync::lock;

/// How long a remembered read counts.
pub(super) const TTL: Duration = Duration::from_secs(60);
/// Entries kept at most: past it the stale ones go, and if none is stale, all of them.
const MAX_ENTRIES: usize = 4096;

struct Fresh<V> {
    value: V,
    at: Instant,
}

/// DN → value read less than [`TTL`] ago.
pub(super) struct TtlMap<V> {
    entries: Mutex<HashMap<String, Fresh<V>>>,
}

impl<V> Default for TtlMap<V> {
    fn default() -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

impl<V: Clone> TtlMap<V> {
    /// The value remembered for `dn`, if it is still fresh.
    pub fn get(&self, dn: &str) -> Option<V> {
        lock(&self.entries)
            .get(&dn.to_lowercase())
            .filter(|f| f.at.elapsed() < TTL)
            .map(|f| f.value.clone())
    }

    /// Remembers `value` for `dn` from now on.
    pub fn insert(&self, dn: &str, value: V) {
        let mut map = lock(&self.entries);
        if map.len() >= MAX_ENTRIES {
            map.retain(|_, f| f.at.elapsed() < TTL);
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
        }
        map.insert(
            dn.to_lowercase(),
            Fresh {
                value,
                at: Instant::now(),
            },
        );
    }

    /// Forgets `dn`.
    pub fn remove(&self, dn: &str) {
        lock(&self.entries).remove(&dn.to_lowercase());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_compare_case_insensitively_and_are_bounded() {
        let m = TtlMap::default();
        m.insert("CN=A,DC=test", 1);
        assert_eq!(m.get("cn=a,dc=TEST"), Some(1));
        m.remove("cn=A,dc=test");
        assert_eq!(m.get("CN=A,DC=test"), None);
        for i in 0..=MAX_ENTRIES {
            m.insert(&format!("cn={i}"), i);
        }
        // The map was full of fresh entries when the last one came: it started again.
        assert_eq!(m.get("cn=0"), None);
        assert_eq!(m.get(&format!("cn={MAX_ENTRIES}")), Some(MAX_ENTRIES));
    }
}
