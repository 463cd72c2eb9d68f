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

/// `updated_at`: when the shown data was produced; `now`: the clock that makes "updated … ago"
/// tick (both Unix seconds).
pub fn customer_header(
    name: Signal<String>,
    figures: Signal<Option<Figures>>,
    updated_at: Signal<Option<i64>>,
    now: Signal<i64>,
    on_refresh: Callback<()>,
) -> AnyView {
    let ui = use_ui();
    let s = ui.s;
    let updated = move || {
        updated_at
            .get()
            .map(|at| s.updated_ago(format::relative_age(now.get() - at)))
    };
    // One text for "N open deals · ", so the line is one reactive node, not two.
    let deals = move || {
        let dated = updated_at.with(Option::is_some);
        figures.with(|f| {
            f.as_ref().map_or_else(String::new, |f| {
                let mut text = s.open_deals(f.open_deals);
                if dated {
                    text.push_str(" · ");
                }
                text
            })
        })
    };
    let totals = move || {
        figures.with(|f| {
            f.as_ref().filter(|f| f.open_deals > 0).map(|f| {
                view! {
                    <dl class="dp-totals">
                        <div class="dp-totals__item">
                            <dt>{s.open_value}</dt>
                            <dd>{f.open_value.clone()}</dd>
                        </div>
                        <div class="dp-totals__item">
                            <dt title=s.weighted_value_hint>{s.weighted_value}</dt>
                            <dd>{f.weighted_value.clone()}</dd>
                        </div>
                    </dl>
                }
                .into_any()
            })
        })
    };
    view! {
        <div class="dp-customer">
            <div class="dp-customer__titles">
                <h1 class="dp-customer__name">{move || name.get()}</h1>
                <p class="dp-customer__meta">
                    {deals}
                    <span class="dp-customer__updated">{updated}</span>
                </p>
            </div>
            {totals}
            <button type="button" class="dp-button dp-customer__refresh" on:click=move |_| on_refresh.run(())>
                <span class="dp-button__icon" aria-hidden="true">"↻"</span>
                {s.refresh}
            </button>
        </div>
    }
    .into_any()
}
