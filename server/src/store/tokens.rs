//! Technician tokens. The token is shown once; only its SHA-256 is stored.
use rand::RngCore as _;
use sha2::{Digest, Sha256};
use sqlx::{Row, SqlitePool};

use super::now_rfc3339;

/// Prefix of every token, so a leaked one is easy to recognise in a scan.
pub const TOKEN_PREFIX: &str = "pd_";

/// The technician a valid token belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Technician {
    /// Token row id (idempotency keys and audit rows are scoped by it).
    pub id: i64,
    /// Name given at `token create`.
    pub name: String,
}

/// One row of `passdesk token list`.
#[derive(Debug, Clone)]
pub struct TokenInfo {
    /// Row id.
    pub id: i64,
    /// Technician name.
    pub name: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339, if revoked.
    pub revoked_at: Option<String>,
}

/// A freshly created token. The secret is only in `token`; `Debug` does not print it.
pub struct NewToken {
    /// Row id.
    pub id: i64,
    /// The bearer token to hand to the technician (printed once).
    pub token: String,
}

impl std::fmt::Debug for NewToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewToken")
            .field("id", &self.id)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// SHA-256 hex of a token (what the table stores and looks up).
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Creates a token for `name` (256 random bits, base64url).
pub async fn create(pool: &SqlitePool, name: &str) -> anyhow::Result<NewToken> {
    let name = name.trim();
    anyhow::ensure!(!name.is_empty(), "the technician name must not be empty");
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    use base64::Engine as _;
    let token = format!(
        "{TOKEN_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    );
    let id = sqlx::query("INSERT INTO tokens (name, token_hash, created_at) VALUES (?, ?, ?)")
        .bind(name)
        .bind(hash_token(&token))
        .bind(now_rfc3339())
        .execute(pool)
        .await?
        .last_insert_rowid();
    Ok(NewToken { id, token })
}

/// The technician of a valid (known, not revoked) token.
pub async fn authenticate(pool: &SqlitePool, token: &str) -> sqlx::Result<Option<Technician>> {
    let row =
        sqlx::query("SELECT id, name FROM tokens WHERE token_hash = ? AND revoked_at IS NULL")
            .bind(hash_token(token))
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|r| Technician {
        id: r.get("id"),
        name: r.get("name"),
    }))
}

/// All tokens, oldest first.
pub async fn list(pool: &SqlitePool) -> sqlx::Result<Vec<TokenInfo>> {
    let rows = sqlx::query("SELECT id, name, created_at, revoked_at FROM tokens ORDER BY id")
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| TokenInfo {
            id: r.get("id"),
            name: r.get("name"),
            created_at: r.get("created_at"),
            revoked_at: r.get("revoked_at"),
        })
        .collect())
}

/// Revokes by id (all digits) or else by exact name (every active token of that name).
/// Returns how many tokens were revoked.
pub async fn revoke(pool: &SqlitePool, id_or_name: &str) -> sqlx::Result<u64> {
    let now = now_rfc3339();
    let done = match id_or_name.parse::<i64>() {
        Ok(id) => {
            sqlx::query("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                .bind(&now)
                .bind(id)
                .execute(pool)
                .await?
        }
        Err(_) => {
            sqlx::query("UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")
                .bind(&now)
                .bind(id_or_name)
                .execute(pool)
                .await?
        }
    };
    Ok(done.rows_affected())
}
