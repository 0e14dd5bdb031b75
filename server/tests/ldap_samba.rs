//! The LDAP connector against a real Samba AD DC (tests/support/samba.rs). Needs root (ports 389/636).
//! Every test that writes uses its own fixture user, so the tests run in parallel on one DC.
#![allow(clippy::unwrap_used)]
#[path = "ldap_samba/generated.rs"]
mod generated;
#[path = "ldap_samba/samba_kinds.rs"]
mod samba_kinds;
mod support;

use passdesk_core::{ActiveDirectoryPolicy, DcKind, Policy};
use passdesk_server::directory::ldap::{LdapDirectory, LdapDirectoryConfig};
use passdesk_server::directory::secret::Secret;
use passdesk_server::directory::{AccountSource, Directory, DirectoryAccount, DirectoryError};
use support::samba::{self, bind_as, BASE_DN, SVC_PASSWORD, USER_PASSWORD};

const DOMAIN_ADMINS: &str = "CN=Domain Admins,CN=Users,DC=test,DC=lan";

fn config(bind: &str) -> LdapDirectoryConfig {
    let dc = samba::dc();
    LdapDirectoryConfig {
        name: "test-samba".into(),
        url: dc.ldaps_url(),
        starttls: false,
        bind_dn: bind.into(),
        bind_password: Some(Secret::new(SVC_PASSWORD)),
        bind_password_env: None,
        base_dn: BASE_DN.into(),
        dc: DcKind::Samba,
        ca_file: Some(dc.ca_file.clone()),
        danger_accept_invalid_certs: false,
        privileged_groups: vec![DOMAIN_ADMINS.into()],
        allow_privileged: false,
        assumed_policy: None,
        enforce_history: true,
        timeout_secs: 20,
    }
}

fn svc() -> LdapDirectory {
    LdapDirectory::new(config("TEST\\svc-reset")).expect("config")
}

async fn one(dir: &LdapDirectory, email: &str) -> DirectoryAccount {
    let mut found = dir.find_by_email(email).await.expect("search");
    assert_eq!(found.len(), 1, "{email}: {found:?}");
    found.remove(0)
}

fn ad(min_length: u32, history_length: u32) -> Policy {
    Policy::ActiveDirectory(ActiveDirectoryPolicy {
        dc: DcKind::Samba,
        min_length,
        complexity: true,
        history_length,
    })
}

#[tokio::test]
async fn finds_accounts_by_mail_upn_and_proxy_addresses() {
    let dir = svc();
    let a = one(&dir, "john.smith@test.lan").await;
    assert_eq!(a.id, "CN=John Smith,OU=Staff,DC=test,DC=lan");
    assert_eq!(a.source, AccountSource::ActiveDirectory);
    assert_eq!(a.sam_account_name.as_deref(), Some("jsmith"));
    assert_eq!(a.display_name.as_deref(), Some("John Smith"));
    assert_eq!(
        (a.given_name.as_deref(), a.surname.as_deref()),
        (Some("John"), Some("Smith"))
    );
    assert_eq!(a.upn.as_deref(), Some("jsmith@test.lan"));
    assert_eq!(a.mail.as_deref(), Some("john.smith@test.lan"));
    assert!(
        a.enabled && !a.locked && !a.must_change && !a.privileged,
        "{a:?}"
    );
    let set = a.password_last_set.as_deref().expect("pwdLastSet");
    assert!(chrono::DateTime::parse_from_rfc3339(set).is_ok(), "{set}");

    // UPN (case-insensitive) and a secondary smtp: proxy address find the same account.
    assert_eq!(one(&dir, "JSmith@TEST.lan").await.id, a.id);
    assert_eq!(one(&dir, "johnny@alias.test.lan").await.id, a.id);
    // One address on two accounts (smtp: on one, primary SMTP: on the other): both come back.
    let mut both: Vec<String> = dir
        .find_by_email("dana@shared.test.lan")
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    both.sort();
    assert_eq!(
        both,
        [
            "CN=Dana One,OU=Staff,DC=test,DC=lan",
            "CN=Dana Two,OU=Staff,DC=test,DC=lan"
        ]
    );
    assert!(dir
        .find_by_email("nobody@test.lan")
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn filter_values_are_escaped() {
    let dir = svc();
    // Unescaped, these would match every account with a mail attribute.
    assert!(dir.find_by_email("*").await.unwrap().is_empty());
    assert!(dir.find_by_email("*@test.lan").await.unwrap().is_empty());
    assert!(dir.find_by_email("x)(mail=*").await.unwrap().is_empty());
    // A literal '*' in an address still matches exactly that address.
    assert_eq!(
        one(&dir, "st*rry@test.lan")
            .await
            .sam_account_name
            .as_deref(),
        Some("starry")
    );
}

#[tokio::test]
async fn reads_the_domain_policy_and_a_group_pso() {
    let dir = svc();
    let jsmith = one(&dir, "john.smith@test.lan").await;
    let p = dir.effective_policy(&jsmith).await.unwrap();
    assert_eq!(p.policy, ad(7, 24));
    assert_eq!(p.source, "domain DC=test,DC=lan");
    assert_eq!(p.uncertain, None);

    // jstrict is in StrictStaff, to which StrictPSO (min 12, history 5) applies.
    let jstrict = one(&dir, "sam.strict@test.lan").await;
    let p = dir.effective_policy(&jstrict).await.unwrap();
    assert_eq!(p.policy, ad(12, 5));
    assert_eq!(
        p.source,
        "PSO CN=StrictPSO,CN=Password Settings Container,CN=System,DC=test,DC=lan"
    );
    assert_eq!(p.uncertain, None);
}

#[tokio::test]
async fn unreadable_pso_gives_the_assumed_policy_marked_uncertain() {
    // svc-limited sees msDS-ResultantPSO but gets the PSO entry with no attributes (docs/samba.md §4).
    let mut cfg = config("TEST\\svc-limited");
    cfg.assumed_policy = Some(ActiveDirectoryPolicy {
        dc: DcKind::Windows,
        min_length: 14,
        complexity: true,
        history_length: 0,
    });
    let dir = LdapDirectory::new(cfg).unwrap();
    let jstrict = one(&dir, "sam.strict@test.lan").await;
    let p = dir.effective_policy(&jstrict).await.unwrap();
    assert_eq!(p.policy, ad(14, 0), "dc comes from the directory config");
    assert!(
        p.uncertain.as_deref().unwrap().contains("cannot read"),
        "{p:?}"
    );

    // Without an assumed policy: the domain policy, still uncertain.
    let dir = LdapDirectory::new(config("TEST\\svc-limited")).unwrap();
    let p = dir.effective_policy(&jstrict).await.unwrap();
    assert_eq!(p.policy, ad(7, 24));
    assert!(p.uncertain.is_some());
}

#[tokio::test]
async fn temporary_reset_sets_the_password_and_forces_a_change() {
    let dir = svc();
    let before = one(&dir, "tina.temp@test.lan").await;
    assert!(!before.must_change);
    let new_pw = "Temp0rary!Pass";
    dir.reset_password(&before, new_pw, true).await.unwrap();

    let after = dir.get_account(&before.id).await.unwrap();
    assert!(after.must_change, "{after:?}");
    assert_eq!(after.password_last_set, None);
    // The DC answers 49 "data 773" (must change) only for the right password: proof it was set.
    let (rc, text) = bind_as("jtemp", new_pw).await.unwrap_err();
    assert_eq!(rc, 49);
    assert!(text.contains("data 773"), "{text}");
    let (rc, text) = bind_as("jtemp", USER_PASSWORD).await.unwrap_err();
    assert!(
        rc == 49 && text.contains("data 52e"),
        "old password must be gone: {text}"
    );
}

#[tokio::test]
async fn permanent_reset_sets_the_password_without_forcing_a_change() {
    let dir = svc();
    let before = one(&dir, "percy.perm@test.lan").await;
    // Temporary first, then permanent: pwdLastSet -1 must clear the must-change state again.
    dir.reset_password(&before, "F1rst!Temporary", true)
        .await
        .unwrap();
    assert!(dir.get_account(&before.id).await.unwrap().must_change);
    let new_pw = "Perm4nent!Pass";
    dir.reset_password(&before, new_pw, false).await.unwrap();
    let after = dir.get_account(&before.id).await.unwrap();
    assert!(!after.must_change, "{after:?}");
    assert!(after.password_last_set.unwrap() >= before.password_last_set.unwrap());
    bind_as("jperm", new_pw)
        .await
        .expect("bind with the new password");
    assert!(bind_as("jperm", USER_PASSWORD).await.is_err());
}

#[tokio::test]
async fn unlock_clears_a_real_lockout() {
    let dir = svc();
    // The harness locked jlocked with 3 bad binds (its PSO threshold is 3).
    let a = one(&dir, "lola.locked@test.lan").await;
    assert!(a.locked, "{a:?}");
    let (rc, text) = bind_as("jlocked", USER_PASSWORD).await.unwrap_err();
    assert!(
        rc == 49 && text.contains("data 775"),
        "locked account: {text}"
    );

    dir.unlock(&a).await.unwrap();
    assert!(!dir.get_account(&a.id).await.unwrap().locked);
    bind_as("jlocked", USER_PASSWORD)
        .await
        .expect("bind after unlock");
}

#[tokio::test]
async fn disabled_and_privileged_accounts_are_flagged() {
    let dir = svc();
    let gone = one(&dir, "pat.gone@test.lan").await;
    assert!(!gone.enabled && !gone.privileged);

    // dadmin is a member of Domain Admins (configured as privileged); Samba sets no adminCount for it.
    let admin = one(&dir, "dom.admin@test.lan").await;
    assert!(admin.privileged && admin.enabled);
    // nadmin is in Domain Admins only through the nested group Tier0Helpers (LDAP_MATCHING_RULE_IN_CHAIN).
    let nested = one(&dir, "nia.nested@test.lan").await;
    assert!(nested.privileged, "{nested:?}");
    // Without any group configured, Domain Admins is still recognised by its RID (512), nested too.
    let no_groups = no_group_config();
    assert!(one(&no_groups, "dom.admin@test.lan").await.privileged);
    assert!(one(&no_groups, "nia.nested@test.lan").await.privileged);
    // Administrator has adminCount=1 from provisioning (and RID 500).
    let administrator = no_groups
        .get_account("CN=Administrator,CN=Users,DC=test,DC=lan")
        .await
        .unwrap();
    assert!(administrator.privileged);

    // The connector itself refuses to reset a privileged account unless allowed.
    match dir.reset_password(&admin, "Adm1n!Changed", false).await {
        Err(DirectoryError::AccessDenied { code, .. }) => assert_eq!(code, "PRIVILEGED_ACCOUNT"),
        other => panic!("expected AccessDenied, got {other:?}"),
    }
    bind_as("dadmin", USER_PASSWORD)
        .await
        .expect("dadmin's password is unchanged");
}

fn no_group_config() -> LdapDirectory {
    let mut cfg = config("TEST\\svc-reset");
    cfg.privileged_groups.clear();
    LdapDirectory::new(cfg).unwrap()
}

/// The `memberOf` values of a user as the DC stores them (direct links only).
async fn member_of(sam: &str) -> Vec<String> {
    let mut ldap = samba::admin().await;
    let (entries, _) = ldap
        .search(
            BASE_DN,
            ldap3::Scope::Subtree,
            &format!("(sAMAccountName={sam})"),
            vec!["memberOf"],
        )
        .await
        .unwrap()
        .success()
        .unwrap();
    let _ = ldap.unbind().await;
    let e = ldap3::SearchEntry::construct(entries.into_iter().next().expect(sam));
    e.attrs.get("memberOf").cloned().unwrap_or_default()
}

#[tokio::test]
async fn built_in_privileged_groups_are_refused_without_any_config() {
    let dir = no_group_config();
    // pgadmin's primary group is Domain Admins (primaryGroupID 512): no member link, no adminCount.
    let dn = member_of("pgadmin").await;
    assert!(
        !dn.iter()
            .any(|g| g.to_ascii_lowercase().contains("domain admins")),
        "the fixture must rely on primaryGroupID only: {dn:?}"
    );
    let primary = one(&dir, "pia.primary@test.lan").await;
    assert!(primary.privileged, "{primary:?}");
    // aop is an Account Operator (BUILTIN, S-1-5-32-548) through the nested group OpsHelpers.
    assert_eq!(
        member_of("aop").await,
        ["CN=OpsHelpers,OU=Staff,DC=test,DC=lan"],
        "only the nested group is a direct link"
    );
    let operator = one(&dir, "otto.operator@test.lan").await;
    assert!(operator.privileged, "{operator:?}");
    // dnsop is in DnsAdmins (domain-local, no well-known RID).
    let dns = one(&dir, "dina.dns@test.lan").await;
    assert!(dns.privileged, "{dns:?}");
    // get_account (a base read that includes tokenGroups) agrees with the search.
    assert!(dir.get_account(&primary.id).await.unwrap().privileged);
    assert!(dir.get_account(&operator.id).await.unwrap().privileged);
    // A normal user stays resettable.
    let normal = one(&dir, "john.smith@test.lan").await;
    assert!(!normal.privileged, "{normal:?}");
    assert!(!dir.get_account(&normal.id).await.unwrap().privileged);

    for (account, sam) in [(&primary, "pgadmin"), (&operator, "aop"), (&dns, "dnsop")] {
        match dir.reset_password(account, "Adm1n!Changed", false).await {
            Err(DirectoryError::AccessDenied { code, .. }) => {
                assert_eq!(code, "PRIVILEGED_ACCOUNT")
            }
            other => panic!("{sam}: expected AccessDenied, got {other:?}"),
        }
        assert!(
            matches!(
                dir.unlock(account).await,
                Err(DirectoryError::AccessDenied { .. })
            ),
            "{sam}"
        );
        bind_as(sam, USER_PASSWORD)
            .await
            .unwrap_or_else(|e| panic!("{sam}'s password must be unchanged: {e:?}"));
    }
    // The same service account reads tokenGroups: svc-limited (no rights at all) does too, so the
    // decision never depends on the delegation.
    let limited = LdapDirectory::new({
        let mut c = config("TEST\\svc-limited");
        c.privileged_groups.clear();
        c
    })
    .unwrap();
    assert!(one(&limited, "otto.operator@test.lan").await.privileged);
    assert!(!one(&limited, "john.smith@test.lan").await.privileged);
}

/// Adds (or removes) `group` as a member of `into`, as the domain's administrator.
async fn set_nested(group: &str, into: &str, add: bool) {
    let mut ldap = samba::admin().await;
    let member = std::collections::HashSet::from([group]);
    let change = if add {
        ldap3::Mod::Add("member", member)
    } else {
        ldap3::Mod::Delete("member", member)
    };
    ldap.modify(into, vec![change])
        .await
        .unwrap()
        .success()
        .unwrap();
    let _ = ldap.unbind().await;
}

#[tokio::test]
async fn a_group_granted_after_the_lookup_is_still_refused_on_reset() {
    let dir = no_group_config();
    let helpers = "CN=LateHelpers,OU=Staff,DC=test,DC=lan";
    let backup_operators = "CN=Backup Operators,CN=Builtin,DC=test,DC=lan";
    // The lookup reads the account whole and remembers it as not privileged; the second one, a
    // moment later, may answer from that.
    let before = one(&dir, "lara.late@test.lan").await;
    assert!(!before.privileged, "{before:?}");
    assert!(!one(&dir, "lara.late@test.lan").await.privileged);
    dir.effective_policy(&before).await.unwrap();

    set_nested(helpers, backup_operators, true).await;
    let refused = dir.reset_password(&before, "Late!Gr4nted", false).await;
    let unlock = dir.unlock(&before).await;
    let after = one(&dir, "lara.late@test.lan").await;
    set_nested(helpers, backup_operators, false).await;

    match refused {
        Err(DirectoryError::AccessDenied { code, .. }) => assert_eq!(code, "PRIVILEGED_ACCOUNT"),
        other => panic!("expected AccessDenied, got {other:?}"),
    }
    assert!(
        matches!(unlock, Err(DirectoryError::AccessDenied { .. })),
        "{unlock:?}"
    );
    bind_as("lgrant", USER_PASSWORD)
        .await
        .expect("lgrant's password is unchanged");
    // The refused reset read the groups: the next lookup knows.
    assert!(after.privileged, "{after:?}");
    // Out of the group again: the directory says so at once (a privileged verdict is never cached).
    let cleared = one(&dir, "lara.late@test.lan").await;
    assert!(!cleared.privileged, "{cleared:?}");
}

/// The domain's password history on an admin reset: Samba 4.17 does not implement the policy-hints control
/// (1.2.840.113556.1.4.2239), ignores it (it is sent non-critical), and accepts a password from the history on
/// an admin reset with or without it. This test pins that down, so a Samba that starts honouring it turns it
/// red and the README's statement can be updated.
#[tokio::test]
async fn samba_ignores_the_policy_hints_control_on_an_admin_reset() {
    // The DC does not advertise the control.
    let mut ldap = samba::ldaps().await;
    let (root, _) = ldap
        .search(
            "",
            ldap3::Scope::Base,
            "(objectClass=*)",
            vec!["supportedControl"],
        )
        .await
        .unwrap()
        .success()
        .unwrap();
    let _ = ldap.unbind().await;
    let controls = ldap3::SearchEntry::construct(root.into_iter().next().unwrap())
        .attrs
        .remove("supportedControl")
        .unwrap_or_default();
    // Paged results is listed: the list is real.
    assert!(
        controls.iter().any(|c| c == "1.2.840.113556.1.4.319"),
        "{controls:?}"
    );
    assert!(
        !controls.iter().any(|c| c == "1.2.840.113556.1.4.2239"),
        "{controls:?}"
    );

    // jhist: HistoryPSO, history length 3, no minimum age.
    let with_hints = svc();
    assert!(with_hints.config().enforce_history);
    let jhist = one(&with_hints, "hugo.history@test.lan").await;
    let p = with_hints.effective_policy(&jhist).await.unwrap();
    assert_eq!(p.policy, ad(7, 3));
    let pw = "Hist0ry!Same";
    with_hints.reset_password(&jhist, pw, false).await.unwrap();
    // The same password again, with the control: a DC that honours it answers 19 / 0000052D here.
    with_hints
        .reset_password(&jhist, pw, false)
        .await
        .expect("Samba ignores the policy-hints control: the reused password is accepted");
    // The initial password is in the history too: still accepted.
    with_hints
        .reset_password(&jhist, USER_PASSWORD, false)
        .await
        .expect("accepted");
    let mut cfg = config("TEST\\svc-reset");
    cfg.enforce_history = false;
    let without = LdapDirectory::new(cfg).unwrap();
    without
        .reset_password(&jhist, USER_PASSWORD, false)
        .await
        .unwrap();
    bind_as("jhist", USER_PASSWORD)
        .await
        .expect("the last reset took effect");
    // A user's own change (old + new password) IS checked against the history: the DC keeps one, so
    // the admin reset skipped it, not a missing history.
    let mut user = samba::ldaps().await;
    user.simple_bind("TEST\\jhist", USER_PASSWORD)
        .await
        .unwrap()
        .success()
        .unwrap();
    let utf16 = |s: &str| -> Vec<u8> {
        format!("\"{s}\"")
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect()
    };
    let r = user
        .modify(
            &jhist.id,
            vec![
                ldap3::Mod::Delete(
                    b"unicodePwd".to_vec(),
                    std::collections::HashSet::from([utf16(USER_PASSWORD)]),
                ),
                ldap3::Mod::Add(
                    b"unicodePwd".to_vec(),
                    std::collections::HashSet::from([utf16(pw)]),
                ),
            ],
        )
        .await
        .unwrap();
    let _ = user.unbind().await;
    assert_eq!(
        r.rc, 19,
        "a user's change to a password in the history: {r:?}"
    );
    assert!(r.text.contains("history"), "{}", r.text);
}

#[tokio::test]
async fn dc_refusals_map_to_password_refused_with_the_dc_code() {
    let dir = svc();
    let rita = one(&dir, "rita.refuse@test.lan").await;
    // These bypass our validator on purpose: the DC itself must say no.
    for (pw, why) in [("Ab1!x", "too short"), ("abcdefghij12", "complexity")] {
        match dir.reset_password(&rita, pw, false).await {
            Err(e @ DirectoryError::PasswordRefused { .. }) => {
                let DirectoryError::PasswordRefused { code, message } = &e else {
                    unreachable!()
                };
                assert_eq!(code, "LDAP 19 (0000052D)");
                assert!(message.contains(why), "{message}");
                assert!(
                    !format!("{e:?} {e}").contains(pw),
                    "the password leaked into the error"
                );
            }
            other => panic!("{pw}: expected PasswordRefused, got {other:?}"),
        }
    }
    // 10 characters, complex: fine for the domain (7) but not for jstrict's PSO (12).
    let jstrict = one(&dir, "sam.strict@test.lan").await;
    match dir.reset_password(&jstrict, "Abcdef1!xy", false).await {
        Err(DirectoryError::PasswordRefused { code, message }) => {
            assert_eq!(code, "LDAP 19 (0000052D)");
            assert!(message.contains("12"), "{message}");
        }
        other => panic!("expected PasswordRefused, got {other:?}"),
    }
    bind_as("jstrict", USER_PASSWORD)
        .await
        .expect("a refused reset changes nothing");
}

#[tokio::test]
async fn service_account_without_the_right_is_access_denied() {
    let dir = LdapDirectory::new(config("TEST\\svc-limited")).unwrap();
    let rita = one(&dir, "rita.refuse@test.lan").await;
    match dir.reset_password(&rita, "Val1d!Password", false).await {
        Err(DirectoryError::AccessDenied { code, .. }) => {
            assert!(code.starts_with("LDAP 50"), "{code}")
        }
        other => panic!("expected AccessDenied, got {other:?}"),
    }
    assert!(matches!(
        dir.unlock(&rita).await,
        Err(DirectoryError::AccessDenied { .. })
    ));
}

#[tokio::test]
async fn starttls_works_for_search_and_reset() {
    let mut cfg = config("TEST\\svc-reset");
    cfg.url = samba::dc().ldap_url();
    cfg.starttls = true;
    let dir = LdapDirectory::connect(cfg).await.expect("StartTLS connect");
    let a = one(&dir, "rita.refuse@test.lan").await;
    dir.reset_password(&a, "Start!TLS2026", false)
        .await
        .unwrap();
    bind_as("jrefuse", "Start!TLS2026")
        .await
        .expect("bind with the password set over StartTLS");
}

#[tokio::test]
async fn tls_verification_is_on() {
    let mut cfg = config("TEST\\svc-reset");
    cfg.ca_file = Some(samba::dc().other_ca_file.clone());
    let dir = LdapDirectory::new(cfg.clone()).unwrap();
    match dir.find_by_email("john.smith@test.lan").await {
        Err(DirectoryError::Unavailable(msg)) => {
            assert!(msg.contains("certificate"), "{msg}");
            assert!(!msg.contains(SVC_PASSWORD));
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
    assert!(matches!(
        LdapDirectory::connect(cfg).await,
        Err(DirectoryError::Unavailable(_))
    ));
    // The system trust store does not know the test CA either.
    let mut cfg = config("TEST\\svc-reset");
    cfg.ca_file = None;
    match LdapDirectory::connect(cfg).await {
        Err(DirectoryError::Unavailable(msg)) => assert!(msg.contains("certificate"), "{msg}"),
        other => panic!("expected Unavailable, got {:?}", other.err()),
    }
}

#[tokio::test]
async fn bad_service_password_and_foreign_ids() {
    let mut cfg = config("TEST\\svc-reset");
    cfg.bind_password = Some(Secret::new("Wrong!Password1"));
    match LdapDirectory::connect(cfg).await {
        Err(DirectoryError::Unavailable(msg)) => {
            assert!(msg.contains("bind") && msg.contains("49"), "{msg}");
            assert!(!msg.contains("Wrong!Password1"));
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
    let dir = svc();
    assert!(matches!(
        dir.get_account("CN=Someone,DC=elsewhere,DC=lan").await,
        Err(DirectoryError::NotFound(_))
    ));
    assert!(matches!(
        dir.get_account("CN=Nobody,OU=Staff,DC=test,DC=lan").await,
        Err(DirectoryError::NotFound(_))
    ));
}

#[tokio::test]
async fn danger_accept_invalid_certs_skips_verification_and_env_passwords_work() {
    let mut cfg = config("TEST\\svc-reset");
    cfg.ca_file = Some(samba::dc().other_ca_file.clone());
    cfg.danger_accept_invalid_certs = true;
    cfg.bind_password = None;
    cfg.bind_password_env = Some("PASSDESK_TEST_LDAP_BIND_PW".into());
    std::env::set_var("PASSDESK_TEST_LDAP_BIND_PW", SVC_PASSWORD);
    // The README promises a warning in the log: capture this thread's events while building it.
    let capture = support::log_capture::Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(capture.clone())
        .finish();
    let dir = tracing::subscriber::with_default(subscriber, || LdapDirectory::new(cfg).unwrap());
    let logs = String::from_utf8_lossy(&capture.bytes()).to_string();
    assert!(
        logs.contains("WARN") && logs.contains("danger_accept_invalid_certs = true"),
        "no warning logged: {logs}"
    );
    one(&dir, "john.smith@test.lan").await;
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    // Accepts TCP but never speaks TLS: the operation timeout must end the wait.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock);
        }
    });
    let cfg: LdapDirectoryConfig = toml::from_str(&format!(
        "name = 'mute'\nurl = 'ldaps://127.0.0.1:{port}'\nbind_dn = 'x'\nbind_password = 'Secret!1'\n\
         base_dn = 'DC=test,DC=lan'\ntimeout_secs = 1"
    ))
    .unwrap();
    let dir = LdapDirectory::new(cfg).unwrap();
    let t = std::time::Instant::now();
    match dir.find_by_email("a@b").await {
        Err(DirectoryError::Unavailable(msg)) => assert!(
            // The connect timeout and the operation's (both 1 s here) race; either says so.
            msg.contains("timeout")
                || msg.contains("did not answer in time")
                || msg.contains("no answer within 1 s"),
            "{msg}"
        ),
        other => panic!("expected Unavailable, got {other:?}"),
    }
    // The timeout (1 s) ended the wait, not some instant failure, and not much later.
    let waited = t.elapsed();
    assert!(
        waited >= std::time::Duration::from_millis(900)
            && waited < std::time::Duration::from_secs(3),
        "{waited:?}"
    );
}

#[tokio::test]
async fn contact_points_are_the_mobiles_and_other_mailboxes_never_mail() {
    use passdesk_server::verification::contact::{ContactAttribute, ContactKind};
    let dir = svc();
    let a = one(&dir, "john.smith@test.lan").await;
    let mut admin = samba::admin().await;
    let set = |attr: &str, values: &[&str]| {
        ldap3::Mod::Replace(
            attr.as_bytes().to_vec(),
            values
                .iter()
                .map(|v| v.as_bytes().to_vec())
                .collect::<std::collections::HashSet<_>>(),
        )
    };
    admin
        .modify(
            &a.id,
            vec![
                set("mobile", &["+1 (555) 010-0123"]),
                set("otherMobile", &["555-010-0199"]),
                set("otherMailbox", &["john.private@example.net"]),
            ],
        )
        .await
        .unwrap()
        .success()
        .unwrap();
    let points = dir
        .contact_points(&a)
        .await
        .expect("read as the service account");
    let got: Vec<(ContactAttribute, ContactKind, &str)> = points
        .iter()
        .map(|p| (p.attribute, p.kind, p.value.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                ContactAttribute::Mobile,
                ContactKind::Phone,
                "+1 (555) 010-0123"
            ),
            (
                ContactAttribute::OtherMobile,
                ContactKind::Phone,
                "555-010-0199"
            ),
            (
                ContactAttribute::OtherMailbox,
                ContactKind::Email,
                "john.private@example.net"
            ),
        ]
    );
    assert!(
        points.iter().all(|p| p.value != "john.smith@test.lan"),
        "mail is never a contact point"
    );
    // Nothing set: none (and a DN outside base_dn is refused, not searched).
    admin
        .modify(
            &a.id,
            vec![
                set("mobile", &[]),
                set("otherMobile", &[]),
                set("otherMailbox", &[]),
            ],
        )
        .await
        .unwrap()
        .success()
        .unwrap();
    let _ = admin.unbind().await;
    assert!(dir.contact_points(&a).await.unwrap().is_empty());
    let mut outside = a.clone();
    outside.id = "CN=John Smith,OU=Staff,DC=other,DC=lan".into();
    assert!(matches!(
        dir.contact_points(&outside).await,
        Err(DirectoryError::NotFound(_))
    ));
}

/// A TCP relay to the DC's LDAPS port that counts the connections it carries and can cut them
/// all, as a DC or a firewall does with idle connections. The DC certificate names 127.0.0.1 too.
struct Relay {
    port: u16,
    accepted: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    links: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl Relay {
    async fn start() -> Relay {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let links = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (count, held) = (accepted.clone(), links.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                held.lock().unwrap().push(tokio::spawn(async move {
                    let dc = format!("{}:636", samba::IP);
                    if let Ok(mut server) = tokio::net::TcpStream::connect(dc).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                }));
            }
        });
        Relay {
            port,
            accepted,
            links,
        }
    }

    fn connections(&self) -> usize {
        self.accepted.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Drops every carried connection (both sockets close).
    fn cut_all(&self) {
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }
}

#[tokio::test]
async fn bound_connections_are_reused_and_a_dropped_one_is_replaced() {
    let relay = Relay::start().await;
    let mut cfg = config("TEST\\svc-reset");
    cfg.url = format!("ldaps://127.0.0.1:{}", relay.port);
    let dir = LdapDirectory::connect(cfg).await.expect("connects");
    assert_eq!((relay.connections(), dir.idle_sessions()), (1, 1));

    // A whole context's reads and a reset ride the one bound connection.
    let john = one(&dir, "john.smith@test.lan").await;
    dir.effective_policy(&john).await.unwrap();
    dir.get_account(&john.id).await.unwrap();
    // Permanent: other tests of this binary read jsmith and expect no forced change.
    dir.reset_password(&john, "Pool!Reuse2024", false)
        .await
        .unwrap();
    assert_eq!(relay.connections(), 1, "no new connection per operation");
    assert_eq!(dir.idle_sessions(), 1);

    // Operations at the same time each get a session; a few stay for later.
    let (a, b, c) = tokio::join!(
        dir.find_by_email("john.smith@test.lan"),
        dir.find_by_email("sam.strict@test.lan"),
        dir.get_account(&john.id),
    );
    a.unwrap();
    b.unwrap();
    c.unwrap();
    assert_eq!(relay.connections(), 3);
    assert_eq!(dir.idle_sessions(), 3);

    // The connections are cut while idle: the next read still works, on a new connection.
    relay.cut_all();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let again = one(&dir, "john.smith@test.lan").await;
    assert_eq!(again.id, john.id);
    assert_eq!(
        relay.connections(),
        4,
        "one new connection replaces the dropped ones"
    );
    assert_eq!(
        dir.idle_sessions(),
        1,
        "the dropped ones are gone from the pool"
    );
    assert!(bind_as("jsmith", "Pool!Reuse2024").await.is_ok());
}
