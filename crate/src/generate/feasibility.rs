//! Refuses option sets that can never satisfy the policy, before any draw, naming the conflict.
//!
//! Every check is exact for the shape of what the generator can produce, so a feasible
//! configuration is never refused; `tests/generate_feasibility.rs` cross-checks this against the
//! validator for many separators and option sets.
use super::charset::{Alphabet, CharClass};
use super::entropy::INSERTED_DIGITS;
use super::options::{ValidPassphraseOptions, ValidPasswordOptions};
use super::requirements::{Kind, Requirements};
use super::wordlist::WordList;
use super::{GenerateError, WordSize};

/// Complex password: length bounds and the character-kind rule.
pub(crate) fn check_password(
    opts: &ValidPasswordOptions,
    alphabet: &Alphabet,
    req: &Requirements,
) -> Result<(), GenerateError> {
    // The alphabet is ASCII: one character is one unit whatever the policy counts.
    if opts.length < req.min_len {
        return infeasible(format!(
            "the policy needs at least {} characters: set the length to {} or more",
            req.min_len, req.min_len
        ));
    }
    if let Some(max) = req.max_len.filter(|&max| opts.length > max) {
        return infeasible(format!("the policy allows at most {max} characters: shorten the length"));
    }
    if let Some(rule) = req.kinds {
        let present = alphabet.classes().len() as u32;
        if present < rule.needed {
            let mut fixes = Vec::new();
            if !alphabet.classes().iter().any(|(c, _)| *c == CharClass::Digit) {
                fixes.push("numbers");
            }
            if !alphabet.classes().iter().any(|(c, _)| *c == CharClass::Symbol) {
                fixes.push("symbols");
            }
            return infeasible(format!(
                "{} but these options give only {present} (upper- and lower-case letters): turn on {}",
                rule.describe(),
                fixes.join(" or ")
            ));
        }
    }
    Ok(())
}

/// Passphrase: character set, length bounds and the character-kind rule. On success returns the
/// fewest letters (over all words) that a compliant phrase needs, for the entropy count.
pub(crate) fn check_passphrase(
    opts: &ValidPassphraseOptions,
    list: &WordList,
    req: &Requirements,
) -> Result<usize, GenerateError> {
    let sep = opts.separator;
    if !req.allows_char(sep) {
        return infeasible(format!(
            "the policy allows only printable ASCII characters, and the separator {sep:?} is not one: \
             pick an ASCII separator"
        ));
    }

    let digits = if opts.numbers { INSERTED_DIGITS } else { 0 };
    let fixed = (opts.words - 1) * req.unit.len_of(sep) + digits;
    let longest = opts.words * list.max_word_len() + fixed;
    let shortest = opts.words * list.min_word_len() + fixed;
    if longest < req.min_len {
        let size = match opts.word_size {
            WordSize::Short => "short",
            WordSize::Long => "long",
        };
        return infeasible(format!(
            "the policy needs at least {} characters but {} {size} words give at most {longest}: \
             add words{}{}",
            req.min_len,
            opts.words,
            if opts.word_size == WordSize::Short { ", use long words" } else { "" },
            if opts.numbers { "" } else { " or turn on numbers" },
        ));
    }
    if let Some(max) = req.max_len.filter(|&max| shortest > max) {
        return infeasible(format!(
            "the policy allows at most {max} characters but {} words give at least {shortest}: use fewer words",
            opts.words
        ));
    }

    if let Some(rule) = req.kinds {
        // Words are lower-case a–z; capitalisation makes every first letter upper-case; the digits
        // are always there when numbers are on. So the kinds are the same for every draw.
        let mut kinds = Kind::Lower.bit();
        if opts.capitalize {
            kinds |= Kind::Upper.bit();
        }
        if opts.numbers {
            kinds |= Kind::Digit.bit();
        }
        let sep_kind = rule.kind_of(sep);
        if let Some(kind) = sep_kind {
            kinds |= kind.bit();
        }
        let present = kinds.count_ones();
        if present < rule.needed {
            let mut fixes = Vec::new();
            if !opts.numbers {
                fixes.push("turn on numbers");
            }
            if !opts.capitalize {
                fixes.push("turn on capitalisation");
            }
            let sep_adds_kind = sep_kind.is_some_and(|k| k != Kind::Lower && k != Kind::Upper && k != Kind::Digit);
            if !sep_adds_kind {
                fixes.push("use a symbol separator");
            }
            return infeasible(format!(
                "{} but these options give only {present}: {}",
                rule.describe(),
                join_or(&fixes)
            ));
        }
    }
    Ok(req.min_len.saturating_sub(fixed))
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{}, or {last}", init.join(", ")),
    }
}

fn infeasible<T>(why: String) -> Result<T, GenerateError> {
    Err(GenerateError::Infeasible(why))
}
