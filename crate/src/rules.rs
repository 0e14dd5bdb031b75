//! The rule table of each policy profile (Windows and Samba AD, Entra, NIST): the length unit and
//! bounds, the character set and the character-kind rule. [`crate::Validator`] builds one [`RuleTable`] per
//! policy and checks against it; the generators read the same table from the validator, so what they
//! produce cannot drift from what is checked.
use std::ops::RangeInclusive;

use crate::{DcKind, Policy};

mod kinds;
mod samba_case;

pub(crate) use kinds::{Classifier, Kind, KindSet};

/// MS-SAMR's maximum password length (AD and Samba), in UTF-16 units.
pub(crate) const AD_MAX_LEN: u32 = 256;
/// Kinds an AD complexity rule needs (of [`Classifier::kinds`]: 5 on Windows and Samba).
pub(crate) const AD_KINDS_NEEDED: u32 = 3;
/// Entra's length bounds, in characters.
pub(crate) const ENTRA_MIN_LEN: u32 = 8;
pub(crate) const ENTRA_MAX_LEN: u32 = 256;
/// Kinds Entra needs (of 4).
pub(crate) const ENTRA_KINDS_NEEDED: u32 = 3;
/// Lengths the complex-password generator offers: long enough for Entra, short enough for every
/// profile's maximum.
pub(crate) const GENERATED_LENGTH: RangeInclusive<u32> = ENTRA_MIN_LEN..=AD_MAX_LEN;

/// How a profile counts length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LengthUnit {
    /// AD and Samba: UTF-16 code units (an emoji counts 2; Samba's `strlen_m`).
    Utf16,
    /// NIST ("each code point counts as one character") and Entra (documented in characters).
    CodePoints,
}

impl LengthUnit {
    pub(crate) fn of_char(self, c: char) -> usize {
        match self {
            LengthUnit::Utf16 => c.len_utf16(),
            LengthUnit::CodePoints => 1,
        }
    }

    /// Length of `s`, saturating at `u32::MAX`.
    pub(crate) fn of(self, s: &str) -> u32 {
        let n = match self {
            LengthUnit::Utf16 => s.encode_utf16().count(),
            LengthUnit::CodePoints => s.chars().count(),
        };
        u32::try_from(n).unwrap_or(u32::MAX)
    }
}

/// Which characters may appear at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Charset {
    Any,
    /// Entra: U+0020–U+007E only.
    PrintableAscii,
}

impl Charset {
    pub(crate) fn allows(self, c: char) -> bool {
        match self {
            Charset::Any => true,
            Charset::PrintableAscii => (' '..='~').contains(&c),
        }
    }
}

/// "At least `needed` of the classifier's kinds".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Complexity {
    pub(crate) classifier: Classifier,
    pub(crate) needed: u32,
}

impl Complexity {
    pub(crate) fn total(self) -> u32 {
        self.classifier.kinds()
    }

    pub(crate) fn met_by(self, kinds: KindSet) -> bool {
        kinds.count() >= self.needed
    }

    /// Plain name of the rule for messages.
    pub(crate) fn describe(self) -> String {
        format!("needs {} of {} character kinds", self.needed, self.total())
    }
}

/// The shape rules of one policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RuleTable {
    pub(crate) unit: LengthUnit,
    pub(crate) min_len: u32,
    pub(crate) max_len: Option<u32>,
    pub(crate) charset: Charset,
    pub(crate) complexity: Option<Complexity>,
}

impl RuleTable {
    pub(crate) fn of(policy: &Policy) -> Self {
        match policy {
            Policy::ActiveDirectory(ad) => RuleTable {
                unit: LengthUnit::Utf16,
                min_len: ad.min_length,
                max_len: Some(AD_MAX_LEN),
                charset: Charset::Any,
                complexity: ad.complexity.then_some(Complexity {
                    classifier: match ad.dc {
                        DcKind::Windows => Classifier::Windows,
                        DcKind::Samba => Classifier::Samba,
                    },
                    needed: AD_KINDS_NEEDED,
                }),
            },
            Policy::Entra(_) => RuleTable {
                unit: LengthUnit::CodePoints,
                min_len: ENTRA_MIN_LEN,
                max_len: Some(ENTRA_MAX_LEN),
                charset: Charset::PrintableAscii,
                complexity: Some(Complexity {
                    classifier: Classifier::Entra,
                    needed: ENTRA_KINDS_NEEDED,
                }),
            },
            Policy::Nist(nist) => RuleTable {
                unit: LengthUnit::CodePoints,
                min_len: nist.min_length,
                max_len: None,
                charset: Charset::Any,
                complexity: None,
            },
        }
    }
}
