//! `GET /tickets/{id}/context` for every seeded ticket (docs/api.md seed table).
mod api_common;

use api_common::TestApp;
use passdesk_server::connectwise::sandbox::Fault;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn codes(ctx: &Value) -> Vec<&str> {
    ctx["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect()
}

/// (ticket, kind, expected problems, expected account, can_unlock)
type Expected = (
    u64,
    &'static str,
    &'static [&'static str],
    Option<&'static str>,
    bool,
);

#[tokio::test]
async fn each_seeded_ticket_gives_the_expected_problems() {
    let app = TestApp::start().await;
    let table: [Expected; 7] = [
        (1001, "service", &[], Some("jsmith"), false),
        (1002, "service", &[], Some("mjoneil"), true),
        (1003, "service", &["NO_CONTACT"], None, false),
        (1004, "service", &["ACCOUNT_DISABLED"], Some("pgone"), false),
        (1005, "service", &["NO_ACCOUNT"], None, false),
        (
            1006,
            "service",
            &["PRIVILEGED_ACCOUNT"],
            Some("admin"),
            false,
        ),
        (2001, "project", &[], Some("jsmith"), false),
    ];
    for (id, kind, problems, account, can_unlock) in table {
        let (status, ctx) = app
            .get(&format!("/api/v1/tickets/{id}/context?kind={kind}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{id}: {ctx}");
        assert_eq!(codes(&ctx), problems, "{id}: {ctx}");
        assert_eq!(ctx["can_reset"], problems.is_empty(), "{id}");
        assert_eq!(ctx["can_unlock"], can_unlock, "{id}");
        assert_eq!(ctx["ticket"]["id"], id);
        assert_eq!(ctx["ticket"]["kind"], kind);
        assert_eq!(ctx["ticket"]["company"]["identifier"], "Contoso");
        assert_eq!(ctx["account"]["sam_account_name"].as_str(), account, "{id}");
        if account.is_some() {
            assert_eq!(
                ctx["directory"],
                json!({"name": "contoso-ad", "kind": "sandbox"})
            );
            assert_eq!(
                ctx["policy"],
                json!({"kind": "active_directory", "dc": "windows", "min_length": 7, "complexity": true, "history_length": 24})
            );
            assert_eq!(ctx["policy_account"]["sam_account_name"].as_str(), account);
            assert_eq!(ctx["policy_source"], "domain DC=contoso,DC=example");
        }
    }
    // 1002 has no ticket email: the contact's default Email item is used.
    let (_, ctx) = app.get("/api/v1/tickets/1002/context").await;
    assert_eq!(ctx["ticket"]["email"], "mary-jane.oneil@contoso.example");
    assert_eq!(ctx["account"]["locked"], true);
    // The 1001 answer has every documented field.
    let (_, ctx) = app.get("/api/v1/tickets/1001/context").await;
    for key in [
        "ticket",
        "directory",
        "account",
        "policy",
        "policy_account",
        "policy_source",
        "policy_uncertain",
        "problems",
        "can_reset",
        "can_unlock",
    ] {
        assert!(ctx.get(key).is_some(), "missing {key}");
    }
    assert_eq!(ctx["ticket"]["contact"]["id"], 17);
    assert_eq!(ctx["ticket"]["email"], "john.smith@contoso.example");
    assert_eq!(ctx["account"]["source"], "active_directory");
    app.shutdown().await;
}

#[tokio::test]
async fn unknown_ticket_is_404_and_connectwise_outage_is_502() {
    let app = TestApp::start().await;
    let (status, body) = app.get("/api/v1/tickets/999999/context").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("TICKET_NOT_FOUND"))
    );
    // 1001 is a service ticket, not a project ticket.
    let (status, _) = app.get("/api/v1/tickets/1001/context?kind=project").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    app.sandbox().set_down(true);
    let (status, body) = app.get("/api/v1/tickets/1001/context").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::BAD_GATEWAY, Some("CONNECTWISE_UNAVAILABLE"))
    );
    app.sandbox().set_down(false);

    // A 500 burst shorter than the client's read retries is invisible to the technician.
    app.sandbox().fail_next(1, Fault::ServerError(503));
    let (status, _) = app.get("/api/v1/tickets/1001/context").await;
    assert_eq!(status, StatusCode::OK);
    app.shutdown().await;
}

#[tokio::test]
async fn directory_outage_is_a_problem_not_a_crash() {
    let app = TestApp::start().await;
    app.demo.directory.set_unavailable(true);
    let (status, ctx) = app.get("/api/v1/tickets/1001/context").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(codes(&ctx), ["DIRECTORY_UNAVAILABLE"]);
    assert_eq!(ctx["can_reset"], false);
    app.shutdown().await;
}
