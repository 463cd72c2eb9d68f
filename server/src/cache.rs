//! A short-lived in-memory cache of DealSummary answers. Concurrent identical questions share
//! one upstream call (moka's `try_get_with`); errors are never cached. Each answer keeps its
//! rendered bodies and their ETags, so the ETag stays the same for as long as the answer does.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use dealpane_contract::{DealSummaryResponse, SummaryState};
use moka::future::Cache;

use crate::etag::strong_etag;
use crate::service::{DealQuery, ServiceError};

/// The normalized question: names compare case-insensitively, so they are keyed lowercased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AnswerKey(DealQuery);

impl AnswerKey {
    pub fn new(query: &DealQuery) -> AnswerKey {
        AnswerKey(DealQuery {
            customer_name: query.customer_name.as_ref().map(|n| n.to_lowercase()),
            ..query.clone()
        })
    }
}

/// One answer, rendered once.
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
}

#[derive(Clone)]
pub struct AnswerCache {
    /// `None` when the TTL is zero: every request goes upstream.
    cache: Option<Cache<AnswerKey, Arc<Answer>>>,
}

impl AnswerCache {
    pub fn new(ttl: Duration, capacity: u64) -> AnswerCache {
        let cache = (!ttl.is_zero() && capacity > 0).then(|| {
            Cache::builder()
                .max_capacity(capacity)
                .time_to_live(ttl)
                .build()
        });
        AnswerCache { cache }
    }

    /// The cached answer, or the one `compute` produces; concurrent callers with the same key
    /// wait for a single `compute`.
    pub async fn get_or_compute<F>(
        &self,
        key: AnswerKey,
        compute: F,
    ) -> Result<Arc<Answer>, Arc<ServiceError>>
    where
        F: Future<Output = Result<Answer, ServiceError>>,
    {
        match &self.cache {
            Some(cache) => {
                cache
                    .try_get_with(key, async { compute.await.map(Arc::new) })
                    .await
            }
            None => compute.await.map(Arc::new).map_err(Arc::new),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dealpane_contract::Guid;

    #[test]
    fn names_are_keyed_case_insensitively() {
        let query = |name: &str| DealQuery {
            customer_id: Some(Guid::from_u128(7)),
            customer_name: Some(name.to_owned()),
            kind: None,
            top: 10,
        };
        assert_eq!(
            AnswerKey::new(&query("Contoso")),
            AnswerKey::new(&query("CONTOSO"))
        );
        assert_ne!(
            AnswerKey::new(&query("Contoso")),
            AnswerKey::new(&query("Fabrikam"))
        );
    }
}
