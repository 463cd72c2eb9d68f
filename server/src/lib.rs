//! dealpane-server: the `DealSummary` service and the widget's host.

pub mod routes;
pub mod source;

pub use routes::{router, AppState};
