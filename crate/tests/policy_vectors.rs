//! Every test vector of docs/policy.md §8 (data in `vectors.json`, shared with the JS tests).
#![allow(clippy::unwrap_used)]
use passdesk_core::{Account, Policy, Validator, Verdict};
use serde_json::Value;

const VECTORS: &str = include_str!("vectors.json");

struct Case {
    id: u64,
    password: String,
    verdict: Verdict,
    expected: Value,
}

fn cases() -> Vec<Case> {
    let doc: Value = serde_json::from_str(VECTORS).expect("vectors.json is JSON");
    let global: Vec<String> = serde_json::from_value(doc["global_terms"].clone()).unwrap();
    let mut out = Vec::new();
    for v in doc["vectors"].as_array().unwrap() {
        let policy_name = v["policy"].as_str().unwrap();
        let policy: Policy = serde_json::from_value(doc["policies"][policy_name].clone())
            .unwrap_or_else(|e| panic!("policy {policy_name}: {e}"));
        let account: Account = if v["account"].is_null() {
            Account::default()
        } else {
            serde_json::from_value(v["account"].clone()).unwrap()
        };
        let mut password = v["password"].as_str().unwrap().to_string();
        if let Some(rep) = v.get("repeat") {
            password.push_str(
                &rep["text"]
                    .as_str()
                    .unwrap()
                    .repeat(rep["times"].as_u64().unwrap() as usize),
            );
        }
        let validator =
            Validator::with_global_terms(&policy, &account, &global).expect("valid policy");
        let verdict = validator.validate(&password);
        out.push(Case {
            id: v["id"].as_u64().unwrap(),
            password,
            verdict,
            expected: v.clone(),
        });
    }
    out
}

#[test]
fn all_74_vectors_are_present() {
    let mut ids: Vec<u64> = cases().iter().map(|c| c.id).collect();
    ids.dedup();
    assert_eq!(ids, (1..=74).collect::<Vec<_>>());
    assert_eq!(cases().iter().filter(|c| c.id == 46).count(), 3);
}

#[test]
fn lengths_built_by_the_loader_are_right() {
    let cases = cases();
    let len16 = |id: u64| {
        cases
            .iter()
            .find(|c| c.id == id)
            .unwrap()
            .password
            .encode_utf16()
            .count()
    };
    assert_eq!(len16(40), 256);
    assert_eq!(len16(41), 257);
    assert_eq!(len16(66), 257);
    assert_eq!(len16(73), 30);
}

#[test]
fn verdicts_and_failing_rules_match_policy_md() {
    let mut failures = Vec::new();
    for case in cases() {
        let want_ok = case.expected["ok"].as_bool().unwrap();
        let want_rules: Vec<&str> = case.expected["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
        let got_rules: Vec<&str> = case
            .verdict
            .violations
            .iter()
            .map(|v| v.rule.as_str())
            .collect();
        if case.verdict.ok != want_ok || got_rules != want_rules {
            failures.push(format!(
                "#{} ({}): want ok={want_ok} {want_rules:?}, got ok={} {got_rules:?}: {:?}",
                case.id,
                case.expected["policy"],
                case.verdict.ok,
                case.verdict
                    .violations
                    .iter()
                    .map(|v| v.message.as_str())
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} vector(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn spans_point_at_the_offending_part() {
    for case in cases() {
        let Some(spans) = case.expected.get("span").and_then(Value::as_object) else {
            continue;
        };
        for (rule, want) in spans {
            let got = case
                .verdict
                .violations
                .iter()
                .find(|v| v.rule.as_str() == rule)
                .and_then(|v| v.span);
            let want = [
                want[0].as_u64().unwrap() as u32,
                want[1].as_u64().unwrap() as u32,
            ];
            assert_eq!(got, Some(want), "vector #{} rule {rule}", case.id);
        }
    }
}

#[test]
fn uncertainty_is_flagged_where_policy_md_says_so() {
    for case in cases() {
        let Some(want) = case.expected.get("uncertain").and_then(Value::as_bool) else {
            continue;
        };
        assert_eq!(
            case.verdict.uncertain.is_some(),
            want,
            "vector #{}: {:?}",
            case.id,
            case.verdict.uncertain
        );
    }
}

#[test]
fn messages_never_echo_the_password() {
    for case in cases() {
        if case.password.chars().count() < 4 {
            continue;
        }
        for v in &case.verdict.violations {
            // Quoted parts name a term or a name (e.g. banned "abcdef" for the password "abcde").
            let unquoted: String = v.message.split('"').step_by(2).collect();
            assert!(
                !unquoted.contains(&case.password),
                "vector #{} {}: {}",
                case.id,
                v.rule.as_str(),
                v.message
            );
            // And a quoted part is one of those terms or names, never a slice of the password.
            let known = known_words(&case.expected);
            for quoted in v.message.split('"').skip(1).step_by(2) {
                assert!(
                    known.contains(&quoted.to_lowercase()),
                    "vector #{} {}: {:?} is no term or name of this case ({})",
                    case.id,
                    v.rule.as_str(),
                    quoted,
                    v.message
                );
            }
        }
    }
}

/// Every word a message may quote for this vector (lower case): the list terms, the policy's
/// custom terms and tenant, the account's names and the tokens of its display name.
fn known_words(vector: &Value) -> std::collections::HashSet<String> {
    let doc: Value = serde_json::from_str(VECTORS).unwrap();
    let mut words: Vec<String> = Vec::new();
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    words.extend(strings(&doc["global_terms"]));
    let policy = &doc["policies"][vector["policy"].as_str().unwrap()];
    words.extend(strings(&policy["custom_terms"]));
    words.extend(strings(&policy["blocklist"]));
    if let Some(t) = policy["tenant_name"].as_str() {
        words.push(t.to_string());
    }
    for field in [
        "sam_account_name",
        "given_name",
        "surname",
        "upn",
        "display_name",
    ] {
        if let Some(name) = vector["account"][field].as_str() {
            words.push(name.to_string());
            // The AD display-name delimiters (docs/policy.md §1.1 rule 4).
            words.extend(
                name.split(|c: char| ",.-_# \t".contains(c))
                    .filter(|t| !t.is_empty())
                    .map(str::to_string),
            );
        }
    }
    words.into_iter().map(|w| w.to_lowercase()).collect()
}
