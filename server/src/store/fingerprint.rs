//! Fingerprints of reset requests for the idempotency table: a key reused with another password,
//! `temporary` or account is refused (`409 IDEMPOTENCY_KEY_REUSED`) without storing the password.
//!
//! The secret part is an HMAC-SHA256 under a random per-process key, so the database alone cannot
//! test password guesses. After a restart the key is new: the secret part can no longer be compared
//! (its `epoch` differs) and only the public part (temporary, account) is.
use hmac::{Hmac, Mac};
use rand::RngCore as _;
use sha2::Sha256;
use subtle::ConstantTimeEq as _;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// The per-process HMAC key. No `Debug`, wiped on drop.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct FingerprintKey {
    key: [u8; 32],
    #[zeroize(skip)]
    epoch: String,
}

impl FingerprintKey {
    /// A fresh random key with a random epoch name.
    pub fn random() -> Self {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        let mut epoch = [0u8; 8];
        rand::rng().fill_bytes(&mut epoch);
        Self {
            key,
            epoch: hex::encode(epoch),
        }
    }

    /// The fingerprint of a request whose secret is `secret` and whose other fields are `public`.
    pub fn fingerprint(&self, secret: &str, public: &str) -> RequestFingerprint {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("any key length");
        mac.update(public.as_bytes());
        mac.update(b"\0");
        mac.update(secret.as_bytes());
        RequestFingerprint {
            epoch: self.epoch.clone(),
            mac: hex::encode(mac.finalize().into_bytes()),
            public: public.to_string(),
        }
    }
}

/// What is stored per key: safe to keep (no secret is recoverable from it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFingerprint {
    /// Names the key that made `mac`.
    pub epoch: String,
    /// HMAC of public + secret (hex).
    pub mac: String,
    /// The non-secret fields, in the clear.
    pub public: String,
}

impl RequestFingerprint {
    /// Whether `stored` may be the same request: the public parts match, and the secret parts do
    /// too when both were made by the same key. Rows from before fingerprints (all `None`) match.
    pub fn same_request(&self, stored: &StoredFingerprint) -> bool {
        let (Some(epoch), Some(mac), Some(public)) = (&stored.epoch, &stored.mac, &stored.public)
        else {
            return true;
        };
        if *public != self.public {
            return false;
        }
        *epoch != self.epoch || bool::from(mac.as_bytes().ct_eq(self.mac.as_bytes()))
    }
}

/// The columns as read back (absent on rows written before migration 0008).
#[derive(Debug, Clone, Default)]
pub struct StoredFingerprint {
    /// `request_epoch`.
    pub epoch: Option<String>,
    /// `request_mac`.
    pub mac: Option<String>,
    /// `request_public`.
    pub public: Option<String>,
}

impl From<&RequestFingerprint> for StoredFingerprint {
    fn from(f: &RequestFingerprint) -> Self {
        Self {
            epoch: Some(f.epoch.clone()),
            mac: Some(f.mac.clone()),
            public: Some(f.public.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_secret_or_public_part_is_another_request() {
        let key = FingerprintKey::random();
        let first = key.fingerprint("Pw-one#2026x", "temporary=true");
        let stored = StoredFingerprint::from(&first);
        assert!(key
            .fingerprint("Pw-one#2026x", "temporary=true")
            .same_request(&stored));
        assert!(!key
            .fingerprint("Pw-two#2026x", "temporary=true")
            .same_request(&stored));
        assert!(!key
            .fingerprint("Pw-one#2026x", "temporary=false")
            .same_request(&stored));
        assert!(!first.mac.contains("Pw-one"), "the secret is not stored");
    }

    #[test]
    fn after_a_restart_only_the_public_part_is_compared() {
        let before = FingerprintKey::random();
        let stored = StoredFingerprint::from(&before.fingerprint("Pw-one#2026x", "temporary=true"));
        let after = FingerprintKey::random();
        assert!(after
            .fingerprint("Pw-two#2026x", "temporary=true")
            .same_request(&stored));
        assert!(!after
            .fingerprint("Pw-one#2026x", "temporary=false")
            .same_request(&stored));
        assert!(after
            .fingerprint("x", "y")
            .same_request(&StoredFingerprint::default()));
    }
}
