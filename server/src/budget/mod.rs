//! One budget of concurrent Dataverse calls for the whole process. Dataverse refuses a user's
//! 53rd concurrent request, and one application user serves every agent, so every call of the
//! process (lookups, opportunities, summaries) takes a permit from here first.
//!
//! Two priorities: an agent waits for `Interactive` calls (customer lookup, opportunities);
//! nobody waits for `Background` ones (summaries). When permits are scarce a free permit goes
//! to the oldest interactive waiter first, and background calls never hold more than
//! `background_max` permits, so a burst of summaries cannot starve the lookups. Within a
//! priority, first come first served, counted from the moment `acquire` is *called* (not
//! first polled), so deals queued top first start top first.
//!
//! With N instances the cap is per instance: N × `capacity` must stay under 52 (minus what
//! other integrations of the same application user take).
//!
//! [`BudgetedSource`] wraps a `SalesSource` so that every call goes through the budget.

mod source;

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use tokio::sync::oneshot;

pub use self::source::{BudgetedSource, UpstreamCounters};

/// Dataverse's concurrency limit is 52 per user; leave room for other instances and tools.
pub const DEFAULT_CAPACITY: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    /// An agent is waiting: lookups, opportunities, customer search, health.
    Interactive,
    /// Nobody waits: summaries generated in the background.
    Background,
}

/// A snapshot, for health and benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetStats {
    pub capacity: usize,
    pub in_use: usize,
    pub background_in_use: usize,
    pub interactive_waiting: usize,
    pub background_waiting: usize,
}

/// Cheap to clone; clones share the budget.
#[derive(Clone)]
pub struct UpstreamBudget {
    state: Arc<Mutex<State>>,
}

struct State {
    capacity: usize,
    background_max: usize,
    in_use: usize,
    background_in_use: usize,
    interactive: VecDeque<oneshot::Sender<()>>,
    background: VecDeque<oneshot::Sender<()>>,
}

impl UpstreamBudget {
    /// At most `capacity` calls at once (at least 1), background ones at most `background_max`
    /// of them (at least 1, at most `capacity`).
    pub fn new(capacity: usize, background_max: usize) -> UpstreamBudget {
        let capacity = capacity.max(1);
        UpstreamBudget {
            state: Arc::new(Mutex::new(State {
                capacity,
                background_max: background_max.clamp(1, capacity),
                in_use: 0,
                background_in_use: 0,
                interactive: VecDeque::new(),
                background: VecDeque::new(),
            })),
        }
    }

    /// `capacity` with half of it (rounded up) for background calls.
    pub fn with_capacity(capacity: usize) -> UpstreamBudget {
        UpstreamBudget::new(capacity, capacity.div_ceil(2))
    }

    /// Takes a place in the queue now; the future resolves to a permit when it is this caller's
    /// turn. Dropping the future gives the place (or a permit granted meanwhile) back.
    pub fn acquire(&self, priority: Priority) -> Acquire {
        let (sender, receiver) = oneshot::channel();
        {
            let mut state = self.state.lock().unwrap();
            match priority {
                Priority::Interactive => state.interactive.push_back(sender),
                Priority::Background => state.background.push_back(sender),
            }
            state.dispatch();
        }
        Acquire {
            budget: self.clone(),
            priority,
            receiver: Some(receiver),
        }
    }

    pub fn stats(&self) -> BudgetStats {
        let state = self.state.lock().unwrap();
        let waiting = |queue: &VecDeque<oneshot::Sender<()>>| {
            queue.iter().filter(|waiter| !waiter.is_closed()).count()
        };
        BudgetStats {
            capacity: state.capacity,
            in_use: state.in_use,
            background_in_use: state.background_in_use,
            interactive_waiting: waiting(&state.interactive),
            background_waiting: waiting(&state.background),
        }
    }

    fn release(&self, priority: Priority) {
        let mut state = self.state.lock().unwrap();
        state.in_use -= 1;
        if priority == Priority::Background {
            state.background_in_use -= 1;
        }
        state.dispatch();
    }
}

impl State {
    /// Hands free permits out: interactive waiters first, then background ones within their
    /// share. Waiters that gave up (receiver dropped) are skipped.
    fn dispatch(&mut self) {
        while self.in_use < self.capacity {
            let Some(waiter) = self.interactive.pop_front() else {
                break;
            };
            if waiter.send(()).is_ok() {
                self.in_use += 1;
            }
        }
        if !self.interactive.is_empty() {
            return;
        }
        while self.in_use < self.capacity && self.background_in_use < self.background_max {
            let Some(waiter) = self.background.pop_front() else {
                break;
            };
            if waiter.send(()).is_ok() {
                self.in_use += 1;
                self.background_in_use += 1;
            }
        }
    }
}

/// The wait for a permit: see [`UpstreamBudget::acquire`].
pub struct Acquire {
    budget: UpstreamBudget,
    priority: Priority,
    receiver: Option<oneshot::Receiver<()>>,
}

impl Future for Acquire {
    type Output = UpstreamPermit;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<UpstreamPermit> {
        let receiver = self.receiver.as_mut().expect("polled after completion");
        match Pin::new(receiver).poll(cx) {
            Poll::Ready(Ok(())) => {
                self.receiver = None;
                Poll::Ready(UpstreamPermit {
                    budget: self.budget.clone(),
                    priority: self.priority,
                })
            }
            // The budget keeps every sender until it sends, so this cannot happen; if it
            // did, waiting forever would be worse than one call over the cap.
            Poll::Ready(Err(_)) => unreachable!("the budget dropped a waiter"),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Drop for Acquire {
    fn drop(&mut self) {
        if let Some(mut receiver) = self.receiver.take() {
            // Closing first makes the race with `dispatch` decided: either the permit was sent
            // (and is given back here) or the budget sees a closed waiter and skips it.
            receiver.close();
            if receiver.try_recv().is_ok() {
                self.budget.release(self.priority);
            }
        }
    }
}

/// One upstream call's place in the budget, given back when dropped.
pub struct UpstreamPermit {
    budget: UpstreamBudget,
    priority: Priority,
}

impl UpstreamPermit {
    pub fn priority(&self) -> Priority {
        self.priority
    }
}

impl Drop for UpstreamPermit {
    fn drop(&mut self) {
        self.budget.release(self.priority);
    }
}

#[cfg(test)]
mod tests;
