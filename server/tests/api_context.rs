//! `GET /tickets/{id}/context` for every seeded ticket (docs/api.md seed table).
#![allow(clippy::unwrap_used)]
mod api_common;
mod support;

use std::sync::Arc;

use api_common::TestApp;
use passdesk_server::{
    connectwise::{
        sandbox::{Fault, Sandbox, SandboxContact, SandboxCredentials, SandboxTicket},
        TicketKind,
    },
    directory::graph::GraphDirectory,
    ticket_flow::directories::{DirectoryEntry, DirectoryKind},
};
use reqwest::StatusCode;
use serde_json::{json, Value};
use support::graph_sim::{GraphSim, JOHN};

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

/// The Entra tenant of the simulator (tests/support/graph_sim.rs) as a directory of `companies`.
fn entra_directory(sim: &GraphSim, companies: &[&str]) -> DirectoryEntry {
    let directory = GraphDirectory::new(sim.directory_config()).unwrap();
    DirectoryEntry {
        kind: DirectoryKind::Graph,
        companies: companies.iter().map(|c| c.to_string()).collect(),
        company_ids: Vec::new(),
        directory: Arc::new(directory),
        verification: Default::default(),
    }
}

/// A hybrid customer (its AD and its Entra tenant both configured for Contoso): Entra serves the
/// ticket, and an account Entra Connect syncs from the AD is looked up and reset in the AD.
#[tokio::test]
async fn a_hybrid_companys_synced_account_is_reset_in_its_ad() {
    let sim = GraphSim::start().await;
    let entra = entra_directory(&sim, &["Contoso"]);
    let app = TestApp::start_with(|o| o.extra_directories = vec![entra]).await;
    let (_, cloud) = app.get("/api/v1/tickets/1001/context").await;
    let ctx = &cloud;
    assert_eq!(ctx["directory"]["name"], "contoso-m365", "{ctx}");
    assert_eq!(
        ctx["account"]["id"], JOHN,
        "a cloud account stays in Entra: {ctx}"
    );
    assert_eq!(ctx["account"]["synced_from_on_premises"], false);

    sim.edit_user(JOHN, |u| u.on_premises_sync = true);
    let (_, ctx) = app.get("/api/v1/tickets/1001/context").await;
    assert_eq!(ctx["directory"]["name"], "contoso-ad", "{ctx}");
    assert_eq!(ctx["directory"]["kind"], "sandbox");
    assert_eq!(ctx["account"]["sam_account_name"], "jsmith", "{ctx}");
    assert_eq!(ctx["account"]["source"], "active_directory");
    assert_eq!(codes(&ctx), Vec::<&str>::new(), "{ctx}");
    assert_eq!(
        ctx["policy_source"], "domain DC=contoso,DC=example",
        "{ctx}"
    );
    assert_ne!(ctx["policy_source"], cloud["policy_source"]);

    let (status, body) = app
        .reset(1001, &api_common::good_password("Hyb"), "k-hybrid")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.demo.directory.resets().len(), 1, "the DC set it");
    assert!(sim.with(|s| s.patches.is_empty()), "Graph was never asked");
    app.shutdown().await;
}

/// An account synced from an AD that PassDesk has no directory for: said up front, no reset.
#[tokio::test]
async fn a_synced_account_without_its_ad_is_on_premises_synced() {
    let sim = GraphSim::start().await;
    let mut fay = sim.user(JOHN);
    fay.id = "6f1c2d3e-0000-4000-8000-000000000009".into();
    fay.upn = "fay@fabrikam.example".into();
    fay.mail = Some("fay@fabrikam.example".into());
    fay.proxy_addresses.clear();
    fay.on_premises_sync = true;
    sim.with(|s| s.users.push(fay));
    let sandbox = Sandbox::seeded_demo(SandboxCredentials::generate("passdesk_demo"));
    sandbox.add_company(300, "Fabrikam", "Fabrikam Inc");
    sandbox.add_contact(
        SandboxContact::new(40, "Fay", "Brik", 300).email("fay@fabrikam.example", true),
    );
    sandbox.add_ticket(SandboxTicket {
        id: 3001,
        kind: TicketKind::Service,
        summary: "Forgot password".into(),
        company_id: 300,
        contact_id: Some(40),
        contact_email: None,
    });
    let entra = entra_directory(&sim, &["Fabrikam"]);
    let app = TestApp::start_with(|o| {
        o.sandbox = Some(sandbox);
        o.extra_directories = vec![entra];
    })
    .await;
    let (status, ctx) = app.get("/api/v1/tickets/3001/context").await;
    assert_eq!(status, StatusCode::OK, "{ctx}");
    assert_eq!(codes(&ctx), ["ON_PREMISES_SYNCED"], "{ctx}");
    assert!(
        ctx["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Fabrikam Inc's on-premises AD"),
        "{ctx}"
    );
    assert_eq!(ctx["account"]["synced_from_on_premises"], true);
    assert_eq!(ctx["can_reset"], false);
    let (status, body) = app
        .reset(3001, &api_common::good_password("Fab"), "k-fab")
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("RESET_BLOCKED")),
        "{body}"
    );
    assert!(sim.with(|s| s.patches.is_empty()));
    app.shutdown().await;
}

/// The Graph connector through the whole API: the Entra policy in the context, a reset that
/// PATCHes the user's passwordProfile, the audit and the note; an Entra administrator is refused.
#[tokio::test]
async fn an_entra_account_is_reset_through_graph_and_an_entra_admin_is_refused() {
    let sim = GraphSim::start().await;
    let mut admin = sim.user(support::graph_sim::ADMIN);
    admin.id = "6f1c2d3e-0000-4000-8000-00000000000a".into();
    admin.mail = Some("admin@contoso.example".into());
    admin.upn = "admin@contoso.example".into();
    sim.with(|s| s.users.push(admin));
    let entra = entra_directory(&sim, &["Contoso"]);
    let app = TestApp::start_with(|o| o.extra_directories = vec![entra]).await;
    let (_, ctx) = app.get("/api/v1/tickets/1001/context").await;
    assert_eq!(ctx["account"]["source"], "entra", "{ctx}");
    assert_eq!(ctx["policy"]["kind"], "entra", "{ctx}");
    assert_eq!(ctx["policy"]["tenant_name"], "Contoso");
    assert_eq!(ctx["policy_source"], "Entra tenant Contoso");
    let password = api_common::good_password("Ent");
    let (status, body) = app.reset(1001, &password, "k-entra").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let patches = sim.with(|s| s.patches.clone());
    assert_eq!(patches.len(), 1);
    assert_eq!(patches[0].user, JOHN);
    assert_eq!(
        patches[0].body["passwordProfile"]["password"],
        password.as_str()
    );
    assert_eq!(
        patches[0].body["passwordProfile"]["forceChangePasswordNextSignIn"],
        true
    );
    assert!(sim.user(JOHN).force_change, "must change at next sign-in");
    let audit = app.audit("?ticket=1001").await;
    assert_eq!(
        (audit[0]["result"].as_str(), audit[0]["action"].as_str()),
        (Some("success"), Some("reset"))
    );
    assert!(
        app.demo.directory.resets().is_empty(),
        "the AD was not asked"
    );

    let (_, ctx) = app.get("/api/v1/tickets/1006/context").await;
    assert_eq!(codes(&ctx), ["PRIVILEGED_ACCOUNT"], "{ctx}");
    let (status, body) = app
        .reset(1006, &api_common::good_password("Adm"), "k-entra-admin")
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("RESET_BLOCKED")),
        "{body}"
    );
    assert_eq!(sim.with(|s| s.patches.len()), 1, "no PATCH for the admin");
    app.shutdown().await;
}
