//! `Retry-After` from any upstream (ConnectWise, Graph, Twilio, Duo, or a proxy in between), read
//! once here so no caller trusts it without bound: delta-seconds or an HTTP-date, clamped to
//! [`MAX_WAIT`]. An absurd value (2^64−1 s, a year, a date in 2999) becomes a 120 s wait, never an
//! overflow or a note deferred for months.

use std::time::{Duration, SystemTime};

use http::header::{HeaderMap, RETRY_AFTER};

/// Longest wait PassDesk accepts from one `Retry-After`.
pub const MAX_WAIT: Duration = Duration::from_secs(120);

/// The header's wait, clamped; `None` when absent or unreadable.
pub fn from_headers(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    parse(value, SystemTime::now())
}

/// Parses one `Retry-After` value relative to `now` (RFC 9110 §10.2.3), clamped to [`MAX_WAIT`].
/// A date in the past means "now".
pub fn parse(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    let wait = if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // All digits but too long for u64 is still "very long": clamp rather than drop it.
        Duration::from_secs(value.parse::<u64>().unwrap_or(u64::MAX))
    } else {
        let at = httpdate::parse_http_date(value).ok()?;
        at.duration_since(now).unwrap_or(Duration::ZERO)
    };
    Some(wait.min(MAX_WAIT))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> SystemTime {
        httpdate::parse_http_date("Wed, 02 Dec 2026 12:00:00 GMT").unwrap()
    }

    #[test]
    fn seconds_are_taken_up_to_the_cap() {
        assert_eq!(parse("30", now()), Some(Duration::from_secs(30)));
        assert_eq!(parse(" 0 ", now()), Some(Duration::ZERO));
        assert_eq!(parse("120", now()), Some(MAX_WAIT));
        assert_eq!(parse("31536000", now()), Some(MAX_WAIT), "one year");
        assert_eq!(
            parse("18446744073709551615", now()),
            Some(MAX_WAIT),
            "2^64-1"
        );
        assert_eq!(
            parse("99999999999999999999999999", now()),
            Some(MAX_WAIT),
            "beyond u64"
        );
    }

    #[test]
    fn http_dates_are_relative_to_now_and_clamped() {
        assert_eq!(
            parse("Wed, 02 Dec 2026 12:00:45 GMT", now()),
            Some(Duration::from_secs(45))
        );
        assert_eq!(
            parse("Wed, 02 Dec 2026 11:00:00 GMT", now()),
            Some(Duration::ZERO)
        );
        assert_eq!(
            parse("Tue, 31 Dec 2999 23:59:59 GMT", now()),
            Some(MAX_WAIT)
        );
    }

    #[test]
    fn garbage_is_absent() {
        for v in ["", "-5", "1.5", "soon", "30s"] {
            assert_eq!(parse(v, now()), None, "{v:?}");
        }
    }

    #[test]
    fn headers_are_read() {
        let mut h = HeaderMap::new();
        assert_eq!(from_headers(&h), None);
        h.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(from_headers(&h), Some(Duration::from_secs(7)));
    }
}
