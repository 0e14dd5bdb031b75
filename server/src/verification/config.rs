//! `[verification]` of the config file: the providers (`[verification.email]`, …) and timing.
//! Secrets come inline or through `*_env` keys; `Debug` never prints one.
use std::{path::PathBuf, sync::Arc, time::Duration};

use serde::Deserialize;

use super::{
    providers::{
        duo::{DuoConfig, DuoPush},
        smtp::SmtpSender,
        twilio::{SmsConfig, TwilioSender},
    },
    Verification, VerificationSettings,
};
use crate::directory::secret::Secret;

/// `[verification]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerificationConfig {
    /// Minutes a successful verification enables reset / unlock (default 15).
    #[serde(default)]
    pub fresh_for_minutes: Option<u64>,
    /// Who the code messages say they are from (default "the help desk").
    #[serde(default)]
    pub sender_name: Option<String>,
    /// E-mail codes over SMTP.
    #[serde(default)]
    pub email: Option<EmailConfig>,
    /// SMS codes through Twilio.
    #[serde(default)]
    pub sms: Option<SmsConfig>,
    /// Duo push through the Auth API.
    #[serde(default)]
    pub duo: Option<DuoConfig>,
}

/// `[verification.email]`: an SMTP relay.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailConfig {
    /// Relay host name (checked against its certificate).
    pub smtp_host: String,
    /// Port (default 587 with STARTTLS, 465 with implicit TLS, 25 plain).
    #[serde(default)]
    pub smtp_port: Option<u16>,
    /// STARTTLS, required (default true).
    #[serde(default = "yes")]
    pub starttls: bool,
    /// TLS from the first byte (port 465).
    #[serde(default)]
    pub implicit_tls: bool,
    /// SMTP AUTH user, if the relay wants one.
    #[serde(default)]
    pub username: Option<String>,
    /// SMTP AUTH password (or `password_env`).
    #[serde(default)]
    pub password: Option<Secret>,
    /// Environment variable holding the password.
    #[serde(default)]
    pub password_env: Option<String>,
    /// `From:`, e.g. `MSP Help Desk <helpdesk@msp.example>`.
    pub from: String,
    /// Subject (default "Your verification code for <sender_name>").
    #[serde(default)]
    pub subject: Option<String>,
    /// Extra PEM root certificate for the relay (a private CA).
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Seconds an SMTP conversation may take (default 20).
    #[serde(default)]
    pub timeout_secs: Option<u64>,
}

fn yes() -> bool {
    true
}

impl VerificationConfig {
    /// The providers and settings; `base` resolves relative files.
    pub fn build(&self, base: &std::path::Path) -> anyhow::Result<Verification> {
        let mut settings = VerificationSettings::default();
        if let Some(m) = self.fresh_for_minutes {
            anyhow::ensure!(
                (1..=60).contains(&m),
                "[verification] fresh_for_minutes must be 1 to 60"
            );
            settings.fresh_for = Duration::from_secs(m * 60);
        }
        if let Some(name) = &self.sender_name {
            settings.sender_name = name.clone();
        }
        let mut v = Verification {
            settings,
            ..Verification::default()
        };
        if let Some(email) = &self.email {
            let sender = SmtpSender::new(email, &v.settings.sender_name, v.settings.code_ttl, base)
                .map_err(|e| anyhow::anyhow!(e))?;
            v.email = Some(Arc::new(sender));
        }
        if let Some(sms) = &self.sms {
            let sender = TwilioSender::new(sms, &v.settings.sender_name, v.settings.code_ttl)
                .map_err(|e| anyhow::anyhow!(e))?;
            v.sms = Some(Arc::new(sender));
        }
        if let Some(duo) = &self.duo {
            let push =
                DuoPush::new(duo, &v.settings.sender_name).map_err(|e| anyhow::anyhow!(e))?;
            v.duo = Some(Arc::new(push));
            v.duo_username_attribute = duo.username_attribute;
        }
        Ok(v)
    }
}
