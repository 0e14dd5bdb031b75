//! Seeded property tests: shape of every output, compliance with real policies (AD Windows and Samba
//! for jsmith / John Smith, Entra, NIST), entropy figures and reproducibility.
#![allow(clippy::unwrap_used)]
use passdesk_core::generate::{wordlist, LOOKALIKES, PASSPHRASE_DIGITS, SYMBOLS};
use passdesk_core::{
    generate_passphrase, generate_passphrase_with_rng, generate_password,
    generate_password_with_rng, Account, ActiveDirectoryPolicy, DcKind, EntraPolicy, GenerateError,
    NistPolicy, PassphraseOptions, PasswordOptions, Policy, Validator, WordSize,
};
use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn john_smith() -> Account {
    Account {
        sam_account_name: Some("jsmith".into()),
        display_name: Some("John Smith".into()),
        given_name: Some("John".into()),
        surname: Some("Smith".into()),
        upn: Some("jsmith@contoso.example".into()),
    }
}

/// The policies every output must pass, with the John Smith account.
fn validators() -> Vec<(&'static str, Validator)> {
    let ad = |dc, min_length| {
        Policy::ActiveDirectory(ActiveDirectoryPolicy {
            dc,
            min_length,
            complexity: true,
            history_length: 24,
        })
    };
    let entra = Policy::Entra(EntraPolicy {
        custom_terms: vec!["contoso".into(), "helpdesk".into()],
        global_list: true,
        tenant_name: Some("Contoso".into()),
    });
    let nist = Policy::Nist(NistPolicy {
        min_length: 15,
        blocklist: vec!["correcthorsebatterystaple".into()],
    });
    [
        ("ad-windows", ad(DcKind::Windows, 7)),
        ("ad-samba", ad(DcKind::Samba, 12)),
        ("entra", entra),
        ("nist", nist),
    ]
    .into_iter()
    .map(|(name, policy)| {
        (
            name,
            Validator::new(&policy, &john_smith()).expect("valid policy"),
        )
    })
    .collect()
}

fn permissive() -> Validator {
    Validator::new(
        &Policy::Nist(NistPolicy {
            min_length: 8,
            blocklist: vec![],
        }),
        &Account::default(),
    )
    .unwrap()
}

fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

#[test]
fn complex_passwords_have_the_right_length_and_alphabet() {
    let mut rng = rng(1);
    let v = permissive();
    for (numbers, symbols, lookalikes) in [
        (true, true, true),
        (true, false, false),
        (false, true, false),
        (false, false, true),
        (true, true, false),
    ] {
        for length in [8, 9, 16, 33, 256] {
            let opts = PasswordOptions {
                length,
                numbers,
                symbols,
                lookalikes,
            };
            for _ in 0..20 {
                let pw = generate_password_with_rng(&mut rng, &opts, &v)
                    .unwrap()
                    .password;
                assert_eq!(pw.chars().count(), length as usize);
                for c in pw.chars() {
                    let allowed = c.is_ascii_alphabetic()
                        || (numbers && c.is_ascii_digit())
                        || (symbols && SYMBOLS.contains(c));
                    assert!(allowed, "unexpected character class for {opts:?}");
                    assert!(
                        lookalikes || !LOOKALIKES.contains(c),
                        "look-alike with lookalikes off"
                    );
                }
            }
        }
    }
}

#[test]
fn symbols_are_paste_safe_and_allowed_by_every_policy() {
    for c in SYMBOLS.chars() {
        assert!(
            c.is_ascii_punctuation(),
            "{c:?} must be in AD's special list"
        );
        assert!(
            !matches!(c, '"' | '\'' | '`' | '\\' | ' '),
            "{c:?} is not paste-safe"
        );
    }
}

#[test]
fn every_password_passes_every_policy_for_john_smith() {
    let mut rng = rng(2);
    for (name, v) in validators() {
        for opts in [
            PasswordOptions::default(),
            PasswordOptions {
                length: 8,
                numbers: true,
                symbols: false,
                lookalikes: false,
            },
            PasswordOptions {
                length: 15,
                numbers: false,
                symbols: true,
                lookalikes: true,
            },
            PasswordOptions {
                length: 64,
                numbers: true,
                symbols: true,
                lookalikes: false,
            },
        ] {
            let policy_min = match name {
                "nist" => 15,
                "ad-samba" => 12,
                _ => 8,
            };
            if opts.length < policy_min {
                assert!(matches!(
                    generate_password_with_rng(&mut rng, &opts, &v),
                    Err(GenerateError::Infeasible(_))
                ));
                continue;
            }
            for _ in 0..300 {
                let generated = generate_password_with_rng(&mut rng, &opts, &v).unwrap();
                assert!(
                    v.validate(&generated.password).ok,
                    "{name}: a generated password failed"
                );
            }
        }
    }
}

#[test]
fn passphrases_are_words_from_the_list_with_the_separator() {
    let mut rng = rng(3);
    let v = permissive();
    for (size, sep, capitalize) in [
        (WordSize::Short, '-', false),
        (WordSize::Long, '.', true),
        (WordSize::Short, '😀', true),
        (WordSize::Long, ' ', false),
    ] {
        let list = wordlist(size);
        for words in [3, 4, 7, 20] {
            let opts = PassphraseOptions {
                words,
                word_size: size,
                separator: sep.into(),
                numbers: false,
                capitalize,
            };
            for _ in 0..50 {
                let phrase = generate_passphrase_with_rng(&mut rng, &opts, &v)
                    .unwrap()
                    .password;
                let parts: Vec<&str> = phrase.split(sep).collect();
                assert_eq!(parts.len(), words as usize, "separator count");
                for part in parts {
                    let first = part.chars().next().unwrap();
                    assert_eq!(first.is_ascii_uppercase(), capitalize, "capitalisation");
                    assert!(part[1..].bytes().all(|b| b.is_ascii_lowercase()));
                    let lower = part.to_ascii_lowercase();
                    assert!(list.words().any(|w| w == lower), "a word not in the list");
                }
            }
        }
    }
}

#[test]
fn numbers_insert_exactly_the_documented_digits_anywhere() {
    let mut rng = rng(4);
    let v = permissive();
    let list = wordlist(WordSize::Long);
    let opts = PassphraseOptions {
        words: 4,
        word_size: WordSize::Long,
        separator: "_".into(),
        numbers: true,
        capitalize: true,
    };
    let (mut inside_word, mut at_edge) = (0, 0);
    for _ in 0..2000 {
        let phrase = generate_passphrase_with_rng(&mut rng, &opts, &v)
            .unwrap()
            .password;
        assert_eq!(
            phrase.bytes().filter(u8::is_ascii_digit).count(),
            PASSPHRASE_DIGITS
        );
        // Removing the digits gives back four list words.
        let base: String = phrase.chars().filter(|c| !c.is_ascii_digit()).collect();
        for part in base.split('_') {
            assert!(
                list.words().any(|w| w == part.to_ascii_lowercase()),
                "digits must only be inserted"
            );
        }
        let bytes = phrase.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            if b.is_ascii_digit() {
                let letter = |j: Option<usize>| {
                    j.and_then(|j| bytes.get(j))
                        .is_some_and(u8::is_ascii_alphabetic)
                };
                if letter(i.checked_sub(1)) && letter(Some(i + 1)) {
                    inside_word += 1;
                }
                if i == 0 || i == bytes.len() - 1 {
                    at_edge += 1;
                }
            }
        }
    }
    assert!(
        inside_word > 1000,
        "digits land inside words too ({inside_word})"
    );
    assert!(at_edge > 20, "digits land at the ends too ({at_edge})");
}

#[test]
fn every_passphrase_passes_every_policy_for_john_smith() {
    let mut rng = rng(5);
    for (name, v) in validators() {
        for opts in [
            PassphraseOptions {
                words: 3,
                word_size: WordSize::Short,
                separator: "-".into(),
                numbers: true,
                capitalize: true,
            },
            PassphraseOptions {
                words: 4,
                word_size: WordSize::Long,
                separator: "#".into(),
                numbers: false,
                capitalize: true,
            },
            PassphraseOptions {
                words: 5,
                word_size: WordSize::Short,
                separator: "!".into(),
                numbers: true,
                capitalize: false,
            },
            PassphraseOptions {
                words: 6,
                word_size: WordSize::Long,
                separator: "9".into(),
                numbers: false,
                capitalize: true,
            },
        ] {
            for _ in 0..300 {
                match generate_passphrase_with_rng(&mut rng, &opts, &v) {
                    Ok(g) => assert!(
                        v.validate(&g.password).ok,
                        "{name}: a generated passphrase failed"
                    ),
                    Err(e) => panic!("{name}: {e}"),
                }
            }
        }
    }
}

#[test]
fn generation_with_the_os_rng_works() {
    let v = &validators()[0].1;
    let a = generate_password(&PasswordOptions::default(), v).unwrap();
    let b = generate_password(&PasswordOptions::default(), v).unwrap();
    assert_ne!(a.password, b.password);
    let p = generate_passphrase(
        &PassphraseOptions {
            capitalize: true,
            numbers: true,
            ..Default::default()
        },
        v,
    );
    assert!(v.validate(&p.unwrap().password).ok);
}

#[test]
fn same_seed_same_output_different_seed_different_output() {
    let v = permissive();
    let opts = PassphraseOptions::default();
    let draw = |seed| {
        generate_passphrase_with_rng(&mut rng(seed), &opts, &v)
            .unwrap()
            .password
    };
    assert_eq!(draw(7), draw(7));
    assert_ne!(draw(7), draw(8));
    let pw = |seed| {
        generate_password_with_rng(&mut rng(seed), &PasswordOptions::default(), &v)
            .unwrap()
            .password
    };
    assert_eq!(pw(7), pw(7));
    assert_ne!(pw(7), pw(8));
}

#[test]
fn debug_output_never_shows_the_password() {
    let g = generate_password_with_rng(&mut rng(9), &PasswordOptions::default(), &permissive())
        .unwrap();
    let shown = format!("{g:?}");
    assert!(!shown.contains(&g.password), "{shown}");
    assert!(shown.contains("redacted"));
}

// ---- entropy ----

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6 * b.abs().max(1.0)
}

#[test]
fn password_entropy_without_a_kind_rule_is_length_times_log2_alphabet() {
    let v = permissive();
    let bits = |opts: PasswordOptions| {
        generate_password_with_rng(&mut rng(10), &opts, &v)
            .unwrap()
            .entropy_bits
    };
    assert!(close(
        bits(PasswordOptions {
            length: 16,
            ..Default::default()
        }),
        16.0 * 73f64.log2()
    ));
    // Look-alikes off: 24 + 24 upper/lower, 8 digits (no 0/1), 11 symbols.
    assert!(close(
        bits(PasswordOptions {
            length: 20,
            numbers: true,
            symbols: true,
            lookalikes: false
        }),
        20.0 * 67f64.log2()
    ));
    assert!(close(
        bits(PasswordOptions {
            length: 8,
            numbers: false,
            symbols: false,
            lookalikes: true
        }),
        8.0 * 52f64.log2()
    ));
}

#[test]
fn password_entropy_counts_only_strings_meeting_the_kind_rule() {
    // Entra (3 of 4) with upper, lower, digits: only strings with all three kinds pass.
    let v = Validator::new(&Policy::Entra(EntraPolicy::default()), &Account::default()).unwrap();
    let opts = PasswordOptions {
        length: 8,
        numbers: true,
        symbols: false,
        lookalikes: true,
    };
    let bits = generate_password_with_rng(&mut rng(11), &opts, &v)
        .unwrap()
        .entropy_bits;
    // Inclusion–exclusion by hand: 62^8 − 36^8 − 36^8 − 52^8 + 26^8 + 26^8 + 10^8.
    let count =
        62f64.powi(8) - 2.0 * 36f64.powi(8) - 52f64.powi(8) + 2.0 * 26f64.powi(8) + 10f64.powi(8);
    assert!(close(bits, count.log2()), "{bits} vs {}", count.log2());
}

#[test]
fn passphrase_entropy_is_words_times_log2_list_plus_digit_insertion() {
    let v = permissive();
    let bits = |opts: &PassphraseOptions| {
        generate_passphrase_with_rng(&mut rng(12), opts, &v)
            .unwrap()
            .entropy_bits
    };
    let plain = PassphraseOptions {
        words: 4,
        word_size: WordSize::Long,
        ..Default::default()
    };
    assert!(close(bits(&plain), 4.0 * 7772f64.log2()));
    let short = PassphraseOptions {
        words: 6,
        word_size: WordSize::Short,
        ..Default::default()
    };
    assert!(close(bits(&short), 6.0 * 1295f64.log2()));
    // Capitalisation is fixed: no extra bits.
    assert!(close(
        bits(&PassphraseOptions {
            capitalize: true,
            ..plain.clone()
        }),
        bits(&plain)
    ));
    // Digits: Σ over phrases of C(n+2, 2)·100, brute-forced over the word-length histogram.
    let with_digits = PassphraseOptions {
        words: 3,
        word_size: WordSize::Short,
        numbers: true,
        ..Default::default()
    };
    let hist = wordlist(WordSize::Short).count_by_len();
    let mut outcomes = 0.0;
    for a in 0..hist.len() {
        for b in 0..hist.len() {
            for c in 0..hist.len() {
                let n = (a + b + c + 2) as f64;
                let seqs = f64::from(hist[a]) * f64::from(hist[b]) * f64::from(hist[c]);
                outcomes += seqs * (n + 2.0) * (n + 1.0) / 2.0 * 100.0;
            }
        }
    }
    assert!(close(bits(&with_digits), outcomes.log2()));
}

#[test]
fn passphrase_entropy_leaves_out_phrases_too_short_for_the_policy() {
    // NIST 15 with 3 short words and "-": only phrases with ≥ 13 letters pass.
    let v = Validator::new(
        &Policy::Nist(NistPolicy {
            min_length: 15,
            blocklist: vec![],
        }),
        &Account::default(),
    )
    .unwrap();
    let opts = PassphraseOptions {
        words: 3,
        word_size: WordSize::Short,
        ..Default::default()
    };
    let mut rng = rng(13);
    let g = generate_passphrase_with_rng(&mut rng, &opts, &v).unwrap();
    let hist = wordlist(WordSize::Short).count_by_len();
    let mut compliant = 0.0;
    for a in 0..hist.len() {
        for b in 0..hist.len() {
            for c in 0..hist.len() {
                if a + b + c >= 13 {
                    compliant += f64::from(hist[a]) * f64::from(hist[b]) * f64::from(hist[c]);
                }
            }
        }
    }
    assert!(close(g.entropy_bits, compliant.log2()));
    assert!(g.entropy_bits < 3.0 * 1295f64.log2());
    for _ in 0..500 {
        assert!(
            generate_passphrase_with_rng(&mut rng, &opts, &v)
                .unwrap()
                .password
                .chars()
                .count()
                >= 15
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any options: an error, or an output that passes the policy. Never a panic.
    #[test]
    fn any_options_give_a_compliant_output_or_an_error(
        seed in any::<u64>(),
        length in 0u32..300,
        words in 0u32..25,
        numbers: bool, symbols: bool, lookalikes: bool, capitalize: bool, short: bool,
        sep in prop::sample::select(vec!["-", ".", " ", "x", "Z", "7", "é", "😀", "", "ab", "\t"]),
        which in 0usize..4,
    ) {
        let (_, v) = &validators()[which];
        let mut rng = rng(seed);
        let popts = PasswordOptions { length, numbers, symbols, lookalikes };
        match generate_password_with_rng(&mut rng, &popts, v) {
            Ok(g) => { prop_assert!(v.validate(&g.password).ok); prop_assert!(g.entropy_bits > 0.0); }
            Err(GenerateError::InvalidLength { .. } | GenerateError::Infeasible(_)) => {}
            Err(e) => prop_assert!(false, "unexpected {e}"),
        }
        let word_size = if short { WordSize::Short } else { WordSize::Long };
        let qopts = PassphraseOptions { words, word_size, separator: sep.into(), numbers, capitalize };
        match generate_passphrase_with_rng(&mut rng, &qopts, v) {
            Ok(g) => { prop_assert!(v.validate(&g.password).ok); prop_assert!(g.entropy_bits > 0.0); }
            Err(GenerateError::InvalidWordCount { .. } | GenerateError::InvalidSeparator | GenerateError::Infeasible(_)) => {}
            Err(e) => prop_assert!(false, "unexpected {e}"),
        }
    }
}

#[test]
fn an_account_that_rules_out_every_output_exhausts_the_attempts() {
    // A displayName made of every short word: every passphrase contains a display-name token, which
    // the shape checks cannot see, so the generator draws until its bound and then says so.
    let every_word = wordlist(WordSize::Short)
        .words()
        .collect::<Vec<_>>()
        .join(" ");
    let account = Account {
        display_name: Some(every_word),
        ..Account::default()
    };
    let v = Validator::new(
        &Policy::ActiveDirectory(ActiveDirectoryPolicy::default()),
        &account,
    )
    .unwrap();
    let opts = PassphraseOptions {
        words: 3,
        word_size: WordSize::Short,
        separator: "-".into(),
        numbers: true,
        capitalize: true,
    };
    match generate_passphrase_with_rng(&mut rng(15), &opts, &v) {
        Err(GenerateError::Exhausted { attempts, hint }) => {
            assert_eq!(attempts, passdesk_core::generate::MAX_ATTEMPTS);
            assert!(hint.contains("names"), "{hint}");
        }
        other => panic!(
            "expected Exhausted, got {:?}",
            other.map(|g| g.entropy_bits)
        ),
    }
    // The same options without that account generate fine.
    let plain = Validator::new(
        &Policy::ActiveDirectory(ActiveDirectoryPolicy::default()),
        &Account::default(),
    )
    .unwrap();
    assert!(generate_passphrase_with_rng(&mut rng(15), &opts, &plain).is_ok());
}
