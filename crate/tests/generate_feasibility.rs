//! Cross-checks the generator's up-front feasibility verdict against the validator itself:
//! * options reported feasible must actually generate (no `Exhausted`), and
//! * options reported infeasible must produce candidates the validator always refuses
//!   (candidates drawn with the same options under a policy that accepts everything),
//!
//! over every printable ASCII separator, a sample of non-ASCII ones, and many policies.
#![allow(clippy::unwrap_used)]
use passdesk_core::generate::{wordlist, PASSPHRASE_DIGITS};
use passdesk_core::{
    generate_passphrase_with_rng, generate_password_with_rng, Account, ActiveDirectoryPolicy,
    DcKind, EntraPolicy, GenerateError, NistPolicy, PassphraseOptions, PasswordOptions, Policy,
    Validator, WordSize,
};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn ad(dc: DcKind, min_length: u32, complexity: bool) -> Policy {
    Policy::ActiveDirectory(ActiveDirectoryPolicy {
        dc,
        min_length,
        complexity,
        history_length: 0,
    })
}

fn policies() -> Vec<Policy> {
    vec![
        ad(DcKind::Windows, 7, true),
        ad(DcKind::Samba, 7, true),
        ad(DcKind::Windows, 19, false),
        ad(DcKind::Samba, 30, true),
        Policy::Entra(EntraPolicy {
            custom_terms: vec![],
            global_list: false,
            tenant_name: None,
        }),
        Policy::Nist(NistPolicy {
            min_length: 15,
            blocklist: vec![],
        }),
        Policy::Nist(NistPolicy {
            min_length: 20,
            blocklist: vec![],
        }),
    ]
}

/// Accepts anything up to 256 characters: candidates drawn under it have the options' shape only.
fn accept_all() -> Validator {
    Validator::new(&ad(DcKind::Windows, 0, false), &Account::default()).unwrap()
}

fn separators() -> Vec<char> {
    let mut seps: Vec<char> = (' '..='~').collect();
    // Lower/upper/title-case, caseless letters, modifier letters, digits of other scripts, currency,
    // no-break space, emoji (2 UTF-16 units).
    seps.extend([
        'é', 'É', 'ß', 'ª', 'ǅ', 'Ω', 'ж', 'あ', '中', 'ʰ', '٣', '€', '£', '\u{a0}', '·', '😀', '𝔸',
    ]);
    seps
}

/// The longest phrase these options can produce, in the shape of `candidate` (one drawn phrase):
/// its first word is lengthened with letters until the phrase has `words` × the longest word's
/// letters (from the list's `count_by_len()`). The policies here judge no word by its letters, so
/// the phrases that can pass at all are exactly those long enough; this one is the longest.
fn longest_like(candidate: &str, opts: &PassphraseOptions) -> String {
    let hist = wordlist(opts.word_size).count_by_len();
    let longest_word = hist.iter().rposition(|&n| n > 0).unwrap();
    let digits = if opts.numbers { PASSPHRASE_DIGITS } else { 0 };
    let longest = opts.words as usize * longest_word + (opts.words as usize - 1) + digits;
    let missing = longest - candidate.chars().count();
    // The first ASCII letter is the first word's first letter (digits are not letters; separators
    // come after the first word).
    let (at, first) = candidate
        .char_indices()
        .find(|(_, c)| c.is_ascii_alphabetic())
        .unwrap();
    let padding: String = "etaoinshr".chars().cycle().take(missing).collect();
    let cut = at + first.len_utf8();
    format!("{}{padding}{}", &candidate[..cut], &candidate[cut..])
}

/// `Ok(true)`: generated; `Ok(false)`: refused as infeasible, and neither drawn phrases nor the
/// longest phrase the options can produce pass.
fn check_passphrase(
    opts: &PassphraseOptions,
    v: &Validator,
    rng: &mut ChaCha8Rng,
) -> Result<bool, String> {
    match generate_passphrase_with_rng(rng, opts, v) {
        Ok(_) => Ok(true),
        Err(GenerateError::Infeasible(why)) => {
            let any = accept_all();
            for _ in 0..60 {
                let candidate = generate_passphrase_with_rng(rng, opts, &any)
                    .unwrap()
                    .password;
                if v.validate(&candidate).ok {
                    return Err(format!("{opts:?} refused ({why}) but a candidate passes"));
                }
                let longest = longest_like(&candidate, opts);
                if v.validate(&longest).ok {
                    return Err(format!(
                        "{opts:?} refused ({why}) but the longest phrase {longest:?} passes"
                    ));
                }
            }
            Ok(false)
        }
        Err(e) => Err(format!("{opts:?}: {e}")),
    }
}

#[test]
fn passphrase_feasibility_agrees_with_the_validator() {
    let mut rng = ChaCha8Rng::seed_from_u64(21);
    let mut failures = Vec::new();
    let (mut feasible, mut infeasible) = (0, 0);
    for policy in policies() {
        let v = Validator::new(&policy, &Account::default()).unwrap();
        for sep in separators() {
            for (numbers, capitalize) in
                [(false, false), (true, false), (false, true), (true, true)]
            {
                for word_size in [WordSize::Short, WordSize::Long] {
                    let opts = PassphraseOptions {
                        words: 3,
                        word_size,
                        separator: sep.into(),
                        numbers,
                        capitalize,
                    };
                    match check_passphrase(&opts, &v, &mut rng) {
                        Ok(true) => feasible += 1,
                        Ok(false) => infeasible += 1,
                        Err(e) => failures.push(e),
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements, e.g. {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    // Both outcomes are exercised.
    assert!(
        feasible > 1000 && infeasible > 500,
        "feasible {feasible}, infeasible {infeasible}"
    );
}

#[test]
fn passphrase_length_bound_is_exact() {
    let mut rng = ChaCha8Rng::seed_from_u64(22);
    let digits = PASSPHRASE_DIGITS as u32;
    // Longest phrase = words × longest word + separators (+ digits); exactly that is feasible (rare
    // draws, but reachable), one more is not.
    for (words, size, longest_word, numbers) in [
        (3u32, WordSize::Short, 5u32, false),
        (3, WordSize::Short, 5, true),
        (4, WordSize::Short, 5, false),
    ] {
        let longest = words * longest_word + (words - 1) + if numbers { digits } else { 0 };
        let opts = PassphraseOptions {
            words,
            word_size: size,
            separator: "-".into(),
            numbers,
            capitalize: true,
        };
        for (min_length, feasible) in [(longest, true), (longest + 1, false)] {
            for policy in [
                Policy::Nist(NistPolicy {
                    min_length,
                    blocklist: vec![],
                }),
                ad(DcKind::Windows, min_length, false),
            ] {
                let v = Validator::new(&policy, &Account::default()).unwrap();
                let result = generate_passphrase_with_rng(&mut rng, &opts, &v);
                if feasible {
                    let g =
                        result.unwrap_or_else(|e| panic!("min {min_length} must be feasible: {e}"));
                    assert_eq!(g.password.chars().count() as u32, longest);
                } else {
                    assert!(
                        matches!(result, Err(GenerateError::Infeasible(_))),
                        "min {min_length}"
                    );
                }
            }
        }
    }
}

#[test]
fn password_feasibility_agrees_with_the_validator() {
    let mut rng = ChaCha8Rng::seed_from_u64(23);
    let any = accept_all();
    let mut failures = Vec::new();
    for policy in policies() {
        let v = Validator::new(&policy, &Account::default()).unwrap();
        for length in [8, 12, 15, 16, 19, 20, 30, 31] {
            for bits in 0..8u8 {
                let opts = PasswordOptions {
                    length,
                    numbers: bits & 1 != 0,
                    symbols: bits & 2 != 0,
                    lookalikes: bits & 4 != 0,
                };
                match generate_password_with_rng(&mut rng, &opts, &v) {
                    Ok(_) => {}
                    Err(GenerateError::Infeasible(why)) => {
                        for _ in 0..60 {
                            let candidate = generate_password_with_rng(&mut rng, &opts, &any)
                                .unwrap()
                                .password;
                            if v.validate(&candidate).ok {
                                failures.push(format!(
                                    "{opts:?} refused ({why}) but a candidate passes"
                                ));
                                break;
                            }
                        }
                    }
                    Err(e) => failures.push(format!("{opts:?}: {e}")),
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:?}");
}

#[test]
fn a_minimum_only_the_rarest_phrases_reach_is_feasible_but_may_exhaust_with_a_length_hint() {
    // 12 long words of 9 letters + 11 separators = 119: feasible (so not refused), but about one
    // phrase in 10^11 is that long, so the bounded search runs out and says why.
    let v = Validator::new(
        &Policy::Nist(NistPolicy {
            min_length: 64,
            blocklist: vec![],
        }),
        &Account::default(),
    )
    .unwrap();
    let v_ad = Validator::new(&ad(DcKind::Windows, 119, false), &Account::default()).unwrap();
    let opts = PassphraseOptions {
        words: 12,
        word_size: WordSize::Long,
        separator: "-".into(),
        numbers: false,
        capitalize: false,
    };
    assert!(generate_passphrase_with_rng(&mut ChaCha8Rng::seed_from_u64(24), &opts, &v).is_ok());
    match generate_passphrase_with_rng(&mut ChaCha8Rng::seed_from_u64(24), &opts, &v_ad) {
        Err(GenerateError::Exhausted { hint, .. }) => {
            assert!(hint.contains("minimum length"), "{hint}")
        }
        other => panic!(
            "expected Exhausted, got {:?}",
            other.map(|g| g.entropy_bits)
        ),
    }
}
