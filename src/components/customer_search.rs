//! The standalone preview's customer picker: a combobox (ARIA 1.2 pattern) over
//! `GET {apiBase}/customers?q=&top=`, debounced, with listbox suggestions driven by ArrowUp/Down,
//! Enter and Escape. Choosing a customer hands it up; the URL is never touched (no pushState
//! inside the workspace's iframe).

use dealpane_contract::{limits, CustomerRef};
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::AbortController;

use super::use_ui;
use crate::api::{self, ApiError};
use crate::config::WidgetConfig;

/// Quiet time after the last keystroke before asking the server.
pub const DEBOUNCE_MS: u64 = 250;
/// Suggestions shown.
const SUGGESTIONS: u8 = 8;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Idle,
    Searching,
    Done,
    Failed,
}

pub fn customer_search(config: WidgetConfig, on_choose: Callback<CustomerRef>) -> AnyView {
    let ui = use_ui();
    let s = ui.s;
    let announcer = ui.announcer;
    let input_id = ui.id("customer-search");
    let listbox_id = ui.id("customer-options");
    let hint_id = ui.id("customer-search-hint");
    let option_prefix = ui.id("customer-option");

    let query = RwSignal::new(String::new());
    let results = RwSignal::new(Vec::<CustomerRef>::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let status = RwSignal::new(Status::Idle);
    let debounce = StoredValue::new(None::<TimeoutHandle>);
    let inflight = StoredValue::new_local(None::<AbortController>);
    let config = StoredValue::new(config);

    let cancel_pending = move || {
        if let Some(handle) = debounce.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        if let Some(controller) = inflight.try_update_value(Option::take).flatten() {
            controller.abort();
        }
    };
    on_cleanup(cancel_pending);

    let search = move |text: String| {
        let Ok(controller) = AbortController::new() else {
            return;
        };
        let signal = controller.signal();
        inflight.set_value(Some(controller));
        status.set(Status::Searching);
        spawn_local(async move {
            let Some(config) = config.try_get_value() else {
                return;
            };
            let answer = api::fetch_customers(&config, &text, SUGGESTIONS, &signal).await;
            if signal.aborted() {
                return;
            }
            match answer {
                Ok(list) => {
                    let count = list.customers.len();
                    let _ = results.try_set(list.customers);
                    let _ = active.try_set(None);
                    let _ = open.try_set(count > 0);
                    let _ = status.try_set(Status::Done);
                    announcer.polite(if count == 0 {
                        s.no_customers(&text)
                    } else {
                        s.customers_found(count)
                    });
                }
                Err(ApiError::Aborted) => {}
                Err(_) => {
                    let _ = results.try_set(Vec::new());
                    let _ = open.try_set(false);
                    let _ = status.try_set(Status::Failed);
                    announcer.urgent(s.customer_search_failed);
                }
            }
        });
    };

    let on_input = move |event: ev::Event| {
        let text: String = event_target_value(&event)
            .chars()
            .take(limits::NAME_MAX_CHARS)
            .collect();
        query.set(text.clone());
        cancel_pending();
        if text.trim().is_empty() {
            results.set(Vec::new());
            open.set(false);
            active.set(None);
            status.set(Status::Idle);
            return;
        }
        let handle = set_timeout_with_handle(
            move || search(text),
            std::time::Duration::from_millis(DEBOUNCE_MS),
        );
        debounce.set_value(handle.ok());
    };

    let choose = move |index: usize| {
        let Some(customer) = results.with_untracked(|list| list.get(index).cloned()) else {
            return;
        };
        query.set(customer.name.clone());
        open.set(false);
        active.set(None);
        on_choose.run(customer);
    };

    let on_keydown = move |event: ev::KeyboardEvent| {
        let count = results.with_untracked(Vec::len);
        match event.key().as_str() {
            "ArrowDown" | "ArrowUp" if count > 0 => {
                event.prevent_default();
                let down = event.key() == "ArrowDown";
                let next = match (open.get_untracked(), active.get_untracked()) {
                    (true, Some(i)) if down => (i + 1) % count,
                    (true, Some(i)) => (i + count - 1) % count,
                    (_, _) if down => 0,
                    (_, _) => count - 1,
                };
                open.set(true);
                active.set(Some(next));
            }
            "Enter" => {
                if let (true, Some(index)) = (open.get_untracked(), active.get_untracked()) {
                    event.prevent_default();
                    choose(index);
                }
            }
            "Escape" => {
                event.prevent_default();
                if open.get_untracked() {
                    open.set(false);
                    active.set(None);
                } else {
                    cancel_pending();
                    query.set(String::new());
                    results.set(Vec::new());
                    status.set(Status::Idle);
                }
            }
            _ => {}
        }
    };

    let option_id = {
        let prefix = option_prefix.clone();
        move |index: usize| format!("{prefix}-{index}")
    };
    let active_descendant = {
        let option_id = option_id.clone();
        move || active.get().filter(|_| open.get()).map(&option_id)
    };
    // The options are plain values, redrawn when the list or the active one changes.
    let options = move || {
        let current = active.get();
        results.with(|list| {
            list.iter()
                .enumerate()
                .map(|(index, customer)| {
                    let selected = current == Some(index);
                    let mut detail = s.customer_kind(customer.kind).to_owned();
                    if let Some(n) = customer.open_deals {
                        detail.push_str(" · ");
                        detail.push_str(&s.open_deals(n as usize));
                    }
                    view! {
                        <li
                            id=option_id(index)
                            role="option"
                            class=if selected {
                                "dp-search__option dp-search__option--active"
                            } else {
                                "dp-search__option"
                            }
                            aria-selected=if selected { "true" } else { "false" }
                            on:mousedown=|event| event.prevent_default()
                            on:click=move |_| choose(index)
                        >
                            <span class="dp-search__name">{customer.name.clone()}</span>
                            <span class="dp-search__detail">{detail}</span>
                        </li>
                    }
                })
                .collect::<Vec<_>>()
                .into_any()
        })
    };
    let message = move || {
        let text = match status.get() {
            Status::Failed => Some(s.customer_search_failed.to_owned()),
            Status::Done if results.with(Vec::is_empty) => Some(s.no_customers(&query.get())),
            _ => None,
        };
        text.map(|text| view! { <p class="dp-search__message">{text}</p> }.into_any())
    };

    view! {
        <div class="dp-search">
            <label class="dp-search__label" for=input_id.clone()>{s.customer_search_label}</label>
            <div class="dp-search__box">
                <input
                    id=input_id
                    class="dp-search__input"
                    type="text"
                    role="combobox"
                    autocomplete="off"
                    spellcheck="false"
                    aria-autocomplete="list"
                    aria-expanded=move || if open.get() { "true" } else { "false" }
                    aria-controls=listbox_id.clone()
                    aria-describedby=hint_id.clone()
                    aria-activedescendant=active_descendant
                    aria-busy=move || if status.get() == Status::Searching { "true" } else { "false" }
                    placeholder=s.customer_search_placeholder
                    prop:value=move || query.get()
                    on:input=on_input
                    on:keydown=on_keydown
                    on:blur=move |_| open.set(false)
                />
                <ul
                    id=listbox_id.clone()
                    role="listbox"
                    class="dp-search__list"
                    aria-label=s.customer_search_label
                    hidden=move || !open.get()
                >
                    {options}
                </ul>
            </div>
            <p class="dp-search__hint" id=hint_id>{s.customer_search_hint}</p>
            {message}
        </div>
    }
    .into_any()
}
