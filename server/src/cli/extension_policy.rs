//! `passdesk extension-policy --backend URL [--onprem-host H]... [--locked] [--browser chrome|firefox]`:
//! prints the managed policy for the technicians' browsers (`crate::extension_policy`). It holds no
//! secret: the technician token is never part of a policy.
use std::process::ExitCode;

use crate::extension_policy::{policies, PolicyRequest};

/// Arguments of `passdesk extension-policy`.
#[derive(Debug, clap::Args)]
pub struct ExtensionPolicyArgs {
    /// The backend URL the extension uses (https://; http:// only for this machine).
    #[arg(long, value_name = "URL")]
    pub backend: String,
    /// An on-premise ConnectWise host the panel runs on (repeat for more).
    #[arg(long = "onprem-host", value_name = "HOST")]
    pub onprem_hosts: Vec<String>,
    /// Technicians may not override the backend URL and hosts in the options page.
    #[arg(long)]
    pub locked: bool,
    /// Print only this browser's document, as plain JSON (to write it to a file).
    #[arg(long, value_parser = ["chrome", "firefox"])]
    pub browser: Option<String>,
    /// The Chromium id to name instead of the one of manifest.json's key (a Chrome Web Store listing).
    #[arg(long, value_name = "ID")]
    pub chrome_id: Option<String>,
    /// Also force-install in Chrome/Edge from this update URL (the Web Store's or a self-hosted one).
    #[arg(long, value_name = "URL")]
    pub chrome_update_url: Option<String>,
    /// Also force-install in Firefox from this .xpi URL.
    #[arg(long, value_name = "URL")]
    pub firefox_install_url: Option<String>,
}

/// Runs `passdesk extension-policy`.
pub fn run(a: ExtensionPolicyArgs) -> ExitCode {
    let req = PolicyRequest {
        backend: a.backend,
        onprem_hosts: a.onprem_hosts,
        locked: a.locked,
        chrome_id: a.chrome_id,
        chrome_update_url: a.chrome_update_url,
        firefox_install_url: a.firefox_install_url,
    };
    let p = match policies(&req) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("passdesk extension-policy: {e}");
            return ExitCode::from(2);
        }
    };
    let pretty = |v| serde_json::to_string_pretty(v).unwrap_or_default();
    match a.browser.as_deref() {
        Some("chrome") => println!("{}", pretty(&p.chrome)),
        Some(_) => println!("{}", pretty(&p.firefox)),
        None => {
            println!(
                "# Chrome / Edge / Chromium (extension id {}). Linux: a file in /etc/opt/chrome/policies/managed/,\n\
                 # /etc/opt/edge/policies/managed/ or /etc/chromium/policies/managed/. Windows (GPO/registry): the\n\
                 # \"3rdparty\" values under Software\\Policies\\Google\\Chrome (Microsoft\\Edge)\\3rdparty\\extensions\\<id>\\policy.",
                p.ids.chromium
            );
            println!("{}", pretty(&p.chrome));
            println!(
                "# Firefox (add-on id {}): policies.json in <Firefox install dir>/distribution/ or /etc/firefox/policies/.",
                p.ids.gecko
            );
            println!("{}", pretty(&p.firefox));
        }
    }
    ExitCode::SUCCESS
}
