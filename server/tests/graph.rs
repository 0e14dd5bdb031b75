//! The Graph connector against the local Graph simulator (tests/support/graph_sim.rs).
#![allow(clippy::unwrap_used)]
mod support;

use std::time::{Duration, Instant};

use passdesk_core::{EntraPolicy, Policy};
use passdesk_server::directory::graph::{GraphDirectory, GraphDirectoryConfig};
use passdesk_server::directory::secret::Secret;
use passdesk_server::directory::{AccountSource, Directory, DirectoryError};
use serde_json::json;
use support::graph_sim::{GraphSim, ADMIN, CLIENT_SECRET, GONE, JOHN, MARY};

fn config(sim: &GraphSim) -> GraphDirectoryConfig {
    sim.directory_config()
}

async fn setup() -> (GraphSim, GraphDirectory) {
    let sim = GraphSim::start().await;
    let dir = GraphDirectory::new(config(&sim)).unwrap();
    (sim, dir)
}

#[tokio::test]
async fn token_is_fetched_once_and_reused() {
    let (sim, dir) = setup().await;
    dir.find_by_email("john.smith@contoso.example")
        .await
        .unwrap();
    dir.get_account(JOHN).await.unwrap();
    dir.find_by_email("nobody@contoso.example").await.unwrap();
    assert_eq!(dir.tokens_fetched(), 1);
    assert_eq!(sim.with(|s| s.token_requests), 1);
}

#[tokio::test]
async fn an_expired_token_is_renewed() {
    let (sim, dir) = setup().await;
    sim.with(|s| s.expires_in = 1);
    dir.get_account(JOHN).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    dir.get_account(JOHN).await.unwrap();
    assert_eq!(sim.with(|s| s.token_requests), 2);
}

#[tokio::test]
async fn a_revoked_token_gets_one_fresh_try() {
    let (sim, dir) = setup().await;
    dir.get_account(JOHN).await.unwrap();
    sim.with(|s| s.tokens.clear()); // the cached token is now unknown: 401
    dir.get_account(JOHN).await.expect("renewed after 401");
    assert_eq!(sim.with(|s| s.token_requests), 2);
}

#[tokio::test]
async fn wrong_client_secret_is_unavailable_without_leaking_it() {
    let sim = GraphSim::start().await;
    let mut cfg = config(&sim);
    cfg.client_secret = Some(Secret::new("Wrong~Secret~xyz"));
    let dir = GraphDirectory::new(cfg).unwrap();
    match dir.get_account(JOHN).await {
        Err(DirectoryError::Unavailable(msg)) => {
            assert!(
                msg.contains("401") && msg.contains("invalid_client"),
                "{msg}"
            );
            assert!(!msg.contains("Wrong~Secret") && !msg.contains(CLIENT_SECRET));
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
}

#[tokio::test]
async fn client_secret_can_come_from_the_environment() {
    let sim = GraphSim::start().await;
    let mut cfg = config(&sim);
    cfg.client_secret = None;
    cfg.client_secret_env = Some("PASSDESK_TEST_GRAPH_SECRET".into());
    std::env::set_var("PASSDESK_TEST_GRAPH_SECRET", CLIENT_SECRET);
    let dir = GraphDirectory::new(cfg).unwrap();
    dir.get_account(JOHN).await.unwrap();
}

#[tokio::test]
async fn finds_users_by_mail_upn_and_proxy_addresses() {
    let (sim, dir) = setup().await;
    let found = dir
        .find_by_email("john.smith@contoso.example")
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    let a = &found[0];
    assert_eq!(a.id, JOHN);
    assert_eq!(a.source, AccountSource::Entra);
    assert_eq!(a.upn.as_deref(), Some("jsmith@contoso.onmicrosoft.com"));
    assert_eq!(
        (a.given_name.as_deref(), a.surname.as_deref()),
        (Some("John"), Some("Smith"))
    );
    assert_eq!(a.display_name.as_deref(), Some("John Smith"));
    assert!(a.enabled && !a.locked && !a.must_change && !a.privileged);
    assert_eq!(a.password_last_set.as_deref(), Some("2026-11-01T10:00:00Z"));

    assert_eq!(
        dir.find_by_email("JSMITH@contoso.onmicrosoft.com")
            .await
            .unwrap()[0]
            .id,
        JOHN
    );
    assert_eq!(
        dir.find_by_email("johnny@contoso.example").await.unwrap()[0].id,
        JOHN
    );
    // An apostrophe must be doubled in the OData literal, or the filter breaks / widens.
    assert_eq!(
        dir.find_by_email("mary-jane.o'neil@contoso.example")
            .await
            .unwrap()[0]
            .id,
        MARY
    );
    assert!(dir
        .find_by_email("nobody@contoso.example")
        .await
        .unwrap()
        .is_empty());

    let log = sim.with(|s| s.requests.clone());
    let first = log
        .iter()
        .find(|l| l.starts_with("GET /v1.0/users $filter"))
        .unwrap();
    assert_eq!(
        first,
        "GET /v1.0/users $filter=mail eq 'john.smith@contoso.example' or userPrincipalName eq \
         'john.smith@contoso.example' or proxyAddresses/any(p:p eq 'smtp:john.smith@contoso.example') \
         [ConsistencyLevel: eventual]"
    );
}

#[tokio::test]
async fn reset_sends_the_documented_body() {
    let (sim, dir) = setup().await;
    let john = dir.get_account(JOHN).await.unwrap();
    dir.reset_password(&john, "Tempor4ry!Pass", true)
        .await
        .unwrap();
    dir.reset_password(&john, "Perman3nt!Pass", false)
        .await
        .unwrap();
    let patches = sim.with(|s| s.patches.clone());
    assert_eq!(patches.len(), 2);
    assert_eq!(patches[0].user, JOHN);
    assert_eq!(
        patches[0].body,
        json!({"passwordProfile": {"password": "Tempor4ry!Pass", "forceChangePasswordNextSignIn": true,
                                   "forceChangePasswordNextSignInWithMfa": false}})
    );
    assert_eq!(
        patches[1].body,
        json!({"passwordProfile": {"password": "Perman3nt!Pass", "forceChangePasswordNextSignIn": false,
                                   "forceChangePasswordNextSignInWithMfa": false}})
    );
    let u = sim.user(JOHN);
    assert_eq!(u.password, "Perman3nt!Pass");
    assert!(!u.force_change);
    // A temporary reset shows up as must_change on the next read.
    dir.reset_password(&john, "Tempor4ry!Again", true)
        .await
        .unwrap();
    assert!(dir.get_account(JOHN).await.unwrap().must_change);
}

#[tokio::test]
async fn a_refused_password_is_password_refused_with_the_graph_code() {
    let (sim, dir) = setup().await;
    let john = dir.get_account(JOHN).await.unwrap();
    let weak = "weakpass";
    match dir.reset_password(&john, weak, false).await {
        Err(e @ DirectoryError::PasswordRefused { .. }) => {
            let DirectoryError::PasswordRefused { code, message } = &e else {
                unreachable!()
            };
            assert_eq!(code, "Graph 400 Request_BadRequest");
            assert_eq!(
                message,
                "The specified password does not comply with password complexity requirements. Please provide a different password."
            );
            assert!(!format!("{e:?} {e}").contains(weak));
        }
        other => panic!("expected PasswordRefused, got {other:?}"),
    }
    assert_eq!(sim.user(JOHN).password, "Initial!Passw0rd");
}

#[tokio::test]
async fn a_user_synced_from_on_premises_is_marked_and_never_patched() {
    let (sim, dir) = setup().await;
    assert!(!dir.get_account(JOHN).await.unwrap().synced_from_on_premises);
    sim.edit_user(JOHN, |u| u.on_premises_sync = true);
    let john = dir
        .find_by_email("john.smith@contoso.example")
        .await
        .unwrap();
    assert!(
        john[0].synced_from_on_premises,
        "read from onPremisesSyncEnabled"
    );
    match dir.reset_password(&john[0], "Tempor4ry!Pass", true).await {
        Err(DirectoryError::Other { code, .. }) => assert_eq!(code, "ON_PREMISES_SYNCED"),
        other => panic!("expected ON_PREMISES_SYNCED, got {other:?}"),
    }
    assert!(sim.with(|s| s.patches.is_empty()), "Graph is never asked");
}

#[tokio::test]
async fn throttling_honours_retry_after_within_a_bound() {
    let (sim, dir) = setup().await;
    dir.get_account(JOHN).await.unwrap();

    sim.with(|s| s.throttle.push_back(1));
    let t = Instant::now();
    dir.get_account(JOHN)
        .await
        .expect("succeeds after the wait");
    assert!(
        t.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        t.elapsed()
    );

    // Longer than max_retry_wait_secs (5): give up at once instead of hanging the technician.
    sim.with(|s| s.throttle.push_back(120));
    let t = Instant::now();
    match dir.get_account(JOHN).await {
        Err(DirectoryError::Unavailable(msg)) => assert!(msg.contains("120"), "{msg}"),
        other => panic!("expected Unavailable, got {other:?}"),
    }
    assert!(t.elapsed() < Duration::from_secs(3));

    // At most 3 retries: the 4th 429 is final.
    sim.with(|s| s.throttle.extend([0, 0, 0, 0]));
    assert!(
        matches!(dir.get_account(JOHN).await, Err(DirectoryError::Unavailable(m)) if m.contains("429"))
    );
    assert!(sim.with(|s| s.throttle.is_empty()));
}

/// 503 with Retry-After is waited out like 429: the same bound and the same 3 retries.
#[tokio::test]
async fn unavailable_honours_retry_after_within_a_bound() {
    let (sim, dir) = setup().await;
    dir.get_account(JOHN).await.unwrap();

    sim.with(|s| s.unavailable.push_back(1));
    let t = Instant::now();
    dir.get_account(JOHN)
        .await
        .expect("succeeds after the wait");
    assert!(
        t.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        t.elapsed()
    );
    assert!(sim.with(|s| s.unavailable.is_empty()));

    sim.with(|s| s.unavailable.push_back(120));
    let t = Instant::now();
    match dir.get_account(JOHN).await {
        Err(DirectoryError::Unavailable(msg)) => assert!(msg.contains("120"), "{msg}"),
        other => panic!("expected Unavailable, got {other:?}"),
    }
    assert!(t.elapsed() < Duration::from_secs(3));

    sim.with(|s| s.unavailable.extend([0, 0, 0, 0]));
    assert!(
        matches!(dir.get_account(JOHN).await, Err(DirectoryError::Unavailable(m)) if m.contains("503"))
    );
    assert!(sim.with(|s| s.unavailable.is_empty()), "exactly 4 attempts");
    assert!(dir.get_account(JOHN).await.is_ok());
}

#[tokio::test]
async fn pim_eligible_au_scoped_and_custom_roles_are_privileged() {
    let (sim, dir) = setup().await;
    assert!(!dir.get_account(MARY).await.unwrap().privileged);
    // None of these shows up as a directoryRole membership; each alone makes Mary privileged.
    type Set = fn(&mut support::graph_sim::SimUser, bool);
    let cases: [(&str, Set); 3] = [
        ("eligible", |u, on| {
            u.eligible_roles = if on {
                vec!["Global Administrator".into()]
            } else {
                vec![]
            }
        }),
        ("AU-scoped", |u, on| {
            u.scoped_roles = if on {
                vec!["User Administrator".into()]
            } else {
                vec![]
            }
        }),
        ("custom", |u, on| {
            u.custom_roles = if on {
                vec!["Contoso Password Resetter".into()]
            } else {
                vec![]
            }
        }),
    ];
    for (what, set) in cases {
        sim.with(|s| set(s.users.iter_mut().find(|u| u.id == MARY).unwrap(), true));
        let mary = dir.get_account(MARY).await.unwrap();
        assert!(mary.privileged, "{what}");
        match dir.reset_password(&mary, "Val1d!Password", false).await {
            Err(DirectoryError::AccessDenied { code, .. }) => {
                assert_eq!(code, "PRIVILEGED_ACCOUNT", "{what}")
            }
            other => panic!("{what}: expected AccessDenied, got {other:?}"),
        }
        sim.with(|s| set(s.users.iter_mut().find(|u| u.id == MARY).unwrap(), false));
        assert!(
            !dir.get_account(MARY).await.unwrap().privileged,
            "{what} off"
        );
    }
    assert!(sim.with(|s| s.patches.is_empty()));
    // The reads carry the principal filter Graph requires.
    assert!(sim.with(|s| s
        .requests
        .iter()
        .any(|r| r.contains("roleEligibilitySchedules")
            && r.contains(&format!("principalId eq '{MARY}'")))));
    // Fail closed when the app may not read either list (403).
    sim.with(|s| s.deny_eligibility = true);
    assert!(
        dir.get_account(MARY).await.unwrap().privileged,
        "eligibility unreadable"
    );
    sim.with(|s| {
        s.deny_eligibility = false;
        s.deny_role_assignments = true;
    });
    assert!(
        dir.get_account(MARY).await.unwrap().privileged,
        "assignments unreadable"
    );
    sim.with(|s| s.deny_role_assignments = false);
    assert!(!dir.get_account(MARY).await.unwrap().privileged);
}

#[tokio::test]
async fn privileged_and_disabled_users() {
    let (sim, dir) = setup().await;
    let ada = dir
        .find_by_email("ada.admin@contoso.example")
        .await
        .unwrap()
        .remove(0);
    assert!(ada.privileged);
    match dir.reset_password(&ada, "Adm1n!Password", false).await {
        Err(DirectoryError::AccessDenied { code, .. }) => assert_eq!(code, "PRIVILEGED_ACCOUNT"),
        other => panic!("expected AccessDenied, got {other:?}"),
    }
    assert!(
        sim.with(|s| s.patches.is_empty()),
        "nothing was sent for a privileged user"
    );
    assert!(!dir.get_account(GONE).await.unwrap().enabled);

    // If the app may not read roles, every user counts as privileged (fail closed).
    sim.with(|s| s.deny_roles = true);
    assert!(dir.get_account(JOHN).await.unwrap().privileged);

    // allow_privileged lets the reset through.
    sim.with(|s| s.deny_roles = false);
    let mut cfg = config(&sim);
    cfg.allow_privileged = true;
    let dir = GraphDirectory::new(cfg).unwrap();
    dir.reset_password(&ada, "Adm1n!Password", false)
        .await
        .unwrap();
    assert_eq!(sim.user(ADMIN).password, "Adm1n!Password");
}

#[tokio::test]
async fn policy_unlock_and_missing_users() {
    let (_sim, dir) = setup().await;
    let john = dir.get_account(JOHN).await.unwrap();
    let p = dir.effective_policy(&john).await.unwrap();
    assert_eq!(
        p.policy,
        Policy::Entra(EntraPolicy {
            custom_terms: vec!["contoso".into(), "widget".into()],
            global_list: true,
            tenant_name: Some("Contoso".into())
        })
    );
    assert_eq!(p.source, "Entra tenant Contoso");
    assert!(p.uncertain.unwrap().contains("global banned-password list"));
    assert!(
        matches!(dir.unlock(&john).await, Err(DirectoryError::Other { code, .. }) if code == "UNSUPPORTED")
    );
    assert!(matches!(
        dir.get_account("00000000-dead-beef-0000-000000000000")
            .await,
        Err(DirectoryError::NotFound(_))
    ));
    // An id cannot smuggle a path: it is one percent-encoded segment.
    assert!(matches!(
        dir.get_account("../users").await,
        Err(DirectoryError::NotFound(_))
    ));
}

#[tokio::test]
async fn result_pages_are_followed_only_on_the_graph_origin() {
    let (sim, dir) = setup().await;
    // dana@ is on three users; one user per page → two nextLinks.
    sim.with(|s| {
        for (i, u) in s.users.iter_mut().enumerate().take(3) {
            u.proxy_addresses
                .push(format!("smtp:dana{i}@contoso.example"));
            u.proxy_addresses.push("smtp:dana@contoso.example".into());
        }
        s.page_size = Some(1);
    });
    let mut ids: Vec<String> = dir
        .find_by_email("dana@contoso.example")
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    ids.sort();
    assert_eq!(ids, [JOHN, MARY, ADMIN]);
    assert_eq!(
        sim.with(|s| s
            .requests
            .iter()
            .filter(|l| l.starts_with("GET /v1.0/users $filter"))
            .count()),
        3
    );

    // A nextLink to another host is refused: the bearer token never leaves the Graph origin.
    sim.with(|s| s.next_link_base = "http://127.0.0.1:9".into());
    assert!(matches!(dir.find_by_email("dana@contoso.example").await,
        Err(DirectoryError::Other { code, .. }) if code == "GRAPH_PAGING"));
}
