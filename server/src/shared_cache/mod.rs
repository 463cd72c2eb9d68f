//! What several server instances must share (summaries, answers, idempotency keys) behind one
//! small interface, [`CacheStore`], with two implementations: [`MemoryStore`] (in-process, the
//! default) and [`RedisStore`] (`--cache-url redis://…`).
//!
//! [`SharedCache`] is what the rest of the server holds. With Redis it reads and writes Redis,
//! and writes a copy to memory. When Redis fails or is slow (every command is bounded by a short
//! timeout) it serves from memory, logs the outage once, reports itself degraded for
//! `/api/health`, and lets one caller at most every `probe_interval` try Redis again: no
//! request waits on a dead Redis more than once per interval. Values are bytes; the
//! `*_json` helpers (de)serialize.

pub mod memory;
pub mod redis;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use dealpane_contract::Degradation;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};

pub use self::memory::MemoryStore;
pub use self::redis::RedisStore;

/// Every key starts with this, so a Redis shared with other applications stays tidy, and a
/// change of stored format can move to `v2` without reading the old one.
const KEY_PREFIX: &str = "dealpane:v1";
/// Keys are short ids and timestamps; a longer one is stored under its digest.
const MAX_KEY_LEN: usize = 512;

#[derive(Debug, Clone, thiserror::Error)]
pub enum CacheError {
    #[error("{0}")]
    Config(String),
    #[error("the shared cache is unavailable: {0}")]
    Unavailable(String),
}

/// The one interface both stores implement. Keys are [`CacheKey`] strings.
#[async_trait]
pub trait CacheStore: Send + Sync + 'static {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError>;
    /// Stores `value` for `ttl`, replacing what was there.
    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), CacheError>;
    /// Stores `value` for `ttl` only if the key is absent (Redis `SET NX PX`); `true` when this
    /// call stored it. Idempotency keys and generation claims rely on one winner.
    async fn set_if_absent(
        &self,
        key: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<bool, CacheError>;
    async fn delete(&self, key: &str) -> Result<(), CacheError>;
    async fn ping(&self) -> Result<(), CacheError>;
}

/// A namespaced key: `dealpane:v1:<namespace>:<part>:<part>…`. Parts may hold anything (a
/// caller's oid, a timestamp with colons): `%` and `:` in them are escaped, so two different
/// part lists never make the same key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CacheKey(String);

impl CacheKey {
    pub fn new(namespace: &str, parts: &[&str]) -> CacheKey {
        let mut key = format!("{KEY_PREFIX}:{namespace}");
        for part in parts {
            key.push(':');
            for c in part.chars() {
                match c {
                    '%' => key.push_str("%25"),
                    ':' => key.push_str("%3A"),
                    c => key.push(c),
                }
            }
        }
        if key.len() > MAX_KEY_LEN {
            // Never truncate (two keys could then meet): a long one is replaced by its digest.
            let digest = Sha256::digest(key.as_bytes());
            key = format!("{KEY_PREFIX}:{namespace}:sha256-{digest:x}");
        }
        CacheKey(key)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// For `/api/health`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheStatus {
    /// `memory` or `redis`.
    pub backend: &'static str,
    /// Redis is configured but failing: this instance serves from its own memory.
    pub degraded: bool,
}

#[derive(Debug, Clone)]
pub struct SharedCacheOptions {
    /// Bound of the in-process store (keys and values).
    pub memory_bytes: u64,
    /// Bound of each Redis command.
    pub op_timeout: Duration,
    /// While Redis is failing, how often one caller tries it again.
    pub probe_interval: Duration,
}

impl Default for SharedCacheOptions {
    fn default() -> Self {
        SharedCacheOptions {
            memory_bytes: 64 * 1024 * 1024,
            op_timeout: Duration::from_millis(500),
            probe_interval: Duration::from_secs(3),
        }
    }
}

/// Cheap to clone; clones share the stores and the health state.
#[derive(Clone)]
pub struct SharedCache {
    memory: MemoryStore,
    redis: Option<Arc<RedisLink>>,
}

/// Redis and what this instance knows of its health.
struct RedisLink {
    store: Arc<dyn CacheStore>,
    display: String,
    degraded: AtomicBool,
    /// Milliseconds since `epoch` before which nobody tries Redis while degraded.
    next_probe_ms: AtomicU64,
    epoch: Instant,
    probe_interval: Duration,
}

impl SharedCache {
    /// In-process only: one instance, or tests.
    pub fn in_memory(options: &SharedCacheOptions) -> SharedCache {
        SharedCache {
            memory: MemoryStore::new(options.memory_bytes),
            redis: None,
        }
    }

    /// `None`: in-process; `Some(url)`: Redis, falling back to memory. Connects lazily.
    pub fn open(
        url: Option<&str>,
        options: &SharedCacheOptions,
    ) -> Result<SharedCache, CacheError> {
        let Some(url) = url else {
            return Ok(SharedCache::in_memory(options));
        };
        let store = RedisStore::open(url, options.op_timeout)?;
        let display = store.display().to_owned();
        Ok(SharedCache::with_store(Arc::new(store), display, options))
    }

    /// Any store as the shared one (tests use a failing one).
    pub fn with_store(
        store: Arc<dyn CacheStore>,
        display: String,
        options: &SharedCacheOptions,
    ) -> SharedCache {
        SharedCache {
            memory: MemoryStore::new(options.memory_bytes),
            redis: Some(Arc::new(RedisLink {
                store,
                display,
                degraded: AtomicBool::new(false),
                next_probe_ms: AtomicU64::new(0),
                epoch: Instant::now(),
                probe_interval: options.probe_interval,
            })),
        }
    }

    pub fn status(&self) -> CacheStatus {
        CacheStatus {
            backend: if self.redis.is_some() {
                "redis"
            } else {
                "memory"
            },
            degraded: self.is_degraded(),
        }
    }

    pub fn is_degraded(&self) -> bool {
        self.redis
            .as_ref()
            .is_some_and(|link| link.degraded.load(Ordering::Acquire))
    }

    /// For `/api/health`'s `degradations` while Redis is failing (its status then says
    /// `degraded`). Says nothing of where Redis is: health is public.
    pub fn degradation(&self) -> Option<Degradation> {
        self.is_degraded().then(|| Degradation {
            code: "sharedCacheUnavailable".to_owned(),
            detail: "Redis does not answer: this instance serves from its own memory, so \
                     instances share no summaries, answers or idempotency keys until it is back."
                .to_owned(),
        })
    }

    /// Asks Redis (if configured, and due for a probe while degraded) whether it answers, so
    /// `/api/health` tells of an outage even before a request meets it; then the status.
    pub async fn check(&self) -> CacheStatus {
        if let Some(link) = self.usable_redis() {
            link.settle(link.store.ping().await);
        }
        self.status()
    }

    /// Whether values are shared with other instances right now (Redis configured and up).
    pub fn is_shared(&self) -> bool {
        self.redis.is_some() && !self.is_degraded()
    }

    pub async fn get(&self, key: &CacheKey) -> Option<Vec<u8>> {
        if let Some(link) = self.usable_redis() {
            if let Some(found) = link.settle(link.store.get(key.as_str()).await) {
                return found;
            }
        }
        self.memory.get(key.as_str()).await.ok().flatten()
    }

    pub async fn set(&self, key: &CacheKey, value: &[u8], ttl: Duration) {
        if let Some(link) = self.usable_redis() {
            link.settle(link.store.set(key.as_str(), value, ttl).await);
        }
        let _ = self.memory.set(key.as_str(), value, ttl).await;
    }

    /// `true` when this call stored the value (one winner across instances while Redis is up,
    /// within this instance while it is not).
    pub async fn set_if_absent(&self, key: &CacheKey, value: &[u8], ttl: Duration) -> bool {
        if let Some(link) = self.usable_redis() {
            if let Some(stored) =
                link.settle(link.store.set_if_absent(key.as_str(), value, ttl).await)
            {
                if stored {
                    let _ = self.memory.set(key.as_str(), value, ttl).await;
                }
                return stored;
            }
        }
        self.memory
            .set_if_absent(key.as_str(), value, ttl)
            .await
            .unwrap_or(false)
    }

    pub async fn delete(&self, key: &CacheKey) {
        if let Some(link) = self.usable_redis() {
            link.settle(link.store.delete(key.as_str()).await);
        }
        let _ = self.memory.delete(key.as_str()).await;
    }

    pub async fn get_json<T: DeserializeOwned>(&self, key: &CacheKey) -> Option<T> {
        let bytes = self.get(key).await?;
        match serde_json::from_slice(&bytes) {
            Ok(value) => Some(value),
            Err(error) => {
                // Another version's format: treat as a miss, it will be rewritten.
                tracing::debug!(key = key.as_str(), %error, "unreadable cache entry");
                None
            }
        }
    }

    pub async fn set_json<T: Serialize>(&self, key: &CacheKey, value: &T, ttl: Duration) {
        let bytes = serde_json::to_vec(value).expect("cache values always serialize");
        self.set(key, &bytes, ttl).await;
    }

    /// Redis, if configured and either healthy or due for a probe by this caller.
    fn usable_redis(&self) -> Option<&RedisLink> {
        let link = self.redis.as_deref()?;
        if !link.degraded.load(Ordering::Acquire) {
            return Some(link);
        }
        let now = link.now_ms();
        let due = link.next_probe_ms.load(Ordering::Acquire);
        let next = now + link.probe_interval.as_millis() as u64;
        // One caller per interval wins the probe; the others use memory without waiting.
        (now >= due
            && link
                .next_probe_ms
                .compare_exchange(due, next, Ordering::AcqRel, Ordering::Acquire)
                .is_ok())
        .then_some(link)
    }
}

impl RedisLink {
    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    /// Records the outcome of a Redis command: the first failure of an outage and the recovery
    /// are logged once each. `None` on failure (the caller falls back to memory).
    fn settle<T>(&self, outcome: Result<T, CacheError>) -> Option<T> {
        match outcome {
            Ok(value) => {
                if self.degraded.swap(false, Ordering::AcqRel) {
                    tracing::info!(redis = %self.display, "shared cache: Redis is back");
                }
                Some(value)
            }
            Err(error) => {
                let next = self.now_ms() + self.probe_interval.as_millis() as u64;
                self.next_probe_ms.store(next, Ordering::Release);
                if !self.degraded.swap(true, Ordering::AcqRel) {
                    tracing::warn!(
                        redis = %self.display, %error,
                        "shared cache: Redis failed; serving from this instance's memory until it is back"
                    );
                }
                None
            }
        }
    }
}

#[cfg(test)]
mod tests;
