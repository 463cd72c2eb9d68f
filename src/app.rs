//! The pane's layout: the header (picker, customer), the main area, the live region. It reads
//! the URL once and hands the rest to [`PaneState`]. No router and no history: the workspace's
//! iframe is one view.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;

use leptos::prelude::*;

use crate::browser::navigator;
use crate::components::customer_search::customer_search;
use crate::components::header::customer_header;
use crate::components::live_region::{live_region, Announcer};
use crate::components::Ui;
use crate::context::{parse_context, preferences, Theme};
use crate::i18n::{choose_locale, Locale};
use crate::pane::{view_pane, PaneState};

#[component]
pub fn App(
    /// `location.search`, with or without its `?`.
    #[prop(into)]
    query: String,
) -> impl IntoView {
    let (lang, theme) = preferences(&query);
    let locale = choose_locale(lang.as_deref(), &navigator::languages());
    apply_to_document(&locale, theme);
    let text = locale.strings();
    let announcer = Announcer::new();
    provide_context(Ui {
        text,
        locale_tag: Arc::from(locale.tag.as_str()),
        announcer,
        id_prefix: Arc::from(next_pane_prefix().as_str()),
        first_deal_marked: Arc::new(AtomicBool::new(false)),
    });

    let context = parse_context(&query);
    let standalone = matches!(&context, Ok(ctx) if ctx.customer.is_none());
    let state = PaneState::new(&context, text, announcer);
    state.start();

    let choose = move |picked| state.choose(picked);
    let header = move || {
        (standalone || state.has_customer.get()).then(|| {
            view! {
                <header class="dp-header">
                    {move || {
                        state
                            .config
                            .get()
                            .filter(|_| standalone)
                            .map(|config| customer_search(config, choose))
                    }}
                    {move || {
                        state.has_customer.get().then(|| {
                            customer_header(
                                move || state.name(),
                                move || state.answer(),
                                state.updated_at,
                                state.now,
                                move || state.retry(),
                            )
                        })
                    }}
                </header>
            }
        })
    };

    view! {
        <div class="dp">
            {header}
            <main class="dp-main" aria-busy=move || state.busy()>
                {move || view_pane(state.pane.get(), state)}
            </main>
            {live_region(announcer)}
        </div>
    }
}

/// `lang`, `dir` and `data-theme` on `<html>`: tokens.css and the browser key on them.
fn apply_to_document(locale: &Locale, theme: Theme) {
    let Some(root) = document().document_element() else {
        return;
    };
    let _ = root.set_attribute("lang", locale.lang.code());
    let _ = root.set_attribute("dir", locale.dir());
    let _ = root.set_attribute("data-theme", theme.as_str());
}

/// `dp1`, `dp2`, …: element ids stay unique when several panes share a document.
fn next_pane_prefix() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    format!("dp{}", NEXT.fetch_add(1, Ordering::Relaxed))
}
