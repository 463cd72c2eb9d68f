//! The pane's layout: the header (picker, customer), the main area, the live region. It reads
//! the URL once and hands the rest to [`PaneState`]. No router and no history: the workspace's
//! iframe is one view.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use leptos::prelude::*;

use crate::browser::navigator;
use crate::components::customer_search::customer_search;
use crate::components::header::customer_header;
use crate::components::live_region::{live_region, Announcer};
use crate::components::states::placeholder_cards;
use crate::components::{aria_flag, attr, effect, Ui};
use crate::context::{parse_context, preferences, Theme};
use crate::i18n::{self, choose_locale, Locale};
use crate::mount::PageStart;
use crate::pane::{view_pane, Pane, PaneState, Words};
use crate::request::RequestSlot;

#[component]
pub fn App(
    /// `location.search`, with or without its `?`.
    #[prop(into)]
    query: String,
    /// What the page did before mounting the pane: `config.json` read, loading cards shown.
    start: PageStart,
) -> impl IntoView {
    let (lang, theme) = preferences(&query);
    let asked = choose_locale(lang.as_deref(), &navigator::languages());
    apply_to_document(&asked, theme);
    // The pane starts at once: config.json (unless given), then the deals. Its words: English
    // is in the wasm; another language's file is fetched now, alongside (index.html cannot
    // preload it: the language is known only here). The pane renders, and says anything, once
    // the words are in, never English first; if the file fails, English, and `lang` and `dir`
    // say so.
    let known = i18n::loaded(asked.lang);
    let words = Words::new(known);
    if known.is_none() {
        let lang = asked.lang;
        RequestSlot::new().start(
            move |cancel| i18n::load(lang, cancel),
            move |loaded| words.arrive(loaded),
        );
    }
    let announcer = Announcer::new();
    let context = parse_context(&query);
    let standalone = matches!(&context, Ok(ctx) if ctx.customer.is_none());
    let state = PaneState::new(&context, &asked.tag, words, announcer);
    state.start(start.config);
    let shown = match start.loading_cards {
        Some(cards) => show_when_ready(state, cards),
        None => RwSignal::new(true),
    };
    let pane_number = next_pane_number();
    let locale_tag = StoredValue::new(asked.tag.clone());
    // The layout is built in a task queued after the deals request's: the request leaves first
    // and travels while the view is built, instead of waiting for it.
    let build = RwSignal::new(false);
    leptos::task::spawn_local(async move { build.set(true) });
    view! {
        {move || match words.get().filter(|_| build.get()) {
            Some(text) => {
                apply_to_document(&asked.showing(text), theme);
                let ui = Ui::new(text, announcer, state.share, locale_tag, pane_number);
                untrack(|| layout(ui, state, standalone, shown))
            }
            None => waiting(shown),
        }}
    }
}

/// How long index.html's loading cards stand in for the pane while its first answer is on the
/// way; then the pane shows its own loading state, which says what it is waiting for.
const FIRST_ANSWER_WAIT: Duration = Duration::from_millis(300);

/// Whether the pane is on screen: not while index.html's `cards` stand in for it, until it
/// has more to show than they do (its first answer, or [`FIRST_ANSWER_WAIT`] has passed);
/// then the cards are removed.
fn show_when_ready(state: PaneState, cards: web_sys::Element) -> RwSignal<bool> {
    let shown = RwSignal::new(false);
    // Once: setting it again would re-run everything that reads it, on every later pane change.
    let show = move || {
        if shown.try_get_untracked() == Some(false) {
            shown.set(true);
            cards.remove();
        }
    };
    let first_answer = show.clone();
    effect(move || {
        if !matches!(state.pane.get(), Pane::Starting | Pane::Loading) {
            first_answer();
        }
    });
    set_timeout(show, FIRST_ANSWER_WAIT);
    shown
}

/// The header and the main area, once the words are in, and the live region (outside what
/// `shown` hides, so what it says while hidden is still heard).
fn layout(ui: Ui, state: PaneState, standalone: bool, shown: RwSignal<bool>) -> AnyView {
    view! {
        <div class="dp" hidden=move || !shown.get()>
            {move || header(ui, state, standalone)}
            <main class="dp-main" {..attr("aria-busy", move || aria_flag(state.busy()))}>
                {move || view_pane(ui, state.pane.get(), state)}
            </main>
        </div>
        {live_region(ui.announcer)}
    }
    .into_any()
}

/// The picker (standalone) and the customer's header, once there is either.
fn header(ui: Ui, state: PaneState, standalone: bool) -> Option<AnyView> {
    let choose = move |picked| state.choose(picked);
    (standalone || state.has_customer.get()).then(|| {
        view! {
            <header class="dp-header">
                {move || {
                    state
                        .config
                        .get()
                        .filter(|_| standalone)
                        .map(|config| customer_search(ui, config, choose))
                }}
                {move || state.has_customer.get().then(|| customer_header(ui, state))}
            </header>
        }
        .into_any()
    })
}

/// While the words come: the loading cards, without words.
fn waiting(shown: RwSignal<bool>) -> AnyView {
    view! {
        <div class="dp" hidden=move || !shown.get()>
            <main class="dp-main" {..attr("aria-busy", "true")}>{placeholder_cards(None)}</main>
        </div>
    }
    .into_any()
}

/// `lang`, `dir` and `data-theme` on `<html>`: tokens.css and the browser key on them.
fn apply_to_document(locale: &Locale, theme: Theme) {
    let Some(root) = document().document_element() else {
        return;
    };
    // Only what differs: index.html carries the defaults, and a change restyles the page.
    for (name, value) in [
        ("lang", locale.lang.code()),
        ("dir", locale.dir()),
        ("data-theme", theme.as_str()),
    ] {
        if root.get_attribute(name).as_deref() != Some(value) {
            let _ = root.set_attribute(name, value);
        }
    }
}

/// 1, 2, …: element ids (`dp1-…`) stay unique when several panes share a document.
fn next_pane_number() -> u32 {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
