//! The note outbox: ConnectWise outages, 429 + Retry-After, and a restart with a queued note.
mod api_common;

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use api_common::{good_password, wait_until, wrapper, TestApp};
use async_trait::async_trait;
use passdesk_server::{
    connectwise::{
        sandbox::{Fault, Sandbox, SandboxCredentials},
        Ticket, TicketKind,
    },
    ticket_flow::tickets::{TicketError, TicketSystem},
};
use reqwest::StatusCode;
use sqlx::Row as _;

/// What goes wrong at the moment the first note is posted.
#[derive(Clone, Copy)]
enum Trouble {
    Outage,
    Fault(Fault),
    /// This fault on every one of the next `n` requests.
    Faults(Fault, usize),
    /// The ticket is deleted in ConnectWise between the reset and its note.
    TicketDeleted,
}

/// Passes everything to the real ConnectWise client, but the first note post starts `trouble` in
/// the sandbox just before the real request goes out (the ticket reads before it must succeed).
struct TroubleOnFirstNote {
    inner: Arc<dyn TicketSystem>,
    sandbox: Sandbox,
    trouble: Trouble,
    armed: AtomicBool,
}

#[async_trait]
impl TicketSystem for TroubleOnFirstNote {
    async fn ticket(&self, kind: TicketKind, id: u64) -> Result<Ticket, TicketError> {
        self.inner.ticket(kind, id).await
    }
    async fn company_id(&self, identifier: &str) -> Result<Option<u64>, TicketError> {
        self.inner.company_id(identifier).await
    }
    async fn contact_emails(&self, contact_id: u64) -> Result<Vec<String>, TicketError> {
        self.inner.contact_emails(contact_id).await
    }
    async fn post_internal_note(
        &self,
        kind: TicketKind,
        ticket_id: u64,
        text: &str,
    ) -> Result<u64, TicketError> {
        if self.armed.swap(false, Ordering::SeqCst) {
            match self.trouble {
                Trouble::Outage => self.sandbox.set_down(true),
                Trouble::Fault(f) => self.sandbox.fail_next(1, f),
                Trouble::Faults(f, n) => self.sandbox.fail_next(n, f),
                Trouble::TicketDeleted => self.sandbox.remove_ticket(kind, ticket_id),
            }
        }
        self.inner.post_internal_note(kind, ticket_id, text).await
    }
}

async fn app_with_trouble(dir: &std::path::Path, sandbox: &Sandbox, trouble: Trouble) -> TestApp {
    TestApp::start_in(
        dir,
        Some(sandbox.clone()),
        Some(trouble_wrapper(sandbox, trouble)),
    )
    .await
}

fn trouble_wrapper(sandbox: &Sandbox, trouble: Trouble) -> passdesk_server::demo::TicketsWrapper {
    let sb = sandbox.clone();
    wrapper(move |inner| {
        Arc::new(TroubleOnFirstNote {
            inner,
            sandbox: sb.clone(),
            trouble,
            armed: AtomicBool::new(true),
        })
    })
}

/// Bad keys or a role without Add on notes: every post is refused. After `max_refused_attempts`
/// the note is given up, the audit says `failed`, and ConnectWise is asked no more.
#[tokio::test]
async fn a_note_refused_every_time_is_given_up_and_the_audit_says_failed() {
    let sandbox = new_sandbox();
    let app = TestApp::start_with(|o| {
        o.notes.max_refused_attempts = 3;
        o.sandbox = Some(sandbox.clone());
        o.tickets_wrapper = Some(trouble_wrapper(
            &sandbox,
            Trouble::Faults(Fault::ClientError(403), 100),
        ));
    })
    .await;
    let (status, body) = app.reset(1001, &good_password("Deny"), "k-403").await;
    assert_eq!(status, StatusCode::OK, "the reset itself succeeded: {body}");
    let audit_id = body["audit_id"].as_i64().unwrap();
    assert!(wait_until_async(|| async { audit_note(&app, audit_id).await == "failed" }).await);
    let note_posts = || {
        sandbox
            .arrivals()
            .iter()
            .filter(|a| a.method == "POST" && a.path.ends_with("/notes"))
            .count()
    };
    assert_eq!(note_posts(), 3, "given up after the third refusal");
    let row = sqlx::query("SELECT failed_at, last_error FROM outbox")
        .fetch_one(app.demo.services.store.pool())
        .await
        .unwrap();
    assert!(
        row.get::<Option<String>, _>("failed_at").is_some(),
        "marked given up"
    );
    let last_error = row.get::<Option<String>, _>("last_error").unwrap();
    assert!(last_error.contains("Forbidden"), "{last_error}");
    // Well past the backoff of a fourth attempt (50 ms doubling, capped at 300 ms): none comes.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(note_posts(), 3);
    assert!(sandbox.notes(TicketKind::Service, 1001).is_empty());
    app.shutdown().await;
}

fn new_sandbox() -> Sandbox {
    Sandbox::seeded_demo(SandboxCredentials::generate("passdesk_test"))
}

async fn audit_note(app: &TestApp, audit_id: i64) -> String {
    let entries = app.audit("").await;
    let e = entries
        .iter()
        .find(|e| e["id"] == audit_id)
        .expect("audit row");
    e["note"].as_str().unwrap_or("").to_string()
}

#[tokio::test]
async fn connectwise_down_queues_the_note_and_posts_it_after_recovery() {
    let tmp = tempfile::tempdir().unwrap();
    let sandbox = new_sandbox();
    let app = app_with_trouble(tmp.path(), &sandbox, Trouble::Outage).await;
    let (status, body) = app.reset(1001, &good_password("Down"), "k-down").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["note"], "queued");
    let audit_id = body["audit_id"].as_i64().unwrap();
    assert_eq!(audit_note(&app, audit_id).await, "queued");
    assert_eq!(
        app.demo.directory.resets().len(),
        1,
        "the reset itself succeeded"
    );

    // While ConnectWise is down the worker keeps failing (and counting attempts).
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(sandbox.notes(TicketKind::Service, 1001).is_empty());
    sandbox.set_down(false);
    assert!(
        wait_until(Duration::from_secs(5), || sandbox
            .notes(TicketKind::Service, 1001)
            .len()
            == 1)
        .await
    );
    assert!(wait_until_async(|| async { audit_note(&app, audit_id).await == "posted" }).await);

    let row = sqlx::query("SELECT attempts, posted_at, last_error FROM outbox")
        .fetch_one(app.demo.services.store.pool())
        .await
        .unwrap();
    assert!(row.get::<i64, _>("attempts") >= 2);
    assert!(row.get::<Option<String>, _>("posted_at").is_some());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        sandbox.notes(TicketKind::Service, 1001).len(),
        1,
        "posted exactly once"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn a_note_for_a_deleted_ticket_is_given_up_at_once_not_retried() {
    let tmp = tempfile::tempdir().unwrap();
    let sandbox = new_sandbox();
    let app = app_with_trouble(tmp.path(), &sandbox, Trouble::TicketDeleted).await;
    let (status, body) = app.reset(1001, &good_password("Gone"), "k-gone").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["note"], "failed",
        "the technician learns the note needs adding by hand"
    );
    let audit_id = body["audit_id"].as_i64().unwrap();
    assert_eq!(audit_note(&app, audit_id).await, "failed");
    assert_eq!(
        app.demo.directory.resets().len(),
        1,
        "the reset itself succeeded"
    );

    // The worker leaves it alone: no further requests, even with retries every few ms.
    let requests = sandbox.request_count();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        sandbox.request_count(),
        requests,
        "a given-up note is not retried"
    );
    let row = sqlx::query("SELECT attempts, posted_at, failed_at, last_error FROM outbox")
        .fetch_one(app.demo.services.store.pool())
        .await
        .unwrap();
    assert_eq!(row.get::<i64, _>("attempts"), 1);
    assert!(row.get::<Option<String>, _>("posted_at").is_none());
    assert!(row.get::<Option<String>, _>("failed_at").is_some());
    assert!(row.get::<Option<String>, _>("last_error").is_some());
    app.shutdown().await;
}

async fn wait_until_async<F, Fut>(check: F) -> bool
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..250 {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test]
async fn a_429_note_waits_for_retry_after() {
    let tmp = tempfile::tempdir().unwrap();
    let sandbox = new_sandbox();
    let app = app_with_trouble(
        tmp.path(),
        &sandbox,
        Trouble::Fault(Fault::RateLimited {
            retry_after_secs: 1,
        }),
    )
    .await;
    let (status, body) = app.reset(1001, &good_password("Slow"), "k-429").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["note"], "queued");
    // The backoff base is 50 ms: only Retry-After explains a wait of about a second.
    assert!(
        wait_until(Duration::from_secs(5), || sandbox
            .notes(TicketKind::Service, 1001)
            .len()
            == 1)
        .await
    );
    // From the refused POST to the next one: Retry-After (1 s) was waited, and not much more.
    let posts: Vec<Instant> = sandbox
        .arrivals()
        .into_iter()
        .filter(|a| a.method == "POST" && a.path.ends_with("/service/tickets/1001/notes"))
        .map(|a| a.at)
        .collect();
    assert_eq!(posts.len(), 2, "the 429'd post and the one after it");
    let gap = posts[1] - posts[0];
    assert!(
        gap >= Duration::from_secs(1) && gap < Duration::from_secs(2),
        "retried {gap:?} after the 429 (Retry-After: 1)"
    );
    // ConnectWise has the note a moment before PassDesk records it.
    let audit_id = body["audit_id"].as_i64().unwrap();
    assert!(wait_until_async(|| async { audit_note(&app, audit_id).await == "posted" }).await);
    let row = sqlx::query("SELECT last_error FROM outbox")
        .fetch_one(app.demo.services.store.pool())
        .await
        .unwrap();
    assert!(row.get::<Option<String>, _>("last_error").is_none());
    app.shutdown().await;
}

/// A hostile or broken Retry-After (2^64−1 s, a year, a date centuries ahead) neither panics the
/// reset nor defers the note beyond 120 s, and the worker goes on posting other notes.
#[tokio::test]
async fn an_absurd_retry_after_is_clamped_and_the_worker_survives() {
    for (i, value) in [
        "18446744073709551615",
        "31536000",
        "Tue, 31 Dec 2999 23:59:59 GMT",
    ]
    .into_iter()
    .enumerate()
    {
        let tmp = tempfile::tempdir().unwrap();
        let sandbox = new_sandbox();
        let app = app_with_trouble(
            tmp.path(),
            &sandbox,
            Trouble::Fault(Fault::RateLimitedRaw { retry_after: value }),
        )
        .await;
        let before = chrono::Utc::now().timestamp_millis();
        let (status, body) = app
            .reset(1001, &good_password("Absurd"), &format!("k-absurd-{i}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{value}: {body}");
        assert_eq!(body["note"], "queued", "{value}");
        let next: i64 = sqlx::query("SELECT next_attempt_at FROM outbox WHERE posted_at IS NULL")
            .fetch_one(app.demo.services.store.pool())
            .await
            .unwrap()
            .get("next_attempt_at");
        let after = chrono::Utc::now().timestamp_millis();
        assert!(
            next >= before + 100_000 && next <= after + 121_000,
            "{value}: next attempt {} ms from now",
            next - after
        );
        // The worker is alive: the next ticket's note is posted at once.
        let (status, body) = app
            .reset(1002, &good_password("Next"), &format!("k-next-{i}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{value}: {body}");
        assert!(
            wait_until(Duration::from_secs(5), || sandbox
                .notes(TicketKind::Service, 1002)
                .len()
                == 1)
            .await,
            "{value}: the other note was not posted"
        );
        assert!(sandbox.notes(TicketKind::Service, 1001).is_empty());
        app.shutdown().await;
    }
}

#[tokio::test]
async fn a_5xx_note_is_retried() {
    let tmp = tempfile::tempdir().unwrap();
    let sandbox = new_sandbox();
    let app = app_with_trouble(
        tmp.path(),
        &sandbox,
        Trouble::Fault(Fault::ServerError(500)),
    )
    .await;
    let (status, body) = app.reset(1001, &good_password("Five"), "k-500").await;
    assert_eq!(
        (status, body["note"].as_str()),
        (StatusCode::OK, Some("queued"))
    );
    assert!(
        wait_until(Duration::from_secs(5), || sandbox
            .notes(TicketKind::Service, 1001)
            .len()
            == 1)
        .await
    );
    app.shutdown().await;
}

#[tokio::test]
async fn a_queued_note_survives_a_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let sandbox = new_sandbox();
    let first = app_with_trouble(tmp.path(), &sandbox, Trouble::Outage).await;
    let (status, body) = first.reset(1001, &good_password("Boot"), "k-restart").await;
    assert_eq!(
        (status, body["note"].as_str()),
        (StatusCode::OK, Some("queued")),
        "{body}"
    );
    let audit_id = body["audit_id"].as_i64().unwrap();
    first.shutdown().await; // server, worker and pool gone; ConnectWise still down

    sandbox.set_down(false);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        sandbox.notes(TicketKind::Service, 1001).is_empty(),
        "nothing posts while no backend runs"
    );

    let second = TestApp::start_in(tmp.path(), Some(sandbox.clone()), None).await;
    // The lease of the first run's post attempt may still run; allow for it.
    assert!(
        wait_until(Duration::from_secs(70), || sandbox
            .notes(TicketKind::Service, 1001)
            .len()
            == 1)
        .await
    );
    assert!(wait_until_async(|| async { audit_note(&second, audit_id).await == "posted" }).await);
    let text = sandbox.notes(TicketKind::Service, 1001)[0]["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(text.contains("Demo Technician"));
    second.shutdown().await;
}
