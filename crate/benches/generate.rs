//! Generation speed (target of docs/toolchain.md §2: ≤ 5 µs each for a complex 16-character
//! password and a 4-word passphrase), under AD Windows with complexity and names, the policy of the
//! demo ticket.
//!
//! `os_rng` benches use the production entry points (OS CSPRNG); `seeded` ones inject ChaCha8 to
//! show the cost of the generator itself apart from the OS calls.
#![allow(clippy::unwrap_used)]
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use passdesk_core::{
    generate_passphrase, generate_passphrase_with_rng, generate_password,
    generate_password_with_rng, Account, ActiveDirectoryPolicy, EntraPolicy, PassphraseOptions,
    PasswordOptions, Policy, Validator, WordSize,
};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn account() -> Account {
    Account {
        sam_account_name: Some("jsmith".into()),
        display_name: Some("John Smith".into()),
        given_name: Some("John".into()),
        surname: Some("Smith".into()),
        upn: Some("jsmith@contoso.example".into()),
    }
}

fn benches(c: &mut Criterion) {
    let ad = Validator::new(
        &Policy::ActiveDirectory(ActiveDirectoryPolicy::default()),
        &account(),
    )
    .unwrap();
    let entra = Validator::new(
        &Policy::Entra(EntraPolicy {
            custom_terms: vec!["contoso".into()],
            global_list: true,
            tenant_name: Some("Contoso".into()),
        }),
        &account(),
    )
    .unwrap();
    let complex = PasswordOptions {
        length: 16,
        numbers: true,
        symbols: true,
        lookalikes: true,
    };
    let phrase = PassphraseOptions {
        words: 4,
        word_size: WordSize::Long,
        separator: "-".into(),
        numbers: true,
        capitalize: true,
    };
    // Build the word index outside the timed loops (it is built once per process).
    generate_passphrase(&phrase, &ad).unwrap();

    c.bench_function("complex16_ad_os_rng", |b| {
        b.iter(|| generate_password(black_box(&complex), &ad).unwrap())
    });
    c.bench_function("passphrase4_ad_os_rng", |b| {
        b.iter(|| generate_passphrase(black_box(&phrase), &ad).unwrap())
    });
    c.bench_function("complex16_entra_os_rng", |b| {
        b.iter(|| generate_password(black_box(&complex), &entra).unwrap())
    });
    c.bench_function("passphrase4_entra_os_rng", |b| {
        b.iter(|| generate_passphrase(black_box(&phrase), &entra).unwrap())
    });

    let mut rng = ChaCha8Rng::seed_from_u64(1);
    c.bench_function("complex16_ad_seeded", |b| {
        b.iter(|| generate_password_with_rng(&mut rng, black_box(&complex), &ad).unwrap())
    });
    c.bench_function("passphrase4_ad_seeded", |b| {
        b.iter(|| generate_passphrase_with_rng(&mut rng, black_box(&phrase), &ad).unwrap())
    });
}

criterion_group!(generate, benches);
criterion_main!(generate);
