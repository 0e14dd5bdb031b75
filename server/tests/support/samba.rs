//! A real Samba AD DC for the LDAP tests, shared by all tests of one test binary.
//!
//! - Provisioning (tests/samba/provision-dc.sh: domain TEST.LAN, test CA, fixture users, PSO, delegation)
//!   runs once into a "golden" directory under CARGO_TARGET_TMPDIR, keyed by a hash of the script; each
//!   test process copies it (35 ms) instead of provisioning again (5 s idle, over a minute on a busy box).
//! - The DC listens on 127.0.0.2 only (ports 389/636 are fixed per IP), leaving 127.0.0.1 to others.
//! - Lifetime: statics are never dropped, so the DC is started as `samba -i` with its stdin a pipe that
//!   this process holds. When the test process exits for any reason (even a panic or SIGKILL) the kernel
//!   closes the pipe and samba terminates itself ("EOF on stdin"): no prctl, no atexit, no stray DC.
#![allow(clippy::unwrap_used)]
use std::io::Write as _;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

/// The loopback address of the test DC.
pub const IP: &str = "127.0.0.2";
pub const BASE_DN: &str = "DC=test,DC=lan";
pub const ADMIN_BIND: &str = "TEST\\Administrator";
pub const ADMIN_PASSWORD: &str = "Passw0rd!Admin";
/// Password every fixture user starts with.
pub const USER_PASSWORD: &str = "Init1al!Pass";
/// Password of svc-reset (delegated reset rights on OU=Staff + PSO read) and svc-limited (no rights).
pub const SVC_PASSWORD: &str = "Svc!Reset2024";

const SCRIPT: &str = include_str!("../../../tests/samba/provision-dc.sh");

/// A running DC.
pub struct Dc {
    /// This process's copy of the DC directory.
    pub dir: PathBuf,
    /// PEM of the CA that signed the DC certificate (SAN IP:127.0.0.2, IP:127.0.0.1, DNS:localhost).
    pub ca_file: PathBuf,
    /// PEM of an unrelated CA (for the wrong-CA test).
    pub other_ca_file: PathBuf,
    // Held only so the pipe stays open while the process lives (see the module comment).
    _stdin: Mutex<ChildStdin>,
    _child: Mutex<Child>,
}

impl Dc {
    pub fn ldaps_url(&self) -> String {
        format!("ldaps://{IP}")
    }
    pub fn ldap_url(&self) -> String {
        format!("ldap://{IP}")
    }
}

/// The DC of this test process, started on first use.
pub fn dc() -> &'static Dc {
    static DC: OnceLock<Dc> = OnceLock::new();
    DC.get_or_init(|| start().unwrap_or_else(|e| panic!("cannot start the Samba test DC: {e}")))
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{cmd:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn script_hash() -> String {
    use std::hash::{Hash, Hasher};
    // DefaultHasher::new() uses fixed keys, so the hash is stable between runs of the same build.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    SCRIPT.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// Provisions the golden copy if it is missing or its 30-day certificates are getting old.
pub fn golden() -> Result<PathBuf, String> {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let golden = root.join(format!("samba-golden-{}", script_hash()));
    let marker = golden.join("READY");
    let fresh = std::fs::metadata(&marker)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|age| age < Duration::from_secs(20 * 86_400));
    // A golden copy moved with its target/ folder (cp -a of a build cache) still names its old
    // path in smb.conf, so a DC started from it would run on the original's files: provision anew.
    let in_place = std::fs::read_to_string(golden.join("etc/smb.conf"))
        .is_ok_and(|conf| conf.contains(&golden.display().to_string()));
    if fresh && in_place {
        return Ok(golden);
    }
    remove_old_goldens(&root, &golden);
    let tmp = root.join(format!("samba-golden-tmp-{}", std::process::id()));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/samba/provision-dc.sh");
    run(Command::new("bash").arg(&script).arg(&tmp).arg(IP))?;
    std::fs::write(tmp.join("READY"), b"").map_err(|e| format!("{}: {e}", tmp.display()))?;
    let _ = std::fs::remove_dir_all(&golden);
    // Rename is atomic: a concurrent process sees either no golden copy or a complete one.
    std::fs::rename(&tmp, &golden).map_err(|e| format!("rename golden: {e}"))?;
    // smb.conf names the directory it was provisioned in; point it at the golden path.
    relocate(&golden, &tmp)?;
    Ok(golden)
}

/// Removes golden copies of older provision scripts and half-made ones of dead processes (35 MB each).
fn remove_old_goldens(root: &Path, keep: &Path) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let stale = match name.strip_prefix("samba-golden-tmp-") {
            Some(pid) => !Path::new("/proc").join(pid).exists(),
            None => name.starts_with("samba-golden-") && e.path() != keep,
        };
        if stale {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Rewrites the absolute paths in smb.conf after a copy or move (docs/samba.md §1).
pub fn relocate(dir: &Path, from: &Path) -> Result<(), String> {
    let conf = dir.join("etc/smb.conf");
    let text = std::fs::read_to_string(&conf).map_err(|e| format!("{}: {e}", conf.display()))?;
    let text = text.replace(&from.display().to_string(), &dir.display().to_string());
    std::fs::write(&conf, text).map_err(|e| format!("{}: {e}", conf.display()))
}

/// Removes copies left by earlier test processes that are gone.
fn remove_stale_copies(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if let Some(pid) = name.strip_prefix("passdesk-dc-") {
            if !Path::new("/proc").join(pid).exists() {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

fn port_open(port: u16) -> bool {
    let addr: SocketAddr = format!("{IP}:{port}").parse().unwrap();
    TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
}

fn ldapsearch_ok(ca: &Path, bind: &str, pw: &str) -> bool {
    Command::new("ldapsearch")
        .env("LDAPTLS_CACERT", ca)
        .args([
            "-x",
            "-H",
            &format!("ldaps://{IP}"),
            "-D",
            bind,
            "-w",
            pw,
            "-s",
            "base",
            "-b",
            "",
            "dnsHostName",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn start() -> Result<Dc, String> {
    let t0 = Instant::now();
    let golden = golden()?;
    let tmp = std::env::temp_dir();
    remove_stale_copies(&tmp);
    let dir = tmp.join(format!("passdesk-dc-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    run(Command::new("cp").arg("-a").arg(&golden).arg(&dir))?;
    relocate(&dir, &golden)?;
    let _ = std::fs::remove_file(dir.join("READY"));

    // A DC of an earlier test binary may still be shutting down (its stdin just closed): wait for the ports.
    let deadline = Instant::now() + Duration::from_secs(20);
    while (port_open(389) || port_open(636)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    if port_open(636) {
        return Err(format!(
            "{IP}:636 is taken by another process; only one test DC per IP"
        ));
    }
    let log = std::fs::File::create(dir.join("log/stdout.log")).map_err(|e| e.to_string())?;
    let mut child = Command::new("samba")
        .args(["-i", "-M", "single", "-s"])
        .arg(dir.join("etc/smb.conf"))
        .stdin(Stdio::piped())
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log)
        .spawn()
        .map_err(|e| format!("samba: {e} (is the samba package installed?)"))?;
    let stdin = child.stdin.take().ok_or("no stdin pipe")?;
    let ca_file = dir.join("tls/ca.pem");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            let log = std::fs::read_to_string(dir.join("log/stdout.log")).unwrap_or_default();
            return Err(format!("samba exited with {status}: {log}"));
        }
        if port_open(636) && ldapsearch_ok(&ca_file, ADMIN_BIND, ADMIN_PASSWORD) {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            return Err("samba did not answer on ldaps within 60 s".into());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    // Lock jlocked for real: its PSO locks out after 3 bad passwords.
    for _ in 0..3 {
        let _ = ldapsearch_ok(&ca_file, "TEST\\jlocked", "wrong-password");
    }
    eprintln!(
        "samba test DC ready on {IP} in {:.1} s ({})",
        t0.elapsed().as_secs_f64(),
        dir.display()
    );
    let _ = std::io::stderr().flush();
    Ok(Dc {
        other_ca_file: dir.join("tls/other-ca.pem"),
        ca_file,
        dir,
        _stdin: Mutex::new(stdin),
        _child: Mutex::new(child),
    })
}

/// Binds to the test DC as a user over LDAPS with the test CA; Err((rc, diagnostic)) on refusal. The
/// diagnostic's "data XXX" tells why: 52e wrong password, 773 must change (so the password WAS right),
/// 775 locked, 533 disabled.
pub async fn bind_as(sam: &str, password: &str) -> Result<(), (u32, String)> {
    let mut ldap = ldaps().await;
    let r = ldap
        .simple_bind(&format!("TEST\\{sam}"), password)
        .await
        .unwrap();
    let _ = ldap.unbind().await;
    if r.rc == 0 {
        Ok(())
    } else {
        Err((r.rc, r.text))
    }
}

/// An LDAPS connection to the test DC bound as the domain's administrator.
pub async fn admin() -> ldap3::Ldap {
    let mut ldap = ldaps().await;
    ldap.simple_bind(ADMIN_BIND, ADMIN_PASSWORD)
        .await
        .unwrap()
        .success()
        .unwrap();
    ldap
}

/// An LDAPS connection to the test DC (TLS verified with the test CA), not yet bound.
pub async fn ldaps() -> ldap3::Ldap {
    use rustls::pki_types::{pem::PemObject, CertificateDer};
    let pem = std::fs::read(&dc().ca_file).unwrap();
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_slice_iter(&pem) {
        roots.add(c.unwrap()).unwrap();
    }
    let tls = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let settings = ldap3::LdapConnSettings::new().set_config(std::sync::Arc::new(tls));
    let (conn, ldap) = ldap3::LdapConnAsync::with_settings(settings, &dc().ldaps_url())
        .await
        .unwrap();
    ldap3::drive!(conn);
    ldap
}
