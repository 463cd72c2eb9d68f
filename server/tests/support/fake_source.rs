//! An in-memory `SalesSource` whose failures and delays are set by the test.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use dealpane_contract::{CustomerRef, CustomerType, Deal, DealStatus, Guid, Money, Summary};
use dealpane_server::source::{CustomerRecord, SalesSource, SourceError, SourceStats};

pub const CONTOSO: Guid = Guid::from_u128(0x3f2504e0_4f89_11d3_9a0c_0305e82c3301);
pub const FABRIKAM: Guid = Guid::from_u128(0x11110000000040008000000000000002);
pub const NO_DEALS: Guid = Guid::from_u128(0x11110000000040008000000000000003);
pub const UNKNOWN: Guid = Guid::from_u128(0x99990000000040008000000000000009);

/// How the fake's calls fail, set per test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Failure {
    Throttled(Duration),
    Timeout,
    Upstream,
}

impl Failure {
    fn error(self) -> SourceError {
        match self {
            Failure::Throttled(retry_after) => SourceError::Throttled { retry_after },
            Failure::Timeout => SourceError::Timeout,
            Failure::Upstream => SourceError::Upstream("HTTP 500 from the fake".into()),
        }
    }
}

/// An in-memory source: Contoso (3 deals), Fabrikam (1 deal, a contact), "Northwind" (none).
pub struct FakeSource {
    customers: Vec<CustomerRecord>,
    deals: HashMap<Guid, Vec<Deal>>,
    pub failure: Mutex<Option<Failure>>,
    /// Deals whose summary call fails.
    pub failing_summaries: Mutex<Vec<Guid>>,
    /// Added to every `open_deals` call.
    pub delay: Mutex<Duration>,
    /// Added to every `deal_summary` call.
    pub summary_delay: Mutex<Duration>,
    pub open_deals_calls: AtomicUsize,
    pub summary_calls: AtomicUsize,
    pub lookups: AtomicUsize,
}

pub fn deal(n: u128, name: &str, amount: f64) -> Deal {
    Deal {
        id: Guid::from_u128(0xdea10000000040008000000000000000 + n),
        name: name.to_owned(),
        status: DealStatus::Open,
        stage: Some("Propose".into()),
        value: Some(Money {
            amount,
            currency: "USD".into(),
        }),
        value_base: Some(Money {
            amount,
            currency: "USD".into(),
        }),
        probability: Some(50),
        close_date: Some("2026-12-15".into()),
        owner: Some("Alex Wu".into()),
        forecast_category: None,
        summary: Summary::unavailable(),
        link: None,
        modified_on: None,
    }
}

pub fn summary_text(id: Guid) -> String {
    format!("Summary of deal {id}: the customer wants espresso machines.")
}

impl FakeSource {
    pub fn new() -> Arc<FakeSource> {
        let record = |id, name: &str, kind| CustomerRecord {
            id,
            name: name.to_owned(),
            kind,
        };
        let mut deals = HashMap::new();
        deals.insert(
            CONTOSO,
            vec![
                deal(1, "Espresso machines for 4 sites", 250_000.0),
                deal(2, "Grinders", 40_000.0),
                deal(3, "Service plan", 9_000.0),
            ],
        );
        deals.insert(FABRIKAM, vec![deal(4, "Milk frothers", 1_000.0)]);
        Arc::new(FakeSource {
            customers: vec![
                record(CONTOSO, "Contoso Pharmaceuticals", CustomerType::Account),
                record(FABRIKAM, "Fabrikam Ödön", CustomerType::Contact),
                record(NO_DEALS, "Northwind", CustomerType::Account),
            ],
            deals,
            failure: Mutex::new(None),
            failing_summaries: Mutex::new(Vec::new()),
            delay: Mutex::new(Duration::ZERO),
            summary_delay: Mutex::new(Duration::ZERO),
            open_deals_calls: AtomicUsize::new(0),
            summary_calls: AtomicUsize::new(0),
            lookups: AtomicUsize::new(0),
        })
    }

    pub fn fail_with(&self, failure: Option<Failure>) {
        *self.failure.lock().unwrap() = failure;
    }

    fn check(&self) -> Result<(), SourceError> {
        match *self.failure.lock().unwrap() {
            Some(failure) => Err(failure.error()),
            None => Ok(()),
        }
    }

    /// One counted customer lookup: the first customer of `kind` (any when `None`) that `wanted`.
    fn lookup(
        &self,
        kind: Option<CustomerType>,
        wanted: impl Fn(&CustomerRecord) -> bool,
    ) -> Result<Option<CustomerRecord>, SourceError> {
        self.lookups.fetch_add(1, Ordering::SeqCst);
        self.check()?;
        Ok(self
            .customers
            .iter()
            .find(|c| wanted(c) && kind.is_none_or(|k| k == c.kind))
            .cloned())
    }

    pub fn open_deals_calls(&self) -> usize {
        self.open_deals_calls.load(Ordering::SeqCst)
    }

    pub fn summary_calls(&self) -> usize {
        self.summary_calls.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl SalesSource for FakeSource {
    fn name(&self) -> &'static str {
        "embedded"
    }

    async fn customer_by_id(
        &self,
        id: Guid,
        kind: Option<CustomerType>,
    ) -> Result<Option<CustomerRecord>, SourceError> {
        self.lookup(kind, |c| c.id == id)
    }

    async fn customer_by_name(
        &self,
        name: &str,
        kind: Option<CustomerType>,
    ) -> Result<Option<CustomerRecord>, SourceError> {
        self.lookup(kind, |c| c.name.to_lowercase() == name.to_lowercase())
    }

    async fn open_deals(
        &self,
        customer: &CustomerRecord,
        top: u8,
    ) -> Result<Vec<Deal>, SourceError> {
        self.open_deals_calls.fetch_add(1, Ordering::SeqCst);
        let delay = *self.delay.lock().unwrap();
        tokio::time::sleep(delay).await;
        self.check()?;
        let mut deals = self.deals.get(&customer.id).cloned().unwrap_or_default();
        deals.truncate(top as usize);
        Ok(deals)
    }

    async fn deal_summary(&self, deal_id: Guid) -> Result<String, SourceError> {
        self.summary_calls.fetch_add(1, Ordering::SeqCst);
        let delay = *self.summary_delay.lock().unwrap();
        tokio::time::sleep(delay).await;
        if self.failing_summaries.lock().unwrap().contains(&deal_id) {
            return Err(SourceError::Upstream("summary action failed".into()));
        }
        Ok(summary_text(deal_id))
    }

    async fn search_customers(
        &self,
        prefix: &str,
        top: u8,
    ) -> Result<Vec<CustomerRef>, SourceError> {
        self.check()?;
        let mut found: Vec<_> = self
            .customers
            .iter()
            .filter(|c| c.name.to_lowercase().starts_with(&prefix.to_lowercase()))
            .map(|c| CustomerRef {
                id: c.id,
                name: c.name.clone(),
                kind: c.kind,
                open_deals: Some(self.deals.get(&c.id).map_or(0, Vec::len) as u32),
            })
            .collect();
        found.sort_by(|a, b| a.name.cmp(&b.name));
        found.truncate(top as usize);
        Ok(found)
    }

    async fn stats(&self) -> Result<SourceStats, SourceError> {
        self.check()?;
        Ok(SourceStats {
            customers: Some(self.customers.len() as u64),
            deals: Some(self.deals.values().map(Vec::len).sum::<usize>() as u64),
        })
    }
}
