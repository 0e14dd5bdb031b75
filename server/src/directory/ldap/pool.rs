//! A few bound connections per directory, reused from one operation to the next: a context costs
//! its searches, not a TCP + TLS handshake and a bind every time (README "Speed").
//!
//! A session goes back to the pool only after an operation the DC answered (a refusal included);
//! a connection-level failure drops it. An idle session older than `IDLE_TIMEOUT` is closed rather
//! than reused (a DC drops idle connections: AD's MaxConnIdleTime is 900 s), and a reused session
//! is checked to still be open first.
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::conn::Session;
use crate::directory::DirectoryError;

/// Idle sessions kept per directory (a help desk runs a few operations at once, not dozens).
pub(super) const MAX_IDLE: usize = 4;
/// How long an idle session is reused; older ones are closed and a new one is bound.
pub(super) const IDLE_TIMEOUT: Duration = Duration::from_secs(60);

struct Idle {
    session: Session,
    since: Instant,
}

/// The idle sessions of one directory.
#[derive(Default)]
pub(super) struct Pool {
    idle: Mutex<Vec<Idle>>,
}

impl Pool {
    /// A session still open and idle for less than `IDLE_TIMEOUT`, newest first; stale ones are
    /// closed on the way.
    pub fn take(&self) -> Option<Session> {
        loop {
            let Idle { mut session, since } = self.lock().pop()?;
            if since.elapsed() < IDLE_TIMEOUT && !session.ldap.is_closed() {
                return Some(session);
            }
            tokio::spawn(session.close());
        }
    }

    /// Back after an operation whose outcome says the connection is fine; else it is dropped.
    pub fn give_back<T>(&self, session: Session, outcome: &Result<T, DirectoryError>) {
        if broken(outcome) {
            return;
        }
        let mut idle = self.lock();
        if idle.len() < MAX_IDLE {
            idle.push(Idle {
                session,
                since: Instant::now(),
            });
        } else {
            drop(idle);
            tokio::spawn(session.close());
        }
    }

    /// How many sessions wait (tests).
    pub fn idle_count(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Idle>> {
        crate::sync::lock(&self.idle)
    }
}

/// A failure of the connection itself (not an answer of the DC): the session is not reused.
pub(super) fn broken<T>(outcome: &Result<T, DirectoryError>) -> bool {
    matches!(
        outcome,
        Err(DirectoryError::Unavailable(_) | DirectoryError::OutcomeUnknown(_))
    )
}
