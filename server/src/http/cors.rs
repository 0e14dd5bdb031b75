//! CORS for the configured extension installs only (`cors_extension_ids`).
//!
//! The extension itself never needs CORS: its background worker calls the backend under the host
//! permission the options page requests, which browsers exempt from CORS. Browser pages of other
//! tools that call the API (an MSP's own dashboard built as an extension) are named here one by
//! one; with none configured the API answers no cross-origin request at all.
use std::{fmt, time::Duration};

use axum::http::{header, HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// One extension install allowed to call the API from its pages.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "String")]
pub enum ExtensionOrigin {
    /// A Chromium extension id (32 letters a–p, the same on every install of a packed extension).
    Chromium(String),
    /// A Firefox install's internal UUID (random per install: `about:debugging` shows it).
    Firefox(String),
}

impl ExtensionOrigin {
    /// Reads an id: a Chromium extension id, a Firefox internal UUID, or the whole origin
    /// (`chrome-extension://…`, `moz-extension://…`).
    pub fn parse(entry: &str) -> Result<Self, InvalidExtensionId> {
        let trimmed = entry.trim().trim_end_matches('/');
        let lowered = trimmed.to_ascii_lowercase();
        let id = lowered
            .strip_prefix("chrome-extension://")
            .or_else(|| lowered.strip_prefix("moz-extension://"))
            .unwrap_or(&lowered);
        let scheme_says_firefox = lowered.starts_with("moz-extension://");
        let scheme_says_chromium = lowered.starts_with("chrome-extension://");
        if is_chromium_id(id) && !scheme_says_firefox {
            return Ok(Self::Chromium(id.to_string()));
        }
        if is_uuid(id) && !scheme_says_chromium {
            return Ok(Self::Firefox(id.to_string()));
        }
        Err(InvalidExtensionId(trimmed.to_string()))
    }

    /// The `Origin` header value its pages send.
    pub fn origin(&self) -> String {
        match self {
            Self::Chromium(id) => format!("chrome-extension://{id}"),
            Self::Firefox(uuid) => format!("moz-extension://{uuid}"),
        }
    }
}

impl TryFrom<String> for ExtensionOrigin {
    type Error = InvalidExtensionId;

    fn try_from(entry: String) -> Result<Self, Self::Error> {
        Self::parse(&entry)
    }
}

impl fmt::Debug for ExtensionOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.origin())
    }
}

/// An entry of `cors_extension_ids` that is no extension id.
#[derive(Debug, thiserror::Error)]
#[error(
    "\"{0}\" in cors_extension_ids is neither a Chromium extension id (32 letters a-p) nor a \
     Firefox internal UUID"
)]
pub struct InvalidExtensionId(pub String);

/// 32 letters a–p: how Chromium spells an extension id (the key's SHA-256, nibble by nibble).
pub(crate) fn is_chromium_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| (b'a'..=b'p').contains(&b))
}

fn is_uuid(id: &str) -> bool {
    let groups: Vec<&str> = id.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The CORS layer for these origins, or none when the list is empty (no cross-origin caller).
/// Token auth, no cookies, so credentials stay off.
pub fn layer(origins: &[ExtensionOrigin]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let allowed: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(&o.origin()).ok())
        .collect();
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(allowed))
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
            .max_age(Duration::from_secs(600)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_origins_of_both_browsers_are_read() {
        let chromium = "abcdefghijklmnopabcdefghijklmnop";
        let uuid = "6c3d0a4e-1111-2222-3333-444455556666";
        for entry in [
            chromium,
            &format!("chrome-extension://{chromium}/"),
            &chromium.to_uppercase(),
        ] {
            assert_eq!(
                ExtensionOrigin::parse(entry).unwrap(),
                ExtensionOrigin::Chromium(chromium.into()),
                "{entry}"
            );
        }
        for entry in [uuid, &format!("moz-extension://{uuid}")] {
            assert_eq!(
                ExtensionOrigin::parse(entry).unwrap(),
                ExtensionOrigin::Firefox(uuid.into()),
                "{entry}"
            );
        }
        assert_eq!(
            ExtensionOrigin::parse(uuid).unwrap().origin(),
            format!("moz-extension://{uuid}")
        );
    }

    #[test]
    fn anything_else_is_refused_with_the_entry_named() {
        for entry in [
            "",
            "*",
            "chrome-extension://*",
            "abcdefghijklmnopabcdefghijklmnoz",
            "passdesk@passdesk.example",
            "https://evil.example",
            "moz-extension://abcdefghijklmnopabcdefghijklmnop",
            "chrome-extension://6c3d0a4e-1111-2222-3333-444455556666",
        ] {
            let err = ExtensionOrigin::parse(entry).unwrap_err();
            assert!(err.to_string().contains(&format!("\"{entry}\"")), "{err}");
        }
    }

    #[test]
    fn no_configured_origin_means_no_cors_layer() {
        assert!(layer(&[]).is_none());
        assert!(layer(&[ExtensionOrigin::Chromium("a".repeat(32))]).is_some());
    }
}
