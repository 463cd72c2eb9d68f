//! The main area for each [`Pane`] state.

use dealpane_contract::{CustomerType, DealSummaryResponse};
use leptos::prelude::*;

use super::sign_in::view_sign_in;
use super::{Pane, PaneState};
use crate::auth::session;
use crate::components::deal_card::{deal_list, plain_text_card};
use crate::components::pipeline_chart::pipeline_chart;
use crate::components::states::{
    error_state, not_found_state, notice, offline_state, placeholder_cards, skeleton,
    summaries_busy_note, Tone,
};
use crate::components::Ui;
use crate::share::lead_form::suggest_deal;

pub fn view_pane(ui: Ui, pane: Pane, state: PaneState) -> AnyView {
    let s = ui.text;
    let retry = move || state.retry();
    let info =
        |title: &str, hint: &str| notice(Tone::Info, title.to_owned(), hint.to_owned(), None, None);
    match pane {
        // Reading config.json: the loading cards, without words (it is not loading deals yet).
        Pane::Starting => placeholder_cards(None),
        Pane::Loading => skeleton(ui),
        Pane::BadContext(error) => {
            let (title, hint) = s.context_error(&error);
            notice(Tone::Warning, title, hint, None, None)
        }
        Pane::BadConfig(error) => {
            let (title, hint) = s.config_error(&error);
            notice(Tone::Error, title, hint, None, None)
        }
        Pane::Pick => info(s.no_customer, s.customer_search_start),
        Pane::Deals(answer) if answer.deals.is_empty() => view! {
            {info(s.empty, s.empty_hint)}
            {lead_form(ui, &answer)}
        }
        .into_any(),
        Pane::Deals(answer) => {
            let busy = state.summaries.busy;
            view! {
                {pipeline_chart(ui, &answer.deals)}
                {summaries_busy_note(ui, busy)}
                {deal_list(ui, &answer.deals, state.summaries)}
                {lead_form(ui, &answer)}
            }
            .into_any()
        }
        Pane::Text(text) => plain_text_card(ui, untrack(|| state.name()), &text),
        Pane::NotFound(problem) => not_found_state(ui, problem),
        Pane::Failed(error) => error_state(ui, &error, retry),
        Pane::Offline { browser_offline } => offline_state(ui, browser_offline, retry),
        Pane::Auth(auth) => view_sign_in(ui, auth, state, session::kept_across_reloads()),
    }
}

/// "Suggest a new deal", below the deals, for the customer Sales found (account by default: a
/// customer whose type the answer does not say is most often one).
fn lead_form(ui: Ui, answer: &DealSummaryResponse) -> AnyView {
    let customer = &answer.customer;
    suggest_deal(
        ui,
        customer.id,
        customer.kind.unwrap_or(CustomerType::Account),
    )
}
