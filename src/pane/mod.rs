//! The pane's state machine: what the main area shows ([`Pane`]), which customer, the
//! configuration, and the load that moves between them. One `Copy` handle, [`PaneState`], that
//! the layout, the header and event handlers share. The summaries that arrive after the deals
//! are `summaries.rs`'s. Its requests start at once; what it shows and says waits for the
//! pane's [`Words`] (`words.rs`), which may still be coming.

mod sign_in;
mod summaries;
mod view;
mod words;

use std::sync::Arc;
use std::time::Duration;

use dealpane_contract::{CustomerRef, DealSummaryResponse, Problem};
use leptos::prelude::*;

pub use sign_in::AuthState;
pub use summaries::Summaries;
pub use view::view_pane;
pub use words::Words;

use crate::api::{self, DealsAnswer, FetchError};
use crate::auth::{self, popup, session, AuthError};
use crate::browser::{intl, navigator};
use crate::components::live_region::Announcer;
use crate::config::{ConfigRead, WidgetConfig, WidgetConfigError};
use crate::context::{ContextError, CustomerKey, SessionContext};
use crate::format;
use crate::i18n::Strings;
use crate::mount::ConfigStart;
use crate::request::RequestSlot;
use crate::share::note_form::ShareContext;

/// How often "updated … ago" is recomputed.
const TICK: Duration = Duration::from_secs(15);

/// What the main area shows.
#[derive(Clone)]
pub enum Pane {
    /// Reading `config.json`.
    Starting,
    BadContext(ContextError),
    BadConfig(WidgetConfigError),
    /// Standalone, no customer chosen yet: the picker is in the header.
    Pick,
    Loading,
    Deals(Arc<DealSummaryResponse>),
    /// A text-only backend's answer.
    Text(Arc<str>),
    NotFound(Option<Problem>),
    Failed(FetchError),
    /// No connection; `browser_offline` tells `navigator.onLine` apart from a failed request.
    Offline {
        browser_offline: bool,
    },
    /// Sign-in is on and the agent is not signed in, or is and may not see Sales deals.
    Auth(AuthState),
}

/// The pane's signals and its one deals request.
#[derive(Clone, Copy)]
pub struct PaneState {
    pub pane: RwSignal<Pane>,
    pub customer: RwSignal<Option<CustomerKey>>,
    /// Apart from `customer`, so choosing another customer does not rebuild the header (and
    /// empty the picker).
    pub has_customer: RwSignal<bool>,
    pub config: RwSignal<Option<WidgetConfig>>,
    /// The name Sales knows the customer by, once an answer says it.
    pub known_name: RwSignal<Option<String>>,
    /// When the shown data was produced (Unix seconds).
    pub updated_at: RwSignal<Option<i64>>,
    /// The clock that makes "updated … ago" tick.
    pub now: RwSignal<i64>,
    /// The summaries still to come, and the long-poll that brings them.
    pub summaries: Summaries,
    /// What every card's share forms need: the API and the session's case.
    pub share: ShareContext,
    deals: RequestSlot,
    words: Words,
    /// The BCP 47 tag numbers and dates are formatted for.
    locale_tag: StoredValue<String>,
    announcer: Announcer,
}

impl PaneState {
    /// The state for a parsed URL; [`PaneState::start`] sets it going.
    pub fn new(
        context: &Result<SessionContext, ContextError>,
        locale_tag: &str,
        words: Words,
        announcer: Announcer,
    ) -> PaneState {
        let customer = context.as_ref().ok().and_then(|c| c.customer.clone());
        let config = RwSignal::new(None);
        PaneState {
            share: ShareContext {
                config,
                case_id: context.as_ref().ok().and_then(|c| c.case_id),
            },
            has_customer: RwSignal::new(customer.is_some()),
            customer: RwSignal::new(customer),
            pane: RwSignal::new(match context {
                Err(error) => Pane::BadContext(error.clone()),
                Ok(_) => Pane::Starting,
            }),
            config,
            known_name: RwSignal::new(None),
            updated_at: RwSignal::new(None),
            now: RwSignal::new(intl::now_unix_seconds()),
            summaries: Summaries::new(config, words, announcer),
            deals: RequestSlot::new(),
            words,
            locale_tag: StoredValue::new(locale_tag.to_owned()),
            announcer,
        }
    }

    /// Takes `config.json` from `config` (read, or on its way from the page's own read), else
    /// reads it; then loads the deals (a usable URL), or announces the URL's error; reloads
    /// when the browser is back online; ticks the clock.
    pub fn start(self, config: ConfigStart) {
        match (self.pane.get_untracked(), config) {
            (Pane::BadContext(error), _) => self
                .words
                .then(move |s| self.announcer.urgent(s.context_error(&error).0)),
            (_, ConfigStart::Read(read)) => self.configured(read),
            (_, config) => RequestSlot::new().start(
                |cancel| match config {
                    ConfigStart::Coming(reading) => reading,
                    _ => api::fetch_config(cancel),
                },
                move |loaded| self.configured(loaded),
            ),
        }
        // Back online: reload what the missing connection stopped.
        let online = window_event_listener(leptos::ev::online, move |_| {
            if matches!(self.pane.get_untracked(), Pane::Offline { .. }) {
                self.load(true);
            }
        });
        let now = self.now;
        let tick =
            set_interval_with_handle(move || _ = now.try_set(intl::now_unix_seconds()), TICK).ok();
        on_cleanup(move || {
            online.remove();
            if let Some(tick) = tick {
                tick.clear();
            }
        });
    }

    fn configured(self, loaded: ConfigRead) {
        match loaded {
            Ok(loaded) => {
                session::configure(loaded.auth.clone(), &loaded.api_base);
                self.config.set(Some(loaded));
                // A kept refresh token: the first call renews it (one token round trip).
                if session::enabled() && !session::has_session() {
                    self.auth_state(AuthState::SignIn);
                } else {
                    self.proceed();
                }
            }
            Err(error) => self.words.then(move |s| {
                let (title, _) = s.config_error(&error);
                self.pane.set(Pane::BadConfig(error));
                self.announcer.urgent(title);
            }),
        }
    }

    /// Signed in (or no sign-in): the deals, or the picker.
    fn proceed(self) {
        if self.customer.get_untracked().is_some() {
            self.load(false);
        } else {
            self.words.then(move |_| self.pane.set(Pane::Pick));
        }
    }

    fn auth_state(self, auth: AuthState) {
        self.words.then(move |s| {
            let t = &s.sign_in;
            let title = match &auth {
                AuthState::SignIn => t.title,
                AuthState::SigningIn => t.signing_in,
                AuthState::PopupBlocked => t.popup_blocked,
                AuthState::Consent(_) => t.consent,
                AuthState::NoSales => t.no_sales,
                AuthState::Failed => t.failed,
            };
            self.announcer.urgent(title);
            self.pane.set(Pane::Auth(auth));
        });
    }

    /// The Sign in button: the popup opens inside this click (popup blockers require one).
    pub fn sign_in(self) {
        self.auth_state(AuthState::SigningIn);
        popup::sign_in(move |outcome| match outcome {
            Ok(()) => self.proceed(),
            Err(AuthError::PopupBlocked) => self.auth_state(AuthState::PopupBlocked),
            Err(AuthError::Consent(detail)) => self.auth_state(AuthState::Consent(Some(detail))),
            Err(AuthError::Failed) => self.auth_state(AuthState::Failed),
            Err(_) => self.auth_state(AuthState::SignIn),
        });
    }

    /// Loads the customer's deals. `fresh`: the agent asked (Refresh, Retry, back online), so
    /// skip the browser's cache.
    pub fn load(self, fresh: bool) {
        let (Some(key), Some(config)) =
            (self.customer.get_untracked(), self.config.get_untracked())
        else {
            return;
        };
        self.deals.cancel();
        self.summaries.stop();
        if !navigator::online() {
            self.words.then(move |s| {
                self.pane.set(Pane::Offline {
                    browser_offline: true,
                });
                self.announcer.urgent(s.offline_title);
            });
            return;
        }
        self.words.then(move |s| {
            self.pane.set(Pane::Loading);
            self.announcer.polite(s.loading);
        });
        self.deals.start(
            move |cancel| async move {
                api::fetch_deals(&config, &key.api_query(), fresh, &cancel).await
            },
            move |answer| self.words.then(move |s| self.show(answer, s)),
        );
        // After the request's task (queued first, so it is sent first), while its answer is on
        // the way.
        let locale_tag = self.locale_tag;
        leptos::task::spawn_local(async move { locale_tag.with_value(|tag| intl::prepare(tag)) });
    }

    /// Refresh and Retry.
    pub fn retry(self) {
        self.load(true);
    }

    /// The picker chose a customer: load theirs.
    pub fn choose(self, picked: CustomerRef) {
        self.known_name.set(Some(picked.name.clone()));
        if !self.has_customer.get_untracked() {
            self.has_customer.set(true);
        }
        self.updated_at.set(None);
        self.customer.set(Some(CustomerKey {
            id: Some(picked.id),
            name: Some(picked.name),
            kind: Some(picked.kind),
        }));
        self.load(false);
    }

    /// The customer's name for the header: Sales's, else the URL's, else the id.
    pub fn name(self) -> String {
        self.known_name.get().unwrap_or_else(|| {
            self.customer.with(|key| match key {
                Some(CustomerKey {
                    name: Some(name), ..
                }) => name.clone(),
                Some(CustomerKey { id: Some(id), .. }) => id.to_string(),
                _ => String::new(),
            })
        })
    }

    /// The structured answer on show, if any.
    pub fn answer(self) -> Option<Arc<DealSummaryResponse>> {
        match self.pane.get() {
            Pane::Deals(answer) => Some(answer),
            _ => None,
        }
    }

    /// Whether the main area is busy (its `aria-busy`).
    pub fn busy(self) -> bool {
        matches!(self.pane.get(), Pane::Starting | Pane::Loading)
    }

    /// Shows an answer (or its failure) and says so in the live region.
    fn show(self, answer: Result<DealsAnswer, FetchError>, s: &'static Strings) {
        let received = intl::now_unix_seconds();
        match answer {
            Ok(DealsAnswer::Deals(answer)) => {
                if let Some(name) = answer
                    .customer
                    .name
                    .clone()
                    .filter(|n| !n.trim().is_empty())
                {
                    self.known_name.set(Some(name));
                }
                let produced = format::parse_timestamp(&answer.generated_at).unwrap_or(received);
                self.updated_at.set(Some(produced.min(received)));
                self.announcer.polite(if answer.deals.is_empty() {
                    s.empty.to_owned()
                } else {
                    s.open_deals(answer.deals.len())
                });
                // The board first: the cards read their summaries from it.
                self.summaries.show(&answer.deals);
                self.pane.set(Pane::Deals(Arc::new(answer)));
            }
            Ok(DealsAnswer::Text(text)) => {
                self.updated_at.set(Some(received));
                self.announcer.polite(s.plain_text_title);
                self.pane.set(Pane::Text(Arc::from(text.as_str())));
            }
            Err(FetchError::Aborted) => {}
            Err(FetchError::Network) => {
                let browser_offline = !navigator::online();
                self.announcer.urgent(if browser_offline {
                    s.offline_title
                } else {
                    s.network_error
                });
                self.pane.set(Pane::Offline { browser_offline });
            }
            // The request path already renewed once: the session is gone.
            Err(error) if session::enabled() && error.status() == Some(401) => {
                session::sign_out();
                self.auth_state(AuthState::SignIn);
            }
            Err(FetchError::Problem(problem))
                if problem.status == 403 && auth::is_no_sales_access(&problem.title) =>
            {
                self.auth_state(AuthState::NoSales);
            }
            Err(FetchError::Problem(problem)) if session::enabled() && problem.status == 403 => {
                self.auth_state(AuthState::Consent(problem.detail));
            }
            Err(FetchError::Problem(problem)) if problem.status == 404 => {
                self.announcer.urgent(s.not_found);
                self.pane.set(Pane::NotFound(Some(*problem)));
            }
            Err(error) => {
                self.announcer.urgent(s.fetch_error(&error).title);
                self.pane.set(Pane::Failed(error));
            }
        }
    }
}
