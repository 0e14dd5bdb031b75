//! Site agents: enrolment codes (one use, 24 h) and long-lived credentials. Only SHA-256 hashes are
//! stored; the code is printed once by `passdesk agent enroll`, the credential sent once to
//! `passdesk agent join`.
use rand::RngCore as _;
use sqlx::{Row, SqlitePool};
use zeroize::Zeroizing;

use super::{now_millis, now_rfc3339, tokens::hash_token};
use crate::agent::protocol::{CREDENTIAL_PREFIX, ENROLMENT_PREFIX};

/// How long an enrolment code is valid.
pub const ENROLMENT_VALIDITY_MS: i64 = 24 * 3600 * 1000;

/// One row of `passdesk agent list`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AgentInfo {
    /// Agent name.
    pub name: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339 of the last successful join.
    pub joined_at: Option<String>,
    /// RFC 3339, if revoked.
    pub revoked_at: Option<String>,
}

/// Why an enrolment code was not accepted (each with plain words for the person at the site).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum JoinRefusal {
    /// Unknown code (typo, or from another backend).
    #[error("this enrolment code is not known to the backend; check it, or create a new one with `passdesk agent enroll`")]
    Unknown,
    /// Already exchanged.
    #[error("this enrolment code was already used; create a new one with `passdesk agent enroll`")]
    Used,
    /// Older than 24 h.
    #[error("this enrolment code has expired (codes are valid for 24 hours); create a new one with `passdesk agent enroll`")]
    Expired,
}

fn secret(prefix: &str) -> Zeroizing<String> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    rand::rng().fill_bytes(bytes.as_mut());
    use base64::Engine as _;
    Zeroizing::new(format!(
        "{prefix}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes.as_ref())
    ))
}

/// Agent names: what a person types on two machines, so a short, plain identifier.
pub fn check_name(name: &str) -> anyhow::Result<()> {
    anyhow::ensure!(
        !name.is_empty()
            && name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')),
        "agent names are 1 to 64 letters, digits, '-', '_' or '.' (got {name:?})"
    );
    Ok(())
}

/// Creates the agent if new and a fresh one-time enrolment code for it.
pub async fn enroll(pool: &SqlitePool, name: &str) -> anyhow::Result<Zeroizing<String>> {
    check_name(name)?;
    let now = now_rfc3339();
    sqlx::query(
        "INSERT INTO agents (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(&now)
    .execute(pool)
    .await?;
    let agent_id: i64 = sqlx::query_scalar("SELECT id FROM agents WHERE name = ?")
        .bind(name)
        .fetch_one(pool)
        .await?;
    let code = secret(ENROLMENT_PREFIX);
    sqlx::query(
        "INSERT INTO agent_enrolments (agent_id, code_hash, created_at, expires_at_ms) VALUES (?, ?, ?, ?)",
    )
    .bind(agent_id)
    .bind(hash_token(&code))
    .bind(&now)
    .bind(now_millis().saturating_add(ENROLMENT_VALIDITY_MS))
    .execute(pool)
    .await?;
    Ok(code)
}

/// Exchanges a code for the agent's name and a new credential (replacing any earlier one, and
/// lifting a revocation: joining again is a deliberate new enrolment).
pub async fn join(
    pool: &SqlitePool,
    code: &str,
) -> anyhow::Result<Result<(String, Zeroizing<String>), JoinRefusal>> {
    let mut tx = pool.begin().await?;
    let row = sqlx::query(
        "SELECT e.id, e.expires_at_ms, e.used_at, a.id AS agent_id, a.name \
         FROM agent_enrolments e JOIN agents a ON a.id = e.agent_id WHERE e.code_hash = ?",
    )
    .bind(hash_token(code))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(Err(JoinRefusal::Unknown));
    };
    if row.get::<Option<String>, _>("used_at").is_some() {
        return Ok(Err(JoinRefusal::Used));
    }
    if row.get::<i64, _>("expires_at_ms") <= now_millis() {
        return Ok(Err(JoinRefusal::Expired));
    }
    let now = now_rfc3339();
    // Conditional on used_at IS NULL: of two concurrent joins with one code, one wins.
    let claimed =
        sqlx::query("UPDATE agent_enrolments SET used_at = ? WHERE id = ? AND used_at IS NULL")
            .bind(&now)
            .bind(row.get::<i64, _>("id"))
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if claimed == 0 {
        return Ok(Err(JoinRefusal::Used));
    }
    let credential = secret(CREDENTIAL_PREFIX);
    sqlx::query(
        "UPDATE agents SET credential_hash = ?, joined_at = ?, revoked_at = NULL WHERE id = ?",
    )
    .bind(hash_token(&credential))
    .bind(&now)
    .bind(row.get::<i64, _>("agent_id"))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Ok((row.get("name"), credential)))
}

/// The agent a credential belongs to, if it is known and not revoked.
pub async fn authenticate(pool: &SqlitePool, credential: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT name FROM agents WHERE credential_hash = ? AND revoked_at IS NULL")
        .bind(hash_token(credential))
        .fetch_optional(pool)
        .await
}

/// Revokes an agent; its credential is refused from now on. Returns whether it existed unrevoked.
pub async fn revoke(pool: &SqlitePool, name: &str) -> sqlx::Result<bool> {
    let done =
        sqlx::query("UPDATE agents SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")
            .bind(now_rfc3339())
            .bind(name)
            .execute(pool)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// Names of revoked agents (the backend disconnects any that is still connected).
pub async fn revoked_names(pool: &SqlitePool) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT name FROM agents WHERE revoked_at IS NOT NULL")
        .fetch_all(pool)
        .await
}

/// All agents by name.
pub async fn list(pool: &SqlitePool) -> sqlx::Result<Vec<AgentInfo>> {
    let rows =
        sqlx::query("SELECT name, created_at, joined_at, revoked_at FROM agents ORDER BY name")
            .fetch_all(pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|r| AgentInfo {
            name: r.get("name"),
            created_at: r.get("created_at"),
            joined_at: r.get("joined_at"),
            revoked_at: r.get("revoked_at"),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn store() -> (tempfile::TempDir, crate::store::Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("t.db").to_string_lossy())
            .await
            .unwrap();
        (dir, store)
    }

    #[tokio::test]
    async fn a_code_works_once_and_only_before_it_expires() {
        let (_dir, store) = store().await;
        let pool = store.pool();
        let code = enroll(pool, "site-a").await.unwrap();
        let (name, credential) = join(pool, &code).await.unwrap().unwrap();
        assert_eq!(name, "site-a");
        assert_eq!(
            authenticate(pool, &credential).await.unwrap().as_deref(),
            Some("site-a")
        );
        assert_eq!(
            join(pool, &code).await.unwrap().err(),
            Some(JoinRefusal::Used)
        );
        assert_eq!(
            join(pool, "pde_nope").await.unwrap().err(),
            Some(JoinRefusal::Unknown)
        );

        let late = enroll(pool, "site-a").await.unwrap();
        sqlx::query("UPDATE agent_enrolments SET expires_at_ms = ? WHERE code_hash = ?")
            .bind(now_millis() - 1)
            .bind(hash_token(&late))
            .execute(pool)
            .await
            .unwrap();
        assert_eq!(
            join(pool, &late).await.unwrap().err(),
            Some(JoinRefusal::Expired)
        );
        // The stored rows hold hashes only.
        let raw: Vec<String> = sqlx::query_scalar("SELECT code_hash FROM agent_enrolments")
            .fetch_all(pool)
            .await
            .unwrap();
        assert!(raw
            .iter()
            .all(|h| h.len() == 64 && !h.starts_with(ENROLMENT_PREFIX)));
    }

    #[tokio::test]
    async fn a_revoked_credential_is_refused_and_a_new_join_replaces_it() {
        let (_dir, store) = store().await;
        let pool = store.pool();
        let (_, first) = join(pool, &enroll(pool, "site-b").await.unwrap())
            .await
            .unwrap()
            .unwrap();
        assert!(revoke(pool, "site-b").await.unwrap());
        assert_eq!(authenticate(pool, &first).await.unwrap(), None);
        assert_eq!(revoked_names(pool).await.unwrap(), ["site-b"]);
        let (_, second) = join(pool, &enroll(pool, "site-b").await.unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            authenticate(pool, &first).await.unwrap(),
            None,
            "the old credential stays dead"
        );
        assert!(authenticate(pool, &second).await.unwrap().is_some());
        assert!(enroll(pool, "bad name!").await.is_err());
    }
}
