//! A Sales source whose summary action is scripted per deal and counted.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use dealpane_contract::{CustomerRef, CustomerType, Deal, Guid};

use crate::source::{CustomerRecord, SalesSource, SourceError, SourceStats};

#[derive(Clone, Copy)]
pub(super) enum Behaviour {
    Answer,
    Fail,
    /// Throttled this many times (then answers), each asking to wait `retry_after`.
    Throttle(u32, Duration),
}

#[derive(Default)]
pub(super) struct FakeSales {
    latency: Duration,
    behaviour: Mutex<HashMap<Guid, Behaviour>>,
    calls: Mutex<Vec<Guid>>,
    throttled: AtomicU32,
    running: AtomicU32,
    pub(super) most_at_once: AtomicU32,
}

impl FakeSales {
    pub(super) fn new(latency_ms: u64) -> Arc<FakeSales> {
        Arc::new(FakeSales {
            latency: Duration::from_millis(latency_ms),
            ..Default::default()
        })
    }

    pub(super) fn set(&self, deal: Guid, behaviour: Behaviour) {
        self.behaviour.lock().unwrap().insert(deal, behaviour);
    }

    pub(super) fn calls(&self) -> Vec<Guid> {
        self.calls.lock().unwrap().clone()
    }

    pub(super) fn calls_for(&self, deal: Guid) -> usize {
        self.calls().iter().filter(|id| **id == deal).count()
    }
}

#[async_trait]
impl SalesSource for FakeSales {
    fn name(&self) -> &'static str {
        "fake"
    }
    async fn customer_by_id(
        &self,
        _: Guid,
        _: Option<CustomerType>,
    ) -> Result<Option<CustomerRecord>, SourceError> {
        unreachable!("the broker only asks for summaries")
    }
    async fn customer_by_name(
        &self,
        _: &str,
        _: Option<CustomerType>,
    ) -> Result<Option<CustomerRecord>, SourceError> {
        unreachable!("the broker only asks for summaries")
    }
    async fn open_deals(&self, _: &CustomerRecord, _: u8) -> Result<Vec<Deal>, SourceError> {
        unreachable!("the broker only asks for summaries")
    }
    async fn deal_summary(&self, deal_id: Guid) -> Result<String, SourceError> {
        self.calls.lock().unwrap().push(deal_id);
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_at_once.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(self.latency).await;
        self.running.fetch_sub(1, Ordering::SeqCst);
        let behaviour = self.behaviour.lock().unwrap().get(&deal_id).copied();
        match behaviour.unwrap_or(Behaviour::Answer) {
            Behaviour::Answer => Ok(format!("summary of {deal_id}")),
            Behaviour::Fail => Err(SourceError::Upstream("500 from the action".into())),
            Behaviour::Throttle(times, retry_after) => {
                if self.throttled.fetch_add(1, Ordering::SeqCst) < times {
                    Err(SourceError::Throttled { retry_after })
                } else {
                    Ok(format!("summary of {deal_id}"))
                }
            }
        }
    }
    async fn search_customers(&self, _: &str, _: u8) -> Result<Vec<CustomerRef>, SourceError> {
        unreachable!("the broker only asks for summaries")
    }
    async fn stats(&self) -> Result<SourceStats, SourceError> {
        unreachable!("the broker only asks for summaries")
    }
}
