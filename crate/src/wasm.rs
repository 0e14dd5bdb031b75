//! JavaScript bindings (feature `wasm`). Translation only: every rule lives in the validator and
//! the generators; this module converts JS values to the crate's types and back.
//!
//! Values have exactly the JSON shapes of the CLI (snake_case fields, `null` for absent optionals).
//! Errors are thrown as JS `Error`s whose `name` is `"PolicyError"`, `"GenerateError"` or
//! `"InputError"` and whose `variant` names the case (e.g. `"OutOfRange"`, `"Infeasible"`).
use serde::de::{DeserializeOwned, Visitor};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use zeroize::{Zeroize, Zeroizing};

use std::cell::RefCell;

use crate::{
    Account, GenerateError, Generated, PassphraseOptions, PasswordOptions, Policy, PolicyError,
    Satisfied, Violation,
};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Which DC software enforces an Active Directory policy. */
export type DcKind = "windows" | "samba";
/** `{"kind":"active_directory","dc":"windows","min_length":7,"complexity":true,"history_length":24}` */
export interface ActiveDirectoryPolicy {
  kind: "active_directory";
  dc?: DcKind;
  min_length?: number;
  complexity?: boolean;
  history_length?: number;
}
/** `{"kind":"entra","custom_terms":["contoso"],"global_list":true,"tenant_name":"Contoso"}` */
export interface EntraPolicy {
  kind: "entra";
  custom_terms?: string[];
  global_list?: boolean;
  tenant_name?: string | null;
}
/** `{"kind":"nist","min_length":15,"blocklist":["..."]}` */
export interface NistPolicy {
  kind: "nist";
  min_length?: number;
  blocklist?: string[];
}
/** A password policy: exactly the CLI's policy JSON. */
export type Policy = ActiveDirectoryPolicy | EntraPolicy | NistPolicy;
/** The account a password is checked for; a missing name skips the checks that need it. */
export interface Account {
  sam_account_name?: string | null;
  display_name?: string | null;
  given_name?: string | null;
  surname?: string | null;
  upn?: string | null;
}
/** Stable rule identifiers. */
export type RuleId =
  | "AD_MIN_LEN" | "AD_MAX_LEN" | "AD_SAM_NAME" | "AD_DISPLAY_NAME_TOKEN" | "AD_COMPLEXITY"
  | "ENTRA_CHARSET" | "ENTRA_MIN_LEN" | "ENTRA_MAX_LEN" | "ENTRA_COMPLEXITY" | "ENTRA_BANNED"
  | "ENTRA_NAME_SUBSTRING" | "NIST_MIN_LEN" | "NIST_BLOCKLIST";
/** One failing rule; `span` is `[start, end)` in UTF-16 code units (JS string indices). */
export interface Violation {
  rule: RuleId;
  message: string;
  span: [number, number] | null;
}
/** One rule that is met. */
export interface Satisfied {
  rule: RuleId;
  message: string;
}
/** The outcome of validating one password. */
export interface Verdict {
  ok: boolean;
  /** From `Validator.validate`: each violation is frozen and the same object for as long as it
   *  recurs unchanged (rule, message and span). */
  violations: readonly Readonly<Violation>[];
  /** From `Validator.validate`: frozen, and the same array object as long as the checklist is
   *  unchanged (so a UI can skip re-rendering it by comparing identity). */
  satisfied: readonly Readonly<Satisfied>[];
  uncertain: string | null;
}
/** Complex-password options; missing fields take the defaults shown. */
export interface PasswordOptions {
  /** 8–256, default 16. */
  length?: number;
  /** default true */
  numbers?: boolean;
  /** default true */
  symbols?: boolean;
  /** default true; false leaves out look-alike characters such as I l 1 O 0 */
  lookalikes?: boolean;
}
/** Which EFF list a passphrase draws from. */
export type WordSize = "short" | "long";
/** Passphrase options; missing fields take the defaults shown. */
export interface PassphraseOptions {
  /** 3–20, default 4. */
  words?: number;
  /** default "long" */
  word_size?: WordSize;
  /** exactly one character, default "-" */
  separator?: string;
  /** default false */
  numbers?: boolean;
  /** default false */
  capitalize?: boolean;
}
/** A generated secret and the entropy (bits) of the configuration that produced it. */
export interface Generated {
  password: string;
  entropy_bits: number;
}
/** What every function of this module throws. */
export interface PassDeskError extends Error {
  name: "PolicyError" | "GenerateError" | "InputError";
  /** The Rust enum variant, e.g. "OutOfRange", "Infeasible"; for InputError: "InvalidPolicy",
   *  "InvalidAccount", "InvalidOptions" or "InvalidPassword". */
  variant: string;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// A `Policy` object (see the TypeScript section).
    #[wasm_bindgen(typescript_type = "Policy")]
    pub type JsPolicy;
    /// An `Account` object.
    #[wasm_bindgen(typescript_type = "Account")]
    pub type JsAccount;
    /// A `Verdict` object.
    #[wasm_bindgen(typescript_type = "Verdict")]
    pub type JsVerdict;
    /// `PasswordOptions`.
    #[wasm_bindgen(typescript_type = "PasswordOptions")]
    pub type JsPasswordOptions;
    /// `PassphraseOptions`.
    #[wasm_bindgen(typescript_type = "PassphraseOptions")]
    pub type JsPassphraseOptions;
    /// A `Generated` object.
    #[wasm_bindgen(typescript_type = "Generated")]
    pub type JsGenerated;
}

#[wasm_bindgen(module = "/js/verdict.js")]
extern "C" {
    #[wasm_bindgen(js_name = verdictState)]
    fn verdict_state() -> JsValue;
    #[wasm_bindgen(js_name = internViolation)]
    fn intern_violation(state: &JsValue, rule: &str, message: &str, start: i32, end: i32);
    #[wasm_bindgen(js_name = checklistItem)]
    fn checklist_item(state: &JsValue, rule: &str, message: &str);
    #[wasm_bindgen(js_name = internChecklist)]
    fn intern_checklist(state: &JsValue);
    #[wasm_bindgen(js_name = internDoubt)]
    fn intern_doubt(state: &JsValue, reason: &str);
    fn forget(state: &JsValue, table: &str);
    #[wasm_bindgen(js_name = verdict)]
    #[allow(clippy::too_many_arguments)]
    fn js_verdict(
        state: &JsValue,
        ok: bool,
        count: u32,
        ids0: u32,
        ids1: u32,
        ids2: u32,
        ids3: u32,
        checklist: u32,
        doubt: i32,
    ) -> JsVerdict;
}

/// Distinct values each table keeps (here and as JS objects in `js/verdict.js`) before it starts
/// over: typing meets a few dozen violations and a handful of checklists, so this bounds memory
/// without costing hits. Ids then fit in a byte.
const MAX_INTERNED: usize = 256;

/// A verdict has at most one violation per rule: fewer than 16, four ids per packed number.
const MAX_VIOLATIONS: usize = 16;

/// A policy compiled for one account: build once, call `validate` on every keystroke.
#[wasm_bindgen(js_name = Validator)]
pub struct JsValidator {
    inner: crate::Validator,
    /// The JS side of the verdict tables (see `js/verdict.js`).
    state: JsValue,
    /// What the JS side holds, index = id. Keystrokes mostly repeat earlier violations,
    /// checklists and doubts, so only their ids cross the boundary. Never the password.
    sent: RefCell<Sent>,
}

#[derive(Default)]
struct Sent {
    violations: Vec<Violation>,
    checklists: Vec<Vec<Satisfied>>,
    doubts: Vec<String>,
}

#[wasm_bindgen(js_class = Validator)]
impl JsValidator {
    /// Compiles `policy` for `account` (null/undefined = no names known).
    /// Throws `PolicyError` for an unusable policy, `InputError` for a malformed object.
    #[wasm_bindgen(constructor)]
    pub fn new(policy: JsPolicy, account: Option<JsAccount>) -> Result<JsValidator, JsValue> {
        let policy = policy_from(&policy)?;
        let account = account_from(account.as_deref())?;
        let inner = crate::Validator::new(&policy, &account).map_err(policy_error)?;
        Ok(JsValidator {
            inner,
            state: verdict_state(),
            sent: RefCell::default(),
        })
    }

    /// Every failing rule for `password`, and the rules met.
    pub fn validate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] password: JsValue,
    ) -> Result<JsVerdict, JsValue> {
        let password = password_from(&password)?;
        let verdict = self.inner.validate(&password);
        drop(password);
        let sent = &mut *self.sent.borrow_mut();
        let state = &self.state;
        // A verdict's ids must stay valid until it is built: make room for all of them first.
        let count = verdict.violations.len().min(MAX_VIOLATIONS);
        let violations = make_room(&mut sent.violations, state, "violations", count);
        // Ids go to JS one byte each in four plain numbers: a slice would cost a typed-array
        // view per keystroke.
        let mut ids = [0u32; 4];
        for (i, v) in verdict.violations.into_iter().take(count).enumerate() {
            let id = intern(violations, v, |v| {
                let [start, end] = v.span.map_or([-1, -1], |[s, e]| [s as i32, e as i32]);
                intern_violation(state, v.rule.as_str(), &v.message, start, end);
            });
            ids[i / 4] |= id << (8 * (i % 4));
        }
        let [ids0, ids1, ids2, ids3] = ids;
        let checklist = make_room(&mut sent.checklists, state, "checklists", 1);
        let checklist = intern(checklist, verdict.satisfied, |list| {
            for s in list {
                checklist_item(state, s.rule.as_str(), &s.message);
            }
            intern_checklist(state);
        });
        let doubt = match verdict.uncertain {
            None => -1,
            Some(reason) => {
                let doubts = make_room(&mut sent.doubts, state, "doubts", 1);
                intern(doubts, reason, |r| intern_doubt(state, r)) as i32
            }
        };
        let count = count as u32;
        Ok(js_verdict(
            state, verdict.ok, count, ids0, ids1, ids2, ids3, checklist, doubt,
        ))
    }
}

/// Empties `table` (and its JS twin) unless `needed` more values fit.
fn make_room<'t, T>(
    table: &'t mut Vec<T>,
    state: &JsValue,
    name: &str,
    needed: usize,
) -> &'t mut Vec<T> {
    if table.len() + needed > MAX_INTERNED {
        table.clear();
        forget(state, name);
    }
    table
}

/// The id of `value` in `table`, calling `send` to give it to the JS side first if it is new.
fn intern<T: PartialEq>(table: &mut Vec<T>, value: T, send: impl FnOnce(&T)) -> u32 {
    let id = match table.iter().position(|seen| *seen == value) {
        Some(id) => id,
        None => {
            send(&value);
            table.push(value);
            table.len() - 1
        }
    };
    id as u32
}

/// One-shot validation: compiles the policy and validates `password` once.
#[wasm_bindgen(js_name = validate)]
pub fn validate_once(
    #[wasm_bindgen(unchecked_param_type = "string")] password: JsValue,
    policy: JsPolicy,
    account: Option<JsAccount>,
) -> Result<JsVerdict, JsValue> {
    JsValidator::new(policy, account)?.validate(password)
}

/// A passphrase of EFF words that satisfies `policy` for `account` (defaults: AD Windows policy).
#[wasm_bindgen(js_name = generatePassphrase)]
pub fn generate_passphrase(
    options: Option<JsPassphraseOptions>,
    policy: Option<JsPolicy>,
    account: Option<JsAccount>,
) -> Result<JsGenerated, JsValue> {
    let opts: PassphraseOptions = options_from(options.as_deref())?;
    let validator = validator_for(policy, account)?;
    generated_to_js(crate::generate_passphrase(&opts, &validator))
}

/// A complex password that satisfies `policy` for `account` (defaults: AD Windows policy).
#[wasm_bindgen(js_name = generatePassword)]
pub fn generate_password(
    options: Option<JsPasswordOptions>,
    policy: Option<JsPolicy>,
    account: Option<JsAccount>,
) -> Result<JsGenerated, JsValue> {
    let opts: PasswordOptions = options_from(options.as_deref())?;
    let validator = validator_for(policy, account)?;
    generated_to_js(crate::generate_password(&opts, &validator))
}

// ---- translation helpers ----------------------------------------------------------------------

fn validator_for(
    policy: Option<JsPolicy>,
    account: Option<JsAccount>,
) -> Result<crate::Validator, JsValue> {
    // No policy given: the AD Windows defaults, like the CLI without --policy.
    let policy = match policy.as_deref() {
        Some(p) if !p.is_null() && !p.is_undefined() => policy_from(p)?,
        _ => Policy::ActiveDirectory(Default::default()),
    };
    let account = account_from(account.as_deref())?;
    crate::Validator::new(&policy, &account).map_err(policy_error)
}

/// Reads `T` from a JS value with the CLI's JSON rules. serde-wasm-bindgen reads only the fields a
/// plain struct asks for, so `deny_unknown_fields` alone would let a typo (`min_len`) through
/// silently: every key of such an input must be one of the struct's fields or of `also`.
fn from_js<T: DeserializeOwned>(v: &JsValue, also: &[&str]) -> Result<T, String> {
    let value: T = serde_wasm_bindgen::from_value(v.clone()).map_err(|e| e.to_string())?;
    if let Some(fields) =
        struct_fields::<T>().filter(|_| v.is_object() && !js_sys::Array::is_array(v))
    {
        for key in js_sys::Object::keys(v.unchecked_ref::<js_sys::Object>()).iter() {
            let key = key.as_string().unwrap_or_default();
            if !fields.contains(&key.as_str()) && !also.contains(&key.as_str()) {
                return Err(format!("unknown field `{key}`"));
            }
        }
    }
    Ok(value)
}

/// The field names serde's derive passes for a plain struct `T`, `None` for other shapes.
fn struct_fields<T: DeserializeOwned>() -> Option<&'static [&'static str]> {
    let mut fields = None;
    let _ = T::deserialize(FieldNames(&mut fields));
    fields
}

/// A deserializer that only records the field list serde asks `deserialize_struct` for.
struct FieldNames<'a>(&'a mut Option<&'static [&'static str]>);

impl<'de> serde::Deserializer<'de> for FieldNames<'_> {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(serde::de::Error::custom("not a plain struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = Some(fields);
        Err(serde::de::Error::custom("fields recorded"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

fn policy_from(v: &JsValue) -> Result<Policy, JsValue> {
    read_policy(v).map_err(|e| input_error("InvalidPolicy", &format!("invalid policy: {e}")))
}

/// The policy's struct chosen by its `kind` tag. Read by hand rather than through `Policy`'s
/// internally tagged `Deserialize`, whose buffering machinery is several KB of wasm; the kind names
/// are the CLI's (the vector tests cover each).
fn read_policy(v: &JsValue) -> Result<Policy, String> {
    if !v.is_object() || js_sys::Array::is_array(v) {
        return Err("expected an object with a `kind`".into());
    }
    let kind = js_sys::Reflect::get(v, &"kind".into())
        .ok()
        .and_then(|k| k.as_string());
    match kind.as_deref() {
        Some("active_directory") => from_js(v, &["kind"]).map(Policy::ActiveDirectory),
        Some("entra") => from_js(v, &["kind"]).map(Policy::Entra),
        Some("nist") => from_js(v, &["kind"]).map(Policy::Nist),
        Some(other) => Err(format!(
            "unknown variant `{other}`, expected one of `active_directory`, `entra`, `nist`"
        )),
        None => Err("missing field `kind`".into()),
    }
}

fn account_from(v: Option<&JsValue>) -> Result<Account, JsValue> {
    match v {
        Some(v) if !v.is_null() && !v.is_undefined() => from_js(v, &[])
            .map_err(|e| input_error("InvalidAccount", &format!("invalid account: {e}"))),
        _ => Ok(Account::default()),
    }
}

fn options_from<T: DeserializeOwned + Default>(v: Option<&JsValue>) -> Result<T, JsValue> {
    match v {
        Some(v) if !v.is_null() && !v.is_undefined() => from_js(v, &[])
            .map_err(|e| input_error("InvalidOptions", &format!("invalid options: {e}"))),
        _ => Ok(T::default()),
    }
}

/// Copies the JS string into a buffer we own, so it is wiped when dropped. A non-string is an
/// error rather than being coerced (`undefined` must not be validated as "undefined").
fn password_from(v: &JsValue) -> Result<Zeroizing<String>, JsValue> {
    v.as_string()
        .map(Zeroizing::new)
        .ok_or_else(|| input_error("InvalidPassword", "the password must be a string"))
}

fn generated_to_js(result: Result<Generated, GenerateError>) -> Result<JsGenerated, JsValue> {
    let mut generated =
        result.map_err(|e| js_error("GenerateError", e.variant(), &e.to_string()))?;
    let out = js_sys::Object::new();
    // Reflect::set on a fresh plain object cannot fail.
    let _ = js_sys::Reflect::set(
        &out,
        &"password".into(),
        &generated.password.as_str().into(),
    );
    let _ = js_sys::Reflect::set(&out, &"entropy_bits".into(), &generated.entropy_bits.into());
    // Our copy of the secret: the JS string now holds the only one the caller needs.
    generated.password.zeroize();
    Ok(out.unchecked_into())
}

fn policy_error(e: PolicyError) -> JsValue {
    js_error("PolicyError", e.variant(), &e.to_string())
}

fn input_error(variant: &str, message: &str) -> JsValue {
    js_error("InputError", variant, message)
}

fn js_error(name: &str, variant: &str, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name(name);
    // Reflect::set on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(
        &err,
        &JsValue::from_str("variant"),
        &JsValue::from_str(variant),
    );
    err.into()
}
