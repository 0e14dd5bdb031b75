//! What a ticket context and a password reset cost against a real Samba AD DC
//! (tests/support/samba.rs; root, ports 389/636 on 127.0.0.2), beside their irreducible round trips:
//! the two ConnectWise reads (ticket, contact) through the same client against the sandbox, one LDAP
//! subtree search and one `unicodePwd` Modify on a warm, bound LDAPS connection.
//!
//! Goal (README "Speed"): context median ≤ 1.2 × (ticket + contact + search), directory reset
//! ≤ 1.2 × modify. Criterion measures each part; the summary at the end prints the medians and the
//! two ratios from its own samples.
#![allow(clippy::unwrap_used)]
use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use criterion::{criterion_group, criterion_main, Criterion};
use ldap3::{Ldap, LdapConnAsync, LdapConnSettings, Mod, Scope};
use passdesk_server::{
    connectwise::{client::ConnectWiseClient, TicketKind},
    ticket_flow::context::{self, TicketContext},
};
use rustls::pki_types::{pem::PemObject, CertificateDer};

// The test support modules, at the crate root as in a test binary's `support` (they say `super::`).
#[allow(dead_code)]
#[path = "../tests/support/samba.rs"]
mod samba;
#[allow(dead_code)]
#[path = "../tests/support/samba_backend.rs"]
mod samba_backend;
#[allow(dead_code)]
#[path = "../tests/support/samba_tickets.rs"]
mod samba_tickets;
use samba::{BASE_DN, SVC_PASSWORD};
use samba_backend::Backend;
use samba_tickets::{T_JSMITH, T_JSTRICT};

const CONTACT_ID: u64 = 41;
const EMAIL: &str = "john.smith@test.lan";
const JSMITH_DN: &str = "CN=John Smith,OU=Staff,DC=test,DC=lan";
const SAMPLES: usize = 60;

/// A bound LDAPS connection as any client would keep one: the irreducible part of every operation.
async fn warm_connection() -> Ldap {
    let pem = std::fs::read(&samba::dc().ca_file).unwrap();
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&pem) {
        roots.add(cert.unwrap()).unwrap();
    }
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let settings = LdapConnSettings::new().set_config(Arc::new(tls));
    let (conn, mut ldap) = LdapConnAsync::with_settings(settings, &samba::dc().ldaps_url())
        .await
        .unwrap();
    ldap3::drive!(conn);
    ldap.simple_bind("TEST\\svc-reset", SVC_PASSWORD)
        .await
        .unwrap()
        .success()
        .unwrap();
    ldap
}

/// The one search a lookup by e-mail needs.
async fn search(ldap: &mut Ldap) {
    let filter = format!(
        "(&(objectCategory=person)(objectClass=user)(|(mail={EMAIL})(userPrincipalName={EMAIL})(proxyAddresses=smtp:{EMAIL})))"
    );
    let (entries, _) = ldap
        .search(
            BASE_DN,
            Scope::Subtree,
            &filter,
            // What the panel shows of an account (src/directory/ldap/entry.rs reads a few more).
            vec![
                "sAMAccountName",
                "displayName",
                "userPrincipalName",
                "mail",
                "userAccountControl",
                "memberOf",
            ],
        )
        .await
        .unwrap()
        .success()
        .unwrap();
    assert_eq!(entries.len(), 1);
}

/// The account's constructed `tokenGroups` (base scope only): how a privileged account is told
/// (primary group included), not part of the lookup's irreducible round trips but paid on top.
async fn token_groups(ldap: &mut Ldap) {
    let (entries, _) = ldap
        .search(
            JSMITH_DN,
            Scope::Base,
            "(objectClass=*)",
            vec!["tokenGroups", "objectSid"],
        )
        .await
        .unwrap()
        .success()
        .unwrap();
    assert_eq!(entries.len(), 1);
}

/// What the connector must read besides: the search with every account attribute it maps
/// (including the constructed `msDS-User-Account-Control-Computed` for lockout), then the
/// account's `tokenGroups` with its constructed resultant PSO.
async fn product_reads(ldap: &mut Ldap) {
    let filter = format!(
        "(&(objectCategory=person)(objectClass=user)(|(mail={EMAIL})(userPrincipalName={EMAIL})(proxyAddresses=smtp:{EMAIL})))"
    );
    let attrs = passdesk_server::directory::ldap::ACCOUNT_ATTRS.to_vec();
    let (entries, _) = ldap
        .search(BASE_DN, Scope::Subtree, &filter, attrs)
        .await
        .unwrap()
        .success()
        .unwrap();
    assert_eq!(entries.len(), 1);
    let (entries, _) = ldap
        .search(
            JSMITH_DN,
            Scope::Base,
            "(objectClass=*)",
            vec!["tokenGroups", "objectSid", "msDS-ResultantPSO"],
        )
        .await
        .unwrap()
        .success()
        .unwrap();
    assert_eq!(entries.len(), 1);
}

/// One read of `attrs` (subtree search by e-mail, or base read of the account): what each
/// constructed attribute costs Samba.
async fn probe(ldap: &mut Ldap, subtree: bool, attrs: &[&str]) {
    let filter = format!(
        "(&(objectCategory=person)(objectClass=user)(|(mail={EMAIL})(userPrincipalName={EMAIL})(proxyAddresses=smtp:{EMAIL})))"
    );
    let (base, scope, filter) = if subtree {
        (BASE_DN, Scope::Subtree, filter.as_str())
    } else {
        (JSMITH_DN, Scope::Base, "(objectClass=*)")
    };
    let (entries, _) = ldap
        .search(base, scope, filter, attrs.to_vec())
        .await
        .unwrap()
        .success()
        .unwrap();
    assert_eq!(entries.len(), 1);
}

/// The one Modify a reset needs (new password + must-change).
async fn modify(ldap: &mut Ldap, password: &str) {
    let quoted: Vec<u8> = format!("\"{password}\"")
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    ldap.modify(
        JSMITH_DN,
        vec![
            Mod::Replace(
                b"unicodePwd".to_vec(),
                std::collections::HashSet::from([quoted]),
            ),
            Mod::Replace(
                b"pwdLastSet".to_vec(),
                std::collections::HashSet::from([b"0".to_vec()]),
            ),
        ],
    )
    .await
    .unwrap()
    .success()
    .unwrap();
}

struct Parts {
    backend: Backend,
    client: ConnectWiseClient,
    ldap: tokio::sync::Mutex<Ldap>,
    counter: std::sync::atomic::AtomicU64,
}

impl Parts {
    fn password(&self) -> String {
        let n = self
            .counter
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("Bench!{n}Reset")
    }

    async fn context(&self) -> TicketContext {
        let ctx = context::resolve(
            &self.backend.running.services,
            TicketKind::Service,
            T_JSMITH,
        )
        .await
        .unwrap();
        assert!(ctx.can_reset, "{:?}", ctx.problems);
        ctx
    }

    /// The directory's reset of the account `ctx` resolved (re-read, checks, one Modify).
    async fn reset(&self, ctx: &TicketContext) {
        let (entry, account) = ctx.target().unwrap();
        entry
            .directory
            .reset_password(account, &self.password(), true)
            .await
            .unwrap();
    }
}

/// How long `f` takes.
fn timed(f: impl FnOnce()) -> Duration {
    let t = Instant::now();
    f();
    t.elapsed()
}

/// Median of `n` runs of `f`.
fn median(n: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut v: Vec<Duration> = (0..n).map(|_| f()).collect();
    v.sort();
    v[n / 2]
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let parts = rt.block_on(async {
        let backend = Backend::start().await;
        let client = ConnectWiseClient::new(&backend.connectwise).unwrap();
        Parts {
            backend,
            client,
            ldap: tokio::sync::Mutex::new(warm_connection().await),
            counter: Default::default(),
        }
    });
    let p = &parts;
    let mut g = c.benchmark_group("ldap_context");
    g.sample_size(30)
        .measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_secs(1));
    g.bench_function("context", |b| b.iter(|| rt.block_on(p.context())));
    g.bench_function("connectwise_ticket", |b| {
        b.iter(|| {
            rt.block_on(p.client.ticket(TicketKind::Service, T_JSMITH))
                .unwrap()
        })
    });
    g.bench_function("connectwise_contact", |b| {
        b.iter(|| rt.block_on(p.client.contact_emails(CONTACT_ID)).unwrap())
    });
    g.bench_function("ldap_search_warm", |b| {
        b.iter(|| rt.block_on(async { search(&mut *p.ldap.lock().await).await }))
    });
    let resolved = rt.block_on(p.context());
    let directory = resolved.entry.clone().unwrap().directory;
    let account = resolved.account.clone().unwrap();
    g.bench_function("directory_find_by_email", |b| {
        b.iter(|| rt.block_on(directory.find_by_email(EMAIL)).unwrap())
    });
    g.bench_function("directory_effective_policy", |b| {
        b.iter(|| rt.block_on(directory.effective_policy(&account)).unwrap())
    });
    g.bench_function("ldap_token_groups_warm", |b| {
        b.iter(|| rt.block_on(async { token_groups(&mut *p.ldap.lock().await).await }))
    });
    g.bench_function("directory_reset", |b| {
        b.iter(|| rt.block_on(p.reset(&resolved)))
    });
    g.bench_function("ldap_modify_warm", |b| {
        b.iter(|| rt.block_on(async { modify(&mut *p.ldap.lock().await, &p.password()).await }))
    });
    g.finish();

    let ctx = median(SAMPLES, || {
        timed(|| {
            rt.block_on(p.context());
        })
    });
    let ticket = median(SAMPLES, || {
        timed(|| {
            rt.block_on(p.client.ticket(TicketKind::Service, T_JSMITH))
                .unwrap();
        })
    });
    let contact = median(SAMPLES, || {
        timed(|| {
            rt.block_on(p.client.contact_emails(CONTACT_ID)).unwrap();
        })
    });
    let search_t = median(SAMPLES, || {
        timed(|| rt.block_on(async { search(&mut *p.ldap.lock().await).await }))
    });
    let lookup = median(SAMPLES, || {
        timed(|| {
            rt.block_on(directory.find_by_email(EMAIL)).unwrap();
        })
    });
    // A ticket without its own e-mail (the contact's default item is used): no early lookup.
    let without_email = median(SAMPLES, || {
        timed(|| {
            rt.block_on(context::resolve(
                &p.backend.running.services,
                TicketKind::Service,
                T_JSTRICT,
            ))
            .unwrap();
        })
    });
    let reads = median(SAMPLES, || {
        timed(|| rt.block_on(async { product_reads(&mut *p.ldap.lock().await).await }))
    });
    let groups = median(SAMPLES, || {
        timed(|| rt.block_on(async { token_groups(&mut *p.ldap.lock().await).await }))
    });
    let reset = median(SAMPLES / 2, || timed(|| rt.block_on(p.reset(&resolved))));
    let modify_t = median(SAMPLES / 2, || {
        timed(|| rt.block_on(async { modify(&mut *p.ldap.lock().await, &p.password()).await }))
    });
    let plain: Vec<&str> = passdesk_server::directory::ldap::ACCOUNT_ATTRS
        .iter()
        .copied()
        .filter(|a| *a != "msDS-User-Account-Control-Computed")
        .collect();
    for (label, subtree, attrs) in [
        ("search, stored attributes only", true, plain.clone()),
        (
            "search, + msDS-User-Account-Control-Computed",
            true,
            passdesk_server::directory::ldap::ACCOUNT_ATTRS.to_vec(),
        ),
        (
            "search, + msDS-ResultantPSO",
            true,
            [plain.clone(), vec!["msDS-ResultantPSO"]].concat(),
        ),
        ("base, objectSid", false, vec!["objectSid"]),
        ("base, tokenGroups", false, vec!["tokenGroups"]),
        ("base, msDS-ResultantPSO", false, vec!["msDS-ResultantPSO"]),
        (
            "base, msDS-User-Account-Control-Computed",
            false,
            vec!["msDS-User-Account-Control-Computed"],
        ),
        (
            "base, all three + stored",
            false,
            [
                passdesk_server::directory::ldap::ACCOUNT_ATTRS.to_vec(),
                vec!["tokenGroups", "msDS-ResultantPSO"],
            ]
            .concat(),
        ),
    ] {
        let t = median(SAMPLES, || {
            timed(|| rt.block_on(async { probe(&mut *p.ldap.lock().await, subtree, &attrs).await }))
        });
        println!("summary: probe {label}: {t:?}");
    }
    let irreducible = ticket + contact + search_t;
    println!(
        "\nsummary (medians of {SAMPLES}): context {ctx:?} vs ticket {ticket:?} + contact {contact:?} + \
         search {search_t:?} = {irreducible:?}: ratio {:.2}",
        ctx.as_secs_f64() / irreducible.as_secs_f64()
    );
    println!(
        "summary: the directory's whole lookup by e-mail {lookup:?}; the same two reads on a raw connection {reads:?}"
    );
    println!(
        "summary: context of a ticket without its own e-mail (no early lookup) {without_email:?}"
    );
    println!(
        "summary: context vs ticket + those two reads = {:?}: ratio {:.2}",
        ticket + reads,
        ctx.as_secs_f64() / (ticket + reads).as_secs_f64()
    );
    println!(
        "summary: + tokenGroups read {groups:?} (privileged check) = {:?}: ratio {:.2}",
        irreducible + groups,
        ctx.as_secs_f64() / (irreducible + groups).as_secs_f64()
    );
    println!(
        "summary (medians of {}): directory reset {reset:?} vs modify {modify_t:?}: ratio {:.2}",
        SAMPLES / 2,
        reset.as_secs_f64() / modify_t.as_secs_f64()
    );
    rt.block_on(parts.backend.running.shutdown());
}

criterion_group!(benches, bench);
criterion_main!(benches);
