//! The in-process store: moka with a TTL per entry and a byte bound. It is the whole cache when
//! no Redis is configured, and the fallback copy when one is (see `super`).

use std::time::{Duration, Instant};

use async_trait::async_trait;
use moka::future::Cache;
use moka::Expiry;

use super::{CacheError, CacheStore};

/// One stored value and how long it lives from its last write.
#[derive(Clone)]
struct Entry {
    value: Vec<u8>,
    ttl: Duration,
}

/// Each entry expires after its own TTL, counted from its last write (as Redis's `PX`).
struct PerEntryTtl;

impl Expiry<String, Entry> for PerEntryTtl {
    fn expire_after_create(&self, _: &String, entry: &Entry, _: Instant) -> Option<Duration> {
        Some(entry.ttl)
    }

    fn expire_after_update(
        &self,
        _: &String,
        entry: &Entry,
        _: Instant,
        _: Option<Duration>,
    ) -> Option<Duration> {
        Some(entry.ttl)
    }
}

#[derive(Clone)]
pub struct MemoryStore {
    entries: Cache<String, Entry>,
}

impl MemoryStore {
    /// At most `capacity_bytes` of keys and values; the least useful entries go first.
    pub fn new(capacity_bytes: u64) -> MemoryStore {
        MemoryStore {
            entries: Cache::builder()
                .max_capacity(capacity_bytes.max(1))
                .weigher(|key: &String, entry: &Entry| {
                    u32::try_from(key.len() + entry.value.len()).unwrap_or(u32::MAX)
                })
                .expire_after(PerEntryTtl)
                .build(),
        }
    }
}

#[async_trait]
impl CacheStore for MemoryStore {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError> {
        Ok(self.entries.get(key).await.map(|entry| entry.value))
    }

    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), CacheError> {
        let entry = Entry {
            value: value.to_vec(),
            ttl,
        };
        self.entries.insert(key.to_owned(), entry).await;
        Ok(())
    }

    async fn set_if_absent(
        &self,
        key: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<bool, CacheError> {
        let entry = Entry {
            value: value.to_vec(),
            ttl,
        };
        // moka's entry API is atomic per key: of concurrent callers, one inserts.
        let stored = self
            .entries
            .entry(key.to_owned())
            .or_insert_with(async { entry })
            .await;
        Ok(stored.is_fresh())
    }

    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        self.entries.invalidate(key).await;
        Ok(())
    }

    async fn ping(&self) -> Result<(), CacheError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TTL: Duration = Duration::from_secs(60);

    #[tokio::test]
    async fn set_get_delete() {
        let store = MemoryStore::new(1 << 20);
        assert_eq!(store.get("k").await.unwrap(), None);
        store.set("k", b"v1", TTL).await.unwrap();
        assert_eq!(store.get("k").await.unwrap().as_deref(), Some(&b"v1"[..]));
        store.set("k", b"v2", TTL).await.unwrap();
        assert_eq!(store.get("k").await.unwrap().as_deref(), Some(&b"v2"[..]));
        store.delete("k").await.unwrap();
        assert_eq!(store.get("k").await.unwrap(), None);
    }

    #[tokio::test]
    async fn set_if_absent_lets_one_of_many_concurrent_callers_win() {
        let store = MemoryStore::new(1 << 20);
        let tries = (0..12u8).map(|i| {
            let store = store.clone();
            tokio::spawn(async move { store.set_if_absent("claim", &[i], TTL).await.unwrap() })
        });
        let won = futures::future::join_all(tries)
            .await
            .into_iter()
            .filter(|won| *won.as_ref().unwrap())
            .count();
        assert_eq!(won, 1);
        assert!(!store.set_if_absent("claim", b"x", TTL).await.unwrap());
    }

    #[tokio::test]
    async fn entries_expire_after_their_own_ttl() {
        let store = MemoryStore::new(1 << 20);
        store
            .set("short", b"s", Duration::from_millis(50))
            .await
            .unwrap();
        store.set("long", b"l", TTL).await.unwrap();
        tokio::time::sleep(Duration::from_millis(120)).await;
        assert_eq!(store.get("short").await.unwrap(), None);
        assert!(store.get("long").await.unwrap().is_some());
        assert!(
            store.set_if_absent("short", b"again", TTL).await.unwrap(),
            "an expired key is absent again"
        );
    }
}
