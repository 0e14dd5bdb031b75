//! Complex passwords: every character drawn uniformly from the alphabet, whole password redrawn
//! until the validator passes it.
use rand::Rng;

use super::charset::Alphabet;
use super::options::ValidPasswordOptions;
use super::{draw, entropy, feasibility, GenerateError, Generated, PasswordOptions};
use crate::Validator;

pub(crate) fn generate<R: Rng + ?Sized>(
    rng: &mut R,
    opts: &PasswordOptions,
    validator: &Validator,
) -> Result<Generated, GenerateError> {
    let opts = ValidPasswordOptions::parse(opts)?;
    let alphabet = Alphabet::for_options(&opts);
    let rules = validator.rules();
    let kinds = feasibility::check_password(&opts, alphabet, rules)?;

    let chars = alphabet.chars();
    let password = draw::until_compliant(validator, opts.length, |candidate| {
        for _ in 0..opts.length {
            // random_range rejects out-of-range samples: no modulo bias.
            candidate.push(char::from(chars[rng.random_range(0..chars.len())]));
        }
    })
    .ok_or_else(|| GenerateError::Exhausted {
        attempts: draw::MAX_ATTEMPTS,
        hint: "the account's names or the banned terms rule out almost every password: \
               make it longer or turn on numbers and symbols"
            .into(),
    })?;

    let kinds = kinds.as_ref().zip(rules.complexity.map(|rule| rule.needed));
    Ok(Generated {
        password,
        entropy_bits: entropy::password_bits(alphabet, opts.length, kinds),
    })
}
