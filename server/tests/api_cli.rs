//! `passdesk serve --config` and `passdesk token create|list|revoke` as real processes, plus the
//! config file: the example parses, secrets stay out of `Debug`, bad mappings and the demo directory
//! are refused.
#![allow(clippy::unwrap_used)]
mod support;

use std::{path::Path, process::Stdio, time::Duration};

use passdesk_server::{
    config::{build_directories, Config},
    connectwise::{
        sandbox::{Sandbox, SandboxCredentials},
        TicketKind,
    },
};
use serde_json::{json, Value};
use support::graph_sim::{self, GraphSim};

const BIN: &str = env!("CARGO_BIN_EXE_passdesk");

#[test]
fn the_example_config_parses_with_every_key() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config.example.toml");
    let config = Config::load(&path).expect("config.example.toml is valid");
    assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
    assert!(
        config.database_url.ends_with("/../passdesk.db"),
        "relative to the config file: {}",
        config.database_url
    );
    assert_eq!(config.note_text, "PassDesk password reset - success");
    let kinds: Vec<&str> = config.directories.iter().map(|d| d.name()).collect();
    assert_eq!(kinds, ["contoso-ad", "fabrikam-m365", "northwind-site"]);
    assert_eq!(config.agents.heartbeat_secs, 20);
}

#[test]
fn a_public_listener_needs_tls_or_an_explicit_plain_http() {
    let dir = tempfile::tempdir().unwrap();
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../config.example.toml"),
    )
    .unwrap();
    let public = example.replace(r#"listen = "127.0.0.1:8080""#, r#"listen = "0.0.0.0:8443""#);
    let err = format!(
        "{:#}",
        Config::load(&write(dir.path(), "a.toml", &public)).unwrap_err()
    );
    assert!(
        err.contains("tls_cert_file") && err.contains("allow_plain_http"),
        "{err}"
    );
    let plain = public.replace("# allow_plain_http = false", "allow_plain_http = true");
    assert!(Config::load(&write(dir.path(), "b.toml", &plain)).is_ok());
    let half = public.replace(
        r#"# tls_cert_file = "/etc/passdesk/backend.pem""#,
        r#"tls_cert_file = "backend.pem""#,
    );
    let err = format!(
        "{:#}",
        Config::load(&write(dir.path(), "c.toml", &half)).unwrap_err()
    );
    assert!(err.contains("both tls_cert_file and tls_key_file"), "{err}");
}

#[test]
fn cors_extension_ids_are_read_and_a_wrong_one_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../config.example.toml"),
    )
    .unwrap();
    assert!(Config::load(&write(dir.path(), "none.toml", &example))
        .unwrap()
        .cors_extension_ids
        .is_empty());
    let two = example.replace(
        "# cors_extension_ids = []",
        r#"cors_extension_ids = ["abcdefghijklmnopabcdefghijklmnop", "moz-extension://6c3d0a4e-1111-2222-3333-444455556666"]"#,
    );
    let origins: Vec<String> = Config::load(&write(dir.path(), "two.toml", &two))
        .unwrap()
        .cors_extension_ids
        .iter()
        .map(|o| o.origin())
        .collect();
    assert_eq!(
        origins,
        [
            "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
            "moz-extension://6c3d0a4e-1111-2222-3333-444455556666"
        ]
    );
    // A wildcard would let every extension in: refused, not widened.
    let wild = example.replace(
        "# cors_extension_ids = []",
        r#"cors_extension_ids = ["chrome-extension://*"]"#,
    );
    let err = format!(
        "{:#}",
        Config::load(&write(dir.path(), "wild.toml", &wild)).unwrap_err()
    );
    assert!(
        err.contains("\"chrome-extension://*\" in cors_extension_ids"),
        "{err}"
    );
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn secrets_stay_out_of_debug_and_bad_configs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "c.toml",
        r#"
database_url = "pd.db"
[connectwise]
base_url = "https://api-na.myconnectwise.net/v4_6_release/apis/3.0"
company_id = "contoso"
public_key = "pub"
private_key = "cw-private-SECRET-1"
client_id = "cid"
[[directories]]
kind = "ldap"
name = "ad"
companies = ["Contoso"]
url = "ldaps://dc.example"
bind_dn = "CN=svc"
bind_password = "bind-SECRET-2"
base_dn = "DC=example"
[[directories]]
kind = "graph"
name = "m365"
companies = ["Fabrikam", "Contoso"]
tenant_id = "t"
client_id = "c"
client_secret = "graph-SECRET-3"
"#,
    );
    let config = Config::load(&path).unwrap();
    assert_eq!(
        config.database_url,
        dir.path().join("pd.db").to_string_lossy()
    );
    let debug = format!("{config:?}");
    for secret in ["cw-private-SECRET-1", "bind-SECRET-2", "graph-SECRET-3"] {
        assert!(!debug.contains(secret), "{secret} in Debug: {debug}");
    }
    let directories = build_directories(
        &config.directories,
        &passdesk_server::agent::hub::AgentHub::new(Default::default()),
    )
    .expect("connectors build without network");
    assert!(!format!("{directories:?}").contains("SECRET"));
    // Identifiers are mapped to record ids (as ConnectWise would answer at startup), then only ids count.
    let unresolved = directories.clone();
    let ids = std::collections::HashMap::from([
        ("contoso".to_string(), 250),
        ("fabrikam".to_string(), 260),
    ]);
    let directories = directories.with_company_ids(&ids).unwrap();
    // Contoso is hybrid (its AD and its Entra tenant): Entra serves it, the AD takes synced accounts.
    assert_eq!(directories.for_company(250).unwrap().name(), "m365");
    assert_eq!(
        directories.on_premises_for_company(250).unwrap().kind,
        passdesk_server::ticket_flow::directories::DirectoryKind::Ldap
    );
    assert_eq!(directories.for_company(260).unwrap().name(), "m365");
    assert!(directories.on_premises_for_company(260).is_none());
    assert!(directories.for_company(270).is_none());
    assert!(
        unresolved.for_company(250).is_none(),
        "an unresolved identifier maps nothing"
    );
    let unknown = unresolved
        .with_company_ids(&std::collections::HashMap::from([(
            "contoso".to_string(),
            250,
        )]))
        .unwrap_err();
    assert!(
        unknown
            .to_string()
            .contains("no company with the identifier \"Fabrikam\""),
        "{unknown}"
    );

    let twice = write(
        dir.path(),
        "twice.toml",
        r#"
database_url = "pd.db"
[connectwise]
base_url = "https://x.example/v4_6_release/apis/3.0"
company_id = "c"
public_key = "p"
client_id = "i"
[[directories]]
kind = "ldap"
name = "a"
companies = ["Contoso"]
url = "ldaps://dc1.example"
bind_dn = "CN=svc"
bind_password = "x"
base_dn = "DC=example"
[[directories]]
kind = "agent"
name = "b"
companies = ["contoso"]
agent = "site-b"
"#,
    );
    let err = format!("{:#}", Config::load(&twice).unwrap_err());
    assert!(
        err.contains("company contoso is mapped to two on-premises directories, a and b"),
        "{err}"
    );
    // The in-memory demo directory is for `passdesk demo` and the tests: `passdesk serve` refuses a
    // config that names it, before it opens anything.
    let text = std::fs::read_to_string(&twice).unwrap();
    let header = &text[..text.find("[[directories]]").unwrap()];
    let sandbox = write(
        dir.path(),
        "sandbox.toml",
        &format!("{header}[[directories]]\nkind = \"sandbox\"\nname = \"demo-directory\"\ncompanies = [\"Contoso\"]\n"),
    );
    let err = format!("{:#}", Config::load(&sandbox).unwrap_err());
    let expected = r#"demo-directory: kind = "sandbox" is the in-memory demo directory"#;
    assert!(
        err.contains(expected) && err.contains("not for `passdesk serve`"),
        "{err}"
    );
    let out = passdesk(&["serve", "--config", sandbox.to_str().unwrap()], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");
    assert!(!dir.path().join("pd.db").exists(), "nothing opened");
    let unknown = write(dir.path(), "unknown.toml", "database_url = \"x\"\nlisten_port = 1\n[connectwise]\nbase_url=\"\"\ncompany_id=\"\"\npublic_key=\"\"\nclient_id=\"\"\n");
    let err = format!("{:#}", Config::load(&unknown).unwrap_err());
    assert!(err.contains("unknown field `listen_port`"), "{err}");
}

fn passdesk(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = std::process::Command::new(BIN);
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[tokio::test]
async fn serve_and_token_commands_work_together() {
    // ConnectWise: the sandbox on its own listener, as a remote ConnectWise would be.
    let sandbox = Sandbox::seeded_demo(SandboxCredentials::generate("cli_test"));
    let creds = sandbox.credentials();
    let cw_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let cw_addr = cw_listener.local_addr().unwrap();
    let router = axum::Router::new().nest("/cw/v4_6_release/apis/3.0", sandbox.router());
    tokio::spawn(async move { axum::serve(cw_listener, router).await });
    // The directory: the Entra tenant of the Graph simulator, as a real tenant would be.
    let graph = GraphSim::start().await;

    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "passdesk.toml",
        &format!(
            r#"
listen = "127.0.0.1:0"
database_url = "data/passdesk.db"
note_text = "Reset via PassDesk CLI test"
[connectwise]
base_url = "http://{cw_addr}/cw/v4_6_release/apis/3.0"
company_id = "{}"
public_key = "{}"
private_key_env = "PD_TEST_CW_KEY"
client_id = "{}"
[[directories]]
kind = "graph"
name = "contoso-m365"
companies = ["Contoso"]
tenant_id = "{}"
client_id = "{}"
client_secret = "{}"
authority_url = "{}"
graph_url = "{}"
tenant_name = "Contoso"
"#,
            creds.company_id,
            creds.public_key,
            creds.client_id,
            graph_sim::TENANT,
            graph_sim::CLIENT_ID,
            graph_sim::CLIENT_SECRET,
            graph.base,
            graph.base,
        ),
    );
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    let cfg = config.to_str().unwrap();

    let out = passdesk(
        &["token", "create", "--name", "Jane Tech", "--config", cfg],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(token.starts_with("pd_") && token.len() > 40, "{token}");
    let out = passdesk(&["token", "list", "--config", cfg], &[]);
    let listing = String::from_utf8(out.stdout).unwrap();
    assert!(listing.contains("Jane Tech"), "{listing}");
    assert!(!listing.contains(&token), "token list shows the token");

    // A company identifier ConnectWise does not have stops serve at startup, naming it.
    let nowhere = write(
        dir.path(),
        "nowhere.toml",
        &std::fs::read_to_string(&config)
            .unwrap()
            .replace(r#"companies = ["Contoso"]"#, r#"companies = ["Nowhere"]"#),
    );
    let out = tokio::time::timeout(
        Duration::from_secs(20),
        tokio::process::Command::new(BIN)
            .args(["serve", "--config", nowhere.to_str().unwrap()])
            .env("PD_TEST_CW_KEY", &creds.private_key)
            .env("NO_COLOR", "1")
            .kill_on_drop(true)
            .output(),
    )
    .await
    .expect("serve gives up at startup")
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains(r#"no company with the identifier "Nowhere""#),
        "{stderr}"
    );

    // Port 0: serve binds a free port itself and logs it (no bind-then-drop race).
    let mut serve = tokio::process::Command::new(BIN)
        .args(["serve", "--config", cfg])
        .env("PD_TEST_CW_KEY", &creds.private_key)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let addr = tokio::time::timeout(
        Duration::from_secs(20),
        ready_address(serve.stderr.take().unwrap()),
    )
    .await
    .expect("passdesk serve did not say it was ready within 20 s");
    let http = reqwest::Client::new();
    let api = format!("http://{addr}");
    let health = http
        .get(format!("{api}/api/v1/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);

    let me: Value = http
        .get(format!("{api}/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me, json!({"technician": "Jane Tech"}));
    let r = http
        .post(format!("{api}/api/v1/tickets/1001/reset"))
        .bearer_auth(&token)
        .json(&json!({"password": "Cli#Reset-77q", "temporary": false, "idempotency_key": "cli-1", "account_id": graph_sim::JOHN}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["note"], "posted", "{body}");
    let notes = sandbox.notes(TicketKind::Service, 1001);
    assert_eq!(notes.len(), 1);
    let text = notes[0]["text"].as_str().unwrap();
    assert!(
        text.starts_with("Reset via PassDesk CLI test")
            && text.contains("Jane Tech")
            && text.contains("permanent password"),
        "{text}"
    );
    let patched: Vec<String> = graph.with(|s| s.patches.iter().map(|p| p.user.clone()).collect());
    assert_eq!(
        patched,
        [graph_sim::JOHN],
        "the tenant got exactly one reset"
    );
    assert!(dir.path().join("data/passdesk.db").exists());

    let out = passdesk(&["token", "revoke", "Jane Tech", "--config", cfg], &[]);
    assert!(out.status.success());
    let r = http
        .get(format!("{api}/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let out = passdesk(&["token", "revoke", "999", "--config", cfg], &[]);
    assert_eq!(out.status.code(), Some(1));
    // By id: the listing's id revokes exactly that token, and the listing then says when.
    let out = passdesk(
        &["token", "create", "--name", "Bob Tech", "--config", cfg],
        &[],
    );
    assert!(out.status.success());
    let bob = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let listing =
        String::from_utf8(passdesk(&["token", "list", "--config", cfg], &[]).stdout).unwrap();
    let bob_row = listing
        .lines()
        .find(|l| l.contains("Bob Tech"))
        .unwrap()
        .to_string();
    assert!(
        bob_row.trim_end().ends_with('-'),
        "not revoked yet: {bob_row}"
    );
    let bob_id = bob_row.split_whitespace().next().unwrap().to_string();
    let out = passdesk(&["token", "revoke", &bob_id, "--config", cfg], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listing =
        String::from_utf8(passdesk(&["token", "list", "--config", cfg], &[]).stdout).unwrap();
    let bob_row = listing.lines().find(|l| l.contains("Bob Tech")).unwrap();
    let revoked_at = bob_row.split_whitespace().last().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(revoked_at).is_ok(),
        "{bob_row}"
    );
    let r = http
        .get(format!("{api}/api/v1/me"))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    let pid = serve.id().unwrap().to_string();
    assert!(std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = tokio::time::timeout(Duration::from_secs(15), serve.wait())
        .await
        .expect("serve stops on SIGTERM")
        .unwrap();
    assert!(status.success(), "{status:?}");
}

/// Reads serve's log until "passdesk serve ready" and returns its `listen=` address.
async fn ready_address(stderr: tokio::process::ChildStderr) -> std::net::SocketAddr {
    use tokio::io::AsyncBufReadExt;
    let mut lines = tokio::io::BufReader::new(stderr).lines();
    while let Some(line) = lines.next_line().await.unwrap() {
        if line.contains("passdesk serve ready") {
            let addr = line
                .split_whitespace()
                .find_map(|w| w.strip_prefix("listen="))
                .unwrap_or_else(|| panic!("no listen= in {line:?}"));
            let addr = addr.parse().unwrap_or_else(|e| panic!("{addr}: {e}"));
            // Keep draining the log so serve never blocks on a full pipe.
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            return addr;
        }
    }
    panic!("passdesk serve exited before it was ready");
}
