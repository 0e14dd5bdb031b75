//! Database: technician tokens, site agents, audit, note outbox, idempotency keys (SQLite through sqlx).
//!
//! One file per table. Every function takes the pool (or a transaction) explicitly; nothing here
//! knows about HTTP. No column ever holds a password or a raw token.
use std::{path::Path, str::FromStr, time::Duration};

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub mod agents;
pub mod audit;
pub mod fingerprint;
pub mod idempotency;
pub mod outbox;
pub mod tokens;
pub mod vocab;

/// The migrations in `server/migrations/`, embedded in the binary.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Handle to the database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating if missing) the SQLite database at `database_url` — a plain file path or a
    /// `sqlite:` URL — in WAL mode, and runs the migrations.
    pub async fn open(database_url: &str) -> anyhow::Result<Self> {
        let options = if database_url.starts_with("sqlite:") {
            SqliteConnectOptions::from_str(database_url)?
        } else {
            SqliteConnectOptions::new().filename(Path::new(database_url))
        }
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // WAL + NORMAL is durable across process crashes, which is what the outbox needs.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool })
    }

    /// The connection pool (tests read tables directly through it).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Waits for the pool to close (checkpoints the WAL), e.g. before a restart in tests.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Current time as RFC 3339 with seconds, the format every `TEXT` time column uses.
pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Current time in unix milliseconds (outbox scheduling).
pub fn now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
