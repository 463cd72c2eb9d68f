//! The standalone preview's customer picker: a combobox (ARIA 1.2 pattern) over
//! `GET {apiBase}/customers?q=&top=`, debounced, with listbox suggestions driven by ArrowUp/Down,
//! Enter and Escape. Choosing a customer hands it up; the URL is never touched (no pushState
//! inside the workspace's iframe).

use dealpane_contract::{limits, CustomerRef};
use leptos::ev;
use leptos::prelude::*;

use super::{aria_flag, attr, Ui};
use crate::api::{self, FetchError};
use crate::config::WidgetConfig;
use crate::request::RequestSlot;

/// Quiet time after the last keystroke before asking the server.
pub const DEBOUNCE_MS: u64 = 250;

/// What the picker shows: the text typed, the suggestions and which one is active.
#[derive(Default)]
struct Search {
    query: String,
    results: Vec<CustomerRef>,
    open: bool,
    active: Option<usize>,
    status: Status,
}

#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum Status {
    #[default]
    Idle,
    Searching,
    Done,
    Failed,
}

pub fn customer_search(
    ui: Ui,
    config: WidgetConfig,
    on_choose: impl Fn(CustomerRef) + Copy + Send + Sync + 'static,
) -> AnyView {
    let s = ui.text;
    let announcer = ui.announcer;
    let input_id = ui.id("customer-search");
    let listbox_id = ui.id("customer-options");
    let hint_id = ui.id("customer-search-hint");
    let option_prefix = ui.id("customer-option");

    // One signal for the picker's state: one signal type in the wasm instead of five.
    let state = RwSignal::new(Search::default());
    let debounce = StoredValue::new(None::<TimeoutHandle>);
    let suggestions = RequestSlot::new();
    let config = StoredValue::new(config);

    let cancel_pending = move || {
        if let Some(handle) = debounce.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        suggestions.cancel();
    };
    on_cleanup(cancel_pending);

    let search = move |text: String| {
        let Some(config) = config.try_get_value() else {
            return;
        };
        state.update(|st| st.status = Status::Searching);
        let query = text.clone();
        suggestions.start(
            move |cancel| async move {
                api::fetch_customers(&config, &query, limits::SUGGESTIONS, &cancel).await
            },
            move |answer| match answer {
                Ok(list) => {
                    let count = list.customers.len();
                    state.try_update(|st| {
                        st.results = list.customers;
                        st.active = None;
                        st.open = count > 0;
                        st.status = Status::Done;
                    });
                    announcer.polite(if count == 0 {
                        s.no_customers(&text)
                    } else {
                        s.customers_found(count)
                    });
                }
                Err(FetchError::Aborted) => {}
                Err(_) => {
                    state.try_update(|st| {
                        st.results = Vec::new();
                        st.open = false;
                        st.status = Status::Failed;
                    });
                    announcer.urgent(s.customer_search_failed);
                }
            },
        );
    };

    let on_input = move |event: ev::Event| {
        let text: String = event_target_value(&event)
            .chars()
            .take(limits::NAME_MAX_CHARS)
            .collect();
        cancel_pending();
        let blank = text.trim().is_empty();
        state.update(|st| {
            st.query = text.clone();
            if blank {
                st.results = Vec::new();
                st.open = false;
                st.active = None;
                st.status = Status::Idle;
            }
        });
        if blank {
            return;
        }
        let handle = set_timeout_with_handle(
            move || search(text),
            std::time::Duration::from_millis(DEBOUNCE_MS),
        );
        debounce.set_value(handle.ok());
    };

    let choose = move |index: usize| {
        let Some(customer) = state.with_untracked(|st| st.results.get(index).cloned()) else {
            return;
        };
        state.update(|st| {
            st.query = customer.name.clone();
            st.open = false;
            st.active = None;
        });
        on_choose(customer);
    };

    let on_keydown = move |event: ev::KeyboardEvent| {
        let (count, open, active) =
            state.with_untracked(|st| (st.results.len(), st.open, st.active));
        match event.key().as_str() {
            "ArrowDown" | "ArrowUp" if count > 0 => {
                event.prevent_default();
                let down = event.key() == "ArrowDown";
                let next = match (open, active) {
                    (true, Some(i)) if down => (i + 1) % count,
                    (true, Some(i)) => (i + count - 1) % count,
                    (_, _) if down => 0,
                    (_, _) => count - 1,
                };
                state.update(|st| {
                    st.open = true;
                    st.active = Some(next);
                });
            }
            "Enter" => {
                if let (true, Some(index)) = (open, active) {
                    event.prevent_default();
                    choose(index);
                }
            }
            "Escape" => {
                event.prevent_default();
                if open {
                    state.update(|st| {
                        st.open = false;
                        st.active = None;
                    });
                } else {
                    cancel_pending();
                    state.update(|st| {
                        st.query = String::new();
                        st.results = Vec::new();
                        st.status = Status::Idle;
                    });
                }
            }
            _ => {}
        }
    };

    let option_id = move |index: usize| format!("{option_prefix}-{index}");
    let active_descendant = {
        let option_id = option_id.clone();
        move || state.with(|st| st.active.filter(|_| st.open).map(&option_id))
    };
    // The options are plain values, redrawn when the list or the active one changes.
    let options = move || {
        state.with(|st| {
            st.results
                .iter()
                .enumerate()
                .map(|(index, customer)| {
                    let selected = st.active == Some(index);
                    let mut detail = s.customer_kind(customer.kind).to_owned();
                    if let Some(n) = customer.open_deals {
                        detail.push_str(" · ");
                        detail.push_str(&s.open_deals(n as usize));
                    }
                    view! {
                        <li
                            id=option_id(index)
                            {..attr("role", "option")}
                            class=if selected {
                                "dp-search__option dp-search__option--active"
                            } else {
                                "dp-search__option"
                            }
                            {..attr("aria-selected", aria_flag(selected))}
                            on:mousedown=|event| event.prevent_default()
                            on:click=move |_| choose(index)
                        >
                            <span class="dp-search__name">{customer.name.clone()}</span>
                            <span class="dp-search__detail">{detail}</span>
                        </li>
                    }
                    .into_any()
                })
                .collect::<Vec<_>>()
                .into_any()
        })
    };
    let message = move || {
        let text = state.with(|st| match st.status {
            Status::Failed => Some(s.customer_search_failed.to_owned()),
            Status::Done if st.results.is_empty() => Some(s.no_customers(&st.query)),
            _ => None,
        });
        text.map(|text| view! { <p class="dp-search__message">{text}</p> }.into_any())
    };

    view! {
        <div class="dp-search">
            <label class="dp-search__label" {..attr("for", input_id.clone())}>{s.customer_search_label}</label>
            <div class="dp-search__box">
                <input
                    id=input_id
                    class="dp-search__input"
                    type="text"
                    {..attr("role", "combobox")}
                    {..attr("autocomplete", "off")}
                    {..attr("spellcheck", "false")}
                    {..attr("aria-autocomplete", "list")}
                    {..attr("aria-expanded", move || aria_flag(state.with(|st| st.open)))}
                    {..attr("aria-controls", listbox_id.clone())}
                    {..attr("aria-describedby", hint_id.clone())}
                    {..attr("aria-busy", move || aria_flag(state.with(|st| st.status == Status::Searching)))}
                    {..attr("placeholder", s.customer_search_placeholder)}
                    aria-activedescendant=active_descendant
                    prop:value=move || state.with(|st| st.query.clone())
                    on:input=on_input
                    on:keydown=on_keydown
                    on:blur=move |_| state.update(|st| st.open = false)
                />
                <ul
                    id=listbox_id.clone()
                    {..attr("role", "listbox")}
                    class="dp-search__list"
                    {..attr("aria-label", s.customer_search_label)}
                    hidden=move || !state.with(|st| st.open)
                >
                    {move || options()}
                </ul>
            </div>
            <p class="dp-search__hint" id=hint_id>{s.customer_search_hint}</p>
            {move || message()}
        </div>
    }
    .into_any()
}
