//! Locking in-memory state that is plain data (sandboxes, simulators, the LDAP pool and policy cache).
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Locks `m`, keeping on after a panic elsewhere left it poisoned: what it guards is plain data with
/// no half-done invariant, so serving on beats failing every later request.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
