//! A customer site on this machine: a network namespace holding a real Samba AD DC that listens
//! only on the namespace's own loopback, joined to the test's namespace by a veth pair
//! (198.18.0.1 here, 198.18.0.2 at the site; nothing routes beyond). Needs root.
//!
//! Cleanup: [`Site`]'s `Drop` (also on a failing test) kills every process in the namespace and
//! deletes it with its veth pair; namespaces left by a killed test process are removed by the next
//! run (their names carry the dead process's id).
use std::{
    path::{Path, PathBuf},
    process::{Child, ChildStdin, Command, Stdio},
    time::{Duration, Instant},
};

use super::samba::{self, ADMIN_BIND, ADMIN_PASSWORD};

/// The test namespace's end of the veth pair: where the backend listens.
pub const HQ_IP: &str = "198.18.0.1";
/// The site's end.
pub const SITE_IP: &str = "198.18.0.2";
const PREFIX: &str = "pdsite";

/// A running site.
pub struct Site {
    /// Namespace name.
    pub netns: String,
    /// The site's veth end (inside the namespace).
    pub site_if: String,
    /// Folder of this site's DC copy.
    pub dc_dir: PathBuf,
    /// CA of the DC certificate.
    pub dc_ca: PathBuf,
    dc: Option<(Child, ChildStdin)>,
    hq_if: String,
}

fn sh(cmd: &mut Command) -> Result<String, String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{cmd:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn ip(args: &[&str]) -> Result<String, String> {
    sh(Command::new("ip").args(args))
}

/// Kills what runs in `netns` and deletes it (its veth pair goes with it).
fn remove_netns(netns: &str) {
    if let Ok(pids) = ip(&["netns", "pids", netns]) {
        for pid in pids.split_whitespace() {
            let _ = Command::new("kill").args(["-9", pid]).status();
        }
    }
    let _ = ip(&["netns", "del", netns]);
}

/// Removes sites of earlier test processes that are gone.
fn remove_stale() {
    let Ok(list) = ip(&["netns", "list"]) else {
        return;
    };
    for line in list.lines() {
        let name = line.split_whitespace().next().unwrap_or("");
        if let Some(pid) = name.strip_prefix(PREFIX) {
            if !Path::new("/proc").join(pid).exists() {
                remove_netns(name);
            }
        }
    }
}

impl Site {
    /// Creates the namespace and the link, then starts the DC inside.
    pub fn start() -> Result<Site, String> {
        remove_stale();
        let pid = std::process::id();
        let netns = format!("{PREFIX}{pid}");
        let hq_if = format!("pdh{pid}");
        let site_if = format!("pds{pid}");
        let mut site = Site {
            netns: netns.clone(),
            site_if: site_if.clone(),
            dc_dir: std::env::temp_dir().join(format!("passdesk-site-dc-{pid}")),
            dc_ca: PathBuf::new(),
            dc: None,
            hq_if: hq_if.clone(),
        };
        ip(&["netns", "add", &netns])?;
        ip(&[
            "link", "add", &hq_if, "type", "veth", "peer", "name", &site_if,
        ])?;
        ip(&["link", "set", &site_if, "netns", &netns])?;
        ip(&["addr", "add", &format!("{HQ_IP}/30"), "dev", &hq_if])?;
        ip(&["link", "set", &hq_if, "up"])?;
        ip(&[
            "-n",
            &netns,
            "addr",
            "add",
            &format!("{SITE_IP}/30"),
            "dev",
            &site_if,
        ])?;
        ip(&["-n", &netns, "link", "set", &site_if, "up"])?;
        ip(&["-n", &netns, "link", "set", "lo", "up"])?;
        site.start_dc()?;
        Ok(site)
    }

    /// `ip netns exec <site> <program>`.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new("ip");
        cmd.args(["netns", "exec", &self.netns]).arg(program);
        cmd
    }

    fn start_dc(&mut self) -> Result<(), String> {
        let t0 = Instant::now();
        let golden = samba::golden()?;
        let _ = std::fs::remove_dir_all(&self.dc_dir);
        sh(Command::new("cp").arg("-a").arg(&golden).arg(&self.dc_dir))?;
        samba::relocate(&self.dc_dir, &golden)?;
        let log =
            std::fs::File::create(self.dc_dir.join("log/stdout.log")).map_err(|e| e.to_string())?;
        let mut child = self
            .command("samba")
            .args(["-i", "-M", "single", "-s"])
            .arg(self.dc_dir.join("etc/smb.conf"))
            .stdin(Stdio::piped())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("samba: {e}"))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        self.dc_ca = self.dc_dir.join("tls/ca.pem");
        self.dc = Some((child, stdin));
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.bind(ADMIN_BIND, ADMIN_PASSWORD).is_err() {
            if Instant::now() > deadline {
                return Err("the site DC did not answer on ldaps within 60 s".into());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        eprintln!(
            "site DC ready in namespace {} in {:.1} s",
            self.netns,
            t0.elapsed().as_secs_f64()
        );
        Ok(())
    }

    /// A simple bind on the site DC, from inside the site: Err(diagnostic) on refusal. "data 773"
    /// means the password was right but must be changed; "data 775" locked out.
    pub fn bind(&self, bind: &str, password: &str) -> Result<(), String> {
        let out = self
            .command("ldapsearch")
            .env("LDAPTLS_CACERT", &self.dc_ca)
            .args([
                "-x",
                "-H",
                &format!("ldaps://{}", samba::IP),
                "-D",
                bind,
                "-w",
                password,
            ])
            .args(["-s", "base", "-b", "", "dnsHostName"])
            .output()
            .map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    /// Takes the site's link down or up (a silent loss: no socket error by itself).
    pub fn link(&self, up: bool) {
        ip(&[
            "-n",
            &self.netns,
            "link",
            "set",
            &self.site_if,
            if up { "up" } else { "down" },
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        if let Some((mut child, stdin)) = self.dc.take() {
            drop(stdin);
            let _ = child.kill();
            let _ = child.wait();
        }
        remove_netns(&self.netns);
        let _ = ip(&["link", "del", &self.hq_if]);
        let _ = std::fs::remove_dir_all(&self.dc_dir);
    }
}
