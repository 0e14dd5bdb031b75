//! Caller verification by SMS code (Twilio simulator: Basic auth, form fields, 429) and Duo push
//! (Duo simulator: v5 request signatures checked as Duo does; allow, deny, waiting → allow,
//! timeout, bypass), as `passdesk demo` wires them, through the API.
#![allow(clippy::unwrap_used)]
mod api_common;

use std::time::Duration;

use api_common::{good_password, TestApp};
use passdesk_server::{
    connectwise::TicketKind,
    verification::{
        providers::{
            duo::{DuoConfig, DuoPush},
            ProviderError, PushSender,
        },
        simulators::duo::{DuoScript, DuoSim},
        DirectoryVerification, VerificationMode,
    },
};
use reqwest::StatusCode;
use serde_json::{json, Value};

const JSMITH: &str = "CN=John Smith,OU=Staff,DC=contoso,DC=example";

async fn app(mode: VerificationMode) -> TestApp {
    TestApp::start_with(|o| {
        o.directory_verification = DirectoryVerification {
            mode,
            ..DirectoryVerification::default()
        }
    })
    .await
}

async fn start(app: &TestApp, method: &str) -> (StatusCode, Value) {
    app.post(
        "/api/v1/tickets/1001/verifications",
        json!({"method": method, "account_id": JSMITH}),
    )
    .await
}

fn code_in(body: &str) -> String {
    let at = body.find(" is ").expect("a code message") + 4;
    body[at..at + 6].to_string()
}

fn notes(app: &TestApp) -> Vec<String> {
    app.notes(TicketKind::Service, 1001)
        .iter()
        .map(|n| n["text"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sms_code_through_twilio_verifies_the_caller() {
    let app = app(VerificationMode::Required).await;
    let (_, ctx) = app.get("/api/v1/tickets/1001/context").await;
    let methods = &ctx["verification"]["methods"];
    assert_eq!(
        methods,
        &json!([{"id": "sms:mobile", "kind": "sms", "target": "+1 ***-***-0123"},
                {"id": "duo_push", "kind": "duo_push", "target": "Duo push to jsmith"}]),
        "{ctx}"
    );
    let (status, started) = start(&app, "sms:mobile").await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    assert_eq!(started["status"], "sent");
    let sent = app.demo.twilio.messages();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, "+15550100123", "E.164 from the AD free text");
    assert_eq!(sent[0].from, "+15005550006");
    let code = code_in(&sent[0].body);
    // The demo prints where its Twilio simulator lists what it sent (Twilio's Messages list, the
    // account's Basic auth), which is how the browser tests read the code; without auth, nothing.
    let (messages, authorization) = app
        .demo
        .info
        .twilio
        .clone()
        .expect("SMS goes to the simulator");
    let listed: Value = app
        .http
        .get(&messages)
        .header("Authorization", &authorization)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["messages"][0]["to"], "+15550100123");
    assert_eq!(listed["messages"][0]["body"], sent[0].body.as_str());
    let refused = app.http.get(&messages).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let vid = started["id"].as_str().unwrap();
    let (status, body) = app
        .post(
            &format!("/api/v1/verifications/{vid}/code"),
            json!({"code": code}),
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::OK, Some("verified")),
        "{body}"
    );
    let (status, body) = app
        .post(
            "/api/v1/tickets/1001/reset",
            json!({"password": good_password("sms"), "temporary": true, "idempotency_key": "sms-1", "verification_id": vid, "account_id": app.account_id(1001).await}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        notes(&app),
        [
            "Caller verified by SMS code to +1 ***-***-0123 — Demo Technician".to_string(),
            "PassDesk password reset - success\nAccount: jsmith\nTechnician: Demo Technician\ntemporary password: must change at next logon\nCaller verified by SMS code to +1 ***-***-0123".to_string(),
        ]
    );
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twilio_429_and_a_refused_token_are_clear_answers() {
    let app = app(VerificationMode::Optional).await;
    app.demo.twilio.rate_limit_next(1);
    let (status, body) = start(&app, "sms:mobile").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["error"]["code"], "VERIFICATION_PROVIDER_RATE_LIMITED");
    assert!(
        body["error"]["message"].as_str().unwrap().contains("20429"),
        "{body}"
    );
    app.demo.twilio.set_auth_token("rotated");
    let (status, body) = start(&app, "sms:mobile").await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{body}");
    assert!(
        body["error"]["message"].as_str().unwrap().contains("20003"),
        "{body}"
    );
    assert!(app.demo.twilio.messages().is_empty());
    let audit = app.audit("?ticket=1001").await;
    assert!(
        audit
            .iter()
            .all(|r| r["result"] == "failed" && r["method"] == "sms"),
        "{audit:?}"
    );
    app.shutdown().await;
}

async fn poll_until_final(app: &TestApp, vid: &str) -> Vec<String> {
    let mut seen = Vec::new();
    for _ in 0..20 {
        let (status, body) = app.get(&format!("/api/v1/verifications/{vid}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let s = body["status"].as_str().unwrap().to_string();
        seen.push(s.clone());
        if s != "pending" {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("never final: {seen:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duo_push_waits_then_is_approved_and_enables_the_reset() {
    let app = app(VerificationMode::Required).await;
    let (status, started) = start(&app, "duo_push").await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    assert_eq!(started["status"], "pending");
    let vid = started["id"].as_str().unwrap().to_string();
    assert_eq!(poll_until_final(&app, &vid).await, ["pending", "approved"]);
    let push = &app.demo.duo.pushes()[0];
    assert_eq!(
        (
            push["factor"].as_str(),
            push["async"].as_str(),
            push["username"].as_str()
        ),
        (Some("push"), Some("1"), Some("jsmith"))
    );
    assert_eq!(push["pushinfo"], "ticket=1001");
    assert_eq!(app.demo.duo.bad_signatures(), 0);
    let (status, body) = app
        .post("/api/v1/tickets/1001/reset", json!({"password": good_password("duo"), "temporary": false, "idempotency_key": "duo-1", "account_id": app.account_id(1001).await}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["verified_by"]["kind"], "duo_push");
    assert_eq!(
        notes(&app)[0],
        "Caller verified by Duo push to jsmith — Demo Technician"
    );
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denied_or_unanswered_push_does_not_verify() {
    let app = app(VerificationMode::Required).await;
    for (script, outcome, note) in [
        (
            DuoScript::Deny,
            "denied",
            "Caller verification failed: Duo push to jsmith denied — Demo Technician",
        ),
        (
            DuoScript::Timeout,
            "timeout",
            "Caller verification failed: Duo push to jsmith not answered in time — Demo Technician",
        ),
    ] {
        app.demo.duo.set_user("jsmith", script);
        let (status, started) = start(&app, "duo_push").await;
        assert_eq!(status, StatusCode::CREATED, "{started}");
        let vid = started["id"].as_str().unwrap().to_string();
        assert_eq!(poll_until_final(&app, &vid).await.last().unwrap(), outcome);
        assert_eq!(notes(&app).last().unwrap(), note);
        let (status, body) = app
            .post("/api/v1/tickets/1001/reset", json!({"password": good_password("d"), "temporary": true, "idempotency_key": format!("d-{outcome}"), "verification_id": vid, "account_id": app.account_id(1001).await}))
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("VERIFICATION_REQUIRED"))
        );
    }
    // A bypass user (preauth allow) proves nothing: no push, a clear failure.
    app.demo.duo.set_user("jsmith", DuoScript::Bypass);
    let (status, body) = start(&app, "duo_push").await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("preauth: allow"),
        "{body}"
    );
    // Duo rate limiting.
    app.demo.duo.set_user("jsmith", DuoScript::Allow);
    app.demo.duo.rate_limit_next(1);
    let (status, body) = start(&app, "duo_push").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (
            StatusCode::TOO_MANY_REQUESTS,
            Some("VERIFICATION_PROVIDER_RATE_LIMITED")
        )
    );
    assert!(app.demo.directory.resets().is_empty());
    app.shutdown().await;
}

#[tokio::test]
async fn the_duo_simulator_refuses_a_wrong_signature() {
    let sim = DuoSim::new(
        "api-test0000.duosecurity.com",
        "DIWJ8X6AEYOR5OMC6TQ1",
        "Zh5eGmUq9zpfQnyUIu5OL9iWoMMv5ZNmk3zLJ4Ep",
    );
    sim.set_user("jsmith", DuoScript::Allow);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = sim.router();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let client = |skey: &str, host: &str| {
        DuoPush::new(
            &toml::from_str::<DuoConfig>(&format!(
                "api_host = \"{host}\"\nintegration_key = \"DIWJ8X6AEYOR5OMC6TQ1\"\nsecret_key = \"{skey}\"\napi_url = \"http://{addr}\""
            ))
            .unwrap(),
            "Help Desk",
        )
        .unwrap()
    };
    let good = client(
        "Zh5eGmUq9zpfQnyUIu5OL9iWoMMv5ZNmk3zLJ4Ep",
        "api-test0000.duosecurity.com",
    );
    let txid = good.start_push("jsmith", 7).await.unwrap();
    assert_eq!(
        good.push_status(&txid).await.unwrap(),
        passdesk_server::verification::providers::PushState::Approved
    );
    for bad in [
        client(
            "0000000000000000000000000000000000000000",
            "api-test0000.duosecurity.com",
        ),
        // Signed for another host: Duo checks the host it is.
        client(
            "Zh5eGmUq9zpfQnyUIu5OL9iWoMMv5ZNmk3zLJ4Ep",
            "api-other000.duosecurity.com",
        ),
    ] {
        match bad.start_push("jsmith", 7).await {
            Err(ProviderError::Refused(m)) => assert!(m.contains("40103"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(sim.bad_signatures(), 2);
}
