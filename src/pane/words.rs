//! [`Words`]: the pane's words, which may still be on their way (a language other than
//! English is a file fetched at start, alongside `config.json` and the deals). The state
//! machine does not wait for them to send its requests; what it shows and says waits, in the
//! order it happened, so a German pane never says anything in English first.

use leptos::prelude::*;

use crate::i18n::{self, Lang, Strings};

type Waiting = Vec<Box<dyn FnOnce(&'static Strings)>>;

/// `Copy`, like the rest of the pane's state.
#[derive(Clone, Copy)]
pub struct Words {
    text: RwSignal<Option<&'static Strings>>,
    waiting: StoredValue<Waiting, LocalStorage>,
}

impl Words {
    /// `text`: the words when already in memory (English, or a language read before).
    pub fn new(text: Option<&'static Strings>) -> Words {
        Words {
            text: RwSignal::new(text),
            waiting: StoredValue::new_local(Vec::new()),
        }
    }

    /// The words once they are in (tracked: the view renders when they come).
    pub fn get(self) -> Option<&'static Strings> {
        self.text.get()
    }

    /// The words for what runs after they came (the summaries follow the deals, which
    /// waited for them); English if asked before.
    pub fn now(self) -> &'static Strings {
        self.text
            .get_untracked()
            .unwrap_or_else(|| i18n::strings(Lang::En))
    }

    /// Runs `then` with the words: at once when they are in, else when they come, after
    /// whatever waited before it.
    pub fn then(self, then: impl FnOnce(&'static Strings) + 'static) {
        self.then_boxed(Box::new(then));
    }

    /// One body for every caller (a generic one would hold each closure twice: called at
    /// once, and boxed to wait).
    fn then_boxed(self, then: Box<dyn FnOnce(&'static Strings)>) {
        match self.text.get_untracked() {
            Some(text) => then(text),
            None => self.waiting.update_value(|waiting| waiting.push(then)),
        }
    }

    /// The words are in: what waited for them runs, in order.
    pub fn arrive(self, text: &'static Strings) {
        self.text.set(Some(text));
        let waiting = self.waiting.try_update_value(std::mem::take);
        for then in waiting.into_iter().flatten() {
            then(text);
        }
    }
}
