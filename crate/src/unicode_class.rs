//! The few Unicode general categories the Windows complexity rule needs (its classifier in
//! `rules/kinds.rs` and the doubts in `validator/windows_doubt.rs`). Samba does not use them: it
//! decides by its own case tables (`rules/samba_case.rs`).
//!
//! Why not a general-category table: a full one costs ~40 KB of wasm (the size budget of
//! docs/toolchain.md §2), while std already links the Uppercase / Lowercase / Alphabetic property
//! tables (for case folding). Letters are therefore approximated from those properties; verdicts on
//! characters Microsoft does not document are marked uncertain anyway (docs/policy.md §1.2):
//! * Lu ≈ Uppercase, Ll ≈ Lowercase. The properties also hold for a few non-letters (circled
//!   letters Ⓐ ⓐ, Roman numerals Ⅰ ⅰ) and some modifier letters (ʰ, ª), which a password would
//!   only contain next to ordinary cased letters;
//! * Lo / Lm ≈ Alphabetic but neither case, minus the generic combining-mark blocks. Alphabetic also
//!   holds for letter numbers (Nl, e.g. runic) and the vowel signs of Brahmic scripts (Mc / Mn),
//!   which only ever follow letters of their own script, already counted as Lo;
//! * Lt, Nd and Zs are small, stable sets: listed exactly (from the Unicode 16 tables).
//!
//! std may follow a newer Unicode version than these lists; that only adds newly assigned letters.

/// A letter's case class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Letter {
    /// Lu.
    Upper,
    /// Ll.
    Lower,
    /// Lt (e.g. `ǅ`).
    Title,
    /// Lo and Lm: letters without case (e.g. CJK, Arabic).
    Uncased,
}

/// The letter class of `c`, or `None` for anything that is not a letter.
pub(crate) fn letter(c: char) -> Option<Letter> {
    if c.is_uppercase() {
        Some(Letter::Upper)
    } else if c.is_lowercase() {
        Some(Letter::Lower)
    } else if is_titlecase(c) {
        Some(Letter::Title)
    } else if c.is_alphabetic() && !is_generic_combining_mark(c) {
        Some(Letter::Uncased)
    } else {
        None
    }
}

/// Lt: 31 code points, unchanged since Unicode 4.
fn is_titlecase(c: char) -> bool {
    matches!(c as u32,
        0x01C5 | 0x01C8 | 0x01CB | 0x01F2 | 0x1F88..=0x1F8F | 0x1F98..=0x1F9F | 0x1FA8..=0x1FAF
        | 0x1FBC | 0x1FCC | 0x1FFC)
}

/// The script-independent combining-mark blocks (some of their marks are Alphabetic).
fn is_generic_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// First code point of every run of ten Nd digits (Nd always comes in 0–9 runs), sorted.
const DIGIT_RUNS: [u32; 76] = [
    0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10, 0x104A0, 0x10D30, 0x10D40, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450,
    0x114D0, 0x11650, 0x116C0, 0x116D0, 0x116DA, 0x11730, 0x118E0, 0x11950, 0x11BF0, 0x11C50,
    0x11D50, 0x11DA0, 0x11F50, 0x16130, 0x16A60, 0x16AC0, 0x16B50, 0x16D70, 0x1CCF0, 0x1D7CE,
    0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0, 0x1E5F1, 0x1E950, 0x1FBF0,
];

/// Nd: a decimal digit of any script (ASCII included).
pub(crate) fn is_decimal_digit(c: char) -> bool {
    let c = c as u32;
    // The last run starting at or before `c`.
    let runs_before = DIGIT_RUNS.partition_point(|&start| start <= c);
    runs_before > 0 && c - DIGIT_RUNS[runs_before - 1] < 10
}

/// Zs: the space separators (not tab / line breaks, which are Cc / Zl / Zp).
pub(crate) fn is_space_separator(c: char) -> bool {
    matches!(
        c as u32,
        0x0020 | 0x00A0 | 0x1680 | 0x2000..=0x200A | 0x202F | 0x205F | 0x3000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_examples() {
        assert_eq!(letter('Ü'), Some(Letter::Upper));
        assert_eq!(letter('ß'), Some(Letter::Lower));
        assert_eq!(letter('Ж'), Some(Letter::Upper));
        assert_eq!(letter('ω'), Some(Letter::Lower));
        assert_eq!(letter('密'), Some(Letter::Uncased));
        assert_eq!(letter('ع'), Some(Letter::Uncased));
        assert_eq!(letter('ǅ'), Some(Letter::Title));
        for c in ['€', '😀', '١', ' ', '\u{0301}', '5'] {
            assert_eq!(letter(c), None, "{c:?}");
        }
        assert!(is_decimal_digit('١') && is_decimal_digit('9') && is_decimal_digit('۰'));
        assert!(!is_decimal_digit('²') && !is_decimal_digit('a') && !is_decimal_digit('/'));
        assert!(is_space_separator('\u{3000}') && !is_space_separator('\t'));
    }
}
