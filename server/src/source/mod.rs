//! Where Sales data comes from. Two sources sit behind one trait: the embedded SQLite store
//! (`embedded`, the default) and Dataverse (`dataverse`, production). The service in front
//! (`crate::service`) does the matching order (id, then name), summaries and caching, so each
//! source only answers plain questions.

pub mod dataverse;
pub mod embedded;
pub mod link;
pub mod writes;

use std::time::Duration;

use async_trait::async_trait;
use dealpane_contract::{CustomerRef, CustomerType, Deal, Degradation, Guid};

/// A customer (account or contact) in the Sales environment.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerRecord {
    pub id: Guid,
    pub name: String,
    pub kind: CustomerType,
}

/// Counts for `/api/health`; a source that cannot count cheaply answers `None`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceStats {
    pub customers: Option<u64>,
    pub deals: Option<u64>,
}

/// Why a source could not answer. Mapped to 429 / 504 / 502 by the HTTP layer.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("the Sales environment is throttling requests (retry after {retry_after:?})")]
    Throttled { retry_after: Duration },
    #[error("the Sales environment did not answer in time")]
    Timeout,
    #[error("the Sales environment failed: {0}")]
    Upstream(String),
    /// Sales refused the agent a call was made for (`CallerObjectId`): unknown or disabled.
    #[error("the Sales environment refused the agent: {0}")]
    NoAccess(String),
}

/// What every Sales data source answers.
#[async_trait]
pub trait SalesSource: Send + Sync + 'static {
    /// `embedded` or `dataverse`: reported in answers and health.
    fn name(&self) -> &'static str;

    /// The customer with this id, if any. `kind` narrows to accounts or contacts.
    async fn customer_by_id(
        &self,
        id: Guid,
        kind: Option<CustomerType>,
    ) -> Result<Option<CustomerRecord>, SourceError>;

    /// The customer whose name equals `name` case-insensitively (already trimmed and bounded).
    /// When several match, accounts come before contacts, then the most recently modified.
    async fn customer_by_name(
        &self,
        name: &str,
        kind: Option<CustomerType>,
    ) -> Result<Option<CustomerRecord>, SourceError>;

    /// At most `top` open deals of the customer in the contract's order
    /// ([`dealpane_contract::compare_deals`]): highest value in the base currency first (deals
    /// without one last), then earliest close date (nulls last). Each `summary` is a placeholder
    /// (`Summary::unavailable()`); the service fills it in through [`SalesSource::deal_summary`].
    async fn open_deals(
        &self,
        customer: &CustomerRecord,
        top: u8,
    ) -> Result<Vec<Deal>, SourceError>;

    /// The summary text of one deal (`msdyn_SalesOpportunitySummary` in Dataverse).
    async fn deal_summary(&self, deal_id: Guid) -> Result<String, SourceError>;

    /// Customers whose name starts with `prefix` (case-insensitive), at most `top`, by name.
    async fn search_customers(
        &self,
        prefix: &str,
        top: u8,
    ) -> Result<Vec<CustomerRef>, SourceError>;

    async fn stats(&self) -> Result<SourceStats, SourceError>;

    /// ISO 4217 code of the organization's base currency, the currency of every deal's
    /// `value_base`; `None` when the source does not know it (it never guesses). Cheap: sources
    /// read it once.
    async fn base_currency(&self) -> Option<String> {
        None
    }

    /// What this source has found it must do without (e.g. a Sales environment lacking the
    /// Forecasting solution's column), for `/api/health`. Known once a query has met it.
    fn degradations(&self) -> Vec<Degradation> {
        Vec::new()
    }

    /// Writes to Sales (notes to a deal's owner, leads); `None`: this source only reads.
    fn writer(&self) -> Option<&dyn writes::SalesWriter> {
        None
    }
}
