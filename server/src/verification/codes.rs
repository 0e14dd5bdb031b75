//! One-time codes: 6 digits from the CSPRNG, stored only as HMAC-SHA256 (keyed by a per-process
//! key and bound to the verification id), compared in constant time.
use hmac::{Hmac, Mac};
use rand::{Rng as _, RngCore as _};
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Digits of a code (≈ 20 bits: NIST SP 800-63B's minimum for out-of-band secrets).
pub const CODE_DIGITS: usize = 6;

/// The HMAC key of code hashes. No `Debug`, wiped on drop.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct CodeKey([u8; 32]);

impl CodeKey {
    /// A fresh random key.
    pub fn random() -> Self {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        Self(key)
    }

    fn mac(&self, verification_id: &str, code: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("any key length");
        mac.update(verification_id.as_bytes());
        mac.update(b":");
        mac.update(code.as_bytes());
        mac
    }

    /// The stored form of `code` for verification `verification_id` (hex).
    pub fn hash(&self, verification_id: &str, code: &OneTimeCode) -> String {
        hex::encode(self.mac(verification_id, &code.0).finalize().into_bytes())
    }

    /// Whether `typed` is the code whose hash is `stored_hex` (constant-time comparison).
    pub fn matches(&self, verification_id: &str, typed: &str, stored_hex: &str) -> bool {
        let Ok(stored) = hex::decode(stored_hex) else {
            return false;
        };
        self.mac(verification_id, typed)
            .verify_slice(&stored)
            .is_ok()
    }
}

/// A code in clear: only ever handed to a provider. No `Debug`, no `Display`, wiped on drop.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct OneTimeCode(String);

impl OneTimeCode {
    /// A new uniformly random code (thread RNG: ChaCha seeded from the OS, a CSPRNG).
    pub fn generate() -> Self {
        let n: u32 = rand::rng().random_range(0..10u32.pow(CODE_DIGITS as u32));
        Self(format!("{n:0width$}", width = CODE_DIGITS))
    }

    /// The digits, for the message body.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Whether `typed` looks like a code at all (a typo is refused without counting as a try).
pub fn well_formed(typed: &str) -> bool {
    typed.len() == CODE_DIGITS && typed.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_vary() {
        let codes: std::collections::HashSet<String> = (0..200)
            .map(|_| OneTimeCode::generate().expose().to_string())
            .collect();
        assert!(codes.iter().all(|c| well_formed(c)));
        assert!(codes.len() > 190, "{} distinct of 200", codes.len());
    }

    #[test]
    fn hash_is_keyed_and_bound_to_the_verification() {
        let key = CodeKey::random();
        let code = OneTimeCode::generate();
        let stored = key.hash("v1", &code);
        assert!(!stored.contains(code.expose()));
        assert!(key.matches("v1", code.expose(), &stored));
        assert!(
            !key.matches("v2", code.expose(), &stored),
            "another verification"
        );
        assert!(
            !CodeKey::random().matches("v1", code.expose(), &stored),
            "another key"
        );
        let other = if code.expose() == "000000" {
            "000001"
        } else {
            "000000"
        };
        assert!(!key.matches("v1", other, &stored));
        assert!(!key.matches("v1", code.expose(), "not hex"));
    }

    #[test]
    fn only_six_digits_are_well_formed() {
        assert!(well_formed("012345"));
        for bad in ["12345", "1234567", "12345a", " 12345", ""] {
            assert!(!well_formed(bad), "{bad:?}");
        }
    }
}
