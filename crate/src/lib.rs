//! PassDesk core: password policy validation and compliant generation.
//!
//! One crate, compiled natively for the backend and the `passdesk` CLI and to WebAssembly for the
//! browser extension, so every rule is written once.
//!
//! * [`Policy`] + [`Account`] → [`Validator`] → [`Verdict`] (every failing rule, with spans).
//! * [`generate_password`] / [`generate_passphrase`] draw until the validator passes.
#![warn(missing_docs)]

pub mod account;
pub mod generate;
pub mod policy;
mod rules;
mod unicode_class;
pub mod validator;
pub mod verdict;

#[cfg(feature = "wasm")]
pub mod wasm;

pub use account::Account;
pub use generate::{
    generate_passphrase, generate_passphrase_with_rng, generate_password,
    generate_password_with_rng, GenerateError, Generated, PassphraseOptions, PasswordOptions,
    WordSize,
};
pub use policy::{ActiveDirectoryPolicy, DcKind, EntraPolicy, NistPolicy, Policy, PolicyError};
pub use validator::{validate, Validator};
pub use verdict::{RuleId, Satisfied, Verdict, Violation};
