//! The rule table each profile shares between validator and generator (`crate/src/rules/`): length
//! units, and Samba's own character kinds.
#![allow(clippy::unwrap_used)]
use passdesk_core::{
    generate_passphrase_with_rng, Account, ActiveDirectoryPolicy, DcKind, EntraPolicy,
    GenerateError, PassphraseOptions, Policy, RuleId, Validator,
};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn entra() -> Validator {
    let policy = Policy::Entra(EntraPolicy {
        custom_terms: vec![],
        global_list: false,
        tenant_name: None,
    });
    Validator::new(&policy, &Account::default()).unwrap()
}

fn ad(dc: DcKind) -> Validator {
    let policy = Policy::ActiveDirectory(ActiveDirectoryPolicy {
        dc,
        min_length: 7,
        complexity: true,
        history_length: 0,
    });
    Validator::new(&policy, &Account::default()).unwrap()
}

fn failing(v: &Validator, password: &str) -> Vec<RuleId> {
    v.validate(password)
        .violations
        .iter()
        .map(|v| v.rule)
        .collect()
}

#[test]
fn entra_counts_characters_not_utf16_units() {
    let v = entra();
    // 7 characters, 8 UTF-16 units: too short for Entra (the generator counts the same way).
    let verdict = v.validate("Ab1!xy😀");
    let short = verdict
        .violations
        .iter()
        .find(|x| x.rule == RuleId::EntraMinLen)
        .expect("too short");
    assert_eq!(short.message, "Too short: 7 characters, needs at least 8");
    assert_eq!(
        failing(&v, "Ab1!xy😀"),
        [RuleId::EntraCharset, RuleId::EntraMinLen]
    );
    // 256 characters (257 units) is within the maximum; 257 characters is not.
    let at_max = format!("A1!😀{}", "a".repeat(252));
    assert_eq!(failing(&v, &at_max), [RuleId::EntraCharset]);
    let over = format!("{at_max}a");
    assert_eq!(
        failing(&v, &over),
        [RuleId::EntraCharset, RuleId::EntraMaxLen]
    );
    // AD keeps counting UTF-16 units: the emoji counts 2.
    assert!(ad(DcKind::Windows).validate("Ab1!x😀").ok);
}

#[test]
fn samba_kinds_follow_samba_case_tables_and_windows_is_unchanged() {
    let (samba, windows) = (ad(DcKind::Samba), ad(DcKind::Windows));
    // ß is uncased in Samba's tables: its 5th kind, so lower + digit + ß = 3 kinds.
    assert!(samba.validate("straße12").ok);
    // Windows counts ß as lower-case: 2 kinds.
    assert_eq!(failing(&windows, "straße12"), [RuleId::AdComplexity]);
    // Neither ß nor İ is cased for Samba: 5th kind + digits = 2 kinds.
    assert_eq!(failing(&samba, "ßİ12345"), [RuleId::AdComplexity]);
    assert!(windows.validate("ßİ12345").ok);
    // ǅ (title case) and ŉ are Samba's 5th kind too; Ж / ж are upper / lower.
    assert!(samba.validate("ǅabcdef1").ok);
    assert!(samba.validate("ŉabcdef1").ok);
    assert_eq!(failing(&samba, "жжжжжж11"), [RuleId::AdComplexity]);
    assert!(samba.validate("Жжжжжж11").ok);
}

#[test]
fn the_generator_counts_kinds_with_the_validator_classifier() {
    // Lower-case words + digits + an "ß" separator: 3 kinds on Samba, 2 on Windows.
    let opts = PassphraseOptions {
        separator: "ß".into(),
        numbers: true,
        ..PassphraseOptions::default()
    };
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let samba = ad(DcKind::Samba);
    let phrase = generate_passphrase_with_rng(&mut rng, &opts, &samba).expect("feasible on Samba");
    assert!(samba.validate(&phrase.password).ok);
    let refused = generate_passphrase_with_rng(&mut rng, &opts, &ad(DcKind::Windows));
    assert!(
        matches!(refused, Err(GenerateError::Infeasible(_))),
        "{refused:?}"
    );
}
