//! The embedded EFF wordlists (see `crate/wordlists/NOTICE`), indexed once per process.
//!
//! The lists are embedded front-coded by `build.rs` (smaller wasm: the size budget of
//! docs/toolchain.md §2) and decoded lazily on first use into one text of all words plus an offset
//! table, so a generation call never allocates for the list.
use std::sync::OnceLock;

use super::WordSize;

const EFF_LONG: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/eff_large_wordlist.fc"));
const EFF_SHORT_1: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/eff_short_wordlist_1.fc"));

/// Longest word in either list (EFF long: 9 letters).
pub(crate) const MAX_WORD_LEN: usize = 9;

/// Where one word sits in the decoded text.
#[derive(Debug, Clone, Copy)]
struct WordSpan {
    start: u32,
    len: u8,
}

/// One decoded list: words are lower-case ASCII `a`–`z`, hyphenated entries dropped.
#[derive(Debug)]
pub struct WordList {
    /// All words, concatenated.
    text: String,
    spans: Box<[WordSpan]>,
    /// `count_by_len[n]` = number of words with `n` letters.
    count_by_len: [u32; MAX_WORD_LEN + 1],
}

impl WordList {
    /// Decodes `build.rs`'s front coding: a digit (letters shared with the previous word) starts
    /// each word, then come its own letters.
    fn decode(coded: &[u8]) -> Self {
        let mut text = String::with_capacity(coded.len() * 2);
        let mut spans = Vec::with_capacity(coded.len() / 4);
        let mut count_by_len = [0u32; MAX_WORD_LEN + 1];
        let mut word = String::with_capacity(MAX_WORD_LEN);
        let mut finish = |word: &str| {
            assert!(
                word.len() <= MAX_WORD_LEN,
                "embedded wordlist has an over-long word"
            );
            spans.push(WordSpan {
                start: text.len() as u32,
                len: word.len() as u8,
            });
            count_by_len[word.len()] += 1;
            text.push_str(word);
        };
        for (i, &b) in coded.iter().enumerate() {
            if b.is_ascii_digit() {
                if i > 0 {
                    finish(&word);
                }
                word.truncate(usize::from(b - b'0'));
            } else {
                word.push(char::from(b));
            }
        }
        if !coded.is_empty() {
            finish(&word);
        }
        WordList {
            text,
            spans: spans.into_boxed_slice(),
            count_by_len,
        }
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
    pub fn word(&self, index: usize) -> &str {
        let span = self.spans[index];
        let start = span.start as usize;
        &self.text[start..start + span.len as usize]
    }

    /// All words, in list order.
    pub fn words(&self) -> impl Iterator<Item = &str> + '_ {
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
        WordSize::Long => LONG.get_or_init(|| WordList::decode(EFF_LONG)),
        WordSize::Short => SHORT.get_or_init(|| WordList::decode(EFF_SHORT_1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The decoded lists are exactly the text files' words, in order, without hyphenated entries.
    #[test]
    fn decoding_restores_the_text_files() {
        for (size, text) in [
            (
                WordSize::Long,
                include_str!("../../wordlists/eff_large_wordlist.txt"),
            ),
            (
                WordSize::Short,
                include_str!("../../wordlists/eff_short_wordlist_1.txt"),
            ),
        ] {
            let expected: Vec<&str> = text
                .lines()
                .filter(|w| !w.is_empty() && !w.contains('-'))
                .collect();
            assert_eq!(wordlist(size).words().collect::<Vec<_>>(), expected);
        }
    }
}
