//! Entropy of a generator configuration: log2 of the number of equally likely outputs that pass the
//! policy's *shape* rules (length, character kinds). The output is uniform over that set, because
//! whole candidates are redrawn until compliant. Name, banned-term and blocklist rejections remove a
//! further, tiny share of outputs that is not modelled (so the figure is a slight over-estimate
//! whenever such a rule fires).
use std::sync::OnceLock;

use super::charset::Alphabet;
use super::options::{ValidPassphraseOptions, WORD_COUNT};
use super::wordlist::{wordlist, WordList, MAX_WORD_LEN};
use super::WordSize;

/// Complex password: `length·log2(|alphabet|) + log2(p)`, where `p` is the exact share of strings
/// that contain at least `kinds_needed` of the alphabet's classes (inclusion–exclusion over the
/// classes). `kinds_needed = 0` means no kind rule (`p = 1`).
pub(crate) fn password_bits(alphabet: &Alphabet, length: usize, kinds_needed: u32) -> f64 {
    let size = alphabet.chars().len() as f64;
    length as f64 * size.log2() + acceptance(alphabet, length, kinds_needed).log2()
}

/// Share of uniform strings of `length` over `alphabet` that use at least `needed` classes.
pub(crate) fn acceptance(alphabet: &Alphabet, length: usize, needed: u32) -> f64 {
    let classes = alphabet.classes();
    let total = alphabet.chars().len() as f64;
    let all = (1u32 << classes.len()) - 1;
    // exactly(S) = Σ_{T⊆S} (-1)^{|S∖T|} (|T|/|A|)^L: share of strings whose set of classes is S.
    let share_within = |mask: u32| -> f64 {
        let n: usize = (0..classes.len()).filter(|i| mask & (1 << i) != 0).map(|i| classes[i].1).sum();
        (n as f64 / total).powi(length as i32)
    };
    let mut accepted = 0.0;
    for set in 1..=all {
        if set.count_ones() < needed {
            continue;
        }
        let mut exactly = 0.0;
        let mut sub = set;
        loop {
            let sign = if (set.count_ones() - sub.count_ones()) % 2 == 0 { 1.0 } else { -1.0 };
            exactly += sign * share_within(sub);
            if sub == 0 {
                break;
            }
            sub = (sub - 1) & set;
        }
        accepted += exactly;
    }
    accepted.clamp(f64::MIN_POSITIVE, 1.0)
}

/// How many digits `numbers: true` inserts into a passphrase.
pub(crate) const INSERTED_DIGITS: usize = 2;

/// Passphrase: log2 of Σ over word sequences whose length passes the policy minimum of
/// `C(n + D, D) · 10^D`, where `n` is the phrase's length in characters and `D` the number of
/// inserted digits (0 when `numbers` is off).
///
/// Why `C(n + D, D)·10^D`: each digit goes into one of the gaps of the phrase as it stands (n+1, then
/// n+2, ...), so a final string with digits at a given set of positions arises from exactly `D!`
/// insertion orders: the insertion makes every set of digit positions and values equally likely.
/// Capitalisation is fixed (first letter of every word), so it adds no entropy.
///
/// Counting draws as distinct strings assumes the output decodes uniquely, which holds for a
/// separator that is neither a letter nor a digit; with a letter or digit separator two draws can
/// occasionally spell the same string, and the figure is an upper bound.
///
/// `min_letters`: fewest letters (over all words) a compliant phrase needs.
pub(crate) fn passphrase_bits(opts: &ValidPassphraseOptions, min_letters: usize) -> f64 {
    let digits = if opts.numbers { INSERTED_DIGITS } else { 0 };
    let by_letters = letters_distribution(opts.word_size, opts.words);
    let digit_values = 10f64.powi(digits as i32);
    let mut outcomes = 0.0;
    for (letters, &sequences) in by_letters.iter().enumerate().skip(min_letters) {
        if sequences == 0.0 {
            continue;
        }
        let phrase_chars = letters + opts.words - 1;
        outcomes += sequences * binomial(phrase_chars + digits, digits) * digit_values;
    }
    outcomes.log2()
}

/// `C(n, k)` as a float (k is tiny).
fn binomial(n: usize, k: usize) -> f64 {
    (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

/// `result[L]` = number of `words`-word sequences with `L` letters in all. Cached per list and word
/// count (at most 20 × 181 floats per list), so a generation call does no convolution.
fn letters_distribution(size: WordSize, words: usize) -> &'static [f64] {
    static LONG: OnceLock<Vec<Vec<f64>>> = OnceLock::new();
    static SHORT: OnceLock<Vec<Vec<f64>>> = OnceLock::new();
    let cell = match size {
        WordSize::Long => &LONG,
        WordSize::Short => &SHORT,
    };
    &cell.get_or_init(|| all_distributions(wordlist(size)))[words]
}

fn all_distributions(list: &WordList) -> Vec<Vec<f64>> {
    let max_words = *WORD_COUNT.end() as usize;
    let mut table = vec![vec![1.0]]; // zero words: one empty sequence with 0 letters
    for k in 1..=max_words {
        let previous = &table[k - 1];
        let mut next = vec![0.0; k * MAX_WORD_LEN + 1];
        for (letters, &count) in previous.iter().enumerate() {
            if count == 0.0 {
                continue;
            }
            for (word_len, &words) in list.count_by_len().iter().enumerate() {
                next[letters + word_len] += count * f64::from(words);
            }
        }
        table.push(next);
    }
    table
}
