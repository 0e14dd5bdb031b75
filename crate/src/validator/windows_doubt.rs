//! Where a Windows DC's complexity verdict is a guess: characters Microsoft does not document
//! (spaces, non-ASCII digits, title-case letters, letters outside Latin, Greek and Cyrillic).
use crate::rules::Kind;
use crate::unicode_class::{is_decimal_digit, is_space_separator, letter, Letter};

/// Why a Windows verdict about this character is a guess, if it is.
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

/// What Windows might count `c` as if the guess is wrong.
pub(crate) fn alternative_kind(c: char) -> Option<Kind> {
    if is_space_separator(c) {
        Some(Kind::Symbol)
    } else if is_decimal_digit(c) {
        Some(Kind::Digit)
    } else if letter(c) == Some(Letter::Title) {
        Some(Kind::Upper)
    } else {
        None
    }
}

/// Latin, Greek and Cyrillic blocks: the letters Microsoft documents explicitly.
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
    fn doubt_flags_cjk_but_not_cyrillic() {
        assert!(windows_doubt('密').is_some());
        assert!(windows_doubt('Ж').is_none());
        assert!(windows_doubt('a').is_none());
    }
}
