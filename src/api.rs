//! Talking to the backend: `config.json`, `GET {apiBase}/DealSummary`, `GET {apiBase}/customers`
//! and the summaries long-poll (`summaries.rs`).
//!
//! What an answer means is plain functions, tested natively; the fetching (wasm only) names
//! each call's URL, `Accept` and cache mode and leaves the rest (abort, timeout, retry) to
//! `crate::request`.
//!
//! A tolerant reader: fields the pane does not know are ignored, and a value it does not know
//! in a field it can do without (`summary.state`, `matchedBy`, `status`; a `forecastCategory`
//! reads as `other`) is shown as unknown. The pane says so once per session in the console.

pub mod json;
pub mod read;
mod summaries;

use dealpane_contract::{
    DealStatus, DealSummaryResponse, MatchedBy, Problem, SummariesResponse, Summary, SummaryState,
};

pub use self::summaries::{interpret_summaries, summaries_path, SummaryBoard, SUMMARY_WAIT_SECS};
pub use crate::request::FetchError;

/// What DealSummary's `Accept` says: the structured answer, but a sample-style function that
/// only speaks text is fine too.
pub const DEALS_ACCEPT: &str = "application/json, text/plain;q=0.5";

/// What a successful DealSummary call said.
#[derive(Debug, Clone, PartialEq)]
pub enum DealsAnswer {
    /// The JSON answer of the contract.
    Deals(DealSummaryResponse),
    /// A `text/plain` answer: the top deal's summary, as the sample function returns it.
    Text(String),
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
) -> Result<DealsAnswer, FetchError> {
    match success_kind(status, content_type, body)? {
        BodyKind::Json | BodyKind::Problem => {
            parse_json(body, read::deal_summary).map(DealsAnswer::Deals)
        }
        BodyKind::Text => Ok(DealsAnswer::Text(body.to_owned())),
    }
}

/// What a finished HTTP exchange means for a call whose success is a JSON body of the contract
/// that `read` reads (the customer picker's list; Share with Sales reads only the errors).
pub fn interpret_json<T>(
    status: u16,
    content_type: Option<&str>,
    body: &str,
    read: fn(&json::Json) -> Result<T, String>,
) -> Result<T, FetchError> {
    success_kind(status, content_type, body)?;
    parse_json(body, read)
}

/// The body's kind when the status is a success, else the error the answer means.
fn success_kind(
    status: u16,
    content_type: Option<&str>,
    body: &str,
) -> Result<BodyKind, FetchError> {
    let kind = body_kind(content_type);
    if (200..300).contains(&status) {
        Ok(kind)
    } else {
        Err(problem_of(status, kind, body))
    }
}

/// `body` as JSON, read by `read` (one of [`read`]'s); why not, as [`FetchError::Malformed`].
pub fn parse_json<T>(
    body: &str,
    read: fn(&json::Json) -> Result<T, String>,
) -> Result<T, FetchError> {
    json::Json::parse(body)
        .and_then(|json| read(&json))
        .map_err(FetchError::Malformed)
}

/// An error status's problem body, when it has a readable one (some servers label it plain JSON).
fn problem_of(status: u16, kind: BodyKind, body: &str) -> FetchError {
    if kind == BodyKind::Text {
        return FetchError::Status(status);
    }
    // The HTTP status is the truth; a body may omit or misstate it.
    let Some(mut fields) = json::Json::parse(body).ok().filter(json::Json::is_object) else {
        return FetchError::Status(status);
    };
    fields.set_number("status", status.into());
    match read::problem(&fields) {
        Ok(problem) => FetchError::Problem(Box::new(problem)),
        Err(_) => FetchError::Status(status),
    }
}

/// The fields of a DealSummary answer that hold values the pane does not know, by wire name.
pub fn unknown_values(answer: &DealSummaryResponse) -> Vec<&'static str> {
    let mut fields = Vec::new();
    let mut note = |unknown: bool, field| {
        if unknown && !fields.contains(&field) {
            fields.push(field);
        }
    };
    note(
        answer.customer.matched_by == MatchedBy::Unknown,
        "matchedBy",
    );
    for deal in &answer.deals {
        note(deal.status == DealStatus::Unknown, "status");
        note(unknown_summary(&deal.summary), "summary.state");
    }
    fields
}

/// The same for a long-poll answer.
pub fn unknown_summary_values(answer: &SummariesResponse) -> Vec<&'static str> {
    let unknown = answer.summaries.iter().any(|u| unknown_summary(&u.summary));
    if unknown {
        vec!["summary.state"]
    } else {
        Vec::new()
    }
}

fn unknown_summary(summary: &Summary) -> bool {
    summary.state == SummaryState::Unknown
}

/// The DealSummary path under `apiBase` for a customer's `api_query()`.
pub fn deal_summary_path(query: &str) -> String {
    format!("DealSummary?{query}")
}

/// The picker's path under `apiBase`: `customers?q=…&top=…`.
pub fn customers_path(search: &str, top: u8) -> String {
    format!(
        "customers?q={}&top={top}",
        dealpane_contract::percent::encode_component(search.trim())
    )
}

#[cfg(target_arch = "wasm32")]
pub use fetching::*;

#[cfg(target_arch = "wasm32")]
mod fetching {
    use super::*;
    use crate::config::{parse_config, ConfigRead, WidgetConfig, DEFAULT_TIMEOUT_MS};
    use crate::request::{self, Get};
    use dealpane_contract::CustomerList;
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::atomic::{AtomicBool, Ordering};
    use web_sys::{AbortSignal, RequestCache};

    /// `GET {apiBase}/DealSummary?{query}` with retries; `cancel` aborts it at any point.
    /// A tab reload may take the browser's cached answer (the server allows 60 s); `fresh`
    /// (Refresh, Retry) revalidates with the server, which costs a 304 when nothing changed.
    pub async fn fetch_deals(
        config: &WidgetConfig,
        query: &str,
        fresh: bool,
        cancel: &AbortSignal,
    ) -> Result<DealsAnswer, FetchError> {
        let url = config.endpoint(&deal_summary_path(query));
        let cache = if fresh {
            RequestCache::NoCache
        } else {
            RequestCache::Default
        };
        let get = api_get(DEALS_ACCEPT, config, cache);
        let exchange = request::get(&url, &get, cancel).await?;
        let answer = interpret_deals(
            exchange.status,
            exchange.content_type.as_deref(),
            &exchange.body,
        );
        if let Ok(DealsAnswer::Deals(deals)) = &answer {
            log_unknown_once(&unknown_values(deals));
        }
        warn_if_unreadable(&url, &answer);
        answer
    }

    /// One round of the summaries long-poll, and the answer's `Retry-After` (for a busy one).
    pub struct SummariesAnswer {
        pub result: Result<SummariesResponse, FetchError>,
        pub retry_after: Option<String>,
    }

    /// `GET {apiBase}/summaries?deals=…&wait=…` for the `items` (`summary_query_item`s),
    /// once: the long-poll's own policy (`request::poll`) decides about asking again. It goes
    /// through the same request path as DealSummary (and so carries the same credentials).
    pub async fn fetch_summaries(
        config: &WidgetConfig,
        items: &[String],
        cancel: &AbortSignal,
    ) -> SummariesAnswer {
        let url = config.endpoint(&summaries_path(items, SUMMARY_WAIT_SECS));
        let get = Get {
            accept: "application/json",
            // The server holds the answer up to the wait: the timeout comes on top of it.
            timeout_ms: u32::from(SUMMARY_WAIT_SECS) * 1000 + config.request_timeout_ms,
            cache: RequestCache::NoStore,
            retry: false,
        };
        match request::get(&url, &get, cancel).await {
            Ok(exchange) => {
                let result = interpret_summaries(
                    exchange.status,
                    exchange.content_type.as_deref(),
                    &exchange.body,
                );
                if let Ok(answer) = &result {
                    log_unknown_once(&unknown_summary_values(answer));
                }
                warn_if_unreadable(&url, &result);
                SummariesAnswer {
                    result,
                    retry_after: exchange.retry_after,
                }
            }
            Err(error) => SummariesAnswer {
                result: Err(error),
                retry_after: None,
            },
        }
    }

    /// The pane shows "can't read the answer"; the console says why, for whoever debugs it
    /// (the path only: the query holds the customer).
    fn warn_if_unreadable<T>(url: &str, result: &Result<T, FetchError>) {
        if let Err(FetchError::Malformed(reason)) = result {
            let path = url.split('?').next().unwrap_or_default();
            leptos::logging::warn!(
                "dealpane: {path} sent an answer this pane can't read: {reason}"
            );
        }
    }

    /// One console line per session, however many answers or deals hold unknown values.
    fn log_unknown_once(fields: &[&str]) {
        static LOGGED: AtomicBool = AtomicBool::new(false);
        if !fields.is_empty() && !LOGGED.swap(true, Ordering::Relaxed) {
            let line = [
                "dealpane: the deals service sent values this pane does not know (",
                &fields.join(", "),
                "); they are shown as unknown. The service is probably newer than the pane.",
            ]
            .concat();
            leptos::logging::warn!("{line}");
        }
    }

    /// `GET {apiBase}/customers?q=…&top=…`; `cancel` aborts it (the next keystroke does).
    pub async fn fetch_customers(
        config: &WidgetConfig,
        search: &str,
        top: u8,
        cancel: &AbortSignal,
    ) -> Result<CustomerList, FetchError> {
        let url = config.endpoint(&customers_path(search, top));
        let get = api_get("application/json", config, RequestCache::Default);
        let exchange = request::get(&url, &get, cancel).await?;
        let answer = interpret_json(
            exchange.status,
            exchange.content_type.as_deref(),
            &exchange.body,
            read::customer_list,
        );
        warn_if_unreadable(&url, &answer);
        answer
    }

    /// `config.json` beside the page (relative to the document). None there (a 404, any other
    /// failure to get it) means the defaults; a file that is there but wrong is an error to show.
    /// Boxed, so the page's read can be handed to the pane as it is (src/mount.rs).
    pub fn fetch_config(cancel: AbortSignal) -> ConfigReading {
        Box::pin(async move {
            let get = Get {
                accept: "application/json",
                timeout_ms: DEFAULT_TIMEOUT_MS,
                cache: RequestCache::Default,
                retry: false,
            };
            match request::get("config.json", &get, &cancel).await {
                Ok(exchange) if exchange.is_success() => parse_config(&exchange.body),
                _ => Ok(WidgetConfig::default()),
            }
        })
    }

    /// A read of `config.json` under way.
    pub type ConfigReading = Pin<Box<dyn Future<Output = ConfigRead>>>;

    /// A call to the API: the configured timeout, retried by the policy.
    fn api_get(accept: &'static str, config: &WidgetConfig, cache: RequestCache) -> Get {
        Get {
            accept,
            timeout_ms: config.request_timeout_ms,
            cache,
            retry: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    // These run natively and, through the browser's JSON, in `cargo xtask test --suite browser`.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

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
            Err(FetchError::Malformed(_))
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
            FetchError::Problem(problem) => assert_eq!(
                (problem.status, problem.title.as_str()),
                (502, "Upstream failed")
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            interpret_deals(500, Some("text/html"), "<h1>oops</h1>"),
            Err(FetchError::Status(500))
        );
        assert_eq!(
            interpret_json(
                503,
                Some("application/problem+json"),
                "not json",
                read::customer_list
            ),
            Err(FetchError::Status(503))
        );
    }

    #[test]
    fn unknown_values_are_named_once_each() {
        let read_text = |text: &str| json::Json::parse(text).unwrap();
        let mut answer = read::deal_summary(&read_text(ANSWER)).unwrap();
        assert!(unknown_values(&answer).is_empty());
        let deal = r#"{"id": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", "name": "n",
            "status": "paused", "forecastCategory": "stretch", "summary": {"state": "drafting"}}"#;
        let deal = read::deal(&read_text(deal)).unwrap();
        assert_eq!(
            deal.forecast_category,
            Some(dealpane_contract::ForecastCategory::Other)
        );
        answer.deals = vec![deal.clone(), deal];
        answer.customer.matched_by = MatchedBy::Unknown;
        assert_eq!(
            unknown_values(&answer),
            ["matchedBy", "status", "summary.state"]
        );
        let polled = read::summaries(&read_text(
            r#"{"summaries": [{"dealId": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d",
                "summary": {"state": "drafting"}}]}"#,
        ))
        .unwrap();
        assert_eq!(unknown_summary_values(&polled), ["summary.state"]);
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
