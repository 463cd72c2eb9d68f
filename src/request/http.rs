//! One GET: `fetch` with the caller's abort signal and a timeout, whichever fires first, then
//! the retry policy of [`super::retry_delay_ms`].

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Request, RequestCache, RequestInit, Response};

use super::{retry_delay_ms, Failure, FetchError};

/// How to make one GET.
pub struct Get {
    pub accept: &'static str,
    /// Per attempt, body included.
    pub timeout_ms: u32,
    pub cache: RequestCache,
    /// Try again by the policy after a network error or a 429/502/503/504.
    pub retry: bool,
}

/// The part of an HTTP answer the interpreters need.
pub struct Exchange {
    pub status: u16,
    pub content_type: Option<String>,
    pub retry_after: Option<String>,
    pub body: String,
}

impl Exchange {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// `GET url`, retried when `request.retry` says so; `cancel` aborts it at any point, also
/// during the pause before a retry.
pub async fn get(url: &str, request: &Get, cancel: &AbortSignal) -> Result<Exchange, FetchError> {
    let mut retries_done = 0;
    loop {
        let outcome = get_once(url, request, cancel).await;
        let failure = match &outcome {
            _ if !request.retry => return outcome,
            Err(FetchError::Network) => Failure::Network,
            Ok(exchange) if !exchange.is_success() => Failure::Status {
                status: exchange.status,
                retry_after: exchange.retry_after.as_deref(),
            },
            _ => return outcome,
        };
        let Some(delay) = retry_delay_ms(retries_done, failure) else {
            return outcome;
        };
        gloo_timers::future::TimeoutFuture::new(delay).await;
        if cancel.aborted() {
            return Err(FetchError::Aborted);
        }
        retries_done += 1;
    }
}

/// One attempt, aborted by `cancel` or after `get.timeout_ms` (body included).
async fn get_once(url: &str, get: &Get, cancel: &AbortSignal) -> Result<Exchange, FetchError> {
    let timeout_ms = get.timeout_ms;
    if cancel.aborted() {
        return Err(FetchError::Aborted);
    }
    let signals = js_sys::Array::of2(cancel, &AbortSignal::timeout_with_u32(timeout_ms));
    let signal = AbortSignal::any(&signals);
    let why = |_| {
        if cancel.aborted() {
            FetchError::Aborted
        } else if signal.aborted() {
            FetchError::TimedOut {
                after_ms: timeout_ms,
            }
        } else {
            FetchError::Network
        }
    };
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_signal(Some(&signal));
    init.set_cache(get.cache);
    let request = Request::new_with_str_and_init(url, &init).map_err(|_| FetchError::Network)?;
    request
        .headers()
        .set("Accept", get.accept)
        .map_err(|_| FetchError::Network)?;
    let window = web_sys::window().ok_or(FetchError::Network)?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(why)?
        .unchecked_into();
    let headers = response.headers();
    let content_type = headers.get("content-type").ok().flatten();
    let retry_after = headers.get("retry-after").ok().flatten();
    let status = response.status();
    let text = response.text().map_err(why)?;
    let body = JsFuture::from(text)
        .await
        .map_err(why)?
        .as_string()
        .unwrap_or_default();
    Ok(Exchange {
        status,
        content_type,
        retry_after,
        body,
    })
}
