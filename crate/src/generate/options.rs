//! Parse-then-trust: the public, serde-facing options are checked once here and turned into private
//! "valid" types, so the generators never re-check ranges or separator shape.
use super::{GenerateError, PassphraseOptions, PasswordOptions, WordSize};
use crate::rules::GENERATED_LENGTH as PASSWORD_LENGTH;
/// Passphrase word-count range.
pub(crate) const WORD_COUNT: std::ops::RangeInclusive<u32> = 3..=20;

/// Checked [`PasswordOptions`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct ValidPasswordOptions {
    pub(crate) length: usize,
    pub(crate) numbers: bool,
    pub(crate) symbols: bool,
    pub(crate) lookalikes: bool,
}

impl ValidPasswordOptions {
    pub(crate) fn parse(opts: &PasswordOptions) -> Result<Self, GenerateError> {
        if !PASSWORD_LENGTH.contains(&opts.length) {
            return Err(GenerateError::InvalidLength {
                min: *PASSWORD_LENGTH.start(),
                max: *PASSWORD_LENGTH.end(),
                value: opts.length,
            });
        }
        Ok(Self {
            length: opts.length as usize,
            numbers: opts.numbers,
            symbols: opts.symbols,
            lookalikes: opts.lookalikes,
        })
    }
}

/// Checked [`PassphraseOptions`]: the separator is a single `char`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ValidPassphraseOptions {
    pub(crate) words: usize,
    pub(crate) word_size: WordSize,
    pub(crate) separator: char,
    pub(crate) numbers: bool,
    pub(crate) capitalize: bool,
}

impl ValidPassphraseOptions {
    pub(crate) fn parse(opts: &PassphraseOptions) -> Result<Self, GenerateError> {
        if !WORD_COUNT.contains(&opts.words) {
            return Err(GenerateError::InvalidWordCount {
                min: *WORD_COUNT.start(),
                max: *WORD_COUNT.end(),
                value: opts.words,
            });
        }
        Ok(Self {
            words: opts.words as usize,
            word_size: opts.word_size,
            separator: parse_separator(&opts.separator)?,
            numbers: opts.numbers,
            capitalize: opts.capitalize,
        })
    }
}

/// Exactly one Unicode scalar value, and not a control character: a tab or newline inside a password
/// cannot be typed into most login boxes.
fn parse_separator(separator: &str) -> Result<char, GenerateError> {
    let mut chars = separator.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if !c.is_control() => Ok(c),
        _ => Err(GenerateError::InvalidSeparator),
    }
}
