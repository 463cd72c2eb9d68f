//! The service in front of a `SalesSource`: finds the customer (id first, then name), lists the
//! open deals and fills in their summaries, all under one upstream deadline.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use dealpane_contract::{
    CustomerMatch, CustomerRef, CustomerType, Deal, DealSummaryResponse, Guid, Health, MatchedBy,
    Summary,
};
use futures::StreamExt;

use crate::source::{CustomerRecord, SalesSource, SourceError};

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
    summaries: bool,
    summary_concurrency: usize,
    upstream_timeout: Duration,
}

impl DealService {
    pub fn new(
        source: Arc<dyn SalesSource>,
        summaries: bool,
        summary_concurrency: usize,
        upstream_timeout: Duration,
    ) -> DealService {
        DealService {
            source,
            summaries,
            summary_concurrency: summary_concurrency.max(1),
            upstream_timeout,
        }
    }

    pub fn source_name(&self) -> &'static str {
        self.source.name()
    }

    /// The customer's open deals with summaries.
    pub async fn deal_summary(
        &self,
        query: &DealQuery,
    ) -> Result<DealSummaryResponse, ServiceError> {
        self.within_deadline(async {
            let (customer, matched_by) = self.find_customer(query).await?;
            let deals = self.source.open_deals(&customer, query.top).await?;
            let deals = self.with_summaries(deals).await;
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

    pub async fn search_customers(
        &self,
        prefix: &str,
        top: u8,
    ) -> Result<Vec<CustomerRef>, ServiceError> {
        self.within_deadline(async { Ok(self.source.search_customers(prefix, top).await?) })
            .await
    }

    /// `Ok` with counts, or `Err` with the health answer marked degraded.
    pub async fn health(&self) -> Result<Health, Health> {
        let mut health = Health {
            status: "ok".to_owned(),
            source: self.source.name().to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            customers: None,
            deals: None,
            degradations: self.source.degradations(),
        };
        match self
            .within_deadline(async { Ok(self.source.stats().await?) })
            .await
        {
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

    async fn within_deadline<T>(
        &self,
        work: impl Future<Output = Result<T, ServiceError>>,
    ) -> Result<T, ServiceError> {
        tokio::time::timeout(self.upstream_timeout, work)
            .await
            .unwrap_or(Err(ServiceError::Source(SourceError::Timeout)))
    }

    /// A slow summary must cost only its own deal's summary, not the whole answer (a 504):
    /// summaries get half the upstream budget, the lookups before them the rest.
    fn summary_timeout(&self) -> Duration {
        self.upstream_timeout / 2
    }

    /// Ids differ between the Service and Sales environments, so a miss by id falls back to the
    /// name when one was given.
    async fn find_customer(
        &self,
        query: &DealQuery,
    ) -> Result<(CustomerRecord, MatchedBy), ServiceError> {
        if let Some(id) = query.customer_id {
            if let Some(found) = self.source.customer_by_id(id, query.kind).await? {
                return Ok((found, MatchedBy::Id));
            }
        }
        if let Some(name) = &query.customer_name {
            if let Some(found) = self.source.customer_by_name(name, query.kind).await? {
                return Ok((found, MatchedBy::Name));
            }
        }
        Err(ServiceError::CustomerNotFound(not_found_detail(query)))
    }

    /// Summaries a few at a time, in the deals' order; a failed one only marks its deal.
    async fn with_summaries(&self, deals: Vec<Deal>) -> Vec<Deal> {
        if !self.summaries {
            return deals
                .into_iter()
                .map(|deal| Deal {
                    summary: Summary::disabled(),
                    ..deal
                })
                .collect();
        }
        futures::stream::iter(deals)
            .map(|mut deal| async move {
                let call = self.source.deal_summary(deal.id);
                let answer = tokio::time::timeout(self.summary_timeout(), call)
                    .await
                    .unwrap_or(Err(SourceError::Timeout));
                deal.summary = match answer {
                    Ok(text) => Summary::ready(text, now_rfc3339()),
                    Err(error) => {
                        tracing::warn!(deal = %deal.id, %error, "summary unavailable");
                        Summary::unavailable()
                    }
                };
                deal
            })
            .buffered(self.summary_concurrency)
            .collect()
            .await
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
