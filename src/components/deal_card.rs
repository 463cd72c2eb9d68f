//! One card per deal, as a disclosure: the heading's button shows or hides the details, summary
//! and actions, built the first time the card opens. The largest deal starts open. Everything
//! from the backend is rendered as text.
//!
//! A card's fields never change after render, so they are built once as plain values; the
//! reactive parts are the disclosure, a long summary's "Show more", and the summary itself, which
//! may arrive after the card (it reads it from the pane's [`Summaries`]). Plain functions
//! returning `AnyView` (not components, not generic) keep the wasm small.

use dealpane_contract::{Deal, Guid, Summary, SummaryState};
use leptos::prelude::*;

use super::copy_button::copy_button;
use super::{aria_flag, attr, effect, isolated, mark_first_deal, opened_once, Ui};
use crate::browser::intl;
use crate::browser::performance::{self, ALL_SUMMARIES_MARK, TOP_SUMMARY_MARK};
use crate::format;
use crate::pane::Summaries;
use crate::share::note_form::share_note;

/// The deals as a responsive grid of cards, the largest one expanded.
pub fn deal_list(ui: Ui, deals: &[Deal], summaries: Summaries) -> AnyView {
    let heading_id = ui.id("deals-heading");
    let labelled_by = heading_id.clone();
    let largest = format::largest_deal(deals);
    let basis = format::basis(deals);
    let current: Vec<RwSignal<Summary>> = deals.iter().map(|deal| summaries.of(deal)).collect();
    let cards = deals
        .iter()
        .zip(&current)
        .enumerate()
        .map(|(index, (deal, current))| {
            let start_expanded = Some(index) == largest;
            deal_card(ui, deal, start_expanded, basis.as_ref(), *current)
        })
        .collect::<Vec<_>>();
    // The benchmark's marks: the first card, then the top (open) deal's summary and every
    // summary settled. Re-runs as summaries arrive; each mark once per answer shown.
    let top = largest.unwrap_or(0);
    let (mut top_marked, mut all_marked) = (false, false);
    effect(move || {
        mark_first_deal(ui);
        if all_marked {
            return;
        }
        let settled = |s: &RwSignal<Summary>| s.with(|s| s.state != SummaryState::Pending);
        if !top_marked && current.get(top).is_none_or(settled) {
            performance::mark(TOP_SUMMARY_MARK);
            top_marked = true;
        }
        all_marked = current.iter().all(settled);
        if all_marked {
            performance::mark(ALL_SUMMARIES_MARK);
        }
    });
    view! {
        <section class="dp-deals" {..attr("aria-labelledby", labelled_by)}>
            <h2 class="dp-section-title" id=heading_id>{ui.text.title}</h2>
            <div class="dp-grid">{cards}</div>
        </section>
    }
    .into_any()
}

/// `current`: the deal's summary, from the pane's [`Summaries`]. `basis`: how the answer's
/// amounts compare; a deal priced in another currency than the base shows its value in the base
/// currency too ("≈ $65,300").
fn deal_card(
    ui: Ui,
    deal: &Deal,
    start_expanded: bool,
    basis: Option<&format::Basis>,
    current: RwSignal<Summary>,
) -> AnyView {
    let s = ui.text;
    let tag = &ui.locale_tag();
    let expanded = RwSignal::new(start_expanded);
    let base = ui.id(&format!("deal-{}", deal.id));
    let title_id = format!("{base}-title");
    let labelled_by = title_id.clone();
    let body_id = format!("{base}-body");

    let timing = deal
        .close_date
        .as_deref()
        .and_then(|date| format::close_timing(intl::today_local(), date));
    let shown = Shown {
        stage: deal
            .stage
            .as_deref()
            .map(str::trim)
            .filter(|stage| !stage.is_empty())
            .map(str::to_owned),
        value: deal
            .value
            .as_ref()
            .map(|money| intl::format_money(money.amount, &money.currency, tag))
            .map(format::hold_symbol_to_code),
        approx: format::base_equivalent(deal, basis)
            .map(|base| intl::format_money(base.amount, &base.currency, tag))
            .map(|amount| format!("≈ {}", format::hold_symbol_to_code(amount))),
        close_relative: timing.map(|t| s.close_timing(t)),
    };
    let overdue = matches!(timing, Some(format::CloseTiming::Overdue(_)));

    // Stage, value and its base equivalent, close timing: what comes from Sales is isolated.
    let meta = view! {
        {isolated(shown.stage.clone().unwrap_or_else(|| s.no_stage.to_owned()))}
        " · "
        {isolated(shown.value.clone().unwrap_or_else(|| s.no_value.to_owned()))}
        {shown.approx.clone().map(|approx| view! { " " {isolated(approx)} }.into_any())}
        {shown.close_relative.clone().map(|relative| view! { " · " {relative} }.into_any())}
    };
    let meta_class = if overdue {
        "dp-card__meta dp-card__meta--overdue"
    } else {
        "dp-card__meta"
    };

    // The body is built the first time the card opens, and kept: most cards start closed, and
    // their facts, summary, actions and note form were most of the first render (measured: the
    // first card 11 ms sooner, 16 ms less from the answer to it).
    let opened = opened_once(expanded);
    let body_deal = deal.clone();
    let body = move || {
        opened
            .get()
            .then(|| card_body(ui, &body_deal, &shown, current, expanded))
    };

    view! {
        <article class="dp-card" {..attr("aria-labelledby", labelled_by)} data-deal-id=deal.id.to_string()>
            <h3 class="dp-card__heading" id=title_id>
                {disclosure(
                    "dp-card__toggle",
                    expanded,
                    body_id.clone(),
                    view! {
                        <span class="dp-card__chevron" {..attr("aria-hidden", "true")}></span>
                        <span class="dp-card__name">{isolated(deal.name.clone())}</span>
                    }
                    .into_any(),
                )}
            </h3>
            <p class=meta_class>{meta}</p>
            <div class="dp-card__body" id=body_id hidden=move || !expanded.get()>
                {body}
            </div>
        </article>
    }
    .into_any()
}

/// What the card's meta line and its facts both show, formatted once.
struct Shown {
    stage: Option<String>,
    value: Option<String>,
    /// The value in the base currency, for a deal priced in another.
    approx: Option<String>,
    close_relative: Option<String>,
}

/// The card's details, summary, actions and note form.
fn card_body(
    ui: Ui,
    deal: &Deal,
    shown: &Shown,
    current: RwSignal<Summary>,
    expanded: RwSignal<bool>,
) -> AnyView {
    let s = ui.text;
    let tag = &ui.locale_tag();
    let close_date = deal
        .close_date
        .as_deref()
        .map(|date| intl::format_date(date, tag));
    // (label, value, the value's base equivalent)
    let facts = [
        (s.label_stage, shown.stage.clone(), None),
        (s.label_value, shown.value.clone(), shown.approx.clone()),
        (
            s.label_probability,
            deal.probability
                .map(|p| intl::format_percent(p.min(100), tag)),
            None,
        ),
        (
            s.label_close_date,
            close_date.map(|date| match &shown.close_relative {
                Some(relative) => format!("{date} ({relative})"),
                None => date,
            }),
            None,
        ),
        (s.label_owner, deal.owner.clone(), None),
        (
            s.label_forecast,
            deal.forecast_category.map(|c| s.forecast(c).to_owned()),
            None,
        ),
    ];
    let facts = facts
        .into_iter()
        .filter_map(|(label, value, approx)| {
            value.map(|value| {
                view! {
                    <div class="dp-facts__row">
                        <dt>{label}</dt>
                        <dd>
                            {isolated(value)}
                            {approx.map(|approx| view! { " " {isolated(approx)} }.into_any())}
                        </dd>
                    </div>
                }
                .into_any()
            })
        })
        .collect::<Vec<_>>();

    let link = deal.link.as_deref().and_then(web_link).map(|href| {
        view! {
            <a
                class="dp-button dp-button--primary"
                {..attr("href", href.to_owned())}
                {..attr("target", "_blank")}
                {..attr("rel", "noopener noreferrer")}
                {..attr("aria-label", s.open_in_sales_label(&deal.name))}
            >
                {s.open_in_sales}
            </a>
        }
        .into_any()
    });
    let copied = deal.clone();
    let summary_copy = move || {
        let text = current.with(|summary| summary_copy_text(&copied, summary));
        text.map(|text| copy_button(ui, s.copy_summary, text))
    };
    let deal_id = deal.id;
    let link_copy = copy_button(ui, s.copy_deal_link, format::deal_copy_link(deal));
    view! {
        <dl class="dp-facts">{facts}</dl>
        {move || current.with(|summary| deal_summary(ui, deal_id, summary))}
        <div class="dp-actions">{link}{move || summary_copy()}{link_copy}</div>
        {share_note(ui, deal.id, deal.owner.clone(), expanded)}
    }
    .into_any()
}

/// What "Copy summary" copies: the deal with the summary it has now, if any.
fn summary_copy_text(deal: &Deal, summary: &Summary) -> Option<String> {
    format::summary_copy_text(&Deal {
        summary: summary.clone(),
        ..deal.clone()
    })
}

/// A button that shows and hides the element `controls` (the card's body, a long summary),
/// its `aria-expanded` following `open`.
fn disclosure(
    class: &'static str,
    open: RwSignal<bool>,
    controls: String,
    label: AnyView,
) -> AnyView {
    view! {
        <button
            {..attr("aria-expanded", move || aria_flag(open.get()))}
            {..attr("aria-controls", controls)}
            type="button"
            class=class
            on:click=move |_| open.update(|open| *open = !*open)
        >
            {label}
        </button>
    }
    .into_any()
}

/// A link the pane may put in `href`: http(s) only, so a `javascript:` URL from a compromised
/// backend cannot run.
fn web_link(link: &str) -> Option<&str> {
    let link = link.trim();
    let scheme = link.split_once(':')?.0.to_ascii_lowercase();
    matches!(scheme.as_str(), "https" | "http").then_some(link)
}

/// The deal's AI summary, paragraphs and line breaks kept; a long one folds behind "Show more".
/// A pending one is a placeholder, busy on its own; one that is unavailable (and why), turned
/// off, or in a state this pane does not know is one line saying so.
fn deal_summary(ui: Ui, deal_id: Guid, summary: &Summary) -> AnyView {
    let s = ui.text;
    let text = summary
        .text
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty());
    let pending = summary.state == SummaryState::Pending;
    let note = match (summary.state, text) {
        (SummaryState::Ready, Some(_)) => None,
        (SummaryState::Pending, _) => Some(s.summary_pending),
        (SummaryState::Disabled, _) => Some(s.summary_disabled),
        (SummaryState::Unknown, _) => Some(s.summary_not_available),
        _ => Some(s.summary_unavailable_because(summary.reason.as_deref())),
    };
    // One line; a pending one ("Summarizing…") is busy on its own, until the summary arrives.
    if let Some(note) = note {
        return view! {
            <p
                class="dp-summary-note"
                data-summary=summary.state.as_str()
                data-reason=summary.reason.clone()
                {..attr("aria-busy", pending.then_some("true"))}
            >
                {note}
            </p>
        }
        .into_any();
    }
    let text = text.unwrap_or_default();
    let long = format::is_long_summary(text);
    let more = RwSignal::new(false);
    let text_id = ui.id(&format!("deal-{deal_id}-summary"));
    let toggle = long.then(|| {
        let label =
            view! { {move || if more.get() { s.show_less } else { s.show_more }.to_owned()} };
        disclosure("dp-link-button", more, text_id.clone(), label.into_any())
    });
    view! {
        <div class="dp-summary" data-summary="ready">
            <h4 class="dp-summary__title">{s.summary_label}</h4>
            <div
                class="dp-summary__text"
                id=text_id.clone()
                class:dp-summary__text--folded=move || long && !more.get()
            >
                {summary_text(text)}
            </div>
            {toggle}
            <p class="dp-summary__disclaimer">{s.ai_disclaimer}</p>
        </div>
    }
    .into_any()
}

/// Paragraphs as `<p>`, line breaks as `<br>`, every line a text node.
fn summary_text(text: &str) -> AnyView {
    format::summary_paragraphs(text)
        .into_iter()
        .map(|lines| {
            let lines = lines
                .into_iter()
                .enumerate()
                .map(|(index, line)| {
                    let br = (index > 0).then(|| view! { <br /> }.into_any());
                    view! { {br} {line} }.into_any()
                })
                .collect::<Vec<_>>();
            view! { <p>{lines}</p> }.into_any()
        })
        .collect::<Vec<_>>()
        .into_any()
}

/// A backend that only speaks text (an unchanged sample function): one card with its summary.
pub fn plain_text_card(ui: Ui, customer: String, text: &str) -> AnyView {
    let s = ui.text;
    let title_id = ui.id("plain-title");
    let labelled_by = title_id.clone();
    effect(move || mark_first_deal(ui));
    let copy = format!("{customer}\n\n{}", text.trim());
    view! {
        <article class="dp-card dp-card--plain" {..attr("aria-labelledby", labelled_by)} data-plain="true">
            <h2 class="dp-card__heading dp-card__heading--static" id=title_id>{s.plain_text_title}</h2>
            <p class="dp-card__meta">{isolated(customer)}</p>
            <div class="dp-summary" data-summary="ready">
                <div class="dp-summary__text">{summary_text(text)}</div>
                <p class="dp-summary__disclaimer">{s.ai_disclaimer}</p>
            </div>
            <p class="dp-card__hint">{s.plain_text_hint}</p>
            <div class="dp-actions">{copy_button(ui, s.copy_summary, copy)}</div>
        </article>
    }
    .into_any()
}
