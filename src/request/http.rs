//! One GET or one POST: `fetch` with the caller's abort signal and a timeout, whichever fires
//! first, then the retry policy of [`super::retry_delay_ms`] (a GET) or
//! [`super::resend_delay_ms`] (a POST, sent again only with its same `Idempotency-Key`).
//! With sign-in on, every call to the API carries `Authorization: Bearer` from the token
//! provider (`crate::auth::session`), and a 401 renews the token and tries once more.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Request, RequestCache, RequestInit, Response};

use dealpane_contract::IDEMPOTENCY_KEY_HEADER;

use crate::auth::session;

use super::{resend_delay_ms, retry_delay_ms, Failure, FetchError};

/// How to make one GET.
pub struct Get {
    pub accept: &'static str,
    /// Per attempt, body included.
    pub timeout_ms: u32,
    pub cache: RequestCache,
    /// Try again by the policy after a network error or a 429/502/503/504.
    pub retry: bool,
}

/// How to make one POST of a JSON body, a write that happens once per `idempotency_key`.
pub struct Post<'a> {
    pub body: &'a str,
    pub idempotency_key: &'a str,
    /// Per attempt, body included.
    pub timeout_ms: u32,
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
    let attempt = Attempt {
        accept: request.accept,
        timeout_ms: request.timeout_ms,
        cache: request.cache,
        post: None,
    };
    let policy: Policy = if request.retry {
        retry_delay_ms
    } else {
        |_, _| None
    };
    send(url, &attempt, policy, cancel).await
}

/// `POST url` with a JSON body and its `Idempotency-Key`, never cached; sent again (same key)
/// only when [`resend_delay_ms`] says so.
pub async fn post(
    url: &str,
    request: &Post<'_>,
    cancel: &AbortSignal,
) -> Result<Exchange, FetchError> {
    let attempt = Attempt {
        accept: "application/json",
        timeout_ms: request.timeout_ms,
        cache: RequestCache::NoStore,
        post: Some(request),
    };
    send(url, &attempt, resend_delay_ms, cancel).await
}

/// When to try again after a failed attempt (`retries_done`, what failed), or `None`.
type Policy = fn(u32, Failure<'_>) -> Option<u32>;

/// One request as sent: a GET, or a POST with its body and key.
struct Attempt<'a> {
    accept: &'a str,
    timeout_ms: u32,
    cache: RequestCache,
    post: Option<&'a Post<'a>>,
}

/// Attempts until `policy` gives up; `cancel` aborts at any point, also during the pause.
async fn send(
    url: &str,
    attempt: &Attempt<'_>,
    policy: Policy,
    cancel: &AbortSignal,
) -> Result<Exchange, FetchError> {
    let mut retries_done = 0;
    let mut renewed = false;
    loop {
        let (outcome, signed) = match session::bearer_for(url).await {
            Ok(bearer) => (
                send_once(url, attempt, bearer.as_deref(), cancel).await,
                bearer.is_some(),
            ),
            Err(no_token) => (Err(no_token), false),
        };
        // A refused token (expired early, keys rotated): drop it and ask once more; the next
        // round's `bearer_for` renews it, or says why it can't.
        if signed && !renewed && !cancel.aborted() && matches!(&outcome, Ok(e) if e.status == 401) {
            renewed = true;
            session::drop_access_token();
            continue;
        }
        let failure = match &outcome {
            Err(FetchError::Network) => Failure::Network,
            Ok(exchange) if !exchange.is_success() => Failure::Status {
                status: exchange.status,
                retry_after: exchange.retry_after.as_deref(),
            },
            _ => return outcome,
        };
        let Some(delay) = policy(retries_done, failure) else {
            return outcome;
        };
        gloo_timers::future::TimeoutFuture::new(delay).await;
        if cancel.aborted() {
            return Err(FetchError::Aborted);
        }
        retries_done += 1;
    }
}

/// One attempt, aborted by `cancel` or after its `timeout_ms` (body included).
async fn send_once(
    url: &str,
    attempt: &Attempt<'_>,
    bearer: Option<&str>,
    cancel: &AbortSignal,
) -> Result<Exchange, FetchError> {
    let timeout_ms = attempt.timeout_ms;
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
    init.set_method(if attempt.post.is_some() {
        "POST"
    } else {
        "GET"
    });
    init.set_signal(Some(&signal));
    init.set_cache(attempt.cache);
    if let Some(post) = attempt.post {
        init.set_body(&post.body.into());
    }
    let request = Request::new_with_str_and_init(url, &init).map_err(|_| FetchError::Network)?;
    let headers = request.headers();
    let set = |name, value| headers.set(name, value).map_err(|_| FetchError::Network);
    set("Accept", attempt.accept)?;
    if let Some(bearer) = bearer {
        set("Authorization", bearer)?;
    }
    if let Some(post) = attempt.post {
        set("Content-Type", "application/json")?;
        set(IDEMPOTENCY_KEY_HEADER, post.idempotency_key)?;
    }
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
