//! The API contract (issue #13): the words the API answers come from the server's enums
//! ([`Vocabulary::ALL`], see src/vocabulary.rs), and everything else that spells them is checked
//! against those enums here:
//! - every `enum:` of server/openapi.yaml is exactly one vocabulary's words (nothing missing,
//!   nothing extra), and no `enum:` of the document goes unchecked;
//! - every route of the router (read from its source) is a path of the document with its method,
//!   and the document has no path the router does not serve;
//! - docs/api.md names every error code, problem code and likely cause;
//! - extension/lib/codes.json, which the panel's unit test (tests/e2e/unit/codes.test.mjs) reads to
//!   check that every code has words in the panel, is what the enums say today.
#![allow(clippy::unwrap_used)]
mod api_common;

use std::collections::BTreeSet;

use passdesk_server::{
    connectwise::TicketKind,
    directory::AccountSource,
    http::error::ErrorCode,
    store::audit::{AuditAction, AuditResult, NoteStatus},
    ticket_flow::{context::ProblemCode, directories::DirectoryKind, refusal::LikelyCause},
    verification::{MethodKind, VerificationMode, VerificationStatus},
    vocabulary::Vocabulary,
};
use serde_json::Value;

/// One vocabulary of the API: its key in codes.json, its words, and where openapi.yaml spells it
/// (JSON pointers to the schemas whose `enum` must be exactly these words; `null` is added where
/// the schema's `type` allows it).
struct Vocab {
    name: &'static str,
    words: Vec<String>,
    schemas: &'static [&'static str],
}

fn vocabularies() -> Vec<Vocab> {
    fn v<T: Vocabulary>(name: &'static str, schemas: &'static [&'static str]) -> Vocab {
        Vocab {
            name,
            words: T::words(),
            schemas,
        }
    }
    vec![
        v::<ErrorCode>(
            "error_codes",
            &["/components/schemas/Error/properties/error/properties/code"],
        ),
        v::<ProblemCode>("problem_codes", &["/components/schemas/Problem/properties/code"]),
        v::<LikelyCause>(
            "likely_causes",
            &["/components/schemas/Error/properties/error/properties/likely_causes/items"],
        ),
        v::<VerificationStatus>(
            "verification_statuses",
            &[
                "/components/schemas/Verification/properties/status",
                "/components/schemas/Error/properties/error/properties/status",
            ],
        ),
        v::<MethodKind>(
            "method_kinds",
            &[
                "/components/schemas/Verification/properties/kind",
                "/components/schemas/VerifiedBy/properties/kind",
                "/components/schemas/TicketContext/properties/verification/properties/methods/items/properties/kind",
                "/components/schemas/AuditEntry/properties/method",
            ],
        ),
        v::<VerificationMode>(
            "verification_modes",
            &["/components/schemas/TicketContext/properties/verification/properties/mode"],
        ),
        v::<AuditAction>(
            "audit_actions",
            &["/components/schemas/AuditEntry/properties/action"],
        ),
        v::<AuditResult>(
            "audit_results",
            &["/components/schemas/AuditEntry/properties/result"],
        ),
        v::<NoteStatus>(
            "note_statuses",
            &[
                "/components/schemas/AuditEntry/properties/note",
                "/paths/~1api~1v1~1tickets~1{id}~1reset/post/responses/200/content/application~1json/schema/properties/note",
            ],
        ),
        v::<TicketKind>(
            "ticket_kinds",
            &[
                "/components/parameters/Kind/schema",
                "/components/schemas/TicketContext/properties/ticket/properties/kind",
                "/components/schemas/AuditEntry/properties/ticket_kind",
            ],
        ),
        v::<AccountSource>(
            "account_sources",
            &["/components/schemas/Account/properties/source"],
        ),
        v::<DirectoryKind>(
            "directory_kinds",
            &["/components/schemas/TicketContext/properties/directory/properties/kind"],
        ),
    ]
}

/// `enum:`s of the document that are no enum of this crate, and why.
const NOT_SERVER_VOCABULARIES: &[(&str, &str)] = &[(
    "/components/schemas/TicketContext/properties/policy/properties/kind",
    "passdesk-core's Policy (crate/): the core's own JSON, passed through as it is",
)];

fn openapi() -> Value {
    serde_yaml::from_str(include_str!("../openapi.yaml")).unwrap()
}

/// The JSON pointer of every object of `value` that has an `enum`.
fn enums_in(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if map.contains_key("enum") {
                out.push(at.clone());
            }
            for (k, v) in map {
                let key = k.replace('~', "~0").replace('/', "~1");
                enums_in(v, format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                enums_in(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// What differs between two word lists, as "missing [..], extra [..]" (empty when none).
fn difference(expected: &[Value], actual: &[Value]) -> String {
    let show = |v: &Value| v.to_string();
    let want: BTreeSet<String> = expected.iter().map(show).collect();
    let have: BTreeSet<String> = actual.iter().map(show).collect();
    let missing: Vec<_> = want.difference(&have).collect();
    let extra: Vec<_> = have.difference(&want).collect();
    let duplicated = actual.len() != have.len();
    if missing.is_empty() && extra.is_empty() && !duplicated {
        String::new()
    } else {
        format!("missing {missing:?}, extra {extra:?}, duplicates: {duplicated}")
    }
}

#[test]
fn every_enum_of_the_openapi_document_is_exactly_a_vocabulary_of_the_code() {
    let spec = openapi();
    assert_eq!(spec["openapi"], "3.1.0");
    let mut failures = Vec::new();
    let mut checked: BTreeSet<String> = BTreeSet::new();
    for vocab in vocabularies() {
        assert!(!vocab.words.is_empty(), "{}", vocab.name);
        for pointer in vocab.schemas {
            checked.insert(pointer.to_string());
            let Some(schema) = spec.pointer(pointer) else {
                failures.push(format!("{}: no schema at {pointer}", vocab.name));
                continue;
            };
            let Some(actual) = schema["enum"].as_array() else {
                failures.push(format!("{}: {pointer} has no `enum`", vocab.name));
                continue;
            };
            let nullable = schema["type"]
                .as_array()
                .is_some_and(|types| types.iter().any(|t| t == "null"));
            let mut expected: Vec<Value> = vocab.words.iter().cloned().map(Value::from).collect();
            if nullable {
                expected.push(Value::Null);
            }
            let diff = difference(&expected, actual);
            if !diff.is_empty() {
                failures.push(format!("{} at {pointer}: {diff}", vocab.name));
            }
        }
    }
    let mut all = Vec::new();
    enums_in(&spec, String::new(), &mut all);
    for pointer in all {
        let known = checked.contains(&pointer)
            || NOT_SERVER_VOCABULARIES.iter().any(|(p, _)| *p == pointer);
        if !known {
            failures.push(format!(
                "{pointer} has an `enum` no vocabulary of tests/api_contract.rs checks: add its \
                 pointer to the vocabulary it spells (or to NOT_SERVER_VOCABULARIES, with why)"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "server/openapi.yaml disagrees with the code:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_openapi_document_has_exactly_the_routes_of_the_router() {
    let spec = openapi();
    let paths = spec["paths"].as_object().unwrap();
    let routes = api_common::router_routes();
    let mut failures = Vec::new();
    for (method, path) in &routes {
        let Some(item) = paths.get(path).and_then(Value::as_object) else {
            failures.push(format!("{path} is served but not in openapi.yaml"));
            continue;
        };
        let documented = match method.as_str() {
            // `any`: the agents' WebSocket, documented by its upgrade request (GET).
            "any" => !item.is_empty(),
            m => item.contains_key(m),
        };
        if !documented {
            failures.push(format!(
                "{method} {path} is served but openapi.yaml has no {method} operation"
            ));
        }
        for documented in item.keys() {
            if method != "any" && documented != method && documented != "parameters" {
                failures.push(format!(
                    "openapi.yaml documents {documented} {path}; the router serves only {method}"
                ));
            }
        }
    }
    for path in paths.keys() {
        if !routes.iter().any(|(_, p)| p == path) {
            failures.push(format!(
                "openapi.yaml documents {path}, which the router does not serve"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_api_docs_name_every_error_code_problem_code_and_likely_cause() {
    let docs = include_str!("../../docs/api.md");
    let mut missing = Vec::new();
    for vocab in vocabularies() {
        if ["error_codes", "problem_codes", "likely_causes"].contains(&vocab.name) {
            for word in &vocab.words {
                if !docs.contains(word.as_str()) {
                    missing.push(format!("{} {word}", vocab.name));
                }
            }
        }
    }
    assert!(missing.is_empty(), "missing from docs/api.md: {missing:?}");
}

const CODES_JSON: &str = "extension/lib/codes.json";

/// What extension/lib/codes.json must hold: every vocabulary, by name, in declaration order.
fn codes_json() -> String {
    let mut map = serde_json::Map::new();
    map.insert(
        "_".into(),
        Value::from(
            "Generated from the server's enums by server/tests/api_contract.rs; do not edit. \
             Regenerate: PASSDESK_WRITE_CODES=1 cargo test -p passdesk-server --test api_contract",
        ),
    );
    for vocab in vocabularies() {
        map.insert(vocab.name.into(), Value::from(vocab.words));
    }
    serde_json::to_string_pretty(&Value::Object(map)).unwrap() + "\n"
}

#[test]
fn the_panel_codes_file_is_what_the_enums_say() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(CODES_JSON);
    let want = codes_json();
    if std::env::var_os("PASSDESK_WRITE_CODES").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{CODES_JSON} is not what the server's enums say. Regenerate it:\n  \
         PASSDESK_WRITE_CODES=1 cargo test -p passdesk-server --test api_contract\nthen run \
         `node --test tests/e2e/unit/codes.test.mjs` (every code needs panel words).\nExpected:\n{want}"
    );
}

/// The const ALL of a [`Vocabulary`] is made from the enum's own variant list; this only shows the
/// words are what the API has always said (a renamed serde word would change the API).
#[test]
fn the_words_are_the_serde_names() {
    assert_eq!(ErrorCode::words()[0], "UNAUTHORIZED");
    assert!(ErrorCode::words().contains(&"AGENT_UNAUTHORIZED".to_string()));
    assert_eq!(
        LikelyCause::words(),
        [
            "OTHER_DC_PROFILE",
            "POLICY_UNCERTAIN",
            "RECENTLY_USED",
            "DIRECTORY_FILTER"
        ]
    );
    assert_eq!(TicketKind::words(), ["service", "project"]);
}
