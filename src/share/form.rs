//! The one form both writes use ("Tell the owner" on a card, "Suggest a new deal" for the
//! customer): a disclosure, labelled fields, the draft and its idempotency key kept in
//! `sessionStorage`, a Send button that sends once, and a status line that says what happened.
//! One non-generic function, so the second form costs the wasm almost nothing.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use web_sys::RequestCache;

use super::SendFailure;
use crate::api::{interpret_json, FetchError};
use crate::browser::storage;
use crate::components::{aria_flag, attr, opened_once, Ui};
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

/// Lines a form shows under its fields.
pub type Extra = Box<dyn Fn() -> AnyView>;
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
    /// Extra lines under the fields (the attached case), built when the form first opens.
    pub extra: Option<Extra>,
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
    Err(
        interpret_json(status, content_type, &exchange.body, |_| Ok(()))
            .err()
            .unwrap_or(FetchError::Status(status)),
    )
}

/// A form's draft and where it goes: its fields' values, the idempotency key made at its first
/// character, both kept in `sessionStorage` under `storage_key` as `{key, <name>: <text>, …}`.
struct Draft {
    storage_key: String,
    names: Vec<&'static str>,
    key: Option<String>,
    values: Vec<RwSignal<String>>,
    url: String,
    body: Body,
    sent: Sent,
}

impl Draft {
    /// The draft kept under `storage_key`, or an empty one.
    fn load(
        storage_key: String,
        names: Vec<&'static str>,
        url: String,
        body: Body,
        sent: Sent,
    ) -> Draft {
        let wanted: Vec<&str> = std::iter::once("key")
            .chain(names.iter().copied())
            .collect();
        let mut stored = storage::get(&storage_key)
            .and_then(|json| storage::from_json(&json, &wanted))
            .unwrap_or_default()
            .into_iter();
        let key = stored.next().flatten();
        let values = names
            .iter()
            .map(|_| RwSignal::new(stored.next().flatten().unwrap_or_default()))
            .collect();
        Draft {
            storage_key,
            names,
            key,
            values,
            url,
            body,
            sent,
        }
    }

    fn has_text(&self) -> bool {
        self.values
            .iter()
            .any(|v| v.with_untracked(|v| !v.is_empty()))
    }

    fn texts(&self) -> Vec<String> {
        self.values.iter().map(|v| v.get_untracked()).collect()
    }

    /// Keeps the draft (and its key, made now if it has none) in sessionStorage; an empty draft
    /// is removed with its key.
    fn persist(&mut self) {
        if !self.has_text() {
            storage::remove(&self.storage_key);
            return;
        }
        let texts = self.texts();
        let key = self.key.get_or_insert_with(storage::new_key);
        let mut record = vec![("key", Some(key.as_str()))];
        record.extend(
            self.names
                .iter()
                .zip(&texts)
                .map(|(n, v)| (*n, Some(v.as_str()))),
        );
        storage::set(&self.storage_key, &storage::to_json(&record));
    }

    /// Keeps the draft, then what to send: the URL, the body with its key, and how to read a 201.
    fn outgoing(&mut self) -> (String, Posted, Sent) {
        self.persist();
        let post = Posted {
            body: (self.body)(&self.texts()),
            idempotency_key: self.key.clone().unwrap_or_default(),
        };
        (self.url.clone(), post, self.sent.clone())
    }

    /// Sent: the fields empty, and the draft and its key gone.
    fn clear(&mut self) {
        self.values.iter().for_each(|v| v.set(String::new()));
        self.key = None;
        self.persist();
    }
}

/// Moves focus to the element `id`. By id rather than `NodeRef`: each node ref is another
/// signal and its own element-typed code in the wasm.
fn focus(id: &str) {
    let document = web_sys::window().and_then(|window| window.document());
    let element = document.and_then(|document| document.get_element_by_id(id));
    if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

pub fn share_form(ui: Ui, form: Form) -> AnyView {
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
    // Ids and words are joined rather than `format!`ted: each format string is its own code.
    let id_of = |part: &str| [id.as_str(), "-", part].concat();
    let (form_id, status_id, toggle_id) = (id_of("form"), id_of("status"), id_of("toggle"));
    let draft = Draft::load(storage_key, names, url, body, sent);
    // A draft waiting from before the reload opens its form again.
    if draft.has_text() {
        open.set(true);
    }
    let values = draft.values.clone();
    // Shared by the handlers as a plain `Rc`: a `StoredValue` (or a signal) of its own type
    // would be its own arena code in the wasm.
    let draft = Rc::new(RefCell::new(draft));
    // The status line's words and whether they say a failure, and a send in flight: signals of
    // plain types the widget already has, where a `Status` enum's signal was its own code.
    let said = RwSignal::new(String::new());
    let failed = RwSignal::new(false);
    let sending = RwSignal::new(false);
    let slot = RequestSlot::new();

    // A send's end moves focus to the status line.
    let status_line = status_id.clone();
    let sender = Rc::clone(&draft);
    let send = move || {
        let draft = Rc::clone(&sender);
        // Checked and set before anything else: a double click sends once.
        if sending.get_untracked() || !draft.borrow().has_text() {
            return;
        }
        let (url, post, sent) = draft.borrow_mut().outgoing();
        sending.set(true);
        said.set(String::new());
        failed.set(false);
        let status_line = status_line.clone();
        let deliver = move |answer: Answer| {
            let retry_after = answer.as_ref().ok().and_then(|e| e.retry_after.clone());
            let result = answer.and_then(|exchange| written(&exchange, &sent));
            sending.set(false);
            let (words, failure) = match result {
                Ok(extra) => {
                    draft.borrow_mut().clear();
                    let words = match extra {
                        Some(extra) => [t.sent, " ", &extra].concat(),
                        None => t.sent.to_owned(),
                    };
                    announcer.polite(words.clone());
                    (words, false)
                }
                Err(error) => {
                    let Some(failure) = SendFailure::of(&error, retry_after.as_deref()) else {
                        return;
                    };
                    let words = failure.message(s);
                    announcer.urgent(words.clone());
                    (words, true)
                }
            };
            said.set(words);
            failed.set(failure);
            focus(&status_line);
        };
        request_in(slot, url, Some(post), request_timeout_ms, Box::new(deliver));
    };
    let escape_to = toggle_id.clone();
    // Escape closes the form; the draft stays, and focus goes back to what opened it.
    let on_keydown = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            open.set(false);
            focus(&escape_to);
        }
    };

    // The form's contents are built the first time it opens: most forms are never opened, and
    // every card's fields and the lead's would otherwise be built before the first deal shows.
    let opened = opened_once(open);
    let shown = Shown {
        fields,
        values,
        draft,
        id,
        status_id: status_id.clone(),
        extra,
    };
    // The wasm has one thread; Leptos asks a view's closure for `Send` all the same.
    let local = SendWrapper::new((shown, Rc::new(send)));
    let contents = move || {
        opened.get().then(|| {
            let (shown, send) = &*local;
            let send = Rc::clone(send);
            // Probed here, not for every form on the first render: it writes to storage.
            let not_kept = (!storage::available())
                .then(|| view! { <p class="dp-share__hint">{t.draft_not_kept}</p> });
            view! {
                {field_views(shown)}
                {shown.extra.as_ref().map(|extra| extra())}
                {not_kept}
                <p
                    class="dp-share__status"
                    class:dp-share__status--error=move || failed.get()
                    id=shown.status_id.clone()
                    {..attr("tabindex", "-1")}
                >
                    {move || said.get()}
                </p>
                // Send is a plain button: Enter in a field is not a send.
                <button
                    type="button"
                    class="dp-button dp-button--primary dp-share__send"
                    {..attr("aria-busy", move || aria_flag(sending.get()))}
                    disabled=move || sending.get()
                    on:click=move |_| send()
                >
                    {t.send}
                </button>
            }
            .into_any()
        })
    };

    view! {
        <button
            type="button"
            class="dp-button dp-button--subtle"
            {..attr("aria-expanded", move || aria_flag(open.get()))}
            {..attr("aria-controls", form_id.clone())}
            id=toggle_id
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
            {contents}
        </form>
    }
    .into_any()
}

/// What a form's contents are built from, the first time it opens.
struct Shown {
    fields: Vec<Field>,
    values: Vec<RwSignal<String>>,
    draft: Rc<RefCell<Draft>>,
    /// The id prefix of the form's elements.
    id: String,
    status_id: String,
    extra: Option<Extra>,
}

/// Each field's label and control, described by the status line (and a textarea by its count).
fn field_views(shown: &Shown) -> Vec<AnyView> {
    shown
        .fields
        .iter()
        .zip(&shown.values)
        .map(|(field, &value)| {
            let field_id = [shown.id.as_str(), "-", field.name].concat();
            let count_id = [&field_id, "-count"].concat();
            let described_by = if field.multiline {
                [&count_id, " ", &shown.status_id].concat()
            } else {
                shown.status_id.clone()
            };
            let draft = Rc::clone(&shown.draft);
            let on_input = move |ev| {
                value.set(event_target_value(&ev));
                draft.borrow_mut().persist();
            };
            let max = field.max_chars;
            let control = if field.multiline {
                view! {
                    <textarea
                        id=field_id.clone()
                        {..attr("rows", "3")}
                        {..attr("maxlength", max.to_string())}
                        required=field.required
                        {..attr("aria-describedby", described_by)}
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
                        {..attr("maxlength", max.to_string())}
                        required=field.required
                        {..attr("inputmode", field.input_mode)}
                        {..attr("aria-describedby", described_by)}
                        prop:value=move || value.get()
                        on:input=on_input
                    />
                }
                .into_any()
            };
            view! { <label {..attr("for", field_id)}>{field.label}</label> {control} }.into_any()
        })
        .collect()
}
