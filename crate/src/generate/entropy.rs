//! Entropy of a generator configuration: log2 of the number of equally likely outputs that pass the
//! policy's *shape* rules (length, character kinds). The output is uniform over that set, because
//! whole candidates are redrawn until compliant. Name, banned-term and blocklist rejections remove a
//! further, tiny share of outputs that is not modelled (so the figure is a slight over-estimate
//! whenever such a rule fires).
use std::sync::OnceLock;

use super::charset::{Alphabet, KindSizes};
use super::options::{ValidPassphraseOptions, WORD_COUNT};
use super::wordlist::{wordlist, WordList, MAX_WORD_LEN};
use super::WordSize;

/// Complex password: `length·log2(|alphabet|) + log2(p)`, where `p` is the exact share of strings
/// that contain at least `needed` of the alphabet's kinds (inclusion–exclusion over the kinds).
/// `kinds: None` means no kind rule (`p = 1`).
pub(crate) fn password_bits(
    alphabet: &Alphabet,
    length: usize,
    kinds: Option<(&KindSizes, u32)>,
) -> f64 {
    let size = alphabet.chars().len();
    let bits = length as f64 * (size as f64).log2();
    match kinds {
        Some((kinds, needed)) => bits + acceptance(kinds, size, length, needed).log2(),
        None => bits,
    }
}

/// Share of uniform strings of `length` over an alphabet of `total` characters, split into `kinds`,
/// that use at least `needed` kinds.
///
/// Inclusion–exclusion: with `within(T) = (|T|/|A|)^L` the share of strings using only the classes
/// in `T`, the share using exactly the classes `S` is `Σ_{T⊆S} (-1)^{|S∖T|} within(T)`. Summing over
/// every `S` with `|S| ≥ needed` and regrouping by `T` gives `Σ_T weight(|T|)·within(T)`, where
/// `weight(t) = Σ_{s ≥ max(needed, t)} C(m−t, s−t)·(-1)^{s−t}` only depends on `|T|`.
fn acceptance(kinds: &KindSizes, total: usize, length: usize, needed: u32) -> f64 {
    let classes = kinds.sizes();
    let m = classes.len();
    if needed as usize > m {
        return f64::MIN_POSITIVE;
    }
    let mut weight = [0f64; 6];
    for (t, w) in weight.iter_mut().enumerate().take(m + 1) {
        let mut sign = 1.0;
        for s in t..=m {
            if s >= needed as usize {
                *w += sign * binomial(m - t, s - t);
            }
            sign = -sign;
        }
    }
    let uncounted = kinds.uncounted();
    let total = total as f64;
    // Strings of characters that count for no kind use no kind at all (T = ∅).
    let mut accepted = if uncounted > 0 {
        weight[0] * (uncounted as f64 / total).powi(length as i32)
    } else {
        0.0
    };
    // size[T] built from size[T minus its lowest class]; bits[T] likewise (no popcount needed).
    let mut size = [0usize; 32];
    let mut bits = [0usize; 32];
    for mask in 1..(1usize << m) {
        let lowest = mask.trailing_zeros() as usize;
        let rest = mask & (mask - 1);
        size[mask] = size[rest] + classes[lowest].1;
        bits[mask] = bits[rest] + 1;
        accepted +=
            weight[bits[mask]] * ((size[mask] + uncounted) as f64 / total).powi(length as i32);
    }
    // The empty set only contributes to strings of length 0.
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

/// Share of word sequences with at least `min_letters` letters: the expected pass rate of the
/// length rule, used to explain an exhausted search.
pub(crate) fn passphrase_length_share(opts: &ValidPassphraseOptions, min_letters: usize) -> f64 {
    let by_letters = letters_distribution(opts.word_size, opts.words);
    let long_enough: f64 = by_letters.iter().skip(min_letters).sum();
    long_enough / by_letters.iter().sum::<f64>()
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
