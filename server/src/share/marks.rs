//! A deal's summary must not hide a note just shared on it, yet Sales does not change the
//! opportunity's `modifiedon` when a task is added. So the time of each deal's latest note is
//! kept in the shared cache, and the summaries' cache key carries it: a new note makes a new
//! deal version, whose summary is generated again (and mentions the note).

use std::time::Duration;

use dealpane_contract::Guid;

use crate::shared_cache::{CacheKey, SharedCache};
use crate::summaries::DealVersion;

/// Longer than the longest summary TTL (30 days), so a summary never outlives the mark that
/// keyed it.
const MARK_TTL: Duration = Duration::from_secs(31 * 24 * 60 * 60);

fn key(deal_id: Guid) -> CacheKey {
    CacheKey::new("deal-latest-note", &[&deal_id.to_string()])
}

/// Records `created_on` (RFC 3339) as the deal's latest note unless a later one is known.
pub async fn record(cache: &SharedCache, deal_id: Guid, created_on: &str) {
    let known = cache.get(&key(deal_id)).await;
    if known.is_some_and(|known| known.as_slice() >= created_on.as_bytes()) {
        return;
    }
    cache
        .set(&key(deal_id), created_on.as_bytes(), MARK_TTL)
        .await;
}

/// The latest note's time of the deal, when one is known.
pub async fn latest(cache: &SharedCache, deal_id: Guid) -> Option<String> {
    let bytes = cache.get(&key(deal_id)).await?;
    String::from_utf8(bytes).ok()
}

/// Each version with its deal's latest note time folded in (`<modifiedOn>+note:<time>`).
pub async fn with_latest_notes(cache: &SharedCache, deals: &[DealVersion]) -> Vec<DealVersion> {
    let marks = futures::future::join_all(deals.iter().map(|deal| latest(cache, deal.id))).await;
    deals
        .iter()
        .zip(marks)
        .map(|(deal, mark)| match mark {
            Some(at) => DealVersion::new(deal.id, format!("{}+note:{at}", deal.version)),
            None => deal.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared_cache::SharedCacheOptions;

    #[tokio::test]
    async fn a_note_changes_the_version_and_an_older_one_does_not() {
        let cache = SharedCache::in_memory(&SharedCacheOptions::default());
        let deal = Guid::parse("9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d").unwrap();
        let other = Guid::parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301").unwrap();
        let asked = [
            DealVersion::new(deal, "2026-11-18T10:00:00Z"),
            DealVersion::new(other, "v"),
        ];
        assert_eq!(with_latest_notes(&cache, &asked).await, asked);
        record(&cache, deal, "2026-11-29T10:00:00Z").await;
        record(&cache, deal, "2026-11-28T10:00:00Z").await;
        let versions = with_latest_notes(&cache, &asked).await;
        assert_eq!(
            versions[0].version,
            "2026-11-18T10:00:00Z+note:2026-11-29T10:00:00Z"
        );
        assert_eq!(versions[1], asked[1]);
    }
}
