//! Putting a pane into a page: on `<body>` for the page's own URL (what `main.rs` calls), or
//! into any element for a given query (tests and embedders).

use leptos::mount::mount_to;
use leptos::prelude::*;
use web_sys::AbortController;

use crate::api::{self, ConfigReading};
use crate::app::App;
use crate::browser;
use crate::config::ConfigRead;
use crate::request;

/// How long the page's pane waits for `config.json` before it mounts without it (the pane then
/// shows that it is starting, and takes the file when it comes). index.html preloads the file,
/// so it is normally in hand within a few milliseconds of the wasm starting.
const CONFIG_WAIT_MS: u32 = 400;

/// Mounts the pane on `<body>` for the page's own URL, once `config.json` is read (or
/// [`CONFIG_WAIT_MS`] has passed): the deals request then leaves before the pane's first frame
/// is drawn, not after it. index.html's loading cards show until the pane has more to show.
pub fn mount() {
    browser::panics::report_to_console();
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    wasm_bindgen_futures::spawn_local(async move {
        // One read of the file, whoever ends up waiting for it: a slow one is handed to the
        // pane, not abandoned and asked for again.
        let config = match AbortController::new() {
            Ok(unaborted) => {
                let mut reading = api::fetch_config(unaborted.signal());
                match request::within(CONFIG_WAIT_MS, &mut reading).await {
                    Some(read) => ConfigStart::Read(read),
                    None => ConfigStart::Coming(reading),
                }
            }
            Err(_) => ConfigStart::NotAsked,
        };
        let start = PageStart {
            config,
            loading_cards: document().get_element_by_id(LOADING_CARDS_ID),
        };
        let body = document().body().expect("the page has a body");
        mount_started(body, &query, start).forget();
    });
}

/// index.html's loading cards, on screen while the wasm loads.
const LOADING_CARDS_ID: &str = "dp-boot";

/// What the page did before it mounted the pane.
#[derive(Default)]
pub struct PageStart {
    /// `config.json`, read or on its way.
    pub config: ConfigStart,
    /// index.html's loading cards: the pane stays hidden behind them until it has more to show
    /// (its first answer, or the wait for it is long enough to say it is loading), then removes
    /// them. A fast answer is then the pane's first frame, with no loading frame before it.
    pub loading_cards: Option<web_sys::Element>,
}

/// `config.json` as the page hands it to the pane.
#[derive(Default)]
pub enum ConfigStart {
    /// Not asked for: the pane reads it (tests and embedders).
    #[default]
    NotAsked,
    /// Read.
    Read(ConfigRead),
    /// Asked for and still on its way: the pane waits for this read instead of asking again.
    Coming(ConfigReading),
}

/// A mounted pane; dropping it unmounts the pane and cancels its requests and timers.
pub struct Mounted(Box<dyn std::any::Any>);

impl Mounted {
    /// Keeps the pane for the page's lifetime.
    pub fn forget(self) {
        std::mem::forget(self.0);
    }
}

/// Mounts a pane into `parent` as if its URL's query were `query`.
pub fn mount_into(parent: web_sys::HtmlElement, query: &str) -> Mounted {
    mount_started(parent, query, PageStart::default())
}

/// [`mount_into`], after the page's own start.
fn mount_started(parent: web_sys::HtmlElement, query: &str, start: PageStart) -> Mounted {
    let query = query.to_owned();
    Mounted(Box::new(mount_to(parent, move || {
        view! { <App query=query start=start /> }
    })))
}
