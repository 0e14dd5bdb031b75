//! The site agent end to end, across a real network boundary: a customer site in its own network
//! namespace with a real Samba AD DC on the site's loopback only (tests/support/site.rs), the
//! `passdesk agent` process inside it, and `passdesk serve` with TLS here, reachable from the site
//! over a veth pair. The backend cannot open a connection to the DC; everything goes through the
//! agent's outbound WebSocket. Then the faults an MSP meets: agent killed / restarted, link down,
//! backend restarted, a certificate from another CA, an HTTP CONNECT proxy at the site (tinyproxy),
//! revocation (a reset cut off mid-flight: tests/agent_protocol.rs). Needs root (namespaces, ports 389/636).
#![allow(clippy::unwrap_used)]
mod support;

use std::{
    net::{SocketAddr, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use axum::Router;
use passdesk_server::demo::CONNECTWISE_MOUNT;
use reqwest::StatusCode;
use serde_json::{json, Value};
use support::{
    samba::{self, BASE_DN, SVC_PASSWORD, USER_PASSWORD},
    samba_tickets::{seeded_sandbox, COMPANY, TECHNICIAN, T_JLOCKED, T_JSMITH},
    site::{Site, HQ_IP, SITE_IP},
};

const BIN: &str = env!("CARGO_BIN_EXE_passdesk");
const AGENT: &str = "site-dc1";
const PW_TEMPORARY: &str = "Vx7#qSite-Lmz1";
const PW_PERMANENT: &str = "Kp9!wAgent-Rty2";
// Debug logs for PassDesk itself: the secrets check must hold at the most verbose level.
const RUST_LOG: &str = "info,passdesk_server=debug";

/// A child process, killed when dropped (also when the test fails).
struct Proc {
    child: Child,
    log: PathBuf,
}

impl Proc {
    fn spawn(mut cmd: Command, log: &Path) -> Proc {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .unwrap();
        let child = cmd
            .env("RUST_LOG", RUST_LOG)
            .stdin(Stdio::null())
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .spawn()
            .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
        Proc {
            child,
            log: log.to_path_buf(),
        }
    }
    fn signal(&self, sig: &str) {
        let _ = Command::new("kill")
            .args([&format!("-{sig}"), &self.child.id().to_string()])
            .status();
    }
    fn stop(mut self) {
        self.signal("TERM");
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the CLI to completion; (success, stdout, stderr).
fn cli(cmd: &mut Command) -> (bool, String, String) {
    let out = cmd.env("RUST_LOG", RUST_LOG).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A test CA and a backend certificate for the HQ address.
fn write_certificates(dir: &Path) {
    let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(rcgen::DnType::CommonName, "PassDesk test backend CA");
    let ca = rcgen::CertifiedIssuer::self_signed(ca, rcgen::KeyPair::generate().unwrap()).unwrap();
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf = rcgen::CertificateParams::new(vec![HQ_IP.to_string()])
        .unwrap()
        .signed_by(&leaf_key, &ca)
        .unwrap();
    std::fs::write(dir.join("backend-ca.pem"), ca.pem()).unwrap();
    std::fs::write(dir.join("backend.pem"), leaf.pem()).unwrap();
    std::fs::write(dir.join("backend-key.pem"), leaf_key.serialize_pem()).unwrap();
}

fn free_port(ip: &str) -> u16 {
    std::net::TcpListener::bind((ip, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `passdesk serve` with TLS on the HQ side of the link.
struct Backend {
    config: PathBuf,
    api: String,
    http: reqwest::Client,
    token: String,
    dir: PathBuf,
}

impl Backend {
    fn write_config(
        dir: &Path,
        port: u16,
        cw_base: &str,
        sandbox: &passdesk_server::connectwise::sandbox::Sandbox,
    ) -> PathBuf {
        let c = sandbox.credentials();
        let text = format!(
            r#"
listen = "{HQ_IP}:{port}"
database_url = "passdesk.db"
tls_cert_file = "backend.pem"
tls_key_file = "backend-key.pem"

[connectwise]
base_url = "{cw_base}"
company_id = "{company}"
public_key = "{public}"
private_key = "{private}"
client_id = "{client}"

[agents]
heartbeat_secs = 1
request_timeout_secs = 30

[[directories]]
kind = "agent"
name = "testlan-site"
companies = ["{COMPANY}"]
agent = "{AGENT}"
"#,
            company = c.company_id,
            public = c.public_key,
            private = c.private_key,
            client = c.client_id,
        );
        let path = dir.join("passdesk.toml");
        std::fs::write(&path, text).unwrap();
        path
    }

    fn spawn(&self) -> Proc {
        let mut cmd = Command::new(BIN);
        cmd.args(["serve", "--config"]).arg(&self.config);
        Proc::spawn(cmd, &self.dir.join("serve.log"))
    }

    async fn wait_healthy(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = self
                .http
                .get(format!("{}/api/v1/health", self.api))
                .send()
                .await
            {
                if r.status().is_success() {
                    return;
                }
            }
            assert!(Instant::now() < deadline, "passdesk serve did not come up");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        let r = self
            .http
            .get(format!("{}{path}", self.api))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        (r.status(), r.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let r = self
            .http
            .post(format!("{}{path}", self.api))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        (r.status(), r.json().await.unwrap_or(Value::Null))
    }

    async fn context(&self, ticket: u64) -> Value {
        let (status, ctx) = self.get(&format!("/api/v1/tickets/{ticket}/context")).await;
        assert_eq!(status, StatusCode::OK, "{ctx}");
        ctx
    }

    async fn agent_status(&self) -> Value {
        let (status, body) = self.get("/api/v1/agents").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["agents"]
            .as_array()
            .and_then(|a| a.iter().find(|x| x["name"] == AGENT).cloned())
            .unwrap_or(Value::Null)
    }

    /// Waits until the agent is connected and a context is read through it.
    async fn wait_working(&self, within: Duration, what: &str) -> Duration {
        let t0 = Instant::now();
        loop {
            let ctx = self.context(T_JSMITH).await;
            if ctx["account"]["sam_account_name"] == "jsmith" {
                return t0.elapsed();
            }
            assert!(
                t0.elapsed() < within,
                "{what}: not working after {within:?}: {ctx}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    async fn wait_disconnected(&self, within: Duration, what: &str) {
        let t0 = Instant::now();
        while self.agent_status().await["connected"] == true {
            assert!(
                t0.elapsed() < within,
                "{what}: still connected after {within:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// A reset of the test DC's jsmith, the account the context shows.
fn reset_body(password: &str, temporary: bool, key: &str) -> Value {
    json!({"password": password, "temporary": temporary, "idempotency_key": key,
        "account_id": "CN=John Smith,OU=Staff,DC=test,DC=lan"})
}

fn problem_codes(ctx: &Value) -> Vec<String> {
    ctx["problems"]
        .as_array()
        .map(|p| {
            p.iter()
                .map(|x| x["code"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn unreachable_from_here(addr: &str) -> bool {
    let addr: SocketAddr = addr.parse().unwrap();
    TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_agent_carries_the_whole_flow_and_survives_faults() {
    let site = Site::start().unwrap_or_else(|e| panic!("cannot set up the site namespace: {e}"));
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    write_certificates(&dir);

    // ConnectWise (simulated: the cloud is not reachable here), on this side's loopback.
    let sandbox = seeded_sandbox();
    let cw_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let cw_base = format!(
        "http://{}{CONNECTWISE_MOUNT}",
        cw_listener.local_addr().unwrap()
    );
    let cw_app = Router::new().nest(CONNECTWISE_MOUNT, sandbox.router());
    tokio::spawn(async move { axum::serve(cw_listener, cw_app).await });

    let port = free_port(HQ_IP);
    let config = Backend::write_config(&dir, port, &cw_base, &sandbox);
    let (ok, token, err) = cli(Command::new(BIN)
        .args(["token", "create", "--name", TECHNICIAN, "--config"])
        .arg(&config));
    assert!(ok, "{err}");
    let ca = std::fs::read(dir.join("backend-ca.pem")).unwrap();
    let backend = Backend {
        api: format!("https://{HQ_IP}:{port}"),
        http: reqwest::Client::builder()
            .tls_built_in_root_certs(false)
            .add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap())
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap(),
        token: token.trim().to_string(),
        config: config.clone(),
        dir: dir.clone(),
    };
    let mut serve = backend.spawn();
    backend.wait_healthy().await;

    // Enrolment: a code works once; a wrong one is refused in plain words.
    let (ok, code, err) = cli(Command::new(BIN)
        .args(["agent", "enroll", "--name", AGENT, "--config"])
        .arg(&config));
    assert!(ok, "{err}");
    let code = code.trim().to_string();
    assert!(code.starts_with("pde_"), "{code}");
    let agent_toml = dir.join("agent.toml");
    std::fs::write(
        &agent_toml,
        format!(
            r#"
server = "{api}"
ca_file = "backend-ca.pem"
reconnect_max_secs = 2

[directory]
kind = "ldap"
url = "ldaps://{dc_ip}"
bind_dn = 'TEST\svc-reset'
bind_password_env = "SITE_BIND_PW"
base_dn = "{BASE_DN}"
dc = "samba"
ca_file = "{dc_ca}"
timeout_secs = 10
"#,
            api = backend.api,
            dc_ip = samba::IP,
            dc_ca = site.dc_ca.display(),
        ),
    )
    .unwrap();
    let join = |code: &str| {
        cli(site
            .command(BIN)
            .env("SITE_BIND_PW", SVC_PASSWORD)
            .args(["agent", "join", "--code", code, "--config"])
            .arg(&agent_toml))
    };
    let (ok, _, err) = join("pde_not-a-real-code");
    assert!(!ok && err.contains("not known"), "{err}");
    let (ok, out, err) = join(&code);
    assert!(ok, "{err}");
    let credential_file = dir.join("agent.credential");
    let credential_text = std::fs::read_to_string(&credential_file).unwrap();
    let credential = credential_text
        .lines()
        .find_map(|l| l.strip_prefix("credential = \""))
        .map(|c| c.trim_end_matches('"').to_string())
        .expect("credential in the file");
    assert!(credential.starts_with("pda_"));
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&credential_file)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the credential file must be private");
    }
    assert!(
        !out.contains(&credential) && !err.contains(&credential),
        "join printed the credential"
    );
    let (ok, _, err) = join(&code);
    assert!(!ok && err.contains("already used"), "{err}");

    // The backend cannot reach the DC: not its site address, not the site's loopback.
    assert!(unreachable_from_here(&format!("{SITE_IP}:636")));
    assert!(unreachable_from_here(&format!("{}:636", samba::IP)));
    assert!(unreachable_from_here(&format!("{SITE_IP}:389")));

    let spawn_agent = || {
        let mut cmd = site.command(BIN);
        cmd.env("SITE_BIND_PW", SVC_PASSWORD)
            .args(["agent", "run", "--config"])
            .arg(&agent_toml);
        Proc::spawn(cmd, &dir.join("agent.log"))
    };
    let mut agent = spawn_agent();
    backend
        .wait_working(Duration::from_secs(15), "first connection")
        .await;

    // Context through the agent, straight from the DC.
    let ctx = backend.context(T_JSMITH).await;
    assert_eq!(
        ctx["account"]["id"], "CN=John Smith,OU=Staff,DC=test,DC=lan",
        "{ctx}"
    );
    assert_eq!(ctx["directory"]["kind"], "agent", "{ctx}");
    assert!(problem_codes(&ctx).is_empty(), "{ctx}");
    assert!(
        ctx["policy_source"]
            .as_str()
            .unwrap_or("")
            .contains("DC=test,DC=lan"),
        "{ctx}"
    );

    // Temporary reset, checked on the DC: the password is right but must be changed (data 773).
    let (status, body) = backend
        .post(
            &format!("/api/v1/tickets/{T_JSMITH}/reset"),
            reset_body(PW_TEMPORARY, true, "agent-1"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["result"], "success");
    let refused = site.bind("TEST\\jsmith", PW_TEMPORARY).unwrap_err();
    assert!(refused.contains("data 773"), "{refused}");
    assert!(
        site.bind("TEST\\jsmith", USER_PASSWORD).is_err(),
        "the old password must be gone"
    );

    // Permanent reset: the user can sign in with it.
    let (status, body) = backend
        .post(
            &format!("/api/v1/tickets/{T_JSMITH}/reset"),
            reset_body(PW_PERMANENT, false, "agent-2"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    site.bind("TEST\\jsmith", PW_PERMANENT).unwrap();
    assert_eq!(
        backend.context(T_JSMITH).await["account"]["must_change"],
        false
    );

    // Unlock: lock the account for real on the DC, then clear it through the agent.
    for _ in 0..3 {
        let _ = site.bind("TEST\\jlocked", "wrong-password");
    }
    assert_eq!(backend.context(T_JLOCKED).await["account"]["locked"], true);
    let (status, body) = backend
        .post(&format!("/api/v1/tickets/{T_JLOCKED}/unlock"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(backend.context(T_JLOCKED).await["account"]["locked"], false);
    site.bind("TEST\\jlocked", USER_PASSWORD).unwrap();

    // Audit and the agent list.
    let (_, audit) = backend.get("/api/v1/audit").await;
    let actions: Vec<(String, String)> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().into(),
                e["result"].as_str().unwrap().into(),
            )
        })
        .collect();
    for want in [("reset", "success"), ("unlock", "success")] {
        assert!(
            actions.contains(&(want.0.into(), want.1.into())),
            "{actions:?}"
        );
    }
    assert_eq!(
        actions.iter().filter(|a| a.0 == "reset").count(),
        2,
        "{actions:?}"
    );
    let status = backend.agent_status().await;
    assert_eq!(status["connected"], true, "{status}");
    assert_eq!(status["version"], env!("CARGO_PKG_VERSION"), "{status}");
    assert!(
        status["remote_addr"]
            .as_str()
            .unwrap_or("")
            .starts_with(SITE_IP),
        "{status}"
    );

    // Agent killed: the context says the agent is offline at once, not after the 30 s timeout.
    agent.signal("KILL");
    backend
        .wait_disconnected(Duration::from_secs(3), "agent killed")
        .await;
    let t0 = Instant::now();
    let ctx = backend.context(T_JSMITH).await;
    let answered_in = t0.elapsed();
    assert_eq!(problem_codes(&ctx), ["DIRECTORY_UNAVAILABLE"], "{ctx}");
    let words = ctx["problems"][0]["message"].as_str().unwrap_or("");
    assert!(
        words.contains(AGENT) && words.contains("offline since"),
        "{words}"
    );
    assert!(
        answered_in < Duration::from_secs(2),
        "offline context took {answered_in:?}"
    );

    // Agent restarted: working again within 10 s.
    drop(agent);
    agent = spawn_agent();
    let took = backend
        .wait_working(Duration::from_secs(10), "agent restarted")
        .await;
    eprintln!("agent restart -> working in {took:?}");

    // Link down for 5 s (no socket error on either side), then up: both sides notice by heartbeat
    // and the agent reconnects by itself.
    site.link(false);
    let down = Instant::now();
    backend
        .wait_disconnected(Duration::from_secs(8), "link down")
        .await;
    tokio::time::sleep(Duration::from_secs(5).saturating_sub(down.elapsed())).await;
    site.link(true);
    let took = backend
        .wait_working(Duration::from_secs(20), "link back up")
        .await;
    eprintln!("link up -> working in {took:?}");
    assert!(
        agent.log().contains("reconnecting"),
        "the agent must say it reconnects"
    );

    // Backend restarted: the agent reconnects to the new process.
    serve.stop();
    serve = backend.spawn();
    backend.wait_healthy().await;
    let took = backend
        .wait_working(Duration::from_secs(15), "backend restarted")
        .await;
    eprintln!("backend restart -> working in {took:?}");

    // A TLS-inspecting middlebox (here: a backend certificate from another CA than the pinned one)
    // is refused, with words that say so.
    let pinned = std::fs::read_to_string(&agent_toml).unwrap();
    drop(agent);
    std::fs::write(
        &agent_toml,
        pinned.replace(
            r#"ca_file = "backend-ca.pem""#,
            &format!("ca_file = {:?}", site.dc_ca.display().to_string()),
        ),
    )
    .unwrap();
    agent = spawn_agent();
    let t0 = Instant::now();
    while !agent
        .log()
        .contains("TLS handshake with the backend failed")
    {
        assert!(
            t0.elapsed() < Duration::from_secs(10),
            "no TLS refusal in the agent log: {}",
            agent.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(backend.agent_status().await["connected"], false);
    drop(agent);

    // Through an HTTP CONNECT proxy at the site (tinyproxy, with basic auth), named in agent.toml.
    let proxy_conf = dir.join("tinyproxy.conf");
    let proxy_log = dir.join("tinyproxy.log");
    std::fs::write(
        &proxy_conf,
        format!(
            "Port 8888\nListen 127.0.0.1\nAllow 127.0.0.1\nConnectPort {port}\nBasicAuth agent s3cret\n\
             LogLevel Connect\nLogFile \"{}\"\nMaxClients 20\n",
            proxy_log.display()
        ),
    )
    .unwrap();
    let mut tinyproxy = site.command("tinyproxy");
    tinyproxy.args(["-d", "-c"]).arg(&proxy_conf);
    let _proxy = Proc::spawn(tinyproxy, &dir.join("tinyproxy.out"));
    std::fs::write(
        &agent_toml,
        pinned.replace(
            "reconnect_max_secs = 2",
            "reconnect_max_secs = 2\nproxy = \"http://agent:s3cret@127.0.0.1:8888\"",
        ),
    )
    .unwrap();
    agent = spawn_agent();
    backend
        .wait_working(Duration::from_secs(15), "through the proxy")
        .await;
    let connects = || {
        std::fs::read_to_string(&proxy_log)
            .unwrap_or_default()
            .matches(&format!("CONNECT {HQ_IP}:{port}"))
            .count()
    };
    assert_eq!(
        connects(),
        1,
        "the agent must have tunnelled through the proxy"
    );
    assert!(agent.log().contains("through a proxy"), "{}", agent.log());
    // The same proxy from the environment (HTTPS_PROXY) instead of agent.toml.
    drop(agent);
    std::fs::write(&agent_toml, &pinned).unwrap();
    agent = {
        let mut cmd = site.command(BIN);
        cmd.env("SITE_BIND_PW", SVC_PASSWORD)
            .env("HTTPS_PROXY", "http://agent:s3cret@127.0.0.1:8888")
            .args(["agent", "run", "--config"])
            .arg(&agent_toml);
        Proc::spawn(cmd, &dir.join("agent.log"))
    };
    backend
        .wait_working(Duration::from_secs(15), "through HTTPS_PROXY")
        .await;
    assert_eq!(connects(), 2, "HTTPS_PROXY must be honoured");

    // Revocation: disconnected at once, and the credential never works again.
    let (ok, _, err) = cli(Command::new(BIN)
        .args(["agent", "revoke", AGENT, "--config"])
        .arg(&config));
    assert!(ok, "{err}");
    backend
        .wait_disconnected(Duration::from_secs(3), "revoked")
        .await;
    let deadline = Instant::now() + Duration::from_secs(15);
    let exit = loop {
        if let Ok(Some(status)) = agent.child.try_wait() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "a revoked agent must stop retrying"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(!exit.success());
    assert!(
        agent.log().contains("refused this agent's credential"),
        "{}",
        agent.log()
    );
    assert_eq!(
        problem_codes(&backend.context(T_JSMITH).await),
        ["DIRECTORY_UNAVAILABLE"]
    );

    // No secret in any log: passwords, the credential, the enrolment code, the bind password.
    serve.stop();
    let logs = [
        std::fs::read_to_string(dir.join("serve.log")).unwrap(),
        agent.log(),
    ];
    for log in &logs {
        assert!(
            log.contains("agent connected") || log.contains("connected to the backend"),
            "{log}"
        );
        for secret in [
            PW_TEMPORARY,
            PW_PERMANENT,
            &credential,
            &code,
            SVC_PASSWORD,
            &backend.token,
        ] {
            assert!(!log.contains(secret), "a secret reached a log");
        }
    }
    drop(agent);
    drop(site);
}
