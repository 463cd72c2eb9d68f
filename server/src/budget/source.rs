//! A `SalesSource` whose every call first takes a permit from the process's budget: interactive
//! for what an agent waits for, background for summaries. It also counts every call, and the
//! summary action's execution time, for `/api/health` (what a pane load costs of Dataverse's
//! budget).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use dealpane_contract::{CustomerRef, CustomerType, Deal, Degradation, Guid, UpstreamUse};

use super::{Priority, UpstreamBudget};
use crate::source::{CustomerRecord, SalesSource, SourceError, SourceStats};

pub struct BudgetedSource {
    inner: Arc<dyn SalesSource>,
    budget: UpstreamBudget,
    counters: UpstreamCounters,
}

/// Calls made through a [`BudgetedSource`]; cheap to clone, clones share the counts.
#[derive(Clone, Default)]
pub struct UpstreamCounters(Arc<Counts>);

#[derive(Default)]
struct Counts {
    calls: AtomicU64,
    summary_calls: AtomicU64,
    summary_micros: AtomicU64,
}

impl UpstreamCounters {
    pub fn snapshot(&self) -> UpstreamUse {
        let counts = &self.0;
        UpstreamUse {
            calls: counts.calls.load(Ordering::Relaxed),
            summary_calls: counts.summary_calls.load(Ordering::Relaxed),
            summary_seconds: counts.summary_micros.load(Ordering::Relaxed) as f64 / 1e6,
        }
    }

    fn call(&self) {
        self.0.calls.fetch_add(1, Ordering::Relaxed);
    }
}

impl BudgetedSource {
    pub fn new(inner: Arc<dyn SalesSource>, budget: UpstreamBudget) -> BudgetedSource {
        BudgetedSource {
            inner,
            budget,
            counters: UpstreamCounters::default(),
        }
    }

    pub fn budget(&self) -> &UpstreamBudget {
        &self.budget
    }

    pub fn counters(&self) -> UpstreamCounters {
        self.counters.clone()
    }
}

#[async_trait]
impl SalesSource for BudgetedSource {
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    async fn customer_by_id(
        &self,
        id: Guid,
        kind: Option<CustomerType>,
    ) -> Result<Option<CustomerRecord>, SourceError> {
        let _permit = self.budget.acquire(Priority::Interactive).await;
        self.counters.call();
        self.inner.customer_by_id(id, kind).await
    }

    async fn customer_by_name(
        &self,
        name: &str,
        kind: Option<CustomerType>,
    ) -> Result<Option<CustomerRecord>, SourceError> {
        let _permit = self.budget.acquire(Priority::Interactive).await;
        self.counters.call();
        self.inner.customer_by_name(name, kind).await
    }

    async fn open_deals(
        &self,
        customer: &CustomerRecord,
        top: u8,
    ) -> Result<Vec<Deal>, SourceError> {
        let _permit = self.budget.acquire(Priority::Interactive).await;
        self.counters.call();
        self.inner.open_deals(customer, top).await
    }

    async fn deal_summary(&self, deal_id: Guid) -> Result<String, SourceError> {
        let _permit = self.budget.acquire(Priority::Background).await;
        self.counters.call();
        self.counters
            .0
            .summary_calls
            .fetch_add(1, Ordering::Relaxed);
        // Execution time only: the wait for a permit costs Dataverse nothing.
        let started = Instant::now();
        let answer = self.inner.deal_summary(deal_id).await;
        let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.counters
            .0
            .summary_micros
            .fetch_add(micros, Ordering::Relaxed);
        answer
    }

    async fn search_customers(
        &self,
        prefix: &str,
        top: u8,
    ) -> Result<Vec<CustomerRef>, SourceError> {
        let _permit = self.budget.acquire(Priority::Interactive).await;
        self.counters.call();
        self.inner.search_customers(prefix, top).await
    }

    async fn stats(&self) -> Result<SourceStats, SourceError> {
        let _permit = self.budget.acquire(Priority::Interactive).await;
        self.counters.call();
        self.inner.stats().await
    }

    // Read once and kept by the source: no upstream call of their own to budget.
    async fn base_currency(&self) -> Option<String> {
        self.inner.base_currency().await
    }

    fn degradations(&self) -> Vec<Degradation> {
        self.inner.degradations()
    }

    /// Writes are rare and an agent waits for each; they are not queued behind summaries.
    fn writer(&self) -> Option<&dyn crate::source::writes::SalesWriter> {
        self.inner.writer()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::budget::BudgetStats;

    /// Records, at each call, what the budget had handed out.
    struct Recorder {
        budget: UpstreamBudget,
        seen: Mutex<Vec<(&'static str, BudgetStats)>>,
    }

    impl Recorder {
        fn note(&self, what: &'static str) {
            self.seen.lock().unwrap().push((what, self.budget.stats()));
        }
    }

    #[async_trait]
    impl SalesSource for Recorder {
        fn name(&self) -> &'static str {
            "recorder"
        }
        async fn customer_by_id(
            &self,
            _: Guid,
            _: Option<CustomerType>,
        ) -> Result<Option<CustomerRecord>, SourceError> {
            self.note("customer_by_id");
            Ok(None)
        }
        async fn customer_by_name(
            &self,
            _: &str,
            _: Option<CustomerType>,
        ) -> Result<Option<CustomerRecord>, SourceError> {
            self.note("customer_by_name");
            Ok(None)
        }
        async fn open_deals(&self, _: &CustomerRecord, _: u8) -> Result<Vec<Deal>, SourceError> {
            self.note("open_deals");
            Ok(Vec::new())
        }
        async fn deal_summary(&self, _: Guid) -> Result<String, SourceError> {
            self.note("deal_summary");
            Ok(String::new())
        }
        async fn search_customers(&self, _: &str, _: u8) -> Result<Vec<CustomerRef>, SourceError> {
            self.note("search_customers");
            Ok(Vec::new())
        }
        async fn stats(&self) -> Result<SourceStats, SourceError> {
            self.note("stats");
            Ok(SourceStats::default())
        }
        async fn base_currency(&self) -> Option<String> {
            Some("EUR".to_owned())
        }
        fn degradations(&self) -> Vec<Degradation> {
            vec![Degradation {
                code: "forecastCategoryMissing".to_owned(),
                detail: "no forecasting".to_owned(),
            }]
        }
    }

    #[tokio::test]
    async fn lookups_take_interactive_permits_and_summaries_background_ones() {
        let budget = UpstreamBudget::new(4, 2);
        let recorder = Arc::new(Recorder {
            budget: budget.clone(),
            seen: Mutex::new(Vec::new()),
        });
        let source = BudgetedSource::new(recorder.clone(), budget.clone());
        let customer = CustomerRecord {
            id: Guid::from_u128(1),
            name: "Contoso".to_owned(),
            kind: CustomerType::Account,
        };
        source.customer_by_id(customer.id, None).await.unwrap();
        source.customer_by_name("Contoso", None).await.unwrap();
        source.open_deals(&customer, 10).await.unwrap();
        source.search_customers("Con", 5).await.unwrap();
        source.stats().await.unwrap();
        source.deal_summary(Guid::from_u128(2)).await.unwrap();

        for (what, stats) in recorder.seen.lock().unwrap().iter() {
            let background = usize::from(*what == "deal_summary");
            assert_eq!(
                (stats.in_use, stats.background_in_use),
                (1, background),
                "{what} holds one permit of its priority while it runs"
            );
        }
        assert_eq!(recorder.seen.lock().unwrap().len(), 6);
        assert_eq!(budget.stats().in_use, 0, "every permit given back");
        assert_eq!(source.name(), "recorder");
        assert_eq!(source.base_currency().await.as_deref(), Some("EUR"));
        assert_eq!(source.degradations().len(), 1, "the wrapper hides nothing");
        let used = source.counters().snapshot();
        assert_eq!(
            (used.calls, used.summary_calls),
            (6, 1),
            "every call counted"
        );
        assert!(used.summary_seconds >= 0.0);
    }
}
