//! Invalid options, infeasible option/policy pairs and the embedded wordlists. None of these cases
//! reaches a draw, so they also pin down that the refusal happens before any attempt.
use passdesk_core::generate::{wordlist, PASSPHRASE_DIGITS};
use passdesk_core::{
    generate_passphrase, generate_password, Account, ActiveDirectoryPolicy, DcKind, EntraPolicy,
    GenerateError, NistPolicy, PassphraseOptions, PasswordOptions, Policy, Validator, WordSize,
};

fn ad(dc: DcKind, min_length: u32, complexity: bool) -> Validator {
    let policy = Policy::ActiveDirectory(ActiveDirectoryPolicy {
        dc,
        min_length,
        complexity,
        history_length: 24,
    });
    let account = Account {
        sam_account_name: Some("jsmith".into()),
        display_name: Some("John Smith".into()),
        ..Account::default()
    };
    Validator::new(&policy, &account).expect("valid policy")
}

fn entra() -> Validator {
    Validator::new(&Policy::Entra(EntraPolicy::default()), &Account::default())
        .expect("valid policy")
}

fn nist(min_length: u32) -> Validator {
    Validator::new(
        &Policy::Nist(NistPolicy {
            min_length,
            blocklist: vec![],
        }),
        &Account::default(),
    )
    .expect("valid policy")
}

fn phrase(
    words: u32,
    word_size: WordSize,
    separator: &str,
    numbers: bool,
    capitalize: bool,
) -> PassphraseOptions {
    PassphraseOptions {
        words,
        word_size,
        separator: separator.into(),
        numbers,
        capitalize,
    }
}

fn infeasible_message(result: Result<passdesk_core::Generated, GenerateError>) -> String {
    match result {
        Err(GenerateError::Infeasible(why)) => why,
        Err(other) => panic!("expected Infeasible, got {other:?}"),
        Ok(_) => panic!("expected Infeasible, got a password"),
    }
}

// ---- invalid options ----

#[test]
fn password_length_outside_8_to_256_is_invalid() {
    for length in [0, 7, 257, 10_000] {
        let opts = PasswordOptions {
            length,
            ..PasswordOptions::default()
        };
        assert_eq!(
            generate_password(&opts, &nist(8)).unwrap_err(),
            GenerateError::InvalidLength {
                min: 8,
                max: 256,
                value: length
            }
        );
    }
}

#[test]
fn word_count_outside_3_to_20_is_invalid() {
    for words in [0, 2, 21, 100] {
        let opts = phrase(words, WordSize::Long, "-", false, false);
        assert_eq!(
            generate_passphrase(&opts, &nist(8)).unwrap_err(),
            GenerateError::InvalidWordCount {
                min: 3,
                max: 20,
                value: words
            }
        );
    }
}

#[test]
fn separator_must_be_one_non_control_character() {
    for separator in ["", "--", "ab", "\t", "\n", "\u{0}", "e\u{301}"] {
        let opts = phrase(4, WordSize::Long, separator, false, false);
        assert_eq!(
            generate_passphrase(&opts, &nist(8)).unwrap_err(),
            GenerateError::InvalidSeparator,
            "{separator:?}"
        );
    }
}

#[test]
fn options_json_has_the_documented_shape() {
    let p: PasswordOptions =
        serde_json::from_str(r#"{"length":20,"numbers":false,"symbols":true,"lookalikes":false}"#)
            .unwrap();
    assert_eq!(
        p,
        PasswordOptions {
            length: 20,
            numbers: false,
            symbols: true,
            lookalikes: false
        }
    );
    let q: PassphraseOptions = serde_json::from_str(
        r#"{"words":5,"word_size":"short","separator":".","numbers":true,"capitalize":true}"#,
    )
    .unwrap();
    assert_eq!(q, phrase(5, WordSize::Short, ".", true, true));
    assert!(serde_json::from_str::<PasswordOptions>(r#"{"length":20,"digits":true}"#).is_err());
}

// ---- infeasible: complex password ----

#[test]
fn ad_complexity_without_numbers_or_symbols_is_infeasible() {
    for dc in [DcKind::Windows, DcKind::Samba] {
        let opts = PasswordOptions {
            length: 16,
            numbers: false,
            symbols: false,
            lookalikes: true,
        };
        let why = infeasible_message(generate_password(&opts, &ad(dc, 7, true)));
        assert!(why.contains("3 of 5"), "{why}");
        assert!(why.contains("numbers or symbols"), "{why}");
    }
}

#[test]
fn entra_without_numbers_or_symbols_is_infeasible() {
    let opts = PasswordOptions {
        length: 16,
        numbers: false,
        symbols: false,
        lookalikes: false,
    };
    let why = infeasible_message(generate_password(&opts, &entra()));
    assert!(why.contains("3 of 4"), "{why}");
}

#[test]
fn password_shorter_than_policy_minimum_is_infeasible() {
    let opts = PasswordOptions {
        length: 12,
        ..PasswordOptions::default()
    };
    let why = infeasible_message(generate_password(&opts, &nist(15)));
    assert!(why.contains("at least 15"), "{why}");
    let why = infeasible_message(generate_password(&opts, &ad(DcKind::Windows, 14, true)));
    assert!(why.contains("at least 14"), "{why}");
}

// ---- infeasible: passphrase ----

#[test]
fn ad_lowercase_words_and_letter_separator_is_infeasible() {
    let why = infeasible_message(generate_passphrase(
        &phrase(4, WordSize::Long, "x", false, false),
        &ad(DcKind::Windows, 7, true),
    ));
    assert!(why.contains("3 of 5"), "{why}");
    assert!(
        why.contains("numbers")
            && why.contains("capitalisation")
            && why.contains("symbol separator"),
        "{why}"
    );
}

#[test]
fn ad_space_separator_does_not_count_as_a_kind() {
    // docs/policy.md §1.1 rule 5: space is not in AD's special list.
    let why = infeasible_message(generate_passphrase(
        &phrase(4, WordSize::Long, " ", false, true),
        &ad(DcKind::Windows, 7, true),
    ));
    assert!(why.contains("only 2"), "{why}");
}

#[test]
fn ad_symbol_separator_alone_is_not_enough() {
    let why = infeasible_message(generate_passphrase(
        &phrase(4, WordSize::Short, "-", false, false),
        &ad(DcKind::Samba, 7, true),
    ));
    assert!(why.contains("only 2"), "{why}");
    assert!(
        !why.contains("symbol separator"),
        "the separator already is a symbol: {why}"
    );
}

#[test]
fn entra_non_ascii_separator_is_infeasible() {
    for sep in ["é", "€", "😀", "\u{a0}"] {
        let why = infeasible_message(generate_passphrase(
            &phrase(4, WordSize::Long, sep, true, true),
            &entra(),
        ));
        assert!(why.contains("printable ASCII"), "{why}");
    }
}

#[test]
fn phrase_that_cannot_reach_the_minimum_length_is_infeasible() {
    // 3 short words: at most 3×5 letters + 2 separators = 17 characters.
    let why = infeasible_message(generate_passphrase(
        &phrase(3, WordSize::Short, "-", false, false),
        &nist(18),
    ));
    assert!(
        why.contains("at least 18") && why.contains("at most 17"),
        "{why}"
    );
    // Digits count towards the length.
    let digits = PASSPHRASE_DIGITS as u32;
    let why = infeasible_message(generate_passphrase(
        &phrase(3, WordSize::Short, "-", true, false),
        &nist(18 + digits),
    ));
    assert!(why.contains(&format!("at most {}", 17 + digits)), "{why}");
    // AD counts UTF-16 units: an astral separator is 2 units each.
    let why = infeasible_message(generate_passphrase(
        &phrase(3, WordSize::Short, "😀", false, false),
        &ad(DcKind::Samba, 20, false),
    ));
    assert!(why.contains("at most 19"), "{why}");
}

// ---- the wordlists ----

#[test]
fn wordlists_are_the_eff_lists_without_hyphenated_words() {
    let long = wordlist(WordSize::Long);
    let short = wordlist(WordSize::Short);
    assert_eq!(long.len(), 7776 - 4);
    assert_eq!(short.len(), 1296 - 1);
    assert_eq!((long.min_word_len(), long.max_word_len()), (3, 9));
    assert_eq!((short.min_word_len(), short.max_word_len()), (3, 5));
    for list in [long, short] {
        assert!(list
            .words()
            .all(|w| w.bytes().all(|b| b.is_ascii_lowercase())));
        let mut sorted: Vec<_> = list.words().collect();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), list.len(), "duplicate words");
        let by_len: u32 = list.count_by_len().iter().sum();
        assert_eq!(by_len as usize, list.len());
    }
    assert_eq!(
        (long.word(0), long.word(long.len() - 1)),
        ("abacus", "zoom")
    );
    assert_eq!(
        (short.word(0), short.word(short.len() - 1)),
        ("acid", "zoom")
    );
    assert!(
        !long.words().any(|w| w == "yo" || w == "drop"),
        "hyphenated words must be dropped, not split"
    );
}
