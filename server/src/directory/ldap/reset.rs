//! The writes: `unicodePwd` + `pwdLastSet` in one Modify (atomic: a refused password leaves pwdLastSet as it
//! was), and `lockoutTime` 0. Only ever over a session that proved it is TLS.
use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use ldap3::controls::RawControl;
use ldap3::Mod;
use zeroize::Zeroizing;

use super::conn::Session;
use super::errors::{ldap_error, result_error};
use crate::directory::DirectoryError;

/// Attribute value bytes that are wiped when dropped, and never printed. `ldap3` still encodes its own
/// copy into the BER request buffer, which we cannot reach: this is best effort for the copies we own.
#[derive(PartialEq, Eq)]
struct Value(Zeroizing<Vec<u8>>);

impl Hash for Value {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.as_slice().hash(state);
    }
}

impl AsRef<[u8]> for Value {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// The `unicodePwd` value: UTF-16LE of the password in double quotes (docs/policy.md §6.1).
fn unicode_pwd(password: &str) -> Value {
    let mut v = Zeroizing::new(Vec::with_capacity((password.len() + 2) * 2));
    for unit in std::iter::once(u16::from(b'"'))
        .chain(password.encode_utf16())
        .chain(std::iter::once(u16::from(b'"')))
    {
        v.extend_from_slice(&unit.to_le_bytes());
    }
    Value(v)
}

fn plain(s: &str) -> Value {
    Value(Zeroizing::new(s.as_bytes().to_vec()))
}

fn refuse_unencrypted(s: &Session) -> Result<(), DirectoryError> {
    if s.encrypted {
        Ok(())
    } else {
        Err(DirectoryError::Unavailable(
            "refusing to send a password over an LDAP connection that is not TLS (use ldaps:// or StartTLS)".into(),
        ))
    }
}

/// LDAP_SERVER_POLICY_HINTS_OID: with flags 1 the DC checks an admin `unicodePwd` replace against the
/// password history as for a user's own change (docs/policy.md §6.1). Not critical: a DC that does not know
/// it (Samba, before Windows Server 2012) resets anyway instead of refusing every reset.
pub(super) const POLICY_HINTS_OID: &str = "1.2.840.113556.1.4.2239";
/// Its value, BER `SEQUENCE { INTEGER 1 }` (Flags = LDAP_POLICY_HINTS_ENFORCE).
const POLICY_HINTS_ENFORCE: [u8; 5] = [0x30, 0x03, 0x02, 0x01, 0x01];

fn policy_hints() -> RawControl {
    RawControl {
        ctype: POLICY_HINTS_OID.into(),
        crit: false,
        val: Some(POLICY_HINTS_ENFORCE.to_vec()),
    }
}

async fn modify(s: &mut Session, dn: &str, mods: Vec<Mod<Value>>) -> Result<(), DirectoryError> {
    modify_with(s, dn, mods, Vec::new()).await
}

async fn modify_with(
    s: &mut Session,
    dn: &str,
    mods: Vec<Mod<Value>>,
    controls: Vec<RawControl>,
) -> Result<(), DirectoryError> {
    let r = s
        .ldap
        .with_controls(controls)
        .modify(dn, mods)
        .await
        .map_err(ldap_error)?;
    if r.rc == 0 {
        Ok(())
    } else {
        Err(result_error(r.rc, &r.text))
    }
}

/// Admin reset. `temporary` → pwdLastSet 0 (must change at next logon), else -1 (set to now).
/// `enforce_history` adds the policy-hints control.
pub(super) async fn set_password(
    s: &mut Session,
    dn: &str,
    password: &str,
    temporary: bool,
    enforce_history: bool,
) -> Result<(), DirectoryError> {
    refuse_unencrypted(s)?;
    let pwd_last_set = if temporary { "0" } else { "-1" };
    let mods = vec![
        Mod::Replace(plain("unicodePwd"), HashSet::from([unicode_pwd(password)])),
        Mod::Replace(plain("pwdLastSet"), HashSet::from([plain(pwd_last_set)])),
    ];
    let controls = if enforce_history {
        vec![policy_hints()]
    } else {
        Vec::new()
    };
    modify_with(s, dn, mods, controls).await
}

/// Clears a lockout (badPwdCount goes back to 0 with it).
pub(super) async fn unlock(s: &mut Session, dn: &str) -> Result<(), DirectoryError> {
    refuse_unencrypted(s)?;
    modify(
        s,
        dn,
        vec![Mod::Replace(
            plain("lockoutTime"),
            HashSet::from([plain("0")]),
        )],
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use tokio::io::AsyncReadExt;

    #[tokio::test]
    async fn a_plain_connection_is_never_sent_a_password() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let received = tokio::spawn(async move {
            let (mut sock, _) = listener.accept().await.unwrap();
            let mut buf = Vec::new();
            let _ =
                tokio::time::timeout(Duration::from_millis(300), sock.read_to_end(&mut buf)).await;
            buf
        });
        let (conn, mut ldap) = ldap3::LdapConnAsync::new(&format!("ldap://{addr}"))
            .await
            .unwrap();
        ldap3::drive!(conn);
        // The same probe Session::open uses: no peer certificate on a plain TCP session.
        let encrypted = matches!(ldap.get_peer_certificate().await, Ok(Some(_)));
        assert!(!encrypted);
        ldap.with_timeout(Duration::from_secs(1)); // so a regression fails instead of hanging
        let mut s = Session { ldap, encrypted };
        let err = set_password(&mut s, "CN=x,DC=test,DC=lan", "Secret!Pw1", false, true)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, DirectoryError::Unavailable(m) if m.contains("not TLS")),
            "{err:?}"
        );
        assert!(matches!(
            unlock(&mut s, "CN=x,DC=test,DC=lan").await,
            Err(DirectoryError::Unavailable(_))
        ));
        drop(s);
        assert!(
            received.await.unwrap().is_empty(),
            "nothing may reach the wire"
        );
    }

    #[test]
    fn policy_hints_value_is_sequence_of_integer_one() {
        let c = policy_hints();
        assert_eq!(c.ctype, "1.2.840.113556.1.4.2239");
        assert_eq!(c.val.as_deref(), Some(&[0x30, 3, 2, 1, 1][..]));
        assert!(!c.crit);
    }

    #[test]
    fn unicode_pwd_is_quoted_utf16le() {
        let v = unicode_pwd("Ab1!");
        assert_eq!(
            v.as_ref(),
            &[0x22, 0, 0x41, 0, 0x62, 0, 0x31, 0, 0x21, 0, 0x22, 0]
        );
        // Outside the BMP: a surrogate pair.
        assert_eq!(unicode_pwd("😀").as_ref().len(), 2 * 4);
        assert_eq!(format!("{v:?}"), "***");
    }
}
