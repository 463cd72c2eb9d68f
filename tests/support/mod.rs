//! What the browser tests share: a `fetch` fixture that answers inside the page (so the real
//! request code runs, headers and AbortSignal included), a clipboard stub, a mount helper and
//! polling waits.
#![allow(dead_code)]

use std::time::Duration;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

pub mod helpers;

#[wasm_bindgen(inline_js = r#"
let originalFetch = null;
let routes = [];
let requests = [];

function respond(record, reply, signal) {
  return new Promise((resolve, reject) => {
    let timer = null;
    const onAbort = () => {
      record.aborted = true;
      clearTimeout(timer);
      reject(signal.reason ?? new DOMException("The operation was aborted.", "AbortError"));
    };
    if (signal) {
      if (signal.aborted) { onAbort(); return; }
      signal.addEventListener("abort", onAbort, { once: true });
    }
    timer = setTimeout(() => {
      if (signal) signal.removeEventListener("abort", onAbort);
      if (reply.network) { reject(new TypeError("Failed to fetch")); return; }
      const headers = new Headers(reply.headers);
      resolve(new Response(reply.body, { status: reply.status, headers }));
    }, reply.delay);
  });
}

function fixtureFetch(input, init) {
  const isRequest = typeof input !== "string" && !(input instanceof URL);
  const url = isRequest ? input.url : new URL(String(input), document.baseURI).href;
  const headers = new Headers(isRequest ? input.headers : (init && init.headers) || {});
  const signal = (init && init.signal) || (isRequest ? input.signal : null);
  const method = isRequest ? input.method : ((init && init.method) || "GET");
  const record = { url, method, accept: headers.get("accept"), key: headers.get("idempotency-key"),
    authorization: headers.get("authorization"),
    body: null, aborted: false, at: performance.now() };
  requests.push(record);
  if (isRequest && method !== "GET") input.clone().text().then((text) => { record.body = text; });
  // "POST /path" patterns answer that method only, and win over plain ones.
  const route = routes.find((r) => r.pattern.startsWith(method + " ") && url.includes(r.pattern.slice(method.length + 1)))
    ?? routes.find((r) => !/^[A-Z]+ /.test(r.pattern) && url.includes(r.pattern));
  if (!route) {
    return respond(record, { status: 404, headers: { "content-type": "text/plain" }, body: "not here", delay: 0 }, signal);
  }
  const reply = route.replies.length > 1 ? route.replies.shift() : route.replies[0];
  return respond(record, reply, signal);
}

export function fx_install() {
  if (!originalFetch) originalFetch = globalThis.fetch;
  routes = [];
  requests = [];
  globalThis.fetch = fixtureFetch;
}

export function fx_reply(pattern, status, contentType, body, delay, extraHeaders, network) {
  let route = routes.find((r) => r.pattern === pattern);
  if (!route) { route = { pattern, replies: [] }; routes.push(route); }
  const headers = Object.assign({ "content-type": contentType }, JSON.parse(extraHeaders || "{}"));
  route.replies.push({ status, headers, body, delay, network });
}

export function fx_forget(pattern) {
  routes = routes.filter((r) => r.pattern !== pattern);
}

export function fx_requests() {
  return JSON.stringify(requests.map((r) => ({ url: r.url, method: r.method, accept: r.accept,
    key: r.key, body: r.body, aborted: r.aborted, at: r.at, authorization: r.authorization })));
}

let copied = [];
export function clipboard_install(accept) {
  copied = [];
  const writeText = (text) => accept
    ? (copied.push(text), Promise.resolve())
    : Promise.reject(new DOMException("Write permission denied.", "NotAllowedError"));
  Object.defineProperty(navigator, "clipboard", { configurable: true, value: { writeText } });
}
export function clipboard_texts() { return JSON.stringify(copied); }

export function session_storage_clear() { sessionStorage.clear(); }
let storageDescriptor = null;
export function session_storage_refuse(refuse) {
  if (refuse && !storageDescriptor) {
    storageDescriptor = Object.getOwnPropertyDescriptor(window, "sessionStorage");
    Object.defineProperty(window, "sessionStorage", { configurable: true,
      get() { throw new DOMException("The operation is insecure.", "SecurityError"); } });
  } else if (!refuse && storageDescriptor) {
    Object.defineProperty(window, "sessionStorage", storageDescriptor);
    storageDescriptor = null;
  }
}
export function session_storage_get(key) { return sessionStorage.getItem(key); }
export function session_storage_set(key, value) { sessionStorage.setItem(key, value); }

export function set_online(online) {
  Object.defineProperty(navigator, "onLine", { configurable: true, get: () => online });
}
export function fire_window_event(name) { window.dispatchEvent(new Event(name)); }

export function key_down(element, key) {
  const event = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true });
  element.dispatchEvent(event);
  return event.defaultPrevented;
}
export function type_text(element, text) {
  element.value = text;
  element.dispatchEvent(new Event("input", { bubbles: true }));
}
export function iso_seconds_ago(seconds) { return new Date(Date.now() - seconds * 1000).toISOString(); }
export function date_in_days(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
// window.open: null (a blocker), or a stand-in popup that "redirects back" with `code`.
let opened = [];
export function popup_install(blocked, code) {
  opened = [];
  window.open = () => {
    if (blocked) return null;
    const popup = { closed: false, close() { this.closed = true; }, location: {} };
    Object.defineProperty(popup.location, "href", { set(url) {
      opened.push(url);
      const state = new URL(url).searchParams.get("state");
      setTimeout(() => window.postMessage({ code, state }, location.origin), 20);
    } });
    return popup;
  };
}
// A popup whose close the pane sees before the code's message, as on a busy machine: the
// redirect page posts, then closes, and the message is still queued.
export function popup_install_closing_first(code) {
  opened = [];
  window.open = () => {
    const popup = { closed: false, close() {}, location: {} };
    Object.defineProperty(popup.location, "href", { set(url) {
      opened.push(url);
      popup.closed = true;
      const state = new URL(url).searchParams.get("state");
      setTimeout(() => window.postMessage({ code, state }, location.origin), 200);
    } });
    return popup;
  };
}
export function popup_urls() { return JSON.stringify(opened); }
export function mark_count(name) { return performance.getEntriesByName(name, "mark").length; }
export function clear_marks(name) { performance.clearMarks(name); }
export function history_length() { return history.length; }
export function active_element() { return document.activeElement; }
let warnings = null;
export function console_capture() {
  if (!warnings) {
    warnings = [];
    const original = console.warn;
    console.warn = (...args) => { warnings.push(args.join(" ")); original.apply(console, args); };
  }
}
export function console_warnings() { return JSON.stringify(warnings || []); }
"#)]
extern "C" {
    fn fx_install();
    fn fx_forget(pattern: &str);
    fn fx_reply(
        pattern: &str,
        status: u16,
        content_type: &str,
        body: &str,
        delay: u32,
        extra_headers: &str,
        network: bool,
    );
    fn fx_requests() -> String;
    fn clipboard_install(accept: bool);
    fn clipboard_texts() -> String;
    fn set_online(online: bool);
    pub fn session_storage_clear();
    /// Makes `window.sessionStorage` throw a `SecurityError` (as a partitioned iframe's may),
    /// or puts it back.
    pub fn session_storage_refuse(refuse: bool);
    pub fn session_storage_get(key: &str) -> Option<String>;
    pub fn session_storage_set(key: &str, value: &str);
    fn fire_window_event(name: &str);
    fn key_down(element: &Element, key: &str) -> bool;
    fn type_text(element: &Element, text: &str);
    pub fn iso_seconds_ago(seconds: f64) -> String;
    pub fn date_in_days(days: i32) -> String;
    pub fn popup_install(blocked: bool, code: &str);
    pub fn popup_install_closing_first(code: &str);
    fn popup_urls() -> String;
    fn mark_count(name: &str) -> u32;
    fn clear_marks(name: &str);
    fn history_length() -> u32;
    fn active_element() -> Option<Element>;
    fn console_capture();
    fn console_warnings() -> String;
}

pub const DEALS: &str = "/api/DealSummary?";
/// The language files `dist/i18n/` holds (English is compiled in).
pub const LANGUAGE_FILES: [(&str, &str); 4] = [
    ("de", include_str!("../../static/i18n/de.json")),
    ("fr", include_str!("../../static/i18n/fr.json")),
    ("ar", include_str!("../../static/i18n/ar.json")),
    ("he", include_str!("../../static/i18n/he.json")),
];
pub const CUSTOMERS: &str = "/api/customers?";
pub const SUMMARIES: &str = "/api/summaries?";
pub const CONFIG: &str = "config.json";
pub const CUSTOMER_ID: &str = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
pub const QUERY: &str =
    "?customerId=%7B3F2504E0-4F89-11D3-9A0C-0305E82C3301%7D&customerName=Contoso";

/// The page's `fetch`, replaced by a fixture with no routes but the language files (everything
/// else answers 404, so `config.json` is absent and the defaults apply).
pub struct Fixture;

impl Fixture {
    pub fn new() -> Fixture {
        fx_install();
        set_online(true);
        // A pane in another language than English fetches its words, as trunk ships them.
        for (code, words) in LANGUAGE_FILES {
            let pattern = format!("i18n/{code}.json");
            fx_reply(&pattern, 200, "application/json", words, 0, "", false);
        }
        Fixture
    }

    /// Drops the routes for `pattern` (a language file, to answer it otherwise).
    pub fn forget(&self, pattern: &str) -> &Self {
        fx_forget(pattern);
        self
    }

    /// Queues an answer for URLs containing `pattern` (`"POST /path"`: that method only); the
    /// last one repeats.
    pub fn reply(&self, pattern: &str, status: u16, content_type: &str, body: &str) -> &Self {
        fx_reply(pattern, status, content_type, body, 0, "", false);
        self
    }

    pub fn reply_slowly(
        &self,
        pattern: &str,
        delay_ms: u32,
        status: u16,
        content_type: &str,
        body: &str,
    ) -> &Self {
        fx_reply(pattern, status, content_type, body, delay_ms, "", false);
        self
    }

    pub fn reply_with_headers(
        &self,
        pattern: &str,
        status: u16,
        content_type: &str,
        body: &str,
        headers: serde_json::Value,
    ) -> &Self {
        fx_reply(
            pattern,
            status,
            content_type,
            body,
            0,
            &headers.to_string(),
            false,
        );
        self
    }

    /// Queues a network failure (`TypeError: Failed to fetch`).
    pub fn fail_network(&self, pattern: &str) -> &Self {
        fx_reply(pattern, 0, "", "", 0, "", true);
        self
    }

    /// DealSummary answers for the customer Contoso with `deals`.
    pub fn contoso(&self, deals: Vec<serde_json::Value>) -> &Self {
        self.json(DEALS, &answer("Contoso", deals))
    }

    pub fn json(&self, pattern: &str, body: &serde_json::Value) -> &Self {
        self.reply(
            pattern,
            200,
            "application/json; charset=utf-8",
            &body.to_string(),
        )
    }

    pub fn requests(&self) -> Vec<Recorded> {
        serde_json::from_str::<Vec<serde_json::Value>>(&fx_requests())
            .unwrap()
            .into_iter()
            .map(|r| Recorded {
                url: r["url"].as_str().unwrap_or_default().to_owned(),
                accept: r["accept"].as_str().map(str::to_owned),
                method: r["method"].as_str().unwrap_or("GET").to_owned(),
                idempotency_key: r["key"].as_str().map(str::to_owned),
                body: r["body"].as_str().map(str::to_owned),
                aborted: r["aborted"].as_bool().unwrap_or(false),
                at_ms: r["at"].as_f64().unwrap_or(0.0),
                authorization: r["authorization"].as_str().map(str::to_owned),
            })
            .collect()
    }

    pub fn requests_to(&self, pattern: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.url.contains(pattern))
            .collect()
    }

    /// Waits `ms`, then asserts that nothing was asked of `pattern` (`""`: of anything).
    pub async fn assert_nothing_sent_to(&self, pattern: &str, ms: u64) {
        sleep(ms).await;
        let sent = self.requests_to(pattern);
        assert!(
            sent.is_empty(),
            "nothing sent to {pattern:?}, yet: {sent:?}"
        );
    }

    /// The one request to `pattern` (asserts there was exactly one).
    pub fn only_request_to(&self, pattern: &str) -> Recorded {
        let mut sent = self.requests_to(pattern);
        assert_eq!(sent.len(), 1, "one request to {pattern}: {sent:?}");
        sent.remove(0)
    }
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub url: String,
    pub accept: Option<String>,
    pub method: String,
    /// The `Idempotency-Key` header of a write.
    pub idempotency_key: Option<String>,
    /// A write's body (read shortly after it was sent).
    pub body: Option<String>,
    pub aborted: bool,
    pub at_ms: f64,
    /// The `Authorization` header, when signed in.
    pub authorization: Option<String>,
}

/// The authorize URLs the stand-in popup was sent to.
pub fn popup_opened() -> Vec<String> {
    serde_json::from_str(&popup_urls()).unwrap()
}

pub struct Clipboard;

impl Clipboard {
    /// Stubs `navigator.clipboard.writeText`: records when `accept`, rejects otherwise.
    pub fn install(accept: bool) -> Clipboard {
        clipboard_install(accept);
        Clipboard
    }

    pub fn texts(&self) -> Vec<String> {
        serde_json::from_str(&clipboard_texts()).unwrap()
    }
}

pub fn go_offline() {
    set_online(false);
}

pub fn come_back_online() {
    set_online(true);
    fire_window_event("online");
}

/// A pane mounted in its own host element; dropping it unmounts the pane and removes the host.
pub struct Pane {
    pub host: HtmlElement,
    mounted: Option<dealpane::Mounted>,
}

impl Drop for Pane {
    fn drop(&mut self) {
        drop(self.mounted.take());
        self.host.remove();
    }
}

pub fn mount(query: &str) -> Pane {
    let document = document();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let mounted = dealpane::mount_into(host.clone(), query);
    Pane {
        host,
        mounted: Some(mounted),
    }
}

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

impl Pane {
    pub fn find(&self, selector: &str) -> Option<Element> {
        self.host.query_selector(selector).unwrap()
    }

    pub fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.host.query_selector_all(selector).unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|node| node.dyn_into::<Element>().ok())
            .collect()
    }

    pub fn text(&self) -> String {
        self.host.text_content().unwrap_or_default()
    }

    /// The text of the pane's `<h1>`: the customer's name.
    pub fn heading(&self) -> String {
        self.find("h1").unwrap().text_content().unwrap()
    }

    /// Waits until `selector` matches (or panics after two seconds, naming it).
    pub async fn wait_for(&self, selector: &str) -> Element {
        let found = wait_until(|| self.find(selector).is_some(), 2_000).await;
        assert!(
            found,
            "nothing matched {selector} in time; the pane shows: {}",
            self.text()
        );
        self.find(selector).unwrap()
    }

    /// Asserts that the pane's text contains `needle`, showing the text when it does not.
    pub fn assert_shows(&self, needle: &str) {
        let text = self.text();
        assert!(
            text.contains(needle),
            "{needle:?} is not shown; the pane shows: {text}"
        );
    }

    /// Waits until `selector` matches, then asserts that the pane shows `needle`.
    pub async fn shows(&self, selector: &str, needle: &str) {
        self.wait_for(selector).await;
        self.assert_shows(needle);
    }

    /// The live region's `aria-live`: `polite`, or `assertive` while it says an error.
    pub fn live_politeness(&self) -> Option<String> {
        self.live_region().get_attribute("aria-live")
    }

    /// Waits until the pane's text contains `needle`.
    pub async fn wait_for_text(&self, needle: &str) {
        let found = wait_until(|| self.text().contains(needle), 3_000).await;
        assert!(
            found,
            "{needle:?} never appeared; the pane shows: {}",
            self.text()
        );
    }

    /// The first button whose text contains `label`.
    pub fn button(&self, label: &str) -> HtmlElement {
        self.all("button")
            .into_iter()
            .find(|b| b.text_content().unwrap_or_default().contains(label))
            .unwrap_or_else(|| panic!("no button {label:?} in: {}", self.text()))
            .unchecked_into()
    }

    /// Opens the closed deal cards that `cards` selects: a closed card's body (its summary
    /// included) is built when it first opens.
    pub fn open_cards(&self, cards: &str) {
        for toggle in self.all(&format!("{cards} .dp-card__toggle[aria-expanded=false]")) {
            click(&toggle);
        }
    }

    /// Opens every closed deal card, and lets the opened bodies render.
    pub async fn open_all_cards(&self) {
        self.open_cards("article.dp-card");
        sleep(0).await;
    }

    pub fn live_region(&self) -> Element {
        let regions = self.all("[aria-live]");
        assert_eq!(regions.len(), 1, "exactly one live region");
        regions.into_iter().next().unwrap()
    }

    pub fn announced(&self) -> String {
        self.live_region().text_content().unwrap_or_default()
    }
}

pub fn click(element: &Element) {
    element.unchecked_ref::<HtmlElement>().click();
}

/// Dispatches a cancelable `keydown`; true when the pane handled it (`preventDefault`).
pub fn press(element: &Element, key: &str) -> bool {
    key_down(element, key)
}

pub fn type_into(element: &Element, text: &str) {
    type_text(element, text);
}

pub fn first_deal_marks() -> u32 {
    mark_count(dealpane::browser::performance::FIRST_DEAL_MARK)
}

pub fn clear_first_deal_marks() {
    clear_marks(dealpane::browser::performance::FIRST_DEAL_MARK);
}

pub fn history_len() -> u32 {
    history_length()
}

pub fn focused() -> Option<Element> {
    active_element()
}

pub async fn sleep(ms: u64) {
    gloo_timers::future::sleep(Duration::from_millis(ms)).await;
}

/// Lets Leptos apply the DOM updates an event scheduled (its effects run asynchronously).
pub async fn settle() {
    sleep(30).await;
}

/// Polls `condition` every 20 ms for up to `timeout_ms`; true when it held.
pub async fn wait_until(condition: impl Fn() -> bool, timeout_ms: u64) -> bool {
    let mut waited = 0;
    loop {
        if condition() {
            return true;
        }
        if waited >= timeout_ms {
            return false;
        }
        sleep(20).await;
        waited += 20;
    }
}

/// Records `console.warn` from now on, for the rest of the page's life (as the pane's "once per
/// session" is).
pub fn capture_console_warnings() {
    console_capture();
}

/// Every `console.warn` since [`capture_console_warnings`].
pub fn console_warnings_logged() -> Vec<String> {
    serde_json::from_str(&console_warnings()).unwrap()
}

/// The id [`deal`] gives the deal `id_tail`.
pub fn deal_id(id_tail: u32) -> String {
    format!("9b1deb4d-3b7d-4bad-9bdd-{id_tail:012x}")
}

/// A contract-shaped deal; tweak the JSON per test.
pub fn deal(id_tail: u32, name: &str, amount: f64, stage: &str) -> serde_json::Value {
    serde_json::json!({
        "id": deal_id(id_tail),
        "name": name,
        "status": "open",
        "stage": stage,
        "value": {"amount": amount, "currency": "USD"},
        "probability": 50,
        "closeDate": date_in_days(12),
        "owner": "Alex Wu",
        "forecastCategory": "bestCase",
        "summary": {"state": "ready", "text": format!("Summary of {name}."), "generatedAt": "2026-11-22T07:30:00Z"},
        "link": format!("https://org.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=opportunity&id={id_tail}"),
        "modifiedOn": "2026-11-18T10:00:00Z"
    })
}

pub fn answer(customer_name: &str, deals: Vec<serde_json::Value>) -> serde_json::Value {
    serde_json::json!({
        "customer": {"id": CUSTOMER_ID, "name": customer_name, "type": "account", "matchedBy": "id"},
        "deals": deals,
        "source": "embedded",
        "generatedAt": iso_seconds_ago(150.0)
    })
}

pub fn problem(status: u16, title: &str, detail: &str, trace_id: &str) -> String {
    serde_json::json!({"type": "about:blank", "title": title, "status": status,
        "detail": detail, "traceId": trace_id})
    .to_string()
}
