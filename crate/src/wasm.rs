//! JavaScript bindings (feature `wasm`). Translation only: every rule lives in the validator and
//! the generators; this module converts JS values to the crate's types and back.
//!
//! Values have exactly the JSON shapes of the CLI (snake_case fields, `null` for absent optionals).
//! Errors are thrown as JS `Error`s whose `name` is `"PolicyError"`, `"GenerateError"` or
//! `"InputError"` and whose `variant` names the case (e.g. `"OutOfRange"`, `"Infeasible"`).
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use zeroize::{Zeroize, Zeroizing};

use std::cell::RefCell;

use crate::{Account, GenerateError, Generated, PassphraseOptions, PasswordOptions, Policy, PolicyError, Satisfied, Violation};

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
  violations: Violation[];
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

/// A policy compiled for one account: build once, call `validate` on every keystroke.
#[wasm_bindgen(js_name = Validator)]
pub struct JsValidator {
    inner: crate::Validator,
    /// The last `satisfied` list and its frozen JS array. The checklist changes only a few times
    /// while a password is typed, so most keystrokes reuse the array instead of rebuilding ~25 JS
    /// values across the boundary. Policy texts only, never the password.
    checklist: RefCell<(Vec<Satisfied>, JsValue)>,
    /// The last keystroke's violations and their frozen JS objects: most violations survive from
    /// one keystroke to the next, and reusing their objects avoids re-decoding their messages.
    warnings: RefCell<Vec<(Violation, JsValue)>>,
    /// The last `uncertain` reason and its JS string (same reason for many keystrokes).
    uncertain: RefCell<(Option<String>, JsValue)>,
    /// The verdict's keys, made once (a JS string per key per call would cost a decode each).
    keys: [JsValue; 4],
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
            checklist: RefCell::new((Vec::new(), JsValue::UNDEFINED)),
            warnings: RefCell::new(Vec::new()),
            uncertain: RefCell::new((None, JsValue::NULL)),
            keys: ["ok", "violations", "satisfied", "uncertain"].map(JsValue::from_str),
        })
    }

    /// Every failing rule for `password`, and the rules met.
    pub fn validate(&self, #[wasm_bindgen(unchecked_param_type = "string")] password: JsValue) -> Result<JsVerdict, JsValue> {
        let password = password_from(&password)?;
        let mut verdict = self.inner.validate(&password);
        drop(password);
        // Built by hand in the CLI's field order (ok, violations, satisfied, uncertain) from
        // cached parts: serialising the whole verdict on every keystroke spent most of the time
        // decoding the same message strings again.
        let out = js_sys::Object::new();
        let [k_ok, k_violations, k_satisfied, k_uncertain] = &self.keys;
        js_sys::Reflect::set(&out, k_ok, &JsValue::from_bool(verdict.ok))?;
        let violations = self.violation_array(std::mem::take(&mut verdict.violations))?;
        js_sys::Reflect::set(&out, k_violations, &violations)?;
        let checklist = self.checklist_array(std::mem::take(&mut verdict.satisfied))?;
        js_sys::Reflect::set(&out, k_satisfied, &checklist)?;
        let uncertain = self.uncertain_value(verdict.uncertain.take());
        js_sys::Reflect::set(&out, k_uncertain, &uncertain)?;
        Ok(out.unchecked_into())
    }

    fn violation_array(&self, violations: Vec<Violation>) -> Result<JsValue, JsValue> {
        let mut cache = self.warnings.borrow_mut();
        let array = js_sys::Array::new();
        let mut next = Vec::with_capacity(violations.len());
        for v in violations {
            let obj = match cache.iter().find(|(seen, _)| *seen == v) {
                Some((_, obj)) => obj.clone(),
                None => {
                    let obj: JsValue = to_js(&v)?;
                    js_sys::Object::freeze(obj.unchecked_ref::<js_sys::Object>());
                    obj
                }
            };
            array.push(&obj);
            next.push((v, obj));
        }
        *cache = next;
        Ok(array.into())
    }

    fn uncertain_value(&self, reason: Option<String>) -> JsValue {
        let mut cache = self.uncertain.borrow_mut();
        if cache.0 != reason {
            let value = reason.as_deref().map_or(JsValue::NULL, JsValue::from_str);
            *cache = (reason, value);
        }
        cache.1.clone()
    }

    fn checklist_array(&self, satisfied: Vec<Satisfied>) -> Result<JsValue, JsValue> {
        let mut cache = self.checklist.borrow_mut();
        if cache.1.is_undefined() || cache.0 != satisfied {
            let array: JsValue = to_js(&satisfied)?;
            js_sys::Object::freeze(array.unchecked_ref::<js_sys::Object>());
            for item in js_sys::Array::from(&array).iter() {
                js_sys::Object::freeze(item.unchecked_ref::<js_sys::Object>());
            }
            *cache = (satisfied, array);
        }
        Ok(cache.1.clone())
    }
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

fn validator_for(policy: Option<JsPolicy>, account: Option<JsAccount>) -> Result<crate::Validator, JsValue> {
    // No policy given: the AD Windows defaults, like the CLI without --policy.
    let policy = match policy.as_deref() {
        Some(p) if !p.is_null() && !p.is_undefined() => policy_from(p)?,
        _ => Policy::ActiveDirectory(Default::default()),
    };
    let account = account_from(account.as_deref())?;
    crate::Validator::new(&policy, &account).map_err(policy_error)
}

/// Reads `T` from a JS value with the CLI's JSON rules. serde-wasm-bindgen reads only the known
/// fields of a plain struct, so `deny_unknown_fields` alone would let a typo (`min_len`) through
/// silently: every key of the input must also appear in `T` written back out (all its fields).
/// (Cheaper in code size than a detour through `serde_json::Value`.)
fn from_js<T: DeserializeOwned + Serialize>(v: &JsValue) -> Result<T, String> {
    let value: T = serde_wasm_bindgen::from_value(v.clone()).map_err(|e| e.to_string())?;
    if v.is_object() && !js_sys::Array::is_array(v) {
        let known: JsValue = to_js(&value).map_err(|_| "cannot read the object".to_owned())?;
        for key in js_sys::Object::keys(v.unchecked_ref::<js_sys::Object>()).iter() {
            if !js_sys::Reflect::has(&known, &key).unwrap_or(false) {
                return Err(format!("unknown field `{}`", key.as_string().unwrap_or_default()));
            }
        }
    }
    Ok(value)
}

fn policy_from(v: &JsValue) -> Result<Policy, JsValue> {
    from_js(v).map_err(|e| input_error("InvalidPolicy", &format!("invalid policy: {e}")))
}

fn account_from(v: Option<&JsValue>) -> Result<Account, JsValue> {
    match v {
        Some(v) if !v.is_null() && !v.is_undefined() => {
            from_js(v).map_err(|e| input_error("InvalidAccount", &format!("invalid account: {e}")))
        }
        _ => Ok(Account::default()),
    }
}

fn options_from<T: DeserializeOwned + Serialize + Default>(v: Option<&JsValue>) -> Result<T, JsValue> {
    match v {
        Some(v) if !v.is_null() && !v.is_undefined() => {
            from_js(v).map_err(|e| input_error("InvalidOptions", &format!("invalid options: {e}")))
        }
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

/// `json_compatible`: `None` becomes `null` (not `undefined`) and maps become plain objects, so
/// the value equals `JSON.parse` of the CLI's output.
fn to_js<T: Serialize, J: JsCast>(value: &T) -> Result<J, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map(JsCast::unchecked_into)
        .map_err(|e| js_error("InputError", "Serialization", &e.to_string()))
}

fn generated_to_js(result: Result<Generated, GenerateError>) -> Result<JsGenerated, JsValue> {
    let mut generated = result.map_err(|e| js_error("GenerateError", &variant_of(&e), &e.to_string()))?;
    let out = to_js(&generated);
    // Our copy of the secret: the JS string now holds the only one the caller needs.
    generated.password.zeroize();
    out
}

fn policy_error(e: PolicyError) -> JsValue {
    js_error("PolicyError", &variant_of(&e), &e.to_string())
}

fn input_error(variant: &str, message: &str) -> JsValue {
    js_error("InputError", variant, message)
}

/// The variant name of a derived `Debug` enum (text before the first `(`, `{` or space), so new
/// variants need no change here. These error enums never carry a password.
fn variant_of(e: &impl core::fmt::Debug) -> String {
    let text = format!("{e:?}");
    let end = text.find(['(', '{', ' ']).unwrap_or(text.len());
    text[..end].to_owned()
}

fn js_error(name: &str, variant: &str, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name(name);
    // Reflect::set on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&err, &JsValue::from_str("variant"), &JsValue::from_str(variant));
    err.into()
}
