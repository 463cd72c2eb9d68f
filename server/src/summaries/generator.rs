//! One summary from the source: the call, its timeout, and retries after throttling. The
//! summary action is not idempotent and costs an AI call, so only throttling is retried here
//! (the source's HTTP client retries transient failures itself); anything else is `unavailable`
//! at once.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use dealpane_contract::{Guid, Summary};
use tokio::time::Instant;

use super::reason;
use crate::source::{SalesSource, SourceError};

/// Attempts per generation, throttling included: a bound even for a `Retry-After: 0`.
const MAX_ATTEMPTS: u32 = 5;
/// The least wait before retrying after throttling.
const MIN_BACKOFF: Duration = Duration::from_millis(100);

/// The summary of `deal_id`, or `unavailable` with a reason; never longer than `timeout`.
/// `calls` counts upstream calls (retries included).
pub(super) async fn generate(
    source: &dyn SalesSource,
    deal_id: Guid,
    timeout: Duration,
    calls: &AtomicU64,
) -> Summary {
    let deadline = Instant::now() + timeout;
    for _ in 0..MAX_ATTEMPTS {
        calls.fetch_add(1, Ordering::Relaxed);
        let answer = tokio::time::timeout_at(deadline, source.deal_summary(deal_id)).await;
        match answer {
            Ok(Ok(text)) => return Summary::ready(text, now_rfc3339()),
            Ok(Err(SourceError::Throttled { retry_after })) => {
                let wait = retry_after.max(MIN_BACKOFF);
                if Instant::now() + wait >= deadline {
                    tracing::warn!(deal = %deal_id, ?retry_after, "summary: throttled beyond its timeout");
                    return Summary::unavailable_because(reason::THROTTLED);
                }
                tracing::info!(deal = %deal_id, ?retry_after, "summary: throttled, retrying");
                tokio::time::sleep(wait).await;
            }
            Ok(Err(SourceError::Timeout)) | Err(_) => {
                tracing::warn!(deal = %deal_id, "summary: timed out");
                return Summary::unavailable_because(reason::TIMEOUT);
            }
            Ok(Err(error)) => {
                tracing::warn!(deal = %deal_id, %error, "summary: failed");
                return Summary::unavailable_because(reason::FAILED);
            }
        }
    }
    Summary::unavailable_because(reason::THROTTLED)
}

/// RFC 3339, UTC, whole seconds: as every timestamp of the contract.
fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
