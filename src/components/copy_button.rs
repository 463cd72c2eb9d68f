//! A button that copies a text, shows "Copied" beside itself and announces it; when the browser
//! refuses, it shows the text selected in a read-only field and asks for Ctrl+C instead.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;

use super::{attr, Ui};
use crate::browser::clipboard;

/// How long "Copied" stays visible.
const CONFIRMATION_MS: u64 = 3_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum CopyState {
    Idle,
    Copied,
    /// The Clipboard API refused: the text waits, selected, in a field.
    Fallback,
}

/// `label` is the button's visible name; `text` is what lands on the clipboard.
pub fn copy_button(ui: Ui, label: &'static str, text: String) -> AnyView {
    let s = ui.text;
    let announcer = ui.announcer;
    let state = RwSignal::new(CopyState::Idle);
    let field_id = ui.id(&format!("copy-{}", next_copy_id()));
    let field_text = text.clone();

    let copy = {
        let field_id = field_id.clone();
        move |_| {
            let text = text.clone();
            let field_id = field_id.clone();
            spawn_local(async move {
                match clipboard::write_text(&text).await {
                    Ok(()) => {
                        let _ = state.try_set(CopyState::Copied);
                        announcer.polite(s.copied);
                        set_timeout(
                            move || {
                                if state.try_get_untracked() == Some(CopyState::Copied) {
                                    let _ = state.try_set(CopyState::Idle);
                                }
                            },
                            Duration::from_millis(CONFIRMATION_MS),
                        );
                    }
                    Err(_) => {
                        let _ = state.try_set(CopyState::Fallback);
                        announcer.polite(s.copy_fallback);
                        // The field is drawn before the next task: select it then.
                        set_timeout(move || select_field(&field_id), Duration::ZERO);
                    }
                }
            });
        }
    };

    view! {
        <span class="dp-copy">
            <button type="button" class="dp-button dp-button--subtle" on:click=copy>
                {label}
            </button>
            {move || match state.get() {
                CopyState::Idle => None,
                CopyState::Copied => Some(view! {
                    <span class="dp-copy__done">
                        <span {..attr("aria-hidden", "true")}>"✓ "</span>
                        {s.copied}
                    </span>
                }
                .into_any()),
                CopyState::Fallback => Some(view! {
                    <span class="dp-copy__fallback">
                        <label class="dp-copy__hint" {..attr("for", field_id.clone())}>{s.copy_fallback}</label>
                        <textarea id=field_id.clone() class="dp-copy__field" {..attr("readonly", "")} {..attr("rows", "2")}>
                            {field_text.clone()}
                        </textarea>
                    </span>
                }
                .into_any()),
            }}
        </span>
    }
    .into_any()
}

/// Focuses the fallback field and selects its text, so Ctrl+C is all that is left.
fn select_field(id: &str) {
    let field = document()
        .get_element_by_id(id)
        .and_then(|element| element.dyn_into::<HtmlTextAreaElement>().ok());
    if let Some(field) = field {
        let _ = field.focus();
        field.select();
    }
}

/// A per-document counter for the fallback fields' ids.
fn next_copy_id() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
