//! Performance marks, which the benchmarks read.

/// The mark benchmarks read: when the first deal card (or the plain-text card) is rendered.
pub const FIRST_DEAL_MARK: &str = "dealpane:first-deal";

/// `performance.mark(name)`; nothing when the browser has no Performance API.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}
