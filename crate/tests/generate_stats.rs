//! Statistical tests with fixed seeds (deterministic): over 200 000 draws every character, word,
//! digit value and digit position appears at its expected rate (Pearson chi-square against the
//! p = 0.001 critical value), and whole-password rejection keeps class rates exactly where the
//! uniform-over-compliant-set model puts them.
#![allow(clippy::unwrap_used)]
use std::collections::HashMap;

use passdesk_core::generate::{wordlist, PASSPHRASE_DIGITS, SYMBOLS};
use passdesk_core::{
    generate_passphrase_with_rng, generate_password_with_rng, Account, ActiveDirectoryPolicy,
    DcKind, PassphraseOptions, PasswordOptions, Policy, Validator, WordSize,
};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const DRAWS: usize = 200_000;

/// A policy under which every output of the generators passes (AD, no complexity, no minimum).
fn accept_all() -> Validator {
    let policy = Policy::ActiveDirectory(ActiveDirectoryPolicy {
        dc: DcKind::Windows,
        min_length: 0,
        complexity: false,
        history_length: 0,
    });
    Validator::new(&policy, &Account::default()).unwrap()
}

/// Upper critical value of chi-square with `df` degrees of freedom at p = 0.001 (Wilson–Hilferty;
/// within 1% of the exact quantile for df ≥ 9, which is all we use).
fn chi2_critical(df: usize) -> f64 {
    let z = 3.090_232; // standard normal quantile for 0.999
    let k = df as f64;
    let h = 2.0 / (9.0 * k);
    k * (1.0 - h + z * h.sqrt()).powi(3)
}

/// Pearson statistic of observed counts against expected counts.
fn chi2(observed: &[u64], expected: &[f64]) -> f64 {
    observed
        .iter()
        .zip(expected)
        .map(|(&o, &e)| (o as f64 - e).powi(2) / e)
        .sum()
}

fn assert_uniform(name: &str, observed: &[u64]) {
    let total: u64 = observed.iter().sum();
    let expected = vec![total as f64 / observed.len() as f64; observed.len()];
    let stat = chi2(observed, &expected);
    let critical = chi2_critical(observed.len() - 1);
    assert!(
        stat < critical,
        "{name}: chi2 {stat:.1} ≥ critical {critical:.1} (df {})",
        observed.len() - 1
    );
}

#[test]
fn chi2_critical_values_match_tables() {
    // Published p = 0.001 quantiles.
    for (df, table) in [
        (9, 27.877),
        (10, 29.588),
        (72, 114.835),
        (100, 149.449),
        (1000, 1143.917),
    ] {
        assert!((chi2_critical(df) - table).abs() / table < 0.01, "df {df}");
    }
}

#[test]
fn every_character_of_a_complex_password_is_equally_likely() {
    let v = accept_all();
    let mut rng = ChaCha8Rng::seed_from_u64(31);
    for (opts, alphabet) in [
        (PasswordOptions::default(), 73),
        (
            PasswordOptions {
                lookalikes: false,
                ..Default::default()
            },
            67,
        ),
    ] {
        let mut counts = [0u64; 128];
        for _ in 0..DRAWS / 2 {
            let pw = generate_password_with_rng(&mut rng, &opts, &v)
                .unwrap()
                .password;
            for b in pw.bytes() {
                counts[b as usize] += 1;
            }
        }
        let seen: Vec<u64> = counts.iter().copied().filter(|&n| n > 0).collect();
        assert_eq!(seen.len(), alphabet, "alphabet size for {opts:?}");
        assert_uniform(&format!("characters {opts:?}"), &seen);
    }
}

/// P(the classes seen among `len` uniform characters, together with `already`, number ≥ `needed`).
/// `sizes[i]` = characters of class i; inclusion–exclusion over the subsets of classes.
fn p_enough_classes(sizes: &[f64], len: i32, already: u32, needed: u32) -> f64 {
    let total: f64 = sizes.iter().sum();
    let n = sizes.len();
    let mut p = 0.0;
    for set in 0u32..(1 << n) {
        // P(the classes used are exactly `set`).
        let mut exactly = 0.0;
        let mut sub = set;
        loop {
            let within: f64 = (0..n)
                .filter(|i| sub & (1 << i) != 0)
                .map(|i| sizes[i])
                .sum();
            let sign = if (set.count_ones() - sub.count_ones()) % 2 == 0 {
                1.0
            } else {
                -1.0
            };
            exactly += sign * (within / total).powi(len);
            if sub == 0 {
                break;
            }
            sub = (sub - 1) & set;
        }
        if (set | already).count_ones() >= needed {
            p += exactly;
        }
    }
    p
}

#[test]
fn whole_password_rejection_gives_the_exact_class_rates_of_the_compliant_set() {
    // AD complexity (3 of 4 classes present) at length 8: about 10% of uniform draws are rejected,
    // so a generator that patched a missing class in (instead of redrawing) would shift these rates.
    let policy = Policy::ActiveDirectory(ActiveDirectoryPolicy::default());
    let v = Validator::new(&policy, &Account::default()).unwrap();
    let opts = PasswordOptions {
        length: 8,
        numbers: true,
        symbols: true,
        lookalikes: true,
    };
    type Class = (&'static str, fn(u8) -> bool, f64);
    let classes: [Class; 4] = [
        ("upper", |b| b.is_ascii_uppercase(), 26.0),
        ("lower", |b| b.is_ascii_lowercase(), 26.0),
        ("digit", |b| b.is_ascii_digit(), 10.0),
        (
            "symbol",
            |b| SYMBOLS.as_bytes().contains(&b),
            SYMBOLS.len() as f64,
        ),
    ];
    let sizes: Vec<f64> = classes.iter().map(|c| c.2).collect();
    let total: f64 = sizes.iter().sum();
    let accept = p_enough_classes(&sizes, 8, 0, 3);

    let mut rng = ChaCha8Rng::seed_from_u64(32);
    let mut sum = [0f64; 4];
    let mut sum_sq = [0f64; 4];
    for _ in 0..DRAWS {
        let pw = generate_password_with_rng(&mut rng, &opts, &v)
            .unwrap()
            .password;
        for (i, (_, is, _)) in classes.iter().enumerate() {
            let k = pw.bytes().filter(|&b| is(b)).count() as f64;
            sum[i] += k;
            sum_sq[i] += k * k;
        }
    }
    for (i, (name, _, size)) in classes.iter().enumerate() {
        // E[#class i | compliant] = 8 · P(char 1 ∈ i and compliant) / P(compliant).
        let expected = 8.0 * (size / total) * p_enough_classes(&sizes, 7, 1 << i, 3) / accept;
        let n = DRAWS as f64;
        let mean = sum[i] / n;
        let std_err = ((sum_sq[i] / n - mean * mean) / n).sqrt();
        let z = (mean - expected) / std_err;
        assert!(
            z.abs() < 4.0,
            "{name}: mean {mean:.5} vs expected {expected:.5} (z = {z:.2})"
        );
        // And the compliant-set rate differs measurably from the raw alphabet share.
        let raw = 8.0 * size / total;
        assert!(
            ((expected - raw) / std_err).abs() > 8.0,
            "{name}: test would not see a patching generator"
        );
    }
}

#[test]
fn every_short_word_is_equally_likely() {
    let v = accept_all();
    let list = wordlist(WordSize::Short);
    let index: HashMap<&str, usize> = list.words().enumerate().map(|(i, w)| (w, i)).collect();
    let opts = PassphraseOptions {
        words: 4,
        word_size: WordSize::Short,
        separator: "-".into(),
        ..Default::default()
    };
    let mut rng = ChaCha8Rng::seed_from_u64(33);
    let mut counts = vec![0u64; list.len()];
    let mut by_position = vec![vec![0u64; list.len()]; 4];
    for _ in 0..DRAWS {
        let phrase = generate_passphrase_with_rng(&mut rng, &opts, &v)
            .unwrap()
            .password;
        for (position, word) in phrase.split('-').enumerate() {
            let i = index[word];
            counts[i] += 1;
            by_position[position][i] += 1;
        }
    }
    assert_uniform("short words", &counts);
    assert_uniform("short words in position 1", &by_position[0]);
    assert_uniform("short words in position 4", &by_position[3]);
}

#[test]
fn every_long_word_is_equally_likely() {
    let v = accept_all();
    let list = wordlist(WordSize::Long);
    let index: HashMap<&str, usize> = list.words().enumerate().map(|(i, w)| (w, i)).collect();
    let opts = PassphraseOptions {
        words: 5,
        word_size: WordSize::Long,
        separator: ".".into(),
        ..Default::default()
    };
    let mut rng = ChaCha8Rng::seed_from_u64(34);
    let mut counts = vec![0u64; list.len()];
    for _ in 0..DRAWS {
        let phrase = generate_passphrase_with_rng(&mut rng, &opts, &v)
            .unwrap()
            .password;
        for word in phrase.split('.') {
            counts[index[word]] += 1;
        }
    }
    assert_uniform("long words", &counts);
}

#[test]
fn inserted_digits_have_uniform_values_and_positions() {
    let v = accept_all();
    let opts = PassphraseOptions {
        words: 3,
        word_size: WordSize::Short,
        separator: "-".into(),
        numbers: true,
        capitalize: false,
    };
    let mut rng = ChaCha8Rng::seed_from_u64(35);
    let mut values = [0u64; 10];
    // positions[len][i]: digits seen at index i of outputs of length `len`.
    let mut positions: HashMap<usize, Vec<u64>> = HashMap::new();
    let mut outputs_by_len: HashMap<usize, u64> = HashMap::new();
    for _ in 0..DRAWS {
        let phrase = generate_passphrase_with_rng(&mut rng, &opts, &v)
            .unwrap()
            .password;
        let bytes = phrase.as_bytes();
        let slots = positions
            .entry(bytes.len())
            .or_insert_with(|| vec![0; bytes.len()]);
        *outputs_by_len.entry(bytes.len()).or_default() += 1;
        for (i, &b) in bytes.iter().enumerate() {
            if b.is_ascii_digit() {
                values[(b - b'0') as usize] += 1;
                slots[i] += 1;
            }
        }
    }
    assert_uniform("digit values", &values);

    // For a phrase of final length N every index holds a digit with probability D/N. Pool the
    // per-length Pearson statistics (lengths seen at least 2000 times). Two digits of one phrase
    // never share an index, which only makes the statistic smaller: the test stays valid.
    let (mut stat, mut df) = (0.0, 0);
    for (len, slots) in &positions {
        let outputs = outputs_by_len[len] as f64;
        if outputs < 2000.0 {
            continue;
        }
        let expected = vec![outputs * PASSPHRASE_DIGITS as f64 / *len as f64; *len];
        stat += chi2(slots, &expected);
        df += len - 1;
    }
    assert!(df > 50, "enough lengths pooled");
    let critical = chi2_critical(df);
    assert!(
        stat < critical,
        "digit positions: chi2 {stat:.1} ≥ {critical:.1} (df {df})"
    );
}
