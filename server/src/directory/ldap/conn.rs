//! Connection, TLS and bind: a session bound as the service account (pooled by src/directory/ldap/pool.rs).
use std::sync::Arc;
use std::time::Duration;

use ldap3::{Ldap, LdapConnAsync, LdapConnSettings};
use rustls::pki_types::{pem::PemObject, CertificateDer};

use super::errors::{ldap_error, unavailable};
use super::LdapDirectoryConfig;
use crate::directory::secret::Secret;
use crate::directory::DirectoryError;

/// How the TLS session is verified.
#[derive(Clone)]
pub(super) enum Verify {
    /// The system's trust store (ldap3's default; verification on).
    System,
    /// Only the CAs from `ca_file`.
    CaFile(Arc<rustls::ClientConfig>),
    /// `danger_accept_invalid_certs = true`: no verification at all (logged loudly at start).
    Nothing,
}

/// Builds the verifier once, at construction, so a bad CA file is a config error, not a runtime one.
pub(super) fn verifier(cfg: &LdapDirectoryConfig) -> Result<Verify, String> {
    if cfg.danger_accept_invalid_certs {
        tracing::warn!(
            directory = %cfg.name,
            "danger_accept_invalid_certs = true: the LDAP server's TLS certificate is NOT verified; \
             anyone on the path can read the bind password and every reset password"
        );
        return Ok(Verify::Nothing);
    }
    let Some(path) = &cfg.ca_file else {
        return Ok(Verify::System);
    };
    let pem =
        std::fs::read(path).map_err(|e| format!("cannot read ca_file {}: {e}", path.display()))?;
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&pem) {
        let cert = cert.map_err(|e| format!("ca_file {} is not PEM: {e}", path.display()))?;
        roots
            .add(cert)
            .map_err(|e| format!("ca_file {}: bad certificate: {e}", path.display()))?;
    }
    if roots.is_empty() {
        return Err(format!("ca_file {} holds no certificate", path.display()));
    }
    // An explicit provider: the process default is ambiguous when several rustls backends are linked.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Verify::CaFile(Arc::new(config)))
}

/// A bound connection. `encrypted` is what the server side proved (a peer certificate), not what we asked for.
pub(super) struct Session {
    pub ldap: Ldap,
    pub encrypted: bool,
}

impl Session {
    /// Connects (LDAPS or StartTLS), checks TLS is really up, and binds as the service account.
    pub async fn open(
        cfg: &LdapDirectoryConfig,
        verify: &Verify,
        password: &Secret,
        timeout: Duration,
    ) -> Result<Session, DirectoryError> {
        let mut settings = LdapConnSettings::new()
            .set_conn_timeout(timeout)
            .set_starttls(cfg.starttls);
        match verify {
            Verify::System => {}
            Verify::CaFile(config) => settings = settings.set_config(config.clone()),
            Verify::Nothing => settings = settings.set_no_tls_verify(true),
        }
        let (conn, mut ldap) = LdapConnAsync::with_settings(settings, &cfg.url)
            .await
            .map_err(|e| unavailable(&cfg.url, "cannot connect (TCP/TLS)", &e))?;
        ldap3::drive!(conn);
        // ldap3 keeps its TLS flag private; a peer certificate exists only on a TLS session.
        let encrypted = matches!(ldap.get_peer_certificate().await, Ok(Some(_)));
        ldap.with_timeout(timeout);
        let bound = ldap
            .simple_bind(&cfg.bind_dn, password.expose())
            .await
            .and_then(|r| r.success());
        if let Err(e) = bound {
            // A failed service bind is a configuration / availability problem for the technician.
            let detail = match ldap_error(e) {
                DirectoryError::Unavailable(m) => m,
                other => other.to_string(),
            };
            return Err(DirectoryError::Unavailable(format!(
                "{}: service account bind as {} failed: {detail}",
                cfg.url, cfg.bind_dn
            )));
        }
        Ok(Session { ldap, encrypted })
    }

    /// Ends the session politely; errors here do not matter.
    pub async fn close(mut self) {
        let _ = self.ldap.unbind().await;
    }
}
