//! Caller verification through the API against a REAL SMTP server process (aiosmtpd on loopback,
//! STARTTLS + AUTH): the test reads the delivered e-mail, types the code through the API, and
//! checks enforcement (required → 403 without, bound to ticket + account + technician, unlock
//! too), lockout after 5 wrong codes, expiry, the send rate limit, the audit and the notes.
#![allow(clippy::unwrap_used)]
mod api_common;
mod support;

use std::sync::Arc;

use api_common::{good_password, TestApp};
use passdesk_server::{
    connectwise::TicketKind,
    verification::{
        config::VerificationConfig, DirectoryVerification, MethodKind, VerificationMode,
    },
};
use reqwest::StatusCode;
use serde_json::{json, Value};
use support::smtp::{code_in, SmtpServer};

const JSMITH: &str = "CN=John Smith,OU=Staff,DC=contoso,DC=example";
const MJONEIL: &str = "CN=Mary-Jane O'Neil,OU=Staff,DC=contoso,DC=example";

async fn app_with(smtp: &SmtpServer, password: &str, mode: VerificationMode) -> TestApp {
    let cfg: VerificationConfig = toml::from_str(&smtp.config_toml(password)).unwrap();
    TestApp::start_with(|o| {
        o.verification = Some(Arc::new(cfg));
        o.directory_verification = DirectoryVerification {
            mode,
            methods: vec![MethodKind::Email],
            ..DirectoryVerification::default()
        };
    })
    .await
}

async fn start(app: &TestApp, ticket: u64, account: &str) -> (StatusCode, Value) {
    app.post(
        &format!("/api/v1/tickets/{ticket}/verifications"),
        json!({"method": "email:otherMailbox:1", "account_id": account}),
    )
    .await
}

async fn code(app: &TestApp, vid: &str, code: &str) -> (StatusCode, Value) {
    app.post(
        &format!("/api/v1/verifications/{vid}/code"),
        json!({"code": code}),
    )
    .await
}

fn wrong(code: &str) -> String {
    format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000)
}

async fn reset_with(
    app: &TestApp,
    ticket: u64,
    vid: Option<&str>,
    key: &str,
) -> (StatusCode, Value) {
    let mut body = json!({"password": good_password(key), "temporary": true, "idempotency_key": key,
        "account_id": app.account_id(ticket).await});
    if let Some(v) = vid {
        body["verification_id"] = json!(v);
    }
    app.post(&format!("/api/v1/tickets/{ticket}/reset"), body)
        .await
}

fn note_texts(app: &TestApp, ticket: u64) -> Vec<String> {
    app.notes(TicketKind::Service, ticket)
        .iter()
        .map(|n| n["text"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_emailed_code_verifies_the_caller_and_the_reset_note_says_so() {
    let smtp = SmtpServer::start();
    let app = app_with(&smtp, &smtp.password, VerificationMode::Optional).await;

    let (status, ctx) = app.get("/api/v1/tickets/1001/context").await;
    assert_eq!(status, StatusCode::OK, "{ctx}");
    let v = &ctx["verification"];
    assert_eq!(v["required"], json!(false), "{v}");
    // No SMS provider; the work mailbox (also in otherMailbox) is never offered.
    assert_eq!(
        v["methods"],
        json!([{"id": "email:otherMailbox:1", "kind": "email", "target": "j***@example.net"}]),
        "{v}"
    );
    assert!(!ctx.to_string().contains("john.smith.home"), "{ctx}");
    assert_eq!(v["current"], Value::Null);

    let (status, started) = start(&app, 1001, JSMITH).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    assert_eq!(started["status"], "sent");
    assert_eq!(started["attempts_left"], 5);
    let vid = started["id"].as_str().unwrap().to_string();

    let message = smtp.wait_for_message(1).await;
    assert!(
        message.contains("X-RcptTo: john.smith.home@example.net"),
        "{message}"
    );
    assert!(message.contains("Contoso Help Desk"), "{message}");
    let typed = code_in(&message);
    assert!(typed.chars().all(|c| c.is_ascii_digit()) && typed.len() == 6);

    let (status, body) = code(&app, &vid, &typed).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "verified");
    assert!(body["verified_until"].is_string());
    // Single use.
    let (status, body) = code(&app, &vid, &typed).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "VERIFICATION_CLOSED");

    let (_, ctx) = app.get("/api/v1/tickets/1001/context").await;
    assert_eq!(
        ctx["verification"]["current"]["status"], "verified",
        "{ctx}"
    );
    let (status, got) = app.get(&format!("/api/v1/verifications/{vid}")).await;
    assert_eq!(
        (status, got["status"].as_str()),
        (StatusCode::OK, Some("verified"))
    );

    let (status, reset) = reset_with(&app, 1001, Some(&vid), "v-ok").await;
    assert_eq!(status, StatusCode::OK, "{reset}");
    assert_eq!(reset["verified_by"]["kind"], "email");
    assert_eq!(reset["verified_by"]["target"], "j***@example.net");

    let notes = note_texts(&app, 1001);
    assert_eq!(
        notes[0], "Caller verified by e-mail code to j***@example.net — Demo Technician",
        "{notes:?}"
    );
    assert!(
        notes[1].ends_with("\nCaller verified by e-mail code to j***@example.net"),
        "{notes:?}"
    );
    let audit = app.audit("?ticket=1001").await;
    let verify: Vec<_> = audit.iter().filter(|r| r["action"] == "verify").collect();
    assert_eq!(
        verify
            .iter()
            .map(|r| r["result"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["verified", "sent"]
    );
    assert!(verify
        .iter()
        .all(|r| r["method"] == "email" && r["target"] == "j***@example.net"));
    assert_eq!(verify[0]["note"], "posted");

    // Optional: a reset naming an unknown verification is not verified, and its note says so.
    let (status, reset) = reset_with(&app, 1001, Some("not-a-verification"), "v-none").await;
    assert_eq!(status, StatusCode::OK, "{reset}");
    assert_eq!(reset["verified_by"], Value::Null);
    assert!(note_texts(&app, 1001)[2].ends_with("\nCaller not verified"));
    // Naming none: the newest fresh success of the same binding counts.
    let (status, reset) = reset_with(&app, 1001, None, "v-latest").await;
    assert_eq!(status, StatusCode::OK, "{reset}");
    assert_eq!(reset["verified_by"]["verification_id"], json!(vid));
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn required_verification_is_enforced_on_reset_and_unlock_for_that_binding_only() {
    let smtp = SmtpServer::start();
    let app = app_with(&smtp, &smtp.password, VerificationMode::Required).await;
    let (_, ctx) = app.get("/api/v1/tickets/1001/context").await;
    assert_eq!(ctx["verification"]["required"], json!(true));

    let (status, body) = reset_with(&app, 1001, None, "r-1").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "VERIFICATION_REQUIRED");
    let (status, body) = app.post("/api/v1/tickets/1002/unlock", json!({})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("VERIFICATION_REQUIRED"))
    );
    let r = app
        .http
        .post(app.url("/api/v1/tickets/1002/unlock"))
        .bearer_auth(app.token())
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "an unlock without a body is gated too"
    );
    assert!(app.demo.directory.resets().is_empty());
    assert!(app.demo.directory.account_by_sam("mjoneil").unwrap().locked);

    // The wrong account id for the ticket: refused before anything is sent.
    let (status, body) = start(&app, 1001, MJONEIL).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("TARGET_CHANGED"))
    );
    let (status, body) = app
        .post(
            "/api/v1/tickets/1001/verifications",
            json!({"method": "sms:mobile", "account_id": JSMITH}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("VERIFICATION_METHOD_UNKNOWN")
        )
    );

    // Verify jsmith on ticket 1001.
    let (status, started) = start(&app, 1001, JSMITH).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let vid = started["id"].as_str().unwrap().to_string();
    let typed = code_in(&smtp.wait_for_message(1).await);
    assert_eq!(code(&app, &vid, &typed).await.0, StatusCode::OK);

    // Another ticket / account: jsmith's verification does not unlock mjoneil (ticket 1002).
    let (status, body) = app
        .post(
            "/api/v1/tickets/1002/unlock",
            json!({"verification_id": vid}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("VERIFICATION_REQUIRED"))
    );

    // Another technician: cannot see it, cannot use it.
    let other =
        passdesk_server::store::tokens::create(app.demo.services.store.pool(), "Other Tech")
            .await
            .unwrap();
    let r = app
        .http
        .get(app.url(&format!("/api/v1/verifications/{vid}")))
        .bearer_auth(&other.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = app
        .http
        .post(app.url("/api/v1/tickets/1001/reset"))
        .bearer_auth(&other.token)
        .json(&json!({"password": good_password("o1"), "temporary": true, "idempotency_key": "o1", "verification_id": vid, "account_id": JSMITH}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(app.demo.directory.resets().is_empty());

    // The technician who verified: allowed.
    let (status, body) = reset_with(&app, 1001, Some(&vid), "r-2").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.demo.directory.resets().len(), 1);

    // Not fresh any more (older than 15 min): refused again.
    sqlx::query("UPDATE verifications SET verified_at_ms = verified_at_ms - 16 * 60 * 1000")
        .execute(app.demo.services.store.pool())
        .await
        .unwrap();
    let (status, body) = reset_with(&app, 1001, Some(&vid), "r-3").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("VERIFICATION_REQUIRED"))
    );

    // Unlock with its own verification (mjoneil's private address is her only method).
    let (status, started) = app
        .post(
            "/api/v1/tickets/1002/verifications",
            json!({"method": "email:otherMailbox", "account_id": MJONEIL}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let typed = code_in(&smtp.wait_for_message(2).await);
    assert!(smtp.messages()[1].contains("X-RcptTo: mj.oneil@example.org"));
    let vid2 = started["id"].as_str().unwrap();
    assert_eq!(code(&app, vid2, &typed).await.0, StatusCode::OK);
    let (status, body) = app
        .post(
            "/api/v1/tickets/1002/unlock",
            json!({"verification_id": vid2}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["verified_by"]["kind"], "email");
    assert!(!app.demo.directory.account_by_sam("mjoneil").unwrap().locked);
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_codes_lock_it_an_old_code_expires_and_sends_are_rate_limited() {
    let smtp = SmtpServer::start();
    let app = app_with(&smtp, &smtp.password, VerificationMode::Required).await;

    let (_, started) = start(&app, 1001, JSMITH).await;
    let vid = started["id"].as_str().unwrap().to_string();
    let right = code_in(&smtp.wait_for_message(1).await);
    let bad = wrong(&right);
    for left in (1..=4).rev() {
        let (status, body) = code(&app, &vid, &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(
            (
                body["error"]["code"].as_str(),
                body["error"]["attempts_left"].as_u64()
            ),
            (Some("WRONG_CODE"), Some(left))
        );
    }
    let (status, body) = code(&app, &vid, &bad).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("VERIFICATION_LOCKED"))
    );
    // Locked for good: even the right code no longer works.
    let (status, body) = code(&app, &vid, &right).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("VERIFICATION_LOCKED"))
    );
    // Not a code at all: refused without counting.
    let (status, _) = code(&app, &vid, "12a456").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = code(&app, "no-such-verification", &right).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        reset_with(&app, 1001, Some(&vid), "l-1").await.0,
        StatusCode::FORBIDDEN
    );

    // A code past its 10 minutes.
    let (_, started) = start(&app, 1001, JSMITH).await;
    let vid2 = started["id"].as_str().unwrap().to_string();
    let right2 = code_in(&smtp.wait_for_message(2).await);
    sqlx::query("UPDATE verifications SET expires_at_ms = 0 WHERE id = ?")
        .bind(&vid2)
        .execute(app.demo.services.store.pool())
        .await
        .unwrap();
    let (status, body) = code(&app, &vid2, &right2).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("VERIFICATION_EXPIRED"))
    );
    assert_eq!(
        reset_with(&app, 1001, Some(&vid2), "l-2").await.0,
        StatusCode::FORBIDDEN
    );

    // Third send is allowed, the fourth within 10 minutes is not.
    assert_eq!(start(&app, 1001, JSMITH).await.0, StatusCode::CREATED);
    let r = app
        .http
        .post(app.url("/api/v1/tickets/1001/verifications"))
        .bearer_auth(app.token())
        .json(&json!({"method": "email:otherMailbox:1", "account_id": JSMITH}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=600).contains(&retry), "{retry}");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "VERIFICATION_RATE_LIMITED");
    assert_eq!(smtp.messages().len(), 3);

    let audit = app.audit("?ticket=1001").await;
    let results: Vec<_> = audit
        .iter()
        .filter(|r| r["action"] == "verify")
        .map(|r| r["result"].as_str().unwrap())
        .collect();
    assert_eq!(
        results,
        [
            "sent",
            "expired",
            "sent",
            "locked",
            "wrong_code",
            "wrong_code",
            "wrong_code",
            "wrong_code",
            "sent"
        ]
    );
    let notes = note_texts(&app, 1001);
    assert_eq!(
        notes,
        [
            "Caller verification failed: too many wrong codes for the e-mail code to j***@example.net — Demo Technician",
            "Caller verification failed: the e-mail code to j***@example.net expired unused — Demo Technician",
        ]
    );
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_smtp_refusal_is_a_clear_answer_audited_and_noted() {
    let smtp = SmtpServer::start();
    let app = app_with(&smtp, "Wrong#Password1", VerificationMode::Optional).await;
    let (status, body) = start(&app, 1001, JSMITH).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{body}");
    assert_eq!(body["error"]["code"], "VERIFICATION_PROVIDER_FAILED");
    assert!(
        body["error"]["message"].as_str().unwrap().contains("535"),
        "{body}"
    );
    assert!(smtp.messages().is_empty());
    let audit = app.audit("?ticket=1001").await;
    assert_eq!(audit[0]["result"], "failed");
    assert_eq!(
        note_texts(&app, 1001),
        ["Caller verification failed: the e-mail code to j***@example.net could not be sent — Demo Technician"]
    );
    app.shutdown().await;
}
