//! Reconnection delays: exponential with full jitter, capped, with a floor so a flapping backend is
//! never hammered; reset once a connection has stayed up for a while.
use std::time::Duration;

/// The delay sequence of one agent.
#[derive(Debug, Clone)]
pub struct Backoff {
    floor: Duration,
    base: Duration,
    cap: Duration,
    attempt: u32,
}

impl Backoff {
    /// Delays grow from `base` up to `cap`, never below `floor` (all clamped to `cap`).
    pub fn new(floor: Duration, base: Duration, cap: Duration) -> Self {
        Self {
            floor: floor.min(cap),
            base,
            cap,
            attempt: 0,
        }
    }

    /// The next delay: uniformly random in `[floor, min(cap, base * 2^attempt)]`.
    pub fn next_delay(&mut self, random_unit: f64) -> Duration {
        let ceiling = self
            .base
            .saturating_mul(2u32.saturating_pow(self.attempt))
            .min(self.cap)
            .max(self.floor);
        self.attempt = self.attempt.saturating_add(1);
        let span = ceiling.saturating_sub(self.floor);
        self.floor + span.mul_f64(random_unit.clamp(0.0, 1.0))
    }

    /// After a connection that lasted: start again from the smallest delays.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_to_the_cap_and_restart_after_reset() {
        let mut b = Backoff::new(
            Duration::from_millis(250),
            Duration::from_secs(1),
            Duration::from_secs(8),
        );
        let top: Vec<Duration> = (0..6).map(|_| b.next_delay(1.0)).collect();
        assert_eq!(
            top,
            [1, 2, 4, 8, 8, 8].map(Duration::from_secs).to_vec(),
            "upper bounds double up to the cap"
        );
        assert_eq!(
            b.next_delay(0.0),
            Duration::from_millis(250),
            "never below the floor"
        );
        b.reset();
        assert_eq!(b.next_delay(1.0), Duration::from_secs(1));
        let mid = b.next_delay(0.5);
        assert!(
            mid > Duration::from_millis(250) && mid < Duration::from_secs(2),
            "{mid:?}"
        );
    }

    #[test]
    fn huge_attempt_counts_do_not_overflow() {
        let mut b = Backoff::new(
            Duration::ZERO,
            Duration::from_secs(1),
            Duration::from_secs(60),
        );
        for _ in 0..200 {
            assert!(b.next_delay(1.0) <= Duration::from_secs(60));
        }
    }
}
