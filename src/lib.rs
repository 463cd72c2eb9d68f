//! dealpane: the Copilot Service workspace pane that shows a customer's open Sales deals.
//! Plain logic compiles everywhere (and is unit-tested natively); the view is wasm32 only.
//!
//! Rooms: `context` (the URL), `config`, `request` (abort, timeout, retry, stale answers),
//! `api` (the backend's calls and answers), `format`, `i18n` (words), `browser` (browser APIs),
//! `share` (notes and suggested deals to Sales), `auth` (Entra sign-in, the token provider), `pane` (the state machine), `app` (layout),
//! `components` (view parts), `mount`.
//!
//! Weight: the wasm is a feature (README, "Widget size"). Two std paths cost more than they look:
//! slicing a `str` by range (`&s[a..b]`), whose panic path brings `char`'s `Debug` and
//! Unicode's printable tables (3.7 KB gzip): use `get`, `split_once` or `split_at_checked`;
//! and `{:?}` of a `str` in any message, for the same reason.

pub mod api;
pub mod auth;
pub mod config;
pub mod context;
pub mod format;
pub mod i18n;
pub mod request;
pub mod share;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
mod mount;
#[cfg(target_arch = "wasm32")]
mod pane;

#[cfg(target_arch = "wasm32")]
pub use app::App;
#[cfg(target_arch = "wasm32")]
pub use mount::{mount, mount_into, Mounted};
