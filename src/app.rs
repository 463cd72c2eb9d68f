//! The pane: reads its URL once, loads `config.json`, then the customer's deals, and shows one
//! of its states. No router and no history: the workspace's iframe is one view.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use dealpane_contract::{CustomerRef, DealSummaryResponse, Problem};
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::AbortController;

use crate::api::{self, ApiError, DealsAnswer};
use crate::components::customer_search::customer_search;
use crate::components::deal_card::{deal_list, plain_text_card};
use crate::components::header::customer_header;
use crate::components::live_region::{live_region, Announcer};
use crate::components::pipeline_chart::pipeline_chart;
use crate::components::states::{
    error_state, not_found_state, notice, offline_state, skeleton, Tone,
};
use crate::components::Ui;
use crate::config::{ConfigError, WidgetConfig};
use crate::context::{parse_context, preferences, ContextError, CustomerKey, Theme};
use crate::format::{self, intl};
use crate::i18n::{choose_locale, Locale, Strings};

/// How often "updated … ago" is recomputed.
const TICK: Duration = Duration::from_secs(15);

/// What the main area shows.
#[derive(Clone)]
enum Pane {
    /// Reading `config.json`.
    Starting,
    BadContext(ContextError),
    BadConfig(ConfigError),
    /// Standalone, no customer chosen yet: the picker is in the header.
    Pick,
    Loading,
    Deals(Arc<DealSummaryResponse>),
    /// A text-only backend's answer.
    Text(Arc<str>),
    NotFound(Option<Problem>),
    Failed(ApiError),
    /// No connection; `browser_offline` tells `navigator.onLine` apart from a failed request.
    Offline {
        browser_offline: bool,
    },
}

/// Mounts the pane on `<body>` for the page's own URL (what `main.rs` calls).
pub fn mount() {
    console_error_panic_hook::set_once();
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let body = document().body().expect("the page has a body");
    mount_into(body, &query).forget();
}

/// A mounted pane; dropping it unmounts the pane and cancels its requests and timers.
pub struct Mounted(Box<dyn std::any::Any>);

impl Mounted {
    /// Keeps the pane for the page's lifetime.
    pub fn forget(self) {
        std::mem::forget(self.0);
    }
}

/// Mounts a pane into `parent` as if its URL's query were `query` (tests and embedders).
pub fn mount_into(parent: web_sys::HtmlElement, query: &str) -> Mounted {
    let query = query.to_owned();
    Mounted(Box::new(mount_to(
        parent,
        move || view! { <App query=query /> },
    )))
}

#[component]
pub fn App(
    /// `location.search`, with or without its `?`.
    #[prop(into)]
    query: String,
) -> impl IntoView {
    let (lang, theme) = preferences(&query);
    let locale = choose_locale(lang.as_deref(), &browser_languages());
    apply_to_document(&locale, theme);
    let s = locale.strings();
    let announcer = Announcer::new();
    let ui = Ui {
        s,
        tag: Arc::from(locale.tag.as_str()),
        announcer,
        id_prefix: Arc::from(next_pane_prefix().as_str()),
        first_deal_marked: Arc::new(AtomicBool::new(false)),
    };
    provide_context(ui.clone());

    let context = parse_context(&query);
    let standalone = matches!(&context, Ok(ctx) if ctx.customer.is_none());
    let customer = RwSignal::new(context.as_ref().ok().and_then(|c| c.customer.clone()));
    // Apart from `customer`, so choosing another customer does not rebuild the header (and
    // empty the picker).
    let has_customer = RwSignal::new(customer.with_untracked(Option::is_some));
    let pane = RwSignal::new(match &context {
        Err(error) => Pane::BadContext(error.clone()),
        Ok(_) => Pane::Starting,
    });
    let config = RwSignal::new(None::<WidgetConfig>);
    // The name Sales knows the customer by, once an answer says it.
    let known_name = RwSignal::new(None::<String>);
    let updated_at = RwSignal::new(None::<i64>);
    let now = RwSignal::new(intl::now_unix_seconds());
    let inflight = StoredValue::new_local(None::<AbortController>);
    let generation = StoredValue::new(0_u32);

    // `fresh`: the agent asked (Refresh, Retry, back online), so skip the browser's cache.
    let load = move |fresh: bool| {
        let (Some(key), Some(config)) = (customer.get_untracked(), config.get_untracked()) else {
            return;
        };
        if let Some(previous) = inflight.try_update_value(Option::take).flatten() {
            previous.abort();
        }
        let this_load = generation.get_value().wrapping_add(1);
        generation.set_value(this_load);
        if !api::browser_online() {
            pane.set(Pane::Offline {
                browser_offline: true,
            });
            announcer.urgent(s.offline_title);
            return;
        }
        let Ok(controller) = AbortController::new() else {
            return;
        };
        let signal = controller.signal();
        inflight.set_value(Some(controller));
        pane.set(Pane::Loading);
        announcer.polite(s.loading);
        spawn_local(async move {
            let answer = api::fetch_deals(&config, &key.api_query(), fresh, &signal).await;
            // A newer load (or unmounting) replaced this one: its answer is stale.
            if generation.try_get_value() != Some(this_load) {
                return;
            }
            inflight.set_value(None);
            show_answer(answer, pane, known_name, updated_at, announcer, s);
        });
    };

    let retry = move || load(true);
    let choose = move |picked: CustomerRef| {
        known_name.set(Some(picked.name.clone()));
        if !has_customer.get_untracked() {
            has_customer.set(true);
        }
        updated_at.set(None);
        customer.set(Some(CustomerKey {
            id: Some(picked.id),
            name: Some(picked.name),
            kind: Some(picked.kind),
        }));
        load(false);
    };

    if context.is_ok() {
        spawn_local(async move {
            let loaded = api::fetch_config().await;
            if pane.try_get_untracked().is_none() {
                return;
            }
            match loaded {
                Ok(loaded) => {
                    config.set(Some(loaded));
                    if customer.get_untracked().is_some() {
                        load(false);
                    } else {
                        pane.set(Pane::Pick);
                    }
                }
                Err(error) => {
                    let (title, _) = s.config_error(&error);
                    pane.set(Pane::BadConfig(error));
                    announcer.urgent(title);
                }
            }
        });
    } else if let Err(error) = &context {
        announcer.urgent(s.context_error(error).0);
    }

    // Back online: reload what the missing connection stopped.
    let online = window_event_listener(leptos::ev::online, move |_| {
        if matches!(pane.get_untracked(), Pane::Offline { .. }) {
            load(true);
        }
    });
    let tick =
        set_interval_with_handle(move || _ = now.try_set(intl::now_unix_seconds()), TICK).ok();
    on_cleanup(move || {
        online.remove();
        if let Some(tick) = tick {
            tick.clear();
        }
        if let Some(controller) = inflight.try_update_value(Option::take).flatten() {
            controller.abort();
        }
    });

    let name = move || {
        known_name.get().unwrap_or_else(|| {
            customer.with(|key| match key {
                Some(CustomerKey {
                    name: Some(name), ..
                }) => name.clone(),
                Some(CustomerKey { id: Some(id), .. }) => id.to_string(),
                _ => String::new(),
            })
        })
    };
    let answer = move || match pane.get() {
        Pane::Deals(answer) => Some(answer),
        _ => None,
    };
    let busy = move || {
        if matches!(pane.get(), Pane::Starting | Pane::Loading) {
            "true"
        } else {
            "false"
        }
    };
    let header = move || {
        (standalone || has_customer.get()).then(|| {
            view! {
                <header class="dp-header">
                    {move || {
                        config
                            .get()
                            .filter(|_| standalone)
                            .map(|config| customer_search(config, choose))
                    }}
                    {move || {
                        has_customer.get().then(|| {
                            customer_header(name, answer, updated_at, now, retry)
                        })
                    }}
                </header>
            }
        })
    };

    view! {
        <div class="dp">
            {header}
            <main class="dp-main" aria-busy=busy>
                {move || view_pane(pane.get(), &name, retry)}
            </main>
            {live_region(announcer)}
        </div>
    }
}

fn show_answer(
    answer: Result<DealsAnswer, ApiError>,
    pane: RwSignal<Pane>,
    known_name: RwSignal<Option<String>>,
    updated_at: RwSignal<Option<i64>>,
    announcer: Announcer,
    s: &'static Strings,
) {
    let received = intl::now_unix_seconds();
    match answer {
        Ok(DealsAnswer::Deals(answer)) => {
            if let Some(name) = answer
                .customer
                .name
                .clone()
                .filter(|n| !n.trim().is_empty())
            {
                known_name.set(Some(name));
            }
            let produced = format::parse_timestamp(&answer.generated_at).unwrap_or(received);
            updated_at.set(Some(produced.min(received)));
            announcer.polite(if answer.deals.is_empty() {
                s.empty.to_owned()
            } else {
                s.open_deals(answer.deals.len())
            });
            pane.set(Pane::Deals(Arc::new(answer)));
        }
        Ok(DealsAnswer::Text(text)) => {
            updated_at.set(Some(received));
            announcer.polite(s.plain_text_title);
            pane.set(Pane::Text(Arc::from(text.as_str())));
        }
        Err(ApiError::Aborted) => {}
        Err(ApiError::Network) => {
            let browser_offline = !api::browser_online();
            announcer.urgent(if browser_offline {
                s.offline_title
            } else {
                s.network_error
            });
            pane.set(Pane::Offline { browser_offline });
        }
        Err(error) if error.is_not_found() => {
            announcer.urgent(s.not_found);
            let ApiError::Problem(problem) = error else {
                unreachable!("is_not_found means a problem")
            };
            pane.set(Pane::NotFound(Some(*problem)));
        }
        Err(error) => {
            announcer.urgent(error_headline(&error, s));
            pane.set(Pane::Failed(error));
        }
    }
}

/// The first words the live region says about a failure.
fn error_headline(error: &ApiError, s: &Strings) -> String {
    match error {
        ApiError::Problem(problem) if !problem.title.trim().is_empty() => problem.title.clone(),
        ApiError::Problem(problem) => s.problem(problem.status, None).0,
        ApiError::Status(status) => s.problem(*status, None).0,
        ApiError::TimedOut { after_ms } => s.timeout(after_ms.div_ceil(1000)).0,
        ApiError::Malformed(_) => s.bad_response.to_owned(),
        ApiError::Network | ApiError::Aborted => s.network_error.to_owned(),
    }
}

fn view_pane(
    pane: Pane,
    name: &dyn Fn() -> String,
    retry: impl Fn() + Copy + Send + Sync + 'static,
) -> AnyView {
    let s = expect_context::<Ui>().s;
    match pane {
        Pane::Starting => ().into_any(),
        Pane::Loading => skeleton(),
        Pane::BadContext(error) => {
            let (title, hint) = s.context_error(&error);
            notice(Tone::Warning, title, hint, None, None)
        }
        Pane::BadConfig(error) => {
            let (title, hint) = s.config_error(&error);
            notice(Tone::Error, title, hint, None, None)
        }
        Pane::Pick => notice(
            Tone::Info,
            s.no_customer.to_owned(),
            s.customer_search_start.to_owned(),
            None,
            None,
        ),
        Pane::Deals(answer) if answer.deals.is_empty() => notice(
            Tone::Info,
            s.empty.to_owned(),
            s.empty_hint.to_owned(),
            None,
            None,
        ),
        Pane::Deals(answer) => {
            view! { {pipeline_chart(&answer.deals)} {deal_list(&answer.deals)} }.into_any()
        }
        Pane::Text(text) => plain_text_card(untrack(name), &text),
        Pane::NotFound(problem) => not_found_state(problem),
        Pane::Failed(error) => error_state(&error, retry),
        Pane::Offline { browser_offline } => offline_state(browser_offline, retry),
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

/// `navigator.languages`, most preferred first.
fn browser_languages() -> Vec<String> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    window
        .navigator()
        .languages()
        .iter()
        .filter_map(|tag| tag.as_string())
        .collect()
}

/// `dp1`, `dp2`, …: element ids stay unique when several panes share a document.
fn next_pane_prefix() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    format!("dp{}", NEXT.fetch_add(1, Ordering::Relaxed))
}
