//! The customer's header: name (or id until the answer names it), open deals, total and
//! probability-weighted value, how old the data is (ticking), and Refresh. Totals are in the
//! organization's base currency when the answer has base values, the amounts per currency under
//! them; an older server's answer gets one total per currency, as before.

use std::sync::Arc;

use dealpane_contract::{Deal, DealSummaryResponse, Money};
use leptos::prelude::*;

use super::{isolated, use_ui};
use crate::browser::intl;
use crate::format;

/// One total of the header.
pub struct Total {
    /// The figure: one amount in the base currency, or (an older server) one per currency.
    pub main: Vec<String>,
    /// Under a base-currency total of deals priced in other currencies: the amounts per
    /// currency it adds up.
    pub parts: Vec<String>,
}

/// The header's numbers for one answer.
pub struct Figures {
    pub open_deals: usize,
    pub open_value: Total,
    pub weighted_value: Total,
}

impl Figures {
    pub fn of(deals: &[Deal], tag: &str) -> Figures {
        let list = |totals: Vec<Money>| {
            totals
                .iter()
                .map(|m| {
                    format::hold_symbol_to_code(intl::format_money(m.amount, &m.currency, tag))
                })
                .collect::<Vec<_>>()
        };
        let (open, weighted) = (format::open_total(deals), format::weighted_total(deals));
        let (open_value, weighted_value) = match format::base_figures(deals) {
            Some(base) => {
                // Converted amounts carry cents of exchange rates: whole units are the figure.
                let whole = |amount: f64| {
                    let text = intl::format_money(amount.round(), &base.currency, tag);
                    vec![format::hold_symbol_to_code(text)]
                };
                let mixed = format::has_other_currencies(deals, &base.currency);
                let parts = |totals| {
                    if mixed {
                        list(format::by_base_worth(totals, deals))
                    } else {
                        Vec::new()
                    }
                };
                (
                    Total {
                        main: whole(base.open),
                        parts: parts(open),
                    },
                    Total {
                        main: whole(base.weighted),
                        parts: parts(weighted),
                    },
                )
            }
            None => (
                Total {
                    main: list(open),
                    parts: Vec::new(),
                },
                Total {
                    main: list(weighted),
                    parts: Vec::new(),
                },
            ),
        };
        Figures {
            open_deals: deals.len(),
            open_value,
            weighted_value,
        }
    }
}

/// Amounts, each isolated, with a neutral separator that reads the same in either direction.
fn amounts(texts: Vec<String>) -> Vec<AnyView> {
    texts
        .into_iter()
        .enumerate()
        .map(|(index, text)| view! { {(index > 0).then_some(" · ")} {isolated(text)} }.into_any())
        .collect()
}

/// A total as a term and its figure, the amounts per currency under it.
fn total(term: &'static str, hint: Option<&'static str>, total: Total) -> AnyView {
    let parts = (!total.parts.is_empty()).then(|| {
        view! { <span class="dp-totals__parts">{amounts(total.parts)}</span> }
    });
    view! {
        <div class="dp-totals__item">
            <dt title=hint>{term}</dt>
            <dd>{amounts(total.main)}{parts}</dd>
        </div>
    }
    .into_any()
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
                    {total(s.open_value, None, f.open_value)}
                    {total(s.weighted_value, Some(s.weighted_value_hint), f.weighted_value)}
                </dl>
            }
            .into_any()
        })
    };
    view! {
        <div class="dp-customer">
            <div class="dp-customer__titles">
                <h1 class="dp-customer__name"><bdi>{name}</bdi></h1>
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
