//! The broker against a fake source that counts its summary calls.

mod fake_sales;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use dealpane_contract::{Deal, Guid, Summary, SummaryState};

use self::fake_sales::{Behaviour, FakeSales};
use super::*;
use crate::shared_cache::{CacheKey, SharedCache, SharedCacheOptions};

fn settings() -> SummarySettings {
    SummarySettings {
        timeout: Duration::from_secs(5),
        failure_ttl: Duration::from_millis(300),
        poll_interval: Duration::from_millis(20),
        ..SummarySettings::default()
    }
}

fn broker_with(
    source: &Arc<FakeSales>,
    cache: &SharedCache,
    settings: SummarySettings,
) -> SummaryBroker {
    SummaryBroker::new(source.clone(), cache.clone(), settings)
}

fn memory() -> SharedCache {
    SharedCache::in_memory(&SharedCacheOptions::default())
}

fn deal(n: u128, modified_on: &str) -> DealVersion {
    DealVersion::new(Guid::from_u128(n), modified_on)
}

const LONG: Duration = Duration::from_secs(10);

fn states(summaries: &[Summary]) -> Vec<SummaryState> {
    summaries.iter().map(|s| s.state).collect()
}

#[tokio::test]
async fn eight_concurrent_asks_for_one_deal_make_one_upstream_call() {
    let source = FakeSales::new(100);
    let broker = broker_with(&source, &memory(), settings());
    let scope = CallerScope::app();
    let deals = [deal(1, "2026-11-18T10:00:00Z")];
    let asks = (0..8).map(|_| {
        let (broker, scope, deals) = (broker.clone(), scope.clone(), deals.clone());
        tokio::spawn(async move { broker.wait_for_all(&scope, &deals, LONG).await })
    });
    let answers: Vec<Summary> = futures::future::join_all(asks)
        .await
        .into_iter()
        .map(|answer| answer.unwrap().remove(0))
        .collect();
    assert_eq!(source.calls().len(), 1);
    assert!(answers.iter().all(|a| a.state == SummaryState::Ready));
    assert!(
        answers.windows(2).all(|pair| pair[0] == pair[1]),
        "the same summary, same generatedAt"
    );
    assert_eq!(broker.stats().upstream_calls, 1);
    assert_eq!(broker.stats().in_flight, 0);
}

#[tokio::test]
async fn the_first_ask_is_pending_and_the_next_is_ready_from_the_cache() {
    let source = FakeSales::new(50);
    let broker = broker_with(&source, &memory(), settings());
    let scope = CallerScope::app();
    let deals = [deal(1, "a"), deal(2, "a")];
    let first = broker.summaries(&scope, &deals, false).await;
    assert_eq!(
        states(&first),
        [SummaryState::Pending, SummaryState::Pending]
    );
    let done = broker.wait_for_all(&scope, &deals, LONG).await;
    assert_eq!(states(&done), [SummaryState::Ready, SummaryState::Ready]);
    let again = broker.summaries(&scope, &deals, false).await;
    assert_eq!(
        again, done,
        "served as stored: generatedAt is when it was generated"
    );
    assert_eq!(source.calls().len(), 2);
    let generated = chrono::DateTime::parse_from_rfc3339(done[0].generated_at.as_deref().unwrap());
    assert!(generated.is_ok(), "{:?}", done[0].generated_at);
}

#[tokio::test]
async fn the_cache_is_keyed_by_modified_on_and_by_caller() {
    let source = FakeSales::new(0);
    let broker = broker_with(&source, &memory(), settings());
    let app = CallerScope::app();
    let id = Guid::from_u128(7);
    broker.wait_for_all(&app, &[deal(7, "v1")], LONG).await;
    broker.wait_for_all(&app, &[deal(7, "v1")], LONG).await;
    assert_eq!(source.calls_for(id), 1, "unchanged: not summarized twice");
    broker.wait_for_all(&app, &[deal(7, "v2")], LONG).await;
    assert_eq!(source.calls_for(id), 2, "changed modifiedOn: a new summary");
    broker
        .wait_for_all(&CallerScope::agent("oid-b"), &[deal(7, "v2")], LONG)
        .await;
    assert_eq!(
        source.calls_for(id),
        3,
        "another agent's summary is its own"
    );
}

#[tokio::test]
async fn top_deals_start_first_and_concurrency_is_bounded() {
    let source = FakeSales::new(30);
    let broker = broker_with(
        &source,
        &memory(),
        SummarySettings {
            concurrency: 1,
            ..settings()
        },
    );
    let deals: Vec<DealVersion> = (1..=5).map(|n| deal(n, "a")).collect();
    broker.summaries(&CallerScope::app(), &deals, false).await;
    broker.wait_for_all(&CallerScope::app(), &deals, LONG).await;
    assert_eq!(source.most_at_once.load(Ordering::SeqCst), 1);
    let expected: Vec<Guid> = deals.iter().map(|d| d.id).collect();
    assert_eq!(source.calls(), expected);
}

#[tokio::test]
async fn a_failure_marks_only_its_deal_and_is_retried_after_the_short_failure_ttl() {
    let source = FakeSales::new(0);
    let broker = broker_with(&source, &memory(), settings());
    let scope = CallerScope::app();
    let deals = [deal(1, "a"), deal(2, "a"), deal(3, "a")];
    source.set(Guid::from_u128(2), Behaviour::Fail);
    let done = broker.wait_for_all(&scope, &deals, LONG).await;
    assert_eq!(
        states(&done),
        [
            SummaryState::Ready,
            SummaryState::Unavailable,
            SummaryState::Ready
        ]
    );
    assert_eq!(done[1].reason.as_deref(), Some(reason::FAILED));
    // Within the failure TTL the failure is served; after it, the deal is tried again.
    broker.wait_for_all(&scope, &deals, LONG).await;
    assert_eq!(source.calls_for(Guid::from_u128(2)), 1);
    tokio::time::sleep(Duration::from_millis(350)).await;
    source.set(Guid::from_u128(2), Behaviour::Answer);
    let later = broker.wait_for_all(&scope, &deals, LONG).await;
    assert_eq!(later[1].state, SummaryState::Ready);
    assert_eq!(source.calls().len(), 4);
}

#[tokio::test]
async fn refresh_retries_a_failure_at_once() {
    let source = FakeSales::new(0);
    let broker = broker_with(
        &source,
        &memory(),
        SummarySettings {
            failure_ttl: LONG,
            ..settings()
        },
    );
    let scope = CallerScope::app();
    source.set(Guid::from_u128(1), Behaviour::Fail);
    broker.wait_for_all(&scope, &[deal(1, "a")], LONG).await;
    source.set(Guid::from_u128(1), Behaviour::Answer);
    let refreshed = broker.summaries(&scope, &[deal(1, "a")], true).await;
    assert_eq!(refreshed[0].state, SummaryState::Pending);
    let done = broker.wait_for_all(&scope, &[deal(1, "a")], LONG).await;
    assert_eq!(done[0].state, SummaryState::Ready);
}

#[tokio::test]
async fn throttling_waits_and_retries_within_the_timeout_then_gives_up() {
    let source = FakeSales::new(0);
    let broker = broker_with(&source, &memory(), settings());
    let scope = CallerScope::app();
    source.set(
        Guid::from_u128(1),
        Behaviour::Throttle(2, Duration::from_millis(50)),
    );
    let done = broker.wait_for_all(&scope, &[deal(1, "a")], LONG).await;
    assert_eq!(done[0].state, SummaryState::Ready);
    assert_eq!(source.calls().len(), 3);

    let short = broker_with(
        &source,
        &memory(),
        SummarySettings {
            timeout: Duration::from_millis(200),
            ..settings()
        },
    );
    source.set(
        Guid::from_u128(2),
        Behaviour::Throttle(u32::MAX, Duration::from_secs(60)),
    );
    let done = short.wait_for_all(&scope, &[deal(2, "a")], LONG).await;
    assert_eq!(done[0].state, SummaryState::Unavailable);
    assert_eq!(done[0].reason.as_deref(), Some(reason::THROTTLED));
}

#[tokio::test]
async fn a_slow_summary_times_out_alone() {
    let source = FakeSales::new(300);
    let broker = broker_with(
        &source,
        &memory(),
        SummarySettings {
            timeout: Duration::from_millis(100),
            ..settings()
        },
    );
    let done = broker
        .wait_for_all(&CallerScope::app(), &[deal(1, "a")], LONG)
        .await;
    assert_eq!(done[0].state, SummaryState::Unavailable);
    assert_eq!(done[0].reason.as_deref(), Some(reason::TIMEOUT));
}

#[tokio::test]
async fn the_long_poll_returns_at_the_first_completion_or_the_timeout() {
    let source = FakeSales::new(0);
    let slow = Guid::from_u128(2);
    source.set(slow, Behaviour::Throttle(1, Duration::from_millis(400)));
    let broker = broker_with(&source, &memory(), settings());
    let scope = CallerScope::app();
    let deals = [deal(1, "a"), deal(2, "a")];
    let started = tokio::time::Instant::now();
    broker.summaries(&scope, &deals, false).await;
    let first = broker.watch(&scope, &deals, LONG).await;
    assert!(started.elapsed() < Duration::from_millis(300));
    assert_eq!(states(&first), [SummaryState::Ready, SummaryState::Pending]);

    // Only the slow one asked for: nothing finishes within 50 ms.
    let started = tokio::time::Instant::now();
    let waited = broker
        .watch(&scope, &deals[1..], Duration::from_millis(50))
        .await;
    assert!(started.elapsed() >= Duration::from_millis(50));
    assert_eq!(states(&waited), [SummaryState::Pending]);
    let last = broker.watch(&scope, &deals[1..], LONG).await;
    assert_eq!(states(&last), [SummaryState::Ready]);
}

#[tokio::test]
async fn a_pane_that_goes_away_does_not_cancel_the_generation() {
    let source = FakeSales::new(100);
    let broker = broker_with(&source, &memory(), settings());
    let scope = CallerScope::app();
    let deals = [deal(1, "a")];
    let pane = tokio::spawn({
        let (broker, scope, deals) = (broker.clone(), scope.clone(), deals.clone());
        async move {
            broker.summaries(&scope, &deals, false).await;
            broker.watch(&scope, &deals, LONG).await
        }
    });
    tokio::time::sleep(Duration::from_millis(20)).await;
    pane.abort();
    tokio::time::sleep(Duration::from_millis(150)).await;
    let later = broker.summaries(&scope, &deals, false).await;
    assert_eq!(later[0].state, SummaryState::Ready);
    assert_eq!(source.calls().len(), 1);
}

#[tokio::test]
async fn two_instances_sharing_a_cache_summarize_a_deal_once() {
    // Two brokers (two "instances", each with its own in-flight map) over one cache: the
    // claim makes the second wait for the first's result instead of calling again.
    let source = FakeSales::new(150);
    let cache = memory();
    let (a, b) = (
        broker_with(&source, &cache, settings()),
        broker_with(&source, &cache, settings()),
    );
    let scope = CallerScope::app();
    let deals = [deal(1, "a"), deal(2, "a")];
    let (from_a, from_b) = tokio::join!(
        a.wait_for_all(&scope, &deals, LONG),
        b.wait_for_all(&scope, &deals, LONG)
    );
    assert_eq!(states(&from_a), [SummaryState::Ready, SummaryState::Ready]);
    assert_eq!(from_a, from_b);
    assert_eq!(source.calls().len(), 2);
}

#[tokio::test]
async fn the_claim_of_an_instance_that_died_expires_and_another_takes_over() {
    let source = FakeSales::new(0);
    let cache = memory();
    let broker = broker_with(&source, &cache, settings());
    let scope = CallerScope::app();
    let deals = [deal(1, "a")];
    // A claim as a crashed instance leaves it: nobody will store a result or release it.
    let claim = CacheKey::new(
        "summary-claim",
        &["app", &Guid::from_u128(1).to_string(), "a"],
    );
    assert!(
        cache
            .set_if_absent(&claim, b"dead", Duration::from_millis(300))
            .await
    );

    let started = tokio::time::Instant::now();
    let done = broker.wait_for_all(&scope, &deals, LONG).await;
    assert_eq!(done[0].state, SummaryState::Ready);
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "waited for the claim"
    );
    assert_eq!(source.calls().len(), 1);
}

#[test]
fn pending_and_reasons_on_the_wire() {
    let pending = serde_json::to_value(Summary::pending()).unwrap();
    assert_eq!(
        pending,
        serde_json::json!({"state": "pending", "text": null, "generatedAt": null})
    );
    let throttled = serde_json::to_value(Summary::unavailable_because(reason::THROTTLED)).unwrap();
    assert_eq!(throttled["reason"], "throttled");
    let older: Summary = serde_json::from_str(r#"{"state": "unavailable"}"#).unwrap();
    assert_eq!(older.reason, None);
}

#[tokio::test]
async fn fill_sets_each_deals_summary_in_place() {
    let source = FakeSales::new(0);
    let broker = broker_with(&source, &memory(), settings());
    let deal = |id: &str, modified_on: &str| -> Deal {
        serde_json::from_value(serde_json::json!({"id": id, "name": "n", "status": "open",
            "summary": {"state": "unavailable"}, "modifiedOn": modified_on}))
        .unwrap()
    };
    let mut deals = vec![
        deal(
            "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d",
            "2026-11-18T10:00:00Z",
        ),
        deal(
            "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
            "2026-11-19T10:00:00Z",
        ),
    ];
    let scope = CallerScope::app();
    broker.fill(&scope, &mut deals, false).await;
    assert_eq!(
        states(&deals.iter().map(|d| d.summary.clone()).collect::<Vec<_>>()),
        [SummaryState::Pending; 2]
    );
    let versions: Vec<DealVersion> = deals.iter().map(DealVersion::of).collect();
    broker.wait_for_all(&scope, &versions, LONG).await;
    broker.fill(&scope, &mut deals, false).await;
    assert!(deals.iter().all(|d| d.summary.state == SummaryState::Ready));
    assert_eq!(source.calls().len(), 2);
}

#[test]
fn deal_versions_come_from_modified_on() {
    let deal: Deal = serde_json::from_value(serde_json::json!({
        "id": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", "name": "n", "status": "open",
        "summary": {"state": "pending"}, "modifiedOn": "2026-11-18T10:00:00Z"}))
    .unwrap();
    assert_eq!(DealVersion::of(&deal).version, "2026-11-18T10:00:00Z");
    assert_eq!(CallerScope::agent("x").as_str(), "agent-x");
}

#[tokio::test]
async fn the_long_poll_tells_pending_from_unknown_and_never_starts_one() {
    let source = FakeSales::new(0);
    let failing = Guid::from_u128(2);
    source.set(failing, Behaviour::Fail);
    let broker = broker_with(&source, &memory(), settings());
    let scope = CallerScope::app();
    let deals = [deal(1, "a"), deal(2, "a")];
    let unknown = broker.watch(&scope, &deals, LONG).await;
    assert_eq!(
        unknown,
        vec![Summary::unavailable_because(reason::UNKNOWN); 2],
        "at once"
    );
    assert!(source.calls().is_empty());

    broker.wait_for_all(&scope, &deals, LONG).await;
    let known = broker.watch(&scope, &deals, LONG).await;
    assert_eq!(
        states(&known),
        [SummaryState::Ready, SummaryState::Unavailable]
    );
    // Once the failure expires nothing is generating it: unknown again, not pending (a fast
    // generation leaves no queued mark behind).
    tokio::time::sleep(Duration::from_millis(400)).await;
    let started = tokio::time::Instant::now();
    let later = broker.watch(&scope, &deals[1..], LONG).await;
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(later[0].reason.as_deref(), Some(reason::UNKNOWN));
    assert_eq!(source.calls().len(), 2);
}
