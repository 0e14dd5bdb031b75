//! Policy range checks at their boundaries (docs/policy.md §5): each refusal is the exact error.
use passdesk_core::{Account, Policy, PolicyError, Validator};
use serde_json::{json, Value};

fn out_of_range(field: &'static str, min: u64, max: u64, value: u64) -> Result<(), PolicyError> {
    Err(PolicyError::OutOfRange {
        field,
        min,
        max,
        value,
    })
}

fn terms(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("term{i:04}")).collect()
}

#[test]
fn each_range_holds_at_its_boundaries() {
    let cases: Vec<(Value, Result<(), PolicyError>)> = vec![
        (json!({"kind":"active_directory","min_length":0}), Ok(())),
        (json!({"kind":"active_directory","min_length":255}), Ok(())),
        (
            json!({"kind":"active_directory","min_length":256}),
            out_of_range("min_length", 0, 255, 256),
        ),
        (
            json!({"kind":"active_directory","history_length":1024}),
            Ok(()),
        ),
        (
            json!({"kind":"active_directory","history_length":1025}),
            out_of_range("history_length", 0, 1024, 1025),
        ),
        (
            json!({"kind":"nist","min_length":7}),
            out_of_range("min_length", 8, 64, 7),
        ),
        (json!({"kind":"nist","min_length":8}), Ok(())),
        (json!({"kind":"nist","min_length":64}), Ok(())),
        (
            json!({"kind":"nist","min_length":65}),
            out_of_range("min_length", 8, 64, 65),
        ),
        (
            json!({"kind":"entra","custom_terms":["abc"]}),
            Err(PolicyError::TermLength {
                index: 0,
                chars: 3,
                min: 4,
                max: 16,
            }),
        ),
        (
            json!({"kind":"entra","custom_terms":["abcd", "a".repeat(16)]}),
            Ok(()),
        ),
        (
            json!({"kind":"entra","custom_terms":["abcd", "a".repeat(17)]}),
            Err(PolicyError::TermLength {
                index: 1,
                chars: 17,
                min: 4,
                max: 16,
            }),
        ),
        // Characters, not bytes: 16 accented letters are 32 UTF-8 bytes.
        (
            json!({"kind":"entra","custom_terms":["é".repeat(16)]}),
            Ok(()),
        ),
        (json!({"kind":"entra","custom_terms":terms(1000)}), Ok(())),
        (
            json!({"kind":"entra","custom_terms":terms(1001)}),
            Err(PolicyError::TooManyTerms {
                count: 1001,
                max: 1000,
            }),
        ),
    ];
    for (policy, want) in cases {
        let parsed: Policy = serde_json::from_value(policy.clone()).expect("well-formed policy");
        let got = Validator::new(&parsed, &Account::default()).map(|_| ());
        assert_eq!(got, want, "{policy}");
    }
}
