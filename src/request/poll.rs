//! The summaries long-poll's policy: after each round, ask again (at once or after a pause), or
//! stop. Plain and tested natively; `pane::summaries` runs it.
//!
//! - an answer that settled something: ask again at once for what is still pending;
//! - an answer that settled nothing (the server's wait ran out): ask again after a short pause;
//! - Sales busy (429, 503): not an error; wait `Retry-After`, within bounds, and ask again;
//! - no answer (network, timeout, 502, 504): the retry policy of [`super::retry_delay_ms`];
//!   once it gives up, stop, and the pane offers Retry on each summary still pending;
//! - any other answer (400, 401, 403, 404 from a server without the route, a body the pane
//!   cannot read): stop at once, since asking again would get the same.
//!
//! Rounds that settle nothing, busy ones included, are bounded too ([`MAX_IDLE_ROUNDS`]), so
//! a summary that never settles does not keep a pane asking forever.

use super::{parse_retry_after_ms, retry_delay_ms, Failure, FetchError};

/// Busy (429, 503) without a usable `Retry-After`: wait this long.
pub const BUSY_WAIT_DEFAULT_MS: u32 = 5_000;
/// A busy server's `Retry-After` is obeyed within these bounds.
pub const BUSY_WAIT_MIN_MS: u32 = 1_000;
pub const BUSY_WAIT_MAX_MS: u32 = 60_000;
/// After an answer that settled nothing: a server (or proxy) that answers at once must not be
/// asked in a tight loop.
pub const IDLE_PAUSE_MS: u32 = 1_000;
/// Rounds in a row that settle nothing before the pane stops asking: about five minutes of
/// 20-second waits.
pub const MAX_IDLE_ROUNDS: u32 = 15;

/// How one round of the long-poll ended, as the policy sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Round<'a> {
    /// An answer; `progress` when it settled at least one deal.
    Answered { progress: bool },
    /// 429 or 503: Sales (or the service) is busy.
    Busy { retry_after: Option<&'a str> },
    /// No answer: what the retry policy sees.
    Failed(Failure<'a>),
    /// An answer that asking again would not change.
    Refused,
}

impl Round<'_> {
    /// The round a failed request makes. `retry_after`: the answer's header, if any.
    pub fn failed<'a>(error: &FetchError, retry_after: Option<&'a str>) -> Round<'a> {
        match error.status() {
            Some(429 | 503) => Round::Busy { retry_after },
            Some(status @ (502 | 504)) => Round::Failed(Failure::Status {
                status,
                retry_after: None,
            }),
            Some(_) => Round::Refused,
            None => match error {
                FetchError::Network | FetchError::TimedOut { .. } => {
                    Round::Failed(Failure::Network)
                }
                _ => Round::Refused,
            },
        }
    }
}

/// What to do after a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Ask again after `after_ms`.
    Poll { after_ms: u32 },
    /// Sales is busy: say so, and ask again after `after_ms`.
    Busy { after_ms: u32 },
    /// Stop asking.
    Stop,
}

/// The state of one long-poll's budget: failures and idle rounds in a row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PollBudget {
    failures: u32,
    idle_rounds: u32,
}

impl PollBudget {
    pub fn next(&mut self, round: Round<'_>) -> Next {
        match round {
            Round::Answered { progress: true } => {
                *self = PollBudget::default();
                Next::Poll { after_ms: 0 }
            }
            Round::Answered { progress: false } => {
                self.failures = 0;
                self.idle(Next::Poll {
                    after_ms: IDLE_PAUSE_MS,
                })
            }
            Round::Busy { retry_after } => {
                self.failures = 0;
                let wanted = retry_after
                    .and_then(parse_retry_after_ms)
                    .unwrap_or(BUSY_WAIT_DEFAULT_MS);
                self.idle(Next::Busy {
                    after_ms: wanted.clamp(BUSY_WAIT_MIN_MS, BUSY_WAIT_MAX_MS),
                })
            }
            Round::Failed(failure) => match retry_delay_ms(self.failures, failure) {
                Some(after_ms) => {
                    self.failures += 1;
                    Next::Poll { after_ms }
                }
                None => Next::Stop,
            },
            Round::Refused => Next::Stop,
        }
    }

    fn idle(&mut self, next: Next) -> Next {
        self.idle_rounds += 1;
        if self.idle_rounds >= MAX_IDLE_ROUNDS {
            Next::Stop
        } else {
            next
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::{MAX_RETRIES, RETRY_BACKOFF_MS};
    use dealpane_contract::Problem;

    fn problem(status: u16) -> FetchError {
        FetchError::Problem(Box::new(Problem {
            kind: "about:blank".into(),
            title: "t".into(),
            status,
            detail: None,
            instance: None,
            trace_id: None,
        }))
    }

    #[test]
    fn progress_asks_again_at_once_and_resets_the_budget() {
        let mut budget = PollBudget::default();
        assert_eq!(
            budget.next(Round::Failed(Failure::Network)),
            Next::Poll {
                after_ms: RETRY_BACKOFF_MS
            }
        );
        assert_eq!(
            budget.next(Round::Answered { progress: true }),
            Next::Poll { after_ms: 0 }
        );
        assert_eq!(budget, PollBudget::default());
    }

    #[test]
    fn busy_waits_retry_after_within_bounds() {
        let busy = |retry_after| PollBudget::default().next(Round::Busy { retry_after });
        assert_eq!(busy(Some("3")), Next::Busy { after_ms: 3_000 });
        assert_eq!(busy(Some("0")), Next::Busy { after_ms: 1_000 }, "min");
        assert_eq!(busy(Some("3600")), Next::Busy { after_ms: 60_000 }, "max");
        assert_eq!(busy(None), Next::Busy { after_ms: 5_000 });
        assert_eq!(
            busy(Some("Wed, 21 Oct 2026 07:28:00 GMT")),
            Next::Busy { after_ms: 5_000 }
        );
    }

    #[test]
    fn failures_follow_the_retry_policy_then_stop() {
        let mut budget = PollBudget::default();
        let gateway = Round::Failed(Failure::Status {
            status: 504,
            retry_after: None,
        });
        for _ in 0..MAX_RETRIES {
            assert_eq!(
                budget.next(gateway),
                Next::Poll {
                    after_ms: RETRY_BACKOFF_MS
                }
            );
        }
        assert_eq!(budget.next(Round::Failed(Failure::Network)), Next::Stop);
    }

    #[test]
    fn rounds_without_progress_are_bounded_busy_ones_included() {
        let mut budget = PollBudget::default();
        for round in 1..MAX_IDLE_ROUNDS {
            let next = if round % 2 == 0 {
                budget.next(Round::Busy {
                    retry_after: Some("2"),
                })
            } else {
                budget.next(Round::Answered { progress: false })
            };
            assert_ne!(next, Next::Stop, "round {round}");
        }
        assert_eq!(budget.next(Round::Answered { progress: false }), Next::Stop);
    }

    #[test]
    fn errors_are_classified_by_what_asking_again_could_change() {
        assert_eq!(
            Round::failed(&problem(429), Some("2")),
            Round::Busy {
                retry_after: Some("2")
            }
        );
        assert_eq!(
            Round::failed(&FetchError::Status(503), None),
            Round::Busy { retry_after: None }
        );
        assert_eq!(
            Round::failed(&FetchError::TimedOut { after_ms: 1 }, None),
            Round::Failed(Failure::Network)
        );
        assert_eq!(
            Round::failed(&FetchError::Network, None),
            Round::Failed(Failure::Network)
        );
        assert!(matches!(
            Round::failed(&FetchError::Status(502), None),
            Round::Failed(Failure::Status { status: 502, .. })
        ));
        for refused in [
            problem(404),
            problem(401),
            FetchError::Status(500),
            FetchError::Malformed("x".into()),
        ] {
            assert_eq!(Round::failed(&refused, None), Round::Refused, "{refused:?}");
            assert_eq!(PollBudget::default().next(Round::Refused), Next::Stop);
        }
    }
}
