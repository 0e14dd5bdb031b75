//! Fuzzes policy compilation + validation: any policy numbers, names, terms and password bytes.
//! Run: `cd crate && cargo +nightly fuzz run validate`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passdesk_core::{
    Account, ActiveDirectoryPolicy, DcKind, EntraPolicy, NistPolicy, Policy, Validator, Verdict,
};

/// Fields separated by 0x00; a missing field is None / empty.
fn fields(data: &[u8]) -> Vec<String> {
    data.split(|b| *b == 0)
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect()
}

fn check(password: &str, verdict: &Verdict) {
    assert_eq!(verdict.ok, verdict.violations.is_empty());
    let len16 = password.encode_utf16().count() as u32;
    let mut boundaries = vec![0u32];
    let mut at = 0;
    for c in password.chars() {
        at += c.len_utf16() as u32;
        boundaries.push(at);
    }
    for v in &verdict.violations {
        if let Some([start, end]) = v.span {
            assert!(start < end && end <= len16, "span out of bounds");
            assert!(
                boundaries.binary_search(&start).is_ok() && boundaries.binary_search(&end).is_ok(),
                "span splits a code point"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let f = fields(rest);
    let get = |i: usize| f.get(i).cloned();
    let password = f.last().cloned().unwrap_or_default();
    let account = Account {
        sam_account_name: get(0),
        display_name: get(1),
        given_name: get(2),
        surname: get(3),
        upn: None,
    };
    let number = u32::from(rest.first().copied().unwrap_or(7));
    let terms: Vec<String> = f
        .iter()
        .skip(5)
        .take(f.len().saturating_sub(6))
        .cloned()
        .collect();
    let policy = match selector % 6 {
        0 | 1 => Policy::ActiveDirectory(ActiveDirectoryPolicy {
            dc: if selector % 6 == 0 {
                DcKind::Windows
            } else {
                DcKind::Samba
            },
            min_length: number,
            complexity: selector & 0x40 == 0,
            history_length: 24,
        }),
        2 | 3 => Policy::Entra(EntraPolicy {
            custom_terms: terms.clone(),
            global_list: selector & 0x40 == 0,
            tenant_name: get(4),
        }),
        4 => Policy::Nist(NistPolicy {
            min_length: number,
            blocklist: terms.clone(),
        }),
        _ => Policy::Entra(EntraPolicy {
            custom_terms: Vec::new(),
            global_list: true,
            tenant_name: get(4),
        }),
    };
    let validator = if selector % 6 == 5 {
        // Arbitrary terms as the global list (no 4–16 length rule there).
        Validator::with_global_terms(&policy, &account, &terms)
    } else {
        Validator::new(&policy, &account)
    };
    if let Ok(validator) = validator {
        let verdict = validator.validate(&password);
        check(&password, &verdict);
    }
});
