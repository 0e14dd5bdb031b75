//! Duo Auth API v2 simulator: checks every signed request exactly as Duo does (v5 canonical request,
//! HMAC-SHA512 with the secret key, `Authorization: Basic ikey:hexsig`, `Date` / `X-Duo-Date` within
//! ±300 s) and answers 401 40103 otherwise; `ping` (unsigned), `check`, `preauth`, `auth`
//! (`factor=push`, `async=1` → `txid`) and `auth_status`, with a scripted outcome per user: allow,
//! deny, waiting → allow, timeout, bypass (preauth `allow`); unknown users must enroll. 429 42901
//! on request. Envelope: `{"stat":"OK","response":…}` / `{"stat":"FAIL","code":…,"message":…}`.
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use axum::{
    body::Bytes,
    extract::{RawQuery, State},
    http::{HeaderMap, Method, StatusCode, Uri},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use base64::Engine as _;
use serde_json::{json, Value};

use crate::sync::lock;
use crate::verification::providers::duo::signing;

/// What the user does with a push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DuoScript {
    /// Approves at once.
    Allow,
    /// Denies.
    Deny,
    /// First poll: still waiting; then approves.
    WaitingThenAllow,
    /// Never answers (Duo reports timeout).
    Timeout,
    /// Bypass user: preauth answers `allow` (no push possible).
    Bypass,
}

struct Tx {
    script: DuoScript,
    polls: u32,
}

struct Inner {
    host: String,
    ikey: String,
    skey: String,
    users: HashMap<String, DuoScript>,
    txs: HashMap<String, Tx>,
    rate_limited: u32,
    bad_signatures: u32,
    pushes: Vec<Value>,
}

/// The simulator; cheap to clone.
#[derive(Clone)]
pub struct DuoSim(Arc<Mutex<Inner>>);

impl DuoSim {
    /// A simulator for application `ikey` / `skey` at `host` (the host requests are signed for).
    pub fn new(host: &str, ikey: &str, skey: &str) -> Self {
        Self(Arc::new(Mutex::new(Inner {
            host: host.to_ascii_lowercase(),
            ikey: ikey.into(),
            skey: skey.into(),
            users: HashMap::new(),
            txs: HashMap::new(),
            rate_limited: 0,
            bad_signatures: 0,
            pushes: Vec::new(),
        })))
    }

    /// Enrols `username` with what they will do with a push.
    pub fn set_user(&self, username: &str, script: DuoScript) {
        lock(&self.0).users.insert(username.into(), script);
    }

    /// The next `n` signed requests are answered 429 (42901).
    pub fn rate_limit_next(&self, n: u32) {
        lock(&self.0).rate_limited = n;
    }

    /// Requests refused for their signature so far.
    pub fn bad_signatures(&self) -> u32 {
        lock(&self.0).bad_signatures
    }

    /// The `auth` requests received (their parameters), oldest first.
    pub fn pushes(&self) -> Vec<Value> {
        lock(&self.0).pushes.clone()
    }

    /// The routes (mount at the API root).
    pub fn router(&self) -> Router {
        Router::new()
            .route("/auth/v2/ping", get(ping))
            .route("/auth/v2/check", get(signed))
            .route("/auth/v2/preauth", post(signed))
            .route("/auth/v2/auth", post(signed))
            .route("/auth/v2/auth_status", get(signed))
            .with_state(self.clone())
    }
}

fn ok(response: Value) -> Response {
    Json(json!({"stat": "OK", "response": response})).into_response()
}

fn fail(status: StatusCode, code: u32, message: &str) -> Response {
    (
        status,
        Json(json!({"stat": "FAIL", "code": code, "message": message})),
    )
        .into_response()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

async fn ping() -> Response {
    ok(json!({"time": now()}))
}

/// Checks the signature; None when it is right.
fn check_signature(
    st: &Inner,
    method: &Method,
    path: &str,
    query: &[(String, String)],
    headers: &HeaderMap,
    body: &str,
) -> Option<Response> {
    let bad = || {
        Some(fail(
            StatusCode::UNAUTHORIZED,
            40103,
            "Invalid signature in request credentials",
        ))
    };
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let Some((ikey, sig)) = header("authorization")
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|t| {
            t.split_once(':')
                .map(|(a, b)| (a.to_string(), b.to_string()))
        })
    else {
        return Some(fail(
            StatusCode::UNAUTHORIZED,
            40101,
            "Missing request credentials",
        ));
    };
    if ikey != st.ikey {
        return Some(fail(
            StatusCode::UNAUTHORIZED,
            40102,
            "Invalid integration key in request credentials",
        ));
    }
    let Some(date) = header("x-duo-date").or_else(|| header("date")) else {
        return bad();
    };
    let fresh = chrono::DateTime::parse_from_rfc2822(date)
        .is_ok_and(|d| (d.timestamp() - now()).abs() <= 300);
    if !fresh {
        return Some(fail(
            StatusCode::UNAUTHORIZED,
            40105,
            "Request has an invalid or expired date",
        ));
    }
    let duo_headers: Vec<(String, String)> = headers
        .iter()
        .filter(|(k, _)| k.as_str().starts_with("x-duo-"))
        .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
        .collect();
    let canonical = signing::canonical_v5(
        date,
        method.as_str(),
        &st.host,
        path,
        query,
        body,
        &duo_headers,
    );
    if signing::verify(&st.skey, &canonical, &sig) {
        None
    } else {
        bad()
    }
}

fn param<'a>(query: &'a [(String, String)], body: &'a Value, key: &str) -> Option<&'a str> {
    body.get(key).and_then(Value::as_str).or_else(|| {
        query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    })
}

async fn signed(
    State(sim): State<DuoSim>,
    method: Method,
    uri: Uri,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let body_text = String::from_utf8_lossy(&body).into_owned();
    let mut st = lock(&sim.0);
    if let Some(refused) = check_signature(&st, &method, uri.path(), &query, &headers, &body_text) {
        st.bad_signatures += 1;
        return refused;
    }
    if st.rate_limited > 0 {
        st.rate_limited -= 1;
        return fail(StatusCode::TOO_MANY_REQUESTS, 42901, "Too Many Requests");
    }
    let params: Value = if body_text.is_empty() {
        json!({})
    } else {
        match serde_json::from_str(&body_text) {
            Ok(v) => v,
            Err(_) => return fail(StatusCode::BAD_REQUEST, 40002, "Invalid request parameters"),
        }
    };
    let invalid = |detail: &str| {
        (
            StatusCode::BAD_REQUEST,
            Json(json!({"stat": "FAIL", "code": 40002, "message": "Invalid request parameters", "message_detail": detail})),
        )
            .into_response()
    };
    match uri.path() {
        "/auth/v2/check" => ok(json!({"time": now()})),
        "/auth/v2/preauth" => {
            let Some(user) = param(&query, &params, "username") else {
                return invalid("username");
            };
            match st.users.get(user) {
                None => ok(
                    json!({"result": "enroll", "status_msg": "Enroll an authentication device to proceed",
                    "enroll_portal_url": "https://api-xxxxxxxx.duosecurity.com/portal?12345"}),
                ),
                Some(DuoScript::Bypass) => {
                    ok(json!({"result": "allow", "status_msg": "Allowing unknown user"}))
                }
                Some(_) => ok(json!({"result": "auth", "status_msg": "Account is active",
                    "devices": [{"device": "DPFZRS9FB0D46QFTM891", "type": "phone", "number": "XXX-XXX-0123",
                                 "name": "", "capabilities": ["auto", "push", "sms", "mobile_otp"]}]})),
            }
        }
        "/auth/v2/auth" => {
            let Some(user) = param(&query, &params, "username").map(str::to_string) else {
                return invalid("username");
            };
            if param(&query, &params, "factor") != Some("push") {
                return invalid("factor");
            }
            if param(&query, &params, "async") != Some("1") {
                // A synchronous push would hold the request until the user answers.
                return invalid("async");
            }
            let Some(script) = st
                .users
                .get(&user)
                .copied()
                .filter(|s| *s != DuoScript::Bypass)
            else {
                return invalid("username");
            };
            st.pushes.push(params.clone());
            let txid = format!(
                "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
                rand::random::<u32>(),
                rand::random::<u16>(),
                rand::random::<u16>() & 0xfff,
                rand::random::<u16>() & 0xfff,
                rand::random::<u64>() & 0xffff_ffff_ffff
            );
            st.txs.insert(txid.clone(), Tx { script, polls: 0 });
            ok(json!({"txid": txid}))
        }
        "/auth/v2/auth_status" => {
            let Some(txid) = param(&query, &params, "txid").map(str::to_string) else {
                return invalid("txid");
            };
            let Some(tx) = st.txs.get_mut(&txid) else {
                return invalid("txid");
            };
            tx.polls += 1;
            let (result, status, msg) = match (tx.script, tx.polls) {
                (DuoScript::Allow, _) | (DuoScript::WaitingThenAllow, 2..) => {
                    ("allow", "allow", "Success. Logging you in...")
                }
                (DuoScript::WaitingThenAllow, _) => (
                    "waiting",
                    "pushed",
                    "Pushed a login request to your device...",
                ),
                (DuoScript::Deny, _) => ("deny", "deny", "Login request denied."),
                (DuoScript::Timeout, _) | (DuoScript::Bypass, _) => {
                    ("deny", "timeout", "Login timed out.")
                }
            };
            ok(json!({"result": result, "status": status, "status_msg": msg}))
        }
        _ => fail(StatusCode::NOT_FOUND, 40401, "Resource not found"),
    }
}
