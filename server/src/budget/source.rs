//! A `SalesSource` whose every call first takes a permit from the process's budget: interactive
//! for what an agent waits for, background for summaries.

use std::sync::Arc;

use async_trait::async_trait;
use dealpane_contract::{CustomerRef, CustomerType, Deal, Guid};

use super::{Priority, UpstreamBudget};
use crate::source::{CustomerRecord, SalesSource, SourceError, SourceStats};

pub struct BudgetedSource {
    inner: Arc<dyn SalesSource>,
    budget: UpstreamBudget,
}

impl BudgetedSource {
    pub fn new(inner: Arc<dyn SalesSource>, budget: UpstreamBudget) -> BudgetedSource {
        BudgetedSource { inner, budget }
    }

    pub fn budget(&self) -> &UpstreamBudget {
        &self.budget
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
        self.inner.customer_by_id(id, kind).await
    }

    async fn customer_by_name(
        &self,
        name: &str,
        kind: Option<CustomerType>,
    ) -> Result<Option<CustomerRecord>, SourceError> {
        let _permit = self.budget.acquire(Priority::Interactive).await;
        self.inner.customer_by_name(name, kind).await
    }

    async fn open_deals(
        &self,
        customer: &CustomerRecord,
        top: u8,
    ) -> Result<Vec<Deal>, SourceError> {
        let _permit = self.budget.acquire(Priority::Interactive).await;
        self.inner.open_deals(customer, top).await
    }

    async fn deal_summary(&self, deal_id: Guid) -> Result<String, SourceError> {
        let _permit = self.budget.acquire(Priority::Background).await;
        self.inner.deal_summary(deal_id).await
    }

    async fn search_customers(
        &self,
        prefix: &str,
        top: u8,
    ) -> Result<Vec<CustomerRef>, SourceError> {
        let _permit = self.budget.acquire(Priority::Interactive).await;
        self.inner.search_customers(prefix, top).await
    }

    async fn stats(&self) -> Result<SourceStats, SourceError> {
        let _permit = self.budget.acquire(Priority::Interactive).await;
        self.inner.stats().await
    }
}
