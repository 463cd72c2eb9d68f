//! Summaries across server instances sharing a real Redis: each deal version is summarized once
//! however many instances ask, and Redis going away costs sharing, not summaries.

#[path = "support/redis.rs"]
mod redis_server;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use dealpane_contract::{CustomerRef, CustomerType, Deal, Guid, SummaryState};
use dealpane_server::shared_cache::{SharedCache, SharedCacheOptions};
use dealpane_server::source::{CustomerRecord, SalesSource, SourceError, SourceStats};
use dealpane_server::summaries::{CallerScope, DealVersion, SummaryBroker, SummarySettings};
use redis_server::RedisServer;

/// A Sales environment whose summary action takes `latency` and is counted.
struct SlowSummaries {
    latency: Duration,
    calls: AtomicUsize,
}

#[async_trait]
impl SalesSource for SlowSummaries {
    fn name(&self) -> &'static str {
        "slow-summaries"
    }
    async fn customer_by_id(
        &self,
        _: Guid,
        _: Option<CustomerType>,
    ) -> Result<Option<CustomerRecord>, SourceError> {
        unreachable!("only summaries are asked for")
    }
    async fn customer_by_name(
        &self,
        _: &str,
        _: Option<CustomerType>,
    ) -> Result<Option<CustomerRecord>, SourceError> {
        unreachable!("only summaries are asked for")
    }
    async fn open_deals(&self, _: &CustomerRecord, _: u8) -> Result<Vec<Deal>, SourceError> {
        unreachable!("only summaries are asked for")
    }
    async fn deal_summary(&self, deal_id: Guid) -> Result<String, SourceError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(self.latency).await;
        Ok(format!("summary of {deal_id}"))
    }
    async fn search_customers(&self, _: &str, _: u8) -> Result<Vec<CustomerRef>, SourceError> {
        unreachable!("only summaries are asked for")
    }
    async fn stats(&self) -> Result<SourceStats, SourceError> {
        unreachable!("only summaries are asked for")
    }
}

fn sales(latency_ms: u64) -> Arc<SlowSummaries> {
    Arc::new(SlowSummaries {
        latency: Duration::from_millis(latency_ms),
        calls: AtomicUsize::new(0),
    })
}

/// One server instance: its own cache connection and its own broker.
fn instance(redis: &RedisServer, sales: &Arc<SlowSummaries>) -> SummaryBroker {
    let cache = SharedCache::open(
        Some(&redis.url()),
        &SharedCacheOptions {
            op_timeout: Duration::from_millis(300),
            probe_interval: Duration::from_millis(300),
            ..SharedCacheOptions::default()
        },
    )
    .unwrap();
    let settings = SummarySettings {
        timeout: Duration::from_secs(5),
        poll_interval: Duration::from_millis(25),
        ..SummarySettings::default()
    };
    SummaryBroker::new(sales.clone(), cache, settings)
}

fn deals(count: u128, version: &str) -> Vec<DealVersion> {
    (1..=count)
        .map(|n| DealVersion::new(Guid::from_u128(n), version))
        .collect()
}

const LONG: Duration = Duration::from_secs(10);

#[tokio::test]
async fn three_instances_summarize_each_deal_once() {
    let redis = RedisServer::start();
    let sales = sales(200);
    let instances: Vec<SummaryBroker> = (0..3).map(|_| instance(&redis, &sales)).collect();
    let scope = CallerScope::app();
    let deals = deals(4, "2026-11-18T10:00:00Z");

    // Every instance gets the same pane load at the same moment: deals first, all pending.
    for broker in &instances {
        let now = broker.summaries(&scope, &deals, false).await;
        assert!(now.iter().all(|s| s.state == SummaryState::Pending));
    }
    let answers = futures::future::join_all(
        instances
            .iter()
            .map(|broker| broker.wait_for_all(&scope, &deals, LONG)),
    )
    .await;
    for answer in &answers {
        assert!(
            answer.iter().all(|s| s.state == SummaryState::Ready),
            "{answer:?}"
        );
        assert_eq!(
            answer, &answers[0],
            "one summary each, the same generatedAt everywhere"
        );
    }
    assert_eq!(
        sales.calls.load(Ordering::SeqCst),
        4,
        "4 deals, 4 calls, not 12"
    );

    // A fourth instance (a reload landing elsewhere) is served from Redis: no call.
    let late = instance(&redis, &sales);
    assert_eq!(late.summaries(&scope, &deals, false).await, answers[0]);
    assert_eq!(sales.calls.load(Ordering::SeqCst), 4);

    // A changed deal is summarized again, once.
    let changed = vec![DealVersion::new(Guid::from_u128(1), "2026-11-20T08:00:00Z")];
    let (x, y) = tokio::join!(
        instances[0].wait_for_all(&scope, &changed, LONG),
        instances[1].wait_for_all(&scope, &changed, LONG)
    );
    assert_eq!(x, y);
    assert_eq!(sales.calls.load(Ordering::SeqCst), 5);
}

#[tokio::test]
async fn without_redis_each_instance_still_summarizes_from_memory() {
    let mut redis = RedisServer::start();
    let sales = sales(50);
    let (a, b) = (instance(&redis, &sales), instance(&redis, &sales));
    let scope = CallerScope::app();
    redis.stop();

    let deals = deals(2, "v1");
    let from_a = a.wait_for_all(&scope, &deals, LONG).await;
    assert!(
        from_a.iter().all(|s| s.state == SummaryState::Ready),
        "{from_a:?}"
    );
    // Each instance on its own now: b summarizes again, a is served from its memory.
    b.wait_for_all(&scope, &deals, LONG).await;
    assert_eq!(sales.calls.load(Ordering::SeqCst), 4);
    assert_eq!(a.summaries(&scope, &deals, false).await, from_a);
    assert_eq!(sales.calls.load(Ordering::SeqCst), 4);
}
