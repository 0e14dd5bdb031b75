//! Internal notes: the text, the immediate post after a reset, and the outbox worker that retries
//! queued notes with exponential backoff + jitter (honouring Retry-After) until ConnectWise takes them
//! — or until a retry cannot help: the ticket is gone, or ConnectWise kept refusing the note
//! ([`gives_up`]); the audit then says `failed` and the log says which note to add by hand.
use std::{sync::Arc, time::Duration};

use rand::Rng as _;
use tokio::{sync::watch, task::JoinHandle};

use super::{tickets::TicketError, Services};
use crate::store::{now_millis, outbox, outbox::PendingNote};

/// How notes are written and retried.
#[derive(Debug, Clone)]
pub struct NoteSettings {
    /// First line of every note (config `note_text`).
    pub text: String,
    /// How long a reset waits for the immediate post before answering `note: queued`.
    pub post_timeout: Duration,
    /// First retry delay; doubled per failed attempt.
    pub retry_base: Duration,
    /// Longest delay between attempts.
    pub retry_cap: Duration,
    /// Refusals (4xx other than 404 / 429, bad keys) tolerated before a note is given up.
    pub max_refused_attempts: i64,
}

/// Default first line of a note.
pub const DEFAULT_NOTE_TEXT: &str = "PassDesk password reset - success";

impl Default for NoteSettings {
    fn default() -> Self {
        Self {
            text: DEFAULT_NOTE_TEXT.to_string(),
            post_timeout: Duration::from_secs(3),
            retry_base: Duration::from_secs(2),
            retry_cap: Duration::from_secs(600),
            max_refused_attempts: MAX_REFUSED_ATTEMPTS,
        }
    }
}

pub use crate::store::audit::NoteStatus;

/// Default of [`NoteSettings::max_refused_attempts`]: with the backoff capped at `retry_cap`
/// (10 min), about two hours for an admin to fix the keys.
pub const MAX_REFUSED_ATTEMPTS: i64 = 20;

/// Whether to stop trying after `attempts` failed attempts ending with `error`, `max_refused` of
/// them tolerated for refusals. A missing ticket will not come back; outages and 429s are always
/// waited out.
pub fn gives_up(attempts: i64, error: &TicketError, max_refused: i64) -> bool {
    match error {
        TicketError::NotFound => true,
        TicketError::Failed(_) => attempts >= max_refused,
        TicketError::Retryable { .. } => false,
    }
}

/// The note for a reset. Built from the config text, the technician, the mode and how the caller
/// was verified (masked target) only: there is no parameter through which a password could reach it.
pub fn reset_note_text(
    first_line: &str,
    technician: &str,
    account: &str,
    temporary: bool,
    verified_by: Option<&crate::verification::notes::VerifiedBy>,
) -> String {
    let mode = if temporary {
        "temporary password: must change at next logon"
    } else {
        "permanent password"
    };
    let caller = crate::verification::notes::reset_line(verified_by);
    format!("{first_line}\nAccount: {account}\nTechnician: {technician}\n{mode}\n{caller}")
}

/// Posts one outbox note right away (the caller holds its lease), within `post_timeout`.
pub async fn post_now(services: &Services, outbox_id: i64) -> NoteStatus {
    let note = match outbox::get(services.store.pool(), outbox_id).await {
        Ok(Some(note)) => note,
        Ok(None) => return NoteStatus::Posted,
        Err(e) => {
            tracing::error!(error = %e, "reading the outbox failed");
            return NoteStatus::Queued;
        }
    };
    let status =
        match tokio::time::timeout(services.notes.post_timeout, attempt(services, &note)).await {
            Ok(status) => status,
            Err(_) => {
                // The POST may still land; the lease keeps the worker away until it would have timed out.
                tracing::warn!(outbox_id, "note post timed out; left to the outbox worker");
                let retry = now_millis() + services.notes.retry_base.as_millis() as i64;
                let _ = outbox::mark_failed(services.store.pool(), &note, "timed out", retry).await;
                NoteStatus::Queued
            }
        };
    services.outbox_wakeup.notify_one();
    status
}

/// One attempt: posts the note and records the outcome.
async fn attempt(services: &Services, note: &PendingNote) -> NoteStatus {
    let pool = services.store.pool();
    match services
        .tickets
        .post_internal_note(note.ticket_kind, note.ticket_id, &note.text)
        .await
    {
        Ok(note_id) => {
            if let Err(e) = outbox::mark_posted(pool, note, note_id).await {
                tracing::error!(error = %e, outbox_id = note.id, "note posted but not recorded");
            }
            tracing::info!(
                outbox_id = note.id,
                ticket = note.ticket_id,
                "internal note posted"
            );
            NoteStatus::Posted
        }
        Err(e) if gives_up(note.attempts + 1, &e, services.notes.max_refused_attempts) => {
            tracing::error!(
                outbox_id = note.id,
                ticket = note.ticket_id,
                audit_id = note.audit_id,
                error = %e,
                attempts = note.attempts + 1,
                "note given up: add it to the ticket by hand"
            );
            if let Err(db) = outbox::mark_given_up(pool, note, &e.to_string()).await {
                tracing::error!(error = %db, outbox_id = note.id, "note given up but not recorded");
            }
            NoteStatus::Failed
        }
        Err(e) => {
            let delay = retry_delay(&services.notes, note.attempts + 1, &e);
            tracing::warn!(outbox_id = note.id, error = %e, retry_in_ms = delay.as_millis() as u64, "note post failed");
            let _ = outbox::mark_failed(
                pool,
                note,
                &e.to_string(),
                now_millis().saturating_add(delay.as_millis().min(i64::MAX as u128) as i64),
            )
            .await;
            NoteStatus::Queued
        }
    }
}

/// Delay before the next attempt: the server's Retry-After when it sent one (already at most
/// 120 s, src/retry_after.rs; never sooner than `retry_base`, so "Retry-After: 0" is no tight loop),
/// else `base * 2^(attempts-1)` capped, with "equal jitter" (half fixed, half random) so notes
/// queued in the same outage do not all come back at once.
pub fn retry_delay(settings: &NoteSettings, attempts: i64, error: &TicketError) -> Duration {
    if let TicketError::Retryable {
        retry_after: Some(after),
        ..
    } = error
    {
        // min then max, not clamp: clamp panics if a configured base exceeds the cap.
        let after = (*after)
            .min(crate::retry_after::MAX_WAIT)
            .max(settings.retry_base);
        return after.saturating_add(Duration::from_millis(rand::rng().random_range(0..=100)));
    }
    let exp = attempts.clamp(1, 20) as u32 - 1;
    let full = settings
        .retry_base
        .saturating_mul(1 << exp.min(16))
        .min(settings.retry_cap);
    let half = full / 2;
    half + half.mul_f64(rand::rng().random::<f64>())
}

/// The background task that posts queued notes. Dropping it stops it.
pub struct OutboxWorker {
    stop: watch::Sender<bool>,
    handle: Option<JoinHandle<()>>,
}

impl OutboxWorker {
    /// Starts the worker on the current tokio runtime.
    pub fn spawn(services: Arc<Services>) -> Self {
        let (stop, stopped) = watch::channel(false);
        let handle = tokio::spawn(supervise(services, stopped));
        Self {
            stop,
            handle: Some(handle),
        }
    }

    /// Stops the worker and waits for it (an in-flight post finishes first).
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(handle) = self.handle.take() {
            let _ = handle.await;
        }
    }
}

impl Drop for OutboxWorker {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.abort();
        }
    }
}

/// Longest sleep between outbox scans (a safety net; wake-ups normally come sooner).
const IDLE_POLL: Duration = Duration::from_secs(5);

/// Runs the worker and starts it again if it ever panics: one poisoned note must not stop the
/// notes behind it (its lease expires and it is retried like any other).
async fn supervise(services: Arc<Services>, stopped: watch::Receiver<bool>) {
    loop {
        let run = tokio::spawn(run(services.clone(), stopped.clone()));
        match run.await {
            Err(e) if e.is_panic() => {
                tracing::error!("outbox worker panicked; restarting it");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            _ => return,
        }
    }
}

async fn run(services: Arc<Services>, mut stopped: watch::Receiver<bool>) {
    loop {
        if *stopped.borrow() {
            return;
        }
        let wait = match post_due(&services).await {
            Ok(wait) => wait,
            Err(e) => {
                tracing::error!(error = %e, "outbox scan failed");
                Duration::from_secs(1)
            }
        };
        tokio::select! {
            _ = stopped.changed() => return,
            _ = services.outbox_wakeup.notified() => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

/// Posts every due note; returns how long to sleep until the next one is due.
async fn post_due(services: &Services) -> sqlx::Result<Duration> {
    let pool = services.store.pool();
    loop {
        let due = outbox::claim_due(pool, 16).await?;
        if due.is_empty() {
            break;
        }
        for note in &due {
            attempt(services, note).await;
        }
    }
    Ok(match outbox::next_due(pool).await? {
        Some(at) => Duration::from_millis(
            at.saturating_sub(now_millis())
                .clamp(10, IDLE_POLL.as_millis() as i64) as u64,
        ),
        None => IDLE_POLL,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> NoteSettings {
        NoteSettings {
            retry_base: Duration::from_millis(100),
            retry_cap: Duration::from_secs(2),
            ..NoteSettings::default()
        }
    }

    fn down() -> TicketError {
        TicketError::Retryable {
            message: "down".into(),
            retry_after: None,
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_and_stops_at_the_cap() {
        for attempts in 1..=8i64 {
            let full =
                Duration::from_millis(100 * (1 << (attempts - 1))).min(Duration::from_secs(2));
            for _ in 0..200 {
                let d = retry_delay(&settings(), attempts, &down());
                assert!(
                    d >= full / 2 && d <= full,
                    "attempt {attempts}: {d:?} outside [{:?}, {full:?}]",
                    full / 2
                );
            }
        }
        // Jitter: not every draw is the same.
        let draws: std::collections::HashSet<_> = (0..50)
            .map(|_| retry_delay(&settings(), 3, &down()))
            .collect();
        assert!(draws.len() > 10);
    }

    #[test]
    fn retry_after_is_floored_at_the_base_and_capped() {
        for (after, lo, hi) in [
            (Duration::ZERO, 100, 200),
            (Duration::MAX, 120_000, 120_100),
            (Duration::from_secs(365 * 86_400), 120_000, 120_100),
        ] {
            let e = TicketError::Retryable {
                message: "429".into(),
                retry_after: Some(after),
            };
            let d = retry_delay(&settings(), 1, &e).as_millis();
            assert!(d >= lo && d <= hi, "{after:?} -> {d} ms");
        }
    }

    #[test]
    fn retry_after_wins_over_the_backoff() {
        let e = TicketError::Retryable {
            message: "429".into(),
            retry_after: Some(Duration::from_secs(30)),
        };
        let d = retry_delay(&settings(), 1, &e);
        assert!(
            d >= Duration::from_secs(30) && d <= Duration::from_millis(30_100),
            "{d:?}"
        );
    }

    #[test]
    fn only_a_missing_ticket_or_a_long_run_of_refusals_gives_up() {
        assert!(gives_up(1, &TicketError::NotFound, MAX_REFUSED_ATTEMPTS));
        let refused = TicketError::Failed("400 bad request".into());
        assert!(!gives_up(
            MAX_REFUSED_ATTEMPTS - 1,
            &refused,
            MAX_REFUSED_ATTEMPTS
        ));
        assert!(gives_up(
            MAX_REFUSED_ATTEMPTS,
            &refused,
            MAX_REFUSED_ATTEMPTS
        ));
        assert!(
            !gives_up(10_000, &down(), MAX_REFUSED_ATTEMPTS),
            "outages are waited out"
        );
    }

    #[test]
    fn the_note_names_the_account_the_technician_and_the_mode_only() {
        assert_eq!(
            reset_note_text(DEFAULT_NOTE_TEXT, "Jane Tech", "jsmith", true, None),
            "PassDesk password reset - success\nAccount: jsmith\nTechnician: Jane Tech\ntemporary password: must change at next logon\nCaller not verified"
        );
        let by = crate::verification::notes::VerifiedBy {
            verification_id: "v".into(),
            kind: crate::verification::MethodKind::Sms,
            target: "+1 ***-***-0123".into(),
        };
        assert!(
            reset_note_text("Done", "Jane Tech", "jsmith", false, Some(&by))
                .ends_with("\npermanent password\nCaller verified by SMS code to +1 ***-***-0123")
        );
    }
}
