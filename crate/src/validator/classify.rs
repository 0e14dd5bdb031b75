//! Character kinds ("categories") per directory profile (policy.md §1.1, §2, §3.1).
//!
//! Each profile classifies a character into at most one kind; the complexity rules count how many
//! distinct kinds a password uses.
use crate::unicode_class::{is_decimal_digit, letter, Letter};

/// One character kind. The discriminant is a bit index in [`KindSet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Upper = 0,
    Lower = 1,
    Digit = 2,
    Symbol = 3,
    /// Windows "alphabetic but neither upper nor lower case" (e.g. CJK), Samba's 5th "unicode" kind.
    OtherAlpha = 4,
}

impl Kind {
    /// Plain words for a technician, used in "add a digit, a symbol or …" hints.
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Kind::Upper => "an upper-case letter",
            Kind::Lower => "a lower-case letter",
            Kind::Digit => "a digit",
            Kind::Symbol => "a symbol",
            Kind::OtherAlpha => "a letter without case (e.g. Chinese)",
        }
    }
}

/// The set of kinds seen in a password, as a bit set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct KindSet(u8);

impl KindSet {
    pub(crate) fn insert(&mut self, kind: Kind) {
        self.0 |= 1 << kind as u8;
    }
    pub(crate) fn contains(self, kind: Kind) -> bool {
        self.0 & (1 << kind as u8) != 0
    }
    pub(crate) fn count(self) -> u32 {
        self.0.count_ones()
    }
}

/// The 32 ASCII characters Windows and Samba call "special" (all of ASCII punctuation; not space).
pub(crate) fn is_ad_special(c: char) -> bool {
    c.is_ascii_punctuation()
}

/// Windows DC classifier (policy.md §1.1 table): Lu, Ll, ASCII digits, the 32 specials, Lo/Lm.
/// Everything else (space, `€`, emoji, non-ASCII digits, marks, Lt) counts for nothing.
pub(crate) fn windows_kind(c: char) -> Option<Kind> {
    if c.is_ascii() {
        return ascii_kind(c);
    }
    match letter(c)? {
        Letter::Upper => Some(Kind::Upper),
        Letter::Lower => Some(Kind::Lower),
        Letter::Uncased => Some(Kind::OtherAlpha),
        Letter::Title => None,
    }
}

/// Samba classifier (`check_password_quality`, policy.md §2): ASCII as Windows; any other code point
/// is upper, lower, or else the 5th "unicode" kind (currency signs, emoji, CJK, non-ASCII digits).
pub(crate) fn samba_kind(c: char) -> Option<Kind> {
    if c.is_ascii() {
        return ascii_kind(c);
    }
    match letter(c) {
        Some(Letter::Upper) => Some(Kind::Upper),
        Some(Letter::Lower) => Some(Kind::Lower),
        _ => Some(Kind::OtherAlpha),
    }
}

/// Entra classifier (policy.md §3.1): ASCII only; the blank space counts as a symbol [D].
pub(crate) fn entra_kind(c: char) -> Option<Kind> {
    if c == ' ' {
        return Some(Kind::Symbol);
    }
    if c.is_ascii() {
        return ascii_kind(c);
    }
    None
}

fn ascii_kind(c: char) -> Option<Kind> {
    if c.is_ascii_uppercase() {
        Some(Kind::Upper)
    } else if c.is_ascii_lowercase() {
        Some(Kind::Lower)
    } else if c.is_ascii_digit() {
        Some(Kind::Digit)
    } else if is_ad_special(c) {
        Some(Kind::Symbol)
    } else {
        None
    }
}

/// Kinds of a whole password under a classifier.
pub(crate) fn kinds_of(password: &str, classify: fn(char) -> Option<Kind>) -> KindSet {
    let mut set = KindSet::default();
    for c in password.chars() {
        if let Some(kind) = classify(c) {
            set.insert(kind);
        }
    }
    set
}

/// Why a Windows verdict about this character is a guess (policy.md §1.1 [I] rows, §7), if it is.
pub(crate) fn windows_doubt(c: char) -> Option<&'static str> {
    if c == ' ' {
        return Some("a space (Windows is believed to count it in no character kind)");
    }
    if c.is_ascii() {
        return None;
    }
    if is_decimal_digit(c) {
        return Some("a non-ASCII digit (Windows is believed not to count it as a digit)");
    }
    match letter(c)? {
        Letter::Title => Some("a title-case letter (how Windows counts it is not documented)"),
        _ if !is_european_script(c) => {
            Some("a letter outside the Latin, Greek and Cyrillic scripts (how Windows counts it is not documented)")
        }
        _ => None,
    }
}

/// Latin, Greek and Cyrillic blocks: the letters S1 documents explicitly.
fn is_european_script(c: char) -> bool {
    matches!(c as u32,
        0x00C0..=0x024F | 0x0250..=0x02AF | 0x1D00..=0x1DBF | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F
        | 0xA720..=0xA7FF | 0xAB30..=0xAB6F | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A // Latin
        | 0x0370..=0x03FF | 0x1F00..=0x1FFF // Greek
        | 0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F)
    // Cyrillic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_counts_only_documented_kinds() {
        assert_eq!(windows_kind('Ü'), Some(Kind::Upper));
        assert_eq!(windows_kind('ß'), Some(Kind::Lower));
        assert_eq!(windows_kind('密'), Some(Kind::OtherAlpha));
        assert_eq!(windows_kind('€'), None);
        assert_eq!(windows_kind(' '), None);
        assert_eq!(windows_kind('١'), None);
        assert_eq!(windows_kind('~'), Some(Kind::Symbol));
    }

    #[test]
    fn samba_puts_every_uncased_non_ascii_in_the_fifth_kind() {
        assert_eq!(samba_kind('€'), Some(Kind::OtherAlpha));
        assert_eq!(samba_kind('😀'), Some(Kind::OtherAlpha));
        assert_eq!(samba_kind('Ж'), Some(Kind::Upper));
        assert_eq!(samba_kind(' '), None);
    }

    #[test]
    fn entra_space_is_a_symbol_and_unicode_is_nothing() {
        assert_eq!(entra_kind(' '), Some(Kind::Symbol));
        assert_eq!(entra_kind('é'), None);
    }

    #[test]
    fn doubt_flags_cjk_but_not_cyrillic() {
        assert!(windows_doubt('密').is_some());
        assert!(windows_doubt('Ж').is_none());
        assert!(windows_doubt('a').is_none());
    }
}
