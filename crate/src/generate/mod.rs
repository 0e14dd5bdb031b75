//! Compliant generators: whole-password rejection sampling against the [`Validator`], so the
//! output is uniform over the compliant set.
use serde::{Deserialize, Serialize};

use crate::Validator;

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
    /// Include look-alike characters (`false` leaves out e.g. `I l 1 O 0`).
    pub lookalikes: bool,
}

impl Default for PasswordOptions {
    fn default() -> Self {
        Self { length: 16, numbers: true, symbols: true, lookalikes: true }
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
    /// Insert random digits at random positions.
    pub numbers: bool,
    /// Capitalise the first letter of each word.
    pub capitalize: bool,
}

impl Default for PassphraseOptions {
    fn default() -> Self {
        Self { words: 4, word_size: WordSize::Long, separator: "-".into(), numbers: false, capitalize: false }
    }
}

/// A generated secret and the entropy of the generator configuration that produced it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Generated {
    /// The password (the caller owns this copy; zeroize it when done).
    pub password: String,
    /// log2 of the number of outputs the configuration can produce (compliant set), in bits.
    pub entropy_bits: f64,
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
    /// The separator is not exactly one character.
    #[error("separator must be exactly one character")]
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

/// Generates a complex password with the OS CSPRNG.
pub fn generate_password(opts: &PasswordOptions, validator: &Validator) -> Result<Generated, GenerateError> {
    generate_password_with_rng(&mut rand::TryRngCore::unwrap_err(rand::rngs::OsRng), opts, validator)
}

/// Generates a complex password with the given RNG (tests seed it).
pub fn generate_password_with_rng<R: rand::Rng + ?Sized>(
    rng: &mut R,
    opts: &PasswordOptions,
    validator: &Validator,
) -> Result<Generated, GenerateError> {
    let _ = (rng, opts, validator);
    unimplemented!("core-generate")
}

/// Generates a passphrase with the OS CSPRNG.
pub fn generate_passphrase(opts: &PassphraseOptions, validator: &Validator) -> Result<Generated, GenerateError> {
    generate_passphrase_with_rng(&mut rand::TryRngCore::unwrap_err(rand::rngs::OsRng), opts, validator)
}

/// Generates a passphrase with the given RNG (tests seed it).
pub fn generate_passphrase_with_rng<R: rand::Rng + ?Sized>(
    rng: &mut R,
    opts: &PassphraseOptions,
    validator: &Validator,
) -> Result<Generated, GenerateError> {
    let _ = (rng, opts, validator);
    unimplemented!("core-generate")
}
