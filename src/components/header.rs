//! The customer's header: name (or id until the answer names it), open deals, total and
//! probability-weighted value, how old the data is (ticking), and Refresh.

use dealpane_contract::{Deal, Money};
use leptos::prelude::*;

use super::use_ui;
use crate::format::{self, intl};

/// The header's numbers for one answer.
#[derive(Clone, PartialEq)]
pub struct Figures {
    pub open_deals: usize,
    pub open_value: String,
    pub weighted_value: String,
}

impl Figures {
    pub fn of(deals: &[Deal], tag: &str) -> Figures {
        let money = |totals: Vec<Money>| {
            totals
                .iter()
                .map(|m| intl::format_money(m.amount, &m.currency, tag))
                .collect::<Vec<_>>()
                .join(", ")
        };
        Figures {
            open_deals: deals.len(),
            open_value: money(format::open_total(deals)),
            weighted_value: money(format::weighted_total(deals)),
        }
    }
}

#[component]
pub fn CustomerHeader(
    name: Signal<String>,
    figures: Signal<Option<Figures>>,
    /// When the shown data was produced (Unix seconds).
    updated_at: Signal<Option<i64>>,
    /// The clock that makes "updated … ago" tick (Unix seconds).
    now: Signal<i64>,
    on_refresh: Callback<()>,
) -> impl IntoView {
    let ui = use_ui();
    let s = ui.s;
    let updated = move || {
        updated_at
            .get()
            .map(|at| s.updated_ago(format::relative_age(now.get() - at)))
    };
    view! {
        <div class="dp-customer">
            <div class="dp-customer__titles">
                <h1 class="dp-customer__name">{move || name.get()}</h1>
                <p class="dp-customer__meta">
                    {move || figures.get().map(|f| s.open_deals(f.open_deals))}
                    {move || figures.get().and(updated()).map(|_| " · ")}
                    <span class="dp-customer__updated">{updated}</span>
                </p>
            </div>
            {move || figures.get().filter(|f| f.open_deals > 0).map(|f| view! {
                <dl class="dp-totals">
                    <div class="dp-totals__item">
                        <dt>{s.open_value}</dt>
                        <dd>{f.open_value}</dd>
                    </div>
                    <div class="dp-totals__item">
                        <dt title=s.weighted_value_hint>{s.weighted_value}</dt>
                        <dd>{f.weighted_value}</dd>
                    </div>
                </dl>
            })}
            <button type="button" class="dp-button dp-customer__refresh" on:click=move |_| on_refresh.run(())>
                <span class="dp-button__icon" aria-hidden="true">"↻"</span>
                {s.refresh}
            </button>
        </div>
    }
}
