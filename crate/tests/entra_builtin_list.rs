//! The built-in list of common weak terms (crate/data/common_weak_terms.txt) is what an Entra
//! policy with `global_list: true` bans: the list is loaded, well-formed, and really used.
use std::collections::HashMap;

use passdesk_core::validator::common_weak_terms;
use passdesk_core::{Account, EntraPolicy, Policy, RuleId, Validator};

fn entra(global_list: bool) -> Validator {
    let policy = Policy::Entra(EntraPolicy {
        custom_terms: Vec::new(),
        global_list,
        tenant_name: None,
    });
    Validator::new(&policy, &Account::default()).expect("valid policy")
}

/// Passwords that pass every Entra shape rule but are built on a listed word.
const BUILT_ON_LISTED_WORDS: [&str; 4] =
    ["P@ssw0rd1!x", "Welcome2024!", "Qwerty!12", "Summer#2024"];

#[test]
fn the_built_in_list_bans_common_words() {
    let validator = entra(true);
    for password in BUILT_ON_LISTED_WORDS {
        let verdict = validator.validate(password);
        let rules: Vec<RuleId> = verdict.violations.iter().map(|v| v.rule).collect();
        assert_eq!(rules, [RuleId::EntraBanned], "{password}: {verdict:?}");
    }
}

#[test]
fn without_the_built_in_list_the_same_passwords_pass() {
    let validator = entra(false);
    for password in BUILT_ON_LISTED_WORDS {
        let verdict = validator.validate(password);
        assert!(verdict.ok, "{password}: {verdict:?}");
    }
}

/// Entra's own normalisation (lower case, then 0→o 1→l 2→z $→s @→a), written out here on its
/// own so the list is checked against the documented rule, not against the validator's code.
fn entra_normal_form(term: &str) -> String {
    term.chars()
        .map(|c| match c.to_ascii_lowercase() {
            '0' => 'o',
            '1' => 'l',
            '2' => 'z',
            '$' => 's',
            '@' => 'a',
            other => other,
        })
        .collect()
}

#[test]
fn the_list_is_well_formed() {
    let terms: Vec<&str> = common_weak_terms().collect();
    assert!(terms.len() > 400, "only {} terms loaded", terms.len());
    let mut seen: HashMap<String, &str> = HashMap::new();
    for term in &terms {
        let len = term.chars().count();
        assert!(
            (4..=16).contains(&len),
            "{term:?} has {len} characters (Entra: 4 to 16)"
        );
        assert!(
            term.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
            "{term:?}: only ASCII lower-case letters and digits"
        );
        if let Some(first) = seen.insert(entra_normal_form(term), term) {
            panic!("{term:?} is the same term as {first:?} once normalised");
        }
    }
}
