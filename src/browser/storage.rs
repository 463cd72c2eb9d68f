//! `sessionStorage`, for drafts that must survive the workspace's tab reloads. In a cross-site
//! iframe it is partitioned and may be refused (a `SecurityError` on access, a full quota): every
//! call then says so instead of throwing, and the caller keeps its state in memory.

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// `sessionStorage.<method>(...args)`; `Err` when storage is missing or refused. Called through
/// `Reflect` so the widget needs no more `web-sys` bindings than it has.
fn call(method: &str, args: &[&str]) -> Result<JsValue, JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    // A refused storage throws on the property access itself.
    let storage = Reflect::get(&window, &"sessionStorage".into())?;
    if storage.is_null() || storage.is_undefined() {
        return Err(JsValue::NULL);
    }
    let function: Function = Reflect::get(&storage, &method.into())?.dyn_into()?;
    let args: Array = args.iter().map(|a| JsValue::from_str(a)).collect();
    function.apply(&storage, &args)
}

/// Whether a write is accepted now (storage present, allowed, not full).
pub fn available() -> bool {
    const PROBE: &str = "dealpane:probe";
    set(PROBE, "1") && call("removeItem", &[PROBE]).is_ok()
}

pub fn get(key: &str) -> Option<String> {
    call("getItem", &[key]).ok()?.as_string()
}

/// False when the browser refused to keep it.
pub fn set(key: &str, value: &str) -> bool {
    call("setItem", &[key, value]).is_ok()
}

pub fn remove(key: &str) {
    let _ = call("removeItem", &[key]);
}

/// A fresh idempotency key: `crypto.randomUUID()` (secure contexts), else a time-and-random
/// one; both are visible ASCII, well under the 100 characters the server takes.
pub fn new_key() -> String {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).ok();
    let uuid = crypto.and_then(|crypto| {
        let random: Function = Reflect::get(&crypto, &"randomUUID".into())
            .ok()?
            .dyn_into()
            .ok()?;
        random.call0(&crypto).ok()?.as_string()
    });
    uuid.unwrap_or_else(|| {
        let random = (js_sys::Math::random() * 1e15) as u64;
        format!("dp-{}-{random:x}", js_sys::Date::now() as u64)
    })
}

/// `JSON.stringify` of an object of string fields (a `None` is left out): drafts and the
/// share bodies are flat records, and the browser's JSON writes them without a serializer in
/// the wasm.
pub fn to_json(fields: &[(&str, Option<&str>)]) -> String {
    let object = js_sys::Object::new();
    for (name, value) in fields {
        if let Some(value) = value {
            let _ = Reflect::set(&object, &(*name).into(), &(*value).into());
        }
    }
    js_sys::JSON::stringify(&object)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// The string fields `names` of a JSON object (`JSON.parse`), each `None` when absent or not a
/// string; `None` for text that is not a JSON object.
pub fn from_json(json: &str, names: &[&str]) -> Option<Vec<Option<String>>> {
    let object = js_sys::JSON::parse(json).ok().filter(|v| v.is_object())?;
    Some(
        names
            .iter()
            .map(|name| Reflect::get(&object, &(*name).into()).ok()?.as_string())
            .collect(),
    )
}
