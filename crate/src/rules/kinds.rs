//! Character kinds ("categories") and the one classifier per profile. Each profile puts a character
//! in at most one kind; a complexity rule counts how many distinct kinds a password uses.
use crate::unicode_class::{letter, Letter};

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

/// Which directory decides the kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Classifier {
    /// Windows DC: Lu, Ll, ASCII digits, the 32 specials, Lo/Lm. Everything else (space, `€`, emoji,
    /// non-ASCII digits, marks, Lt) counts for nothing.
    Windows = 0,
    /// Samba's `check_password_quality`: ASCII as Windows; any other character is upper when Samba's
    /// lowercase table changes it, lower when its uppercase table does, else the 5th "unicode" kind
    /// (currency signs, emoji, CJK, non-ASCII digits, `ß`, `ǅ`).
    Samba = 1,
    /// Entra: ASCII only; the blank space counts as a symbol.
    Entra = 2,
}

impl Classifier {
    /// Every classifier, in discriminant order.
    pub(crate) const ALL: [Classifier; 3] =
        [Classifier::Windows, Classifier::Samba, Classifier::Entra];

    /// How many kinds the profile has.
    pub(crate) fn kinds(self) -> u32 {
        match self {
            Classifier::Windows | Classifier::Samba => 5,
            Classifier::Entra => 4,
        }
    }

    /// The kind `c` counts as, or `None` when it counts for none.
    #[inline]
    pub(crate) fn kind_of(self, c: char) -> Option<Kind> {
        if c.is_ascii() {
            // One load per keystroke character: the table is `ascii_kind`, built at compile time.
            ASCII_KINDS[self as usize][c as usize]
        } else {
            self.non_ascii_kind(c)
        }
    }

    fn non_ascii_kind(self, c: char) -> Option<Kind> {
        match self {
            Classifier::Windows => match letter(c)? {
                Letter::Upper => Some(Kind::Upper),
                Letter::Lower => Some(Kind::Lower),
                Letter::Uncased => Some(Kind::OtherAlpha),
                Letter::Title => None,
            },
            Classifier::Samba => Some(match samba_case(c) {
                Some(SambaCase::Upper) => Kind::Upper,
                Some(SambaCase::Lower) => Kind::Lower,
                None => Kind::OtherAlpha,
            }),
            Classifier::Entra => None,
        }
    }

    /// The kind of an ASCII character, the same for every profile but Entra's space: letters, digits
    /// and the 32 punctuation characters Windows and Samba call "special" (space and control
    /// characters count for nothing). `const`, so the generator's alphabets are classified at
    /// compile time by this same code.
    pub(crate) const fn ascii_kind(self, c: u8) -> Option<Kind> {
        match (c, self) {
            (b' ', Classifier::Entra) => Some(Kind::Symbol),
            (b'A'..=b'Z', _) => Some(Kind::Upper),
            (b'a'..=b'z', _) => Some(Kind::Lower),
            (b'0'..=b'9', _) => Some(Kind::Digit),
            _ if c.is_ascii_punctuation() => Some(Kind::Symbol),
            _ => None,
        }
    }

    /// Kinds of a whole password.
    pub(crate) fn kinds_of(self, password: &str) -> KindSet {
        let mut set = KindSet::default();
        for kind in password.chars().filter_map(|c| self.kind_of(c)) {
            set.insert(kind);
        }
        set
    }
}

/// `ascii_kind` of every ASCII character, per classifier.
static ASCII_KINDS: [[Option<Kind>; 128]; 3] = {
    let mut table = [[None; 128]; 3];
    let mut p = 0;
    while p < Classifier::ALL.len() {
        let mut c = 0;
        while c < 128 {
            table[p][c] = Classifier::ALL[p].ascii_kind(c as u8);
            c += 1;
        }
        p += 1;
    }
    table
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SambaCase {
    Upper,
    Lower,
}

/// Samba's case of a non-ASCII character, from the runs in `samba_case.rs` (generated from the
/// installed Samba by `crate/tools/samba_case_table.py`). Samba's tables end at U+FFFF.
fn samba_case(c: char) -> Option<SambaCase> {
    let c = c as u32;
    let runs = &super::samba_case::RUNS;
    // The last run starting at or before `c`.
    let before = runs.partition_point(|&run| run >> 16 <= c);
    let run = *runs.get(before.checked_sub(1)?)?;
    let offset = c - (run >> 16);
    if offset >= (run >> 8) & 0xFF {
        return None;
    }
    let alternating = run & 2 != 0;
    let first_lower = run & 1 != 0;
    Some(if first_lower != (alternating && offset % 2 == 1) {
        SambaCase::Lower
    } else {
        SambaCase::Upper
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_counts_only_documented_kinds() {
        let w = Classifier::Windows;
        assert_eq!(w.kind_of('Ü'), Some(Kind::Upper));
        assert_eq!(w.kind_of('ß'), Some(Kind::Lower));
        assert_eq!(w.kind_of('密'), Some(Kind::OtherAlpha));
        assert_eq!(w.kind_of('€'), None);
        assert_eq!(w.kind_of(' '), None);
        assert_eq!(w.kind_of('١'), None);
        assert_eq!(w.kind_of('~'), Some(Kind::Symbol));
    }

    #[test]
    fn samba_puts_every_non_ascii_character_its_tables_do_not_case_in_the_fifth_kind() {
        let s = Classifier::Samba;
        assert_eq!(s.kind_of('€'), Some(Kind::OtherAlpha));
        assert_eq!(s.kind_of('😀'), Some(Kind::OtherAlpha));
        assert_eq!(s.kind_of('Ж'), Some(Kind::Upper));
        assert_eq!(s.kind_of('ж'), Some(Kind::Lower));
        assert_eq!(s.kind_of(' '), None);
        // Cased for Unicode, not for Samba's tables (docs/policy.md §2).
        for c in ['ß', 'ŉ', 'ǅ', 'İ', 'ı', 'Ⴀ', 'ẞ', '𐐀'] {
            assert_eq!(s.kind_of(c), Some(Kind::OtherAlpha), "{c}");
        }
        // The runs: the first and last character of a run, an alternating run, and just past one.
        assert_eq!(s.kind_of('\u{C0}'), Some(Kind::Upper));
        assert_eq!(s.kind_of('\u{D6}'), Some(Kind::Upper));
        assert_eq!(s.kind_of('\u{D7}'), Some(Kind::OtherAlpha)); // ×
        assert_eq!(s.kind_of('\u{100}'), Some(Kind::Upper));
        assert_eq!(s.kind_of('\u{101}'), Some(Kind::Lower));
        assert_eq!(s.kind_of('\u{1C4}'), Some(Kind::Upper)); // Ǆ
        assert_eq!(s.kind_of('\u{1C6}'), Some(Kind::Lower)); // ǆ
        assert_eq!(s.kind_of('\u{FF21}'), Some(Kind::Upper)); // Ａ
        assert_eq!(s.kind_of('\u{FF41}'), Some(Kind::Lower)); // ａ
        assert_eq!(s.kind_of('\u{FFFF}'), Some(Kind::OtherAlpha));
    }

    #[test]
    fn entra_space_is_a_symbol_and_unicode_is_nothing() {
        assert_eq!(Classifier::Entra.kind_of(' '), Some(Kind::Symbol));
        assert_eq!(Classifier::Entra.kind_of('é'), None);
    }

    #[test]
    fn every_profile_classifies_ascii_alike_except_entra_space() {
        for c in (0u8..128).map(char::from) {
            let kinds =
                [Classifier::Windows, Classifier::Samba, Classifier::Entra].map(|p| p.kind_of(c));
            if c == ' ' {
                assert_eq!(kinds, [None, None, Some(Kind::Symbol)]);
            } else {
                assert!(kinds.iter().all(|k| *k == kinds[0]), "{c:?}");
            }
        }
    }

    #[test]
    fn samba_runs_are_sorted_and_in_range() {
        let runs = &crate::rules::samba_case::RUNS;
        for pair in runs.windows(2) {
            let end = (pair[0] >> 16) + ((pair[0] >> 8) & 0xFF);
            assert!(
                end <= pair[1] >> 16,
                "{:08X} overlaps {:08X}",
                pair[0],
                pair[1]
            );
        }
        assert!(runs.iter().all(|r| r >> 16 >= 0x80 && (r >> 8) & 0xFF > 0));
    }
}
