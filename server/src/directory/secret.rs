//! A secret from the config (bind password, client secret): given inline or read from an environment
//! variable, zeroized on drop, and never printed (`Debug` and `Display` show `***`).
use serde::Deserialize;
use zeroize::Zeroizing;

/// A string secret. `Debug` never shows the value.
#[derive(Clone, Default)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(Zeroizing::new(value.into()))
    }
    /// The value, for the one call that needs it (a bind, a token request).
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// Inline value if set, else the named environment variable. `what` names the setting in errors.
    pub fn resolve(
        inline: Option<&Secret>,
        env: Option<&str>,
        what: &str,
    ) -> Result<Secret, String> {
        match (inline, env) {
            (Some(s), None) if !s.expose().is_empty() => Ok(s.clone()),
            (None, Some(var)) => match std::env::var(var) {
                Ok(v) if !v.is_empty() => Ok(Secret::new(v)),
                // The variable's name is fine to show; its value is not.
                _ => Err(format!("{what}_env names {var}, which is not set or empty")),
            },
            (Some(_), Some(_)) => Err(format!("set either {what} or {what}_env, not both")),
            _ => Err(format!("{what} (or {what}_env) is required")),
        }
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Secret(Zeroizing::new(String::deserialize(d)?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret::new("hunter2!Secret");
        assert_eq!(format!("{s:?}"), "***");
    }

    #[test]
    fn resolve_prefers_exactly_one_source() {
        let s = Secret::new("x");
        assert!(Secret::resolve(Some(&s), Some("V"), "bind_password").is_err());
        assert!(Secret::resolve(None, None, "bind_password").is_err());
        assert_eq!(
            Secret::resolve(Some(&s), None, "bind_password")
                .unwrap()
                .expose(),
            "x"
        );
        let err = Secret::resolve(
            None,
            Some("PASSDESK_TEST_SURELY_UNSET_VAR"),
            "bind_password",
        )
        .unwrap_err();
        assert!(err.contains("PASSDESK_TEST_SURELY_UNSET_VAR"));
    }
}
