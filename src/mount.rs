//! Putting a pane into a page: on `<body>` for the page's own URL (what `main.rs` calls), or
//! into any element for a given query (tests and embedders).

use leptos::mount::mount_to;
use leptos::prelude::*;

use crate::app::App;

/// Mounts the pane on `<body>` for the page's own URL.
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

/// Mounts a pane into `parent` as if its URL's query were `query`.
pub fn mount_into(parent: web_sys::HtmlElement, query: &str) -> Mounted {
    let query = query.to_owned();
    Mounted(Box::new(mount_to(
        parent,
        move || view! { <App query=query /> },
    )))
}
