//! The complex-password alphabet: upper + lower always, digits and symbols on request, look-alikes
//! optionally left out. Everything is ASCII, so one byte is one character in every length unit.
use super::options::ValidPasswordOptions;

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

/// One class of the alphabet (they are disjoint).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CharClass {
    Upper,
    Lower,
    Digit,
    Symbol,
}

/// Longest possible alphabet: 26 + 26 + 10 + symbols.
const MAX_ALPHABET: usize = 26 + 26 + 10 + SYMBOLS.len();

/// The alphabet for one set of options, with the size of each class present.
#[derive(Debug, Clone)]
pub(crate) struct Alphabet {
    chars: [u8; MAX_ALPHABET],
    len: usize,
    /// (class, number of characters of that class), in a fixed order; only non-empty classes.
    classes: [(CharClass, usize); 4],
    class_count: usize,
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

impl Alphabet {
    const EMPTY: Alphabet =
        Alphabet { chars: [0; MAX_ALPHABET], len: 0, classes: [(CharClass::Upper, 0); 4], class_count: 0 };

    pub(crate) fn for_options(opts: &ValidPasswordOptions) -> &'static Self {
        &ALPHABETS[usize::from(opts.numbers) | usize::from(opts.symbols) << 1 | usize::from(opts.lookalikes) << 2]
    }

    const fn build(numbers: bool, symbols: bool, lookalikes: bool) -> Self {
        let mut alphabet = Alphabet::EMPTY;
        alphabet = alphabet.with_class(CharClass::Upper, UPPER.as_bytes(), lookalikes);
        alphabet = alphabet.with_class(CharClass::Lower, LOWER.as_bytes(), lookalikes);
        if numbers {
            alphabet = alphabet.with_class(CharClass::Digit, DIGITS.as_bytes(), lookalikes);
        }
        if symbols {
            alphabet = alphabet.with_class(CharClass::Symbol, SYMBOLS.as_bytes(), lookalikes);
        }
        alphabet
    }

    const fn with_class(mut self, class: CharClass, candidates: &[u8], lookalikes: bool) -> Self {
        let before = self.len;
        let mut i = 0;
        while i < candidates.len() {
            let c = candidates[i];
            if lookalikes || !IS_LOOKALIKE[c as usize] {
                self.chars[self.len] = c;
                self.len += 1;
            }
            i += 1;
        }
        if self.len > before {
            self.classes[self.class_count] = (class, self.len - before);
            self.class_count += 1;
        }
        self
    }

    /// The characters, in a fixed order (so seeded tests are reproducible).
    pub(crate) fn chars(&self) -> &[u8] {
        &self.chars[..self.len]
    }

    /// Non-empty classes with their sizes.
    pub(crate) fn classes(&self) -> &[(CharClass, usize)] {
        &self.classes[..self.class_count]
    }
}
