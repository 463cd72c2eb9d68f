//! The pane's states other than "here are the deals": loading, empty, not found, errors, offline,
//! the admin mistakes (an unusable URL or config file), and "Sales is busy" above the deals.
//! Each says what happened and what to do; an icon and words carry the meaning, the colour only
//! repeats it.
//!
//! Plain functions returning `AnyView` rather than components: one copy of the notice's markup
//! in the wasm, whatever goes below it.

use dealpane_contract::Problem;
use leptos::prelude::*;

use super::copy_button::copy_button;
use super::{attr, Ui};
use crate::api::FetchError;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Warning,
    Error,
}

impl Tone {
    fn class(self) -> &'static str {
        match self {
            Tone::Info => "dp-notice dp-notice--info",
            Tone::Warning => "dp-notice dp-notice--warning",
            Tone::Error => "dp-notice dp-notice--error",
        }
    }

    fn icon(self) -> &'static str {
        match self {
            Tone::Info => "ℹ",
            Tone::Warning => "⚠",
            Tone::Error => "⨯",
        }
    }

    fn state_name(self) -> &'static str {
        match self {
            Tone::Info => "info",
            Tone::Warning => "warning",
            Tone::Error => "error",
        }
    }
}

/// A titled message with what to do: `detail` is the server's own words, shown as text under
/// the title; `actions` (Retry, the trace id) go below.
pub fn notice(
    tone: Tone,
    title: String,
    hint: String,
    detail: Option<String>,
    actions: Option<AnyView>,
) -> AnyView {
    view! {
        <section class=tone.class() data-state=tone.state_name()>
            <span class="dp-notice__icon" {..attr("aria-hidden", "true")}>{tone.icon()}</span>
            <div class="dp-notice__body">
                <h2 class="dp-notice__title">{title}</h2>
                {detail.map(|text| view! { <p class="dp-notice__detail">{text}</p> }.into_any())}
                <p class="dp-notice__hint">{hint}</p>
                {actions.map(|actions| view! { <div class="dp-notice__actions">{actions}</div> }.into_any())}
            </div>
        </section>
    }
    .into_any()
}

/// Placeholder cards while the deals load; `main` carries `aria-busy` meanwhile.
pub fn skeleton(ui: Ui) -> AnyView {
    placeholder_cards(Some(ui.text.loading))
}

/// The loading cards, with `label` above them; without one while the pane's words are still
/// on their way.
pub fn placeholder_cards(label: Option<&'static str>) -> AnyView {
    view! {
        <div class="dp-skeleton" data-state="loading">
            {label.map(|label| view! { <p class="dp-skeleton__label">{label}</p> }.into_any())}
            <div class="dp-skeleton__grid" {..attr("aria-hidden", "true")}>
                <div class="dp-skeleton__card"></div>
                <div class="dp-skeleton__card"></div>
                <div class="dp-skeleton__card"></div>
            </div>
        </div>
    }
    .into_any()
}

/// Above the deals while `busy` (Sales answered the summaries long-poll with 429 or 503): their
/// summaries come later, which is not an error. Hidden, not removed, when not busy: an
/// attribute that follows a signal costs less than a view that comes and goes.
pub fn summaries_busy_note(ui: Ui, busy: RwSignal<bool>) -> AnyView {
    let s = ui.text;
    view! {
        <p class="dp-summaries-busy" data-summaries="busy" hidden=move || !busy.get()>
            {s.summaries_busy}
        </p>
    }
    .into_any()
}

pub fn not_found_state(ui: Ui, problem: Option<Problem>) -> AnyView {
    let s = ui.text;
    let detail = problem.as_ref().and_then(|p| p.detail.clone());
    let trace = problem.and_then(|p| p.trace_id).map(|id| trace_id(ui, id));
    notice(
        Tone::Warning,
        s.not_found.to_owned(),
        s.not_found_hint.to_owned(),
        detail,
        trace,
    )
}

/// A failed call: what went wrong (the server's title and detail when it sent problem+json),
/// what to do, the trace id to quote, and Retry.
pub fn error_state(
    ui: Ui,
    error: &FetchError,
    on_retry: impl Fn() + Copy + Send + Sync + 'static,
) -> AnyView {
    let text = ui.text.fetch_error(error);
    let trace = error.trace_id().map(|id| trace_id(ui, id.to_owned()));
    let actions = view! { {retry_button(ui, on_retry)} {trace} }.into_any();
    notice(
        Tone::Error,
        text.title,
        text.hint,
        text.detail,
        Some(actions),
    )
}

/// No connection: `navigator.onLine` is false, or the request failed on the network. The pane
/// reloads by itself when the browser's `online` event fires.
pub fn offline_state(
    ui: Ui,
    browser_offline: bool,
    on_retry: impl Fn() + Copy + Send + Sync + 'static,
) -> AnyView {
    let s = ui.text;
    let (title, hint) = if browser_offline {
        (s.offline_title, s.offline_hint)
    } else {
        (s.network_error, s.network_error_hint)
    };
    notice(
        Tone::Warning,
        title.to_owned(),
        hint.to_owned(),
        None,
        Some(retry_button(ui, on_retry)),
    )
}

fn retry_button(ui: Ui, on_retry: impl Fn() + Copy + Send + Sync + 'static) -> AnyView {
    let s = ui.text;
    view! {
        <button type="button" class="dp-button dp-button--primary" on:click=move |_| on_retry()>
            {s.retry}
        </button>
    }
    .into_any()
}

/// The trace id, selectable and copyable, for the agent to hand to an admin.
fn trace_id(ui: Ui, id: String) -> AnyView {
    let s = ui.text;
    view! {
        <p class="dp-trace">
            <span class="dp-trace__label">{s.trace_id}": "</span>
            <code class="dp-trace__id">{id.clone()}</code>
            " "
            {copy_button(ui, s.copy_trace_id, id)}
        </p>
    }
    .into_any()
}
