//! The customer's header: name (or id until the answer names it), open deals, total and
//! probability-weighted value, how old the data is (ticking), and Refresh.

use std::sync::Arc;

use dealpane_contract::{Deal, DealSummaryResponse, Money};
use leptos::prelude::*;

use super::use_ui;
use crate::browser::intl;
use crate::format;

/// The header's numbers for one answer.
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

/// `updated_at`: when the shown data was produced; `now`: the clock that makes "updated … ago"
/// tick (both Unix seconds).
pub fn customer_header(
    name: impl Fn() -> String + Send + Sync + 'static,
    answer: impl Fn() -> Option<Arc<DealSummaryResponse>> + Copy + Send + Sync + 'static,
    updated_at: RwSignal<Option<i64>>,
    now: RwSignal<i64>,
    on_refresh: impl Fn() + Copy + Send + Sync + 'static,
) -> AnyView {
    let ui = use_ui();
    let s = ui.text;
    let updated = move || {
        updated_at
            .get()
            .map(|at| s.updated_ago(format::relative_age(now.get() - at)))
    };
    // One text for "N open deals · ", so the line is one reactive node, not two.
    let deals = move || {
        let dated = updated_at.with(Option::is_some);
        answer().map_or_else(String::new, |answer| {
            let mut text = s.open_deals(answer.deals.len());
            if dated {
                text.push_str(" · ");
            }
            text
        })
    };
    let tag = ui.locale_tag.clone();
    let totals = move || {
        answer().filter(|a| !a.deals.is_empty()).map(|answer| {
            let f = Figures::of(&answer.deals, &tag);
            view! {
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
            }
            .into_any()
        })
    };
    view! {
        <div class="dp-customer">
            <div class="dp-customer__titles">
                <h1 class="dp-customer__name">{name}</h1>
                <p class="dp-customer__meta">
                    {deals}
                    <span class="dp-customer__updated">{updated}</span>
                </p>
            </div>
            {totals}
            <button type="button" class="dp-button dp-customer__refresh" on:click=move |_| on_refresh()>
                <span class="dp-button__icon" aria-hidden="true">"↻"</span>
                {s.refresh}
            </button>
        </div>
    }
    .into_any()
}
