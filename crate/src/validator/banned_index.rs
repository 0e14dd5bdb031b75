//! An index of normalised banned terms for the banned-password model (docs/policy.md §3.3):
//! * whole-password edit distance ≤ 1: if the password is one edit away from a term of length m,
//!   its first ⌊m/2⌋ or its last ⌈m/2⌉ code points equal the term's (the edit is in the other
//!   half). Terms are keyed by (length, half); a call does ≤ 7 lookups, then verifies candidates;
//! * one-mismatch (Hamming ≤ 1) occurrences through the two exact halves of each term: a window
//!   with at most one mismatch matches one half exactly. Halves are found by sliding a window of
//!   each distinct half length over the password and looking it up in a hash map (terms are short,
//!   so there are only a few lengths). This replaced an Aho-Corasick automaton, whose crate added
//!   ~70 KB to the wasm build (the size budget of docs/toolchain.md §2) for no measurable gain on
//!   16-character input.
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use zeroize::Zeroize;

use super::normalize::normalize_term;

/// Fuzzy matching (edit distance / one mismatch) applies only to terms this long; shorter terms must
/// match exactly (one mismatch in a 3-letter word would match almost anything; a PassDesk decision,
/// docs/policy.md §3.3 step 3).
pub(crate) const FUZZY_MIN_LEN: usize = 4;

/// Where a term comes from (for the message a technician sees).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TermSource {
    Global,
    Custom,
    GivenName,
    Surname,
    Tenant,
}

#[derive(Debug, Clone)]
pub(crate) struct Term {
    pub(crate) normalized: Box<[u8]>,
    /// As configured (shown in messages; list entries and names are not secrets).
    pub(crate) shown: String,
    pub(crate) source: TermSource,
}

/// One term found in the normalised password, as code-point positions `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Occurrence {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) term: u32,
    /// No mismatch (preferred when several terms occur at the same place).
    pub(crate) exact: bool,
}

/// A multiply-rotate hasher over 8-byte words (FxHash-style): keys are short byte strings looked
/// up on every keystroke, where SipHash's per-byte cost dominates. Not DoS-resistant, which does
/// not matter here: the keys come from the tenant's own policy.
#[derive(Default)]
struct WordHasher(u64);

impl WordHasher {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }
}

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.mix(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.mix(n);
    }
    fn write_u32(&mut self, n: u32) {
        self.mix(u64::from(n));
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<WordHasher>>;

#[derive(Debug, Clone)]
pub(crate) struct BannedIndex {
    terms: Vec<Term>,
    exact: FastMap<Box<[u8]>, u32>,
    /// Fuzzy terms keyed by `half ++ [length, side]` (side 0: first ⌊m/2⌋, 1: last ⌈m/2⌉).
    by_half: FastMap<Box<[u8]>, Vec<u32>>,
    min_len: usize,
    max_len: usize,
    /// `lengths[n]`: some term has n code points; `fuzzy_lengths[n]`: some fuzzy term has.
    lengths: Vec<bool>,
    fuzzy_lengths: Vec<bool>,
    /// Exact halves of fuzzy terms (whole short terms), keyed by [`half_word`] and length → the
    /// terms they are part of, with the half's offset inside each. Integer keys: one lookup per
    /// window and half length on every keystroke, so hashing and comparing must be cheap.
    half_owners: FastMap<(u64, u32), Vec<(u32, u32)>>,
    /// The distinct lengths of the keys of `half_owners`, longest first.
    half_lengths: Vec<usize>,
    /// One bit per [`filter_slot`] of a key of `half_owners`: most windows match no half, and a
    /// bit test rejects them faster than a map lookup.
    half_filter: Box<[u64]>,
}

impl BannedIndex {
    /// Builds the index; empty and duplicate normalised terms are dropped (first one kept).
    pub(crate) fn new<'a>(entries: impl IntoIterator<Item = (&'a str, TermSource)>) -> Self {
        let mut terms = Vec::new();
        let mut seen = HashSet::new();
        for (shown, source) in entries {
            let normalized = normalize_term(shown.trim());
            if normalized.is_empty() || !seen.insert(normalized.clone()) {
                continue;
            }
            terms.push(Term {
                normalized: normalized.into_boxed_slice(),
                shown: shown.trim().to_string(),
                source,
            });
        }
        Self::from_terms(terms)
    }

    fn from_terms(terms: Vec<Term>) -> Self {
        let mut exact = FastMap::default();
        let mut by_half: FastMap<Box<[u8]>, Vec<u32>> = FastMap::default();
        let mut half_owners: FastMap<(u64, u32), Vec<(u32, u32)>> = FastMap::default();
        let mut half_lengths: Vec<usize> = Vec::new();
        let (mut min_len, mut max_len) = (usize::MAX, 0);
        let longest = terms.iter().map(|t| t.normalized.len()).max().unwrap_or(0);
        let mut lengths = vec![false; longest + 1];
        let mut fuzzy_lengths = vec![false; longest + 1];

        for (id, term) in terms.iter().enumerate() {
            let id = id as u32;
            let t = &term.normalized;
            min_len = min_len.min(t.len());
            max_len = max_len.max(t.len());
            exact.entry(t.clone()).or_insert(id);
            lengths[t.len()] = true;
            fuzzy_lengths[t.len()] |= t.len() >= FUZZY_MIN_LEN;
            let pieces: Vec<(usize, usize)> = if t.len() >= FUZZY_MIN_LEN {
                let (prefix, suffix) = edit_halves(t, t.len());
                by_half
                    .entry(half_key(prefix, t.len(), 0))
                    .or_default()
                    .push(id);
                by_half
                    .entry(half_key(suffix, t.len(), 1))
                    .or_default()
                    .push(id);
                let mid = t.len() / 2;
                vec![(0, mid), (mid, t.len())]
            } else {
                vec![(0, t.len())]
            };
            for (from, to) in pieces {
                half_owners
                    .entry((half_word(&t[from..to]), (to - from) as u32))
                    .or_default()
                    .push((id, from as u32));
                if !half_lengths.contains(&(to - from)) {
                    half_lengths.push(to - from);
                }
            }
        }
        half_lengths.sort_unstable_by(|a, b| b.cmp(a));
        let mut half_filter = vec![0u64; (1 << FILTER_BITS) / 64].into_boxed_slice();
        for &(word, h) in half_owners.keys() {
            let slot = filter_slot(word, h as usize);
            half_filter[slot / 64] |= 1 << (slot % 64);
        }
        Self {
            terms,
            exact,
            by_half,
            min_len: if min_len == usize::MAX { 0 } else { min_len },
            max_len,
            lengths,
            fuzzy_lengths,
            half_owners,
            half_lengths,
            half_filter,
        }
    }

    pub(crate) fn term(&self, id: u32) -> &Term {
        &self.terms[id as usize]
    }

    /// A term within edit distance 1 of the whole normalised password (exact for short terms).
    pub(crate) fn whole_match(&self, pw: &[u8]) -> Option<u32> {
        if self.terms.is_empty() || pw.len() + 1 < self.min_len || pw.len() > self.max_len + 1 {
            return None;
        }
        let n = pw.len();
        let has = |table: &[bool], len: usize| table.get(len).copied().unwrap_or(false);
        if has(&self.lengths, n) {
            if let Some(&id) = self.exact.get(pw) {
                return Some(id);
            }
        }
        // Terms of length n-1, n, n+1 (only lengths some fuzzy term has: most are skipped).
        for m in n.saturating_sub(1)..=n + 1 {
            if m < FUZZY_MIN_LEN || !has(&self.fuzzy_lengths, m) || m / 2 > n || m - m / 2 > n {
                continue;
            }
            let (prefix, _) = edit_halves(pw, m);
            let suffix = &pw[n - (m - m / 2)..];
            for (side, half) in [(0u8, prefix), (1u8, suffix)] {
                if let Some(id) = self.half_candidate(pw, half, m, side) {
                    return Some(id);
                }
            }
        }
        None
    }

    /// A term of length `m` whose `side` half equals `half` and that is within one edit of `pw`.
    fn half_candidate(&self, pw: &[u8], half: &[u8], m: usize, side: u8) -> Option<u32> {
        // The key holds part of the password: build it on the stack and wipe it after the lookup.
        let mut stack = [0u8; 64];
        let len = half.len() + 2;
        let found = if len <= stack.len() {
            stack[..half.len()].copy_from_slice(half);
            stack[half.len()] = length_tag(m);
            stack[half.len() + 1] = side;
            let found = self.by_half.get(&stack[..len]);
            stack[..len].zeroize();
            found
        } else {
            let mut key = half_key(half, m, side);
            let found = self.by_half.get(key.as_ref());
            key.zeroize();
            found
        };
        found?
            .iter()
            .copied()
            .find(|&id| within_one_edit(pw, &self.terms[id as usize].normalized))
    }

    /// Appends every (start, term) where the term occurs with at most one mismatch (exactly, for
    /// short terms).
    pub(crate) fn occurrences(&self, pw: &[u8], out: &mut Vec<Occurrence>) {
        // By end position, then longest half first: every exact occurrence of every half, each
        // extended to its terms and checked for at most one mismatch.
        for end in 1..=pw.len() {
            for &h in self.half_lengths.iter().filter(|&&h| h <= end) {
                let window = &pw[end - h..end];
                let word = window_word(pw, end - h, h);
                let slot = filter_slot(word, h);
                if self.half_filter[slot / 64] & (1 << (slot % 64)) == 0 {
                    continue;
                }
                let Some(owners) = self.half_owners.get(&(word, h as u32)) else {
                    continue;
                };
                for &(term_id, offset) in owners {
                    let Some(start) = (end - h).checked_sub(offset as usize) else {
                        continue;
                    };
                    let t = &self.terms[term_id as usize].normalized;
                    // The key holds only 8 bytes of a longer half: check the rest.
                    if h > 8 && t[offset as usize..offset as usize + h] != *window {
                        continue;
                    }
                    let stop = start + t.len();
                    if stop > pw.len() {
                        continue;
                    }
                    let allowed = usize::from(t.len() >= FUZZY_MIN_LEN);
                    if let Some(mismatches) = mismatches_within(&pw[start..stop], t, allowed) {
                        out.push(Occurrence {
                            start,
                            end: stop,
                            term: term_id,
                            exact: mismatches == 0,
                        });
                    }
                }
            }
        }
    }
}

/// The first ⌊m/2⌋ and the last ⌈m/2⌉ code points of a term of length m; for a password, only the
/// first part is taken this way (its suffix is cut from its own end).
fn edit_halves(s: &[u8], m: usize) -> (&[u8], &[u8]) {
    let h = (m / 2).min(s.len());
    (&s[..h], &s[h..])
}

/// The first (up to) 8 bytes of a half, little-endian, zero-padded.
fn half_word(half: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    let n = half.len().min(8);
    word[..n].copy_from_slice(&half[..n]);
    u64::from_le_bytes(word)
}

/// `half_word` of `pw[start..start + h]`, reading 8 bytes at once where the password allows.
fn window_word(pw: &[u8], start: usize, h: usize) -> u64 {
    let Some(Ok(eight)) = pw.get(start..start + 8).map(<[u8; 8]>::try_from) else {
        return half_word(&pw[start..start + h]);
    };
    let word = u64::from_le_bytes(eight);
    if h >= 8 {
        word
    } else {
        word & ((1 << (8 * h)) - 1)
    }
}

/// Size of the half prefilter: 2^16 bits (8 KB), sparse for a few thousand halves.
const FILTER_BITS: u32 = 16;

/// Where a half (its `half_word` and length) sits in the prefilter.
fn filter_slot(word: u64, h: usize) -> usize {
    ((word ^ h as u64).wrapping_mul(WordHasher::K) >> (64 - FILTER_BITS)) as usize
}

fn half_key(half: &[u8], m: usize, side: u8) -> Box<[u8]> {
    let mut key = Vec::with_capacity(half.len() + 2);
    key.extend_from_slice(half);
    key.push(length_tag(m));
    key.push(side);
    key.into_boxed_slice()
}

/// Term lengths beyond 255 wrap; that can only add a candidate, which is verified anyway.
fn length_tag(m: usize) -> u8 {
    (m % 256) as u8
}

/// Levenshtein distance ≤ 1, in one pass.
fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let common_prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        // Everything after the first mismatch must be equal.
        common_prefix == short.len() || short[common_prefix + 1..] == long[common_prefix + 1..]
    } else {
        // Skip one code point of the longer one at the first mismatch.
        short[common_prefix..] == long[common_prefix + 1..]
    }
}

/// Number of mismatches, if at most `allowed`.
fn mismatches_within(window: &[u8], term: &[u8], allowed: usize) -> Option<usize> {
    let mut found = 0;
    for (a, b) in window.iter().zip(term) {
        if a != b {
            found += 1;
            if found > allowed {
                return None;
            }
        }
    }
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(terms: &[&str]) -> BannedIndex {
        BannedIndex::new(terms.iter().map(|t| (*t, TermSource::Global)))
    }

    #[test]
    fn whole_password_edit_distance_one() {
        let ix = index(&["abcdef", "blank"]);
        for pw in [
            "abcdef", "abcdeg", "abcdefg", "abcde", "xabcdef", "bcdef", "blank", "blanks", "blan",
        ] {
            assert!(ix.whole_match(pw.as_bytes()).is_some(), "{pw}");
        }
        for pw in ["abcd", "abcdefgh", "abcxyz", "ab", "", "bla"] {
            assert!(ix.whole_match(pw.as_bytes()).is_none(), "{pw}");
        }
    }

    #[test]
    fn occurrences_allow_one_mismatch_but_no_insertion() {
        let ix = index(&["contoso", "blank"]);
        let mut out = Vec::new();
        ix.occurrences(b"blankcon7oso!zz", &mut out);
        out.sort_by_key(|o| o.start);
        out.dedup_by_key(|o| (o.start, o.end));
        assert_eq!(
            out.iter().map(|o| (o.start, o.end)).collect::<Vec<_>>(),
            [(0, 5), (5, 12)]
        );
        out.clear();
        ix.occurrences(b"blaxnk", &mut out); // an insertion inside is not an occurrence
        assert!(out.is_empty());
    }

    #[test]
    fn one_edit_check() {
        assert!(within_one_edit(b"abcdef", b"abcdeg"));
        assert!(within_one_edit(b"abcdef", b"abcde"));
        assert!(within_one_edit(b"abcdef", b"xabcdef"));
        assert!(within_one_edit(b"abcdef", b"abxdef"));
        assert!(!within_one_edit(b"abcdef", b"abxxef"));
        assert!(!within_one_edit(b"abcdef", b"abcdefgh"));
        assert!(within_one_edit(b"", b"a"));
    }

    #[test]
    fn short_terms_match_exactly_only() {
        let ix = index(&["abc"]);
        let mut out = Vec::new();
        ix.occurrences(b"xabdx", &mut out);
        assert!(out.is_empty());
        ix.occurrences(b"xabcx", &mut out);
        assert_eq!(out.len(), 1);
        assert!(ix.whole_match(b"abd").is_none());
        assert!(ix.whole_match(b"abc").is_some());
    }
}
