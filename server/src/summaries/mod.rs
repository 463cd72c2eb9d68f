//! Deal summaries without making the pane wait for them (issue 10).
//!
//! The summary action is generative AI: seconds per call, and its execution time counts against
//! the one application user's Dataverse budget. So the answer is sent as soon as the deals are
//! known, each summary `ready` (from the cache) or `pending`, and [`SummaryBroker`] generates the
//! pending ones in the background:
//!
//! - **Cached by caller, deal id and `modifiedon`** ([`CallerScope`], [`DealVersion`]) in the
//!   [`SharedCache`](crate::shared_cache::SharedCache): an unchanged deal is not summarized twice
//!   within the TTL (24 h by default), a changed one gets a new summary, and one agent's summary
//!   never reaches another when Sales access is per agent. `generatedAt` is when it was made.
//! - **One upstream call per deal version**: in-process, concurrent askers share one flight (a
//!   watch channel); across instances, the first to `SET NX` a claim generates and the others
//!   wait for its result to appear in the shared cache (and take over if the claim expires).
//! - **Top deals first, bounded**: at most `concurrency` generations at once per process, started
//!   in the order asked (the answer's order).
//! - **Not tied to a request**: generations are spawned tasks with their own timeout (30 s by
//!   default); a pane that goes away cancels only its own wait.
//! - **Failures are short-lived**: a failure, timeout or throttling becomes `unavailable` with a
//!   reason, cached briefly (`failure_ttl`), so the next ask tries again; throttling is retried
//!   after `Retry-After` within the timeout first.
//!
//! Long-poll: [`SummaryBroker::watch`] returns as soon as one of the given pending summaries
//! completes (here or, through the shared cache, on another instance), or at its timeout, with
//! the current state of each; it never starts a generation.

mod broker;
mod generator;
mod store;

use std::time::Duration;

use dealpane_contract::{Deal, Guid};

pub use self::broker::{SummaryBroker, SummaryStats};

/// Whose view of Sales a summary was made with: `app` when every call is the application
/// user's, the agent's Entra object id when calls carry `CallerObjectId`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CallerScope(String);

impl CallerScope {
    pub fn app() -> CallerScope {
        CallerScope("app".to_owned())
    }

    /// `oid` from the agent's validated token.
    pub fn agent(oid: &str) -> CallerScope {
        CallerScope(format!("agent-{oid}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A deal as summarized: its id and a version that changes whenever the summary should
/// (Dataverse's `modifiedon`; a caller may fold more in, e.g. the latest note's time).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DealVersion {
    pub id: Guid,
    pub version: String,
}

impl DealVersion {
    pub fn new(id: Guid, version: impl Into<String>) -> DealVersion {
        DealVersion {
            id,
            version: version.into(),
        }
    }

    /// Keyed by `modifiedOn`; a deal without one is keyed as `unknown`.
    pub fn of(deal: &Deal) -> DealVersion {
        DealVersion::keyed(deal.id, deal.modified_on.as_deref())
    }

    /// As [`DealVersion::of`], from a deal's id and `modifiedOn` (the long-poll's items).
    pub fn keyed(id: Guid, modified_on: Option<&str>) -> DealVersion {
        DealVersion::new(id, modified_on.unwrap_or("unknown"))
    }
}

/// Reasons an `unavailable` summary carries.
pub mod reason {
    pub const THROTTLED: &str = "throttled";
    pub const TIMEOUT: &str = "timeout";
    pub const FAILED: &str = "failed";
    /// The long-poll asked about a deal version no answer has listed (or whose summary
    /// expired): nothing is generating it, and the long-poll never starts one.
    pub const UNKNOWN: &str = "unknown";
}

#[derive(Debug, Clone)]
pub struct SummarySettings {
    /// How long a generated summary is served (`--summary-ttl-secs`).
    pub ttl: Duration,
    /// How long an `unavailable` one is, before the next ask tries again.
    pub failure_ttl: Duration,
    /// One generation's budget, retries after throttling included (`--summary-timeout-secs`).
    pub timeout: Duration,
    /// Generations at once in this process.
    pub concurrency: usize,
    /// How often an instance waiting on another's claim looks for the result.
    pub poll_interval: Duration,
}

impl Default for SummarySettings {
    fn default() -> Self {
        SummarySettings {
            ttl: Duration::from_secs(24 * 60 * 60),
            failure_ttl: Duration::from_secs(30),
            timeout: Duration::from_secs(30),
            concurrency: 4,
            poll_interval: Duration::from_millis(250),
        }
    }
}

impl SummarySettings {
    /// Every value within a sane range, whatever the flags said.
    fn bounded(self) -> SummarySettings {
        let ms = Duration::from_millis;
        SummarySettings {
            ttl: self
                .ttl
                .clamp(ms(1), Duration::from_secs(30 * 24 * 60 * 60)),
            failure_ttl: self.failure_ttl.clamp(ms(1), Duration::from_secs(60 * 60)),
            timeout: self.timeout.clamp(ms(10), Duration::from_secs(10 * 60)),
            concurrency: self.concurrency.clamp(1, 64),
            poll_interval: self.poll_interval.clamp(ms(10), Duration::from_secs(5)),
        }
    }
}

#[cfg(test)]
mod tests;
