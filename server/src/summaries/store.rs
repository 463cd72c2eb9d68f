//! Where finished summaries and generation claims live in the shared cache, and for how long.

use std::time::Duration;

use dealpane_contract::{Summary, SummaryState};

use super::{CallerScope, DealVersion, SummarySettings};
use crate::shared_cache::{CacheKey, SharedCache};

/// A claim outlives the generation it guards by this much, so a crashed instance's claim
/// expires soon after the generation would have timed out.
const CLAIM_MARGIN: Duration = Duration::from_secs(5);
/// How long a queued mark lasts at most: a crashed instance's marks make long-polls elsewhere
/// say `pending` for this long, then `unavailable` (unknown).
const QUEUED_TTL: Duration = Duration::from_secs(5 * 60);

pub(super) struct SummaryStore {
    cache: SharedCache,
    ttl: Duration,
    failure_ttl: Duration,
    claim_ttl: Duration,
    /// Written into claims, to tell instances apart when reading Redis by hand.
    instance: String,
}

impl SummaryStore {
    pub(super) fn new(cache: SharedCache, settings: &SummarySettings) -> SummaryStore {
        SummaryStore {
            cache,
            ttl: settings.ttl,
            failure_ttl: settings.failure_ttl,
            claim_ttl: settings.timeout + CLAIM_MARGIN,
            instance: uuid::Uuid::new_v4().to_string(),
        }
    }

    pub(super) fn cache(&self) -> &SharedCache {
        &self.cache
    }

    pub(super) fn claim_ttl(&self) -> Duration {
        self.claim_ttl
    }

    fn key(scope: &CallerScope, deal: &DealVersion) -> CacheKey {
        CacheKey::new(
            "summary",
            &[scope.as_str(), &deal.id.to_string(), &deal.version],
        )
    }

    fn queued_key(scope: &CallerScope, deal: &DealVersion) -> CacheKey {
        CacheKey::new(
            "summary-queued",
            &[scope.as_str(), &deal.id.to_string(), &deal.version],
        )
    }

    fn claim_key(scope: &CallerScope, deal: &DealVersion) -> CacheKey {
        CacheKey::new(
            "summary-claim",
            &[scope.as_str(), &deal.id.to_string(), &deal.version],
        )
    }

    /// A finished summary (`ready` or `unavailable`), if one is stored.
    pub(super) async fn get(&self, scope: &CallerScope, deal: &DealVersion) -> Option<Summary> {
        let summary: Summary = self.cache.get_json(&Self::key(scope, deal)).await?;
        matches!(
            summary.state,
            SummaryState::Ready | SummaryState::Unavailable
        )
        .then_some(summary)
    }

    /// Ready ones for the TTL, failures briefly.
    pub(super) async fn put(&self, scope: &CallerScope, deal: &DealVersion, summary: &Summary) {
        let ttl = match summary.state {
            SummaryState::Ready => self.ttl,
            _ => self.failure_ttl,
        };
        self.cache
            .set_json(&Self::key(scope, deal), summary, ttl)
            .await;
    }

    /// Forgets a stored failure, so the next ask generates again (an agent's Refresh).
    pub(super) async fn forget_failure(&self, scope: &CallerScope, deal: &DealVersion) {
        if self
            .get(scope, deal)
            .await
            .is_some_and(|summary| summary.state == SummaryState::Unavailable)
        {
            self.cache.delete(&Self::key(scope, deal)).await;
        }
    }

    /// `true` when this instance may generate the summary (no other holds the claim).
    pub(super) async fn claim(&self, scope: &CallerScope, deal: &DealVersion) -> bool {
        self.cache
            .set_if_absent(
                &Self::claim_key(scope, deal),
                self.instance.as_bytes(),
                self.claim_ttl,
            )
            .await
    }

    /// Whether some instance holds the claim (is generating it now).
    pub(super) async fn is_claimed(&self, scope: &CallerScope, deal: &DealVersion) -> bool {
        self.cache
            .get(&Self::claim_key(scope, deal))
            .await
            .is_some()
    }

    /// After the result is stored, so a waiter never finds neither.
    pub(super) async fn release(&self, scope: &CallerScope, deal: &DealVersion) {
        self.cache.delete(&Self::claim_key(scope, deal)).await;
        self.cache.delete(&Self::queued_key(scope, deal)).await;
    }

    /// Says, to every instance, that this deal version's generation is on its way (queued
    /// for a slot, before any claim): a long-poll landing on another instance then waits for
    /// it instead of calling it unknown. Written before the answer that says `pending` is sent.
    pub(super) async fn mark_queued(&self, scope: &CallerScope, deal: &DealVersion) {
        self.cache
            .set(
                &Self::queued_key(scope, deal),
                self.instance.as_bytes(),
                QUEUED_TTL,
            )
            .await;
    }

    /// Whether some instance has the generation queued or running.
    pub(super) async fn is_on_its_way(&self, scope: &CallerScope, deal: &DealVersion) -> bool {
        let queued_key = Self::queued_key(scope, deal);
        let (queued, claimed) =
            tokio::join!(self.cache.get(&queued_key), self.is_claimed(scope, deal));
        queued.is_some() || claimed
    }
}
