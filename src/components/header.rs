//! The customer's header: name (or id until the answer names it), open deals, total and
//! probability-weighted value, how old the data is (ticking), and Refresh. Totals are in the
//! organization's base currency when the answer has base values, the amounts per currency under
//! them; an older server's answer gets one total per currency, as before.

use dealpane_contract::{Deal, Money};
use leptos::prelude::*;

use super::{attr, isolated, Ui};
use crate::browser::intl;
use crate::format;
use crate::i18n::Strings;
use crate::pane::PaneState;

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
    let parts = (!total.parts.is_empty())
        .then(|| view! { <span class="dp-totals__parts">{amounts(total.parts)}</span> }.into_any());
    view! {
        <div class="dp-totals__item">
            <dt {..attr("title", hint)}>{term}</dt>
            <dd>{amounts(total.main)}{parts}</dd>
        </div>
    }
    .into_any()
}

/// The customer's name, the deal count, how old the data is (ticking with `state.now`), the
/// totals and Refresh. Each changing part is a closure written in the view, so it shares the
/// view code of every other closure with the same output.
pub fn customer_header(ui: Ui, state: PaneState) -> AnyView {
    let s = ui.text;
    let tag = ui.locale_tag();
    view! {
        <div class="dp-customer">
            <div class="dp-customer__titles">
                <h1 class="dp-customer__name"><bdi>{move || state.name()}</bdi></h1>
                <p class="dp-customer__meta">
                    {move || deal_count(state, s)}
                    <span class="dp-customer__updated">{move || updated(state, s)}</span>
                </p>
            </div>
            {move || totals(state, s, &tag)}
            <button type="button" class="dp-button dp-customer__refresh" on:click=move |_| state.retry()>
                <span class="dp-button__icon" {..attr("aria-hidden", "true")}>"↻"</span>
                {s.refresh}
            </button>
        </div>
    }
    .into_any()
}

/// "N open deals · ": one text, so the line is one reactive node, not two.
fn deal_count(state: PaneState, s: &'static Strings) -> String {
    let dated = state.updated_at.with(Option::is_some);
    state.answer().map_or_else(String::new, |answer| {
        let mut text = s.open_deals(answer.deals.len());
        if dated {
            text.push_str(" · ");
        }
        text
    })
}

/// "Updated … ago", empty until the data is dated.
fn updated(state: PaneState, s: &'static Strings) -> String {
    state.updated_at.get().map_or_else(String::new, |at| {
        s.updated_ago(format::relative_age(state.now.get() - at))
    })
}

/// The open and weighted totals, for an answer with deals.
fn totals(state: PaneState, s: &'static Strings, tag: &str) -> Option<AnyView> {
    let answer = state.answer().filter(|a| !a.deals.is_empty())?;
    let f = Figures::of(&answer.deals, tag);
    Some(
        view! {
            <dl class="dp-totals">
                {total(s.open_value, None, f.open_value)}
                {total(s.weighted_value, Some(s.weighted_value_hint), f.weighted_value)}
            </dl>
        }
        .into_any(),
    )
}
