//! The broker: answers "what is the summary of each of these deals" at once, and makes sure each
//! missing one is being generated exactly once. See the module note in `super`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dealpane_contract::{Deal, Summary};
use futures::future::{join_all, select_all};
use futures::FutureExt;
use tokio::sync::{oneshot, watch};
use tokio::time::Instant;

use super::generator::generate;
use super::store::SummaryStore;
use super::{reason, CallerScope, DealVersion, SummarySettings};
use crate::budget::{Acquire, Priority, UpstreamBudget};
use crate::shared_cache::SharedCache;
use crate::source::SalesSource;

type FlightKey = (CallerScope, DealVersion);
/// `None` while generating, then the finished summary.
type Outcome = watch::Receiver<Option<Summary>>;

/// Counters for the benchmark and health.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SummaryStats {
    /// Calls to the source's summary action, retries included.
    pub upstream_calls: u64,
    /// Generations running or waiting in this process.
    pub in_flight: usize,
}

/// Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct SummaryBroker {
    inner: Arc<Inner>,
}

struct Inner {
    source: Arc<dyn SalesSource>,
    store: SummaryStore,
    settings: SummarySettings,
    /// Generations of this process, by caller and deal version.
    flights: Mutex<HashMap<FlightKey, Outcome>>,
    /// Bounds generations in this process, first asked first served.
    slots: UpstreamBudget,
    upstream_calls: AtomicU64,
}

/// Where one deal's summary stands for a caller.
enum Slot {
    Done(Summary),
    Waiting(Outcome),
}

impl SummaryBroker {
    /// `source` should be the budgeted one (`crate::budget::BudgetedSource`), so summaries queue
    /// behind lookups.
    pub fn new(
        source: Arc<dyn SalesSource>,
        cache: SharedCache,
        settings: SummarySettings,
    ) -> SummaryBroker {
        let settings = settings.bounded();
        SummaryBroker {
            inner: Arc::new(Inner {
                source,
                store: SummaryStore::new(cache, &settings),
                slots: UpstreamBudget::new(settings.concurrency, settings.concurrency),
                settings,
                flights: Mutex::new(HashMap::new()),
                upstream_calls: AtomicU64::new(0),
            }),
        }
    }

    /// Each deal's summary as known now (`ready`, `unavailable` or `pending`), in the given
    /// order; the pending ones start generating in that order. `retry_failed` (an agent's
    /// Refresh) forgets stored failures first.
    pub async fn summaries(
        &self,
        scope: &CallerScope,
        deals: &[DealVersion],
        retry_failed: bool,
    ) -> Vec<Summary> {
        let slots = self.begin(scope, deals, retry_failed).await;
        slots.iter().map(Slot::current).collect()
    }

    /// The answer path in one call: sets each deal's `summary` as [`SummaryBroker::summaries`]
    /// finds it, keyed by the deal's `modifiedOn`.
    pub async fn fill(&self, scope: &CallerScope, deals: &mut [Deal], retry_failed: bool) {
        let versions: Vec<DealVersion> = deals.iter().map(DealVersion::of).collect();
        let summaries = self.summaries(scope, &versions, retry_failed).await;
        for (deal, summary) in deals.iter_mut().zip(summaries) {
            deal.summary = summary;
        }
    }

    /// Waits until every one is finished, or `timeout`: the `text/plain` answer's single top
    /// deal, or a short grace before an answer is sent.
    pub async fn wait_for_all(
        &self,
        scope: &CallerScope,
        deals: &[DealVersion],
        timeout: Duration,
    ) -> Vec<Summary> {
        let slots = self.begin(scope, deals, false).await;
        let waits = slots
            .iter()
            .filter_map(Slot::waiting)
            .map(|outcome| finished(outcome.clone()));
        let _ = tokio::time::timeout(timeout, join_all(waits)).await;
        slots.iter().map(Slot::current).collect()
    }

    pub fn stats(&self) -> SummaryStats {
        SummaryStats {
            upstream_calls: self.inner.upstream_calls.load(Ordering::Relaxed),
            in_flight: self.inner.flights.lock().unwrap().len(),
        }
    }

    async fn begin(
        &self,
        scope: &CallerScope,
        deals: &[DealVersion],
        retry_failed: bool,
    ) -> Vec<Slot> {
        let inner = &self.inner;
        // A note just shared on a deal (issue 12) makes a new version: its summary mentions it.
        let deals = &crate::share::marks::with_latest_notes(inner.store.cache(), deals).await;
        if retry_failed {
            join_all(
                deals
                    .iter()
                    .map(|deal| inner.store.forget_failure(scope, deal)),
            )
            .await;
        }
        // What the cache knows, all at once (one round trip's time with Redis)...
        let known = join_all(deals.iter().map(|deal| async move {
            if inner.flight(scope, deal).is_some() {
                return None;
            }
            inner.store.get(scope, deal).await
        }))
        .await;
        // ...then flights for the rest, in the deals' order.
        let mut marks = Vec::new();
        let slots = deals
            .iter()
            .zip(known)
            .map(|(deal, known)| match known {
                Some(summary) => Slot::Done(summary),
                None => {
                    let (outcome, marked) = Inner::join_or_start(inner, scope, deal);
                    marks.extend(marked);
                    Slot::Waiting(outcome)
                }
            })
            .collect();
        // New flights are marked queued before the caller answers `pending`, so a long-poll on
        // any instance finds them.
        join_all(marks).await;
        slots
    }

    /// For the long-poll, which never starts a generation: each deal's summary as it stands,
    /// returned as soon as any of them is settled, or at `timeout`. The caller asks only for
    /// the deals it still sees pending, so a settled one is news even when it settled before
    /// the call (a first wave of summaries lands together: waiting for one that settles after
    /// the call would hold the rest of that wave back a whole summary's time). A deal
    /// no instance has finished, queued or started is `unavailable` with reason `unknown`
    /// (only an answer that lists the deal starts its summary). Dropping the future stops only
    /// the wait.
    pub async fn watch(
        &self,
        scope: &CallerScope,
        deals: &[DealVersion],
        timeout: Duration,
    ) -> Vec<Summary> {
        let deadline = Instant::now() + timeout;
        let mut seen = self.observe(scope, deals).await;
        loop {
            let pending = seen.iter().filter(|seen| seen.is_pending()).count();
            if pending == 0 || pending < seen.len() || Instant::now() >= deadline {
                return seen.iter().map(Seen::current).collect();
            }
            // Wake when a flight of this process lands, or to look again at other
            // instances' work, or at the deadline.
            let mut wakers: Vec<_> = seen
                .iter()
                .filter_map(Seen::local)
                .map(|outcome| finished(outcome.clone()).boxed())
                .collect();
            if seen.iter().any(|seen| matches!(seen, Seen::Elsewhere)) {
                wakers.push(tokio::time::sleep(self.inner.settings.poll_interval).boxed());
            }
            wakers.push(tokio::time::sleep_until(deadline).boxed());
            select_all(wakers).await;
            seen = self.observe(scope, deals).await;
        }
    }

    async fn observe(&self, scope: &CallerScope, deals: &[DealVersion]) -> Vec<Seen> {
        let inner = &self.inner;
        join_all(deals.iter().map(|deal| async move {
            if let Some(summary) = inner.store.get(scope, deal).await {
                return Seen::Settled(summary);
            }
            if let Some(outcome) = inner.flight(scope, deal) {
                return match settled(&outcome) {
                    Some(summary) => Seen::Settled(summary),
                    None => Seen::Here(outcome),
                };
            }
            if inner.store.is_on_its_way(scope, deal).await {
                return Seen::Elsewhere;
            }
            // It may have landed between the two looks.
            match inner.store.get(scope, deal).await {
                Some(summary) => Seen::Settled(summary),
                None => Seen::Settled(Summary::unavailable_because(reason::UNKNOWN)),
            }
        }))
        .await
    }
}

/// What the long-poll sees of one deal.
enum Seen {
    Settled(Summary),
    /// Generating (or queued) in this process.
    Here(Outcome),
    /// Queued or generating in another instance: looked at again every `poll_interval`.
    Elsewhere,
}

impl Seen {
    fn is_pending(&self) -> bool {
        !matches!(self, Seen::Settled(_))
    }

    fn local(&self) -> Option<&Outcome> {
        match self {
            Seen::Here(outcome) => Some(outcome),
            _ => None,
        }
    }

    fn current(&self) -> Summary {
        match self {
            Seen::Settled(summary) => summary.clone(),
            Seen::Here(outcome) => settled(outcome).unwrap_or_else(Summary::pending),
            Seen::Elsewhere => Summary::pending(),
        }
    }
}

impl Inner {
    fn flight(&self, scope: &CallerScope, deal: &DealVersion) -> Option<Outcome> {
        let key = (scope.clone(), deal.clone());
        self.flights.lock().unwrap().get(&key).cloned()
    }

    /// The running generation of this deal version, or a new one. Its place in line is taken
    /// here, synchronously, so deals asked top first start top first.
    /// With a flight started by this call, what resolves once it is marked queued in the
    /// shared cache (the flight itself writes the mark first, so its release, which removes
    /// the mark, always comes after).
    fn join_or_start(
        this: &Arc<Inner>,
        scope: &CallerScope,
        deal: &DealVersion,
    ) -> (Outcome, Option<oneshot::Receiver<()>>) {
        let key = (scope.clone(), deal.clone());
        let mut flights = this.flights.lock().unwrap();
        if let Some(outcome) = flights.get(&key) {
            return (outcome.clone(), None);
        }
        let (marked, on_marked) = oneshot::channel();
        let (sender, outcome) = watch::channel(None);
        flights.insert(key.clone(), outcome.clone());
        let slot = this.slots.acquire(Priority::Background);
        let this = Arc::clone(this);
        // The generation calls Sales as the agent who asked (`agent` identity); flights are
        // keyed by caller, so no other agent shares it.
        let acting = crate::auth::current();
        tokio::spawn(async move {
            // Removes the flight even if the generation panics, so the deal is not stuck.
            let _landing = Landing {
                inner: Arc::clone(&this),
                key: key.clone(),
            };
            this.store.mark_queued(&key.0, &key.1).await;
            let _ = marked.send(());
            let summary = crate::auth::run_as(acting, this.resolve(&key.0, &key.1, slot)).await;
            let _ = sender.send(Some(summary));
        });
        (outcome, Some(on_marked))
    }

    /// The summary, generated here or by another instance that claimed it first.
    async fn resolve(&self, scope: &CallerScope, deal: &DealVersion, slot: Acquire) -> Summary {
        let give_up = Instant::now() + self.store.claim_ttl();
        let mut slot = Some(slot);
        loop {
            if let Some(done) = self.store.get(scope, deal).await {
                return done;
            }
            // Try to claim on the first pass, and later only once the other's claim is gone
            // (it crashed): a waiter does not queue for a slot on every poll.
            if slot.is_some() || !self.store.is_claimed(scope, deal).await {
                let permit = match slot.take() {
                    Some(slot) => slot.await,
                    None => self.slots.acquire(Priority::Background).await,
                };
                if self.store.claim(scope, deal).await {
                    return self.generate_claimed(scope, deal).await;
                }
                drop(permit);
            }
            // Another instance is generating it: wait for its result without holding a slot.
            let now = Instant::now();
            if now >= give_up {
                return Summary::unavailable_because(reason::TIMEOUT);
            }
            tokio::time::sleep(self.settings.poll_interval.min(give_up - now)).await;
        }
    }

    /// Generates under a claim this instance holds, unless the result appeared while it waited
    /// for its slot (another instance finished and released its claim meanwhile).
    async fn generate_claimed(&self, scope: &CallerScope, deal: &DealVersion) -> Summary {
        let summary = match self.store.get(scope, deal).await {
            Some(done) => done,
            None => {
                let summary = generate(
                    &*self.source,
                    deal.id,
                    self.settings.timeout,
                    &self.upstream_calls,
                )
                .await;
                self.store.put(scope, deal, &summary).await;
                summary
            }
        };
        // After the result is stored, so a waiter never finds neither.
        self.store.release(scope, deal).await;
        summary
    }
}

/// Takes a finished flight out of the map.
struct Landing {
    inner: Arc<Inner>,
    key: FlightKey,
}

impl Drop for Landing {
    fn drop(&mut self) {
        self.inner.flights.lock().unwrap().remove(&self.key);
    }
}

impl Slot {
    fn waiting(&self) -> Option<&Outcome> {
        match self {
            Slot::Waiting(outcome) => Some(outcome),
            Slot::Done(_) => None,
        }
    }

    fn current(&self) -> Summary {
        match self {
            Slot::Done(summary) => summary.clone(),
            Slot::Waiting(outcome) => settled(outcome).unwrap_or_else(Summary::pending),
        }
    }
}

/// The finished summary, if any; a generation that died without one counts as failed.
fn settled(outcome: &Outcome) -> Option<Summary> {
    if let Some(summary) = outcome.borrow().clone() {
        return Some(summary);
    }
    outcome
        .has_changed()
        .is_err()
        .then(|| Summary::unavailable_because(reason::FAILED))
}

/// Resolves when the flight has finished (or died).
async fn finished(mut outcome: Outcome) {
    let _ = outcome.wait_for(Option::is_some).await;
}
