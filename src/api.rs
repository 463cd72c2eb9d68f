//! Talking to the backend: `config.json`, `GET {apiBase}/DealSummary` and `GET {apiBase}/customers`.
//!
//! The decisions (what to retry, how long to wait, what an answer means) are plain functions,
//! tested natively; the fetching (wasm only) wires them to `fetch` with an `AbortSignal` that
//! fires on the caller's cancel (a new context, Refresh) or on the timeout, whichever comes first.

use dealpane_contract::{CustomerList, DealSummaryResponse, Problem};

/// What DealSummary's `Accept` says: the structured answer, but a sample-style function that
/// only speaks text is fine too.
pub const DEALS_ACCEPT: &str = "application/json, text/plain;q=0.5";

/// How many times a failed request is tried again.
pub const MAX_RETRIES: u32 = 1;
/// The pause before retrying a network error or a 502/503/504.
pub const RETRY_BACKOFF_MS: u32 = 600;
/// The longest `Retry-After` a 429 makes the widget wait; a longer one fails at once.
pub const RETRY_AFTER_CAP_MS: u32 = 10_000;

/// What a successful DealSummary call said.
#[derive(Debug, Clone, PartialEq)]
pub enum DealsAnswer {
    /// The JSON answer of the contract.
    Deals(DealSummaryResponse),
    /// A `text/plain` answer: the top deal's summary, as the sample function returns it.
    Text(String),
}

/// Why a call produced no answer to show.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server explained itself with `application/problem+json`.
    Problem(Box<Problem>),
    /// An HTTP error without a problem body (a proxy's HTML page, say).
    Status(u16),
    /// A success status whose body does not follow the contract.
    Malformed(String),
    /// No answer within the configured time; the request was aborted.
    TimedOut { after_ms: u32 },
    /// The request never got an answer: offline, DNS, CORS, a dropped connection.
    Network,
    /// The caller cancelled it (a newer request replaced it): nothing to show.
    Aborted,
}

impl ApiError {
    /// The trace id the agent can quote to an admin, when the server sent one.
    pub fn trace_id(&self) -> Option<&str> {
        match self {
            ApiError::Problem(problem) => problem.trace_id.as_deref(),
            _ => None,
        }
    }

    /// True when the customer does not exist in Sales (a state of its own, not an error).
    pub fn is_not_found(&self) -> bool {
        matches!(self, ApiError::Problem(p) if p.status == 404)
    }
}

/// A failed attempt, as the retry policy sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure<'a> {
    Network,
    Status {
        status: u16,
        retry_after: Option<&'a str>,
    },
}

/// How long to wait before trying again, or `None` to give up. `retries_done` counts the retries
/// already made. Network errors and 502/503/504 get one retry after a short backoff; a 429 gets
/// one retry after its `Retry-After` (seconds), when that is at most [`RETRY_AFTER_CAP_MS`].
pub fn retry_delay_ms(retries_done: u32, failure: Failure<'_>) -> Option<u32> {
    if retries_done >= MAX_RETRIES {
        return None;
    }
    match failure {
        Failure::Network => Some(RETRY_BACKOFF_MS),
        Failure::Status {
            status: 502..=504, ..
        } => Some(RETRY_BACKOFF_MS),
        Failure::Status {
            status: 429,
            retry_after,
        } => match retry_after.map(parse_retry_after_ms) {
            // Absent or an HTTP date: a short pause is the polite guess.
            None | Some(None) => Some(RETRY_BACKOFF_MS),
            Some(Some(ms)) if ms <= RETRY_AFTER_CAP_MS => Some(ms),
            Some(Some(_)) => None,
        },
        Failure::Status { .. } => None,
    }
}

/// `Retry-After` as delay-seconds (`"3"`, `"0.5"` from lenient servers), in milliseconds.
/// Read by hand, digits and one dot: a float parser would weigh more than the rest of this file.
pub fn parse_retry_after_ms(value: &str) -> Option<u32> {
    let (whole, fraction) = value.trim().split_once('.').unwrap_or((value.trim(), ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !digits(whole) || !digits(fraction) {
        return None;
    }
    let seconds = whole.bytes().fold(0_u64, |n, b| {
        n.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    });
    // Milliseconds from the first three fraction digits, the rest truncated.
    let millis =
        (fraction.bytes().chain(*b"000").take(3)).fold(0_u64, |n, b| n * 10 + u64::from(b - b'0'));
    let total = seconds.saturating_mul(1000).saturating_add(millis);
    Some(u32::try_from(total).unwrap_or(u32::MAX))
}

/// The kind of body a `Content-Type` announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Problem,
    Json,
    Text,
}

pub fn body_kind(content_type: Option<&str>) -> BodyKind {
    let essence = content_type
        .and_then(|value| value.split(';').next())
        .map(|value| value.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if essence == Problem::MEDIA_TYPE {
        BodyKind::Problem
    } else if essence == "application/json" || essence.ends_with("+json") {
        BodyKind::Json
    } else {
        BodyKind::Text
    }
}

/// What a finished HTTP exchange means for the deals view.
pub fn interpret_deals(
    status: u16,
    content_type: Option<&str>,
    body: &str,
) -> Result<DealsAnswer, ApiError> {
    let kind = body_kind(content_type);
    if !(200..300).contains(&status) {
        return Err(problem_of(status, kind, body));
    }
    match kind {
        BodyKind::Json | BodyKind::Problem => serde_json::from_str(body)
            .map(DealsAnswer::Deals)
            .map_err(|e| ApiError::Malformed(e.to_string())),
        BodyKind::Text => Ok(DealsAnswer::Text(body.to_owned())),
    }
}

/// What a finished HTTP exchange means for the customer picker.
pub fn interpret_customers(
    status: u16,
    content_type: Option<&str>,
    body: &str,
) -> Result<CustomerList, ApiError> {
    let kind = body_kind(content_type);
    if !(200..300).contains(&status) {
        return Err(problem_of(status, kind, body));
    }
    serde_json::from_str(body).map_err(|e| ApiError::Malformed(e.to_string()))
}

/// An error status's problem body, when it has a readable one (some servers label it plain JSON).
fn problem_of(status: u16, kind: BodyKind, body: &str) -> ApiError {
    if kind == BodyKind::Text {
        return ApiError::Status(status);
    }
    // The HTTP status is the truth; a body may omit or misstate it.
    let Ok(serde_json::Value::Object(mut fields)) = serde_json::from_str(body) else {
        return ApiError::Status(status);
    };
    fields.insert("status".to_owned(), status.into());
    match serde_json::from_value::<Problem>(fields.into()) {
        Ok(problem) => ApiError::Problem(Box::new(problem)),
        Err(_) => ApiError::Status(status),
    }
}

/// The DealSummary path under `apiBase` for a customer's `api_query()`.
pub fn deal_summary_path(query: &str) -> String {
    format!("DealSummary?{query}")
}

/// The picker's path under `apiBase`: `customers?q=…&top=…`.
pub fn customers_path(search: &str, top: u8) -> String {
    format!(
        "customers?q={}&top={top}",
        crate::context::encode_component(search.trim())
    )
}

#[cfg(target_arch = "wasm32")]
pub use fetching::*;

#[cfg(target_arch = "wasm32")]
mod fetching {
    use super::*;
    use crate::config::{parse_config, ConfigError, WidgetConfig, DEFAULT_TIMEOUT_MS};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{AbortSignal, Request, RequestCache, RequestInit, Response};

    /// The part of an HTTP answer the interpreters need.
    struct Exchange {
        status: u16,
        content_type: Option<String>,
        retry_after: Option<String>,
        body: String,
    }

    /// `GET {apiBase}/DealSummary?{query}` with retries; `cancel` aborts it at any point.
    /// A tab reload may take the browser's cached answer (the server allows 60 s); `fresh`
    /// (Refresh, Retry) revalidates with the server, which costs a 304 when nothing changed.
    pub async fn fetch_deals(
        config: &WidgetConfig,
        query: &str,
        fresh: bool,
        cancel: &AbortSignal,
    ) -> Result<DealsAnswer, ApiError> {
        let url = config.endpoint(&deal_summary_path(query));
        let request = Get {
            accept: DEALS_ACCEPT,
            timeout_ms: config.request_timeout_ms,
            cache: if fresh {
                RequestCache::NoCache
            } else {
                RequestCache::Default
            },
        };
        let exchange = get_with_retry(&url, &request, cancel).await?;
        interpret_deals(
            exchange.status,
            exchange.content_type.as_deref(),
            &exchange.body,
        )
    }

    /// `GET {apiBase}/customers?q=…&top=…`; `cancel` aborts it (the next keystroke does).
    pub async fn fetch_customers(
        config: &WidgetConfig,
        search: &str,
        top: u8,
        cancel: &AbortSignal,
    ) -> Result<CustomerList, ApiError> {
        let url = config.endpoint(&customers_path(search, top));
        let request = Get {
            accept: "application/json",
            timeout_ms: config.request_timeout_ms,
            cache: RequestCache::Default,
        };
        let exchange = get_with_retry(&url, &request, cancel).await?;
        interpret_customers(
            exchange.status,
            exchange.content_type.as_deref(),
            &exchange.body,
        )
    }

    /// `config.json` beside the page (relative to the document). None there (a 404, any other
    /// failure to get it) means the defaults; a file that is there but wrong is an error to show.
    pub async fn fetch_config() -> Result<WidgetConfig, ConfigError> {
        let Ok(controller) = web_sys::AbortController::new() else {
            return Ok(WidgetConfig::default());
        };
        let request = Get {
            accept: "application/json",
            timeout_ms: DEFAULT_TIMEOUT_MS,
            cache: RequestCache::Default,
        };
        let fetched = get_once("config.json", &request, &controller.signal()).await;
        match fetched {
            Ok(exchange) if (200..300).contains(&exchange.status) => parse_config(&exchange.body),
            _ => Ok(WidgetConfig::default()),
        }
    }

    /// How to make one GET.
    struct Get {
        accept: &'static str,
        timeout_ms: u32,
        cache: RequestCache,
    }

    async fn get_with_retry(
        url: &str,
        request: &Get,
        cancel: &AbortSignal,
    ) -> Result<Exchange, ApiError> {
        let mut retries_done = 0;
        loop {
            let outcome = get_once(url, request, cancel).await;
            let failure = match &outcome {
                Err(ApiError::Network) => Failure::Network,
                Ok(exchange) if !(200..300).contains(&exchange.status) => Failure::Status {
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
                return Err(ApiError::Aborted);
            }
            retries_done += 1;
        }
    }

    /// One request, aborted by `cancel` or after `timeout_ms` (body included).
    async fn get_once(url: &str, get: &Get, cancel: &AbortSignal) -> Result<Exchange, ApiError> {
        let timeout_ms = get.timeout_ms;
        if cancel.aborted() {
            return Err(ApiError::Aborted);
        }
        let signals = js_sys::Array::of2(cancel, &AbortSignal::timeout_with_u32(timeout_ms));
        let signal = AbortSignal::any(&signals);
        let why = |_| {
            if cancel.aborted() {
                ApiError::Aborted
            } else if signal.aborted() {
                ApiError::TimedOut {
                    after_ms: timeout_ms,
                }
            } else {
                ApiError::Network
            }
        };
        let init = RequestInit::new();
        init.set_method("GET");
        init.set_signal(Some(&signal));
        init.set_cache(get.cache);
        let request = Request::new_with_str_and_init(url, &init).map_err(|_| ApiError::Network)?;
        request
            .headers()
            .set("Accept", get.accept)
            .map_err(|_| ApiError::Network)?;
        let window = web_sys::window().ok_or(ApiError::Network)?;
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

    /// Whether the browser believes it is online (`navigator.onLine`).
    pub fn browser_online() -> bool {
        web_sys::window()
            .map(|w| w.navigator().on_line())
            .unwrap_or(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_errors_and_gateway_failures_are_retried_once() {
        for failure in [
            Failure::Network,
            Failure::Status {
                status: 502,
                retry_after: None,
            },
            Failure::Status {
                status: 503,
                retry_after: Some("1"),
            },
            Failure::Status {
                status: 504,
                retry_after: None,
            },
        ] {
            assert_eq!(
                retry_delay_ms(0, failure),
                Some(RETRY_BACKOFF_MS),
                "{failure:?}"
            );
            assert_eq!(retry_delay_ms(1, failure), None, "{failure:?}");
        }
    }

    #[test]
    fn other_statuses_are_not_retried() {
        for status in [400, 401, 403, 404, 500, 501] {
            let failure = Failure::Status {
                status,
                retry_after: None,
            };
            assert_eq!(retry_delay_ms(0, failure), None, "{status}");
        }
    }

    #[test]
    fn too_many_requests_waits_for_retry_after_up_to_the_cap() {
        let after = |value| Failure::Status {
            status: 429,
            retry_after: value,
        };
        assert_eq!(retry_delay_ms(0, after(Some("2"))), Some(2_000));
        assert_eq!(retry_delay_ms(0, after(Some(" 0.25 "))), Some(250));
        assert_eq!(retry_delay_ms(0, after(Some("10"))), Some(10_000));
        assert_eq!(retry_delay_ms(0, after(Some("11"))), None, "over the cap");
        assert_eq!(retry_delay_ms(0, after(None)), Some(RETRY_BACKOFF_MS));
        assert_eq!(
            retry_delay_ms(0, after(Some("Wed, 21 Oct 2026 07:28:00 GMT"))),
            Some(RETRY_BACKOFF_MS)
        );
        assert_eq!(retry_delay_ms(1, after(Some("1"))), None, "only once");
        assert_eq!(parse_retry_after_ms("-1"), None);
        assert_eq!(parse_retry_after_ms("NaN"), None);
        assert_eq!(parse_retry_after_ms("1.5"), Some(1_500));
        assert_eq!(parse_retry_after_ms(".5"), Some(500));
        assert_eq!(parse_retry_after_ms("7."), Some(7_000));
        assert_eq!(parse_retry_after_ms("0.0019"), Some(1));
        assert_eq!(parse_retry_after_ms("99999999999"), Some(u32::MAX));
        assert_eq!(parse_retry_after_ms("."), None);
        assert_eq!(parse_retry_after_ms("1.2.3"), None);
        assert_eq!(parse_retry_after_ms(""), None);
    }

    #[test]
    fn content_types_pick_the_interpretation() {
        assert_eq!(
            body_kind(Some("application/json; charset=utf-8")),
            BodyKind::Json
        );
        assert_eq!(
            body_kind(Some("Application/Problem+JSON")),
            BodyKind::Problem
        );
        assert_eq!(body_kind(Some("application/vnd.api+json")), BodyKind::Json);
        assert_eq!(body_kind(Some("text/plain; charset=utf-8")), BodyKind::Text);
        assert_eq!(body_kind(None), BodyKind::Text);
    }

    const ANSWER: &str = r#"{"customer": {"id": "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        "name": "Contoso", "type": "account", "matchedBy": "id"}, "deals": [],
        "source": "embedded", "generatedAt": "2026-11-22T07:30:00Z"}"#;

    #[test]
    fn a_json_answer_is_deals_and_a_text_answer_is_one_summary() {
        match interpret_deals(200, Some("application/json"), ANSWER) {
            Ok(DealsAnswer::Deals(answer)) => {
                assert_eq!(answer.customer.name.as_deref(), Some("Contoso"))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            interpret_deals(
                200,
                Some("text/plain; charset=utf-8"),
                "Top deal: espresso."
            ),
            Ok(DealsAnswer::Text("Top deal: espresso.".into()))
        );
        assert!(matches!(
            interpret_deals(200, Some("application/json"), "{\"deals\": 3}"),
            Err(ApiError::Malformed(_))
        ));
    }

    #[test]
    fn error_statuses_carry_their_problem_and_trace_id() {
        let body = r#"{"type": "about:blank", "title": "Customer not found", "status": 404,
            "detail": "No account named X.", "traceId": "00-abc-01"}"#;
        let error = interpret_deals(404, Some("application/problem+json"), body).unwrap_err();
        assert!(error.is_not_found());
        assert_eq!(error.trace_id(), Some("00-abc-01"));

        let relabelled = r#"{"title": "Upstream failed"}"#;
        let error = interpret_deals(502, Some("application/json"), relabelled).unwrap_err();
        match error {
            ApiError::Problem(problem) => assert_eq!(
                (problem.status, problem.title.as_str()),
                (502, "Upstream failed")
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            interpret_deals(500, Some("text/html"), "<h1>oops</h1>"),
            Err(ApiError::Status(500))
        );
        assert_eq!(
            interpret_customers(503, Some("application/problem+json"), "not json"),
            Err(ApiError::Status(503))
        );
    }

    #[test]
    fn paths_carry_the_query_and_encode_the_search() {
        assert_eq!(
            deal_summary_path("customerId=1"),
            "DealSummary?customerId=1"
        );
        assert_eq!(
            customers_path(" Café & Co ", 8),
            "customers?q=Caf%C3%A9%20%26%20Co&top=8"
        );
    }
}
