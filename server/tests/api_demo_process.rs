//! `passdesk demo --json` as a real process: it starts, answers health, a reset through its API
//! writes the note into its ConnectWise sandbox (read back over the sandbox's own REST API with the
//! printed credentials), and Ctrl-C (SIGINT) stops it cleanly. With `--verification required
//! --verification-config` it sends e-mail codes through a real SMTP server and refuses an
//! unverified reset.
#![allow(clippy::unwrap_used)]
mod support;

use std::{
    process::Stdio,
    time::{Duration, Instant},
};

use serde_json::{json, Value};
use support::smtp::{code_in, SmtpServer};
use tokio::io::{AsyncBufReadExt as _, BufReader};

/// `passdesk demo --json <extra>` and its ready line; the child dies with the handle.
async fn demo(data: &std::path::Path, extra: &[&str]) -> (tokio::process::Child, String) {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_passdesk"))
        .args(["demo", "--listen", "127.0.0.1:0", "--json", "--data-dir"])
        .arg(data)
        .args(extra)
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
    (child, line)
}

#[tokio::test]
async fn demo_starts_resets_and_writes_the_note_into_the_sandbox() {
    let data = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let (mut child, line) = demo(data.path(), &[]).await;
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

#[tokio::test]
async fn demo_with_a_verification_file_requires_a_caller_verified_by_a_real_smtp_server() {
    let smtp = SmtpServer::start();
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("verification.toml");
    // The support helper writes the table's body; the file wants it under [verification].
    let body = smtp
        .config_toml(&smtp.password)
        .replace("[email]", "[verification.email]");
    std::fs::write(&file, format!("[verification]\n{body}")).unwrap();
    let (_child, line) = demo(
        data.path(),
        &[
            "--verification",
            "required",
            "--verification-config",
            file.to_str().unwrap(),
        ],
    )
    .await;
    let info: Value = serde_json::from_str(&line).expect("one JSON line");
    let (api, token) = (
        info["api"].as_str().unwrap(),
        info["token"].as_str().unwrap(),
    );
    let http = reqwest::Client::new();
    let call = |method: reqwest::Method, path: &str, body: Option<Value>| {
        let mut r = http
            .request(method, format!("{api}{path}"))
            .bearer_auth(token);
        if let Some(b) = body {
            r = r.json(&b);
        }
        async move {
            let r = r.send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let (status, ctx) = call(reqwest::Method::GET, "/api/v1/tickets/1001/context", None).await;
    assert_eq!(status, 200, "{ctx}");
    let v = &ctx["verification"];
    assert_eq!(v["required"], true, "{v}");
    let ids: Vec<&str> = v["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    // E-mail from the file, SMS and Duo still from the built-in simulators.
    assert_eq!(
        ids,
        ["sms:mobile", "email:otherMailbox:1", "duo_push"],
        "{v}"
    );

    let account = ctx["account"]["id"].clone();
    let reset = |key: &str, vid: Option<&str>| {
        let mut b = json!({"password": "Demo#Reset-42x", "temporary": true, "idempotency_key": key, "account_id": account});
        if let Some(v) = vid {
            b["verification_id"] = json!(v);
        }
        b
    };
    let (status, body) = call(
        reqwest::Method::POST,
        "/api/v1/tickets/1001/reset",
        Some(reset("v-1", None)),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"]["code"], "VERIFICATION_REQUIRED");

    let (status, started) = call(
        reqwest::Method::POST,
        "/api/v1/tickets/1001/verifications",
        Some(json!({"method": "email:otherMailbox:1", "account_id": account})),
    )
    .await;
    assert_eq!(status, 201, "{started}");
    let vid = started["id"].as_str().unwrap().to_string();
    let message = smtp.wait_for_message(1).await;
    assert!(
        message.contains("X-RcptTo: john.smith.home@example.net"),
        "{message}"
    );
    let (status, body) = call(
        reqwest::Method::POST,
        &format!("/api/v1/verifications/{vid}/code"),
        Some(json!({"code": code_in(&message)})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = call(
        reqwest::Method::POST,
        "/api/v1/tickets/1001/reset",
        Some(reset("v-2", Some(&vid))),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["verified_by"]["kind"], "email");
}

#[tokio::test]
async fn demo_refuses_a_bad_verification_file_or_mode() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("bad.toml");
    std::fs::write(&file, "[verification]\nno_such_key = 1\n").unwrap();
    for args in [
        vec!["--verification-config", file.to_str().unwrap()],
        vec!["--verification", "sometimes"],
    ] {
        let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_passdesk"))
            .args(["demo", "--listen", "127.0.0.1:0", "--json", "--data-dir"])
            .arg(data.path())
            .args(&args)
            .output()
            .await
            .unwrap();
        assert!(!out.status.success(), "{args:?}");
        assert!(out.stdout.is_empty(), "no ready line: {args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("bad.toml") || err.contains("required, optional or off"),
            "{args:?}: {err}"
        );
    }
}
