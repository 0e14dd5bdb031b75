//! `passdesk demo --json` as a real process: it starts, answers health, a reset through its API
//! writes the note into its ConnectWise sandbox (read back over the sandbox's own REST API with the
//! printed credentials), and Ctrl-C (SIGINT) stops it cleanly.
use std::{
    process::Stdio,
    time::{Duration, Instant},
};

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt as _, BufReader};

#[tokio::test]
async fn demo_starts_resets_and_writes_the_note_into_the_sandbox() {
    let data = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_passdesk"))
        .args(["demo", "--listen", "127.0.0.1:0", "--json", "--data-dir"])
        .arg(data.path())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .expect("ready in time")
        .unwrap()
        .unwrap();
    let ready = started.elapsed();
    eprintln!("passdesk demo ready after {} ms", ready.as_millis());
    assert!(
        ready < Duration::from_secs(10),
        "demo took {ready:?} to start"
    );
    let info: Value = serde_json::from_str(&line).expect("one JSON line");
    let api = info["api"].as_str().unwrap();
    let token = info["token"].as_str().unwrap();
    assert!(token.starts_with("pd_"));
    let cw = &info["connectwise"];
    assert!(cw["base"]
        .as_str()
        .unwrap()
        .ends_with("/cw/v4_6_release/apis/3.0"));
    assert!(cw["authorization"].as_str().unwrap().starts_with("Basic "));
    assert!(info["pages"].as_str().unwrap().ends_with("/demo/"));

    let http = reqwest::Client::new();
    let health: Value = http
        .get(format!("{api}/api/v1/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    let pages = http
        .get(info["pages"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(pages.status(), 200, "demo pages are served");

    let password = "Demo#Reset-42x";
    let r = http
        .post(format!("{api}/api/v1/tickets/1001/reset"))
        .bearer_auth(token)
        .json(&json!({"password": password, "temporary": true, "idempotency_key": "demo-proc-1", "account_id": "CN=John Smith,OU=Staff,DC=contoso,DC=example"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["note"], "posted", "{body}");

    let notes_url = format!(
        "{}/service/tickets/1001/notes",
        cw["base"].as_str().unwrap()
    );
    let r = http
        .get(&notes_url)
        .header("Authorization", cw["authorization"].as_str().unwrap())
        .header("clientId", cw["client_id"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let notes: Value = r.json().await.unwrap();
    let notes = notes.as_array().unwrap();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0]["internalAnalysisFlag"], true);
    let text = notes[0]["text"].as_str().unwrap();
    assert!(
        text.contains("PassDesk password reset - success") && text.contains("Demo Technician"),
        "{text}"
    );
    assert!(!text.contains(password));
    // The sandbox checks its credentials like ConnectWise does.
    assert_eq!(http.get(&notes_url).send().await.unwrap().status(), 401);

    // Ctrl-C stops it cleanly.
    let pid = child.id().unwrap();
    let killed = std::process::Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = tokio::time::timeout(Duration::from_secs(15), child.wait())
        .await
        .expect("exits after SIGINT")
        .unwrap();
    assert!(status.success(), "{status:?}");
    assert!(data.path().join("passdesk.db").exists());
}
