//! Duo push through the Auth API v2: `preauth` (the user must be able to authenticate: `allow`
//! would be a bypass, not a verification), `auth` with `factor=push`, `async=1` → `txid`, then
//! `auth_status` until the result is final. Only `allow/allow` is an approval. Requests are signed
//! with Duo's current scheme, "v5" ([`signing`]): HMAC-SHA512 over the canonical request.
use std::{collections::BTreeMap, time::Duration};

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::Value;

use super::{api_base, retry_after, ProviderError, PushSender, PushState};
use crate::directory::secret::Secret;

/// Duo's request signing, v5 (the canonical request of duo_client_python / duo_api_golang).
pub mod signing {
    use hmac::{Hmac, Mac};
    use sha2::{Digest, Sha512};

    /// Percent-encodes all but `A-Za-z0-9-._~` (space is `%20`, hex upper case).
    pub fn quote(s: &str) -> String {
        let mut out = String::new();
        for b in s.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }

    /// `k=v` pairs, encoded, sorted by key then value, joined by `&`.
    pub fn canon_params(params: &[(String, String)]) -> String {
        let mut pairs: Vec<(String, String)> =
            params.iter().map(|(k, v)| (quote(k), quote(v))).collect();
        pairs.sort();
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The `x-duo-*` headers, names lower-cased, sorted, as `name\0value\0name\0value`.
    pub fn canon_x_duo_headers(headers: &[(String, String)]) -> String {
        let mut duo: Vec<(String, &str)> = headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.as_str()))
            .filter(|(k, _)| k.starts_with("x-duo-"))
            .collect();
        duo.sort();
        duo.iter()
            .flat_map(|(k, v)| [k.as_str(), *v])
            .collect::<Vec<_>>()
            .join("\0")
    }

    fn sha512_hex(data: &[u8]) -> String {
        hex::encode(Sha512::digest(data))
    }

    /// The v5 canonical request: date, METHOD, host, path, query parameters, SHA-512 of the body,
    /// SHA-512 of the `x-duo-*` headers, joined by newlines.
    pub fn canonical_v5(
        date: &str,
        method: &str,
        host: &str,
        path: &str,
        query: &[(String, String)],
        body: &str,
        headers: &[(String, String)],
    ) -> String {
        [
            date.to_string(),
            method.to_ascii_uppercase(),
            host.to_ascii_lowercase(),
            path.to_string(),
            canon_params(query),
            sha512_hex(body.as_bytes()),
            sha512_hex(canon_x_duo_headers(headers).as_bytes()),
        ]
        .join("\n")
    }

    /// Hex HMAC-SHA512 of `canonical` under the secret key.
    pub fn signature(skey: &str, canonical: &str) -> String {
        let mut mac = Hmac::<Sha512>::new_from_slice(skey.as_bytes()).expect("any key length");
        mac.update(canonical.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Constant-time check of a hex signature.
    pub fn verify(skey: &str, canonical: &str, hex_sig: &str) -> bool {
        let Ok(sig) = hex::decode(hex_sig) else {
            return false;
        };
        let mut mac = Hmac::<Sha512>::new_from_slice(skey.as_bytes()).expect("any key length");
        mac.update(canonical.as_bytes());
        mac.verify_slice(&sig).is_ok()
    }

    /// The `Date` value: RFC 2822 as Duo writes it (`Tue, 21 Aug 2012 17:29:18 -0000`).
    pub fn date_now() -> String {
        chrono::Utc::now()
            .format("%a, %d %b %Y %H:%M:%S -0000")
            .to_string()
    }
}

/// Which account attribute is the Duo username.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuoUsernameAttribute {
    /// `sAMAccountName` (Duo's AD sync default).
    #[default]
    SamAccountName,
    /// `userPrincipalName`.
    Upn,
}

/// `[verification.duo]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DuoConfig {
    /// `api-XXXXXXXX.duosecurity.com` (signed as the request's host).
    pub api_host: String,
    /// Integration key (`DI…`).
    pub integration_key: String,
    /// Secret key (or `secret_key_env`).
    #[serde(default)]
    pub secret_key: Option<Secret>,
    /// Environment variable holding it.
    #[serde(default)]
    pub secret_key_env: Option<String>,
    /// Which attribute is the Duo username (default `sam_account_name`).
    #[serde(default)]
    pub username_attribute: DuoUsernameAttribute,
    /// Where to send requests instead of `https://{api_host}` (http only to loopback: the simulator).
    #[serde(default)]
    pub api_url: Option<String>,
    /// Seconds a request may take (default 15).
    #[serde(default)]
    pub timeout_secs: Option<u64>,
}

/// Sends Duo pushes.
pub struct DuoPush {
    http: reqwest::Client,
    base: String,
    host: String,
    ikey: String,
    skey: Secret,
    sender_name: String,
}

/// A Duo failure body: `{"stat":"FAIL","code":40103,"message":"…"}`.
#[derive(Deserialize, Default)]
struct DuoFail {
    #[serde(default)]
    code: Option<u64>,
    #[serde(default)]
    message: Option<String>,
}

impl DuoPush {
    /// From the config (no request yet).
    pub fn new(cfg: &DuoConfig, sender_name: &str) -> Result<Self, String> {
        let host = cfg.api_host.trim().to_ascii_lowercase();
        if host.is_empty() || host.contains(['/', ':']) {
            return Err(
                "[verification.duo] api_host is a host name like api-XXXXXXXX.duosecurity.com"
                    .into(),
            );
        }
        let base = api_base(cfg.api_url.as_deref().unwrap_or(&format!("https://{host}")))
            .map_err(|e| format!("[verification.duo] api_url: {e}"))?;
        let skey = Secret::resolve(
            cfg.secret_key.as_ref(),
            cfg.secret_key_env.as_deref(),
            "secret_key",
        )
        .map_err(|e| format!("[verification.duo] {e}"))?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(cfg.timeout_secs.unwrap_or(15)))
            .build()
            .map_err(|e| format!("[verification.duo] HTTP client: {e}"))?;
        Ok(Self {
            http,
            base,
            host,
            ikey: cfg.integration_key.trim().to_string(),
            skey,
            sender_name: sender_name.to_string(),
        })
    }

    /// One signed call; the `response` object of an OK answer.
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        query: &[(String, String)],
        body: Option<&BTreeMap<&str, String>>,
        timeout: Option<Duration>,
    ) -> Result<Value, ProviderError> {
        let date = signing::date_now();
        // v5: JSON bodies with sorted keys and no spaces (BTreeMap + compact serde_json).
        let body_text = match body {
            Some(b) => serde_json::to_string(b).unwrap_or_default(),
            None => String::new(),
        };
        let canonical = signing::canonical_v5(
            &date,
            method.as_str(),
            &self.host,
            path,
            query,
            &body_text,
            &[],
        );
        let sig = signing::signature(self.skey.expose(), &canonical);
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header(reqwest::header::DATE, &date)
            .basic_auth(&self.ikey, Some(sig));
        if !query.is_empty() {
            request = request.query(query);
        }
        if body.is_some() {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body_text);
        }
        if let Some(t) = timeout {
            request = request.timeout(t);
        }
        let response = request.send().await.map_err(|e| {
            if e.is_timeout() {
                ProviderError::Unavailable("timeout".into())
            } else {
                ProviderError::Unavailable(format!("cannot reach Duo: {}", e.without_url()))
            }
        })?;
        let status = response.status();
        let wait = retry_after(response.headers());
        let text = response.text().await.unwrap_or_default();
        if status.is_success() {
            let v: Value = serde_json::from_str(&text).map_err(|_| {
                ProviderError::Unavailable("Duo answered something that is not JSON".into())
            })?;
            if v["stat"] == "OK" {
                return Ok(v["response"].clone());
            }
        }
        let fail: DuoFail = serde_json::from_str(&text).unwrap_or_default();
        let what = format!(
            "Duo {} (HTTP {}): {}",
            fail.code.unwrap_or_default(),
            status.as_u16(),
            fail.message.unwrap_or_default()
        );
        Err(match status.as_u16() {
            429 => ProviderError::RateLimited {
                message: what,
                retry_after: wait,
            },
            400..=499 => ProviderError::Refused(what),
            _ => ProviderError::Unavailable(what),
        })
    }
}

#[async_trait]
impl PushSender for DuoPush {
    async fn start_push(&self, username: &str, ticket: u64) -> Result<String, ProviderError> {
        let mut pre = BTreeMap::new();
        pre.insert("username", username.to_string());
        let answer = self
            .call(
                reqwest::Method::POST,
                "/auth/v2/preauth",
                &[],
                Some(&pre),
                None,
            )
            .await?;
        match answer["result"].as_str() {
            Some("auth") => {}
            // allow = the user bypasses 2FA: that proves nothing about the caller.
            other => {
                return Err(ProviderError::Refused(format!(
                    "Duo cannot push to this user (preauth: {})",
                    other.unwrap_or("?")
                )))
            }
        }
        let mut auth = BTreeMap::new();
        auth.insert("username", username.to_string());
        auth.insert("factor", "push".to_string());
        auth.insert("device", "auto".to_string());
        auth.insert("async", "1".to_string());
        auth.insert("type", format!("{} verification", self.sender_name));
        auth.insert("pushinfo", format!("ticket={ticket}"));
        let answer = self
            .call(
                reqwest::Method::POST,
                "/auth/v2/auth",
                &[],
                Some(&auth),
                None,
            )
            .await?;
        answer["txid"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| ProviderError::Unavailable("Duo gave no txid".into()))
    }

    async fn push_status(&self, txid: &str) -> Result<PushState, ProviderError> {
        let query = [("txid".to_string(), txid.to_string())];
        // auth_status long-polls: a poll that outlasts this is simply "still waiting".
        let answer = match self
            .call(
                reqwest::Method::GET,
                "/auth/v2/auth_status",
                &query,
                None,
                Some(Duration::from_secs(10)),
            )
            .await
        {
            Err(ProviderError::Unavailable(m)) if m == "timeout" => return Ok(PushState::Waiting),
            other => other?,
        };
        Ok(push_state(
            answer["result"].as_str().unwrap_or_default(),
            answer["status"].as_str().unwrap_or_default(),
        ))
    }
}

/// Duo's `result` / `status` as a push state: only `allow/allow` is an approval (`allow/bypass`
/// is a user exempt from 2FA, not a human answer).
pub fn push_state(result: &str, status: &str) -> PushState {
    match (result, status) {
        ("waiting", _) => PushState::Waiting,
        ("allow", "allow") => PushState::Approved,
        (_, "timeout") => PushState::Timeout,
        _ => PushState::Denied,
    }
}

#[cfg(test)]
mod tests {
    use super::{signing::*, *};

    // Duo's documented example (duo_api_golang TestSign / TestSignV5).
    const SKEY: &str = "Zh5eGmUq9zpfQnyUIu5OL9iWoMMv5ZNmk3zLJ4Ep";
    const DATE: &str = "Tue, 21 Aug 2012 17:29:18 -0000";
    const HOST: &str = "api-XXXXXXXX.duosecurity.com";
    const PATH: &str = "/accounts/v1/account/list";

    #[test]
    fn v5_signature_matches_duos_vector() {
        let canonical = canonical_v5(
            DATE,
            "post",
            "API-xxxxxxxx.duosecurity.com",
            PATH,
            &[("realname".into(), "First Last".into())],
            r#"{"txid":"f22b1678-252a-4070-b176-0ca2be7319fd"}"#,
            &[],
        );
        let sig = signature(SKEY, &canonical);
        assert_eq!(
            sig,
            "78f4327f831173cc78d0907e913e3c5a28fe72dd4545a342586bb67181f2ba393d20911e870362f6faba3dc6f7e9db5e93aed2f3bfc110c6dadaff4dc6179e0b"
        );
        assert!(verify(SKEY, &canonical, &sig));
        assert!(!verify("another key", &canonical, &sig));
        assert!(!verify(SKEY, &canonical.replace("POST", "GET"), &sig));
    }

    #[test]
    fn parameters_are_encoded_and_sorted_like_duo() {
        // The v2 vector's parameter line.
        assert_eq!(
            canon_params(&[
                ("username".into(), "root".into()),
                ("realname".into(), "First Last".into()),
            ]),
            "realname=First%20Last&username=root"
        );
        assert_eq!(quote("a~b-c._d é/"), "a~b-c._d%20%C3%A9%2F");
        assert_eq!(
            canon_x_duo_headers(&[
                ("X-Duo-Date".into(), DATE.into()),
                ("Content-Type".into(), "x".into()),
                ("x-duo-a".into(), "1".into()),
            ]),
            format!("x-duo-a\x001\x00x-duo-date\x00{DATE}")
        );
        let _ = HOST;
    }

    #[test]
    fn only_allow_allow_is_an_approval() {
        assert_eq!(push_state("allow", "allow"), PushState::Approved);
        assert_eq!(push_state("allow", "bypass"), PushState::Denied);
        assert_eq!(push_state("waiting", "pushed"), PushState::Waiting);
        assert_eq!(push_state("deny", "deny"), PushState::Denied);
        assert_eq!(push_state("deny", "fraud"), PushState::Denied);
        assert_eq!(push_state("deny", "timeout"), PushState::Timeout);
    }
}
