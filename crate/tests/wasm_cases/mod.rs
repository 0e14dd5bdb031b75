//! wasm-bindgen tests of the JS API, shared by `wasm_node.rs` (Node) and `wasm_browser.rs`
//! (headless Chromium). They drive the exported functions with real JS values and compare what JS
//! sees with the native crate's JSON, so they test the translation, not the rules.
#![allow(clippy::unwrap_used)]
use js_sys::{Array, Reflect, JSON};
use passdesk_core::wasm::{
    self, JsAccount, JsPassphraseOptions, JsPasswordOptions, JsPolicy, JsValidator,
};
use passdesk_core::{Account, Policy, Validator};
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn js(v: &Value) -> JsValue {
    JSON::parse(&v.to_string()).expect("valid JSON")
}

fn policy(v: &Value) -> JsPolicy {
    js(v).unchecked_into()
}

fn account(v: &Value) -> Option<JsAccount> {
    Some(js(v).unchecked_into())
}

/// What JS sees, as JSON (a JS `undefined` property would vanish here, a `null` stays).
fn seen(v: &JsValue) -> Value {
    let text: String = JSON::stringify(v).expect("stringify").into();
    serde_json::from_str(&text).expect("JSON")
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).expect("property")
}

/// (name, variant) of a thrown error; also checks it is a real JS `Error`.
fn error_kind(e: &JsValue) -> (String, String) {
    assert!(e.is_instance_of::<js_sys::Error>(), "not an Error: {e:?}");
    let name = get(e, "name").as_string().expect("name");
    let variant = get(e, "variant").as_string().expect("variant");
    let message = get(e, "message").as_string().expect("message");
    assert!(!message.is_empty());
    (name, variant)
}

fn ad() -> Value {
    json!({"kind":"active_directory","dc":"windows","min_length":7,"complexity":true,"history_length":24})
}

fn john() -> Value {
    json!({"sam_account_name":"jsmith","display_name":"John Smith","given_name":"John","surname":"Smith",
           "upn":"jsmith@contoso.example"})
}

fn policies() -> Vec<Value> {
    vec![
        ad(),
        json!({"kind":"active_directory","dc":"samba","min_length":8,"complexity":true,"history_length":0}),
        json!({"kind":"active_directory"}),
        json!({"kind":"entra","custom_terms":["contoso","fabrikam"],"global_list":true,"tenant_name":"Contoso"}),
        json!({"kind":"entra","custom_terms":[],"global_list":false,"tenant_name":null}),
        json!({"kind":"nist","min_length":15,"blocklist":["correcthorsebatterystaple"]}),
        // Compatibility forms: the wasm build normalises with String.prototype.normalize('NFKC'),
        // the native one with its own tables; both must agree.
        json!({"kind":"nist","min_length":8,"blocklist":["password123","financial","cafébistro","ｑｗｅｒｔｙ１２３"]}),
    ]
}

const PASSWORDS: &[&str] = &[
    "",
    "a",
    "password",
    "Password1",
    "jsmith2024!",
    "John.Smith99",
    "Contoso2024!",
    "P@ssw0rd",
    "correct horse battery staple",
    "CorrectHorseBatteryStaple",
    "Zq7#vL2!pX9m",
    "Ünïcödé-Pass1",
    "emoji🔑Key9!",
    "tab\tinside1A",
    "        ",
    "Fabr1kam!!xyz",
    "ｐａｓｓｗｏｒｄ１２３",
    "PASSWORD123",
    "ﬁnancial",
    "café\u{301}bistro",
    "cafe\u{301}bistro",
    "qwerty123",
    "①②③④⑤⑥⑦⑧",
    "Ⅻ-roman-numeral",
];

/// Every (policy, password) pair: the object JS receives equals the native verdict's JSON —
/// same fields, snake_case, `null` (not `undefined`) where the JSON has null.
#[wasm_bindgen_test]
fn verdict_objects_equal_native_json() {
    for p in policies() {
        let native_policy: Policy = serde_json::from_value(p.clone()).unwrap();
        let native_account: Account = serde_json::from_value(john()).unwrap();
        let native = Validator::new(&native_policy, &native_account).unwrap();
        let v = JsValidator::new(policy(&p), account(&john())).unwrap();
        for pw in PASSWORDS {
            let expected = serde_json::to_value(native.validate(pw)).unwrap();
            let from_class: JsValue = v.validate(JsValue::from_str(pw)).unwrap().into();
            assert_eq!(
                seen(&from_class),
                expected,
                "policy {p} password #{}",
                pw.len()
            );
            let from_fn: JsValue =
                wasm::validate_once(JsValue::from_str(pw), policy(&p), account(&john()))
                    .unwrap()
                    .into();
            assert_eq!(seen(&from_fn), expected);
        }
    }
}

/// Absent optionals are `null`, never `undefined` (the panel tests `=== null`).
#[wasm_bindgen_test]
fn nulls_are_null_not_undefined() {
    let v = JsValidator::new(policy(&ad()), None).unwrap();
    let verdict: JsValue = v.validate(JsValue::from_str("abc")).unwrap().into();
    let native =
        Validator::new(&serde_json::from_value(ad()).unwrap(), &Account::default()).unwrap();
    assert_eq!(
        native.validate("abc").uncertain,
        None,
        "the AD policy is certain about \"abc\""
    );
    assert!(get(&verdict, "uncertain").is_null(), "null, not undefined");
    let violations: Array = get(&verdict, "violations")
        .dyn_into()
        .expect("violations is an Array");
    assert!(violations.length() > 0, "\"abc\" breaks the AD policy");
    for viol in violations.iter() {
        let span = get(&viol, "span");
        assert!(
            span.is_null() || Array::is_array(&span),
            "span must be null or [start, end]"
        );
        assert!(get(&viol, "rule").is_string());
    }
    assert!(Array::is_array(&get(&verdict, "satisfied")));
    assert_eq!(get(&verdict, "ok").as_bool(), Some(false));
}

#[wasm_bindgen_test]
fn missing_account_means_no_names() {
    let with_null = JsValidator::new(policy(&ad()), Some(JsValue::NULL.unchecked_into())).unwrap();
    let with_none = JsValidator::new(policy(&ad()), None).unwrap();
    let empty = JsValidator::new(policy(&ad()), account(&json!({}))).unwrap();
    for pw in PASSWORDS {
        let a = seen(&with_null.validate(JsValue::from_str(pw)).unwrap().into());
        assert_eq!(
            a,
            seen(&with_none.validate(JsValue::from_str(pw)).unwrap().into())
        );
        assert_eq!(
            a,
            seen(&empty.validate(JsValue::from_str(pw)).unwrap().into())
        );
    }
}

#[wasm_bindgen_test]
fn malformed_inputs_throw_input_errors() {
    let bad_policy = JsValidator::new(
        policy(&json!({"kind":"active_directory","min_len":7})),
        None,
    )
    .err()
    .unwrap();
    assert_eq!(
        error_kind(&bad_policy),
        ("InputError".into(), "InvalidPolicy".into())
    );
    let bad_kind = JsValidator::new(policy(&json!({"kind":"kerberos"})), None)
        .err()
        .unwrap();
    assert_eq!(
        error_kind(&bad_kind),
        ("InputError".into(), "InvalidPolicy".into())
    );
    let undefined_policy = JsValidator::new(JsValue::UNDEFINED.unchecked_into(), None)
        .err()
        .unwrap();
    assert_eq!(
        error_kind(&undefined_policy),
        ("InputError".into(), "InvalidPolicy".into())
    );
    let bad_account = JsValidator::new(policy(&ad()), account(&json!({"sam":"x"})))
        .err()
        .unwrap();
    assert_eq!(
        error_kind(&bad_account),
        ("InputError".into(), "InvalidAccount".into())
    );

    let v = JsValidator::new(policy(&ad()), None).unwrap();
    for not_a_string in [
        JsValue::UNDEFINED,
        JsValue::NULL,
        JsValue::from_f64(12345678.0),
    ] {
        let e = v.validate(not_a_string).err().unwrap();
        assert_eq!(
            error_kind(&e),
            ("InputError".into(), "InvalidPassword".into())
        );
    }
    let opts: JsPasswordOptions = js(&json!({"length":16,"digits":true})).unchecked_into();
    let e = wasm::generate_password(Some(opts), None, None)
        .err()
        .unwrap();
    assert_eq!(
        error_kind(&e),
        ("InputError".into(), "InvalidOptions".into())
    );
}

/// An unusable policy is a `PolicyError` whose message equals the native error's.
#[wasm_bindgen_test]
fn policy_errors_match_native() {
    let huge: Vec<String> = (0..1001).map(|i| format!("term{i:04}")).collect();
    let cases = [
        (
            json!({"kind":"active_directory","min_length":100000}),
            "OutOfRange",
        ),
        (json!({"kind":"entra","custom_terms":huge}), "TooManyTerms"),
    ];
    for (p, variant) in cases {
        let native_policy: Policy = serde_json::from_value(p.clone()).unwrap();
        let native =
            Validator::new(&native_policy, &Account::default()).expect_err("native refuses");
        let e = JsValidator::new(policy(&p), None)
            .err()
            .expect("wasm refuses");
        assert_eq!(error_kind(&e), ("PolicyError".into(), variant.into()));
        assert_eq!(get(&e, "message").as_string().unwrap(), native.to_string());
    }
}

/// Generated secrets pass the policy they were made for, differ from call to call (the CSPRNG is
/// wired to crypto.getRandomValues), and come as `{password, entropy_bits}`.
#[wasm_bindgen_test]
fn generated_passwords_pass_and_differ() {
    let entra = json!({"kind":"entra","custom_terms":["contoso"],"global_list":true,"tenant_name":"Contoso"});
    for p in [ad(), entra] {
        let checker = JsValidator::new(policy(&p), account(&john())).unwrap();
        let mut seen_pw = Vec::new();
        for _ in 0..5 {
            let opts: JsPasswordOptions =
                js(&json!({"length":14,"symbols":false})).unchecked_into();
            let g: JsValue =
                wasm::generate_password(Some(opts), Some(policy(&p)), account(&john()))
                    .unwrap()
                    .into();
            let pw = get(&g, "password").as_string().unwrap();
            assert_eq!(pw.chars().count(), 14);
            assert!(get(&g, "entropy_bits").as_f64().unwrap() > 40.0);
            let verdict: JsValue = checker.validate(JsValue::from_str(&pw)).unwrap().into();
            assert_eq!(
                get(&verdict, "ok").as_bool(),
                Some(true),
                "generated password fails {p}"
            );
            seen_pw.push(pw);
        }
        seen_pw.sort();
        seen_pw.dedup();
        assert_eq!(seen_pw.len(), 5, "the RNG repeats itself");
    }
}

#[wasm_bindgen_test]
fn generated_passphrases_follow_options() {
    let opts: JsPassphraseOptions =
        js(&json!({"words":5,"word_size":"short","separator":"+","capitalize":true}))
            .unchecked_into();
    let g: JsValue = wasm::generate_passphrase(Some(opts), Some(policy(&ad())), account(&john()))
        .unwrap()
        .into();
    let pw = get(&g, "password").as_string().unwrap();
    let words: Vec<&str> = pw.split('+').collect();
    assert_eq!(
        words.len(),
        5,
        "five words joined by '+', no digits asked for: {pw}"
    );
    for w in &words {
        let mut chars = w.chars();
        assert!(
            chars.next().is_some_and(|c| c.is_ascii_uppercase()),
            "capitalised: {w}"
        );
        // The EFF short list has one hyphenated word (yo-yo).
        assert!(
            chars.all(|c| c.is_ascii_lowercase() || c == '-'),
            "a word, nothing else: {w}"
        );
    }
    let verdict: JsValue =
        wasm::validate_once(JsValue::from_str(&pw), policy(&ad()), account(&john()))
            .unwrap()
            .into();
    assert_eq!(get(&verdict, "ok").as_bool(), Some(true));
    // No options: the documented defaults (4 long words joined by '-').
    let nist = json!({"kind":"nist","min_length":15});
    let g: JsValue = wasm::generate_passphrase(None, Some(policy(&nist)), None)
        .unwrap()
        .into();
    let pw = get(&g, "password").as_string().unwrap();
    assert_eq!(pw.split('-').count(), 4, "4 words");
    assert!(pw.chars().all(|c| c == '-' || c.is_ascii_lowercase()));
    // No policy: the AD Windows defaults, so a lower-case-only passphrase is refused.
    let e = wasm::generate_passphrase(None, None, None).err().unwrap();
    assert_eq!(
        error_kind(&e),
        ("GenerateError".into(), "Infeasible".into())
    );
}

#[wasm_bindgen_test]
fn generator_errors_are_generate_errors() {
    let short: JsPasswordOptions = js(&json!({"length":3})).unchecked_into();
    let e = wasm::generate_password(Some(short), None, None)
        .err()
        .unwrap();
    assert_eq!(
        error_kind(&e),
        ("GenerateError".into(), "InvalidLength".into())
    );
    let sep: JsPassphraseOptions = js(&json!({"separator":"--"})).unchecked_into();
    let e = wasm::generate_passphrase(Some(sep), None, None)
        .err()
        .unwrap();
    assert_eq!(
        error_kind(&e),
        ("GenerateError".into(), "InvalidSeparator".into())
    );
    // Complexity needs three categories; lower-case words with nothing else can never get there.
    let plain: JsPassphraseOptions =
        js(&json!({"numbers":false,"capitalize":false,"separator":"x"})).unchecked_into();
    let e = wasm::generate_passphrase(Some(plain), Some(policy(&ad())), None)
        .err()
        .unwrap();
    assert_eq!(
        error_kind(&e),
        ("GenerateError".into(), "Infeasible".into())
    );
}
