//! The whole backend flow over HTTP against a REAL Samba AD DC (tests/support/samba.rs, needs root for
//! ports 389/636): ConnectWise sandbox ticket → contact e-mail → LDAP account on the DC → effective
//! policy from the DC → reset / unlock on the DC → internal note in the sandbox → audit.
//!
//! The backend is assembled like `passdesk serve` does it (tests/support/samba_backend.rs). Every test
//! uses its own DC users, so the tests run in parallel on the one DC of this test binary.
#![allow(clippy::unwrap_used)]
mod support;

use std::time::Duration;

use passdesk_server::connectwise::TicketKind;
use reqwest::StatusCode;
use serde_json::{json, Value};
use support::samba::{bind_as, USER_PASSWORD};
use support::samba_backend::Backend;

use support::samba_tickets::{
    COMPANY, TECHNICIAN, T_DADMIN, T_DANA, T_JLOCKED, T_JREFUSE, T_JSMITH, T_JSTRICT, T_PGONE,
};

impl Backend {
    async fn get(&self, path: &str) -> (StatusCode, Value) {
        let r = self
            .http
            .get(format!("{}{path}", self.api))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        read(r).await
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let r = self
            .http
            .post(format!("{}{path}", self.api))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        read(r).await
    }

    async fn context(&self, ticket: u64) -> Value {
        let (status, ctx) = self.get(&format!("/api/v1/tickets/{ticket}/context")).await;
        assert_eq!(status, StatusCode::OK, "{ticket}: {ctx}");
        ctx
    }

    async fn reset(
        &self,
        ticket: u64,
        password: &str,
        temporary: bool,
        key: &str,
    ) -> (StatusCode, Value) {
        let (_, ctx) = self.get(&format!("/api/v1/tickets/{ticket}/context")).await;
        let account_id = ctx["account"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        self.post(
            &format!("/api/v1/tickets/{ticket}/reset"),
            json!({"password": password, "temporary": temporary, "idempotency_key": key, "account_id": account_id}),
        )
        .await
    }

    async fn audit(&self, query: &str) -> Vec<Value> {
        let (status, body) = self.get(&format!("/api/v1/audit{query}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["entries"].as_array().unwrap().clone()
    }

    async fn shutdown(self) {
        self.running.shutdown().await;
    }
}

/// Status + JSON body (Null when the body is not JSON).
async fn read(r: reqwest::Response) -> (StatusCode, Value) {
    let status = r.status();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn problem_codes(ctx: &Value) -> Vec<&str> {
    ctx["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect()
}

fn violation_rules(body: &Value) -> Vec<&str> {
    body["error"]["violations"]
        .as_array()
        .unwrap_or_else(|| panic!("no violations: {body}"))
        .iter()
        .map(|v| v["rule"].as_str().unwrap())
        .collect()
}

/// Waits (bounded) until the outbox has posted `n` notes to the ticket; the reset answer already says
/// "posted", so this normally returns at once.
async fn notes_of(backend: &Backend, ticket: u64, n: usize) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let notes = backend.sandbox.notes(TicketKind::Service, ticket);
        if notes.len() >= n || tokio::time::Instant::now() > deadline {
            return notes;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn context_then_temporary_reset_lands_on_the_dc_with_note_and_audit() {
    let b = Backend::start().await;

    // Context: the account and its policy come from the DC, nothing blocks a reset.
    let ctx = b.context(T_JSMITH).await;
    assert_eq!(problem_codes(&ctx), Vec::<&str>::new(), "{ctx}");
    assert_eq!(ctx["can_reset"], true);
    assert_eq!(ctx["can_unlock"], false, "jsmith is not locked");
    assert_eq!(ctx["ticket"]["company"]["identifier"], COMPANY);
    assert_eq!(ctx["ticket"]["email"], "john.smith@test.lan");
    assert_eq!(
        ctx["directory"],
        json!({"name": "test-samba", "kind": "ldap"})
    );
    let acct = &ctx["account"];
    assert_eq!(acct["id"], "CN=John Smith,OU=Staff,DC=test,DC=lan");
    assert_eq!(acct["source"], "active_directory");
    assert_eq!(acct["sam_account_name"], "jsmith");
    assert_eq!(acct["display_name"], "John Smith");
    assert_eq!(acct["given_name"], "John");
    assert_eq!(acct["surname"], "Smith");
    assert_eq!(acct["upn"], "jsmith@test.lan");
    assert_eq!(
        (
            &acct["enabled"],
            &acct["locked"],
            &acct["must_change"],
            &acct["privileged"]
        ),
        (&json!(true), &json!(false), &json!(false), &json!(false)),
        "{acct}"
    );
    assert_eq!(
        ctx["policy"],
        json!({"kind": "active_directory", "dc": "samba", "min_length": 7, "complexity": true, "history_length": 24})
    );
    assert_eq!(ctx["policy_source"], "domain DC=test,DC=lan");
    assert_eq!(ctx["policy_uncertain"], Value::Null);

    // A weak password never reaches the DC (validated against the DC's policy and jsmith's names).
    let (status, body) = b.reset(T_JSMITH, "jsmith2026", true, "k-weak").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "POLICY_VIOLATION");
    assert!(violation_rules(&body).contains(&"AD_COMPLEXITY"), "{body}");
    bind_as("jsmith", USER_PASSWORD)
        .await
        .expect("a refused request leaves the old password");

    // A compliant temporary reset.
    let password = "Qz7#samba-Reset";
    let (status, body) = b.reset(T_JSMITH, password, true, "k-ok").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["result"], "success");
    assert_eq!(body["note"], "posted");
    assert_eq!(body["temporary"], true);
    assert_eq!(body["account"]["sam_account_name"], "jsmith");
    assert!(
        !body.to_string().contains(password),
        "answer echoes the password"
    );
    let audit_id = body["audit_id"].as_i64().unwrap();

    // The note is in ConnectWise, internal, without the password.
    let notes = notes_of(&b, T_JSMITH, 1).await;
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0]["internalAnalysisFlag"], true);
    let text = notes[0]["text"].as_str().unwrap();
    assert!(
        text.starts_with("PassDesk password reset - success"),
        "{text}"
    );
    assert!(text.contains(TECHNICIAN), "{text}");
    assert!(
        text.contains("\nAccount: "),
        "the note names the account: {text}"
    );
    assert!(text.contains("must change at next logon"), "{text}");
    assert!(!text.contains(password), "the note holds the password");

    // The DC really has the new password: rc 49 "data 773" (must change) is only given for the right
    // password; the old one is now plain wrong (52e).
    let (rc, text) = bind_as("jsmith", password).await.unwrap_err();
    assert!(
        rc == 49 && text.contains("data 773"),
        "new password: {rc} {text}"
    );
    let (rc, text) = bind_as("jsmith", USER_PASSWORD).await.unwrap_err();
    assert!(
        rc == 49 && text.contains("data 52e"),
        "old password: {rc} {text}"
    );
    let (rc, text) = bind_as("jsmith", "Wr0ng!Guess").await.unwrap_err();
    assert!(
        rc == 49 && text.contains("data 52e"),
        "wrong password: {rc} {text}"
    );

    // The context reads the new state back from the DC.
    let ctx = b.context(T_JSMITH).await;
    assert_eq!(ctx["account"]["must_change"], true, "{ctx}");
    assert_eq!(problem_codes(&ctx), Vec::<&str>::new());

    // The audit lists the reset, without the password anywhere.
    let (status, raw) = b.get("/api/v1/audit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !raw.to_string().contains(password),
        "audit holds the password"
    );
    // Newest first: the reset, then the weak attempt the policy check rejected.
    let entries = b.audit(&format!("?ticket={T_JSMITH}")).await;
    let results: Vec<&str> = entries
        .iter()
        .map(|r| r["result"].as_str().unwrap())
        .collect();
    assert_eq!(results, ["success", "rejected"], "{entries:?}");
    let e = &entries[0];
    assert_eq!(e["id"], audit_id);
    assert_eq!(e["technician"], TECHNICIAN);
    assert_eq!(e["ticket_kind"], "service");
    assert_eq!(e["company"], COMPANY);
    assert_eq!(e["account"], "jsmith");
    assert_eq!(e["action"], "reset");
    assert_eq!(e["temporary"], true);
    assert_eq!(e["result"], "success");
    assert_eq!(e["note"], "posted");
    assert_eq!(e["directory_code"], Value::Null);
    b.shutdown().await;
}

#[tokio::test]
async fn the_pso_minimum_from_the_dc_is_enforced_before_the_dc() {
    let b = Backend::start().await;
    // jstrict is in StrictStaff: StrictPSO (min 12, history 5) is its effective policy, read from the DC.
    let ctx = b.context(T_JSTRICT).await;
    assert_eq!(problem_codes(&ctx), Vec::<&str>::new(), "{ctx}");
    assert_eq!(
        ctx["ticket"]["email"], "sam.strict@test.lan",
        "contact's Email item"
    );
    assert_eq!(
        ctx["policy"],
        json!({"kind": "active_directory", "dc": "samba", "min_length": 12, "complexity": true, "history_length": 5})
    );
    assert_eq!(
        ctx["policy_source"],
        "PSO CN=StrictPSO,CN=Password Settings Container,CN=System,DC=test,DC=lan"
    );

    // 10 characters, complex: enough for the domain (7) but not for the PSO (12). The backend refuses it
    // itself, with the rule, instead of sending it to the DC.
    let short = "Abcdef1!xy";
    let (status, body) = b.reset(T_JSTRICT, short, false, "k-short").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "POLICY_VIOLATION");
    assert_eq!(violation_rules(&body), ["AD_MIN_LEN"], "{body}");
    assert!(!body.to_string().contains(short));
    bind_as("jstrict", USER_PASSWORD)
        .await
        .expect("nothing was sent to the DC");
    let audit = b.audit("").await;
    let results: Vec<&str> = audit
        .iter()
        .map(|r| r["result"].as_str().unwrap())
        .collect();
    assert_eq!(
        results,
        ["rejected"],
        "audited as rejected by the policy check, not as a reset"
    );
    assert!(b.sandbox.notes(TicketKind::Service, T_JSTRICT).is_empty());

    // 13 characters passes the PSO; a permanent reset lets the user bind with it at once.
    let long = "Abcdef1!xyzQw";
    let (status, body) = b.reset(T_JSTRICT, long, false, "k-long").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["temporary"], false);
    bind_as("jstrict", long)
        .await
        .expect("bind with the new permanent password");
    assert!(bind_as("jstrict", USER_PASSWORD).await.is_err());
    let ctx = b.context(T_JSTRICT).await;
    assert_eq!(ctx["account"]["must_change"], false);
    b.shutdown().await;
}

#[tokio::test]
async fn disabled_and_privileged_accounts_are_blocked() {
    let b = Backend::start().await;
    for (ticket, sam, code) in [
        (T_PGONE, "pgone", "ACCOUNT_DISABLED"),
        (T_DADMIN, "dadmin", "PRIVILEGED_ACCOUNT"),
    ] {
        let ctx = b.context(ticket).await;
        assert_eq!(problem_codes(&ctx), [code], "{sam}: {ctx}");
        assert_eq!(ctx["can_reset"], false);
        assert_eq!(ctx["account"]["sam_account_name"], sam);

        let (status, body) = b
            .reset(ticket, "Qz7#samba-Block", true, &format!("k-{sam}"))
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{sam}: {body}");
        assert_eq!(body["error"]["code"], "RESET_BLOCKED");
        assert_eq!(body["error"]["problems"][0]["code"], code, "{sam}");
        let (status, body) = b
            .post(&format!("/api/v1/tickets/{ticket}/unlock"), json!({}))
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("RESET_BLOCKED")),
            "{sam}"
        );
    }
    assert!(!ctx_enabled(&b, T_PGONE).await);
    // The DC still has the old passwords: disabled gives "data 533" only for the right password.
    let (rc, text) = bind_as("pgone", USER_PASSWORD).await.unwrap_err();
    assert!(rc == 49 && text.contains("data 533"), "{rc} {text}");
    bind_as("dadmin", USER_PASSWORD)
        .await
        .expect("dadmin's password is unchanged");
    assert!(b.audit("").await.is_empty());
    b.shutdown().await;
}

/// The guard against resetting the wrong person: an address on two accounts resets neither.
#[tokio::test]
async fn an_address_on_two_accounts_blocks_reset_and_unlock_of_both() {
    let b = Backend::start().await;
    let ctx = b.context(T_DANA).await;
    assert_eq!(problem_codes(&ctx), ["MULTIPLE_ACCOUNTS"], "{ctx}");
    assert_eq!(ctx["can_reset"], false);
    assert_eq!(ctx["can_unlock"], false);
    assert!(ctx["account"].is_null(), "no account is picked: {ctx}");

    let (status, body) = b.reset(T_DANA, "Qz7#samba-Twice", false, "k-dana").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "RESET_BLOCKED");
    assert_eq!(body["error"]["problems"][0]["code"], "MULTIPLE_ACCOUNTS");
    let (status, body) = b
        .post(&format!("/api/v1/tickets/{T_DANA}/unlock"), json!({}))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("RESET_BLOCKED")),
        "{body}"
    );
    for sam in ["dup1", "dup2"] {
        bind_as(sam, USER_PASSWORD)
            .await
            .unwrap_or_else(|e| panic!("{sam}'s password changed: {e:?}"));
    }
    assert!(
        b.audit("").await.is_empty(),
        "a blocked request is not audited"
    );
    assert!(b.sandbox.notes(TicketKind::Service, T_DANA).is_empty());
    b.shutdown().await;
}

/// A service account without the reset right: the DC's refusal is a 403 with its code, audited as
/// an error, and the key is used up (the directory saw the request: its answer is replayed).
#[tokio::test]
async fn a_service_account_without_the_right_answers_403_and_audits_an_error() {
    let b = Backend::bound_as("svc-limited").await;
    let ctx = b.context(T_JREFUSE).await;
    assert_eq!(ctx["account"]["sam_account_name"], "jrefuse", "{ctx}");
    assert_eq!(ctx["can_reset"], true, "{ctx}");

    let (status, body) = b
        .reset(T_JREFUSE, "Qz7#samba-Denied", true, "k-denied")
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "DIRECTORY_ACCESS_DENIED");
    let code = body["error"]["directory_code"].as_str().unwrap_or_default();
    assert!(code.starts_with("LDAP 50"), "{body}");
    assert!(body.get("replayed").is_none(), "{body}");

    let (status, again) = b
        .reset(T_JREFUSE, "Qz7#samba-Denied", true, "k-denied")
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{again}");
    assert_eq!(again["error"]["code"], "DIRECTORY_ACCESS_DENIED");
    assert_eq!(again["replayed"], true, "{again}");

    let audit = b.audit("").await;
    assert_eq!(
        audit.len(),
        1,
        "one request reached the directory: {audit:?}"
    );
    assert_eq!(audit[0]["action"], "reset");
    assert_eq!(audit[0]["result"], "error");
    assert_eq!(audit[0]["account"], "jrefuse");
    assert!(
        audit[0]["directory_code"]
            .as_str()
            .unwrap_or_default()
            .starts_with("LDAP 50"),
        "{audit:?}"
    );

    let (status, body) = b
        .post(&format!("/api/v1/tickets/{T_JREFUSE}/unlock"), json!({}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "DIRECTORY_ACCESS_DENIED");
    bind_as("jrefuse", USER_PASSWORD)
        .await
        .expect("jrefuse's password is unchanged");
    b.shutdown().await;
}

async fn ctx_enabled(b: &Backend, ticket: u64) -> bool {
    b.context(ticket).await["account"]["enabled"]
        .as_bool()
        .unwrap()
}

#[tokio::test]
async fn unlock_through_the_api_clears_a_real_lockout() {
    let b = Backend::start().await;
    // The harness locked jlocked with 3 bad binds at DC start (its PSO threshold is 3).
    let ctx = b.context(T_JLOCKED).await;
    assert_eq!(ctx["account"]["locked"], true, "{ctx}");
    assert_eq!(ctx["can_unlock"], true);
    let (rc, text) = bind_as("jlocked", USER_PASSWORD).await.unwrap_err();
    assert!(rc == 49 && text.contains("data 775"), "locked: {rc} {text}");

    let (status, body) = b
        .post(&format!("/api/v1/tickets/{T_JLOCKED}/unlock"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["result"], "success");

    bind_as("jlocked", USER_PASSWORD)
        .await
        .expect("bind after the unlock");
    let ctx = b.context(T_JLOCKED).await;
    assert_eq!(ctx["account"]["locked"], false, "{ctx}");
    assert_eq!(ctx["can_unlock"], false);
    let entries = b.audit(&format!("?ticket={T_JLOCKED}")).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["id"], body["audit_id"]);
    assert_eq!(entries[0]["action"], "unlock");
    assert_eq!(entries[0]["result"], "success");
    assert_eq!(entries[0]["account"], "jlocked");
    b.shutdown().await;
}
