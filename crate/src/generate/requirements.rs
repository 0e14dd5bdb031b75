//! What a policy demands of a generated secret, read from [`Policy`] (not from verdict messages),
//! so impossible option sets are refused before any draw.
//!
//! Only rules that depend on the *shape* of the output are modelled here: length, character kinds
//! and the Entra character set. Name, banned-term and blocklist rules only ever reject a small part of
//! the outputs; the rejection loop handles them.
use crate::unicode_class::{letter, Letter};

use crate::{DcKind, Policy};

/// How the policy counts length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LengthUnit {
    /// AD (Windows and Samba): UTF-16 code units.
    Utf16,
    /// NIST and Entra (ASCII only, so both agree): code points.
    CodePoints,
}

impl LengthUnit {
    pub(crate) fn len_of(self, c: char) -> usize {
        match self {
            LengthUnit::Utf16 => c.len_utf16(),
            LengthUnit::CodePoints => 1,
        }
    }
}

/// Which character classifier the complexity rule uses (policy.md §1.1, §2, §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KindProfile {
    WindowsAd,
    SambaAd,
    Entra,
}

/// A character kind of the complexity rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Upper,
    Lower,
    Digit,
    Special,
    /// AD's 5th category (Windows: other alphabetic; Samba: any other non-ASCII).
    Other,
}

impl Kind {
    pub(crate) fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// "At least `needed` of `total` kinds".
#[derive(Debug, Clone, Copy)]
pub(crate) struct KindRule {
    pub(crate) profile: KindProfile,
    pub(crate) needed: u32,
    pub(crate) total: u32,
}

impl KindRule {
    /// The kind `c` counts as, or `None` when it counts for no kind (the same tables as the
    /// validator: policy.md §1.1 Windows, §2 Samba, §3.1 Entra).
    pub(crate) fn kind_of(&self, c: char) -> Option<Kind> {
        if c.is_ascii() {
            return ascii_kind(c, self.profile);
        }
        match (self.profile, letter(c)) {
            (KindProfile::Entra, _) => None,
            (_, Some(Letter::Upper)) => Some(Kind::Upper),
            (_, Some(Letter::Lower)) => Some(Kind::Lower),
            (KindProfile::WindowsAd, Some(Letter::Uncased)) => Some(Kind::Other),
            (KindProfile::WindowsAd, _) => None,
            // Samba: every other multi-byte character is its 5th "unicode" category.
            (KindProfile::SambaAd, _) => Some(Kind::Other),
        }
    }

    /// Plain name of the rule for messages.
    pub(crate) fn describe(&self) -> String {
        format!("needs {} of {} character kinds", self.needed, self.total)
    }
}

fn ascii_kind(c: char, profile: KindProfile) -> Option<Kind> {
    match c {
        'A'..='Z' => Some(Kind::Upper),
        'a'..='z' => Some(Kind::Lower),
        '0'..='9' => Some(Kind::Digit),
        // The 32 ASCII punctuation characters are exactly AD's "special" list.
        c if c.is_ascii_punctuation() => Some(Kind::Special),
        // Entra lists the blank space among the symbols (policy.md §3.1, counted as a symbol by the
        // validator); AD counts it for nothing.
        ' ' if profile == KindProfile::Entra => Some(Kind::Special),
        _ => None,
    }
}

/// The shape constraints of one policy.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Requirements {
    pub(crate) unit: LengthUnit,
    pub(crate) min_len: usize,
    pub(crate) max_len: Option<usize>,
    pub(crate) kinds: Option<KindRule>,
    /// Entra: printable ASCII (U+0020–U+007E) only.
    pub(crate) printable_ascii_only: bool,
}

impl Requirements {
    pub(crate) fn of(policy: &Policy) -> Self {
        match policy {
            Policy::ActiveDirectory(ad) => Requirements {
                unit: LengthUnit::Utf16,
                min_len: ad.min_length as usize,
                max_len: Some(256),
                kinds: ad.complexity.then_some(KindRule {
                    profile: match ad.dc {
                        DcKind::Windows => KindProfile::WindowsAd,
                        DcKind::Samba => KindProfile::SambaAd,
                    },
                    needed: 3,
                    total: 5,
                }),
                printable_ascii_only: false,
            },
            Policy::Entra(_) => Requirements {
                unit: LengthUnit::CodePoints,
                min_len: 8,
                max_len: Some(256),
                kinds: Some(KindRule { profile: KindProfile::Entra, needed: 3, total: 4 }),
                printable_ascii_only: true,
            },
            Policy::Nist(nist) => Requirements {
                unit: LengthUnit::CodePoints,
                min_len: nist.min_length as usize,
                max_len: None,
                kinds: None,
                printable_ascii_only: false,
            },
        }
    }

    /// Whether `c` may appear at all.
    pub(crate) fn allows_char(&self, c: char) -> bool {
        !self.printable_ascii_only || (' '..='~').contains(&c)
    }
}
