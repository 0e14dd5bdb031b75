//! Property tests of the validator: no panic for any input, well-formed verdicts, and the indexed
//! Entra banned-term check agrees with a naive reference implementation of the banned-password
//! model (docs/policy.md §3.3).
#![allow(clippy::unwrap_used)]
use passdesk_core::{
    Account, ActiveDirectoryPolicy, DcKind, EntraPolicy, NistPolicy, Policy, RuleId, Validator,
    Verdict,
};
use proptest::prelude::*;

fn rule_set(policy: &Policy) -> Vec<RuleId> {
    use RuleId::*;
    match policy {
        Policy::ActiveDirectory(p) => match (p.dc, p.complexity) {
            (DcKind::Windows, true) => vec![
                AdMaxLen,
                AdMinLen,
                AdSamName,
                AdDisplayNameToken,
                AdComplexity,
            ],
            (DcKind::Samba, true) => vec![AdMaxLen, AdMinLen, AdComplexity],
            (_, false) => vec![AdMaxLen, AdMinLen],
        },
        Policy::Entra(_) => {
            vec![
                EntraCharset,
                EntraMinLen,
                EntraMaxLen,
                EntraComplexity,
                EntraBanned,
                EntraNameSubstring,
            ]
        }
        Policy::Nist(_) => vec![NistMinLen, NistBlocklist],
    }
}

fn policies() -> Vec<Policy> {
    let ad = |dc, complexity| {
        Policy::ActiveDirectory(ActiveDirectoryPolicy {
            dc,
            min_length: 7,
            complexity,
            history_length: 24,
        })
    };
    vec![
        ad(DcKind::Windows, true),
        ad(DcKind::Windows, false),
        ad(DcKind::Samba, true),
        ad(DcKind::Samba, false),
        Policy::Entra(EntraPolicy {
            custom_terms: vec!["contoso".into(), "fabrikam".into()],
            global_list: true,
            tenant_name: Some("Contoso".into()),
        }),
        Policy::Entra(EntraPolicy {
            custom_terms: vec![],
            global_list: false,
            tenant_name: None,
        }),
        Policy::Nist(NistPolicy {
            min_length: 15,
            blocklist: vec!["passwordpassword".into()],
        }),
    ]
}

fn account() -> Account {
    Account {
        sam_account_name: Some("jsmith".into()),
        display_name: Some("John Smith-Müller".into()),
        given_name: Some("John".into()),
        surname: Some("Smith".into()),
        upn: Some("jsmith@contoso.example".into()),
    }
}

/// Checks every structural promise of a verdict for `password`.
fn assert_well_formed(policy: &Policy, password: &str, verdict: &Verdict) {
    assert_eq!(verdict.ok, verdict.violations.is_empty());
    let expected = rule_set(policy);
    // Every rule exactly once, violations and satisfied each in policy order.
    let failed: Vec<RuleId> = verdict.violations.iter().map(|v| v.rule).collect();
    let met: Vec<RuleId> = verdict.satisfied.iter().map(|s| s.rule).collect();
    assert_eq!(
        failed,
        expected
            .iter()
            .copied()
            .filter(|r| failed.contains(r))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        met,
        expected
            .iter()
            .copied()
            .filter(|r| met.contains(r))
            .collect::<Vec<_>>()
    );
    let mut all: Vec<RuleId> = failed.iter().chain(&met).copied().collect();
    all.sort();
    let mut want = expected.clone();
    want.sort();
    assert_eq!(all, want);

    // Spans: inside the password, non-empty, on code-point boundaries (never inside a surrogate pair).
    let mut boundaries = vec![0u32];
    let mut at = 0u32;
    for c in password.chars() {
        at += c.len_utf16() as u32;
        boundaries.push(at);
    }
    for v in &verdict.violations {
        assert!(!v.message.is_empty());
        if let Some([start, end]) = v.span {
            assert!(
                start < end && end <= at,
                "{:?} span {start}..{end} of {at}",
                v.rule
            );
            assert!(
                boundaries.binary_search(&start).is_ok() && boundaries.binary_search(&end).is_ok()
            );
        }
        // Quoted parts name a term or a name; the rest never repeats the password.
        if password.chars().count() >= 4 {
            let unquoted: String = v.message.split('"').step_by(2).collect();
            assert!(
                !unquoted.contains(password),
                "{:?} echoes the password",
                v.rule
            );
        }
    }
    for s in &verdict.satisfied {
        assert!(!s.message.is_empty());
    }
}

fn check_all(password: &str) {
    for policy in policies() {
        let validator = Validator::new(&policy, &account()).unwrap();
        let verdict = validator.validate(password);
        assert_well_formed(&policy, password, &verdict);
        assert_eq!(verdict, validator.validate(password), "deterministic");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_string_gives_a_well_formed_verdict(password in any::<String>()) {
        check_all(&password);
    }

    #[test]
    fn printable_ascii_gives_a_well_formed_verdict(password in "[ -~]{0,40}") {
        check_all(&password);
    }

    #[test]
    fn mixed_scripts_and_astral_characters(password in "[a-zA-Z0-9!@$ \u{e9}\u{df}\u{130}\u{3c3}\u{3c2}\u{416}\u{5bc6}\u{661}\u{1f600}\u{200d}\u{301}]{0,30}") {
        check_all(&password);
    }

    #[test]
    fn the_logon_name_is_found_in_any_case(prefix in "[0-9!#]{0,4}", suffix in "[0-9!#]{0,4}", upper in proptest::collection::vec(any::<bool>(), 6)) {
        let sam: String = "jsmith".chars().zip(&upper).map(|(c, u)| if *u { c.to_ascii_uppercase() } else { c }).collect();
        let password = format!("{prefix}{sam}{suffix}");
        let policy = &policies()[0];
        let verdict = Validator::new(policy, &account()).unwrap().validate(&password);
        let v = verdict.violations.iter().find(|v| v.rule == RuleId::AdSamName).expect("AD_SAM_NAME fails");
        let start = prefix.len() as u32;
        prop_assert_eq!(v.span, Some([start, start + 6]));
    }

    #[test]
    fn any_policy_json_numbers_never_panic(min in any::<u32>(), history in any::<u32>(), terms in proptest::collection::vec(".{0,20}", 0..5), password in ".{0,20}") {
        let ad = Policy::ActiveDirectory(ActiveDirectoryPolicy { dc: DcKind::Windows, min_length: min, complexity: true, history_length: history });
        let nist = Policy::Nist(NistPolicy { min_length: min, blocklist: terms.clone() });
        let entra = Policy::Entra(EntraPolicy { custom_terms: terms, global_list: true, tenant_name: None });
        for policy in [ad, nist, entra] {
            if let Ok(v) = Validator::new(&policy, &account()) {
                assert_well_formed(&policy, &password, &v.validate(&password));
            }
        }
    }
}

#[test]
fn empty_and_very_long_passwords() {
    check_all("");
    check_all(&"a".repeat(10_000));
    check_all(&"Zz9!😀密".repeat(2_000));
    check_all(&"contoso2024".repeat(1_000));
    check_all("\u{0}\u{7f}\u{feff}\u{fffd}\u{10ffff}");
}

#[test]
fn out_of_range_policies_are_refused() {
    let ad = Policy::ActiveDirectory(ActiveDirectoryPolicy {
        min_length: 256,
        ..Default::default()
    });
    assert!(Validator::new(&ad, &Account::default()).is_err());
    let entra = Policy::Entra(EntraPolicy {
        custom_terms: vec!["abc".into()],
        ..Default::default()
    });
    assert!(Validator::new(&entra, &Account::default()).is_err());
    let many = Policy::Entra(EntraPolicy {
        custom_terms: (0..1001).map(|i| format!("term{i:04}")).collect(),
        ..Default::default()
    });
    assert!(Validator::new(&many, &Account::default()).is_err());
    let nist = Policy::Nist(NistPolicy {
        min_length: 4,
        blocklist: vec![],
    });
    assert!(Validator::new(&nist, &Account::default()).is_err());
}

// ---- Reference model (docs/policy.md §3.3), written the slow and obvious way ----------------

fn normalize(s: &str) -> Vec<char> {
    s.chars()
        .map(|c| match c.to_ascii_lowercase() {
            '0' => 'o',
            '1' => 'l',
            '2' => 'z',
            '$' => 's',
            '@' => 'a',
            o => o,
        })
        .collect()
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut row = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            row.push(
                (prev[j] + usize::from(ca != cb))
                    .min(prev[j + 1] + 1)
                    .min(row[j] + 1),
            );
        }
        prev = row;
    }
    prev[b.len()]
}

fn reference_rejects(password: &str, terms: &[String]) -> bool {
    let n = normalize(password);
    let terms: Vec<Vec<char>> = terms.iter().map(|t| normalize(t)).collect();
    if terms.iter().any(|t| levenshtein(&n, t) <= 1) {
        return true;
    }
    // best[i]: minimum score of n[..i].
    let mut best = vec![usize::MAX; n.len() + 1];
    best[0] = 0;
    for i in 0..n.len() {
        best[i + 1] = best[i + 1].min(best[i] + 1);
        for t in &terms {
            let end = i + t.len();
            if end <= n.len() && n[i..end].iter().zip(t).filter(|(a, b)| a != b).count() <= 1 {
                best[end] = best[end].min(best[i] + 1);
            }
        }
    }
    best[n.len()] < 5
}

/// ENTRA_NAME_SUBSTRING: a name (4+ characters) inside the password, both normalised.
fn reference_contains_a_name(password: &str, names: &[String]) -> bool {
    let n = normalize(password);
    names
        .iter()
        .map(|name| normalize(name))
        .any(|name| n.windows(name.len()).any(|w| w == name.as_slice()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Given name, surname and tenant share the banned index with the terms (scored, and the
    /// whole-password edit-1 check) and are refused as substrings; names under 4 characters take
    /// no part in either.
    #[test]
    fn indexed_banned_check_agrees_with_the_reference(
        terms in proptest::collection::vec("[abcoz0l2$@]{4,7}", 1..6),
        given in proptest::option::of("[abcoz0l2$@]{2,7}"),
        surname in proptest::option::of("[abcoz0l2$@]{2,7}"),
        tenant in proptest::option::of("[abcoz0l2$@]{2,7}"),
        password in "[abcozlsA0l2$@!]{0,16}",
    ) {
        let policy = Policy::Entra(EntraPolicy { custom_terms: vec![], global_list: true, tenant_name: tenant.clone() });
        let account = Account { given_name: given.clone(), surname: surname.clone(), ..Account::default() };
        let validator = Validator::with_global_terms(&policy, &account, &terms).unwrap();
        let verdict = validator.validate(&password);
        let names: Vec<String> = [given, surname, tenant].into_iter().flatten().filter(|n| n.chars().count() >= 4).collect();
        let all_terms: Vec<String> = terms.iter().chain(&names).cloned().collect();
        let banned = verdict.violations.iter().any(|v| v.rule == RuleId::EntraBanned);
        prop_assert_eq!(banned, reference_rejects(&password, &all_terms), "terms {:?}, names {:?}", terms, names);
        let named = verdict.violations.iter().any(|v| v.rule == RuleId::EntraNameSubstring);
        prop_assert_eq!(named, reference_contains_a_name(&password, &names), "names {:?}", names);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Passwords one edit away from a term (the case random strings rarely hit).
    #[test]
    fn one_edit_from_a_term_is_banned(
        terms in proptest::collection::vec("[a-z]{4,16}", 1..20),
        pick in any::<prop::sample::Index>(),
        edit in 0u8..4,
        at in any::<prop::sample::Index>(),
        ch in "[a-z0-9]",
    ) {
        let term = pick.get(&terms).clone();
        let mut chars: Vec<char> = term.chars().collect();
        let i = at.index(chars.len());
        let c = ch.chars().next().unwrap();
        match edit {
            0 => chars[i] = c,
            1 => chars.insert(i, c),
            2 => { chars.remove(i); }
            _ => chars.push(c),
        }
        let password: String = chars.into_iter().collect();
        let policy = Policy::Entra(EntraPolicy { custom_terms: terms.clone(), global_list: false, tenant_name: None });
        let verdict = Validator::new(&policy, &Account::default()).unwrap().validate(&password);
        prop_assert!(verdict.violations.iter().any(|v| v.rule == RuleId::EntraBanned), "{} from {:?}", password, term);
        prop_assert!(reference_rejects(&password, &terms));
    }
}
