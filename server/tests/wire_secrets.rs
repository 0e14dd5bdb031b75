//! SECRET-LEAK test of the real connectors, where secrets are on the wire: the LDAP connector
//! against the real Samba DC (bind password, `unicodePwd` modify) and the Graph connector against
//! the simulator (client secret in the token form, bearer tokens, the PATCH body with the new
//! password). Every tracing event of every crate at TRACE is captured (tests/support/log_capture.rs);
//! none of those secrets may appear in it, as UTF-8 or UTF-16LE.
mod support;

use passdesk_server::config::{ConnectorConfig, DirectoryConfig};
use passdesk_server::directory::graph::GraphDirectory;
use passdesk_server::directory::ldap::LdapDirectory;
use passdesk_server::directory::Directory;
use support::graph_sim::{GraphSim, CLIENT_ID, CLIENT_SECRET, JOHN, TENANT};
use support::log_capture::{assert_absent, Capture};
use support::samba::{self, bind_as, BASE_DN, SVC_PASSWORD};

fn unique(prefix: &str) -> String {
    format!("{prefix}{:016x}", rand::random::<u64>())
}

/// A connector from a `[[directories]]` entry, as an operator writes it.
fn entry(toml_text: &str) -> ConnectorConfig {
    toml::from_str::<DirectoryConfig>(toml_text)
        .unwrap_or_else(|e| panic!("{e}"))
        .connector
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_bind_password_client_secret_token_or_new_password_in_the_connectors_logs() {
    let capture = Capture::install();

    // LDAP: search, reset (temporary and permanent) and unlock over LDAPS on the real DC.
    let dc = samba::dc();
    let ldap_password = unique("Wire#Ldap9-");
    let ConnectorConfig::Ldap(ldap) = entry(&format!(
        r#"
kind = "ldap"
name = "wire-samba"
companies = ["TestLan"]
url = "{url}"
bind_dn = 'TEST\svc-reset'
bind_password = "{SVC_PASSWORD}"
base_dn = "{BASE_DN}"
dc = "samba"
ca_file = "{ca}"
"#,
        url = dc.ldaps_url(),
        ca = dc.ca_file.display(),
    )) else {
        panic!("an ldap entry")
    };
    let ldap = LdapDirectory::new(ldap).unwrap();
    let mut found = ldap.find_by_email("percy.perm@test.lan").await.unwrap();
    let percy = found.pop().expect("jperm on the DC");
    ldap.reset_password(&percy, &ldap_password, true)
        .await
        .unwrap();
    ldap.reset_password(&percy, &ldap_password, false)
        .await
        .unwrap();
    ldap.unlock(&percy).await.unwrap();
    bind_as("jperm", &ldap_password)
        .await
        .expect("the reset really reached the DC");

    // Graph: token fetch, user read, PATCH of the password.
    let sim = GraphSim::start().await;
    let graph_password = unique("Wire#Graph9-");
    let ConnectorConfig::Graph(graph) = entry(&format!(
        r#"
kind = "graph"
name = "wire-m365"
companies = ["Contoso"]
tenant_id = "{TENANT}"
client_id = "{CLIENT_ID}"
client_secret = "{CLIENT_SECRET}"
authority_url = "{base}"
graph_url = "{base}"
"#,
        base = sim.base,
    )) else {
        panic!("a graph entry")
    };
    let graph = GraphDirectory::new(graph).unwrap();
    let john = graph.get_account(JOHN).await.unwrap();
    graph
        .reset_password(&john, &graph_password, true)
        .await
        .unwrap();
    assert_eq!(sim.user(JOHN).password, graph_password, "the PATCH arrived");
    let tokens: Vec<String> = sim.with(|s| s.tokens.keys().cloned().collect());
    assert_eq!(tokens.len(), 1, "one access token issued");

    let logs = capture.bytes();
    let text = String::from_utf8_lossy(&logs);
    // The capture saw the wire-level crates, not only PassDesk's own events.
    assert!(
        text.lines().count() > 20,
        "only {} log lines",
        text.lines().count()
    );
    // (The Graph simulator is plain http on loopback, so TLS events come from the LDAPS sessions.)
    assert!(
        text.contains("rustls::client"),
        "no event of the LDAPS sessions captured"
    );
    assert!(
        text.contains("hyper_util::client"),
        "no event of the Graph HTTP client captured"
    );
    let quoted = format!("\"{ldap_password}\""); // unicodePwd is the quoted password in UTF-16LE
    assert_absent(
        "the connectors' logs",
        &logs,
        &[
            ("the LDAP bind password", SVC_PASSWORD),
            ("the new LDAP password", &ldap_password),
            ("the quoted unicodePwd value", &quoted),
            ("the Graph client secret", CLIENT_SECRET),
            ("the Graph access token", &tokens[0]),
            ("the new Graph password", &graph_password),
        ],
    );
}
