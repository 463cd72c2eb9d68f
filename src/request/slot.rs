//! [`RequestSlot`]: one kind of request, one at a time.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::{AbortController, AbortSignal};

/// One kind of request a part of the pane makes (the deals, the picker's suggestions,
/// `config.json`), one at a time. Starting a request aborts the previous one; an answer is
/// delivered only if no newer start, no [`RequestSlot::cancel`] and no unmount came first.
/// `Copy`, so closures and event handlers can each hold it.
#[derive(Clone, Copy)]
pub struct RequestSlot {
    state: StoredValue<Inflight, LocalStorage>,
}

#[derive(Default)]
struct Inflight {
    /// Bumped by every start and cancel: an answer tagged with an older value is stale.
    generation: u32,
    /// Aborts the request in flight.
    controller: Option<AbortController>,
}

impl RequestSlot {
    /// A slot that lives as long as the current reactive owner: its cleanup aborts the request.
    pub fn new() -> RequestSlot {
        let slot = RequestSlot {
            state: StoredValue::new_local(Inflight::default()),
        };
        on_cleanup(move || slot.cancel());
        slot
    }

    /// Aborts the request in flight, if any; its answer will not be delivered.
    pub fn cancel(&self) {
        let inflight = self.state.try_update_value(|state| {
            state.generation = state.generation.wrapping_add(1);
            state.controller.take()
        });
        if let Some(controller) = inflight.flatten() {
            controller.abort();
        }
    }

    /// Cancels the previous request, runs `request` with a fresh abort signal, and hands its
    /// result to `deliver` unless it went stale meanwhile.
    pub fn start<T, F>(
        &self,
        request: impl FnOnce(AbortSignal) -> F + 'static,
        deliver: impl FnOnce(T) + 'static,
    ) where
        F: Future<Output = T> + 'static,
    {
        self.cancel();
        let Ok(controller) = AbortController::new() else {
            return;
        };
        let signal = controller.signal();
        let Some(this) = self.state.try_update_value(|state| {
            state.controller = Some(controller);
            state.generation
        }) else {
            return;
        };
        let slot = *self;
        spawn_local(async move {
            let answer = request(signal).await;
            let current = slot.state.try_update_value(|state| {
                let current = state.generation == this;
                if current {
                    state.controller = None;
                }
                current
            });
            if current == Some(true) {
                deliver(answer);
            }
        });
    }
}

impl Default for RequestSlot {
    fn default() -> RequestSlot {
        RequestSlot::new()
    }
}
