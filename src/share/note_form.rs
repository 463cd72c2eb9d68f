//! A deal card's "Tell the owner": the notes already shared through dealpane, and a disclosure
//! with the form that sends one. Everything from the server is rendered as text.
//!
//! The notes are fetched lazily, once, the first time the card (or the form) is open: the card
//! that starts open asks on load, the others when the agent opens them. Asking for every card
//! on load would cost one Sales call per deal for lines nobody may read; asking when the card
//! opens still shows "Shared with …" before the agent can write, which is when it matters.

use dealpane_contract::{Guid, Note, NoteList, NoteRequest, NOTE_MAX_CHARS};
use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::html;
use leptos::prelude::*;
use web_sys::{AbortSignal, RequestCache};

use super::{note_storage_key, notes_path, NoteDraft, SendFailure};
use crate::api::{interpret_json, FetchError};
use crate::browser::{intl, storage};
use crate::components::{isolated, use_ui};
use crate::config::WidgetConfig;
use crate::format;
use crate::request::{self, Post, RequestSlot};

/// What every card's form needs from the pane: where the API is and the session's case.
#[derive(Clone, Copy)]
pub struct ShareContext {
    pub config: RwSignal<Option<WidgetConfig>>,
    pub case_id: Option<Guid>,
}

/// What the form says under the Send button.
#[derive(Clone, PartialEq)]
enum Status {
    None,
    Sent,
    Failed(String),
}

/// The notes and the form for one deal; `card_open` is the card's disclosure.
pub fn share_note(deal_id: Guid, deal_owner: Option<String>, card_open: RwSignal<bool>) -> AnyView {
    let Some(share) = use_context::<ShareContext>() else {
        return ().into_any();
    };
    let ui = use_ui();
    let s = ui.text;
    let t = &s.share;
    let announcer = ui.announcer;
    let base = ui.id(&format!("deal-{deal_id}-share"));
    let (form_id, message_id, count_id, status_id) = (
        format!("{base}-form"),
        format!("{base}-message"),
        format!("{base}-count"),
        format!("{base}-status"),
    );

    let storage_key = StoredValue::new(note_storage_key(deal_id, share.case_id));
    let stored = storage_key
        .with_value(|key| storage::get(key))
        .and_then(|json| NoteDraft::parse(&json))
        .unwrap_or_default();
    let kept = storage::available();
    // A draft waiting from before the reload opens its form again.
    let open = RwSignal::new(!stored.message.is_empty());
    let message = RwSignal::new(stored.message);
    let key = StoredValue::new(stored.key);
    let sending = RwSignal::new(false);
    let status = RwSignal::new(Status::None);
    let notes = RwSignal::new(Vec::<Note>::new());
    let sender = RequestSlot::new();
    let lister = RequestSlot::new();
    let toggle = NodeRef::<html::Button>::new();
    let status_line = NodeRef::<html::P>::new();

    // Keeps the draft (and its key, made at its first character) in sessionStorage.
    let persist = move || {
        let draft = NoteDraft {
            key: key.get_value(),
            message: message.get_untracked(),
        };
        storage_key.with_value(|storage_key| {
            if draft.message.is_empty() {
                storage::remove(storage_key);
            } else {
                storage::set(storage_key, &draft.to_json());
            }
        });
    };
    let on_input = move |ev| {
        message.set(event_target_value(&ev));
        if key.with_value(Option::is_none) {
            key.set_value(Some(storage::new_key()));
        }
        persist();
    };

    Effect::new(move |asked: Option<bool>| {
        if asked == Some(true) || !(card_open.get() || open.get()) {
            return asked.unwrap_or(false);
        }
        let Some(config) = share.config.get_untracked() else {
            return false;
        };
        lister.start(
            move |cancel| async move { fetch_notes(&config, deal_id, &cancel).await },
            // A list that fails to load leaves the form as it is: sending still works.
            move |list: Result<NoteList, FetchError>| {
                if let Ok(list) = list {
                    notes.update(|shown| merge(shown, list.notes));
                }
            },
        );
        true
    });

    let focus_status = move || {
        if let Some(line) = status_line.get_untracked() {
            let _ = line.focus();
        }
    };
    // Send is a plain button (Enter in the message is a new line, not a send).
    let send = move || {
        // Checked and set before anything else: a double click sends once.
        if sending.get_untracked() || message.with_untracked(|m| m.trim().is_empty()) {
            return;
        }
        let Some(config) = share.config.get_untracked() else {
            return;
        };
        let idempotency_key = key.get_value().unwrap_or_else(storage::new_key);
        key.set_value(Some(idempotency_key.clone()));
        persist();
        let body = serde_json::to_string(&NoteRequest {
            message: message.get_untracked(),
            case_id: share.case_id,
        })
        .unwrap_or_default();
        sending.set(true);
        status.set(Status::None);
        sender.start(
            move |cancel| async move {
                send_note(&config, deal_id, &body, &idempotency_key, &cancel).await
            },
            move |(sent, retry_after): (Result<Note, FetchError>, Option<String>)| {
                sending.set(false);
                match sent {
                    Ok(note) => {
                        notes.update(|shown| merge(shown, vec![note]));
                        message.set(String::new());
                        key.set_value(None);
                        persist();
                        status.set(Status::Sent);
                        announcer.polite(t.sent);
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
            },
        );
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

    let owner = deal_owner.unwrap_or_else(|| s.label_owner.to_owned());
    let list = move || {
        let now = intl::now_unix_seconds();
        notes.with(|notes| {
            notes
                .iter()
                .map(|note| {
                    let age = format::parse_timestamp(&note.created_on)
                        .map(|at| format::relative_age(now - at))
                        .unwrap_or(format::Age::JustNow);
                    let with = note.owner.clone().unwrap_or_else(|| owner.clone());
                    view! {
                        <li class="dp-note">
                            <p class="dp-note__meta">{s.shared(&with, &note.created_by, age)}</p>
                            <p class="dp-note__text">{note.message.clone()}</p>
                        </li>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    let case = share.case_id.map(|case| {
        view! { <p class="dp-share__case">{t.case}" "{isolated(case.to_string())}</p> }
    });
    let not_kept = (!kept).then(|| view! { <p class="dp-share__hint">{t.draft_not_kept}</p> });
    let described_by = format!("{count_id} {status_id}");

    view! {
        <div class="dp-share">
            <ul class="dp-notes" hidden=move || notes.with(Vec::is_empty)>{list}</ul>
            <button
                type="button"
                class="dp-button dp-button--subtle"
                node_ref=toggle
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls=form_id.clone()
                on:click=move |_| open.update(|open| *open = !*open)
            >
                {t.tell_owner}
            </button>
            <form
                class="dp-share__form"
                id=form_id
                hidden=move || !open.get()
                on:submit=|ev: SubmitEvent| ev.prevent_default()
                on:keydown=on_keydown
            >
                <label for=message_id.clone()>{t.message}</label>
                <textarea
                    id=message_id
                    rows="3"
                    maxlength=NOTE_MAX_CHARS.to_string()
                    aria-describedby=described_by
                    prop:value=move || message.get()
                    on:input=on_input
                ></textarea>
                <p class="dp-share__count" id=count_id>
                    {move || format!("{}/{NOTE_MAX_CHARS}", message.with(|m| m.chars().count()))}
                </p>
                {case}
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
                        Status::Sent => t.sent.to_owned(),
                        Status::Failed(said) => said,
                    }}
                </p>
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
        </div>
    }
    .into_any()
}

/// Adds `incoming` to the notes shown, newest first, each note once (a sent note may also come
/// back in a list fetched meanwhile).
fn merge(shown: &mut Vec<Note>, incoming: Vec<Note>) {
    for note in incoming {
        if !shown.iter().any(|n| n.id == note.id) {
            shown.push(note);
        }
    }
    // RFC 3339 UTC from one server sorts as text.
    shown.sort_by(|a, b| b.created_on.cmp(&a.created_on));
}

/// `GET {apiBase}/deals/{id}/notes`, retried by the GET policy.
async fn fetch_notes(
    config: &WidgetConfig,
    deal: Guid,
    cancel: &AbortSignal,
) -> Result<NoteList, FetchError> {
    let get = request::Get {
        accept: "application/json",
        timeout_ms: config.request_timeout_ms,
        cache: RequestCache::NoCache,
        retry: true,
    };
    let exchange = request::get(&config.endpoint(&notes_path(deal)), &get, cancel).await?;
    interpret_json(
        exchange.status,
        exchange.content_type.as_deref(),
        &exchange.body,
    )
}

/// `POST {apiBase}/deals/{id}/notes` with the draft's key; the answer and its `Retry-After`.
async fn send_note(
    config: &WidgetConfig,
    deal: Guid,
    body: &str,
    idempotency_key: &str,
    cancel: &AbortSignal,
) -> (Result<Note, FetchError>, Option<String>) {
    let post = Post {
        body,
        idempotency_key,
        timeout_ms: config.request_timeout_ms,
    };
    match request::post(&config.endpoint(&notes_path(deal)), &post, cancel).await {
        Ok(exchange) => (
            interpret_json(
                exchange.status,
                exchange.content_type.as_deref(),
                &exchange.body,
            ),
            exchange.retry_after,
        ),
        Err(error) => (Err(error), None),
    }
}
