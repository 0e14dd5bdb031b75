//! Twilio simulator: `POST /2010-04-01/Accounts/{Sid}/Messages.json` with HTTP Basic auth (Account
//! SID + auth token), form fields `To` (E.164), `From`, `Body`; 201 with the Message resource;
//! Twilio's error body `{"code", "message", "more_info", "status"}` for 401 (20003), 404 (20404),
//! 400 (21211 bad To, 21604 / 21603 / 21602 missing fields) and 429 (20429, on request).
use std::sync::{Arc, Mutex};

use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
    Form, Json, Router,
};
use base64::Engine as _;
use serde_json::json;

use crate::sync::lock;

/// One accepted message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimMessage {
    /// `To`.
    pub to: String,
    /// `From`.
    pub from: String,
    /// `Body`.
    pub body: String,
}

struct State_ {
    account_sid: String,
    auth_token: String,
    messages: Vec<SimMessage>,
    rate_limited: u32,
}

/// The simulator; cheap to clone.
#[derive(Clone)]
pub struct TwilioSim(Arc<Mutex<State_>>);

impl TwilioSim {
    /// A simulator that accepts `account_sid` / `auth_token`.
    pub fn new(account_sid: &str, auth_token: &str) -> Self {
        Self(Arc::new(Mutex::new(State_ {
            account_sid: account_sid.into(),
            auth_token: auth_token.into(),
            messages: Vec::new(),
            rate_limited: 0,
        })))
    }

    /// The routes (mount at the API root).
    pub fn router(&self) -> Router {
        Router::new()
            .route(
                "/2010-04-01/Accounts/{sid}/Messages.json",
                post(create_message).get(list_messages),
            )
            .with_state(self.clone())
    }

    /// Basic authorization for this simulator's account (the demo prints it for the e2e tests).
    pub fn authorization(&self) -> String {
        let st = lock(&self.0);
        let raw = format!("{}:{}", st.account_sid, st.auth_token);
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        )
    }

    /// The account's Messages list resource, below the simulator's mount.
    pub fn messages_path(&self) -> String {
        format!(
            "/2010-04-01/Accounts/{}/Messages.json",
            lock(&self.0).account_sid
        )
    }

    /// Every accepted message, oldest first.
    pub fn messages(&self) -> Vec<SimMessage> {
        lock(&self.0).messages.clone()
    }

    /// The next `n` requests are answered 429 (20429).
    pub fn rate_limit_next(&self, n: u32) {
        lock(&self.0).rate_limited = n;
    }

    /// Changes the token it accepts (a rotated token on Twilio's side).
    pub fn set_auth_token(&self, token: &str) {
        lock(&self.0).auth_token = token.into();
    }
}

fn error(status: StatusCode, code: u32, message: &str) -> Response {
    (
        status,
        Json(json!({
            "code": code, "message": message,
            "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
            "status": status.as_u16(),
        })),
    )
        .into_response()
}

fn basic_auth(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, pass) = text.split_once(':')?;
    Some((user.to_string(), pass.to_string()))
}

fn is_e164(s: &str) -> bool {
    s.strip_prefix('+').is_some_and(|d| {
        (8..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0')
    })
}

/// Twilio's answer to a request without this account's Basic auth, or for another account.
fn refuse(st: &State_, headers: &HeaderMap, sid: &str) -> Option<Response> {
    let authorised = basic_auth(headers)
        .is_some_and(|(user, pass)| user == st.account_sid && pass == st.auth_token);
    if !authorised {
        return Some(error(StatusCode::UNAUTHORIZED, 20003, "Authenticate"));
    }
    (sid != st.account_sid).then(|| {
        error(
            StatusCode::NOT_FOUND,
            20404,
            "The requested resource was not found",
        )
    })
}

/// `GET …/Messages.json`: Twilio's list of the account's messages, newest first, with the same
/// Basic auth as sending (so a test reads what a phone would have received).
async fn list_messages(
    State(sim): State<TwilioSim>,
    Path(sid): Path<String>,
    headers: HeaderMap,
) -> Response {
    let st = lock(&sim.0);
    if let Some(refused) = refuse(&st, &headers, &sid) {
        return refused;
    }
    let messages: Vec<serde_json::Value> = st
        .messages
        .iter()
        .rev()
        .map(|m| {
            json!({"account_sid": st.account_sid, "to": m.to, "from": m.from, "body": m.body,
            "status": "delivered", "direction": "outbound-api"})
        })
        .collect();
    let uri = format!("/2010-04-01/Accounts/{sid}/Messages.json");
    Json(
        json!({"messages": messages, "page": 0, "page_size": 50, "uri": uri,
        "first_page_uri": uri, "next_page_uri": null, "previous_page_uri": null}),
    )
    .into_response()
}

async fn create_message(
    State(sim): State<TwilioSim>,
    Path(sid): Path<String>,
    headers: HeaderMap,
    Form(form): Form<std::collections::HashMap<String, String>>,
) -> Response {
    let mut st = lock(&sim.0);
    if let Some(refused) = refuse(&st, &headers, &sid) {
        return refused;
    }
    if st.rate_limited > 0 {
        st.rate_limited -= 1;
        return error(StatusCode::TOO_MANY_REQUESTS, 20429, "Too Many Requests");
    }
    let field = |k: &str| {
        form.get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let Some(to) = field("To") else {
        return error(
            StatusCode::BAD_REQUEST,
            21604,
            "A 'To' phone number is required.",
        );
    };
    if !is_e164(&to) {
        return error(
            StatusCode::BAD_REQUEST,
            21211,
            &format!("The 'To' number {to} is not a valid phone number."),
        );
    }
    let Some(from) = field("From") else {
        return error(
            StatusCode::BAD_REQUEST,
            21603,
            "A 'From' phone number is required.",
        );
    };
    let Some(body) = form.get("Body").filter(|b| !b.is_empty()).cloned() else {
        return error(StatusCode::BAD_REQUEST, 21602, "Message body is required.");
    };
    st.messages.push(SimMessage {
        to: to.clone(),
        from: from.clone(),
        body: body.clone(),
    });
    let msid = format!("SM{:032x}", rand::random::<u128>());
    (
        StatusCode::CREATED,
        Json(json!({
            "sid": msid, "account_sid": st.account_sid, "to": to, "from": from, "body": body,
            "status": "queued", "num_segments": "1", "direction": "outbound-api",
            "error_code": null, "error_message": null,
            "uri": format!("/2010-04-01/Accounts/{}/Messages/{msid}.json", st.account_sid),
        })),
    )
        .into_response()
}
