//! The answer cache: a DealSummary question's customer and deals, without summaries, kept for a
//! short TTL (30 s by default) in the [`SharedCache`], so every instance behind one Redis reuses
//! it. Summaries have their own, longer cache (`crate::summaries`) and are laid over a cached
//! answer per request, so a cached answer never freezes a `pending`; bodies and ETags are
//! rendered per request ([`Answer::render`]), and stay the same while nothing changed.
//!
//! Keyed by the caller's scope and the normalized question, so an answer made with one agent's
//! Sales access never reaches another. Concurrent identical questions in this process share one
//! upstream lookup; errors are never cached.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dealpane_contract::{DealSummaryResponse, SummaryState};
use futures::future::{BoxFuture, FutureExt, Shared};

use crate::etag::strong_etag;
use crate::service::{DealQuery, ServiceError};
use crate::shared_cache::{CacheKey, SharedCache};
use crate::summaries::CallerScope;

/// The normalized question and whose it is: names compare case-insensitively, so they are
/// keyed lowercased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AnswerKey(CacheKey);

impl AnswerKey {
    pub fn new(scope: &CallerScope, query: &DealQuery) -> AnswerKey {
        let id = query
            .customer_id
            .map(|id| id.to_string())
            .unwrap_or_default();
        let name = query
            .customer_name
            .as_deref()
            .map(str::to_lowercase)
            .unwrap_or_default();
        let kind = query.kind.map_or("", |kind| kind.as_str());
        let top = query.top.to_string();
        AnswerKey(CacheKey::new(
            "answer",
            &[scope.as_str(), &id, &name, kind, &top],
        ))
    }
}

/// One answer as sent: its summaries laid over, rendered once per request.
#[derive(Debug)]
pub struct Answer {
    pub response: DealSummaryResponse,
    pub json: Vec<u8>,
    pub json_etag: String,
    /// What the sample function answers: the top open deal's summary text.
    pub text: String,
    pub text_etag: String,
}

impl Answer {
    pub fn render(response: DealSummaryResponse) -> Answer {
        let json = serde_json::to_vec(&response).expect("the contract types always serialize");
        // The sample function returns `string.Empty` when there is no summary, so a customer
        // without open deals, or whose top deal's summary is unavailable or disabled, gets an
        // empty text/plain body (200), not an error.
        let text = response
            .deals
            .first()
            .filter(|deal| deal.summary.state == SummaryState::Ready)
            .and_then(|deal| deal.summary.text.clone())
            .unwrap_or_default();
        Answer {
            json_etag: strong_etag(&json),
            text_etag: strong_etag(text.as_bytes()),
            response,
            json,
            text,
        }
    }

    /// Some summary is still being generated: the pane will ask for it again.
    pub fn is_pending(&self) -> bool {
        self.response
            .deals
            .iter()
            .any(|deal| deal.summary.state == SummaryState::Pending)
    }
}

type Outcome = Result<Arc<DealSummaryResponse>, Arc<ServiceError>>;

#[derive(Clone)]
pub struct AnswerCache {
    shared: SharedCache,
    /// `None`: every request goes upstream.
    ttl: Option<Duration>,
    /// Lookups running in this process, by key: identical questions join the running one.
    flights: Arc<Mutex<HashMap<AnswerKey, Shared<BoxFuture<'static, Outcome>>>>>,
}

impl AnswerCache {
    /// `ttl` zero (or `enabled` false) turns the cache off.
    pub fn new(shared: SharedCache, ttl: Duration, enabled: bool) -> AnswerCache {
        AnswerCache {
            shared,
            ttl: (enabled && !ttl.is_zero()).then_some(ttl),
            flights: Arc::default(),
        }
    }

    /// The cached customer and deals, or what `compute` finds (then stored); concurrent
    /// callers with the same key in this process wait for a single `compute`.
    pub async fn get_or_compute<F, Fut>(&self, key: AnswerKey, compute: F) -> Outcome
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<DealSummaryResponse, ServiceError>> + Send + 'static,
    {
        let Some(ttl) = self.ttl else {
            return compute().await.map(Arc::new).map_err(Arc::new);
        };
        if let Some(found) = self.shared.get_json(&key.0).await {
            return Ok(Arc::new(found));
        }
        let flight = {
            let mut flights = self.flights.lock().unwrap();
            flights
                .entry(key.clone())
                .or_insert_with(|| {
                    let (shared, flights, key) = (self.shared.clone(), self.flights.clone(), key);
                    let work = compute();
                    async move {
                        // Takes the flight out however it ends (the last waiter may drop it).
                        let _landing = Landing {
                            flights,
                            key: key.clone(),
                        };
                        let outcome = work.await.map(Arc::new).map_err(Arc::new);
                        if let Ok(answer) = &outcome {
                            shared.set_json(&key.0, answer.as_ref(), ttl).await;
                        }
                        outcome
                    }
                    .boxed()
                    .shared()
                })
                .clone()
        };
        flight.await
    }
}

struct Landing {
    flights: Arc<Mutex<HashMap<AnswerKey, Shared<BoxFuture<'static, Outcome>>>>>,
    key: AnswerKey,
}

impl Drop for Landing {
    fn drop(&mut self) {
        self.flights.lock().unwrap().remove(&self.key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dealpane_contract::Guid;

    fn query(name: &str) -> DealQuery {
        DealQuery {
            customer_id: Some(Guid::from_u128(7)),
            customer_name: Some(name.to_owned()),
            kind: None,
            top: 10,
        }
    }

    #[test]
    fn names_are_keyed_case_insensitively() {
        let app = CallerScope::app();
        assert_eq!(
            AnswerKey::new(&app, &query("Contoso")),
            AnswerKey::new(&app, &query("CONTOSO"))
        );
        assert_ne!(
            AnswerKey::new(&app, &query("Contoso")),
            AnswerKey::new(&app, &query("Fabrikam"))
        );
    }

    #[test]
    fn each_caller_has_its_own_answers() {
        assert_ne!(
            AnswerKey::new(&CallerScope::agent("a"), &query("Contoso")),
            AnswerKey::new(&CallerScope::agent("b"), &query("Contoso"))
        );
        assert_ne!(
            AnswerKey::new(&CallerScope::app(), &query("Contoso")),
            AnswerKey::new(&CallerScope::agent("a"), &query("Contoso"))
        );
    }
}
