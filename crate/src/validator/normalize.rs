//! Entra Password Protection normalisation (docs/policy.md §3.3 step 1): lower case, then
//! `0→o 1→l 2→z $→s @→a`. One byte per code point so positions stay code-point positions.
use zeroize::Zeroizing;

/// A non-ASCII code point in a password. Never equal to a term byte, so it can only be absorbed by
/// the one allowed mismatch of a fuzzy match.
pub(crate) const FOREIGN_IN_PASSWORD: u8 = 0xFF;
/// A non-ASCII code point in a term (a different byte, for the same reason).
pub(crate) const FOREIGN_IN_TERM: u8 = 0xFE;

fn normalize_ascii(b: u8) -> u8 {
    match b.to_ascii_lowercase() {
        b'0' => b'o',
        b'1' => b'l',
        b'2' => b'z',
        b'$' => b's',
        b'@' => b'a',
        other => other,
    }
}

fn normalize_with(s: &str, foreign: u8, out: &mut Vec<u8>) {
    out.clear();
    out.extend(s.chars().map(|c| {
        if c.is_ascii() {
            normalize_ascii(c as u8)
        } else {
            foreign
        }
    }));
}

/// Normalised term (a list entry or a name).
pub(crate) fn normalize_term(term: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(term.len());
    normalize_with(term, FOREIGN_IN_TERM, &mut out);
    out
}

/// Normalised password; zeroized when dropped.
pub(crate) fn normalize_password(password: &str) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(password.len()));
    normalize_with(password, FOREIGN_IN_PASSWORD, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_the_substitution_table() {
        assert_eq!(
            normalize_password("C0ntos0Blank12").as_slice(),
            b"contosoblanklz"
        );
        assert_eq!(normalize_password("P@$$w0rd").as_slice(), b"password");
        assert_eq!(normalize_term("Company2024"), b"companyzoz4");
    }

    #[test]
    fn foreign_code_points_never_match_each_other() {
        assert_eq!(
            normalize_password("ü😀").as_slice(),
            [FOREIGN_IN_PASSWORD, FOREIGN_IN_PASSWORD]
        );
        assert_eq!(normalize_term("ü"), [FOREIGN_IN_TERM]);
    }
}
