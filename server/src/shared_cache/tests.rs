//! The fallback and health logic of `SharedCache`, against a store that can be switched off.
//! (The real Redis is exercised in `server/tests/shared_cache_redis.rs`.)

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;

use super::*;

const TTL: Duration = Duration::from_secs(60);

/// A memory store that fails every command while `down`, counting the commands it got.
#[derive(Default)]
struct Switchable {
    inner: Option<MemoryStore>,
    down: AtomicBool,
    calls: AtomicUsize,
}

impl Switchable {
    fn new() -> Arc<Switchable> {
        Arc::new(Switchable {
            inner: Some(MemoryStore::new(1 << 20)),
            ..Default::default()
        })
    }

    fn check(&self) -> Result<&MemoryStore, CacheError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if self.down.load(Ordering::SeqCst) {
            return Err(CacheError::Unavailable("switched off".into()));
        }
        Ok(self.inner.as_ref().unwrap())
    }
}

#[async_trait]
impl CacheStore for Switchable {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError> {
        self.check()?.get(key).await
    }
    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), CacheError> {
        self.check()?.set(key, value, ttl).await
    }
    async fn set_if_absent(
        &self,
        key: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<bool, CacheError> {
        self.check()?.set_if_absent(key, value, ttl).await
    }
    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        self.check()?.delete(key).await
    }
    async fn ping(&self) -> Result<(), CacheError> {
        self.check().map(|_| ())
    }
}

/// `set_if_absent` on a new key wins once: the second claim loses.
async fn claimed_once(cache: &SharedCache, name: &str) {
    let key = CacheKey::new("t", &[name]);
    assert!(
        cache.set_if_absent(&key, b"1", TTL).await,
        "the first claim wins"
    );
    assert!(
        !cache.set_if_absent(&key, b"2", TTL).await,
        "the second loses"
    );
}

fn options(probe_ms: u64) -> SharedCacheOptions {
    SharedCacheOptions {
        probe_interval: Duration::from_millis(probe_ms),
        ..SharedCacheOptions::default()
    }
}

/// Log lines written while the guard lives.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn start() -> (Captured, tracing::subscriber::DefaultGuard) {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        (captured, tracing::subscriber::set_default(subscriber))
    }

    fn count(&self, needle: &str) -> usize {
        String::from_utf8_lossy(&self.0.lock().unwrap())
            .matches(needle)
            .count()
    }
}

#[test]
fn keys_are_namespaced_and_parts_cannot_collide() {
    let key = CacheKey::new("summary", &["app", "2026-11-18T10:00:00Z"]);
    assert_eq!(
        key.as_str(),
        "dealpane:v1:summary:app:2026-11-18T10%3A00%3A00Z"
    );
    assert_ne!(
        CacheKey::new("n", &["a:b", "c"]),
        CacheKey::new("n", &["a", "b:c"])
    );
    assert_ne!(CacheKey::new("n", &["a%3Ab"]), CacheKey::new("n", &["a:b"]));
    let long = |last: &str| CacheKey::new("n", &[&"x".repeat(600), last]);
    assert!(long("a").as_str().len() <= MAX_KEY_LEN);
    assert!(long("a").as_str().starts_with("dealpane:v1:n:sha256-"));
    assert_ne!(
        long("a"),
        long("b"),
        "long keys are digested, never truncated"
    );
}

#[tokio::test]
async fn memory_only_is_never_degraded() {
    let cache = SharedCache::in_memory(&SharedCacheOptions::default());
    let key = CacheKey::new("t", &["k"]);
    cache.set_json(&key, &vec![1, 2, 3], TTL).await;
    assert_eq!(cache.get_json::<Vec<u8>>(&key).await, Some(vec![1, 2, 3]));
    claimed_once(&cache, "c").await;
    cache.delete(&key).await;
    assert_eq!(cache.get(&key).await, None);
    assert_eq!(
        cache.status(),
        CacheStatus {
            backend: "memory",
            degraded: false
        }
    );
    assert!(!cache.is_shared());
}

#[tokio::test]
async fn an_outage_falls_back_to_memory_logs_once_probes_rarely_and_recovers() {
    let (logs, _guard) = Captured::start();
    let store = Switchable::new();
    let cache = SharedCache::with_store(store.clone(), "redis://test".into(), &options(200));
    let key = CacheKey::new("t", &["k"]);

    cache.set(&key, b"before", TTL).await;
    assert_eq!(cache.get(&key).await.as_deref(), Some(&b"before"[..]));
    assert!(cache.is_shared());

    store.down.store(true, Ordering::SeqCst);
    // The failing call itself falls back to the memory copy.
    assert_eq!(cache.get(&key).await.as_deref(), Some(&b"before"[..]));
    assert!(cache.is_degraded());
    assert_eq!(cache.status().backend, "redis");
    let degradation = cache.degradation().expect("health lists it");
    assert_eq!(degradation.code, "sharedCacheUnavailable");
    assert!(
        !degradation.detail.contains("redis://"),
        "no address in public health"
    );
    let calls_at_outage = store.calls.load(Ordering::SeqCst);

    // Within the probe interval nobody tries Redis: 50 calls cost it nothing.
    for i in 0..50u8 {
        cache.set(&CacheKey::new("t", &["during"]), &[i], TTL).await;
        assert!(cache.get(&key).await.is_some());
    }
    assert_eq!(store.calls.load(Ordering::SeqCst), calls_at_outage);
    claimed_once(&cache, "claim").await;

    // After the interval one call probes (and fails again: still one log line).
    tokio::time::sleep(Duration::from_millis(250)).await;
    cache.get(&key).await;
    cache.get(&key).await;
    assert_eq!(store.calls.load(Ordering::SeqCst), calls_at_outage + 1);
    assert!(cache.is_degraded());

    store.down.store(false, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(250)).await;
    cache.get(&key).await;
    assert!(!cache.is_degraded(), "the next probe finds Redis back");
    assert_eq!(cache.degradation(), None);
    assert!(cache.is_shared());
    cache.set(&key, b"after", TTL).await;
    assert_eq!(
        store
            .inner
            .as_ref()
            .unwrap()
            .get(key.as_str())
            .await
            .unwrap()
            .as_deref(),
        Some(&b"after"[..]),
        "writes reach Redis again"
    );

    assert_eq!(logs.count("Redis failed"), 1, "one warning per outage");
    assert_eq!(logs.count("Redis is back"), 1);
}

#[tokio::test]
async fn concurrent_callers_during_an_outage_probe_once_per_interval() {
    let store = Switchable::new();
    let cache = SharedCache::with_store(store.clone(), "redis://test".into(), &options(60_000));
    store.down.store(true, Ordering::SeqCst);
    let key = CacheKey::new("t", &["k"]);
    cache.get(&key).await;
    let after_first = store.calls.load(Ordering::SeqCst);
    let calls = (0..20).map(|_| {
        let cache = cache.clone();
        let key = key.clone();
        tokio::spawn(async move { cache.get(&key).await })
    });
    futures::future::join_all(calls).await;
    assert_eq!(store.calls.load(Ordering::SeqCst), after_first);
}
