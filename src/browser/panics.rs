//! Panics, in the browser's console. Without a hook a panic on wasm32-unknown-unknown prints
//! nothing: the wasm stops at an `unreachable` trap whose stack the console shows, but not why.

/// Sends each panic's message and place to `console.error`. The trap after it carries the stack,
/// so the message needs none of its own (console_error_panic_hook adds one, and ~1 KB of wasm).
pub fn report_to_console() {
    std::panic::set_hook(Box::new(|panic| {
        leptos::logging::error!("{panic}");
    }));
}
