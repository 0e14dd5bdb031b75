//! Passphrases: EFF words joined by one separator, optionally capitalised, with digits inserted at
//! uniformly random positions; the whole phrase is redrawn until the validator passes it.
use rand::Rng;

use super::entropy::INSERTED_DIGITS;
use super::options::ValidPassphraseOptions;
use super::wordlist::{wordlist, WordList, MAX_WORD_LEN};
use super::{draw, entropy, feasibility, GenerateError, Generated, PassphraseOptions};
use crate::Validator;

pub(crate) fn generate<R: Rng + ?Sized>(
    rng: &mut R,
    opts: &PassphraseOptions,
    validator: &Validator,
) -> Result<Generated, GenerateError> {
    let opts = ValidPassphraseOptions::parse(opts)?;
    let list = wordlist(opts.word_size);
    let min_letters = feasibility::check_passphrase(&opts, list, validator.rules())?;

    let capacity =
        opts.words * MAX_WORD_LEN + (opts.words - 1) * opts.separator.len_utf8() + INSERTED_DIGITS;
    let password = draw::until_compliant(validator, capacity, |candidate| {
        fill(rng, &opts, list, candidate)
    })
    .ok_or_else(|| exhausted(&opts, min_letters))?;
    Ok(Generated {
        password,
        entropy_bits: entropy::passphrase_bits(&opts, min_letters),
    })
}

/// Why every draw failed: the length rule when few phrases are long enough (feasible, but rare
/// enough to run out of attempts), else the account's names or banned terms.
fn exhausted(opts: &ValidPassphraseOptions, min_letters: usize) -> GenerateError {
    let share = entropy::passphrase_length_share(opts, min_letters);
    let hint = if share < 1e-3 {
        format!(
            "only {} of the phrases reach the policy's minimum length: add a word or use long words",
            one_decimal_exp(share)
        )
    } else {
        "the account's names or the banned terms rule out almost every passphrase: add words or use long words"
            .to_string()
    };
    GenerateError::Exhausted {
        attempts: draw::MAX_ATTEMPTS,
        hint,
    }
}

/// One candidate: `words` uniform words, the separator between them, then (with `numbers`)
/// [`INSERTED_DIGITS`] digits, each 0–9 and each put into a uniformly chosen gap of the phrase as it
/// stands (before the first character, between two, or after the last).
fn fill<R: Rng + ?Sized>(
    rng: &mut R,
    opts: &ValidPassphraseOptions,
    list: &WordList,
    out: &mut String,
) {
    let mut chars = 0usize;
    for i in 0..opts.words {
        if i > 0 {
            out.push(opts.separator);
            chars += 1;
        }
        let word = list.word(rng.random_range(0..list.len()));
        if opts.capitalize {
            // Words are ASCII lower-case, so byte 0 is the whole first letter.
            out.push(char::from(word.as_bytes()[0].to_ascii_uppercase()));
            out.push_str(&word[1..]);
        } else {
            out.push_str(word);
        }
        chars += word.len();
    }
    if opts.numbers {
        for _ in 0..INSERTED_DIGITS {
            let gap = rng.random_range(0..=chars);
            let digit = char::from(b'0' + rng.random_range(0..10u8));
            let at = byte_offset_of_char(out, gap);
            out.insert(at, digit);
            chars += 1;
        }
    }
}

/// Byte offset of the `n`-th character (the end of the string for `n == char count`).
fn byte_offset_of_char(s: &str, n: usize) -> usize {
    if s.is_ascii() {
        return n;
    }
    s.char_indices().nth(n).map_or(s.len(), |(at, _)| at)
}

/// `format!("{:.1e}", x)` for 0 ≤ x < 1 (e.g. `2.5e-7`), except that a value within rounding error
/// of a tie (9.45e-4) may round the other way, which does not matter for a hint. Hand-rolled
/// because `{:e}` pulled core's exponent formatting into the wasm build (size budget,
/// docs/toolchain.md §2).
fn one_decimal_exp(x: f64) -> String {
    if x.is_nan() || x <= 0.0 {
        return "0.0e0".to_string();
    }
    let mut exp = x.log10().floor() as i32;
    let mut mantissa = x / 10f64.powi(exp);
    // log10 may be off by one ulp around powers of ten.
    if mantissa >= 10.0 {
        mantissa /= 10.0;
        exp += 1;
    } else if mantissa < 1.0 {
        mantissa *= 10.0;
        exp -= 1;
    }
    let mut tenths = (mantissa * 10.0).round() as u32;
    if tenths >= 100 {
        // 9.96 rounds up to 10.0.
        tenths = 10;
        exp += 1;
    }
    format!("{}.{}e{exp}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::one_decimal_exp;

    #[test]
    fn matches_core_exponent_formatting() {
        let mut x: f64 = 0.9e-3;
        while x > 1e-300 {
            for v in [x, x * 1.05, x * 0.999, x * 0.9951] {
                let tenths = v / 10f64.powi(v.log10().floor() as i32) * 10.0;
                if (tenths.fract() - 0.5).abs() < 1e-6 {
                    continue; // a tie: either rounding is fine
                }
                assert_eq!(one_decimal_exp(v), format!("{v:.1e}"), "{v:e}");
            }
            x /= 3.7;
        }
        for v in [1e-4, 1e-5, 9.96e-6, 0.0] {
            assert_eq!(one_decimal_exp(v), format!("{v:.1e}"));
        }
    }
}
