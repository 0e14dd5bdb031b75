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

/// `IS_LOOKALIKE[b]` for every ASCII byte (a table: building an alphabet is on the hot path).
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

impl Alphabet {
    pub(crate) fn for_options(opts: &ValidPasswordOptions) -> Self {
        let mut alphabet = Alphabet {
            chars: [0; MAX_ALPHABET],
            len: 0,
            classes: [(CharClass::Upper, 0); 4],
            class_count: 0,
        };
        alphabet.push_class(CharClass::Upper, UPPER.as_bytes(), opts);
        alphabet.push_class(CharClass::Lower, LOWER.as_bytes(), opts);
        if opts.numbers {
            alphabet.push_class(CharClass::Digit, DIGITS.as_bytes(), opts);
        }
        if opts.symbols {
            alphabet.push_class(CharClass::Symbol, SYMBOLS.as_bytes(), opts);
        }
        alphabet
    }

    fn push_class(&mut self, class: CharClass, candidates: &[u8], opts: &ValidPasswordOptions) {
        let before = self.len;
        for &c in candidates {
            if opts.lookalikes || !IS_LOOKALIKE[c as usize] {
                self.chars[self.len] = c;
                self.len += 1;
            }
        }
        if self.len > before {
            self.classes[self.class_count] = (class, self.len - before);
            self.class_count += 1;
        }
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
