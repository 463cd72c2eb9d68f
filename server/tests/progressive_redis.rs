//! Two server instances sharing one real `redis-server` (`--cache-url`): a deal is summarized
//! once whichever instance the pane's requests land on, and Redis going away costs sharing,
//! not service.

#[path = "support/redis.rs"]
mod redis_server;
mod support;

use std::time::Duration;

use dealpane_contract::{
    summary_query_item, DealSummaryResponse, Health, SummariesResponse, SummaryState,
};
use dealpane_server::Settings;
use redis_server::RedisServer;
use support::{settings, Dirs, FakeSource, Server, CONTOSO};

fn contoso() -> String {
    format!("/api/DealSummary?customerId={CONTOSO}")
}

fn with_cache(dirs: &Dirs, url: &str) -> Settings {
    Settings {
        cache_url: Some(url.to_owned()),
        ..settings(dirs)
    }
}

fn summaries_path(answer: &DealSummaryResponse) -> String {
    let items: Vec<String> = answer
        .deals
        .iter()
        .map(|deal| summary_query_item(&deal.id, deal.modified_on.as_deref()))
        .collect();
    format!("/api/summaries?deals={}&wait=10", items.join(","))
}

#[tokio::test]
async fn two_instances_sharing_redis_summarize_each_deal_once() {
    let redis = RedisServer::start();
    let source = FakeSource::new();
    *source.summary_delay.lock().unwrap() = Duration::from_millis(500);
    let dirs = Dirs::new();
    let a = Server::start(&with_cache(&dirs, &redis.url()), source.clone()).await;
    let b = Server::start(&with_cache(&dirs, &redis.url()), source.clone()).await;

    // The pane's answer comes from A; its long-poll lands on B, which never saw the deals.
    let answer: DealSummaryResponse = a.json(&contoso()).await;
    assert!(answer
        .deals
        .iter()
        .all(|d| d.summary.state == SummaryState::Pending));
    let mut summaries = Vec::new();
    for _ in 0..5 {
        let polled: SummariesResponse = b.json(&summaries_path(&answer)).await;
        summaries = polled.summaries;
        if summaries
            .iter()
            .all(|s| s.summary.state != SummaryState::Pending)
        {
            break;
        }
    }
    assert!(
        summaries
            .iter()
            .all(|s| s.summary.state == SummaryState::Ready),
        "{summaries:?}"
    );
    assert_eq!(source.summary_calls(), 3);

    // A reload on B: its answer is A's cached one, every summary ready, no call.
    let reload: DealSummaryResponse = b.json(&contoso()).await;
    assert_eq!(
        reload.generated_at, answer.generated_at,
        "the shared answer"
    );
    for (deal, update) in reload.deals.iter().zip(&summaries) {
        assert_eq!(deal.summary, update.summary);
    }
    assert_eq!(source.summary_calls(), 3);
    assert_eq!(source.open_deals_calls(), 1);

    let health: Health = b.json("/api/health").await;
    assert_eq!(health.status, "ok");
    assert!(health.degradations.is_empty());
}

#[tokio::test]
async fn without_redis_the_server_serves_from_memory_and_says_degraded() {
    let mut redis = RedisServer::start();
    let url = redis.url();
    redis.stop();
    let source = FakeSource::new();
    let dirs = Dirs::new();
    let server = Server::start(&with_cache(&dirs, &url), source.clone()).await;

    let answer = server.get_json(&contoso()).await;
    assert_eq!(answer.status(), 200);
    let answer: DealSummaryResponse = answer.json().await.unwrap();
    assert_eq!(answer.deals.len(), 3);
    let again: DealSummaryResponse = server.json(&contoso()).await;
    assert_eq!(again.generated_at, answer.generated_at, "cached in memory");
    assert_eq!(source.summary_calls(), 3, "summaries too");

    let response = server.get("/api/health").await;
    assert_eq!(response.status(), 200, "it still serves");
    let health: Health = response.json().await.unwrap();
    assert_eq!(health.status, "degraded");
    let codes: Vec<_> = health
        .degradations
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["sharedCacheUnavailable"]);
    assert!(
        !health.degradations[0].detail.contains("127.0.0.1"),
        "health is public: it does not say where Redis is"
    );

    // Redis is back: after the probe interval, health says so.
    redis.restart();
    let mut status = String::new();
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        status = server.json::<Health>("/api/health").await.status;
        if status == "ok" {
            break;
        }
    }
    assert_eq!(status, "ok");
}
