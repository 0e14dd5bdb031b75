//! A real SMTP server process on loopback (aiosmtpd, `smtp_server.py`): STARTTLS required, AUTH
//! required, certificate from a test CA (CA + leaf: rustls refuses a CA as end-entity). Messages
//! land in a Maildir the test reads. `Drop` stops the process.
#![allow(clippy::unwrap_used)]
use std::{
    io::{BufRead as _, BufReader},
    path::{Path, PathBuf},
    process::{Child, ChildStdin, Command, Stdio},
    time::Duration,
};

/// SMTP AUTH user of the test server.
pub const SMTP_USER: &str = "helpdesk@msp.example";

/// A running server.
pub struct SmtpServer {
    /// Port on 127.0.0.1.
    pub port: u16,
    /// PEM of the CA that signed the server certificate.
    pub ca_file: PathBuf,
    /// The AUTH password.
    pub password: String,
    maildir: PathBuf,
    child: Child,
    _stdin: Option<ChildStdin>,
    _dir: tempfile::TempDir,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl SmtpServer {
    /// Starts the server and waits until it accepts connections.
    pub fn start() -> SmtpServer {
        let dir = tempfile::tempdir().unwrap();
        let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(rcgen::DnType::CommonName, "PassDesk test SMTP CA");
        let ca =
            rcgen::CertifiedIssuer::self_signed(ca, rcgen::KeyPair::generate().unwrap()).unwrap();
        let leaf_key = rcgen::KeyPair::generate().unwrap();
        let leaf = rcgen::CertificateParams::new(vec!["localhost".into(), "127.0.0.1".into()])
            .unwrap()
            .signed_by(&leaf_key, &ca)
            .unwrap();
        let ca_file = dir.path().join("ca.pem");
        std::fs::write(&ca_file, ca.pem()).unwrap();
        std::fs::write(dir.path().join("cert.pem"), leaf.pem()).unwrap();
        std::fs::write(dir.path().join("key.pem"), leaf_key.serialize_pem()).unwrap();
        let maildir = dir.path().join("maildir");
        let password = format!("Smtp#{:016x}", rand::random::<u64>());
        let port = free_port();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_server.py");
        // Debian's python3-aiosmtpd lives in the system Python, which a pyenv on PATH would hide.
        let python = if Path::new("/usr/bin/python3").exists() {
            "/usr/bin/python3"
        } else {
            "python3"
        };
        let mut child = Command::new(python)
            .args(["-W", "ignore"])
            .arg(&script)
            .arg(port.to_string())
            .arg(dir.path().join("cert.pem"))
            .arg(dir.path().join("key.pem"))
            .arg(&maildir)
            .arg(SMTP_USER)
            .env("SMTP_TEST_PASSWORD", &password)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs (make setup installs python3-aiosmtpd)");
        let stdin = child.stdin.take();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(
            line.trim(),
            "READY",
            "the SMTP server did not start (is python3-aiosmtpd installed? `make setup`)"
        );
        SmtpServer {
            port,
            ca_file,
            password,
            maildir,
            child,
            _stdin: stdin,
            _dir: dir,
        }
    }

    /// Every delivered message, oldest first, as raw text.
    pub fn messages(&self) -> Vec<String> {
        let mut files: Vec<_> = std::fs::read_dir(self.maildir.join("new"))
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        files
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect()
    }

    /// Waits for the `n`-th message (1-based) and returns it.
    pub async fn wait_for_message(&self, n: usize) -> String {
        for _ in 0..250 {
            let all = self.messages();
            if all.len() >= n {
                return all[n - 1].clone();
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("no message #{n} arrived");
    }

    /// The `[verification]` config text for this server.
    pub fn config_toml(&self, password: &str) -> String {
        format!(
            "sender_name = \"Contoso Help Desk\"\n[email]\nsmtp_host = \"127.0.0.1\"\nsmtp_port = {}\nstarttls = true\n\
             username = \"{SMTP_USER}\"\npassword = \"{password}\"\nfrom = \"MSP Help Desk <{SMTP_USER}>\"\nca_file = \"{}\"\n",
            self.port,
            self.ca_file.display()
        )
    }
}

/// The 6-digit code in a message.
pub fn code_in(message: &str) -> String {
    let at = message
        .find("verification code for")
        .expect("a code message");
    let rest = &message[at..];
    let start = rest.find(" is ").expect("'is <code>'") + 4;
    rest[start..start + 6].to_string()
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
