//! Copying text: the Clipboard API when the host allows it, else the caller's fallback (select
//! the text in a visible field and ask for Ctrl+C). A cross-origin iframe without
//! `allow="clipboard-write"` refuses `writeText`.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Writes `text` with `navigator.clipboard.writeText`; `Err` when there is no Clipboard API or the
/// browser refused.
pub async fn write_text(text: &str) -> Result<(), JsValue> {
    let navigator = web_sys::window().ok_or(JsValue::NULL)?.navigator();
    let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())?;
    if clipboard.is_undefined() || clipboard.is_null() {
        return Err(JsValue::NULL);
    }
    let clipboard: web_sys::Clipboard = clipboard.unchecked_into();
    JsFuture::from(clipboard.write_text(text)).await.map(|_| ())
}
