//! Authentication, CORS, body limit and error envelope of every route.
#![allow(clippy::unwrap_used)]
mod api_common;

use api_common::{read, TestApp};
use passdesk_server::{http::cors::ExtensionOrigin, store::tokens};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    auth: Option<&str>,
) -> (StatusCode, serde_json::Value) {
    let mut req = app.http.request(
        Method::from_bytes(method.as_bytes()).unwrap(),
        app.url(path),
    );
    if let Some(a) = auth {
        req = req.header("Authorization", a);
    }
    if method == "POST" {
        req = req.json(
            &json!({"password": "Vx7#qAuth-Lmz", "temporary": true, "idempotency_key": "k-auth", "account_id": "CN=x"}),
        );
    }
    read(req.send().await.unwrap()).await
}

/// Every route that needs a technician token, written out here (not taken from the code under
/// test), as (method, path with `1001` for `{id}`).
const PROTECTED_ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/tickets/1001/context"),
    ("POST", "/api/v1/tickets/1001/reset"),
    ("POST", "/api/v1/tickets/1001/unlock"),
    ("GET", "/api/v1/audit"),
    ("GET", "/api/v1/agents"),
    ("POST", "/api/v1/tickets/1001/verifications"),
    ("POST", "/api/v1/verifications/1001/code"),
    ("GET", "/api/v1/verifications/1001"),
];

/// Routes that take no technician token: the health check and the site agents' own endpoints
/// (they authenticate with an enrolment code or the agent's credential: tests/agent_protocol.rs).
const PUBLIC_ROUTES: &[&str] = &["/api/v1/health", "/agent/v1/join", "/agent/v1/connect"];

/// A route added to the router but not to the lists above would never be tested for 401.
#[test]
fn every_route_of_the_router_is_in_a_list_of_this_test() {
    let routes: Vec<String> = api_common::router_routes()
        .into_iter()
        .map(|(_, path)| path)
        .collect();
    assert_eq!(
        routes.len(),
        PROTECTED_ROUTES.len() + PUBLIC_ROUTES.len(),
        "{routes:?}"
    );
    for route in &routes {
        let known = PUBLIC_ROUTES.contains(&route.as_str())
            || PROTECTED_ROUTES
                .iter()
                .any(|(_, p)| p.replace("1001", "{id}") == *route);
        assert!(
            known,
            "{route} is in the router but not in PROTECTED_ROUTES or PUBLIC_ROUTES"
        );
    }
    for (_, path) in PROTECTED_ROUTES {
        let path = path.replace("1001", "{id}");
        assert!(routes.contains(&path), "{path} is no longer in the router");
    }
}

#[tokio::test]
async fn every_route_refuses_missing_wrong_and_revoked_tokens() {
    let app = TestApp::start().await;
    let revoked = tokens::create(app.demo.services.store.pool(), "Gone Tech")
        .await
        .unwrap();
    assert_eq!(
        tokens::revoke(app.demo.services.store.pool(), "Gone Tech")
            .await
            .unwrap(),
        1
    );
    let revoked_header = format!("Bearer {}", revoked.token);
    let wrong_header = format!("Bearer {}x", app.token());
    let basic_header = format!("Basic {}", app.token());
    let cases: [(&str, Option<&str>); 5] = [
        ("no token", None),
        ("wrong token", Some(&wrong_header)),
        ("revoked token", Some(&revoked_header)),
        ("wrong scheme", Some(&basic_header)),
        ("empty bearer", Some("Bearer ")),
    ];
    for (method, path) in PROTECTED_ROUTES {
        for (what, auth) in &cases {
            let (status, body) = call(&app, method, path, *auth).await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{method} {path} with {what}: {body}"
            );
            assert_eq!(
                body["error"]["code"], "UNAUTHORIZED",
                "{method} {path} with {what}"
            );
        }
    }
    // Nothing was reset, unlocked or audited by all those calls.
    assert!(app.demo.directory.resets().is_empty());
    assert!(
        app.audit("").await.is_empty(),
        "a refused call is not audited"
    );
    assert_eq!(
        app.demo
            .directory
            .account_by_sam("mjoneil")
            .map(|a| a.locked),
        Some(true),
        "mjoneil is still locked"
    );
    // And the valid token works on the same routes.
    let (status, body) = app.get("/api/v1/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"technician": "Demo Technician"}));
    app.shutdown().await;
}

#[tokio::test]
async fn health_is_public() {
    let app = TestApp::start().await;
    let (status, body) = read(
        app.http
            .get(app.url("/api/v1/health"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")})
    );
    app.shutdown().await;
}

#[tokio::test]
async fn oversized_bodies_get_413_with_the_envelope() {
    let app = TestApp::start().await;
    let big =
        json!({"password": "A".repeat(20 * 1024), "temporary": true, "idempotency_key": "k-big", "account_id": "CN=x"})
            .to_string();
    let r = app
        .http
        .post(app.url("/api/v1/tickets/1001/reset"))
        .bearer_auth(app.token())
        .header("Content-Type", "application/json")
        .body(big.clone())
        .send()
        .await
        .unwrap();
    let (status, body) = read(r).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["error"]["code"], "PAYLOAD_TOO_LARGE");

    // Without Content-Length (chunked), the limit must hold while streaming too.
    let (status, body) = raw_chunked_post(&app, "/api/v1/tickets/1001/reset", big.as_bytes()).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error"]["code"], "PAYLOAD_TOO_LARGE");
    assert!(app.demo.directory.resets().is_empty());
    app.shutdown().await;
}

/// A hand-written HTTP/1.1 request with a chunked body; returns the status and the JSON body.
async fn raw_chunked_post(app: &TestApp, path: &str, body: &[u8]) -> (u16, serde_json::Value) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut s = tokio::net::TcpStream::connect(app.demo.addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        app.token()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    for chunk in body.chunks(1024) {
        // The server may answer and close before the whole body is sent; that is the point.
        if s.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
            .await
            .is_err()
            || s.write_all(chunk).await.is_err()
            || s.write_all(b"\r\n").await.is_err()
        {
            break;
        }
    }
    let _ = s.write_all(b"0\r\n\r\n").await;
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out).await;
    let text = String::from_utf8_lossy(&out).to_string();
    let status: u16 = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let json_start = text.find('{').unwrap_or(text.len());
    let json_end = text.rfind('}').map(|i| i + 1).unwrap_or(text.len());
    let body = serde_json::from_str(&text[json_start..json_end.max(json_start)])
        .unwrap_or(serde_json::Value::Null);
    (status, body)
}

#[tokio::test]
async fn malformed_requests_get_400_with_the_envelope() {
    let app = TestApp::start().await;
    let secretish = "Sekret-Value-9d1f";
    let cases = [
        ("not json", "{\"password\": ".to_string()),
        ("missing field", json!({"password": "Vx7#qAb-Lmz", "temporary": true}).to_string()),
        ("wrong type", json!({"password": "Vx7#qAb-Lmz", "temporary": secretish, "idempotency_key": "k"}).to_string()),
        ("unknown field", json!({"password": "Vx7#qAb-Lmz", "temporary": true, "idempotency_key": "k", "account": "admin"}).to_string()),
        ("unknown field named like a secret", json!({"password": "Vx7#qAb-Lmz", "temporary": true, "idempotency_key": "k", secretish: true}).to_string()),
    ];
    for (what, body) in cases {
        let r = app
            .http
            .post(app.url("/api/v1/tickets/1001/reset"))
            .bearer_auth(app.token())
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let (status, body) = read(r).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {body}");
        assert_eq!(body["error"]["code"], "BAD_REQUEST", "{what}");
        assert!(
            !body.to_string().contains(secretish),
            "{what}: the error echoes a value: {body}"
        );
    }
    let (status, body) = app.get("/api/v1/tickets/abc/context").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("BAD_REQUEST"))
    );
    let (status, body) = app.get("/api/v1/tickets/1001/context?kind=incident").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("BAD_REQUEST"))
    );
    let (status, body) = app.get("/api/v1/nope").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("NOT_FOUND"))
    );
    assert!(app.demo.directory.resets().is_empty());
    app.shutdown().await;
}

/// The CORS answer to a preflight from `origin`: the allowed origin, if any.
async fn preflight(app: &TestApp, origin: &str) -> Option<String> {
    let r = app
        .http
        .request(Method::OPTIONS, app.url("/api/v1/tickets/1001/reset"))
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "authorization,content-type",
        )
        .send()
        .await
        .unwrap();
    let allow = r
        .headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap().to_string());
    if allow.is_some() {
        let headers = r.headers()["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .to_ascii_lowercase();
        assert!(headers.contains("authorization"), "{headers}");
    }
    allow
}

const CHROMIUM_ID: &str = "abcdefghijklmnopabcdefghijklmnop";
const FIREFOX_UUID: &str = "6c3d0a4e-1111-2222-3333-444455556666";

#[tokio::test]
async fn cors_answers_only_the_configured_extension_installs() {
    let app = TestApp::start_with(|o| {
        o.cors = vec![
            ExtensionOrigin::parse(CHROMIUM_ID).unwrap(),
            ExtensionOrigin::parse(FIREFOX_UUID).unwrap(),
        ]
    })
    .await;
    for (origin, allowed) in [
        (format!("chrome-extension://{CHROMIUM_ID}"), true),
        (format!("moz-extension://{FIREFOX_UUID}"), true),
        // Another extension, of either browser, is just another origin.
        (
            "chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba".into(),
            false,
        ),
        (
            "moz-extension://00000000-1111-2222-3333-444455556666".into(),
            false,
        ),
        ("https://evil.example".into(), false),
        ("https://na.myconnectwise.net".into(), false),
    ] {
        let allow = preflight(&app, &origin).await;
        assert_eq!(allow.is_some(), allowed, "{origin}: {allow:?}");
        if allowed {
            assert_eq!(allow.as_deref(), Some(origin.as_str()));
        }
    }
    // Real answers carry it too, errors included: the page must be able to read a 401 or a 422.
    let origin = format!("chrome-extension://{CHROMIUM_ID}");
    let unauthenticated = app
        .http
        .get(app.url("/api/v1/me"))
        .header("Origin", &origin)
        .send()
        .await
        .unwrap();
    let weak = app
        .http
        .post(app.url("/api/v1/tickets/1001/reset"))
        .bearer_auth(app.token())
        .header("Origin", &origin)
        .json(
            &json!({"password": "weak", "temporary": true, "idempotency_key": "k-cors",
            "account_id": app.account_id(1001).await}),
        )
        .send()
        .await
        .unwrap();
    for (r, status) in [
        (unauthenticated, StatusCode::UNAUTHORIZED),
        (weak, StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        assert_eq!(r.status(), status);
        assert_eq!(
            r.headers()
                .get("access-control-allow-origin")
                .and_then(|v| v.to_str().ok()),
            Some(origin.as_str()),
            "{status}"
        );
    }
    app.shutdown().await;
}

#[tokio::test]
async fn without_configured_installs_no_origin_gets_a_cors_answer() {
    let app = TestApp::start().await;
    for origin in [
        format!("chrome-extension://{CHROMIUM_ID}"),
        format!("moz-extension://{FIREFOX_UUID}"),
        "https://evil.example".into(),
    ] {
        assert_eq!(preflight(&app, &origin).await, None, "{origin}");
    }
    // The API itself still answers a caller that needs no CORS (the extension's background).
    let (status, _) = app.get("/api/v1/me").await;
    assert_eq!(status, StatusCode::OK);
    app.shutdown().await;
}
