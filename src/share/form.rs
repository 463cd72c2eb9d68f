//! The one form both writes use ("Tell the owner" on a card, "Suggest a new deal" for the
//! customer): a disclosure, labelled fields, the draft and its idempotency key kept in
//! `sessionStorage`, a Send button that sends once, and a status line that says what happened.
//! One non-generic function, so the second form costs the wasm almost nothing.

use std::rc::Rc;

use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::html;
use leptos::prelude::*;
use web_sys::RequestCache;

use super::SendFailure;
use crate::api::{interpret_json, FetchError};
use crate::browser::storage;
use crate::components::use_ui;
use crate::request::{self, Exchange, Post, RequestSlot};

/// One field of a form.
pub struct Field {
    /// The draft's name for it (and an id suffix).
    pub name: &'static str,
    pub label: &'static str,
    pub max_chars: usize,
    /// A `<textarea>` (with a live count) rather than an `<input>`.
    pub multiline: bool,
    pub required: bool,
    /// `<input inputmode>`, e.g. `decimal`.
    pub input_mode: Option<&'static str>,
}

/// The JSON body for the fields' values.
pub type Body = Box<dyn Fn(&[String]) -> String>;
/// A 201's body: `Err` when it is not what the contract says, else what to add after
/// "Sent to Sales" (the lead's id).
pub type Sent = Rc<dyn Fn(&str) -> Result<Option<String>, FetchError>>;

/// A form's shape and what it does with a 201.
pub struct Form {
    /// The disclosure's words.
    pub toggle: &'static str,
    /// The id prefix of its elements.
    pub id: String,
    pub storage_key: String,
    /// The POST's full URL.
    pub url: String,
    pub request_timeout_ms: u32,
    pub fields: Vec<Field>,
    /// Extra lines under the fields (the attached case).
    pub extra: Option<AnyView>,
    pub body: Body,
    pub sent: Sent,
    /// Whether the form is open (it opens by itself when a draft is waiting); the caller may
    /// watch it.
    pub open: RwSignal<bool>,
}

/// A share request's answer: the exchange, or why there was none.
pub type Answer = Result<Exchange, FetchError>;

/// What a POST sends: the JSON body and the draft's idempotency key.
pub struct Posted {
    pub body: String,
    pub idempotency_key: String,
}

/// Runs one share request in `slot`, a GET of `url` or the POST `post`, and hands the answer to
/// `deliver`. Both forms' sends and the notes list go through here, non-generic, so the
/// request's future and the slot's task are compiled once rather than once per call site.
pub fn request_in(
    slot: RequestSlot,
    url: String,
    post: Option<Posted>,
    timeout_ms: u32,
    deliver: Box<dyn FnOnce(Answer)>,
) {
    slot.start(
        move |cancel| async move {
            match &post {
                Some(posted) => {
                    let post = Post {
                        body: &posted.body,
                        idempotency_key: &posted.idempotency_key,
                        timeout_ms,
                    };
                    request::post(&url, &post, &cancel).await
                }
                None => {
                    let get = request::Get {
                        accept: "application/json",
                        timeout_ms,
                        cache: RequestCache::NoCache,
                        retry: true,
                    };
                    request::get(&url, &get, &cancel).await
                }
            }
        },
        deliver,
    );
}

/// What a POST's answer means: `sent`'s reading of a 201, else the error it is.
fn written(exchange: &Exchange, sent: &Sent) -> Result<Option<String>, FetchError> {
    if exchange.is_success() {
        return sent(&exchange.body);
    }
    let (status, content_type) = (exchange.status, exchange.content_type.as_deref());
    Err(interpret_json::<()>(status, content_type, &exchange.body)
        .err()
        .unwrap_or(FetchError::Status(status)))
}

/// What the status line says.
#[derive(Clone, PartialEq)]
enum Status {
    None,
    Sent(String),
    Failed(String),
}

pub fn share_form(form: Form) -> AnyView {
    let ui = use_ui();
    let s = ui.text;
    let t = &s.share;
    let announcer = ui.announcer;
    let Form {
        toggle: toggle_label,
        id,
        storage_key,
        url,
        request_timeout_ms,
        fields,
        extra,
        body,
        sent,
        open,
    } = form;
    let names: Vec<&'static str> = fields.iter().map(|f| f.name).collect();
    let (form_id, status_id) = (format!("{id}-form"), format!("{id}-status"));

    // The draft: its key first, then each field.
    let mut stored = storage::get(&storage_key)
        .and_then(|json| {
            let wanted: Vec<&str> = std::iter::once("key")
                .chain(names.iter().copied())
                .collect();
            storage::from_json(&json, &wanted)
        })
        .unwrap_or_default()
        .into_iter();
    let key = StoredValue::new(stored.next().flatten());
    let values: Vec<RwSignal<String>> = names
        .iter()
        .map(|_| RwSignal::new(stored.next().flatten().unwrap_or_default()))
        .collect();
    let values = StoredValue::new(values);
    let has_draft = move || values.with_value(|v| v.iter().any(|v| !v.get_untracked().is_empty()));
    // A draft waiting from before the reload opens its form again.
    if has_draft() {
        open.set(true);
    }
    let kept = storage::available();
    let sending = RwSignal::new(false);
    let status = RwSignal::new(Status::None);
    let slot = RequestSlot::new();
    let toggle = NodeRef::<html::Button>::new();
    let status_line = NodeRef::<html::P>::new();
    let storage_key = StoredValue::new(storage_key);
    let names = StoredValue::new(names);

    // Keeps the draft (and its key, made at its first character) in sessionStorage.
    let persist = move || {
        if !has_draft() {
            storage_key.with_value(|k| storage::remove(k));
            return;
        }
        if key.with_value(Option::is_none) {
            key.set_value(Some(storage::new_key()));
        }
        let current: Vec<String> =
            values.with_value(|v| v.iter().map(|v| v.get_untracked()).collect());
        let the_key = key.get_value();
        let json = names.with_value(|names| {
            let mut record = vec![("key", the_key.as_deref())];
            record.extend(
                names
                    .iter()
                    .zip(&current)
                    .map(|(n, v)| (*n, Some(v.as_str()))),
            );
            storage::to_json(&record)
        });
        storage_key.with_value(|k| storage::set(k, &json));
    };

    let focus_status = move || {
        if let Some(line) = status_line.get_untracked() {
            let _ = line.focus();
        }
    };
    let url = StoredValue::new(url);
    let body = StoredValue::new_local(body);
    let send = move || {
        // Checked and set before anything else: a double click sends once.
        if sending.get_untracked() || !has_draft() {
            return;
        }
        persist();
        let idempotency_key = key.get_value().unwrap_or_default();
        let current: Vec<String> =
            values.with_value(|v| v.iter().map(|v| v.get_untracked()).collect());
        let json = body.with_value(|body| body(&current));
        let url = url.get_value();
        let sent = sent.clone();
        sending.set(true);
        status.set(Status::None);
        let post = Posted {
            body: json,
            idempotency_key,
        };
        let deliver = move |answer: Answer| {
            let retry_after = answer.as_ref().ok().and_then(|e| e.retry_after.clone());
            let result = answer.and_then(|exchange| written(&exchange, &sent));
            sending.set(false);
            match result {
                Ok(extra) => {
                    values.with_value(|v| v.iter().for_each(|v| v.set(String::new())));
                    key.set_value(None);
                    persist();
                    let said = match extra {
                        Some(extra) => format!("{} {extra}", t.sent),
                        None => t.sent.to_owned(),
                    };
                    announcer.polite(said.clone());
                    status.set(Status::Sent(said));
                }
                Err(error) => {
                    let Some(failure) = SendFailure::of(&error, retry_after.as_deref()) else {
                        return;
                    };
                    let said = failure.message(s);
                    announcer.urgent(said.clone());
                    status.set(Status::Failed(said));
                }
            }
            focus_status();
        };
        request_in(slot, url, Some(post), request_timeout_ms, Box::new(deliver));
    };
    // Escape closes the form; the draft stays, and focus goes back to what opened it.
    let on_keydown = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            open.set(false);
            if let Some(toggle) = toggle.get_untracked() {
                let _ = toggle.focus();
            }
        }
    };

    let inputs = fields
        .into_iter()
        .enumerate()
        .map(|(index, field)| {
            let value = values.with_value(|v| v[index]);
            let field_id = format!("{id}-{}", field.name);
            let count_id = format!("{field_id}-count");
            let described_by = if field.multiline {
                format!("{count_id} {status_id}")
            } else {
                status_id.clone()
            };
            let on_input = move |ev| {
                value.set(event_target_value(&ev));
                persist();
            };
            let max = field.max_chars;
            let control = if field.multiline {
                view! {
                    <textarea
                        id=field_id.clone()
                        rows="3"
                        maxlength=max.to_string()
                        required=field.required
                        aria-describedby=described_by
                        prop:value=move || value.get()
                        on:input=on_input
                    ></textarea>
                    <p class="dp-share__count" id=count_id>
                        {move || format!("{}/{max}", value.with(|m| m.chars().count()))}
                    </p>
                }
                .into_any()
            } else {
                view! {
                    <input
                        id=field_id.clone()
                        maxlength=max.to_string()
                        required=field.required
                        inputmode=field.input_mode
                        aria-describedby=described_by
                        prop:value=move || value.get()
                        on:input=on_input
                    />
                }
                .into_any()
            };
            view! { <label for=field_id>{field.label}</label> {control} }
        })
        .collect::<Vec<_>>();
    let not_kept = (!kept).then(|| view! { <p class="dp-share__hint">{t.draft_not_kept}</p> });

    view! {
        <button
            type="button"
            class="dp-button dp-button--subtle"
            node_ref=toggle
            aria-expanded=move || if open.get() { "true" } else { "false" }
            aria-controls=form_id.clone()
            on:click=move |_| open.update(|open| *open = !*open)
        >
            {toggle_label}
        </button>
        <form
            class="dp-share__form"
            id=form_id
            hidden=move || !open.get()
            on:submit=|ev: SubmitEvent| ev.prevent_default()
            on:keydown=on_keydown
        >
            {inputs}
            {extra}
            {not_kept}
            <p
                class="dp-share__status"
                class:dp-share__status--error=move || matches!(status.get(), Status::Failed(_))
                id=status_id
                tabindex="-1"
                node_ref=status_line
            >
                {move || match status.get() {
                    Status::None => String::new(),
                    Status::Sent(said) | Status::Failed(said) => said,
                }}
            </p>
            // Send is a plain button: Enter in a field is not a send.
            <button
                type="button"
                class="dp-button dp-button--primary dp-share__send"
                aria-busy=move || if sending.get() { "true" } else { "false" }
                disabled=move || sending.get()
                on:click=move |_| send()
            >
                {t.send}
            </button>
        </form>
    }
    .into_any()
}
