//! E-mail codes over SMTP (lettre on rustls): STARTTLS (fails closed) or implicit TLS; plain SMTP
//! only to a loopback relay. Errors name the SMTP status only, never the recipient.
use std::{net::IpAddr, path::Path, time::Duration};

use async_trait::async_trait;
use lettre::{
    message::{header::ContentType, Mailbox},
    transport::smtp::{
        authentication::Credentials,
        client::{Certificate, Tls, TlsParameters},
    },
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};

use super::{code_message, CodeSender, ProviderError};
use crate::verification::{codes::OneTimeCode, config::EmailConfig};

/// Sends the code e-mails.
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    subject: String,
    sender_name: String,
    ttl: Duration,
}

/// Whether `host` is a loopback name or address (the only place plain SMTP may go).
fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_matches(['[', ']'])
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl SmtpSender {
    /// Builds the transport (no connection yet). `base` resolves a relative `ca_file`.
    pub fn new(
        cfg: &EmailConfig,
        sender_name: &str,
        ttl: Duration,
        base: &Path,
    ) -> Result<Self, String> {
        let host = cfg.smtp_host.trim();
        if cfg.starttls && cfg.implicit_tls {
            return Err("[verification.email]: set starttls or implicit_tls, not both".into());
        }
        let plain = !cfg.starttls && !cfg.implicit_tls;
        if plain && !is_loopback(host) {
            return Err(format!(
                "[verification.email]: plain SMTP to {host} would send codes in clear; set starttls = true \
                 or implicit_tls = true (plain only to a loopback relay)"
            ));
        }
        let mut tls = TlsParameters::builder(host.to_string());
        if let Some(ca) = &cfg.ca_file {
            let path = if ca.is_relative() {
                base.join(ca)
            } else {
                ca.clone()
            };
            let pem = std::fs::read(&path).map_err(|e| {
                format!(
                    "[verification.email]: cannot read ca_file {}: {e}",
                    path.display()
                )
            })?;
            let cert = Certificate::from_pem(&pem)
                .map_err(|e| format!("[verification.email]: ca_file {}: {e}", path.display()))?;
            tls = tls.add_root_certificate(cert);
        }
        let tls = tls
            .build_rustls()
            .map_err(|e| format!("[verification.email]: TLS settings: {e}"))?;
        let (mode, default_port) = if cfg.implicit_tls {
            (Tls::Wrapper(tls), 465)
        } else if cfg.starttls {
            (Tls::Required(tls), 587)
        } else {
            (Tls::None, 25)
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(cfg.smtp_port.unwrap_or(default_port))
            .tls(mode)
            .timeout(Some(Duration::from_secs(cfg.timeout_secs.unwrap_or(20))));
        if let Some(user) = &cfg.username {
            let password = crate::directory::secret::Secret::resolve(
                cfg.password.as_ref(),
                cfg.password_env.as_deref(),
                "password",
            )
            .map_err(|e| format!("[verification.email]: {e}"))?;
            builder = builder.credentials(Credentials::new(
                user.clone(),
                password.expose().to_string(),
            ));
        }
        let from: Mailbox = cfg
            .from
            .parse()
            .map_err(|e| format!("[verification.email]: from = {:?}: {e}", cfg.from))?;
        Ok(Self {
            transport: builder.build(),
            from,
            subject: cfg
                .subject
                .clone()
                .unwrap_or_else(|| format!("Your verification code for {sender_name}")),
            sender_name: sender_name.to_string(),
            ttl,
        })
    }
}

fn smtp_error(e: &lettre::transport::smtp::Error) -> ProviderError {
    let status = e.status().map(|c| c.to_string()).unwrap_or_default();
    if e.is_permanent() {
        ProviderError::Refused(format!("the SMTP server refused the message ({status})"))
    } else if e.is_transient() {
        ProviderError::Unavailable(format!("temporary SMTP failure ({status})"))
    } else if e.is_timeout() {
        ProviderError::Unavailable("the SMTP server did not answer in time".into())
    } else {
        // Connection and TLS errors: no recipient in them.
        ProviderError::Unavailable(format!("cannot talk to the SMTP server: {e}"))
    }
}

#[async_trait]
impl CodeSender for SmtpSender {
    async fn send_code(
        &self,
        to: &str,
        code: &OneTimeCode,
        ticket: u64,
    ) -> Result<(), ProviderError> {
        let to: Mailbox = to.parse().map_err(|_| {
            ProviderError::Refused("the address on file is not a valid e-mail address".into())
        })?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&self.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(code_message(&self.sender_name, code, ticket, self.ttl))
            .map_err(|e| ProviderError::Refused(format!("cannot build the message: {e}")))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| smtp_error(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(host: &str, starttls: bool, implicit_tls: bool) -> EmailConfig {
        EmailConfig {
            smtp_host: host.into(),
            smtp_port: None,
            starttls,
            implicit_tls,
            username: None,
            password: None,
            password_env: None,
            from: "Help Desk <helpdesk@msp.example>".into(),
            subject: None,
            ca_file: None,
            timeout_secs: None,
        }
    }

    #[test]
    fn plain_smtp_only_to_loopback() {
        let ttl = Duration::from_secs(600);
        let base = Path::new(".");
        assert!(SmtpSender::new(&cfg("127.0.0.1", false, false), "x", ttl, base).is_ok());
        assert!(SmtpSender::new(&cfg("localhost", false, false), "x", ttl, base).is_ok());
        let err = SmtpSender::new(&cfg("smtp.msp.example", false, false), "x", ttl, base)
            .err()
            .unwrap();
        assert!(err.contains("in clear"), "{err}");
        assert!(SmtpSender::new(&cfg("smtp.msp.example", true, false), "x", ttl, base).is_ok());
        assert!(SmtpSender::new(&cfg("smtp.msp.example", true, true), "x", ttl, base).is_err());
    }
}
