//! Caller verification before a reset or unlock (docs/api.md "Caller verification"): the account's
//! contact points on file become masked methods; a one-time code goes out by e-mail or SMS, or a
//! Duo push asks the user; the result is bound to ticket + account + technician, audited, noted on
//! the ticket, and [`gate::check`] enforces it where the directory says `verification = "required"`.
//!
//! Nothing here imports axum; `http/verification.rs` is the thin boundary.
use std::{sync::Arc, time::Duration};

use serde::{Deserialize, Serialize};

pub mod codes;
pub mod config;
pub mod contact;
pub mod flow;
pub mod gate;
pub mod mask;
pub mod methods;
pub mod notes;
pub mod providers;
pub mod simulators;
pub mod store;

vocabulary! {
    /// How a caller is verified.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum MethodKind {
        /// A one-time code by SMS (Twilio).
        Sms,
        /// A one-time code by e-mail (SMTP).
        Email,
        /// A Duo push the user approves.
        DuoPush,
    }
}

impl MethodKind {
    /// Whether the caller reads a code back.
    pub fn sends_code(self) -> bool {
        matches!(self, Self::Sms | Self::Email)
    }

    /// How notes name it: "e-mail code", "SMS code", "Duo push".
    pub fn label(self) -> &'static str {
        match self {
            Self::Sms => "SMS code",
            Self::Email => "e-mail code",
            Self::DuoPush => "Duo push",
        }
    }
}

vocabulary! {
    /// Per directory: whether a reset / unlock needs a verified caller.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum VerificationMode {
        /// The backend refuses reset and unlock without a fresh verification (`VERIFICATION_REQUIRED`).
        Required,
        /// Offered; the reset note says whether the caller was verified.
        #[default]
        Optional,
        /// Not offered.
        Off,
    }
}

/// The directory's verification settings (`verification`, `verification_methods`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryVerification {
    /// Required, optional or off.
    pub mode: VerificationMode,
    /// Which configured providers this customer uses.
    pub methods: Vec<MethodKind>,
    /// Also offer the ConnectWise contact's phone numbers and e-mail addresses as targets (anyone
    /// who may edit contacts or open tickets can change those: off by default).
    pub trust_connectwise_contact_points: bool,
}

impl Default for DirectoryVerification {
    fn default() -> Self {
        Self {
            mode: VerificationMode::Optional,
            methods: vec![MethodKind::Sms, MethodKind::Email, MethodKind::DuoPush],
            trust_connectwise_contact_points: false,
        }
    }
}

vocabulary! {
    /// Where a verification stands (the API's `status`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum VerificationStatus {
        /// Created; the code or push is on its way.
        Pending,
        /// The code went out; waiting for it to be typed.
        Sent,
        /// The right code was typed.
        Verified,
        /// Too many wrong codes.
        Locked,
        /// Not completed in time.
        Expired,
        /// The Duo push was approved.
        Approved,
        /// The Duo push was denied.
        Denied,
        /// The Duo push was not answered in time.
        Timeout,
        /// The code or push could not be sent.
        Failed,
    }
}

impl VerificationStatus {
    /// The caller is verified.
    pub fn is_success(self) -> bool {
        matches!(self, Self::Verified | Self::Approved)
    }

    /// Nothing will change any more.
    pub fn is_final(self) -> bool {
        !matches!(self, Self::Pending | Self::Sent)
    }
}

/// Timing and limits (NIST SP 800-63B out-of-band limits, see docs/api.md).
#[derive(Debug, Clone)]
pub struct VerificationSettings {
    /// How long a code (or a push) may be used.
    pub code_ttl: Duration,
    /// How long a successful verification enables reset / unlock.
    pub fresh_for: Duration,
    /// Wrong codes after which a verification is locked.
    pub max_wrong_codes: u32,
    /// Codes sent to one account within `send_window` at most.
    pub max_sends: u32,
    /// The rate-limit window.
    pub send_window: Duration,
    /// Longest a push may wait for the user (Duo times out after 60 s).
    pub push_timeout: Duration,
    /// Who the e-mail / SMS says it is from, e.g. "MSP Help Desk".
    pub sender_name: String,
}

impl Default for VerificationSettings {
    fn default() -> Self {
        Self {
            code_ttl: Duration::from_secs(10 * 60),
            fresh_for: Duration::from_secs(15 * 60),
            max_wrong_codes: 5,
            max_sends: 3,
            send_window: Duration::from_secs(10 * 60),
            push_timeout: Duration::from_secs(90),
            sender_name: "the help desk".to_string(),
        }
    }
}

/// Everything the verification flow needs: providers, settings and the code-hashing key.
pub struct Verification {
    /// Sends e-mail codes.
    pub email: Option<Arc<dyn providers::CodeSender>>,
    /// Sends SMS codes.
    pub sms: Option<Arc<dyn providers::CodeSender>>,
    /// Sends Duo pushes.
    pub duo: Option<Arc<dyn providers::PushSender>>,
    /// Timing and limits.
    pub settings: VerificationSettings,
    /// HMAC key of the stored code hashes (random per process: a restart voids unused codes).
    pub key: codes::CodeKey,
    /// Which account attribute is the Duo username.
    pub duo_username_attribute: providers::duo::DuoUsernameAttribute,
}

impl Default for Verification {
    fn default() -> Self {
        Self {
            email: None,
            sms: None,
            duo: None,
            settings: VerificationSettings::default(),
            key: codes::CodeKey::random(),
            duo_username_attribute: Default::default(),
        }
    }
}

impl Verification {
    /// Whether a provider for `kind` is configured.
    pub fn has(&self, kind: MethodKind) -> bool {
        match kind {
            MethodKind::Email => self.email.is_some(),
            MethodKind::Sms => self.sms.is_some(),
            MethodKind::DuoPush => self.duo.is_some(),
        }
    }

    /// The Duo username of `account`, when Duo is configured.
    pub fn duo_username(&self, account: &crate::directory::DirectoryAccount) -> Option<String> {
        self.duo.as_ref()?;
        match self.duo_username_attribute {
            providers::duo::DuoUsernameAttribute::SamAccountName => {
                account.sam_account_name.clone()
            }
            providers::duo::DuoUsernameAttribute::Upn => account.upn.clone(),
        }
    }

    /// The code sender of a code kind.
    pub fn code_sender(&self, kind: MethodKind) -> Option<&Arc<dyn providers::CodeSender>> {
        match kind {
            MethodKind::Email => self.email.as_ref(),
            MethodKind::Sms => self.sms.as_ref(),
            MethodKind::DuoPush => None,
        }
    }
}

impl std::fmt::Debug for Verification {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verification")
            .field("email", &self.email.is_some())
            .field("sms", &self.sms.is_some())
            .field("duo", &self.duo.is_some())
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}
