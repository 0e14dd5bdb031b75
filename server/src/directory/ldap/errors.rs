//! LDAP result codes → `DirectoryError`. The DC's diagnostic text is kept (it never holds the password) but
//! trimmed; its leading Win32 code (`0000052D`) goes into the stable `code` the API and audit show.
use ldap3::LdapError;

use crate::directory::DirectoryError;

/// `LDAP 19 (0000052D)` from rc 19 and `0000052D: Constraint violation - …`; `LDAP 50` without a code.
pub(super) fn code(rc: u32, text: &str) -> String {
    match win32_code(text) {
        Some(w) => format!("LDAP {rc} ({w})"),
        None => format!("LDAP {rc}"),
    }
}

/// The 8 hex digits AD and Samba put before the first ':' of a diagnostic message.
fn win32_code(text: &str) -> Option<&str> {
    let head = text.get(..8)?;
    let is_code = head.bytes().all(|b| b.is_ascii_hexdigit()) && text[8..].starts_with(':');
    is_code.then_some(head)
}

/// Keeps the DC's text readable in a JSON error: no control characters, bounded length.
fn clean(text: &str) -> String {
    let t: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(400)
        .collect();
    let t = t.trim();
    if t.is_empty() {
        "(no diagnostic text)".to_owned()
    } else {
        t.to_owned()
    }
}

/// Maps a non-zero LDAP result of a password / lockout write or a read.
pub(super) fn result_error(rc: u32, text: &str) -> DirectoryError {
    let code = code(rc, text);
    let message = clean(text);
    let refused_password = text.contains("0000052D") || text.contains("0000052d");
    match rc {
        // 19 constraintViolation (Samba 4.17, and Windows on a user change) and 53 unwillingToPerform with
        // 0000052D (Windows admin reset, newer Samba): the password policy said no (docs/policy.md §6.2).
        19 => DirectoryError::PasswordRefused { code, message },
        53 if refused_password => DirectoryError::PasswordRefused { code, message },
        50 => DirectoryError::AccessDenied { code, message },
        32 => DirectoryError::NotFound(message),
        // invalidCredentials, strongAuthRequired, busy, unavailable
        49 | 8 | 51 | 52 => DirectoryError::Unavailable(format!("{code}: {message}")),
        _ => DirectoryError::Other { code, message },
    }
}

/// Maps any `ldap3` error. Transport problems (TLS, TCP, timeout) are `Unavailable`.
pub(super) fn ldap_error(e: LdapError) -> DirectoryError {
    match e {
        LdapError::LdapResult { result } => result_error(result.rc, &result.text),
        LdapError::Timeout { .. } => {
            DirectoryError::Unavailable("the LDAP server did not answer in time".into())
        }
        other => DirectoryError::Unavailable(clean(&other.to_string())),
    }
}

/// A connection that could not be set up, with a hint for the common TLS mistakes.
pub(super) fn unavailable(url: &str, what: &str, e: &LdapError) -> DirectoryError {
    let detail = e.to_string();
    let hint = if detail.contains("certificate") || detail.contains("UnknownIssuer") {
        " (TLS certificate not trusted: check ca_file, and that the certificate names this host or IP)"
    } else {
        ""
    };
    DirectoryError::Unavailable(format!("{url}: {what}: {}{hint}", clean(&detail)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samba_refusal_is_password_refused_with_the_dc_code() {
        let text = "0000052D: Constraint violation - check_password_restrictions: the password is too short. \
                    It should be equal or longer than 7 characters!";
        match result_error(19, text) {
            DirectoryError::PasswordRefused { code, message } => {
                assert_eq!(code, "LDAP 19 (0000052D)");
                assert!(message.contains("too short"));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(
            result_error(53, "0000052D: SvcErr: problem 5003"),
            DirectoryError::PasswordRefused { .. }
        ));
    }

    #[test]
    fn other_codes() {
        assert!(
            matches!(result_error(50, "insufficient access rights"), DirectoryError::AccessDenied { code, .. } if code == "LDAP 50")
        );
        assert!(
            matches!(result_error(53, "0000001F: SvcErr"), DirectoryError::Other { code, .. } if code == "LDAP 53 (0000001F)")
        );
        assert!(matches!(
            result_error(32, "00002030: No such Base DN"),
            DirectoryError::NotFound(_)
        ));
        assert!(matches!(
            result_error(49, "80090308: data 52e"),
            DirectoryError::Unavailable(_)
        ));
    }

    #[test]
    fn code_needs_eight_hex_digits_then_colon() {
        assert_eq!(code(19, "0000052D: x"), "LDAP 19 (0000052D)");
        assert_eq!(code(50, "error in module acl"), "LDAP 50");
        assert_eq!(code(50, "0000052"), "LDAP 50");
    }
}
