//! The pane's view, one part per file. Parts are plain functions returning `AnyView`, not
//! components (each component is props code in the wasm). A part that shows words or numbers
//! takes the pane's [`Ui`] as an argument: no Leptos context, whose map (`provide_context`,
//! `use_context`) weighed 1.6 KB gzip in the wasm for the two values the pane shared through it.
//!
//! What keeps the view code small (the widget is built with `--cfg erase_components`):
//! - a part that changes is a closure written in the view, `{move || …}`, never one passed by
//!   name: the view macro gives every closure of one output type (`String`, `AnyView`,
//!   `Option<AnyView>`) the same renderer, while a named closure gets a renderer of its own;
//! - an optional or repeated part is `Option<AnyView>` or `Vec<AnyView>` (`.into_any()` on each
//!   item): each other element type inside an `Option` or a `Vec` is its own renderer;
//! - an attribute other than `class`, `id`, `type` and the boolean ones is [`attr`];
//! - an effect is [`effect`], one compiled body for every effect.

pub mod copy_button;
pub mod customer_search;
pub mod deal_card;
pub mod header;
pub mod live_region;
pub mod pipeline_chart;
pub mod states;

use leptos::prelude::*;
use leptos::tachys::html::attribute::custom::{custom_attribute, CustomAttr};
use leptos::tachys::html::attribute::AttributeValue;

use crate::browser::performance::{self, FIRST_DEAL_MARK};
use crate::i18n::Strings;
use crate::share::note_form::ShareContext;
use live_region::Announcer;

/// What the view's parts need from the pane: its words, the locale for Intl, the one live
/// region, what the share forms send with, and its number, which keeps element ids unique when
/// several panes share a document (as in tests). `Copy`, so closures in the view take it as
/// they are.
#[derive(Clone, Copy)]
pub struct Ui {
    /// The pane's words.
    pub text: &'static Strings,
    pub announcer: Announcer,
    /// Where the API is and the session's case, for every card's share forms.
    pub share: ShareContext,
    /// The BCP 47 tag for `browser::intl` (numbers, dates): the pane's own.
    locale_tag: StoredValue<String>,
    pane_number: u32,
    /// Set once the first deal (or the plain-text card) is on screen: `performance.mark` once.
    first_deal_marked: StoredValue<bool>,
}

impl Ui {
    /// The parts' view of a pane numbered `pane_number`, formatting for `locale_tag`.
    pub fn new(
        text: &'static Strings,
        announcer: Announcer,
        share: ShareContext,
        locale_tag: StoredValue<String>,
        pane_number: u32,
    ) -> Ui {
        Ui {
            text,
            announcer,
            share,
            locale_tag,
            pane_number,
            first_deal_marked: StoredValue::new(false),
        }
    }

    /// An element id unique to this pane.
    pub fn id(&self, suffix: &str) -> String {
        format!("dp{}-{suffix}", self.pane_number)
    }

    /// The BCP 47 tag numbers and dates are formatted for.
    pub fn locale_tag(&self) -> String {
        self.locale_tag.try_get_value().unwrap_or_default()
    }
}

/// Text from Sales (a name, an id) or a formatted amount as its own bidirectional run
/// (`<bdi>`): in a right-to-left pane "Adatum Bank S.A." keeps its period at its end, and an
/// amount's symbol and digits stay together beside the words around them.
pub fn isolated(text: String) -> AnyView {
    view! { <bdi>{text}</bdi> }.into_any()
}

/// Marks [`FIRST_DEAL_MARK`] the first time it runs for this pane; call it from an effect of a
/// rendered card, so the card is in the document.
pub fn mark_first_deal(ui: Ui) {
    let first = ui
        .first_deal_marked
        .try_update_value(|marked| !std::mem::replace(marked, true));
    if first == Some(true) {
        performance::mark(FIRST_DEAL_MARK);
    }
}

/// An attribute (`role`, `aria-controls`, `for`, …), written `{..attr("role", "listbox")}` in a
/// view. All of them with text values share one attribute type in the wasm, while each named
/// one (`role="listbox"`) compiles its own, about 160 B gzip each. Named still: `class`, `id` and
/// `type`, which most elements carry, and the boolean `hidden`, `required` and `disabled`.
pub fn attr<V: AttributeValue>(name: &'static str, value: V) -> CustomAttr<&'static str, V> {
    custom_attribute(name, value)
}

/// An ARIA true/false state's value (`aria-expanded`, `aria-busy`, `aria-selected`).
pub fn aria_flag(on: bool) -> &'static str {
    if on {
        "true"
    } else {
        "false"
    }
}

/// Runs `run` now and again whenever a signal it read changes, for as long as the current
/// reactive owner lives. Every effect goes through here: `Effect::new` compiles the effect
/// machinery once per closure type, this once for all. State kept between runs is a variable the
/// closure captures.
pub fn effect(run: impl FnMut() + 'static) {
    effect_boxed(Box::new(run));
}

fn effect_boxed(mut run: Box<dyn FnMut()>) {
    Effect::new(move |_| run());
}

/// `open`, latched: true from the first time `open` is. What is built when it is first shown (a
/// deal card's body, a share form's fields) is built once and kept, not on every load.
pub fn opened_once(open: RwSignal<bool>) -> RwSignal<bool> {
    let opened = RwSignal::new(open.get_untracked());
    if !opened.get_untracked() {
        effect(move || {
            if open.get() && !opened.get_untracked() {
                opened.set(true);
            }
        });
    }
    opened
}
