//! A password folded to lower case, one entry per code point, with UTF-16 offsets for spans.
//!
//! This is the crate's own copy of the password: it is zeroized when dropped.
use zeroize::{Zeroize, Zeroizing};

/// Simple case folding of one code point (one code point in, one out), as used for AD names.
/// Code points whose lower case is longer than one code point (e.g. `İ`) stay as they are, which is
/// what simple folding does; final sigma folds to σ.
pub(crate) fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    if c == 'ς' {
        return 'σ';
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Folds a whole name (not secret) into code points.
pub(crate) fn fold_str(s: &str) -> Vec<char> {
    s.chars().map(fold_char).collect()
}

#[derive(Clone, Copy, Default)]
struct Unit {
    ch: char,
    /// UTF-16 offset of this code point in the original password.
    at16: u32,
}

impl Zeroize for Unit {
    fn zeroize(&mut self) {
        self.ch.zeroize();
        self.at16.zeroize();
    }
}

/// Folded password: searchable by code point, reporting UTF-16 spans.
pub(crate) struct FoldedPassword {
    units: Zeroizing<Vec<Unit>>,
    len16: u32,
}

impl FoldedPassword {
    pub(crate) fn new(password: &str) -> Self {
        let mut units = Zeroizing::new(Vec::with_capacity(password.len()));
        let mut at16: u32 = 0;
        for c in password.chars() {
            units.push(Unit {
                ch: fold_char(c),
                at16,
            });
            // Saturate: a &str is at most isize::MAX bytes, but never let arithmetic panic.
            at16 = at16.saturating_add(c.len_utf16() as u32);
        }
        Self { units, len16: at16 }
    }

    /// Length in UTF-16 code units.
    #[cfg(test)]
    pub(crate) fn len16(&self) -> u32 {
        self.len16
    }

    /// Index (in code points) of the first occurrence of `needle`, if any.
    pub(crate) fn find(&self, needle: &[char]) -> Option<usize> {
        if needle.is_empty() || needle.len() > self.units.len() {
            return None;
        }
        let first = needle[0];
        (0..=self.units.len() - needle.len()).find(|&start| {
            self.units[start].ch == first
                && self.units[start + 1..start + needle.len()]
                    .iter()
                    .zip(&needle[1..])
                    .all(|(u, n)| u.ch == *n)
        })
    }

    /// UTF-16 span `[start, end)` of code points `start..end`.
    pub(crate) fn span16(&self, start: usize, end: usize) -> [u32; 2] {
        let offset = |i: usize| self.units.get(i).map_or(self.len16, |u| u.at16);
        [offset(start), offset(end)]
    }
}

/// UTF-16 span of code points `start..end` of `s` (for profiles that do not keep a [`FoldedPassword`]).
pub(crate) fn utf16_span(s: &str, start: usize, end: usize) -> [u32; 2] {
    let mut from = None;
    let mut at16: u32 = 0;
    for (i, c) in s.chars().enumerate() {
        if i == start {
            from = Some(at16);
        }
        if i == end {
            return [from.unwrap_or(at16), at16];
        }
        at16 = at16.saturating_add(c.len_utf16() as u32);
    }
    [from.unwrap_or(at16), at16]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_folded_names_with_utf16_spans() {
        let p = FoldedPassword::new("😀MÜLLER#1");
        let needle = fold_str("müller");
        let at = p.find(&needle).unwrap();
        assert_eq!(at, 1);
        assert_eq!(p.span16(at, at + needle.len()), [2, 8]);
        assert_eq!(p.len16(), 10);
    }

    #[test]
    fn utf16_span_counts_astral_as_two() {
        assert_eq!(utf16_span("a😀bc", 2, 4), [3, 5]);
        assert_eq!(utf16_span("abc", 0, 3), [0, 3]);
        assert_eq!(utf16_span("", 0, 0), [0, 0]);
    }

    #[test]
    fn fold_keeps_multi_char_lowercase_unchanged() {
        assert_eq!(fold_char('İ'), 'İ');
        assert_eq!(fold_char('Σ'), 'σ');
        assert_eq!(fold_char('ς'), 'σ');
    }
}
