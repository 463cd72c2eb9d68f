//! A deal card's "Tell the owner": the notes already shared through dealpane, and a disclosure
//! with the form that sends one. Everything from the server is rendered as text.
//!
//! The notes are fetched lazily, once, the first time the card (or the form) is open: the card
//! that starts open asks on load, the others when the agent opens them. Asking for every card
//! on load would cost one Sales call per deal for lines nobody may read; asking when the card
//! opens still shows "Shared with …" before the agent can write, which is when it matters.

use std::rc::Rc;

use dealpane_contract::{Guid, Note, NOTE_MAX_CHARS};
use leptos::prelude::*;

use super::form::{request_in, share_form, Answer, Extra, Field, Form};
use super::{note_storage_key, notes_path};
use crate::api::{parse_json, read};
use crate::browser::{intl, storage};
use crate::components::{effect, isolated, Ui};
use crate::config::WidgetConfig;
use crate::format;
use crate::request::{Exchange, RequestSlot};

/// What every card's form needs from the pane: where the API is and the session's case.
#[derive(Clone, Copy)]
pub struct ShareContext {
    pub config: RwSignal<Option<WidgetConfig>>,
    pub case_id: Option<Guid>,
}

/// The notes and the form for one deal; `card_open` is the card's disclosure.
pub fn share_note(
    ui: Ui,
    deal_id: Guid,
    deal_owner: Option<String>,
    card_open: RwSignal<bool>,
) -> AnyView {
    let share = ui.share;
    let Some(config) = share.config.get_untracked() else {
        return ().into_any();
    };
    let s = ui.text;
    let t = &s.share;
    let open = RwSignal::new(false);
    let notes = RwSignal::new(Vec::<Note>::new());
    let lister = RequestSlot::new();

    let notes_url = config.endpoint(&notes_path(deal_id));
    let timeout_ms = config.request_timeout_ms;
    let mut asked = false;
    effect(move || {
        if asked || !(card_open.get() || open.get()) {
            return;
        }
        // A list that fails to load leaves the form as it is: sending still works.
        let deliver = move |answer: Answer| {
            if let Some(listed) = answer.ok().as_ref().and_then(read_list) {
                notes.update(|shown| add_listed(shown, listed));
            }
        };
        request_in(
            lister,
            notes_url.clone(),
            None,
            timeout_ms,
            Box::new(deliver),
        );
        asked = true;
    });

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
                    .into_any()
                })
                .collect::<Vec<_>>()
                .into_any()
        })
    };
    let case = share.case_id.map(|case| -> Extra {
        Box::new(move || {
            view! { <p class="dp-share__case">{t.case}" "{isolated(case.to_string())}</p> }
                .into_any()
        })
    });
    let case_id = share.case_id;
    let form = share_form(
        ui,
        Form {
            toggle: t.tell_owner,
            id: ui.id(&format!("deal-{deal_id}-share")),
            storage_key: note_storage_key(deal_id, case_id),
            url: config.endpoint(&notes_path(deal_id)),
            request_timeout_ms: config.request_timeout_ms,
            fields: vec![Field {
                name: "message",
                label: t.message,
                max_chars: NOTE_MAX_CHARS,
                multiline: true,
                required: true,
                input_mode: None,
            }],
            extra: case,
            // NoteRequest's fields, written by the browser's JSON.
            body: Box::new(move |values| {
                let case = case_id.map(|case| case.to_string());
                storage::to_json(&[("message", Some(&values[0])), ("caseId", case.as_deref())])
            }),
            // The note shows at once, from the 201.
            sent: Rc::new(move |body| {
                let note = parse_json(body, read::note)?;
                notes.update(|shown| shown.insert(0, note));
                Ok(None)
            }),
            open,
        },
    );

    view! {
        <div class="dp-share">
            <ul class="dp-notes" hidden=move || notes.with(Vec::is_empty)>{list}</ul>
            {form}
        </div>
    }
    .into_any()
}

/// Adds the notes a list brought after those shown (the server lists them newest first), each
/// once: a note sent meanwhile is already at the top.
fn add_listed(shown: &mut Vec<Note>, listed: Vec<Note>) {
    for note in listed {
        if !shown.iter().any(|n| n.id == note.id) {
            shown.push(note);
        }
    }
}

/// The notes of a `GET {apiBase}/deals/{id}/notes` answer (`NoteList`, retried by the GET
/// policy); `None` when it failed.
fn read_list(exchange: &Exchange) -> Option<Vec<Note>> {
    if !exchange.is_success() {
        return None;
    }
    parse_json(&exchange.body, read::note_list).ok()
}
