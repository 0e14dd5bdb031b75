//! Range checks of a policy, done once in `Validator::new` (the ranges of docs/policy.md §5).
use crate::{Policy, PolicyError};

/// PSO `msDS-MinimumPasswordLength` schema range (the GPO UI stops at 14, relaxed limits at 128).
const AD_MIN_LENGTH_MAX: u32 = 255;
/// MS-ADTS constraint on `msDS-PasswordHistoryLength` (samba-tool enforces it too).
const AD_HISTORY_MAX: u32 = 1024;
/// Entra custom banned list limits.
const CUSTOM_TERMS_MAX: usize = 1000;
const CUSTOM_TERM_CHARS: (usize, usize) = (4, 16);
/// NIST: at least 8 (with MFA); 64 is the smallest maximum a verifier should permit.
const NIST_MIN_LENGTH: (u32, u32) = (8, 64);

pub(crate) fn check(policy: &Policy) -> Result<(), PolicyError> {
    match policy {
        Policy::ActiveDirectory(p) => {
            in_range("min_length", p.min_length, 0, AD_MIN_LENGTH_MAX)?;
            in_range("history_length", p.history_length, 0, AD_HISTORY_MAX)
        }
        Policy::Entra(p) => {
            if p.custom_terms.len() > CUSTOM_TERMS_MAX {
                return Err(PolicyError::TooManyTerms {
                    count: p.custom_terms.len(),
                    max: CUSTOM_TERMS_MAX,
                });
            }
            for (index, term) in p.custom_terms.iter().enumerate() {
                let chars = term.trim().chars().count();
                if chars < CUSTOM_TERM_CHARS.0 || chars > CUSTOM_TERM_CHARS.1 {
                    return Err(PolicyError::TermLength {
                        index,
                        chars,
                        min: CUSTOM_TERM_CHARS.0,
                        max: CUSTOM_TERM_CHARS.1,
                    });
                }
            }
            Ok(())
        }
        Policy::Nist(p) => in_range(
            "min_length",
            p.min_length,
            NIST_MIN_LENGTH.0,
            NIST_MIN_LENGTH.1,
        ),
    }
}

fn in_range(field: &'static str, value: u32, min: u32, max: u32) -> Result<(), PolicyError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(PolicyError::OutOfRange {
            field,
            min: min.into(),
            max: max.into(),
            value: value.into(),
        })
    }
}
