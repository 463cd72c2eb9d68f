//! Open value by stage as a bar chart, in the base currency when the answer has base values
//! (every valued deal charted), else in the currency with the largest total (as an older server's
//! answer always was). One image (`{..attr("role", "img")}`) whose accessible name lists every bar, so a screen
//! reader hears the numbers, not shapes.
//!
//! HTML, not SVG: SVG text neither wraps nor mirrors, so long stage names overlapped the amounts
//! and a right-to-left pane cut its labels at the edge ("ualify"). Rows of boxes wrap, follow
//! `dir`, and their bars grow from the inline start; a bar's width is set through the CSSOM
//! (`style:`), which the CSP's `style-src 'self'` allows, unlike a `style` attribute.

use dealpane_contract::Deal;
use leptos::prelude::*;

use super::{attr, isolated, Ui};
use crate::browser::intl;
use crate::format::{self, Basis};

pub fn pipeline_chart(ui: Ui, deals: &[Deal]) -> AnyView {
    let s = ui.text;
    let Some(basis) = format::basis(deals) else {
        return ().into_any();
    };
    let totals = format::stage_totals(deals, &basis);
    if totals.is_empty() {
        return ().into_any();
    }
    let currency = basis.currency();
    let note = format::has_other_currencies(deals, currency).then(|| match &basis {
        Basis::Base(_) => s.chart_base_note(currency),
        Basis::Top(_) => s.chart_currency_note(currency),
    });
    let converted = matches!(basis, Basis::Base(_));
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
            // Converted sums carry cents of exchange rates: whole units are the figure.
            let amount = if converted { amount.round() } else { amount };
            (
                label,
                format::hold_symbol_to_code(intl::format_money(amount, currency, &ui.locale_tag())),
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
    let heading_id = ui.id("chart-heading");
    let labelled_by = heading_id.clone();
    let rows = bars
        .into_iter()
        .map(|(stage, amount, share)| {
            view! {
                <div class="dp-chart__row">
                    <span class="dp-chart__label">{isolated(stage)}</span>
                    <span class="dp-chart__value">{isolated(amount)}</span>
                    <span class="dp-chart__track">
                        <span class="dp-chart__bar" style:width=bar_width(share)></span>
                    </span>
                </div>
            }
            .into_any()
        })
        .collect::<Vec<_>>();
    view! {
        <section class="dp-chart" {..attr("aria-labelledby", labelled_by)}>
            <h2 class="dp-section-title" id=heading_id>{s.chart_title}</h2>
            <div class="dp-chart__bars" {..attr("role", "img")} {..attr("aria-label", description)}>
                {rows}
            </div>
            {note.map(|note| view! { <p class="dp-chart__note">{note}</p> }.into_any())}
        </section>
    }
    .into_any()
}

/// A bar's width for its share of the largest stage (0-1), in hundredths of a percent:
/// `0.4567` → `45.67%`. A sliver for tiny (or negative) values, so every stage shows a bar.
fn bar_width(share: f64) -> String {
    let hundredths = ((share * 10_000.0).round() as u32).clamp(50, 10_000);
    format!("{}.{:02}%", hundredths / 100, hundredths % 100)
}
