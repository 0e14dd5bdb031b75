//! SECRET-LEAK test: a reset with a known unique password and a caller verification by e-mail code
//! (through a real SMTP server) while every tracing event (TRACE, all crates, span open/close with
//! their fields) is captured; the password, the technician token, the one-time code, the SMTP
//! password and the caller's phone number and private address must appear in no log line, no row of
//! any table, no byte of the SQLite files (incl. -wal), no note and no API answer.
#![allow(clippy::unwrap_used)]
mod api_common;
mod support;

use std::{path::Path, sync::Arc};

use api_common::TestApp;
use passdesk_server::{connectwise::TicketKind, ticket_flow::password::ResetRequest};
use reqwest::StatusCode;
use sqlx::Row as _;
use support::{
    log_capture::{assert_absent, contains, Capture},
    smtp::{code_in, SmtpServer},
};

/// Whether the 6-digit `code` occurs in `hay` on its own (not inside a longer number such as a
/// millisecond timestamp, where any 6 digits turn up by chance).
fn contains_code(hay: &[u8], code: &str) -> bool {
    let code = code.as_bytes();
    hay.windows(code.len()).enumerate().any(|(i, w)| {
        w == code
            && (i == 0 || !hay[i - 1].is_ascii_digit())
            && hay.get(i + code.len()).is_none_or(|b| !b.is_ascii_digit())
    })
}

fn unique(prefix: &str) -> String {
    format!("{prefix}{:016x}", rand::random::<u64>())
}

/// Every value of every column of every table, as bytes.
async fn every_cell(pool: &sqlx::SqlitePool) -> (Vec<u8>, usize) {
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
            .fetch_all(pool)
            .await
            .unwrap();
    let mut corpus = Vec::new();
    let mut cells = 0;
    for table in &tables {
        let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info(?)")
            .bind(table)
            .fetch_all(pool)
            .await
            .unwrap();
        for column in &columns {
            let rows = sqlx::query(&format!(
                "SELECT CAST(\"{column}\" AS BLOB) AS v FROM \"{table}\""
            ))
            .fetch_all(pool)
            .await
            .unwrap();
            for row in rows {
                if let Some(v) = row.get::<Option<Vec<u8>>, _>("v") {
                    corpus.extend_from_slice(&v);
                    corpus.push(b'\n');
                    cells += 1;
                }
            }
        }
    }
    (corpus, cells)
}

/// The raw bytes of the SQLite file and its -wal / -shm companions.
fn raw_db_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    ["passdesk.db", "passdesk.db-wal", "passdesk.db-shm"]
        .iter()
        .filter_map(|name| {
            std::fs::read(dir.join(name))
                .ok()
                .map(|b| (name.to_string(), b))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_password_or_token_in_logs_database_notes_or_answers() {
    let capture = Capture::install();

    let smtp = SmtpServer::start();
    let cfg: passdesk_server::verification::config::VerificationConfig =
        toml::from_str(&smtp.config_toml(&smtp.password)).unwrap();
    let app = TestApp::start_with(|o| o.verification = Some(Arc::new(cfg))).await;
    let token = app.token().to_string();
    let password = unique("Pw#Leak9-");
    let weak = unique("weakleak");
    let mut answers = String::new();

    // Success, the same password refused by the directory (history), a policy violation, and a
    // request body that is malformed around a password.
    let (status, body) = app.reset(1001, &password, "leak-1").await;
    assert_eq!(
        (status, body["note"].as_str()),
        (StatusCode::OK, Some("posted")),
        "{body}"
    );
    answers.push_str(&body.to_string());
    let (status, body) = app.reset(1001, &password, "leak-2").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    answers.push_str(&body.to_string());
    // A query string is never logged (only the path is).
    let query_marker = unique("QueryMarker");
    let (status, _) = app
        .get(&format!("/api/v1/audit?account={query_marker}&limit=5"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app.reset(1002, &weak, "leak-3").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    answers.push_str(&body.to_string());
    let r = app
        .http
        .post(app.url("/api/v1/tickets/1001/reset"))
        .bearer_auth(&token)
        .body(format!("{{\"password\": \"{password}\", \"temporary\": \"{password}\", \"idempotency_key\": 7}}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    answers.push_str(&r.text().await.unwrap());
    // Caller verification by e-mail code on ticket 1002 (a wrong code, then the right one), and
    // the contexts that read both accounts' contact points.
    for ticket in [1001, 1002] {
        let (status, body) = app.get(&format!("/api/v1/tickets/{ticket}/context")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        answers.push_str(&body.to_string());
    }
    let (status, body) = app
        .post(
            "/api/v1/tickets/1002/verifications",
            serde_json::json!({"method": "email:otherMailbox",
                "account_id": "CN=Mary-Jane O'Neil,OU=Staff,DC=contoso,DC=example"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    answers.push_str(&body.to_string());
    let vid = body["id"].as_str().unwrap().to_string();
    let code = code_in(&smtp.wait_for_message(1).await);
    let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
    for typed in [&wrong, &code] {
        let (_, body) = app
            .post(
                &format!("/api/v1/verifications/{vid}/code"),
                serde_json::json!({"code": typed}),
            )
            .await;
        answers.push_str(&body.to_string());
    }
    let (status, body) = app.get(&format!("/api/v1/verifications/{vid}")).await;
    assert_eq!(body["status"], "verified", "{body}");
    answers.push_str(&body.to_string());
    let (status_unlock, body) = app
        .post(
            "/api/v1/tickets/1002/unlock",
            serde_json::json!({"verification_id": vid}),
        )
        .await;
    assert_eq!(
        (status, status_unlock),
        (StatusCode::OK, StatusCode::OK),
        "{body}"
    );
    answers.push_str(&body.to_string());

    let secrets = [
        ("the password", password.as_str()),
        ("the weak password", weak.as_str()),
        ("the token", token.as_str()),
        ("the SMTP password", smtp.password.as_str()),
        ("the caller's private address", "mj.oneil@example.org"),
        ("jsmith's private address", "john.smith.home@example.net"),
        ("jsmith's phone number", "0100123"),
        ("jsmith's phone number as AD holds it", "(555) 010-0123"),
        (
            "the verification id's code hash input",
            &format!("{vid}:{code}"),
        ),
    ];
    assert_absent("the API answers", answers.as_bytes(), &secrets);
    assert!(
        !contains_code(answers.as_bytes(), &code),
        "the code is in an API answer"
    );
    assert!(
        !contains_code(answers.as_bytes(), &wrong),
        "a typed code is in an API answer"
    );

    // The request body's Debug never shows the password.
    let parsed: ResetRequest = serde_json::from_str(&format!(
        "{{\"password\": \"{password}\", \"temporary\": true, \"idempotency_key\": \"k\", \"account_id\": \"CN=x\"}}"
    ))
    .unwrap();
    assert!(!format!("{parsed:?}").contains(&password));

    // Notes.
    for kind in [TicketKind::Service, TicketKind::Project] {
        for id in [1001, 1002, 2001] {
            for note in app.notes(kind, id) {
                assert_absent("a ConnectWise note", note.to_string().as_bytes(), &secrets);
                assert!(
                    !contains_code(note.to_string().as_bytes(), &code),
                    "the code is in a note"
                );
            }
        }
    }
    assert_eq!(app.notes(TicketKind::Service, 1001).len(), 1);
    assert!(
        app.notes(TicketKind::Service, 1002)[0]["text"]
            .as_str()
            .unwrap()
            .starts_with("Caller verified by e-mail code to m***@example.org"),
        "the verification note was not written"
    );

    // Every cell of every table, and the raw files while the WAL is live.
    let (corpus, cells) = every_cell(app.demo.services.store.pool()).await;
    assert!(cells > 20, "the scan read only {cells} cells");
    assert!(
        contains(&corpus, b"jsmith"),
        "the scan did not see the audit rows"
    );
    let token_hash = passdesk_server::store::tokens::hash_token(&token);
    assert!(
        contains(&corpus, token_hash.as_bytes()),
        "the scan did not see the tokens table"
    );
    assert_absent("a database row", &corpus, &secrets);
    assert!(
        contains(&corpus, b"m***@example.org"),
        "the scan did not see the verification rows"
    );
    assert!(
        !contains_code(&corpus, &code),
        "the code is in a database row"
    );
    assert!(
        !contains_code(&corpus, &wrong),
        "a typed code is in a database row"
    );
    let live = raw_db_files(&app.data_dir);
    assert!(
        live.iter()
            .any(|(n, b)| n.ends_with("-wal") && !b.is_empty()),
        "no live WAL to check"
    );
    for (name, bytes) in &live {
        assert_absent(name, bytes, &secrets);
    }

    // Shut down (checkpoints the WAL into the main file) and check the files again.
    let dir = app.data_dir.clone();
    let _kept = app.shutdown_keeping_data().await;
    let after = raw_db_files(&dir);
    assert!(
        after
            .iter()
            .any(|(_, b)| contains(b, token_hash.as_bytes())),
        "the files after shutdown were not read"
    );
    for (name, bytes) in &after {
        assert_absent(&format!("{name} after shutdown"), bytes, &secrets);
    }

    // Logs: TRACE from every crate, including span fields.
    let logs = String::from_utf8_lossy(&capture.bytes()).to_string();
    assert!(
        logs.contains("password reset"),
        "the capture missed the flow's own events"
    );
    assert!(logs.contains("internal note posted"));
    assert!(
        logs.lines().count() > 50,
        "suspiciously few log lines: {}",
        logs.lines().count()
    );
    assert_absent("the logs", logs.as_bytes(), &secrets);
    assert!(
        !logs.contains(&query_marker),
        "a query string reached the logs"
    );
    assert!(
        logs.contains("path=/api/v1/audit"),
        "request paths are logged"
    );
    assert!(
        logs.contains("caller verification"),
        "the capture missed the verification events"
    );
    assert!(
        !contains_code(logs.as_bytes(), &code),
        "the code is in the logs"
    );
    assert!(
        !contains_code(logs.as_bytes(), &wrong),
        "a typed code is in the logs"
    );
}
