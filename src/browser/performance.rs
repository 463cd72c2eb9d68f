//! Performance marks, which the benchmarks read.

/// When the first deal card (or the plain-text card) is rendered.
pub const FIRST_DEAL_MARK: &str = "dealpane:first-deal";
/// When the top deal's summary (the card that starts open) has settled on screen: ready, or
/// unavailable and saying why. Marked at once when the answer brought it.
pub const TOP_SUMMARY_MARK: &str = "dealpane:top-summary";
/// When no summary of the answer on show is pending any more.
pub const ALL_SUMMARIES_MARK: &str = "dealpane:all-summaries";

/// `performance.mark(name)`; nothing when the browser has no Performance API.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}
