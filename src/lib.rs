//! dealpane: the Copilot Service workspace pane that shows a customer's open Sales deals.
//! Plain logic compiles everywhere (and is unit-tested natively); the view is wasm32 only.

pub mod api;
pub mod config;
pub mod context;
pub mod format;
pub mod i18n;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod clipboard;
#[cfg(target_arch = "wasm32")]
pub mod components;

#[cfg(target_arch = "wasm32")]
pub use app::{mount, mount_into, App, Mounted};
