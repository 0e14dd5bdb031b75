//! Compliant generators: whole-password rejection sampling against the [`Validator`], so the
//! output is uniform over the compliant set.
//!
//! * `options`: public options checked once into private valid types.
//! * `charset` / `wordlist`: the complex-password alphabet and the embedded EFF lists.
//! * `feasibility`: refusing options that can never meet the validator's rule table
//!   (`crate::rules`, the same one the validator checks), before any draw.
//! * `password` / `passphrase` / `draw`: building candidates and the rejection loop.
//! * `entropy`: the `entropy_bits` figure.
use serde::{Deserialize, Serialize};

use crate::Validator;

mod charset;
mod draw;
mod entropy;
mod feasibility;
mod options;
mod os_rng;
mod passphrase;
mod password;
mod wordlist;

pub use charset::{LOOKALIKES, SYMBOLS};
pub use wordlist::{wordlist, WordList};

/// Digits inserted by `numbers: true` in a passphrase.
pub const PASSPHRASE_DIGITS: usize = entropy::INSERTED_DIGITS;
/// Draws made before [`GenerateError::Exhausted`].
pub const MAX_ATTEMPTS: u32 = draw::MAX_ATTEMPTS;

/// Options of the complex-password generator. JSON:
/// `{"length":16,"numbers":true,"symbols":true,"lookalikes":true}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PasswordOptions {
    /// 8–256 characters.
    pub length: u32,
    /// Include digits.
    pub numbers: bool,
    /// Include symbols (a paste-safe set allowed by Entra).
    pub symbols: bool,
    /// Include look-alike characters (`false` leaves out [`LOOKALIKES`]: `I l 1 | O 0 o`).
    pub lookalikes: bool,
}

impl Default for PasswordOptions {
    fn default() -> Self {
        Self {
            length: 16,
            numbers: true,
            symbols: true,
            lookalikes: true,
        }
    }
}

/// Which EFF list the passphrase draws from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WordSize {
    /// EFF short list #1 (3–5 letters).
    Short,
    /// EFF long list (3–9 letters).
    #[default]
    Long,
}

/// Options of the passphrase generator. JSON:
/// `{"words":4,"word_size":"long","separator":"-","numbers":false,"capitalize":false}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PassphraseOptions {
    /// 3–20 words.
    pub words: u32,
    /// Short or long words.
    pub word_size: WordSize,
    /// Exactly one character placed between words.
    pub separator: String,
    /// Insert [`PASSPHRASE_DIGITS`] random digits (0–9), each into a uniformly random gap of the phrase
    /// (inside a word, next to a separator, at either end).
    pub numbers: bool,
    /// Capitalise the first letter of each word.
    pub capitalize: bool,
}

impl Default for PassphraseOptions {
    fn default() -> Self {
        Self {
            words: 4,
            word_size: WordSize::Long,
            separator: "-".into(),
            numbers: false,
            capitalize: false,
        }
    }
}

/// A generated secret and the entropy of the generator configuration that produced it.
///
/// `Debug` is written by hand so the password never reaches a log line or a panic message.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Generated {
    /// The password (the caller owns this copy; zeroize it when done).
    pub password: String,
    /// log2 of the number of outputs the configuration can produce (compliant set), in bits.
    pub entropy_bits: f64,
}

impl std::fmt::Debug for Generated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Generated")
            .field("password", &"<redacted>")
            .field("entropy_bits", &self.entropy_bits)
            .finish()
    }
}

/// Why nothing was generated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GenerateError {
    /// Length outside 8–256.
    #[error("length must be between {min} and {max}, got {value}")]
    InvalidLength {
        /// Lowest allowed.
        min: u32,
        /// Highest allowed.
        max: u32,
        /// What was given.
        value: u32,
    },
    /// Word count outside 3–20.
    #[error("words must be between {min} and {max}, got {value}")]
    InvalidWordCount {
        /// Lowest allowed.
        min: u32,
        /// Highest allowed.
        max: u32,
        /// What was given.
        value: u32,
    },
    /// The separator is not exactly one character, or is a control character.
    #[error("separator must be exactly one character, not a control character")]
    InvalidSeparator,
    /// These options can never satisfy the policy; the message names the conflict.
    #[error("these options can never satisfy the policy: {0}")]
    Infeasible(String),
    /// Every attempt failed the policy (very unlikely unless nearly infeasible).
    #[error("no compliant result after {attempts} attempts; {hint}")]
    Exhausted {
        /// Attempts made.
        attempts: u32,
        /// What to change.
        hint: String,
    },
}

impl GenerateError {
    /// The variant's name (`"Infeasible"`, ...): what the JS API reports as `error.variant`.
    pub fn variant(&self) -> &'static str {
        match self {
            GenerateError::InvalidLength { .. } => "InvalidLength",
            GenerateError::InvalidWordCount { .. } => "InvalidWordCount",
            GenerateError::InvalidSeparator => "InvalidSeparator",
            GenerateError::Infeasible(_) => "Infeasible",
            GenerateError::Exhausted { .. } => "Exhausted",
        }
    }
}

/// Generates a complex password with the OS CSPRNG (read in blocks: one OS call per generation).
pub fn generate_password(
    opts: &PasswordOptions,
    validator: &Validator,
) -> Result<Generated, GenerateError> {
    generate_password_with_rng(&mut os_rng::BlockOsRng::new(), opts, validator)
}

/// Generates a complex password with the given RNG (tests seed it).
pub fn generate_password_with_rng<R: rand::Rng + ?Sized>(
    rng: &mut R,
    opts: &PasswordOptions,
    validator: &Validator,
) -> Result<Generated, GenerateError> {
    password::generate(rng, opts, validator)
}

/// Generates a passphrase with the OS CSPRNG (read in blocks: one OS call per generation).
pub fn generate_passphrase(
    opts: &PassphraseOptions,
    validator: &Validator,
) -> Result<Generated, GenerateError> {
    generate_passphrase_with_rng(&mut os_rng::BlockOsRng::new(), opts, validator)
}

/// Generates a passphrase with the given RNG (tests seed it).
pub fn generate_passphrase_with_rng<R: rand::Rng + ?Sized>(
    rng: &mut R,
    opts: &PassphraseOptions,
    validator: &Validator,
) -> Result<Generated, GenerateError> {
    passphrase::generate(rng, opts, validator)
}

#[cfg(test)]
mod error_tests {
    use super::GenerateError;

    #[test]
    fn variant_names_match_the_enum() {
        let errors = [
            GenerateError::InvalidLength {
                min: 8,
                max: 256,
                value: 7,
            },
            GenerateError::InvalidWordCount {
                min: 3,
                max: 20,
                value: 2,
            },
            GenerateError::InvalidSeparator,
            GenerateError::Infeasible("x".into()),
            GenerateError::Exhausted {
                attempts: 1,
                hint: "y".into(),
            },
        ];
        for e in errors {
            let debug = format!("{e:?}");
            let name = debug.split(['(', ' ']).next().unwrap_or_default();
            assert_eq!(name, e.variant(), "{debug}");
        }
    }
}
