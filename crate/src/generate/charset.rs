//! The complex-password alphabet: upper + lower always, digits and symbols on request, look-alikes
//! optionally left out. Everything is ASCII, so one byte is one character in every length unit.
use super::options::ValidPasswordOptions;
use crate::rules::{Classifier, Kind};

const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const DIGITS: &str = "0123456789";

/// Paste-safe symbols: all in the AD "special" list and allowed by Entra; no space, quote or backslash.
pub const SYMBOLS: &str = "!#%+-=?@_.:";

/// Characters that are easily confused when read aloud or in some fonts (`lookalikes: false`).
pub const LOOKALIKES: &str = "Il1|O0o";

/// `IS_LOOKALIKE[b]` for every ASCII byte (usable in `const fn`).
const IS_LOOKALIKE: [bool; 128] = {
    let mut table = [false; 128];
    let bytes = LOOKALIKES.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

/// Longest possible alphabet: 26 + 26 + 10 + symbols.
const MAX_ALPHABET: usize = 26 + 26 + 10 + SYMBOLS.len();

/// The alphabet for one set of options. It has no character kinds of its own: each classifier (the
/// validator's, `Classifier::ascii_kind`) tells them, so the generator counts kinds as the validator
/// does. Classified at compile time: a generation call does not classify its alphabet again.
#[derive(Debug, Clone)]
pub(crate) struct Alphabet {
    chars: [u8; MAX_ALPHABET],
    len: usize,
    /// Indexed by `Classifier as usize`.
    kinds: [KindSizes; 3],
}

/// Every alphabet, built at compile time, indexed by `numbers | symbols << 1 | lookalikes << 2`.
static ALPHABETS: [Alphabet; 8] = {
    let mut all = [Alphabet::EMPTY; 8];
    let mut i = 0;
    while i < 8 {
        all[i] = Alphabet::build(i & 1 != 0, i & 2 != 0, i & 4 != 0);
        i += 1;
    }
    all
};

/// How many characters of the alphabet fall in each kind, in order of first appearance.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KindSizes {
    sizes: [(Kind, usize); 5],
    count: usize,
    /// Characters that count for no kind.
    uncounted: usize,
}

impl KindSizes {
    const EMPTY: KindSizes = KindSizes {
        sizes: [(Kind::Upper, 0); 5],
        count: 0,
        uncounted: 0,
    };

    /// Non-empty kinds with their sizes.
    pub(crate) fn sizes(&self) -> &[(Kind, usize)] {
        &self.sizes[..self.count]
    }

    pub(crate) fn uncounted(&self) -> usize {
        self.uncounted
    }

    pub(crate) fn contains(&self, kind: Kind) -> bool {
        self.sizes().iter().any(|(k, _)| *k == kind)
    }
}

impl Alphabet {
    const EMPTY: Alphabet = Alphabet {
        chars: [0; MAX_ALPHABET],
        len: 0,
        kinds: [KindSizes::EMPTY; 3],
    };

    pub(crate) fn for_options(opts: &ValidPasswordOptions) -> &'static Self {
        &ALPHABETS[usize::from(opts.numbers)
            | usize::from(opts.symbols) << 1
            | usize::from(opts.lookalikes) << 2]
    }

    const fn build(numbers: bool, symbols: bool, lookalikes: bool) -> Self {
        let mut alphabet = Alphabet::EMPTY;
        alphabet = alphabet.with(UPPER.as_bytes(), lookalikes);
        alphabet = alphabet.with(LOWER.as_bytes(), lookalikes);
        if numbers {
            alphabet = alphabet.with(DIGITS.as_bytes(), lookalikes);
        }
        if symbols {
            alphabet = alphabet.with(SYMBOLS.as_bytes(), lookalikes);
        }
        let mut i = 0;
        while i < Classifier::ALL.len() {
            alphabet.kinds[i] = alphabet.classify(Classifier::ALL[i]);
            i += 1;
        }
        alphabet
    }

    const fn classify(&self, classifier: Classifier) -> KindSizes {
        let mut out = KindSizes::EMPTY;
        let mut i = 0;
        while i < self.len {
            match classifier.ascii_kind(self.chars[i]) {
                None => out.uncounted += 1,
                Some(kind) => {
                    let mut k = 0;
                    while k < out.count && out.sizes[k].0 as u8 != kind as u8 {
                        k += 1;
                    }
                    if k == out.count {
                        out.sizes[k] = (kind, 0);
                        out.count += 1;
                    }
                    out.sizes[k].1 += 1;
                }
            }
            i += 1;
        }
        out
    }

    const fn with(mut self, candidates: &[u8], lookalikes: bool) -> Self {
        let mut i = 0;
        while i < candidates.len() {
            let c = candidates[i];
            if lookalikes || !IS_LOOKALIKE[c as usize] {
                self.chars[self.len] = c;
                self.len += 1;
            }
            i += 1;
        }
        self
    }

    /// The characters, in a fixed order (so seeded tests are reproducible).
    pub(crate) fn chars(&self) -> &[u8] {
        &self.chars[..self.len]
    }

    /// The alphabet's kinds under `classifier` (the validator's).
    pub(crate) fn kinds(&self, classifier: Classifier) -> KindSizes {
        self.kinds[classifier as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_classifier_gives_every_alphabet_character_a_kind() {
        for alphabet in &ALPHABETS {
            for classifier in [Classifier::Windows, Classifier::Samba, Classifier::Entra] {
                let kinds = alphabet.kinds(classifier);
                let total: usize = kinds.sizes().iter().map(|(_, n)| n).sum();
                assert_eq!((total, kinds.uncounted()), (alphabet.chars().len(), 0));
                for (kind, size) in kinds.sizes() {
                    let counted = alphabet
                        .chars()
                        .iter()
                        .filter(|&&c| classifier.kind_of(char::from(c)) == Some(*kind))
                        .count();
                    assert_eq!(counted, *size, "{classifier:?} {kind:?}");
                }
            }
        }
        let all = &ALPHABETS[7];
        let kinds = all.kinds(Classifier::Windows);
        assert_eq!(
            kinds.sizes(),
            [
                (Kind::Upper, 26),
                (Kind::Lower, 26),
                (Kind::Digit, 10),
                (Kind::Symbol, SYMBOLS.len())
            ]
        );
    }
}
