//! The request lifecycle, one rule for every call the pane makes: a request starts with its
//! own abort signal, starting the next one of the same kind aborts it, it times out after the
//! configured time, failures are retried by one policy ([`retry_delay_ms`]), and an answer that
//! arrives after a newer start (or after the pane unmounted) is dropped.
//!
//! - this file: why a call failed ([`FetchError`]) and the retry policy, plain and tested natively;
//! - `http` (wasm32): one GET with its timeout and retries;
//! - `slot` (wasm32): `RequestSlot`, the one place that aborts and drops stale answers. The
//!   pane's load, its summaries long-poll, the customer picker and `config.json` each own one;
//! - `wait` (wasm32): `within`, a future's answer if it comes in time;
//! - `poll`: the summaries long-poll's policy (ask again, wait while Sales is busy, or stop).

use dealpane_contract::Problem;

#[cfg(target_arch = "wasm32")]
mod http;
pub mod poll;
#[cfg(target_arch = "wasm32")]
mod slot;

#[cfg(target_arch = "wasm32")]
pub use http::{get, post, Exchange, Get, Post};
#[cfg(target_arch = "wasm32")]
pub use slot::RequestSlot;
#[cfg(target_arch = "wasm32")]
pub use wait::within;
#[cfg(target_arch = "wasm32")]
mod wait;

/// How many times a failed request is tried again.
pub const MAX_RETRIES: u32 = 1;
/// The pause before retrying a network error or a 502/503/504.
pub const RETRY_BACKOFF_MS: u32 = 600;
/// The longest `Retry-After` a 429 makes the widget wait; a longer one fails at once.
pub const RETRY_AFTER_CAP_MS: u32 = 10_000;

/// Why a call produced no answer to show.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchError {
    /// The server explained itself with `application/problem+json`.
    Problem(Box<Problem>),
    /// An HTTP error without a problem body (a proxy's HTML page, say).
    Status(u16),
    /// A success status whose body does not follow the contract.
    Malformed(String),
    /// No answer within the configured time; the request was aborted.
    TimedOut { after_ms: u32 },
    /// The request never got an answer: offline, DNS, CORS, a dropped connection.
    Network,
    /// The caller cancelled it (a newer request replaced it): nothing to show.
    Aborted,
}

impl FetchError {
    /// The trace id the agent can quote to an admin, when the server sent one.
    pub fn trace_id(&self) -> Option<&str> {
        match self {
            FetchError::Problem(problem) => problem.trace_id.as_deref(),
            _ => None,
        }
    }

    /// The HTTP status of an error answer; `None` when there was no answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::Problem(problem) => Some(problem.status),
            FetchError::Status(status) => Some(*status),
            _ => None,
        }
    }

    /// True when the customer does not exist in Sales (a state of its own, not an error).
    pub fn is_not_found(&self) -> bool {
        matches!(self, FetchError::Problem(p) if p.status == 404)
    }
}

/// A failed attempt, as the retry policy sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure<'a> {
    Network,
    Status {
        status: u16,
        retry_after: Option<&'a str>,
    },
}

/// How long to wait before trying again, or `None` to give up. `retries_done` counts the retries
/// already made. Network errors and 502/503/504 get one retry after a short backoff; a 429 gets
/// one retry after its `Retry-After` (seconds), when that is at most [`RETRY_AFTER_CAP_MS`].
pub fn retry_delay_ms(retries_done: u32, failure: Failure<'_>) -> Option<u32> {
    if retries_done >= MAX_RETRIES {
        return None;
    }
    match failure {
        Failure::Network => Some(RETRY_BACKOFF_MS),
        Failure::Status {
            status: 502..=504, ..
        } => Some(RETRY_BACKOFF_MS),
        Failure::Status {
            status: 429,
            retry_after,
        } => match retry_after.map(parse_retry_after_ms) {
            // Absent or an HTTP date: a short pause is the polite guess.
            None | Some(None) => Some(RETRY_BACKOFF_MS),
            Some(Some(ms)) if ms <= RETRY_AFTER_CAP_MS => Some(ms),
            Some(Some(_)) => None,
        },
        Failure::Status { .. } => None,
    }
}

/// Whether to send a write (a POST with an `Idempotency-Key`) again by itself, and after how
/// long. Only when that cannot create a second record and asking again may change the answer:
/// after a network failure (the server may have it or not; the same key replays it or says
/// 409) and after a 409 (the same key still in progress), once. Never after a timeout, a 429 or
/// a 5xx: the draft waits and the agent decides, and their retry reuses the key.
pub fn resend_delay_ms(retries_done: u32, failure: Failure<'_>) -> Option<u32> {
    if retries_done >= MAX_RETRIES {
        return None;
    }
    match failure {
        Failure::Network => Some(RETRY_BACKOFF_MS),
        Failure::Status {
            status: 409,
            retry_after,
        } => match retry_after.map(parse_retry_after_ms) {
            None | Some(None) => Some(RETRY_BACKOFF_MS),
            Some(Some(ms)) => (ms <= RETRY_AFTER_CAP_MS).then_some(ms),
        },
        Failure::Status { .. } => None,
    }
}

/// `Retry-After` as delay-seconds (`"3"`, `"0.5"` from lenient servers), in milliseconds.
/// Read by hand, digits and one dot: a float parser would weigh more than the rest of this file.
pub fn parse_retry_after_ms(value: &str) -> Option<u32> {
    let (whole, fraction) = value.trim().split_once('.').unwrap_or((value.trim(), ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !digits(whole) || !digits(fraction) {
        return None;
    }
    let seconds = whole.bytes().fold(0_u64, |n, b| {
        n.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    });
    // Milliseconds from the first three fraction digits, the rest truncated.
    let millis =
        (fraction.bytes().chain(*b"000").take(3)).fold(0_u64, |n, b| n * 10 + u64::from(b - b'0'));
    let total = seconds.saturating_mul(1000).saturating_add(millis);
    Some(u32::try_from(total).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_errors_and_gateway_failures_are_retried_once() {
        for failure in [
            Failure::Network,
            Failure::Status {
                status: 502,
                retry_after: None,
            },
            Failure::Status {
                status: 503,
                retry_after: Some("1"),
            },
            Failure::Status {
                status: 504,
                retry_after: None,
            },
        ] {
            assert_eq!(
                retry_delay_ms(0, failure),
                Some(RETRY_BACKOFF_MS),
                "{failure:?}"
            );
            assert_eq!(retry_delay_ms(1, failure), None, "{failure:?}");
        }
    }

    #[test]
    fn other_statuses_are_not_retried() {
        for status in [400, 401, 403, 404, 500, 501] {
            let failure = Failure::Status {
                status,
                retry_after: None,
            };
            assert_eq!(retry_delay_ms(0, failure), None, "{status}");
        }
    }

    #[test]
    fn a_write_is_sent_again_only_when_its_key_makes_that_safe() {
        let status = |status, retry_after| Failure::Status {
            status,
            retry_after,
        };
        assert_eq!(resend_delay_ms(0, Failure::Network), Some(RETRY_BACKOFF_MS));
        assert_eq!(resend_delay_ms(1, Failure::Network), None, "once");
        assert_eq!(resend_delay_ms(0, status(409, Some("2"))), Some(2_000));
        assert_eq!(resend_delay_ms(0, status(409, Some("60"))), None);
        for refused in [400, 403, 413, 422, 429, 500, 502, 503, 504] {
            assert_eq!(
                resend_delay_ms(0, status(refused, Some("1"))),
                None,
                "{refused}"
            );
        }
    }

    #[test]
    fn too_many_requests_waits_for_retry_after_up_to_the_cap() {
        let after = |value| Failure::Status {
            status: 429,
            retry_after: value,
        };
        assert_eq!(retry_delay_ms(0, after(Some("2"))), Some(2_000));
        assert_eq!(retry_delay_ms(0, after(Some(" 0.25 "))), Some(250));
        assert_eq!(retry_delay_ms(0, after(Some("10"))), Some(10_000));
        assert_eq!(retry_delay_ms(0, after(Some("11"))), None, "over the cap");
        assert_eq!(retry_delay_ms(0, after(None)), Some(RETRY_BACKOFF_MS));
        assert_eq!(
            retry_delay_ms(0, after(Some("Wed, 21 Oct 2026 07:28:00 GMT"))),
            Some(RETRY_BACKOFF_MS)
        );
        assert_eq!(retry_delay_ms(1, after(Some("1"))), None, "only once");
        assert_eq!(parse_retry_after_ms("-1"), None);
        assert_eq!(parse_retry_after_ms("NaN"), None);
        assert_eq!(parse_retry_after_ms("1.5"), Some(1_500));
        assert_eq!(parse_retry_after_ms(".5"), Some(500));
        assert_eq!(parse_retry_after_ms("7."), Some(7_000));
        assert_eq!(parse_retry_after_ms("0.0019"), Some(1));
        assert_eq!(parse_retry_after_ms("99999999999"), Some(u32::MAX));
        assert_eq!(parse_retry_after_ms("."), None);
        assert_eq!(parse_retry_after_ms("1.2.3"), None);
        assert_eq!(parse_retry_after_ms(""), None);
    }
}
