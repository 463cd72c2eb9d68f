//! The Redis store (Azure Cache for Redis in production): what several instances share. One
//! multiplexed connection (redis-rs's `ConnectionManager`, which reconnects by itself); every
//! command is bounded by a short timeout here, so a hung Redis costs a request at most that,
//! and `super::SharedCache` then falls back to memory. It connects lazily: a server whose Redis
//! is down at start still starts, degraded.

use std::time::Duration;

use async_trait::async_trait;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{Client, Cmd, FromRedisValue};

use super::{CacheError, CacheStore};

#[derive(Clone)]
pub struct RedisStore {
    connection: ConnectionManager,
    op_timeout: Duration,
    /// `redis://host:port/db` without credentials, for logs.
    display: String,
}

impl RedisStore {
    /// `url` is `redis://[:password@]host[:port][/db]` or `rediss://` (TLS, as Azure requires).
    /// Nothing connects yet; a malformed URL is an error now.
    pub fn open(url: &str, op_timeout: Duration) -> Result<RedisStore, CacheError> {
        let client = Client::open(url).map_err(|error| {
            CacheError::Config(format!("--cache-url is not a usable Redis URL: {error}"))
        })?;
        // One quick connection attempt per reconnect: `SharedCache` decides when to try again.
        let config = ConnectionManagerConfig::new()
            .set_number_of_retries(1)
            .set_connection_timeout(Some(op_timeout))
            .set_response_timeout(Some(op_timeout));
        let connection = ConnectionManager::new_lazy_with_config(client, config)
            .map_err(|error| CacheError::Config(format!("Redis: {error}")))?;
        Ok(RedisStore {
            connection,
            op_timeout,
            display: redacted(url),
        })
    }

    /// The URL without user and password.
    pub fn display(&self) -> &str {
        &self.display
    }

    async fn run<T: FromRedisValue>(&self, cmd: &Cmd) -> Result<T, CacheError> {
        let mut connection = self.connection.clone();
        match tokio::time::timeout(self.op_timeout, cmd.query_async::<T>(&mut connection)).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(CacheError::Unavailable(error.to_string())),
            Err(_) => Err(CacheError::Unavailable(format!(
                "no answer within {} ms",
                self.op_timeout.as_millis()
            ))),
        }
    }
}

/// Redis's `PX` takes whole milliseconds, at least 1.
fn millis(ttl: Duration) -> u64 {
    u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1)
}

#[async_trait]
impl CacheStore for RedisStore {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError> {
        self.run(redis::cmd("GET").arg(key)).await
    }

    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), CacheError> {
        let cmd = redis::cmd("SET")
            .arg(key)
            .arg(value)
            .arg("PX")
            .arg(millis(ttl))
            .clone();
        self.run::<()>(&cmd).await
    }

    async fn set_if_absent(
        &self,
        key: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<bool, CacheError> {
        let cmd = redis::cmd("SET")
            .arg(key)
            .arg(value)
            .arg("NX")
            .arg("PX")
            .arg(millis(ttl))
            .clone();
        // `OK` when set, nil when the key was there.
        let reply: Option<String> = self.run(&cmd).await?;
        Ok(reply.is_some())
    }

    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        self.run::<()>(redis::cmd("DEL").arg(key)).await
    }

    async fn ping(&self) -> Result<(), CacheError> {
        self.run::<()>(&redis::cmd("PING")).await
    }
}

/// `rediss://:secret@host:6380/0` → `rediss://host:6380/0`: a password never reaches a log.
fn redacted(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
            format!("{scheme}://{host}")
        }
        None => "(unparsed Redis URL)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_redacted() {
        assert_eq!(
            redacted("rediss://:p@ss@contoso.redis.cache.windows.net:6380/0"),
            "rediss://contoso.redis.cache.windows.net:6380/0"
        );
        assert_eq!(redacted("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
    }

    #[tokio::test]
    async fn a_malformed_url_is_a_config_error_and_a_good_one_opens_lazily() {
        let error = RedisStore::open("http://nope", Duration::from_millis(100))
            .err()
            .expect("not a Redis URL");
        assert!(matches!(error, CacheError::Config(_)), "{error}");
        // Port 1 refuses: opening still succeeds (lazy), the first command fails quickly.
        let store = RedisStore::open("redis://127.0.0.1:1", Duration::from_millis(300)).unwrap();
        let started = std::time::Instant::now();
        assert!(matches!(
            store.get("k").await,
            Err(CacheError::Unavailable(_))
        ));
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[tokio::test]
    async fn tls_urls_are_supported_as_azure_requires() {
        // A listener that accepts and hangs up: the client gets as far as its TLS handshake
        // (one crypto provider available, no panic), which then fails like any outage.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = tokio::spawn(async move {
            let (connection, _) = listener.accept().await.unwrap();
            drop(connection);
        });
        let url = format!("rediss://127.0.0.1:{port}/0");
        let store = RedisStore::open(&url, Duration::from_millis(500)).unwrap();
        assert!(matches!(
            store.ping().await,
            Err(CacheError::Unavailable(_))
        ));
        accepted.await.expect("the client connected");
    }

    #[test]
    fn ttls_are_whole_milliseconds_of_at_least_one() {
        assert_eq!(millis(Duration::from_micros(10)), 1);
        assert_eq!(millis(Duration::from_secs(2)), 2000);
    }
}
