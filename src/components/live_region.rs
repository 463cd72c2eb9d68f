//! The pane's one live region. Polite by default; an error switches it to assertive for that
//! message, so there is never more than one element announcing.

use leptos::prelude::*;

use super::attr;

#[derive(Clone, Default, PartialEq)]
struct Announcement {
    text: String,
    urgent: bool,
}

/// A handle to the live region; cheap to copy into event handlers.
#[derive(Clone, Copy)]
pub struct Announcer(RwSignal<Announcement>);

impl Announcer {
    pub fn new() -> Announcer {
        Announcer(RwSignal::new(Announcement::default()))
    }

    /// Status news: loaded, copied, results found.
    pub fn polite(&self, text: impl Into<String>) {
        self.say(text.into(), false);
    }

    /// Errors: the agent should hear them now.
    pub fn urgent(&self, text: impl Into<String>) {
        self.say(text.into(), true);
    }

    fn say(&self, mut text: String, urgent: bool) {
        // Screen readers skip an unchanged text: a trailing no-break space makes a repeat
        // ("Copied" twice) a change.
        if self.0.with_untracked(|current| current.text == text) {
            text.push('\u{a0}');
        }
        let _ = self.0.try_set(Announcement { text, urgent });
    }
}

impl Default for Announcer {
    fn default() -> Self {
        Announcer::new()
    }
}

pub fn live_region(announcer: Announcer) -> AnyView {
    let current = announcer.0;
    view! {
        <div
            class="dp-visually-hidden"
            {..attr("aria-live", move || if current.with(|a| a.urgent) { "assertive" } else { "polite" })}
            {..attr("aria-atomic", "true")}
        >
            {move || current.with(|a| a.text.clone())}
        </div>
    }
    .into_any()
}
