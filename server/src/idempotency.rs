//! Exactly-once writes: a POST with an `Idempotency-Key` runs once per key, caller scope and
//! route, across instances, for 24 hours.
//!
//! The first request claims the key in the [`SharedCache`] (`SET NX`, with the request's
//! fingerprint), does the work, and stores its answer under the key. A repeat finds the answer
//! and gets it again, byte for byte, creating nothing; a concurrent repeat finds the claim and
//! polls until the answer appears (bounded: then 409 with `Retry-After`). A key reused with a
//! different request is refused (422). A failed attempt releases its claim, so the agent's
//! retry with the same key (the same draft) tries again. The work runs in its own task: a
//! client that gives up does not cancel a write half-way, and its retry finds the answer.
//!
//! Without a key (Copilot's connector may send none) a write simply runs, with no dedup.

use std::future::Future;
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use dealpane_contract::{IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_MAX_CHARS};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::shared_cache::{CacheKey, SharedCache};

/// How long an answer is kept for repeats.
pub const KEY_TTL: Duration = Duration::from_secs(24 * 60 * 60);
/// How often a concurrent repeat looks for the first one's answer.
const POLL_INTERVAL: Duration = Duration::from_millis(50);

/// A valid key: 1 to 100 visible ASCII characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// The header's key; `None` when absent, 400 when malformed or given twice.
    pub fn from_headers(headers: &HeaderMap) -> Result<Option<IdempotencyKey>, ApiError> {
        let mut values = headers.get_all(IDEMPOTENCY_KEY_HEADER).iter();
        let Some(value) = values.next() else {
            return Ok(None);
        };
        let bad = |reason: String| ApiError::bad("Idempotency-Key", reason);
        if values.next().is_some() {
            return Err(bad("is given more than once; send one".to_owned()));
        }
        let bytes = value.as_bytes();
        if bytes.is_empty() || bytes.len() > IDEMPOTENCY_KEY_MAX_CHARS {
            return Err(bad(format!(
                "must be 1 to {IDEMPOTENCY_KEY_MAX_CHARS} characters long, not {}",
                bytes.len()
            )));
        }
        if !bytes.iter().all(|b| (0x21..=0x7e).contains(b)) {
            return Err(bad(
                "may hold only visible ASCII characters (no spaces), e.g. a UUID".to_owned(),
            ));
        }
        Ok(Some(IdempotencyKey(
            String::from_utf8_lossy(bytes).into_owned(),
        )))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A write's answer: status and JSON body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub status: u16,
    pub body: String,
    /// True when this is a stored answer handed out again.
    #[serde(skip)]
    pub replayed: bool,
}

impl Answer {
    pub fn new(status: StatusCode, body: String) -> Answer {
        Answer {
            status: status.as_u16(),
            body,
            replayed: false,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "camelCase")]
enum Entry {
    Claimed { fingerprint: String },
    Done { fingerprint: String, answer: Answer },
}

impl Entry {
    fn fingerprint(&self) -> &str {
        match self {
            Entry::Claimed { fingerprint } | Entry::Done { fingerprint, .. } => fingerprint,
        }
    }
}

/// Cheap to clone.
#[derive(Clone)]
pub struct Idempotency {
    cache: SharedCache,
    /// How long a claim outlives a crashed instance, and how long a repeat waits for it.
    claim_ttl: Duration,
}

impl Idempotency {
    /// `work_timeout`: the longest one write takes (the upstream deadline).
    pub fn new(cache: SharedCache, work_timeout: Duration) -> Idempotency {
        Idempotency {
            cache,
            claim_ttl: work_timeout * 2 + Duration::from_secs(5),
        }
    }

    /// Runs `work` once per (`scope`, `route`, `key`); `request` is what makes two requests the
    /// same (the route's parameters and the body, serialized).
    pub async fn run<W, F>(
        &self,
        key: Option<&IdempotencyKey>,
        scope: &str,
        route: &str,
        request: &str,
        work: W,
    ) -> Result<Answer, ApiError>
    where
        W: FnOnce() -> F,
        F: Future<Output = Result<Answer, ApiError>> + Send + 'static,
    {
        let Some(key) = key else {
            return detached(work()).await;
        };
        let cache_key = CacheKey::new("idempotency", &[scope, route, key.as_str()]);
        let fingerprint = format!("{:x}", Sha256::digest(format!("{route}\n{request}")));
        let claim = serde_json::to_vec(&Entry::Claimed {
            fingerprint: fingerprint.clone(),
        })
        .expect("an entry serializes");
        let give_up = tokio::time::Instant::now() + self.claim_ttl;
        let mut work = Some(work);
        loop {
            if self
                .cache
                .set_if_absent(&cache_key, &claim, self.claim_ttl)
                .await
            {
                let work = work.take().expect("a key is claimed once per request");
                return self.finish(&cache_key, fingerprint, work()).await;
            }
            match self.cache.get_json::<Entry>(&cache_key).await {
                Some(entry) if entry.fingerprint() != fingerprint => {
                    return Err(ApiError::IdempotencyKeyReused)
                }
                Some(Entry::Done { answer, .. }) => {
                    return Ok(Answer {
                        replayed: true,
                        ..answer
                    })
                }
                // Claimed by a request still running, or released a moment ago: look again.
                Some(Entry::Claimed { .. }) | None => {}
            }
            if tokio::time::Instant::now() >= give_up {
                return Err(ApiError::IdempotencyInProgress);
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }

    /// Runs the claimed work to its end (even if the caller goes away), then stores a success
    /// for repeats or releases the claim after a failure.
    async fn finish(
        &self,
        cache_key: &CacheKey,
        fingerprint: String,
        work: impl Future<Output = Result<Answer, ApiError>> + Send + 'static,
    ) -> Result<Answer, ApiError> {
        let this = self.clone();
        let cache_key = cache_key.clone();
        let task = spawn_as_caller(async move {
            let outcome = work.await;
            match &outcome {
                Ok(answer) => {
                    let done = Entry::Done {
                        fingerprint,
                        answer: answer.clone(),
                    };
                    this.cache.set_json(&cache_key, &done, KEY_TTL).await;
                }
                Err(_) => this.cache.delete(&cache_key).await,
            }
            outcome
        });
        task.await.unwrap_or_else(|error| {
            Err(ApiError::UpstreamFailed(format!(
                "the write stopped: {error}"
            )))
        })
    }
}

/// Runs `work` in its own task, so a client that goes away does not cut a write in half.
async fn detached(
    work: impl Future<Output = Result<Answer, ApiError>> + Send + 'static,
) -> Result<Answer, ApiError> {
    spawn_as_caller(work).await.unwrap_or_else(|error| {
        Err(ApiError::UpstreamFailed(format!(
            "the write stopped: {error}"
        )))
    })
}

/// A task that runs as the current request's caller (Dataverse calls carry its identity).
fn spawn_as_caller<T: Send + 'static>(
    work: impl Future<Output = T> + Send + 'static,
) -> tokio::task::JoinHandle<T> {
    tokio::spawn(crate::auth::run_as(crate::auth::current(), work))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use axum::http::HeaderValue;

    use super::*;
    use crate::shared_cache::SharedCacheOptions;

    fn headers(values: &[&[u8]]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(
                IDEMPOTENCY_KEY_HEADER,
                HeaderValue::from_bytes(value).unwrap(),
            );
        }
        headers
    }

    #[test]
    fn keys_are_bounded_visible_ascii() {
        assert_eq!(IdempotencyKey::from_headers(&headers(&[])).unwrap(), None);
        let ok = IdempotencyKey::from_headers(&headers(&[b"draft-1:a~b"])).unwrap();
        assert_eq!(ok.unwrap().as_str(), "draft-1:a~b");
        let longest = "k".repeat(IDEMPOTENCY_KEY_MAX_CHARS);
        assert!(IdempotencyKey::from_headers(&headers(&[longest.as_bytes()])).is_ok());
        let too_long = "k".repeat(IDEMPOTENCY_KEY_MAX_CHARS + 1);
        for bad in [
            &[b"" as &[u8]][..],
            &[too_long.as_bytes()],
            &[b"has space"],
            &[b"caf\xc3\xa9"],
            &[b"a", b"b"],
        ] {
            let error = IdempotencyKey::from_headers(&headers(bad)).unwrap_err();
            assert_eq!(error.status(), StatusCode::BAD_REQUEST, "{bad:?}");
        }
    }

    fn service() -> Idempotency {
        let cache = SharedCache::in_memory(&SharedCacheOptions::default());
        Idempotency::new(cache, Duration::from_secs(1))
    }

    #[tokio::test]
    async fn a_failure_releases_the_key_and_a_success_is_replayed() {
        let idem = service();
        let key = IdempotencyKey("k1".to_owned());
        let failed = idem
            .run(Some(&key), "app", "notes", "{}", || async {
                Err::<Answer, _>(ApiError::UpstreamTimeout)
            })
            .await;
        assert!(failed.is_err());
        let first = idem
            .run(Some(&key), "app", "notes", "{}", || async {
                Ok(Answer::new(StatusCode::CREATED, "{\"id\":1}".to_owned()))
            })
            .await
            .unwrap();
        assert!(!first.replayed);
        let again = idem
            .run(Some(&key), "app", "notes", "{}", || async {
                Ok(Answer::new(StatusCode::CREATED, "{\"id\":2}".to_owned()))
            })
            .await
            .unwrap();
        assert!(again.replayed);
        assert_eq!((again.status, again.body.as_str()), (201, "{\"id\":1}"));
        let other = idem
            .run(Some(&key), "app", "notes", "{\"x\":1}", || async {
                Ok(Answer::new(StatusCode::CREATED, String::new()))
            })
            .await
            .unwrap_err();
        assert_eq!(other.status(), StatusCode::UNPROCESSABLE_ENTITY);
        // Another caller's or another route's key is another key.
        for (scope, route) in [("agent-x", "notes"), ("app", "leads")] {
            let fresh = idem
                .run(Some(&key), scope, route, "{}", || async {
                    Ok(Answer::new(StatusCode::CREATED, "{\"id\":3}".to_owned()))
                })
                .await
                .unwrap();
            assert!(!fresh.replayed);
        }
    }

    #[tokio::test]
    async fn concurrent_repeats_wait_for_the_first() {
        let idem = service();
        let runs = Arc::new(AtomicUsize::new(0));
        let key = IdempotencyKey("k2".to_owned());
        let attempts = (0..12).map(|_| {
            let (idem, runs, key) = (idem.clone(), runs.clone(), key.clone());
            tokio::spawn(async move {
                idem.run(Some(&key), "app", "notes", "{}", move || async move {
                    runs.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    Ok(Answer::new(StatusCode::CREATED, "{\"id\":1}".to_owned()))
                })
                .await
                .unwrap()
            })
        });
        let answers = futures::future::join_all(attempts).await;
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert!(answers
            .into_iter()
            .all(|answer| answer.unwrap().body == "{\"id\":1}"));
    }
}
