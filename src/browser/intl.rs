//! Locale-aware wording through the browser's `Intl`. Every function falls back to a plain
//! rendering instead of throwing when the browser refuses a locale or currency.

use std::cell::RefCell;

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::format::{parse_date, CivilDate};

/// Today in the agent's time zone, for [`crate::format::days_until`].
pub fn today_local() -> CivilDate {
    let now = js_sys::Date::new_0();
    (
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
}

/// Now as Unix seconds, for `relative_age(now - parse_timestamp(..))`.
pub fn now_unix_seconds() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

fn set(options: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(options, &key.into(), &value.into());
}

thread_local! {
    /// Formatters made so far, by `kind|locale|options`. Building an `Intl` formatter costs far
    /// more than using one (measured: most of the script time between the deals arriving and
    /// the first card, when each card built its own), and a pane uses a handful.
    static FORMATTERS: RefCell<Vec<(String, Option<Object>)>> = const { RefCell::new(Vec::new()) };
}

/// `new Intl.<kind>([locale], options)` with `options` as `(name, value)` pairs, made once per
/// pane and kept; an invalid locale or option is `None` (also kept).
fn formatter(kind: &str, locale: &str, options: &[(&str, JsValue)]) -> Option<Object> {
    let mut key = format!("{kind}|{locale}");
    for (name, value) in options {
        key.push('|');
        key.push_str(name);
        key.push('=');
        key.push_str(
            &value
                .as_string()
                .unwrap_or_else(|| plain_number(value.as_f64().unwrap_or(0.0))),
        );
    }
    if let Some(made) =
        FORMATTERS.with_borrow(|made| made.iter().find(|(k, _)| *k == key).map(|(_, f)| f.clone()))
    {
        return made;
    }
    let object = Object::new();
    for (name, value) in options {
        set(&object, name, value.clone());
    }
    let made = construct(kind, locale, &object);
    FORMATTERS.with_borrow_mut(|made_so_far| made_so_far.push((key, made.clone())));
    made
}

/// `new Intl.<kind>([locale], options)`, caught.
fn construct(kind: &str, locale: &str, options: &Object) -> Option<Object> {
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let constructor: Function = Reflect::get(&intl, &kind.into()).ok()?.dyn_into().ok()?;
    let args = Array::of2(&Array::of1(&locale.into()), options);
    Reflect::construct(&constructor, &args)
        .ok()?
        .dyn_into()
        .ok()
}

fn call_format(formatter: &Object, args: &[JsValue]) -> Option<String> {
    let format: Function = Reflect::get(formatter, &"format".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let result = match args {
        [a] => format.call1(formatter, a),
        [a, b] => format.call2(formatter, a, b),
        _ => return None,
    };
    result.ok()?.as_string()
}

/// `250000.5` → `"250000.5"` through JS `Number.prototype.toString`: Rust's own float
/// printing would add its shortest-digits machinery to the bundle for a fallback.
fn plain_number(amount: f64) -> String {
    js_sys::Number::from(amount)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}

fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic())
}

/// Makes a card's number and date formatters while the pane waits for its deals, so they are
/// not made after the deals arrive, before the first card. A page's first `Intl` formatter
/// loads ICU's data (12-15 ms in a fresh Chromium renderer): index.html pays that while the wasm
/// downloads, and this then costs about 2 ms. Other currencies' formatters are cheap once the
/// data is in.
pub fn prepare(locale: &str) {
    let _ = format_percent(0, locale);
    let _ = format_date("2000-01-01", locale);
}

/// `250000, "USD", "en-US"` → `$250,000` (no cents for whole amounts).
pub fn format_money(amount: f64, currency: &str, locale: &str) -> String {
    let mut options: Vec<(&str, JsValue)> = Vec::new();
    if is_currency_code(currency) {
        options.push(("style", "currency".into()));
        options.push(("currency", currency.into()));
        options.push(("currencyDisplay", "symbol".into()));
    }
    if amount.fract() == 0.0 {
        // Both bounds: older engines refuse a maximum below the currency's default minimum.
        options.push(("minimumFractionDigits", 0.into()));
        options.push(("maximumFractionDigits", 0.into()));
    }
    let formatted =
        formatter("NumberFormat", locale, &options).and_then(|f| call_format(&f, &[amount.into()]));
    match formatted {
        Some(text) if is_currency_code(currency) => text,
        Some(text) => format!("{text} {currency}"),
        None => format!("{} {currency}", plain_number(amount)),
    }
}

/// A probability 0-100 → `70%` / `70 %`.
pub fn format_percent(probability: u8, locale: &str) -> String {
    formatter("NumberFormat", locale, &[("style", "percent".into())])
        .and_then(|f| call_format(&f, &[(f64::from(probability) / 100.0).into()]))
        .unwrap_or_else(|| format!("{probability}%"))
}

/// `2026-12-15` → `Dec 15, 2026` / `15.12.2026`; an unreadable date is returned as given.
pub fn format_date(iso: &str, locale: &str) -> String {
    let Some((year, month, day)) = parse_date(iso) else {
        return iso.to_owned();
    };
    // Local midnight of that civil date, formatted in the local zone: the same date back.
    let date = js_sys::Date::new_with_year_month_day(year as u32, month as i32 - 1, day as i32);
    formatter("DateTimeFormat", locale, &[("dateStyle", "medium".into())])
        .and_then(|f| call_format(&f, &[date.into()]))
        .unwrap_or_else(|| iso.to_owned())
}
