//! The embedded EFF wordlists (see `crate/wordlists/NOTICE`), indexed once per process.
//!
//! The text is embedded with `include_str!`; the index is one offset table over that text, built
//! lazily on first use, so a generation call never allocates for the list.
use std::sync::OnceLock;

use super::WordSize;

const EFF_LONG: &str = include_str!("../../wordlists/eff_large_wordlist.txt");
const EFF_SHORT_1: &str = include_str!("../../wordlists/eff_short_wordlist_1.txt");

/// Longest word in either list (EFF long: 9 letters).
pub(crate) const MAX_WORD_LEN: usize = 9;

/// Where one word sits in the embedded text.
#[derive(Debug, Clone, Copy)]
struct WordSpan {
    start: u32,
    len: u8,
}

/// One parsed list: words are lower-case ASCII `a`–`z`, hyphenated entries dropped.
#[derive(Debug)]
pub struct WordList {
    text: &'static str,
    spans: Box<[WordSpan]>,
    /// `count_by_len[n]` = number of words with `n` letters.
    count_by_len: [u32; MAX_WORD_LEN + 1],
}

impl WordList {
    fn parse(text: &'static str) -> Self {
        let mut spans = Vec::with_capacity(text.len() / 4);
        let mut count_by_len = [0u32; MAX_WORD_LEN + 1];
        let mut start = 0usize;
        for line in text.split_inclusive('\n') {
            let word = line.trim_end_matches(['\n', '\r']);
            // Hyphenated words (drop-down, t-shirt, yo-yo, ...) would be ambiguous next to a `-`
            // separator, so they are left out, as Bitwarden does.
            if !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase()) {
                assert!(word.len() <= MAX_WORD_LEN, "embedded wordlist has an over-long word");
                spans.push(WordSpan { start: start as u32, len: word.len() as u8 });
                count_by_len[word.len()] += 1;
            }
            start += line.len();
        }
        WordList { text, spans: spans.into_boxed_slice(), count_by_len }
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Never true for the embedded lists.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The `index`-th word.
    pub fn word(&self, index: usize) -> &'static str {
        let span = self.spans[index];
        let start = span.start as usize;
        &self.text[start..start + span.len as usize]
    }

    /// All words, in list order.
    pub fn words(&self) -> impl Iterator<Item = &'static str> + '_ {
        (0..self.len()).map(|i| self.word(i))
    }

    /// `count_by_len()[n]` = number of words with `n` letters (index 0..=9).
    pub fn count_by_len(&self) -> &[u32; MAX_WORD_LEN + 1] {
        &self.count_by_len
    }

    /// Fewest letters of any word.
    pub fn min_word_len(&self) -> usize {
        self.count_by_len.iter().position(|&n| n > 0).unwrap_or(0)
    }

    /// Most letters of any word.
    pub fn max_word_len(&self) -> usize {
        self.count_by_len.iter().rposition(|&n| n > 0).unwrap_or(0)
    }
}

/// The list for a word size: EFF short list #1 for `Short`, the EFF long list for `Long`.
pub fn wordlist(size: WordSize) -> &'static WordList {
    static LONG: OnceLock<WordList> = OnceLock::new();
    static SHORT: OnceLock<WordList> = OnceLock::new();
    match size {
        WordSize::Long => LONG.get_or_init(|| WordList::parse(EFF_LONG)),
        WordSize::Short => SHORT.get_or_init(|| WordList::parse(EFF_SHORT_1)),
    }
}
