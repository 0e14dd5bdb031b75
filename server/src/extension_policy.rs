//! The managed policy an MSP deploys to its technicians' browsers (`passdesk extension-policy`):
//! values for the extension's `storage.managed` (`extension/managed_schema.json`), in Chrome/Edge's
//! policy file form and in Firefox's `policies.json`, optionally with the force-install entry.
//!
//! The backend URL is checked as the extension checks it (`normalizeBaseUrl` in
//! `extension/lib/api-client.js`): `https://`, `http://` only for this machine, no user, query or
//! fragment. The ids come from the repository's `manifest.json`: the Chromium id from its public
//! `key`, the Firefox id from `browser_specific_settings.gecko.id`.
use std::net::Ipv6Addr;

use base64::Engine as _;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use url::{Host, Url};

/// The one manifest of the extension (repo root), read at build time so the ids cannot drift.
const MANIFEST: &str = include_str!("../../manifest.json");

/// Why a policy cannot be made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PolicyError {
    /// The backend URL the extension would refuse.
    #[error("--backend {0}: {1}")]
    Backend(String, &'static str),
    /// An on-premise host that is no host name.
    #[error("--onprem-host {0}: not a host name or an http(s):// address")]
    OnpremHost(String),
    /// A `--chrome-id` that is no Chromium id.
    #[error("--chrome-id {0}: a Chromium extension id is 32 letters a-p")]
    ChromeId(String),
    /// An install URL that is not https.
    #[error("{0} {1}: must be an https:// address")]
    InstallUrl(&'static str, String),
    /// The manifest lacks a key or gecko id (a broken checkout).
    #[error("manifest.json: {0}")]
    Manifest(&'static str),
}

/// The extension's ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionIds {
    /// Chromium's id (Chrome, Edge, Chromium).
    pub chromium: String,
    /// Firefox's add-on id.
    pub gecko: String,
}

impl ExtensionIds {
    /// The ids of the extension this binary was built with.
    pub fn of_manifest() -> Result<Self, PolicyError> {
        Self::from_manifest(MANIFEST)
    }

    /// The ids a manifest's `key` and gecko id give.
    pub fn from_manifest(text: &str) -> Result<Self, PolicyError> {
        let m: Value = serde_json::from_str(text).map_err(|_| PolicyError::Manifest("not JSON"))?;
        let key = m["key"]
            .as_str()
            .ok_or(PolicyError::Manifest("no \"key\""))?;
        let gecko = m["browser_specific_settings"]["gecko"]["id"]
            .as_str()
            .ok_or(PolicyError::Manifest("no gecko id"))?;
        Ok(Self {
            chromium: chromium_id(key)?,
            gecko: gecko.to_string(),
        })
    }
}

/// Chromium's id for a manifest `key`: SHA-256 of the DER public key, its first 32 hex digits
/// spelled with the letters a-p.
pub fn chromium_id(key_base64: &str) -> Result<String, PolicyError> {
    let der = base64::engine::general_purpose::STANDARD
        .decode(key_base64.trim())
        .map_err(|_| PolicyError::Manifest("\"key\" is not base64"))?;
    let digest = Sha256::digest(der);
    Ok(digest[..16]
        .iter()
        .flat_map(|b| [b >> 4, b & 0x0f])
        .map(|nibble| char::from(b'a' + nibble))
        .collect())
}

/// What the MSP asks for.
#[derive(Debug, Clone, Default)]
pub struct PolicyRequest {
    /// The backend URL as typed.
    pub backend: String,
    /// On-premise ConnectWise hosts as typed.
    pub onprem_hosts: Vec<String>,
    /// Technicians may not override the managed values.
    pub locked: bool,
    /// The Chromium id to name instead of the key's (a Chrome Web Store listing has its own).
    pub chrome_id: Option<String>,
    /// Chrome/Edge: force-install from this update URL (the Web Store's, or a self-hosted one).
    pub chrome_update_url: Option<String>,
    /// Firefox: force-install from this .xpi URL.
    pub firefox_install_url: Option<String>,
}

/// Both policy documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Policies {
    /// The ids named.
    pub ids: ExtensionIds,
    /// Chrome/Edge/Chromium policy (a JSON file in `…/policies/managed/` on Linux).
    pub chrome: Value,
    /// Firefox `policies.json`.
    pub firefox: Value,
}

/// Builds both documents, or says which argument is wrong.
pub fn policies(req: &PolicyRequest) -> Result<Policies, PolicyError> {
    let mut ids = ExtensionIds::of_manifest()?;
    if let Some(id) = &req.chrome_id {
        let id = id.trim().to_ascii_lowercase();
        if !crate::http::cors::is_chromium_id(&id) {
            return Err(PolicyError::ChromeId(id));
        }
        ids.chromium = id;
    }
    let mut values = Map::new();
    values.insert("backendUrl".into(), json!(backend_url(&req.backend)?));
    if !req.onprem_hosts.is_empty() {
        let hosts = req
            .onprem_hosts
            .iter()
            .map(|h| onprem_host(h))
            .collect::<Result<Vec<_>, _>>()?;
        values.insert("onpremHosts".into(), json!(hosts));
    }
    if req.locked {
        values.insert("locked".into(), json!(true));
    }
    let values = Value::Object(values);

    let mut chrome = json!({ "3rdparty": { "extensions": { &ids.chromium: values } } });
    if let Some(url) = &req.chrome_update_url {
        chrome["ExtensionSettings"] = json!({ &ids.chromium: {
            "installation_mode": "force_installed",
            "update_url": https_url("--chrome-update-url", url)?,
        }});
    }
    let mut firefox =
        json!({ "policies": { "3rdparty": { "Extensions": { &ids.gecko: values } } } });
    if let Some(url) = &req.firefox_install_url {
        firefox["policies"]["ExtensionSettings"] = json!({ &ids.gecko: {
            "installation_mode": "force_installed",
            "install_url": https_url("--firefox-install-url", url)?,
        }});
    }
    Ok(Policies {
        ids,
        chrome,
        firefox,
    })
}

/// The backend URL as the extension stores it: origin + path without trailing slashes.
pub fn backend_url(raw: &str) -> Result<String, PolicyError> {
    let bad = |why| PolicyError::Backend(raw.to_string(), why);
    let url = Url::parse(raw.trim()).map_err(|_| bad("not a valid address"))?;
    let loopback = match url.host() {
        Some(Host::Domain(d)) => {
            let d = d.to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip == Ipv6Addr::LOCALHOST,
        None => false,
    };
    // Cleartext only to this machine: the token and passwords must never cross a network unencrypted.
    if !(url.scheme() == "https" || (url.scheme() == "http" && loopback)) {
        return Err(bad("must start with https:// (http:// only for a backend on this machine: 127.0.0.1, [::1], localhost)"));
    }
    if !url.username().is_empty()
        || url.password().is_some()
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err(bad(
            "must not carry a user name, password, query or fragment",
        ));
    }
    Ok(format!(
        "{}{}",
        url.origin().ascii_serialization(),
        url.path().trim_end_matches('/')
    ))
}

/// An on-premise host as the options page takes it (`hostToPattern` in `extension/lib/onprem.js`):
/// a bare host name, or an http(s) address of which only the scheme and host count.
pub fn onprem_host(raw: &str) -> Result<String, PolicyError> {
    let s = raw.trim();
    let has_scheme = s.contains("://");
    let url = Url::parse(&if has_scheme {
        s.to_string()
    } else {
        format!("https://{s}")
    })
    .map_err(|_| PolicyError::OnpremHost(raw.to_string()))?;
    let host = match url.host() {
        Some(h) if ["http", "https"].contains(&url.scheme()) && !s.is_empty() => h.to_string(),
        _ => return Err(PolicyError::OnpremHost(raw.to_string())),
    };
    Ok(if has_scheme {
        format!("{}://{host}", url.scheme())
    } else {
        host
    })
}

fn https_url(flag: &'static str, raw: &str) -> Result<String, PolicyError> {
    match Url::parse(raw.trim()) {
        Ok(u) if u.scheme() == "https" && u.host().is_some() => Ok(u.to_string()),
        _ => Err(PolicyError::InstallUrl(flag, raw.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(backend: &str) -> PolicyRequest {
        PolicyRequest {
            backend: backend.into(),
            ..Default::default()
        }
    }

    #[test]
    fn backend_urls_are_checked_as_the_extension_checks_them() {
        for (raw, want) in [
            (
                "https://passdesk.example.com/",
                "https://passdesk.example.com",
            ),
            (
                " https://passdesk.example.com/pd// ",
                "https://passdesk.example.com/pd",
            ),
            (
                "https://passdesk.example.com:443/",
                "https://passdesk.example.com",
            ),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://127.8.9.10", "http://127.8.9.10"),
            ("http://localhost:1", "http://localhost:1"),
            ("http://[::1]:9", "http://[::1]:9"),
            ("http://demo.localhost", "http://demo.localhost"),
            ("http://0x7f.1", "http://127.0.0.1"),
        ] {
            assert_eq!(backend_url(raw).as_deref(), Ok(want), "{raw}");
        }
        for raw in [
            "http://passdesk.example.com",
            "http://10.0.0.5:8080",
            "http://127.0.0.1.nip.io",
            "http://localhost.example.com",
            "http://[::2]",
            "ftp://127.0.0.1",
            "passdesk.example.com",
        ] {
            assert!(
                matches!(backend_url(raw), Err(PolicyError::Backend(..))),
                "{raw}"
            );
        }
        for raw in [
            "https://u:p@passdesk.example.com",
            "https://passdesk.example.com/?token=x",
            "https://passdesk.example.com/#x",
        ] {
            let err = backend_url(raw).unwrap_err().to_string();
            assert!(
                err.contains("user name, password, query or fragment"),
                "{raw}: {err}"
            );
        }
    }

    #[test]
    fn onprem_hosts_keep_only_scheme_and_host() {
        assert_eq!(
            onprem_host(" cw.example.com ").as_deref(),
            Ok("cw.example.com")
        );
        assert_eq!(
            onprem_host("https://CW.example.com:8443/v4_6_release/").as_deref(),
            Ok("https://cw.example.com")
        );
        assert_eq!(onprem_host("http://cw.lan").as_deref(), Ok("http://cw.lan"));
        for raw in ["", "ftp://cw.example.com", "cw example"] {
            assert_eq!(
                onprem_host(raw),
                Err(PolicyError::OnpremHost(raw.into())),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn the_ids_come_from_the_manifest_key_and_gecko_id() {
        // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223…, spelled a-p.
        let manifest = r#"{"key": "YWJj", "browser_specific_settings": {"gecko": {"id": "x@y"}}}"#;
        assert_eq!(
            ExtensionIds::from_manifest(manifest),
            Ok(ExtensionIds {
                chromium: "lkhibglpipabmpokebebeanofnkocccd".into(),
                gecko: "x@y".into()
            })
        );
        assert_eq!(
            ExtensionIds::from_manifest(r#"{"browser_specific_settings": {}}"#),
            Err(PolicyError::Manifest("no \"key\""))
        );
        let ours = ExtensionIds::of_manifest().unwrap();
        assert!(crate::http::cors::is_chromium_id(&ours.chromium));
        assert!(ours.gecko.contains('@'));
    }

    #[test]
    fn both_documents_name_the_ids_and_carry_the_same_values() {
        let p = policies(&PolicyRequest {
            onprem_hosts: vec!["cw.example.com".into()],
            locked: true,
            ..request("https://passdesk.example.com/")
        })
        .unwrap();
        let values = json!({
            "backendUrl": "https://passdesk.example.com",
            "onpremHosts": ["cw.example.com"],
            "locked": true,
        });
        assert_eq!(
            p.chrome,
            json!({ "3rdparty": { "extensions": { &p.ids.chromium: values } } })
        );
        assert_eq!(
            p.firefox,
            json!({ "policies": { "3rdparty": { "Extensions": { &p.ids.gecko: values } } } })
        );
        // Without hosts and unlocked, neither key is written (the technician's own values apply).
        let plain = policies(&request("https://passdesk.example.com")).unwrap();
        assert_eq!(
            plain.chrome["3rdparty"]["extensions"][&plain.ids.chromium],
            json!({ "backendUrl": "https://passdesk.example.com" })
        );
    }

    #[test]
    fn force_install_entries_only_when_asked_and_only_over_https() {
        let store = "abcdefghijklmnopabcdefghijklmnop";
        let p = policies(&PolicyRequest {
            chrome_id: Some(store.to_uppercase()),
            chrome_update_url: Some("https://clients2.google.com/service/update2/crx".into()),
            firefox_install_url: Some("https://msp.example/passdesk.xpi".into()),
            ..request("https://passdesk.example.com")
        })
        .unwrap();
        assert_eq!(p.ids.chromium, store);
        assert_eq!(
            p.chrome["ExtensionSettings"][store],
            json!({"installation_mode": "force_installed", "update_url": "https://clients2.google.com/service/update2/crx"})
        );
        assert!(p.chrome["3rdparty"]["extensions"][store].is_object());
        assert_eq!(
            p.firefox["policies"]["ExtensionSettings"][&p.ids.gecko]["install_url"],
            "https://msp.example/passdesk.xpi"
        );
        assert!(policies(&request("https://passdesk.example.com"))
            .unwrap()
            .chrome
            .get("ExtensionSettings")
            .is_none());
        assert_eq!(
            policies(&PolicyRequest {
                firefox_install_url: Some("http://msp.example/passdesk.xpi".into()),
                ..request("https://passdesk.example.com")
            }),
            Err(PolicyError::InstallUrl(
                "--firefox-install-url",
                "http://msp.example/passdesk.xpi".into()
            ))
        );
        assert_eq!(
            policies(&PolicyRequest {
                chrome_id: Some("not-an-id".into()),
                ..request("https://passdesk.example.com")
            }),
            Err(PolicyError::ChromeId("not-an-id".into()))
        );
    }
}
