//! Refuses option sets that can never satisfy the policy, before any draw, naming the conflict.
//!
//! Every check is exact for the shape of what the generator can produce, so a feasible
//! configuration is never refused; `tests/generate_feasibility.rs` cross-checks this against the
//! validator for many separators and option sets.
use super::charset::{Alphabet, KindSizes};
use super::entropy::INSERTED_DIGITS;
use super::options::{ValidPassphraseOptions, ValidPasswordOptions};
use super::wordlist::WordList;
use super::{GenerateError, WordSize};
use crate::rules::{Kind, KindSet, RuleTable};

/// Complex password: length bounds and the character-kind rule. On success returns the alphabet's
/// kinds under the policy's classifier (`None` without a kind rule), for the entropy count.
pub(crate) fn check_password(
    opts: &ValidPasswordOptions,
    alphabet: &Alphabet,
    rules: &RuleTable,
) -> Result<Option<KindSizes>, GenerateError> {
    // The alphabet is ASCII: one character is one unit whatever the policy counts.
    let length = opts.length as u32;
    if length < rules.min_len {
        return infeasible(format!(
            "the policy needs at least {} characters: set the length to {} or more",
            rules.min_len, rules.min_len
        ));
    }
    if let Some(max) = rules.max_len.filter(|&max| length > max) {
        return infeasible(format!(
            "the policy allows at most {max} characters: shorten the length"
        ));
    }
    let Some(rule) = rules.complexity else {
        return Ok(None);
    };
    let kinds = alphabet.kinds(rule.classifier);
    let present = kinds.sizes().len() as u32;
    if present < rule.needed {
        let mut fixes = Vec::new();
        if !kinds.contains(Kind::Digit) {
            fixes.push("numbers");
        }
        if !kinds.contains(Kind::Symbol) {
            fixes.push("symbols");
        }
        return infeasible(format!(
            "{} but these options give only {present} (upper- and lower-case letters): turn on {}",
            rule.describe(),
            fixes.join(" or ")
        ));
    }
    Ok(Some(kinds))
}

/// Passphrase: character set, length bounds and the character-kind rule. On success returns the
/// fewest letters (over all words) that a compliant phrase needs, for the entropy count.
pub(crate) fn check_passphrase(
    opts: &ValidPassphraseOptions,
    list: &WordList,
    rules: &RuleTable,
) -> Result<usize, GenerateError> {
    let sep = opts.separator;
    if !rules.charset.allows(sep) {
        return infeasible(format!(
            "the policy allows only printable ASCII characters, and the separator {sep:?} is not one: \
             pick an ASCII separator"
        ));
    }

    let digits = if opts.numbers { INSERTED_DIGITS } else { 0 };
    let fixed = (opts.words - 1) * rules.unit.of_char(sep) + digits;
    let min_len = rules.min_len as usize;
    let longest = opts.words * list.max_word_len() + fixed;
    let shortest = opts.words * list.min_word_len() + fixed;
    if longest < min_len {
        let size = match opts.word_size {
            WordSize::Short => "short",
            WordSize::Long => "long",
        };
        return infeasible(format!(
            "the policy needs at least {} characters but {} {size} words give at most {longest}: \
             add words{}{}",
            min_len,
            opts.words,
            if opts.word_size == WordSize::Short {
                ", use long words"
            } else {
                ""
            },
            if opts.numbers {
                ""
            } else {
                " or turn on numbers"
            },
        ));
    }
    if let Some(max) = rules
        .max_len
        .map(|max| max as usize)
        .filter(|&max| shortest > max)
    {
        return infeasible(format!(
            "the policy allows at most {max} characters but {} words give at least {shortest}: use fewer words",
            opts.words
        ));
    }

    if let Some(rule) = rules.complexity {
        // Words are lower-case a–z; capitalisation makes every first letter upper-case; the digits
        // are always there when numbers are on. So the kinds are the same for every draw.
        let mut kinds = KindSet::default();
        kinds.insert(Kind::Lower);
        if opts.capitalize {
            kinds.insert(Kind::Upper);
        }
        if opts.numbers {
            kinds.insert(Kind::Digit);
        }
        let sep_kind = rule.classifier.kind_of(sep);
        if let Some(kind) = sep_kind {
            kinds.insert(kind);
        }
        let present = kinds.count();
        if present < rule.needed {
            let mut fixes = Vec::new();
            if !opts.numbers {
                fixes.push("turn on numbers");
            }
            if !opts.capitalize {
                fixes.push("turn on capitalisation");
            }
            let sep_adds_kind =
                sep_kind.is_some_and(|k| k != Kind::Lower && k != Kind::Upper && k != Kind::Digit);
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
    Ok(min_len.saturating_sub(fixed))
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
