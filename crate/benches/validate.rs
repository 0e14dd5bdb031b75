//! Validation speed: one call per keystroke must stay far below a frame.
//! Targets (docs/toolchain.md §2, "Speed targets"): AD Windows with names ≤ 1 µs, Entra with 1000
//! custom terms + the built-in list ≤ 5 µs, for a 16-character password.
#![allow(clippy::unwrap_used)]
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use passdesk_core::{
    Account, ActiveDirectoryPolicy, DcKind, EntraPolicy, NistPolicy, Policy, Validator,
};

const PASSWORD: &str = "Tr0ub4dor&3xJq!z";

fn account() -> Account {
    Account {
        sam_account_name: Some("jsmith".into()),
        display_name: Some("John Smith".into()),
        given_name: Some("John".into()),
        surname: Some("Smith".into()),
        upn: Some("jsmith@contoso.example".into()),
    }
}

/// 1000 distinct pseudo-random lower-case terms of 4–16 letters (deterministic xorshift).
fn custom_terms() -> Vec<String> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut terms = std::collections::BTreeSet::new();
    while terms.len() < 1000 {
        let len = 4 + (next() % 13) as usize;
        terms.insert(
            (0..len)
                .map(|_| (b'a' + (next() % 26) as u8) as char)
                .collect::<String>(),
        );
    }
    terms.into_iter().collect()
}

fn ad(dc: DcKind) -> Policy {
    Policy::ActiveDirectory(ActiveDirectoryPolicy {
        dc,
        min_length: 7,
        complexity: true,
        history_length: 24,
    })
}

fn entra_1000() -> Policy {
    Policy::Entra(EntraPolicy {
        custom_terms: custom_terms(),
        global_list: true,
        tenant_name: Some("Contoso".into()),
    })
}

fn bench_validate(c: &mut Criterion) {
    let mut group = c.benchmark_group("validate");
    let cases = [
        ("ad_windows_names_16", ad(DcKind::Windows)),
        ("ad_samba_16", ad(DcKind::Samba)),
        ("entra_1000_custom_plus_builtin_16", entra_1000()),
        (
            "nist_16",
            Policy::Nist(NistPolicy {
                min_length: 15,
                blocklist: vec!["passwordpassword".into()],
            }),
        ),
    ];
    for (name, policy) in &cases {
        let validator = Validator::new(policy, &account()).unwrap();
        group.bench_function(*name, |b| {
            b.iter(|| validator.validate(black_box(PASSWORD)))
        });
    }
    // A weak password exercises the banned-term path (occurrences + score + message).
    let entra = Validator::new(&entra_1000(), &account()).unwrap();
    group.bench_function("entra_1000_weak_16", |b| {
        b.iter(|| entra.validate(black_box("Summer2024!Pa55w")))
    });
    group.finish();

    let mut group = c.benchmark_group("compile");
    let policy = entra_1000();
    group.bench_function("entra_1000_custom", |b| {
        b.iter(|| Validator::new(black_box(&policy), &account()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench_validate);
criterion_main!(benches);
