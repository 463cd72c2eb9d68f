//! The pane's states other than "here are the deals": loading, empty, not found, errors, offline,
//! and the admin mistakes (an unusable URL or config file). Each says what happened and what to
//! do; an icon and words carry the meaning, the colour only repeats it.

use dealpane_contract::Problem;
use leptos::prelude::*;

use super::copy_button::CopyButton;
use super::use_ui;
use crate::api::ApiError;

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
}

/// A titled message with what to do, and room for actions (Retry) below.
#[component]
pub fn Notice(
    tone: Tone,
    #[prop(into)] title: String,
    #[prop(into)] hint: String,
    /// The server's own words, shown as text under the title.
    #[prop(default = None)]
    detail: Option<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <section class=tone.class() data-state=state_name(tone)>
            <span class="dp-notice__icon" aria-hidden="true">{tone.icon()}</span>
            <div class="dp-notice__body">
                <h2 class="dp-notice__title">{title}</h2>
                {detail.map(|text| view! { <p class="dp-notice__detail">{text}</p> })}
                <p class="dp-notice__hint">{hint}</p>
                {children.map(|actions| view! { <div class="dp-notice__actions">{actions()}</div> })}
            </div>
        </section>
    }
}

fn state_name(tone: Tone) -> &'static str {
    match tone {
        Tone::Info => "info",
        Tone::Warning => "warning",
        Tone::Error => "error",
    }
}

/// Placeholder cards while the deals load; `main` carries `aria-busy` meanwhile.
#[component]
pub fn Skeleton() -> impl IntoView {
    let s = use_ui().s;
    view! {
        <div class="dp-skeleton" data-state="loading">
            <p class="dp-skeleton__label">{s.loading}</p>
            <div class="dp-skeleton__grid" aria-hidden="true">
                <div class="dp-skeleton__card"></div>
                <div class="dp-skeleton__card"></div>
                <div class="dp-skeleton__card"></div>
            </div>
        </div>
    }
}

#[component]
pub fn EmptyState() -> impl IntoView {
    let s = use_ui().s;
    view! { <Notice tone=Tone::Info title=s.empty hint=s.empty_hint /> }
}

#[component]
pub fn NotFoundState(problem: Option<Problem>) -> impl IntoView {
    let s = use_ui().s;
    let detail = problem.as_ref().and_then(|p| p.detail.clone());
    let trace = problem.and_then(|p| p.trace_id);
    view! {
        <Notice tone=Tone::Warning title=s.not_found hint=s.not_found_hint detail=detail>
            {trace.map(|id| view! { <TraceId id=id /> })}
        </Notice>
    }
}

/// A failed call: what went wrong (the server's title and detail when it sent problem+json),
/// what to do, the trace id to quote, and Retry.
#[component]
pub fn ErrorState(error: ApiError, on_retry: Callback<()>) -> impl IntoView {
    let s = use_ui().s;
    let (title, detail, hint) = match &error {
        ApiError::Problem(problem) => {
            let (fallback_title, hint) = s.problem(problem.status, None);
            let title = Some(problem.title.trim())
                .filter(|t| !t.is_empty())
                .map_or(fallback_title, str::to_owned);
            (title, problem.detail.clone(), hint)
        }
        ApiError::Status(status) => {
            let (title, hint) = s.problem(*status, None);
            (title, None, hint)
        }
        ApiError::TimedOut { after_ms } => {
            let (title, hint) = s.timeout(after_ms.div_ceil(1000));
            (title, None, hint)
        }
        ApiError::Malformed(_) => (
            s.bad_response.to_owned(),
            None,
            s.bad_response_hint.to_owned(),
        ),
        ApiError::Network | ApiError::Aborted => (
            s.network_error.to_owned(),
            None,
            s.network_error_hint.to_owned(),
        ),
    };
    let trace = error.trace_id().map(str::to_owned);
    view! {
        <Notice tone=Tone::Error title=title hint=hint detail=detail>
            <RetryButton on_retry=on_retry />
            {trace.map(|id| view! { <TraceId id=id /> })}
        </Notice>
    }
}

/// No connection: `navigator.onLine` is false, or the request failed on the network. The pane
/// reloads by itself when the browser's `online` event fires.
#[component]
pub fn OfflineState(browser_offline: bool, on_retry: Callback<()>) -> impl IntoView {
    let s = use_ui().s;
    let (title, hint) = if browser_offline {
        (s.offline_title, s.offline_hint)
    } else {
        (s.network_error, s.network_error_hint)
    };
    view! {
        <Notice tone=Tone::Warning title=title hint=hint>
            <RetryButton on_retry=on_retry />
        </Notice>
    }
}

#[component]
fn RetryButton(on_retry: Callback<()>) -> impl IntoView {
    let s = use_ui().s;
    view! {
        <button type="button" class="dp-button dp-button--primary" on:click=move |_| on_retry.run(())>
            {s.retry}
        </button>
    }
}

/// The trace id, selectable and copyable, for the agent to hand to an admin.
#[component]
fn TraceId(id: String) -> impl IntoView {
    let s = use_ui().s;
    view! {
        <p class="dp-trace">
            <span class="dp-trace__label">{s.trace_id}": "</span>
            <code class="dp-trace__id">{id.clone()}</code>
            " "
            <CopyButton label=s.copy_trace_id text=id />
        </p>
    }
}
