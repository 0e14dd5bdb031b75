//! An index of normalised banned terms for model M1 (policy.md §3.3):
//! * whole-password edit distance ≤ 1: if the password is one edit away from a term of length m,
//!   its first ⌊m/2⌋ or its last ⌈m/2⌉ code points equal the term's (the edit is in the other
//!   half). Terms are keyed by (length, half); a call does ≤ 7 lookups, then verifies candidates;
//! * one-mismatch (Hamming ≤ 1) occurrences through an Aho-Corasick automaton over the two exact
//!   halves of each term: a window with at most one mismatch matches one half exactly.
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use zeroize::Zeroize;

use super::normalize::normalize_term;

/// Fuzzy matching (edit distance / one mismatch) applies only to terms this long; shorter terms must
/// match exactly (one mismatch in a 3-letter word would match almost anything) [D].
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
    /// Which index found it (the caller's tag).
    pub(crate) list: u8,
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
    halves: Option<AhoCorasick>,
    /// For each automaton pattern: the terms it is part of, and its offset inside each.
    half_owners: Vec<Vec<(u32, u32)>>,
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
        let mut pattern_ids: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        let mut half_owners: Vec<Vec<(u32, u32)>> = Vec::new();
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
                let piece = t[from..to].to_vec();
                let pid = *pattern_ids.entry(piece.clone()).or_insert_with(|| {
                    patterns.push(piece);
                    half_owners.push(Vec::new());
                    patterns.len() - 1
                });
                half_owners[pid].push((id, from as u32));
            }
        }
        // Building cannot fail for a few thousand short patterns; if it ever did, occurrences are
        // skipped rather than panicking (whole-password matching still works).
        let halves = if patterns.is_empty() {
            None
        } else {
            // A DFA: the fastest search, and its size is modest for halves of ≤ 1000 short terms.
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&patterns)
                .or_else(|_| {
                    AhoCorasick::builder()
                        .match_kind(MatchKind::Standard)
                        .build(&patterns)
                })
                .ok()
        };
        Self {
            terms,
            exact,
            by_half,
            min_len: if min_len == usize::MAX { 0 } else { min_len },
            max_len,
            lengths,
            fuzzy_lengths,
            halves,
            half_owners,
        }
    }

    pub(crate) fn term(&self, id: u32) -> &Term {
        &self.terms[id as usize]
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.terms.is_empty()
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
    pub(crate) fn occurrences(&self, pw: &[u8], list: u8, out: &mut Vec<Occurrence>) {
        let Some(ac) = &self.halves else { return };
        for m in ac.find_overlapping_iter(pw) {
            for &(term_id, offset) in &self.half_owners[m.pattern().as_usize()] {
                let Some(start) = m.start().checked_sub(offset as usize) else {
                    continue;
                };
                let t = &self.terms[term_id as usize].normalized;
                let end = start + t.len();
                if end > pw.len() {
                    continue;
                }
                let allowed = usize::from(t.len() >= FUZZY_MIN_LEN);
                if let Some(mismatches) = mismatches_within(&pw[start..end], t, allowed) {
                    out.push(Occurrence {
                        start,
                        end,
                        term: term_id,
                        list,
                        exact: mismatches == 0,
                    });
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
        ix.occurrences(b"blankcon7oso!zz", 0, &mut out);
        out.sort_by_key(|o| o.start);
        out.dedup_by_key(|o| (o.start, o.end));
        assert_eq!(
            out.iter().map(|o| (o.start, o.end)).collect::<Vec<_>>(),
            [(0, 5), (5, 12)]
        );
        out.clear();
        ix.occurrences(b"blaxnk", 0, &mut out); // an insertion inside is not an occurrence
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
        ix.occurrences(b"xabdx", 0, &mut out);
        assert!(out.is_empty());
        ix.occurrences(b"xabcx", 0, &mut out);
        assert_eq!(out.len(), 1);
        assert!(ix.whole_match(b"abd").is_none());
        assert!(ix.whole_match(b"abc").is_some());
    }
}
