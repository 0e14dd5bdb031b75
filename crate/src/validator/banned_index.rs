//! An index of normalised banned terms for model M1 (policy.md §3.3):
//! * whole-password edit distance ≤ 1 through hash sets of exact terms, one-deletion variants and
//!   position-tagged one-deletion variants (substitutions), so a call costs O(password length) lookups;
//! * one-mismatch (Hamming ≤ 1) occurrences through an Aho-Corasick automaton over the two exact
//!   halves of each term: a window with at most one mismatch matches one half exactly.
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use zeroize::Zeroizing;

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
    /// Fuzzy terms with one code point deleted (password one shorter than a term).
    deletions: FastMap<Box<[u8]>, u32>,
    /// Fuzzy terms with one code point deleted, the deleted position appended (same-length, one substitution).
    substitutions: FastMap<Box<[u8]>, u32>,
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
            terms.push(Term { normalized: normalized.into_boxed_slice(), shown: shown.trim().to_string(), source });
        }
        Self::from_terms(terms)
    }

    fn from_terms(terms: Vec<Term>) -> Self {
        let mut exact = FastMap::default();
        let mut deletions = FastMap::default();
        let mut substitutions = FastMap::default();
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
                for i in 0..t.len() {
                    let variant = delete_at(t, i);
                    deletions.entry(variant.clone().into_boxed_slice()).or_insert(id);
                    substitutions.entry(tag_position(variant, i).into_boxed_slice()).or_insert(id);
                }
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
                .or_else(|_| AhoCorasick::builder().match_kind(MatchKind::Standard).build(&patterns))
                .ok()
        };
        Self {
            terms,
            exact,
            deletions,
            substitutions,
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
        // Only lengths some term has can match; this skips most lookups.
        let has = |table: &[bool], len: usize| table.get(len).copied().unwrap_or(false);
        if has(&self.lengths, n) {
            if let Some(&id) = self.exact.get(pw) {
                return Some(id);
            }
        }
        if has(&self.fuzzy_lengths, n + 1) {
            if let Some(&id) = self.deletions.get(pw) {
                return Some(id); // one insertion into the password gives the term
            }
        }
        let try_extra = n >= 1 && has(&self.fuzzy_lengths, n - 1);
        let try_substitution = has(&self.fuzzy_lengths, n);
        if !try_extra && !try_substitution {
            return None;
        }
        // The password minus one code point (+ a position tag): on the stack for typical lengths.
        let mut stack = Zeroizing::new([0u8; 64]);
        let mut heap = Zeroizing::new(Vec::new());
        let scratch: &mut [u8] = if n + 1 <= stack.len() {
            &mut stack[..n + 1]
        } else {
            heap.resize(n + 1, 0);
            &mut heap[..]
        };
        for i in 0..n {
            scratch[..i].copy_from_slice(&pw[..i]);
            scratch[i..n - 1].copy_from_slice(&pw[i + 1..]);
            if try_extra {
                // One extra code point in the password.
                if let Some(&id) = self.exact.get(&scratch[..n - 1]) {
                    if self.terms[id as usize].normalized.len() >= FUZZY_MIN_LEN {
                        return Some(id);
                    }
                }
            }
            if try_substitution {
                // One substituted code point.
                scratch[n - 1] = position_tag(i);
                if let Some(&id) = self.substitutions.get(&scratch[..n]) {
                    return Some(id);
                }
            }
        }
        None
    }

    /// Appends every (start, term) where the term occurs with at most one mismatch (exactly, for
    /// short terms).
    pub(crate) fn occurrences(&self, pw: &[u8], list: u8, out: &mut Vec<Occurrence>) {
        let Some(ac) = &self.halves else { return };
        for m in ac.find_overlapping_iter(pw) {
            for &(term_id, offset) in &self.half_owners[m.pattern().as_usize()] {
                let Some(start) = m.start().checked_sub(offset as usize) else { continue };
                let t = &self.terms[term_id as usize].normalized;
                let end = start + t.len();
                if end > pw.len() {
                    continue;
                }
                let allowed = usize::from(t.len() >= FUZZY_MIN_LEN);
                if let Some(mismatches) = mismatches_within(&pw[start..end], t, allowed) {
                    out.push(Occurrence { start, end, term: term_id, list, exact: mismatches == 0 });
                }
            }
        }
    }
}

fn delete_at(t: &[u8], i: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(t.len());
    v.extend_from_slice(&t[..i]);
    v.extend_from_slice(&t[i + 1..]);
    v
}

fn tag_position(mut v: Vec<u8>, i: usize) -> Vec<u8> {
    v.push(position_tag(i));
    v
}

/// Terms are far shorter than 256 code points in practice; positions wrap rather than panic, which
/// can only add a spurious key collision for absurdly long terms.
fn position_tag(i: usize) -> u8 {
    (i % 256) as u8
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
        for pw in ["abcdef", "abcdeg", "abcdefg", "abcde", "xabcdef", "bcdef", "blank", "blanks", "blan"] {
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
        assert_eq!(out.iter().map(|o| (o.start, o.end)).collect::<Vec<_>>(), [(0, 5), (5, 12)]);
        out.clear();
        ix.occurrences(b"blaxnk", 0, &mut out); // an insertion inside is not an occurrence
        assert!(out.is_empty());
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
