//! The real `ConnectWiseClient` against the ConnectWise sandbox served on 127.0.0.1:0 (mounted under
//! `/v4_6_release/apis/3.0`, as on a real server).
#![allow(clippy::unwrap_used)]
use std::time::{Duration, Instant};

use passdesk_server::connectwise::client::{
    ClientOptions, ConnectWiseClient, ConnectWiseConfig, CwError,
};
use passdesk_server::connectwise::sandbox::{Fault, Sandbox, SandboxContact, SandboxCredentials};
use passdesk_server::connectwise::TicketKind;
use serde_json::Value;

const PRIVATE: &str = "Priv4teK3y-do-not-leak";

fn creds() -> SandboxCredentials {
    SandboxCredentials {
        company_id: "contoso_demo".into(),
        public_key: "PubKey123".into(),
        private_key: PRIVATE.into(),
        client_id: "3f1e0f6e-1111-4a2b-9c3d-5e6f7a8b9c0d".into(),
    }
}

async fn serve(sb: &Sandbox) -> String {
    let app = axum::Router::new().nest("/v4_6_release/apis/3.0", sb.router());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/v4_6_release/apis/3.0")
}

fn config(base: &str) -> ConnectWiseConfig {
    let c = creds();
    ConnectWiseConfig {
        base_url: base.into(),
        company_id: c.company_id,
        public_key: c.public_key,
        private_key: Some(c.private_key),
        private_key_env: None,
        client_id: c.client_id,
        api_version: "2025.8".into(),
    }
}

fn fast() -> ClientOptions {
    ClientOptions {
        base_delay: Duration::from_millis(10),
        ..ClientOptions::default()
    }
}

async fn demo() -> (Sandbox, ConnectWiseClient, String) {
    let sb = Sandbox::seeded_demo(creds());
    let base = serve(&sb).await;
    let client = ConnectWiseClient::with_options(&config(&base), fast()).unwrap();
    (sb, client, base)
}

#[tokio::test]
async fn auth_headers_are_checked() {
    let (sb, client, base) = demo().await;
    let t = client.ticket(TicketKind::Service, 1001).await.unwrap();
    assert_eq!(t.id, 1001);
    let headers = sb.last_headers();
    let h = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(h("clientid"), Some(creds().client_id));
    assert_eq!(
        h("accept").as_deref(),
        Some("application/vnd.connectwise.com+json; version=2025.8")
    );
    assert_eq!(h("content-type").as_deref(), Some("application/json"));
    assert!(
        h("authorization").is_none(),
        "the sandbox must not keep the secret header"
    );

    let mut wrong = config(&base);
    wrong.private_key = Some("wrong-private".into());
    let e = ConnectWiseClient::new(&wrong)
        .unwrap()
        .ticket(TicketKind::Service, 1001)
        .await
        .unwrap_err();
    assert!(matches!(e, CwError::Unauthorized(_)), "{e:?}");
    assert!(!e.is_retryable());
    assert!(!format!("{e} {e:?}").contains("wrong-private"));

    let mut other_company = config(&base);
    other_company.company_id = "fabrikam".into();
    let e = ConnectWiseClient::new(&other_company)
        .unwrap()
        .ticket(TicketKind::Service, 1001)
        .await
        .unwrap_err();
    assert!(matches!(e, CwError::Unauthorized(_)), "{e:?}");

    let mut bad_client_id = config(&base);
    bad_client_id.client_id = "not-registered".into();
    let e = ConnectWiseClient::new(&bad_client_id)
        .unwrap()
        .ticket(TicketKind::Service, 1001)
        .await
        .unwrap_err();
    match &e {
        CwError::Client {
            status: 400, code, ..
        } => assert_eq!(code, "InvalidClientId"),
        other => panic!("{other:?}"),
    }

    // Raw requests: the documented error body shape for missing auth and a missing clientId.
    let http = reqwest::Client::new();
    let r = http
        .get(format!("{base}/service/tickets/1001"))
        .header("clientId", creds().client_id)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.unwrap();
    assert!(
        body["code"].is_string() && body["message"].is_string(),
        "{body}"
    );
    let r = http
        .get(format!("{base}/service/tickets/1001"))
        .header("Authorization", creds().authorization())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "InvalidClientId");
    assert!(body["message"].as_str().unwrap().contains("clientId"));
    let r = http
        .get(format!("{base}/service/tickets/1001"))
        .header("Authorization", creds().authorization())
        .header("clientId", creds().client_id)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(sb.request_count() >= 7);
}

#[tokio::test]
async fn reads_service_and_project_tickets() {
    let (_sb, client, _) = demo().await;
    let t = client.ticket(TicketKind::Service, 1001).await.unwrap();
    assert_eq!(
        (t.id, t.kind, t.summary.as_str()),
        (1001, TicketKind::Service, "Locked out")
    );
    assert_eq!(
        (
            t.company.id,
            t.company.identifier.as_str(),
            t.company.name.as_str()
        ),
        (250, "Contoso", "Contoso Ltd")
    );
    let contact = t.contact.unwrap();
    assert_eq!((contact.id, contact.name.as_str()), (17, "John Smith"));
    assert_eq!(
        t.contact_email.as_deref(),
        Some("john.smith@contoso.example")
    );

    let p = client.ticket(TicketKind::Project, 2001).await.unwrap();
    assert_eq!((p.id, p.kind), (2001, TicketKind::Project));
    assert_eq!(p.contact.map(|c| c.id), Some(17));
    assert_eq!(p.contact_email, None);

    let none = client.ticket(TicketKind::Service, 1003).await.unwrap();
    assert!(none.contact.is_none() && none.contact_email.is_none());
    let mj = client.ticket(TicketKind::Service, 1002).await.unwrap();
    assert_eq!(mj.contact.unwrap().name, "Mary-Jane O'Neil");
}

#[tokio::test]
async fn missing_records_are_not_found() {
    let (_sb, client, _) = demo().await;
    assert!(matches!(
        client.ticket(TicketKind::Service, 9999).await,
        Err(CwError::NotFound)
    ));
    // 1001 is a service ticket: the project resource does not have it.
    assert!(matches!(
        client.ticket(TicketKind::Project, 1001).await,
        Err(CwError::NotFound)
    ));
    assert!(matches!(
        client.contact_emails(424242).await,
        Err(CwError::NotFound)
    ));
    assert!(matches!(
        client
            .post_internal_note(TicketKind::Service, 9999, "x")
            .await,
        Err(CwError::NotFound)
    ));
}

#[tokio::test]
async fn contact_emails_put_the_default_first() {
    let (sb, client, _) = demo().await;
    // Ticket 1002 has no email of its own: the contact's default Email item is used.
    let t = client.ticket(TicketKind::Service, 1002).await.unwrap();
    assert_eq!(t.contact_email, None);
    let emails = client.contact_emails(t.contact.unwrap().id).await.unwrap();
    assert_eq!(emails, ["mary-jane.oneil@contoso.example"]);
    // John Smith: a phone (default) and a non-default email come first; the default Email item
    // leads, the other Email item follows, the phone is left out.
    assert_eq!(
        client.contact_emails(17).await.unwrap(),
        ["john.smith@contoso.example", "j.smith@old.contoso.example"]
    );

    sb.add_contact(SandboxContact::new(90, "Phone", "Only", 250).phone("+1 555 0199", true));
    assert!(client.contact_emails(90).await.unwrap().is_empty());
    sb.add_contact(
        SandboxContact::new(91, "No", "Default", 250)
            .phone("1", true)
            .email("first@c.example", false)
            .email("second@c.example", false),
    );
    assert_eq!(
        client.contact_emails(91).await.unwrap(),
        ["first@c.example", "second@c.example"]
    );
}

#[tokio::test]
async fn rate_limit_within_cap_is_retried() {
    let (sb, client, _) = demo().await;
    sb.fail_next(
        1,
        Fault::RateLimited {
            retry_after_secs: 1,
        },
    );
    let before = sb.request_count();
    let started = Instant::now();
    let t = client.ticket(TicketKind::Service, 1001).await.unwrap();
    assert_eq!(t.id, 1001);
    assert_eq!(sb.request_count() - before, 2);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was not honoured"
    );
}

#[tokio::test]
async fn rate_limit_beyond_cap_is_returned() {
    let (sb, client, _) = demo().await;
    sb.fail_next(
        1,
        Fault::RateLimited {
            retry_after_secs: 30,
        },
    );
    let before = sb.request_count();
    let started = Instant::now();
    let e = client.ticket(TicketKind::Service, 1001).await.unwrap_err();
    assert!(matches!(e, CwError::RateLimited { .. }), "{e:?}");
    assert_eq!(e.retry_after(), Some(Duration::from_secs(30)));
    assert!(e.is_retryable());
    assert_eq!(
        sb.request_count() - before,
        1,
        "must not wait 30 s in an interactive read"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    // The fault is used up: the next read works.
    assert!(client.ticket(TicketKind::Service, 1001).await.is_ok());
}

#[tokio::test]
async fn server_errors_are_retried_twice() {
    let (sb, client, _) = demo().await;
    sb.fail_next(2, Fault::ServerError(502));
    let before = sb.request_count();
    assert!(client.contact_emails(17).await.is_ok());
    assert_eq!(sb.request_count() - before, 3);

    sb.fail_next(3, Fault::ServerError(500));
    let before = sb.request_count();
    let e = client.ticket(TicketKind::Service, 1001).await.unwrap_err();
    assert!(matches!(e, CwError::Server { status: 500, .. }), "{e:?}");
    assert_eq!(sb.request_count() - before, 3, "two retries, then give up");

    sb.set_down(true);
    let e = client.ticket(TicketKind::Service, 1001).await.unwrap_err();
    assert!(
        matches!(e, CwError::Server { status: 503, .. }) && e.is_retryable(),
        "{e:?}"
    );
    sb.set_down(false);
    assert!(client.ticket(TicketKind::Service, 1001).await.is_ok());
}

#[tokio::test]
async fn unreachable_and_slow_servers_are_unavailable() {
    // A port that was just free: connection refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = ConnectWiseClient::with_options(
        &config(&format!("http://127.0.0.1:{port}/apis/3.0")),
        fast(),
    )
    .unwrap();
    let e = client.ticket(TicketKind::Service, 1001).await.unwrap_err();
    assert!(
        matches!(e, CwError::Unavailable(_)) && e.is_retryable(),
        "{e:?}"
    );

    // Accepts but never answers: the request time-out fires.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = listener.accept().await {
            held.push(s);
        }
    });
    let opts = ClientOptions {
        request_timeout: Duration::from_millis(200),
        read_retries: 1,
        ..fast()
    };
    let client =
        ConnectWiseClient::with_options(&config(&format!("http://{addr}/apis/3.0")), opts).unwrap();
    let started = Instant::now();
    let e = client.ticket(TicketKind::Service, 1).await.unwrap_err();
    assert!(
        matches!(e, CwError::Unavailable(ref m) if m.contains("timed out")),
        "{e:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn internal_note_is_posted_with_the_right_flags() {
    let (sb, client, _) = demo().await;
    let text = "PassDesk password reset - success (Jane Tech, temporary)";
    let id = client
        .post_internal_note(TicketKind::Service, 1001, text)
        .await
        .unwrap();
    let notes = sb.notes(TicketKind::Service, 1001);
    assert_eq!(notes.len(), 1);
    let n = &notes[0];
    assert_eq!(n["id"].as_u64(), Some(id));
    assert_eq!(n["ticketId"], 1001);
    assert_eq!(n["text"], text);
    assert_eq!(n["internalAnalysisFlag"], true);
    assert_eq!(n["detailDescriptionFlag"], false);
    assert_eq!(n["resolutionFlag"], false);
    assert_eq!(n["processNotifications"], false);

    let pid = client
        .post_internal_note(TicketKind::Project, 2001, "project note")
        .await
        .unwrap();
    assert_ne!(pid, id);
    assert_eq!(sb.notes(TicketKind::Project, 2001).len(), 1);
    assert!(sb.notes(TicketKind::Service, 2001).is_empty());

    // The notes are readable through the sandbox's own REST API (what `passdesk demo` documents).
    let list: Vec<Value> = client
        .get_json("/service/tickets/1001/notes", &[])
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["text"], text);
}

#[tokio::test]
async fn note_post_is_not_retried() {
    let (sb, client, _) = demo().await;
    sb.fail_next(
        1,
        Fault::RateLimited {
            retry_after_secs: 1,
        },
    );
    let before = sb.request_count();
    let e = client
        .post_internal_note(TicketKind::Service, 1001, "note")
        .await
        .unwrap_err();
    assert_eq!(e.retry_after(), Some(Duration::from_secs(1)));
    assert!(e.to_string().contains("retry after 1"), "{e}");
    assert_eq!(sb.request_count() - before, 1);
    assert!(sb.notes(TicketKind::Service, 1001).is_empty());

    sb.fail_next(1, Fault::ServerError(500));
    let e = client
        .post_internal_note(TicketKind::Service, 1001, "note")
        .await
        .unwrap_err();
    assert!(matches!(e, CwError::Server { status: 500, .. }), "{e:?}");
    assert_eq!(sb.request_count() - before, 2);
    assert!(sb.notes(TicketKind::Service, 1001).is_empty());
    // The caller (the outbox) retries later and it lands exactly once.
    client
        .post_internal_note(TicketKind::Service, 1001, "note")
        .await
        .unwrap();
    assert_eq!(sb.notes(TicketKind::Service, 1001).len(), 1);
}

#[tokio::test]
async fn invalid_note_body_gets_invalid_object() {
    let (sb, client, _) = demo().await;
    match client
        .post_internal_note(TicketKind::Service, 1001, "   ")
        .await
        .unwrap_err()
    {
        CwError::Client {
            status: 400,
            code,
            message,
        } => {
            assert_eq!(code, "InvalidObject");
            assert!(message.contains("text"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let huge = "x".repeat(60_000);
    let e = client
        .post_internal_note(TicketKind::Service, 1001, &huge)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, CwError::Client { status: 400, message, .. } if message.contains("maximum length")),
        "{e:?}"
    );
    assert!(!e.is_retryable());
    assert!(sb.notes(TicketKind::Service, 1001).is_empty());
}

#[tokio::test]
async fn fields_are_honoured() {
    let (_sb, client, _) = demo().await;
    let v: Value = client
        .get_json(
            "/service/tickets/1001",
            &[("fields", "id,company/identifier".into())],
        )
        .await
        .unwrap();
    assert_eq!(
        v,
        serde_json::json!({"id": 1001, "company": {"identifier": "Contoso"}})
    );
    let full: Value = client.get_json("/service/tickets/1001", &[]).await.unwrap();
    assert_eq!(full["recordType"], "ServiceTicket");
    assert!(full["_info"].is_object());
}

#[tokio::test]
async fn company_lookup_by_identifier() {
    let sb = Sandbox::new(creds());
    sb.add_company(7, "Acme", "Acme Inc");
    sb.add_company(8, "AcmeLabs", "Acme Labs");
    sb.add_company(9, "Other", "Acme");
    let base = serve(&sb).await;
    let client = ConnectWiseClient::with_options(&config(&base), fast()).unwrap();

    // The identifier matches whole and case-insensitively; neither a prefix nor the name does.
    assert_eq!(client.company_id("Acme").await.unwrap(), Some(7));
    assert_eq!(client.company_id(" acme ").await.unwrap(), Some(7));
    assert_eq!(client.company_id("Acm").await.unwrap(), None);
    assert_eq!(client.company_id("Acme Inc").await.unwrap(), None);
    // `"`, `*` and `\` could widen the match: refused before any request.
    let before = sb.request_count();
    for bad in ["x\"y", "Acme*", "a\\b", "  "] {
        assert!(
            matches!(client.company_id(bad).await, Err(CwError::Config(_))),
            "{bad}"
        );
    }
    assert_eq!(sb.request_count(), before);
    // Apostrophes and ampersands survive the URL.
    sb.add_company(10, "O'Neil&Co", "O'Neil and Co");
    assert_eq!(client.company_id("O'Neil&Co").await.unwrap(), Some(10));

    // The sandbox's list answers are paged with RFC 8288 links, like ConnectWise's.
    let r = reqwest::Client::new()
        .get(format!("{base}/company/companies?pageSize=2&page=1"))
        .header("Authorization", creds().authorization())
        .header("clientId", creds().client_id)
        .send()
        .await
        .unwrap();
    let link = r.headers()["link"].to_str().unwrap().to_string();
    assert!(
        link.contains("page=2>; rel=\"next\"") && link.contains("rel=\"last\""),
        "{link}"
    );
    let page: Vec<Value> = r.json().await.unwrap();
    assert_eq!(page.len(), 2);
}

#[tokio::test]
async fn private_key_never_leaks() {
    let (sb, _client, base) = demo().await;
    let cfg = config(&base);
    let dbg = format!("{cfg:?}");
    assert!(!dbg.contains(PRIVATE), "{dbg}");
    assert!(dbg.contains("redacted"));
    let client = ConnectWiseClient::new(&cfg).unwrap();
    assert!(!format!("{client:?}").contains(PRIVATE));
    assert!(!format!("{:?}", creds()).contains(PRIVATE));

    // Every error kind's text.
    let mut errors = Vec::new();
    sb.fail_next(
        1,
        Fault::RateLimited {
            retry_after_secs: 60,
        },
    );
    errors.push(client.ticket(TicketKind::Service, 1001).await.unwrap_err());
    sb.fail_next(3, Fault::ServerError(500));
    errors.push(client.ticket(TicketKind::Service, 1001).await.unwrap_err());
    errors.push(
        client
            .post_internal_note(TicketKind::Service, 1001, "")
            .await
            .unwrap_err(),
    );
    errors.push(client.ticket(TicketKind::Service, 1).await.unwrap_err());
    let mut bad = config(&base);
    bad.public_key = "nope".into();
    errors.push(
        ConnectWiseClient::new(&bad)
            .unwrap()
            .ticket(TicketKind::Service, 1001)
            .await
            .unwrap_err(),
    );
    let mut insecure = config("http://cw.example.com/apis/3.0");
    insecure.private_key = Some(PRIVATE.into());
    errors.push(ConnectWiseClient::new(&insecure).unwrap_err());
    for e in &errors {
        let s = format!("{e} {e:?}");
        assert!(!s.contains(PRIVATE), "{s}");
    }
}

#[tokio::test]
async fn private_key_from_environment() {
    let (_sb, _c, base) = demo().await;
    let var = "PASSDESK_TEST_CW_PRIVATE_KEY_ENV";
    // SAFETY-free: set_var is safe on edition 2021; this variable is unique to this test.
    std::env::set_var(var, PRIVATE);
    let mut cfg = config(&base);
    cfg.private_key = None;
    cfg.private_key_env = Some(var.into());
    let client = ConnectWiseClient::new(&cfg).unwrap();
    assert!(client.ticket(TicketKind::Service, 1001).await.is_ok());
    cfg.private_key_env = Some("PASSDESK_TEST_CW_UNSET_VAR".into());
    assert!(matches!(
        ConnectWiseClient::new(&cfg),
        Err(CwError::Config(_))
    ));
}

#[test]
fn config_deserialises_with_default_version() {
    let cfg: ConnectWiseConfig = toml::from_str(
        r#"base_url = "https://api-na.myconnectwise.net/v4_6_release/apis/3.0"
company_id = "contoso"
public_key = "pub"
private_key_env = "CW_PRIVATE_KEY"
client_id = "guid""#,
    )
    .unwrap();
    assert_eq!(cfg.api_version, "2025.8");
    assert_eq!(cfg.private_key, None);
}

#[tokio::test]
async fn generated_sandbox_credentials_work_and_differ() {
    let a = SandboxCredentials::generate("passdesk_demo");
    let b = SandboxCredentials::generate("passdesk_demo");
    assert_ne!(a.private_key, b.private_key);
    assert_eq!(a.client_id.len(), 36);
    let sb = Sandbox::seeded_demo(a.clone());
    let base = serve(&sb).await;
    let cfg = ConnectWiseConfig {
        base_url: base,
        company_id: a.company_id,
        public_key: a.public_key,
        private_key: Some(a.private_key),
        private_key_env: None,
        client_id: a.client_id,
        api_version: "2025.8".into(),
    };
    let t = ConnectWiseClient::new(&cfg)
        .unwrap()
        .ticket(TicketKind::Service, 1004)
        .await
        .unwrap();
    assert_eq!(t.contact.map(|c| c.name), Some("Pat Gone".into()));
}

#[tokio::test]
async fn company_lookup_on_demo_data() {
    let (_sb, client, _) = demo().await;
    assert_eq!(client.company_id("Contoso").await.unwrap(), Some(250));
    assert_eq!(client.company_id("CONTOSO").await.unwrap(), Some(250));
    assert_eq!(client.company_id("Contoso Ltd").await.unwrap(), None);
}

#[tokio::test]
async fn rate_limit_that_persists_is_returned_after_retries() {
    let (sb, client, _) = demo().await;
    // Retry-After: 0 keeps the test fast; every attempt is throttled.
    sb.fail_next(
        3,
        Fault::RateLimited {
            retry_after_secs: 0,
        },
    );
    let before = sb.request_count();
    let e = client.contact_emails(17).await.unwrap_err();
    assert!(
        matches!(e, CwError::RateLimited { retry_after: Some(d) } if d.is_zero()),
        "{e:?}"
    );
    assert_eq!(sb.request_count() - before, 3);
}

#[tokio::test]
async fn sandbox_error_bodies_have_the_documented_shape() {
    let (_sb, _client, base) = demo().await;
    let http = reqwest::Client::new();
    let send = |req: reqwest::RequestBuilder| {
        req.header("Authorization", creds().authorization())
            .header("clientId", creds().client_id)
            .send()
    };
    let check = |status: u16, code: &'static str| {
        move |r: reqwest::Response| async move {
            assert_eq!(r.status(), status);
            let v: Value = r.json().await.unwrap();
            assert_eq!(v["code"], code, "{v}");
            assert!(v["message"].is_string() && v.get("errors").is_some(), "{v}");
            v
        }
    };
    check(404, "NotFound")(
        send(http.get(format!("{base}/no/such/route")))
            .await
            .unwrap(),
    )
    .await;
    check(404, "NotFound")(
        send(http.get(format!("{base}/service/tickets/424242")))
            .await
            .unwrap(),
    )
    .await;
    check(400, "InvalidObject")(
        send(http.get(format!("{base}/service/tickets/abc")))
            .await
            .unwrap(),
    )
    .await;
    let url = format!("{base}/company/companies?conditions=id%20%3D%20%22open");
    check(400, "InvalidCondition")(send(http.get(url)).await.unwrap()).await;
    let form = http
        .post(format!("{base}/service/tickets/1001/notes"))
        .header("Content-Type", "text/plain")
        .body("text=x");
    check(415, "UnsupportedMediaType")(send(form).await.unwrap()).await;
    let no_text = http
        .post(format!("{base}/service/tickets/1001/notes"))
        .header("Content-Type", "application/json")
        .body(r#"{"internalAnalysisFlag":true}"#);
    let v = check(400, "InvalidObject")(send(no_text).await.unwrap()).await;
    assert_eq!(v["errors"][0]["field"], "text");
    assert_eq!(v["errors"][0]["resource"], "serviceNote");
}
