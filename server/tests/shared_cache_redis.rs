//! The shared cache against a real redis-server: two `SharedCache`s stand for two server
//! instances. Redis going away mid-test: each instance serves from its own memory, says it is
//! degraded, and recovers when Redis is back.

#[path = "support/redis.rs"]
mod redis_server;

use std::time::{Duration, Instant};

use dealpane_server::shared_cache::{CacheKey, SharedCache, SharedCacheOptions};
use redis_server::RedisServer;

const TTL: Duration = Duration::from_secs(60);

fn options() -> SharedCacheOptions {
    SharedCacheOptions {
        op_timeout: Duration::from_millis(300),
        probe_interval: Duration::from_millis(300),
        ..SharedCacheOptions::default()
    }
}

fn instance(redis: &RedisServer) -> SharedCache {
    SharedCache::open(Some(&redis.url()), &options()).expect("a valid Redis URL")
}

fn key(name: &str) -> CacheKey {
    CacheKey::new("test", &[name])
}

/// Calls `get` until `done` holds (Redis reconnects and probes take a moment), at most 10 s.
async fn eventually(cache: &SharedCache, done: impl Fn(&SharedCache) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done(cache) {
        assert!(
            Instant::now() < deadline,
            "not within 10 s: {:?}",
            cache.status()
        );
        cache.get(&key("probe")).await;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn two_instances_share_values_claims_and_ttls() {
    let redis = RedisServer::start();
    let (a, b) = (instance(&redis), instance(&redis));

    a.set(&key("answer"), b"42", TTL).await;
    assert_eq!(b.get(&key("answer")).await.as_deref(), Some(&b"42"[..]));
    assert!(b.is_shared() && !b.is_degraded());
    assert_eq!(b.status().backend, "redis");

    b.delete(&key("answer")).await;
    assert_eq!(
        a.get(&key("answer")).await,
        None,
        "a delete is seen by every instance"
    );

    // One winner for a claim, whichever instance asks.
    assert!(a.set_if_absent(&key("claim"), b"a", TTL).await);
    assert!(!b.set_if_absent(&key("claim"), b"b", TTL).await);
    assert!(!a.set_if_absent(&key("claim"), b"a", TTL).await);
    assert_eq!(b.get(&key("claim")).await.as_deref(), Some(&b"a"[..]));

    // Twelve concurrent claims from both instances: one wins.
    let tries = (0..12).map(|i| {
        let cache = if i % 2 == 0 { a.clone() } else { b.clone() };
        tokio::spawn(async move { cache.set_if_absent(&key("race"), b"x", TTL).await })
    });
    let winners = futures::future::join_all(tries)
        .await
        .into_iter()
        .filter(|won| *won.as_ref().unwrap())
        .count();
    assert_eq!(winners, 1);

    // TTLs are Redis's: gone for both after they pass, and a claim can then be taken again.
    a.set(&key("short"), b"s", Duration::from_millis(150)).await;
    assert!(
        a.set_if_absent(&key("short-claim"), b"a", Duration::from_millis(150))
            .await
    );
    assert!(b.get(&key("short")).await.is_some());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(b.get(&key("short")).await, None);
    assert!(b.set_if_absent(&key("short-claim"), b"b", TTL).await);

    let typed = vec!["x".to_owned(), "y".to_owned()];
    a.set_json(&key("json"), &typed, TTL).await;
    assert_eq!(b.get_json::<Vec<String>>(&key("json")).await, Some(typed));
}

#[tokio::test]
async fn redis_going_away_falls_back_to_memory_then_recovers() {
    let mut redis = RedisServer::start();
    let (a, b) = (instance(&redis), instance(&redis));
    a.set(&key("kept"), b"before", TTL).await;
    assert_eq!(b.get(&key("kept")).await.as_deref(), Some(&b"before"[..]));

    redis.stop();
    let started = Instant::now();
    // `a` wrote it, so its memory copy answers; `b` only read it, so it has none.
    assert_eq!(a.get(&key("kept")).await.as_deref(), Some(&b"before"[..]));
    assert_eq!(b.get(&key("kept")).await, None);
    assert!(a.is_degraded() && b.is_degraded());
    assert!(!a.is_shared());
    // While degraded, calls do not wait on the dead Redis.
    for _ in 0..20 {
        a.set(&key("during"), b"local", TTL).await;
        assert_eq!(a.get(&key("during")).await.as_deref(), Some(&b"local"[..]));
    }
    assert!(
        a.set_if_absent(&key("claim"), b"a", TTL).await,
        "claims still work within one instance"
    );
    assert!(!a.set_if_absent(&key("claim"), b"a", TTL).await);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "every Redis wait is bounded: {:?}",
        started.elapsed()
    );

    redis.restart();
    eventually(&a, |cache| !cache.is_degraded()).await;
    eventually(&b, |cache| !cache.is_degraded()).await;
    assert!(a.is_shared());
    a.set(&key("after"), b"shared again", TTL).await;
    assert_eq!(
        b.get(&key("after")).await.as_deref(),
        Some(&b"shared again"[..])
    );
}

#[tokio::test]
async fn an_instance_started_while_redis_is_down_serves_and_joins_it_later() {
    let mut redis = RedisServer::start();
    redis.stop();
    let cache = instance(&redis);
    cache.set(&key("k"), b"local", TTL).await;
    assert!(cache.is_degraded());
    assert_eq!(cache.get(&key("k")).await.as_deref(), Some(&b"local"[..]));

    redis.restart();
    eventually(&cache, |cache| !cache.is_degraded()).await;
    let other = instance(&redis);
    cache.set(&key("k"), b"shared", TTL).await;
    assert_eq!(other.get(&key("k")).await.as_deref(), Some(&b"shared"[..]));
}

#[test]
fn a_malformed_cache_url_is_refused_at_start() {
    let error = SharedCache::open(Some("not a url"), &options())
        .err()
        .expect("refused");
    assert!(error.to_string().contains("--cache-url"), "{error}");
    assert_eq!(
        SharedCache::open(None, &options())
            .unwrap()
            .status()
            .backend,
        "memory"
    );
}
