//! Open value by stage as an inline SVG bar chart. The SVG is one image (`role="img"`) whose
//! accessible name lists every bar, so a screen reader hears the numbers, not shapes.

use dealpane_contract::Deal;
use leptos::prelude::*;

use super::use_ui;
use crate::browser::intl;
use crate::format;

// Whole SVG user units (= CSS px): the view prints integers, not floats, which keeps Rust's float
// printing out of the bundle.
/// Height of one bar's row (label line + bar).
const ROW: u32 = 40;
const BAR_HEIGHT: u32 = 14;

pub fn pipeline_chart(deals: &[Deal]) -> AnyView {
    let ui = use_ui();
    let s = ui.text;
    let totals = format::stage_totals(deals);
    let currency = format::top_currency(deals);
    let (Some(currency), false) = (currency, totals.is_empty()) else {
        return ().into_any();
    };
    let several_currencies = format::open_total(deals).len() > 1;
    let max = totals.iter().map(|(_, v)| *v).fold(0.0_f64, f64::max);
    let bars: Vec<(String, String, f64)> = totals
        .into_iter()
        .map(|(stage, amount)| {
            let label = if stage == format::NO_STAGE {
                s.no_stage.to_owned()
            } else {
                stage
            };
            let share = if max > 0.0 { amount / max } else { 0.0 };
            (
                label,
                intl::format_money(amount, &currency, &ui.locale_tag),
                share,
            )
        })
        .collect();
    let description = s.chart_description(
        &bars
            .iter()
            .map(|(stage, amount, _)| (stage.clone(), amount.clone()))
            .collect::<Vec<_>>(),
    );
    let height = ROW * bars.len() as u32;
    let heading_id = ui.id("chart-heading");
    let labelled_by = heading_id.clone();
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(index, (stage, amount, share))| {
            let top = ROW * index as u32;
            let width = bar_width(share);
            view! {
                <g class="dp-chart__row">
                    <text class="dp-chart__label" x="0" y=top + 14>{stage}</text>
                    <text class="dp-chart__value" x="100%" y=top + 14 text-anchor="end">{amount}</text>
                    <rect class="dp-chart__track" x="0" y=top + 20 width="100%" height=BAR_HEIGHT rx="2"></rect>
                    <rect class="dp-chart__bar" x="0" y=top + 20 width=width height=BAR_HEIGHT rx="2"></rect>
                </g>
            }
        })
        .collect_view();
    view! {
        <section class="dp-chart" aria-labelledby=labelled_by>
            <h2 class="dp-section-title" id=heading_id>{s.chart_title}</h2>
            <svg
                class="dp-chart__svg"
                role="img"
                aria-label=description
                width="100%"
                height=height
                focusable="false"
            >
                {rows}
            </svg>
            {several_currencies.then(|| view! {
                <p class="dp-chart__note">{s.chart_currency_note(&currency)}</p>
            })}
        </section>
    }
    .into_any()
}

/// A bar's width for its share of the largest stage (0-1), in hundredths of a percent:
/// `0.4567` → `45.67%`. A sliver for tiny values, so every stage shows a bar.
fn bar_width(share: f64) -> String {
    let hundredths = ((share * 10_000.0).round() as u32).clamp(50, 10_000);
    format!("{}.{:02}%", hundredths / 100, hundredths % 100)
}
