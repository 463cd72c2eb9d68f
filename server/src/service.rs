//! The service in front of a `SalesSource`: finds the customer (id first, then name) and lists
//! the open deals under one upstream deadline, waiting out throttling when it fits; summaries
//! come from the [`SummaryBroker`], which generates them in the background (issue 10).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use dealpane_contract::{
    CustomerMatch, CustomerRef, CustomerType, Deal, DealSummaryResponse, Guid, Health, MatchedBy,
    Summary, SummaryState,
};
use tokio::time::Instant;

use crate::budget::UpstreamCounters;
use crate::shared_cache::SharedCache;
use crate::source::{CustomerRecord, SalesSource, SourceError};
use crate::summaries::{CallerScope, DealVersion, SummaryBroker};

/// How long an answer waits for summaries being generated before it is sent with them
/// `pending`: a fast summarizer (the embedded store) then answers complete in one round trip,
/// while a generative one (seconds) costs the pane no more than this.
const SUMMARY_GRACE: Duration = Duration::from_millis(100);
/// Throttled lookups are tried again at most this many times within a request's budget.
const MAX_THROTTLED_TRIES: u32 = 4;

/// A validated DealSummary question. `customer_name` is trimmed and bounded; at least one of
/// id and name is present.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DealQuery {
    pub customer_id: Option<Guid>,
    pub customer_name: Option<String>,
    pub kind: Option<CustomerType>,
    pub top: u8,
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Says what was looked for, for the 404's detail.
    #[error("{0}")]
    CustomerNotFound(String),
    #[error(transparent)]
    Source(#[from] SourceError),
}

pub struct DealService {
    source: Arc<dyn SalesSource>,
    /// `None` when an admin turned summaries off.
    summaries: Option<SummaryBroker>,
    upstream_timeout: Duration,
    counters: UpstreamCounters,
    cache: SharedCache,
}

impl DealService {
    /// `source` should be the process's budgeted one (counted by `counters`), shared with the
    /// broker.
    pub fn new(
        source: Arc<dyn SalesSource>,
        summaries: Option<SummaryBroker>,
        upstream_timeout: Duration,
        counters: UpstreamCounters,
        cache: SharedCache,
    ) -> DealService {
        DealService {
            source,
            summaries,
            upstream_timeout,
            counters,
            cache,
        }
    }

    pub fn source_name(&self) -> &'static str {
        self.source.name()
    }

    /// When a request that starts now must be answered by.
    pub fn deadline(&self) -> Instant {
        Instant::now() + self.upstream_timeout
    }

    /// The customer and their open deals, each summary `pending` (a placeholder: see
    /// [`DealService::add_summaries`]). What the answer cache holds.
    pub async fn find_deals(
        &self,
        query: &DealQuery,
        deadline: Instant,
    ) -> Result<DealSummaryResponse, ServiceError> {
        within(deadline, async {
            let (customer, matched_by) = self.find_customer(query, deadline).await?;
            let mut deals =
                patiently(deadline, || self.source.open_deals(&customer, query.top)).await?;
            for deal in &mut deals {
                deal.summary = Summary::pending();
            }
            let base_currency = self.source.base_currency().await;
            Ok(DealSummaryResponse {
                customer: CustomerMatch {
                    id: customer.id,
                    name: Some(customer.name),
                    kind: Some(customer.kind),
                    matched_by,
                },
                deals,
                source: self.source.name().to_owned(),
                generated_at: now_rfc3339(),
                base_currency,
            })
        })
        .await
    }

    /// Sets each deal's summary as it stands (`ready`, `unavailable`, or `pending` while it is
    /// generated in the background, started here, top deal first), after a short grace for
    /// those about to finish. `refresh` (the agent asked again) retries stored failures.
    pub async fn add_summaries(&self, scope: &CallerScope, deals: &mut [Deal], refresh: bool) {
        let Some(broker) = &self.summaries else {
            deals
                .iter_mut()
                .for_each(|deal| deal.summary = Summary::disabled());
            return;
        };
        broker.fill(scope, deals, refresh).await;
        if deals
            .iter()
            .any(|d| d.summary.state == SummaryState::Pending)
        {
            let versions: Vec<DealVersion> = deals.iter().map(DealVersion::of).collect();
            let now = broker.wait_for_all(scope, &versions, SUMMARY_GRACE).await;
            for (deal, summary) in deals.iter_mut().zip(now) {
                deal.summary = summary;
            }
        }
    }

    /// The `text/plain` answer's one summary (the top deal's), waited for until `deadline`;
    /// still pending then, it is left `pending` (an empty text, as the sample function's).
    pub async fn add_top_summary(
        &self,
        scope: &CallerScope,
        deals: &mut [Deal],
        deadline: Instant,
        refresh: bool,
    ) {
        let Some(top) = deals.first_mut() else {
            return;
        };
        let Some(broker) = &self.summaries else {
            top.summary = Summary::disabled();
            return;
        };
        let version = [DealVersion::of(top)];
        if refresh {
            broker.summaries(scope, &version, true).await;
        }
        let wait = deadline.saturating_duration_since(Instant::now());
        if let Some(summary) = broker.wait_for_all(scope, &version, wait).await.pop() {
            top.summary = summary;
        }
    }

    /// The long-poll: these deals' summaries as they stand once one that was pending settled,
    /// or after `wait`. Never starts a generation. With summaries off, all are `disabled`.
    pub async fn watch_summaries(
        &self,
        scope: &CallerScope,
        deals: &[DealVersion],
        wait: Duration,
    ) -> Vec<Summary> {
        match &self.summaries {
            Some(broker) => broker.watch(scope, deals, wait).await,
            None => deals.iter().map(|_| Summary::disabled()).collect(),
        }
    }

    pub async fn search_customers(
        &self,
        prefix: &str,
        top: u8,
    ) -> Result<Vec<CustomerRef>, ServiceError> {
        let deadline = self.deadline();
        within(deadline, async {
            Ok(patiently(deadline, || self.source.search_customers(prefix, top)).await?)
        })
        .await
    }

    /// `Ok` with counts, or `Err` with the health answer marked degraded (the source fails).
    /// A failing shared cache also says `degraded`, in an `Ok`: the instance still serves.
    pub async fn health(&self) -> Result<Health, Health> {
        let cache = self.cache.check().await;
        let mut health = Health {
            status: "ok".to_owned(),
            source: self.source.name().to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            customers: None,
            deals: None,
            degradations: self.source.degradations(),
            upstream: None,
        };
        health.degradations.extend(self.cache.degradation());
        if cache.degraded {
            health.status = "degraded".to_owned();
        }
        let stats = within(self.deadline(), async { Ok(self.source.stats().await?) }).await;
        // Read after the check, so the check's own call is counted.
        health.upstream = Some(self.counters.snapshot());
        match stats {
            Ok(stats) => {
                health.customers = stats.customers;
                health.deals = stats.deals;
                Ok(health)
            }
            Err(error) => {
                tracing::warn!(%error, "health check: the source failed");
                health.status = "degraded".to_owned();
                Err(health)
            }
        }
    }

    /// Ids differ between the Service and Sales environments, so a miss by id falls back to the
    /// name when one was given.
    async fn find_customer(
        &self,
        query: &DealQuery,
        deadline: Instant,
    ) -> Result<(CustomerRecord, MatchedBy), ServiceError> {
        if let Some(id) = query.customer_id {
            let found = patiently(deadline, || self.source.customer_by_id(id, query.kind)).await?;
            if let Some(found) = found {
                return Ok((found, MatchedBy::Id));
            }
        }
        if let Some(name) = &query.customer_name {
            let found =
                patiently(deadline, || self.source.customer_by_name(name, query.kind)).await?;
            if let Some(found) = found {
                return Ok((found, MatchedBy::Name));
            }
        }
        Err(ServiceError::CustomerNotFound(not_found_detail(query)))
    }
}

async fn within<T>(
    deadline: Instant,
    work: impl Future<Output = Result<T, ServiceError>>,
) -> Result<T, ServiceError> {
    tokio::time::timeout_at(deadline, work)
        .await
        .unwrap_or(Err(ServiceError::Source(SourceError::Timeout)))
}

/// Throttling is not an outage: a throttled call is made again after `Retry-After` when that
/// still leaves time before `deadline`; otherwise the caller gets the throttling (a 429 that
/// says when to retry).
async fn patiently<T, F, Fut>(deadline: Instant, call: F) -> Result<T, SourceError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, SourceError>>,
{
    let mut tries = 1;
    loop {
        match call().await {
            Err(SourceError::Throttled { retry_after })
                if tries < MAX_THROTTLED_TRIES && Instant::now() + retry_after < deadline =>
            {
                tracing::info!(
                    ?retry_after,
                    "Sales is throttling; waiting within the budget"
                );
                tokio::time::sleep(retry_after).await;
                tries += 1;
            }
            other => return other,
        }
    }
}

fn not_found_detail(query: &DealQuery) -> String {
    let kind = query
        .kind
        .map_or("account or contact", CustomerType::as_str);
    match (&query.customer_id, &query.customer_name) {
        (Some(id), Some(name)) => {
            format!("No {kind} with id {id} or named '{name}' in the Sales environment.")
        }
        (Some(id), None) => format!(
            "No {kind} with id {id} in the Sales environment; ids differ between environments, \
             so also pass customerName."
        ),
        (None, Some(name)) => format!("No {kind} named '{name}' in the Sales environment."),
        (None, None) => "No customer was given.".to_owned(),
    }
}

pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
