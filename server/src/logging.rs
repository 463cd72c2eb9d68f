//! Structured logs: one span per request carrying its traceId (from a W3C `traceparent` header
//! when the caller sent one, else new), and URLs logged with the function key masked. The one
//! line per answered request also says what went wrong, when something did.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;
use tracing_subscriber::EnvFilter;

use crate::error::ApiError;
use crate::settings::LogFormat;

tokio::task_local! {
    static TRACE_ID: String;
}

/// The traceId of the request being handled, for problem bodies.
pub fn current_trace_id() -> Option<String> {
    TRACE_ID.try_with(Clone::clone).ok()
}

/// Installs the global subscriber. Fails if one is already installed (e.g. by a test).
pub fn init(format: LogFormat, filter: &str) -> Result<(), String> {
    let filter = EnvFilter::try_new(filter).map_err(|e| format!("invalid log filter: {e}"))?;
    // Colours only on a terminal: log files and Azure's log stream get plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi);
    let result = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().with_current_span(true).try_init(),
    };
    result.map_err(|e| e.to_string())
}

/// The trace-id of a valid W3C `traceparent` (`00-<32 hex>-<16 hex>-<2 hex>`), if any.
pub fn trace_id_from_traceparent(value: &str) -> Option<String> {
    let mut parts = value.trim().split('-');
    let (version, trace_id, parent_id, flags) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let hex = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit());
    let valid = hex(version, 2)
        && version != "ff"
        && hex(trace_id, 32)
        && hex(parent_id, 16)
        && hex(flags, 2)
        && trace_id.bytes().any(|b| b != b'0')
        && (version != "00" || parts.next().is_none());
    valid.then(|| trace_id.to_ascii_lowercase())
}

/// A new W3C-shaped trace id: 32 lowercase hex digits.
pub fn new_trace_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The path and query with every `code` parameter's value replaced by `***`.
pub fn redact_uri(uri: &axum::http::Uri) -> String {
    match uri.query() {
        None => uri.path().to_owned(),
        Some(query) => format!("{}?{}", uri.path(), redact_query(query)),
    }
}

pub fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| {
            let name = pair.split('=').next().unwrap_or_default();
            let decoded: String = form_urlencoded::parse(name.as_bytes())
                .next()
                .map(|(k, _)| k.into_owned())
                .unwrap_or_default();
            if decoded.trim().eq_ignore_ascii_case("code") {
                "code=***".to_owned()
            } else {
                pair.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Middleware: the request's span and traceId, and one line per answered request, carrying the
/// [`ApiError`] the answer was made from (warning level unless it is the client's mistake).
pub async fn trace_requests(request: Request, next: Next) -> Response {
    let trace_id = request
        .headers()
        .get("traceparent")
        .and_then(|v| v.to_str().ok())
        .and_then(trace_id_from_traceparent)
        .unwrap_or_else(new_trace_id);
    let span = tracing::info_span!(
        "request",
        trace_id = %trace_id,
        method = %request.method(),
        uri = %redact_uri(request.uri()),
    );
    let started = Instant::now();
    let response = TRACE_ID
        .scope(trace_id, next.run(request))
        .instrument(span.clone())
        .await;
    let status = response.status().as_u16();
    let elapsed_ms = started.elapsed().as_millis() as u64;
    span.in_scope(|| match response.extensions().get::<Arc<ApiError>>() {
        None => tracing::info!(status, elapsed_ms, "answered"),
        Some(error) if error.is_client_error() => {
            tracing::info!(status, elapsed_ms, error = error.log_text(), "answered")
        }
        Some(error) => tracing::warn!(status, elapsed_ms, error = error.log_text(), "answered"),
    });
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traceparent_is_used_when_valid() {
        assert_eq!(
            trace_id_from_traceparent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")
                .as_deref(),
            Some("4bf92f3577b34da6a3ce929d0e0e4736")
        );
        for bad in [
            "",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e473z-00f067aa0ba902b7-01",
        ] {
            assert_eq!(trace_id_from_traceparent(bad), None, "{bad}");
        }
        assert_eq!(new_trace_id().len(), 32);
    }

    #[test]
    fn code_is_masked_in_any_spelling() {
        assert_eq!(
            redact_query("customerName=A&code=s3cret&top=2"),
            "customerName=A&code=***&top=2"
        );
        assert_eq!(
            redact_query("CODE=x&%63ode=y&code"),
            "code=***&code=***&code=***"
        );
        assert_eq!(redact_query("codec=1"), "codec=1");
    }
}
