//! Reset, unlock and audit through the API, with notes landing in the ConnectWise sandbox.
mod api_common;

use api_common::{good_password, TestApp};
use passdesk_server::connectwise::TicketKind;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_reset_writes_the_audit_and_an_internal_note_without_the_password() {
    let app = TestApp::start().await;
    let password = good_password("Ok1");
    let (status, body) = app.reset(1001, &password, "key-ok-1").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["result"], "success");
    assert_eq!(body["note"], "posted");
    assert_eq!(body["temporary"], true);
    assert_eq!(body["account"]["sam_account_name"], "jsmith");
    let audit_id = body["audit_id"].as_i64().unwrap();

    let resets = app.demo.directory.resets();
    assert_eq!(resets.len(), 1);
    assert!(resets[0].temporary);
    assert!(
        app.demo
            .directory
            .account_by_sam("jsmith")
            .unwrap()
            .must_change
    );

    let notes = app.notes(TicketKind::Service, 1001);
    assert_eq!(notes.len(), 1, "{notes:?}");
    let note = &notes[0];
    assert_eq!(note["internalAnalysisFlag"], true);
    let text = note["text"].as_str().unwrap();
    assert!(
        text.starts_with("PassDesk password reset - success"),
        "{text}"
    );
    assert!(text.contains("Demo Technician"), "{text}");
    assert!(
        text.contains("\nAccount: jsmith\n"),
        "the note names the account: {text}"
    );
    assert!(
        text.contains("temporary password: must change at next logon"),
        "{text}"
    );
    assert!(!text.contains(&password), "the note holds the password");

    let entries = app.audit("?ticket=1001").await;
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(e["id"], audit_id);
    assert_eq!(e["technician"], "Demo Technician");
    assert_eq!(e["ticket_kind"], "service");
    assert_eq!(e["company"], "Contoso");
    assert_eq!(e["account"], "jsmith");
    assert_eq!(e["action"], "reset");
    assert_eq!(e["temporary"], true);
    assert_eq!(e["result"], "success");
    assert_eq!(e["note"], "posted");
    assert_eq!(e["directory_code"], serde_json::Value::Null);
    app.shutdown().await;
}

#[tokio::test]
async fn a_permanent_reset_of_a_project_ticket_notes_the_project_ticket() {
    let app = TestApp::start().await;
    let (_, ctx) = app.get("/api/v1/tickets/2001/context?kind=project").await;
    let prj_account = ctx["account"]["id"].as_str().unwrap().to_string();
    let (status, body) = app
        .post(
            "/api/v1/tickets/2001/reset?kind=project",
            json!({"password": good_password("Prj"), "temporary": false, "idempotency_key": "key-prj", "account_id": prj_account}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["temporary"], false);
    let notes = app.notes(TicketKind::Project, 2001);
    assert_eq!(notes.len(), 1);
    assert!(notes[0]["text"]
        .as_str()
        .unwrap()
        .contains("permanent password"));
    assert!(app.notes(TicketKind::Service, 2001).is_empty());
    assert!(
        !app.demo
            .directory
            .account_by_sam("jsmith")
            .unwrap()
            .must_change
    );
    app.shutdown().await;
}

#[tokio::test]
async fn a_weak_password_is_refused_with_violations_and_nothing_is_reset() {
    let app = TestApp::start().await;
    for weak in ["abc", "jsmith2026!", "alllowercase"] {
        let (status, body) = app.reset(1001, weak, &format!("key-weak-{weak}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{weak}: {body}");
        assert_eq!(body["error"]["code"], "POLICY_VIOLATION");
        let rules: Vec<&str> = body["error"]["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["rule"].as_str().unwrap())
            .collect();
        assert!(!rules.is_empty(), "{weak}");
        assert!(
            !body.to_string().contains(weak) || weak == "abc",
            "{weak} echoed: {body}"
        );
    }
    let (_, body) = app.reset(1001, "jsmith2026!", "key-weak-x").await;
    let rules = body["error"]["violations"].to_string();
    assert!(rules.contains("AD_SAM_NAME"), "{rules}");
    assert!(app.demo.directory.resets().is_empty());
    assert!(app.notes(TicketKind::Service, 1001).is_empty());
    // Every refused attempt is audited as `rejected`, without a note and without the password.
    let audit = app.audit("").await;
    assert_eq!(audit.len(), 4);
    for row in &audit {
        assert_eq!(
            (
                row["result"].as_str(),
                row["action"].as_str(),
                row["account"].as_str()
            ),
            (Some("rejected"), Some("reset"), Some("jsmith")),
            "{row}"
        );
        assert!(
            row["note"].is_null() && row["directory_code"].is_null(),
            "{row}"
        );
        assert!(
            !row.to_string().contains("jsmith2026!") && !row.to_string().contains("alllowercase")
        );
    }
    app.shutdown().await;
}

#[tokio::test]
async fn the_same_idempotency_key_never_resets_twice() {
    let app = TestApp::start().await;
    let password = good_password("Idem");
    let (s1, first) = app.reset(1001, &password, "key-idem").await;
    let (s2, second) = app.reset(1001, &password, "key-idem").await;
    assert_eq!((s1, s2), (StatusCode::OK, StatusCode::OK));
    assert_eq!(second["replayed"], true);
    assert_eq!(second["audit_id"], first["audit_id"]);
    assert_eq!(first.get("replayed"), None);
    assert_eq!(app.demo.directory.resets().len(), 1);
    assert_eq!(app.notes(TicketKind::Service, 1001).len(), 1);

    // Duplicates that arrive while the first reset is still at the directory: exactly one reset,
    // the others are told it is in progress; after it, the key replays the outcome.
    let p2 = good_password("Conc");
    let directory = &app.demo.directory;
    directory.hold_resets(true);
    let (a, (b, c)) = tokio::join!(app.reset(1002, &p2, "key-conc"), async {
        directory.resets_held(1).await;
        // Bounded: a duplicate that waited for the directory would otherwise hang the test.
        let later = tokio::time::timeout(std::time::Duration::from_secs(20), async {
            tokio::join!(
                app.reset(1002, &p2, "key-conc"),
                app.reset(1002, &p2, "key-conc")
            )
        })
        .await;
        directory.hold_resets(false);
        later.expect("a duplicate waited for the first reset instead of answering at once")
    });
    assert_eq!(a.0, StatusCode::OK, "{}", a.1);
    for (status, body) in [b, c] {
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("RESET_IN_PROGRESS")),
            "{body}"
        );
    }
    assert_eq!(
        app.demo.directory.resets().len(),
        2,
        "a concurrent duplicate reset twice"
    );
    let (status, replay) = app.reset(1002, &p2, "key-conc").await;
    assert_eq!(
        (status, &replay["replayed"]),
        (StatusCode::OK, &json!(true))
    );
    assert_eq!(replay["audit_id"], a.1["audit_id"]);

    // Keys are scoped per technician: another technician's same key is a new request.
    let other =
        passdesk_server::store::tokens::create(app.demo.services.store.pool(), "Other Tech")
            .await
            .unwrap();
    let r = app
        .http
        .post(app.url("/api/v1/tickets/1001/reset"))
        .bearer_auth(&other.token)
        .json(&json!({"password": good_password("Other"), "temporary": true, "idempotency_key": "key-idem", "account_id": app.account_id(1001).await}))
        .send()
        .await
        .unwrap();
    let (status, body) = api_common::read(r).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body.get("replayed"), None);
    assert_eq!(app.demo.directory.resets().len(), 3);

    // The same key for another ticket is refused.
    let (status, body) = app.reset(1002, &password, "key-idem").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("IDEMPOTENCY_KEY_REUSED"))
    );
    // The same key on the same ticket with another password or `temporary` is another request.
    for body in [
        json!({"password": good_password("Else"), "temporary": true, "idempotency_key": "key-idem",
            "account_id": app.account_id(1001).await}),
        json!({"password": password, "temporary": false, "idempotency_key": "key-idem",
            "account_id": app.account_id(1001).await}),
    ] {
        let (status, answer) = app.post("/api/v1/tickets/1001/reset", body).await;
        assert_eq!(
            (status, answer["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("IDEMPOTENCY_KEY_REUSED")),
            "{answer}"
        );
    }
    assert_eq!(app.demo.directory.resets().len(), 3);
    // A key whose request failed validation may be used again.
    let (status, _) = app.reset(1001, "weak", "key-retry").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = app.reset(1001, &good_password("Retry"), "key-retry").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.shutdown().await;
}

#[tokio::test]
async fn blocked_tickets_are_refused_with_their_problems() {
    let app = TestApp::start().await;
    for (ticket, code) in [
        (1003, "NO_CONTACT"),
        (1004, "ACCOUNT_DISABLED"),
        (1005, "NO_ACCOUNT"),
        (1006, "PRIVILEGED_ACCOUNT"),
    ] {
        let (status, body) = app
            .reset(ticket, &good_password("Blk"), &format!("key-blk-{ticket}"))
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{ticket}: {body}");
        assert_eq!(body["error"]["code"], "RESET_BLOCKED");
        assert_eq!(body["error"]["problems"][0]["code"], code, "{ticket}");
        let (status, body) = app
            .post(&format!("/api/v1/tickets/{ticket}/unlock"), json!({}))
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("RESET_BLOCKED"))
        );
    }
    let (status, body) = app.reset(999999, &good_password("Blk"), "key-404").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("TICKET_NOT_FOUND"))
    );
    assert!(app.demo.directory.resets().is_empty());
    assert!(app.audit("").await.is_empty());
    app.shutdown().await;
}

#[tokio::test]
async fn a_directory_refusal_names_the_code_and_the_likely_cause() {
    let app = TestApp::start().await;
    let password = good_password("Inj");
    // An explicitly injected DC refusal (as a password filter or an unreadable stricter policy would give):
    // the password passes every rule PassDesk knows.
    app.demo
        .directory
        .refuse_next_reset("LDAP 19 (0000052D)", "Constraint violation");
    let (status, body) = app.reset(1001, &password, "key-h1").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let err = &body["error"];
    assert_eq!(err["code"], "DIRECTORY_REFUSED");
    assert_eq!(err["directory_code"], "LDAP 19 (0000052D)");
    // Passes both DC profiles; the demo DC (Windows, enforce_history, a history of 24) checks the
    // history on this reset; the age and DC filters PassDesk cannot see.
    assert_eq!(err["likely_rules"], json!([]));
    assert_eq!(
        err["likely_causes"],
        json!(["RECENTLY_USED", "DIRECTORY_FILTER"]),
        "{err}"
    );
    assert!(
        err["message"].as_str().unwrap().contains("history"),
        "{err}"
    );
    assert!(app.demo.directory.resets().is_empty());
    // The refusal is audited and replayed for the same key, without a second attempt.
    let entries = app.audit("?account=JSMITH").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["result"], "refused");
    assert_eq!(entries[0]["directory_code"], "LDAP 19 (0000052D)");
    assert_eq!(entries[0]["note"], serde_json::Value::Null);
    let (status, again) = app.reset(1001, &password, "key-h1").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again["replayed"], true);
    assert_eq!(app.audit("?account=jsmith").await.len(), 1);
    assert!(app.notes(TicketKind::Service, 1001).is_empty());
    app.shutdown().await;
}

/// A password only the other DC software refuses: the refusal names its rules, so a `dc` setting
/// that does not match the real DC shows up in the panel.
#[tokio::test]
async fn a_refusal_of_a_password_the_other_dc_profile_breaks_names_those_rules() {
    let app = TestApp::start().await;
    app.demo.directory.set_enforce_history(false);
    app.demo
        .directory
        .refuse_next_reset("LDAP 19 (0000052D)", "Constraint violation");
    // Windows (the demo's dc) counts ß and İ as letters; Samba counts them as its fifth kind, so
    // this is two kinds there.
    let (status, body) = app.reset(1001, "ßİ12345", "key-profile").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let err = &body["error"];
    let rules: Vec<&str> = err["likely_rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["AD_COMPLEXITY"], "{err}");
    assert_eq!(
        err["likely_causes"],
        json!(["OTHER_DC_PROFILE", "DIRECTORY_FILTER"]),
        "without enforce_history the history is not a cause: {err}"
    );
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("other DC software"),
        "{err}"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn a_reused_password_is_refused_only_where_the_history_is_enforced() {
    let app = TestApp::start().await;
    let password = good_password("Hist");
    assert_eq!(app.reset(1001, &password, "key-r1").await.0, StatusCode::OK);
    // enforce_history (the default) on a Windows DC: the reused password is refused.
    let (status, body) = app.reset(1001, &password, "key-r2").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "DIRECTORY_REFUSED");
    // Without it an admin reset skips the history, as the DC does without the policy-hints control.
    app.demo.directory.set_enforce_history(false);
    let (status, body) = app.reset(1001, &password, "key-r3").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.demo.directory.resets().len(), 2);
    app.shutdown().await;
}

#[tokio::test]
async fn unlock_clears_the_lockout_and_is_audited() {
    let app = TestApp::start().await;
    assert!(app.demo.directory.account_by_sam("mjoneil").unwrap().locked);
    let (status, body) = app.post("/api/v1/tickets/1002/unlock", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["result"], "success");
    assert!(!app.demo.directory.account_by_sam("mjoneil").unwrap().locked);
    let entries = app.audit("?ticket=1002").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["id"], body["audit_id"]);
    assert_eq!(entries[0]["action"], "unlock");
    assert_eq!(entries[0]["temporary"], serde_json::Value::Null);
    let (_, ctx) = app.get("/api/v1/tickets/1002/context").await;
    assert_eq!(ctx["can_unlock"], false);
    app.shutdown().await;
}

#[tokio::test]
async fn the_audit_filters_by_ticket_account_technician_and_time() {
    let app = TestApp::start().await;
    assert_eq!(
        app.reset(1001, &good_password("A1"), "a1").await.0,
        StatusCode::OK
    );
    assert_eq!(
        app.reset(1002, &good_password("A2"), "a2").await.0,
        StatusCode::OK
    );
    assert_eq!(
        app.post("/api/v1/tickets/1002/unlock", json!({})).await.0,
        StatusCode::OK
    );
    assert_eq!(app.audit("").await.len(), 3);
    assert_eq!(app.audit("?ticket=1002").await.len(), 2);
    assert_eq!(app.audit("?ticket=&account=").await.len(), 3);
    assert_eq!(app.audit("?account=mjoneil").await.len(), 2);
    assert_eq!(app.audit("?technician=demo%20technician").await.len(), 3);
    assert_eq!(app.audit("?technician=Nobody").await.len(), 0);
    assert_eq!(app.audit("?limit=1").await.len(), 1);
    assert_eq!(
        app.audit("?limit=1").await[0]["action"],
        "unlock",
        "newest first"
    );
    assert_eq!(app.audit("?since=2000-01-01").await.len(), 3);
    assert_eq!(app.audit("?until=2000-01-01").await.len(), 0);
    assert_eq!(app.audit("?since=2999-01-01T00:00:00Z").await.len(), 0);
    let (status, body) = app.get("/api/v1/audit?since=yesterday").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("BAD_REQUEST"))
    );
    app.shutdown().await;
}

/// The reset names the account the panel showed; when the ticket now resolves to another one (or
/// the field is missing), nothing is reset and the key is not used up.
#[tokio::test]
async fn a_reset_for_another_account_than_the_ticket_shows_is_refused() {
    let app = TestApp::start().await;
    let password = good_password("Target");
    let other = app.account_id(1002).await;
    let mine = app.account_id(1001).await;
    assert!(!other.is_empty() && other != mine);
    let (status, body) = app
        .post(
            "/api/v1/tickets/1001/reset",
            json!({"password": password, "temporary": true, "idempotency_key": "k-target", "account_id": other}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("TARGET_CHANGED")),
        "{body}"
    );
    let (status, body) = app
        .post(
            "/api/v1/tickets/1001/reset",
            json!({"password": password, "temporary": true, "idempotency_key": "k-target"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("BAD_REQUEST")),
        "account_id is required: {body}"
    );
    assert!(app.demo.directory.resets().is_empty());
    // Case differences in a DN are the same account; the key was not used up by the refusals.
    let (status, body) = app
        .post(
            "/api/v1/tickets/1001/reset",
            json!({"password": password, "temporary": true, "idempotency_key": "k-target",
                "account_id": mine.to_uppercase()}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["account"]["id"], mine.as_str());
    assert_eq!(app.demo.directory.resets().len(), 1);
    app.shutdown().await;
}

#[tokio::test]
async fn a_reset_cut_off_by_a_restart_is_answered_as_interrupted_not_in_progress() {
    let tmp = tempfile::tempdir().unwrap();
    let first = TestApp::start_in(tmp.path(), None, None).await;
    // The server stops while a reset holds its key (claimed, never completed).
    let pool = first.demo.services.store.pool().clone();
    let technician: i64 = sqlx::query_scalar("SELECT MAX(id) FROM tokens")
        .fetch_one(&pool)
        .await
        .unwrap();
    let request: passdesk_server::ticket_flow::password::ResetRequest =
        serde_json::from_value(json!({
            "password": good_password("Cut"), "temporary": true, "idempotency_key": "k-cut",
            "account_id": first.account_id(1001).await,
        }))
        .unwrap();
    let fingerprint =
        passdesk_server::ticket_flow::password::fingerprint(&first.demo.services, &request);
    let claim = passdesk_server::store::idempotency::claim::<serde_json::Value>(
        &pool,
        technician,
        "k-cut",
        1001,
        TicketKind::Service,
        &fingerprint,
    )
    .await
    .unwrap();
    assert_eq!(claim, passdesk_server::store::idempotency::Claim::Fresh);
    let (status, body) = first.reset(1001, &good_password("Cut"), "k-cut").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("RESET_IN_PROGRESS"))
    );
    let token = first.token().to_string();
    first.shutdown().await;

    let second = TestApp::start_in(tmp.path(), None, None).await;
    let r = reqwest::Client::new()
        .post(second.url("/api/v1/tickets/1001/reset"))
        .bearer_auth(&token)
        .json(&json!({"password": good_password("Cut"), "temporary": true, "idempotency_key": "k-cut", "account_id": second.account_id(1001).await}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "RESET_INTERRUPTED", "{body}");
    assert_eq!(body["replayed"], true);
    assert!(
        second.demo.directory.resets().is_empty(),
        "the password is not set by a replay"
    );
    second.shutdown().await;
}

/// The account is found only by an e-mail on the contact record: a ticket whose free-text e-mail
/// is none of its contact's is blocked (EMAIL_MISMATCH), never looked up by that address.
#[tokio::test]
async fn a_ticket_email_that_is_not_the_contacts_blocks_the_reset() {
    use passdesk_server::connectwise::sandbox::SandboxTicket;
    let app = TestApp::start().await;
    for (id, email) in [
        (1901, "mary-jane.oneil@contoso.example"),
        (1902, "JOHN.SMITH@Contoso.Example"),
    ] {
        app.sandbox().add_ticket(SandboxTicket {
            id,
            kind: TicketKind::Service,
            summary: "Locked out".into(),
            company_id: 250,
            contact_id: Some(17),
            contact_email: Some(email.into()),
        });
    }
    // John Smith's ticket carrying Mary-Jane's address: neither account is offered.
    let (status, ctx) = app.get("/api/v1/tickets/1901/context").await;
    assert_eq!(status, StatusCode::OK, "{ctx}");
    let codes: Vec<&str> = ctx["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["code"].as_str())
        .collect();
    assert_eq!(codes, ["EMAIL_MISMATCH"], "{ctx}");
    assert_eq!(ctx["account"], serde_json::Value::Null, "{ctx}");
    assert_eq!(ctx["can_reset"], false);
    let (status, body) = app
        .post(
            "/api/v1/tickets/1901/reset",
            json!({"password": good_password("Mis"), "temporary": true, "idempotency_key": "k-mis",
                "account_id": "CN=Mary-Jane O'Neil,OU=Staff,DC=contoso,DC=example"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("RESET_BLOCKED")),
        "{body}"
    );
    assert!(app.demo.directory.resets().is_empty());

    // The contact's own address in other letter case is the contact's.
    let (_, ctx) = app.get("/api/v1/tickets/1902/context").await;
    assert_eq!(ctx["account"]["sam_account_name"], "jsmith", "{ctx}");
    assert_eq!(ctx["can_reset"], true, "{ctx}");
    app.shutdown().await;
}

/// Directories serve companies by record id, resolved from the configured identifiers at startup:
/// a company that takes over the identifier later (the old one renamed) is not served.
#[tokio::test]
async fn a_company_that_took_over_the_identifier_is_not_mapped() {
    use passdesk_server::connectwise::sandbox::SandboxTicket;
    let app = TestApp::start().await;
    app.sandbox()
        .add_company(999, "Contoso", "Contoso (a different customer)");
    app.sandbox().add_ticket(SandboxTicket {
        id: 1903,
        kind: TicketKind::Service,
        summary: "Locked out".into(),
        company_id: 999,
        contact_id: Some(17),
        contact_email: Some("john.smith@contoso.example".into()),
    });
    let (status, ctx) = app.get("/api/v1/tickets/1903/context").await;
    assert_eq!(status, StatusCode::OK, "{ctx}");
    assert_eq!(ctx["ticket"]["company"]["identifier"], "Contoso", "{ctx}");
    let codes: Vec<&str> = ctx["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["code"].as_str())
        .collect();
    assert_eq!(codes, ["NO_DIRECTORY"], "{ctx}");
    assert_eq!(ctx["can_reset"], false);
    // The original company's tickets are still served.
    let (_, ctx) = app.get("/api/v1/tickets/1001/context").await;
    assert_eq!(ctx["can_reset"], true, "{ctx}");
    app.shutdown().await;
}

/// `since` / `until` compare with each row's time (inclusive, to the second; a plain date is the
/// whole day), `limit` defaults to 100 and is capped at 1000 (docs/api.md).
#[tokio::test]
async fn audit_time_bounds_fall_between_rows_and_the_limit_has_a_default_and_a_cap() {
    let app = TestApp::start().await;
    assert_eq!(
        app.reset(1001, &good_password("Bnd"), "k-bounds").await.0,
        StatusCode::OK
    );
    let pool = app.demo.services.store.pool();
    // The row at 2026-11-29T12:00:00Z, then 1199 more like it, one minute apart (ids in time order,
    // as rows are written): the newest at 2026-11-30T07:59:00Z.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1199) \
         INSERT INTO audit (at, technician_id, technician, ticket_id, ticket_kind, company, account, \
         action, temporary, result, directory_code, note) \
         SELECT strftime('%Y-%m-%dT%H:%M:%SZ', '2026-11-29T12:00:00', '+' || i || ' minutes'), \
         technician_id, technician, ticket_id, ticket_kind, company, account, action, temporary, result, \
         directory_code, note FROM audit, n WHERE audit.id = (SELECT MIN(id) FROM audit)",
    )
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE audit SET at = '2026-11-29T12:00:00Z' WHERE id = (SELECT MIN(id) FROM audit)",
    )
    .execute(pool)
    .await
    .unwrap();
    assert_eq!(app.audit("").await.len(), 100, "default limit");
    assert_eq!(app.audit("?limit=5000").await.len(), 1000, "capped");
    assert_eq!(app.audit("?limit=0").await.len(), 1, "at least one");
    // Rows at 07:57, 07:58 and 07:59: bounds between them and on them.
    let at = |entries: Vec<serde_json::Value>| -> Vec<String> {
        entries
            .iter()
            .map(|e| e["at"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        at(app.audit("?since=2026-11-30T07:57:30Z").await),
        ["2026-11-30T07:59:00Z", "2026-11-30T07:58:00Z"]
    );
    assert_eq!(
        at(app
            .audit("?since=2026-11-30T07:58:00Z&until=2026-11-30T07:58:59Z")
            .await),
        ["2026-11-30T07:58:00Z"],
        "both bounds inclusive"
    );
    // The same instant in another offset.
    assert_eq!(
        at(app.audit("?since=2026-11-30T08:58:00%2B01:00").await),
        ["2026-11-30T07:59:00Z", "2026-11-30T07:58:00Z"]
    );
    // A plain date is the whole day: until 2026-11-29 ends at 23:59:59 that day.
    let day = app.audit("?until=2026-11-29&limit=1000").await;
    assert_eq!(
        day[0]["at"], "2026-11-29T23:59:00Z",
        "newest row of that day"
    );
    assert!(day
        .iter()
        .all(|e| e["at"].as_str().unwrap() < "2026-11-30T00:00:00Z"));
    app.shutdown().await;
}

/// The reset reads the ticket again: a contact changed after the panel loaded moves the target, so
/// the account the technician saw is not reset; a ticket moved to an unmapped company is blocked.
#[tokio::test]
async fn a_ticket_changed_after_the_panel_loaded_is_read_again_at_reset() {
    use passdesk_server::connectwise::sandbox::SandboxTicket;
    let app = TestApp::start().await;
    let seen = app.account_id(1001).await;
    let moved = |contact_id, company_id| SandboxTicket {
        id: 1001,
        kind: TicketKind::Service,
        summary: "Locked out".into(),
        company_id,
        contact_id: Some(contact_id),
        contact_email: None,
    };
    // Mary-Jane (contact 18) is now the ticket's contact.
    app.sandbox().add_ticket(moved(18, 250));
    let body = json!({"password": good_password("Moved"), "temporary": true,
        "idempotency_key": "k-moved", "account_id": seen});
    let (status, answer) = app.post("/api/v1/tickets/1001/reset", body.clone()).await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("TARGET_CHANGED")),
        "{answer}"
    );
    // The ticket now belongs to a company no directory serves.
    app.sandbox().add_company(998, "Elsewhere", "Elsewhere Ltd");
    app.sandbox().add_ticket(moved(17, 998));
    let (status, answer) = app.post("/api/v1/tickets/1001/reset", body).await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("RESET_BLOCKED")),
        "{answer}"
    );
    assert_eq!(answer["error"]["problems"][0]["code"], "NO_DIRECTORY");
    assert!(app.demo.directory.resets().is_empty(), "nobody was reset");
    app.shutdown().await;
}
