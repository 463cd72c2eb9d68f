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
    inflight: StoredValue<Option<AbortController>, LocalStorage>,
    /// Bumped by every start and cancel: an answer tagged with an older value is stale.
    generation: StoredValue<u32>,
}

impl RequestSlot {
    /// A slot that lives as long as the current reactive owner: its cleanup aborts the request.
    pub fn new() -> RequestSlot {
        let slot = RequestSlot {
            inflight: StoredValue::new_local(None),
            generation: StoredValue::new(0),
        };
        on_cleanup(move || slot.cancel());
        slot
    }

    /// Aborts the request in flight, if any; its answer will not be delivered.
    pub fn cancel(&self) {
        self.generation.try_update_value(|g| *g = g.wrapping_add(1));
        if let Some(controller) = self.inflight.try_update_value(Option::take).flatten() {
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
        let (Some(this), Ok(controller)) =
            (self.generation.try_get_value(), AbortController::new())
        else {
            return;
        };
        let signal = controller.signal();
        self.inflight.set_value(Some(controller));
        let slot = *self;
        spawn_local(async move {
            let answer = request(signal).await;
            if slot.generation.try_get_value() != Some(this) {
                return;
            }
            slot.inflight.set_value(None);
            deliver(answer);
        });
    }
}

impl Default for RequestSlot {
    fn default() -> RequestSlot {
        RequestSlot::new()
    }
}
