//! dealpane: the Copilot Service workspace pane that shows a customer's open Sales deals.
//! Plain logic compiles everywhere (and is unit-tested natively); the view is wasm32 only.

#[cfg(target_arch = "wasm32")]
mod app;

#[cfg(target_arch = "wasm32")]
pub use app::{mount, App};
