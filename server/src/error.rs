//! API errors as `application/problem+json` (RFC 9457) with the request's traceId.
//!
//! An error is logged once, by the request log ([`crate::logging::trace_requests`]): the
//! response carries it in its extensions (axum's error-handling example), so conversions and
//! `into_response` have no side effects.

use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use dealpane_contract::Problem;

use crate::service::ServiceError;
use crate::source::SourceError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A query parameter is missing, malformed or out of bounds.
    #[error("{parameter}: {reason}")]
    BadParameter {
        parameter: &'static str,
        reason: String,
    },
    #[error("the query string is {0} bytes long; at most {max} are accepted", max = dealpane_contract::limits::QUERY_MAX_BYTES)]
    QueryTooLong(usize),
    #[error("{0}")]
    Unauthorized(&'static str),
    /// A data route needs an Entra ID bearer token and none came (issue 11).
    #[error("this API needs a Microsoft Entra ID bearer token; sign in")]
    SignInRequired,
    /// The bearer token is not valid here; never says more (nor echoes the token).
    #[error("the bearer token is not valid for this API; sign in again")]
    InvalidToken,
    /// Signed in, but not allowed (scope or role).
    #[error("{0}")]
    Forbidden(&'static str),
    /// Sales refused the agent (`agent` identity): unknown there, or disabled.
    #[error("Sales does not know this agent or refuses them: {0}")]
    NoSalesAccess(String),
    /// The tenant's signing keys could not be fetched, so no token can be checked.
    #[error("{0}")]
    SignInUnavailable(String),
    #[error("{0}")]
    CustomerNotFound(String),
    #[error("the Sales environment is throttling requests")]
    Throttled { retry_after: Duration },
    /// Carries the upstream's own words for the log; the caller sees a generic detail.
    #[error("the Sales environment failed to answer: {0}")]
    UpstreamFailed(String),
    #[error("the Sales environment did not answer in time")]
    UpstreamTimeout,
    #[error("there is no API route {0}")]
    RouteNotFound(String),
    /// `allow`: the methods the route takes, for the detail and the `Allow` header.
    #[error("{method} is not allowed here; use {allow}")]
    MethodNotAllowed { method: String, allow: &'static str },
    /// Writes (issue 12): a body over the bound.
    #[error("the body is larger than {limit} bytes")]
    BodyTooLarge { limit: usize },
    #[error("the body must be JSON, sent with Content-Type: application/json")]
    UnsupportedMediaType,
    #[error("{0}")]
    DealNotFound(String),
    /// Sales refused the caller (a missing privilege); its own words, for the log.
    #[error("the Sales environment refused the request: {0}")]
    SalesRefused(String),
    #[error("this Idempotency-Key was already used for a different request; a new draft needs a new key")]
    IdempotencyKeyReused,
    #[error("a request with this Idempotency-Key is still being processed; retry shortly")]
    IdempotencyInProgress,
    #[error("this Sales source does not accept writes")]
    WritesUnsupported,
}

impl ApiError {
    pub fn bad(parameter: &'static str, reason: impl Into<String>) -> ApiError {
        ApiError::BadParameter {
            parameter,
            reason: reason.into(),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadParameter { .. } | ApiError::QueryTooLong(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) | ApiError::SignInRequired | ApiError::InvalidToken => {
                StatusCode::UNAUTHORIZED
            }
            ApiError::Forbidden(_) | ApiError::NoSalesAccess(_) => StatusCode::FORBIDDEN,
            ApiError::SignInUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::CustomerNotFound(_) | ApiError::RouteNotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::UpstreamFailed(_) => StatusCode::BAD_GATEWAY,
            ApiError::UpstreamTimeout => StatusCode::GATEWAY_TIMEOUT,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::DealNotFound(_) => StatusCode::NOT_FOUND,
            ApiError::SalesRefused(_) => StatusCode::FORBIDDEN,
            ApiError::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::IdempotencyInProgress => StatusCode::CONFLICT,
            ApiError::WritesUnsupported => StatusCode::NOT_IMPLEMENTED,
        }
    }

    fn title(&self) -> &'static str {
        match self {
            ApiError::BadParameter { .. } | ApiError::QueryTooLong(_) => "Bad request",
            ApiError::Unauthorized(_) => "Missing or wrong function key",
            ApiError::SignInRequired => "Sign-in required",
            ApiError::InvalidToken => "Invalid bearer token",
            ApiError::Forbidden(_) => "Not allowed",
            ApiError::NoSalesAccess(_) => "No access to Sales deals",
            ApiError::SignInUnavailable(_) => "Sign-in cannot be checked",
            ApiError::CustomerNotFound(_) => "Customer not found",
            ApiError::Throttled { .. } => "The Sales environment is busy",
            ApiError::UpstreamFailed(_) => "The Sales environment failed",
            ApiError::UpstreamTimeout => "The Sales environment timed out",
            ApiError::RouteNotFound(_) => "Not found",
            ApiError::MethodNotAllowed { .. } => "Method not allowed",
            ApiError::BodyTooLarge { .. } => "Body too large",
            ApiError::UnsupportedMediaType => "Unsupported media type",
            ApiError::DealNotFound(_) => "Deal not found",
            ApiError::SalesRefused(_) => "The Sales environment refused the request",
            ApiError::IdempotencyKeyReused => "Idempotency key reused",
            ApiError::IdempotencyInProgress => "Request in progress",
            ApiError::WritesUnsupported => "Writes not supported",
        }
    }

    fn detail(&self) -> String {
        match self {
            ApiError::Throttled { retry_after } => format!(
                "The Sales environment is throttling requests; retry after {} seconds.",
                retry_after_secs(*retry_after)
            ),
            ApiError::UpstreamFailed(_) => {
                "The Sales environment answered with an error; try again, and if it persists \
                 ask an administrator to check the server's log with this traceId."
                    .to_owned()
            }
            ApiError::UpstreamTimeout => {
                "The Sales environment did not answer in time; try again shortly.".to_owned()
            }
            ApiError::NoSalesAccess(_) => {
                "No access to Sales deals: Sales does not know your account, or it is disabled \
                 there. Ask a Sales administrator for access."
                    .to_owned()
            }
            ApiError::SignInUnavailable(_) => {
                "The sign-in service's keys cannot be fetched right now; try again shortly."
                    .to_owned()
            }
            ApiError::BadParameter { parameter, reason } => {
                format!("Parameter '{parameter}': {reason}.")
            }
            ApiError::SalesRefused(_) => {
                "The Sales environment refused this for your account (a missing privilege or \
                 no access to the record); ask a Sales administrator."
                    .to_owned()
            }
            other => capitalize(&other.to_string()),
        }
    }
}

/// A sentence from a message: capitalized, with one final period (some messages have one).
fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => {
            let mut sentence: String = first.to_uppercase().chain(chars).collect();
            if !sentence.ends_with(['.', '!', '?']) {
                sentence.push('.');
            }
            sentence
        }
        None => String::new(),
    }
}

/// Whole seconds, rounded up, at least 1 (a `Retry-After: 0` invites a hot loop).
fn retry_after_secs(delay: Duration) -> u64 {
    (delay.as_millis().div_ceil(1000) as u64).max(1)
}

impl From<&SourceError> for ApiError {
    fn from(error: &SourceError) -> ApiError {
        match error {
            SourceError::Throttled { retry_after } => ApiError::Throttled {
                retry_after: *retry_after,
            },
            SourceError::Timeout => ApiError::UpstreamTimeout,
            SourceError::Upstream(message) => ApiError::UpstreamFailed(message.clone()),
            SourceError::NoAccess(message) => ApiError::NoSalesAccess(message.clone()),
        }
    }
}

impl From<&ServiceError> for ApiError {
    fn from(error: &ServiceError) -> ApiError {
        match error {
            ServiceError::CustomerNotFound(what) => ApiError::CustomerNotFound(what.clone()),
            ServiceError::Source(source) => ApiError::from(source),
        }
    }
}

/// A problem+json response; also used for statuses that are not an `ApiError` (health's 503).
pub fn problem_response(status: StatusCode, title: &str, detail: String) -> Response {
    let problem = Problem {
        kind: "about:blank".to_owned(),
        title: title.to_owned(),
        status: status.as_u16(),
        detail: Some(detail),
        instance: None,
        trace_id: crate::logging::current_trace_id(),
    };
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(Problem::MEDIA_TYPE),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

impl ApiError {
    /// What the request log writes: the whole error when the fault is ours or upstream's; only
    /// the title for a client error, whose detail repeats what the caller sent (a contact's
    /// name is personal data).
    pub fn log_text(&self) -> String {
        if self.is_client_error() {
            self.title().to_owned()
        } else {
            self.to_string()
        }
    }

    /// A 4xx other than 429 (being throttled is worth a warning).
    pub fn is_client_error(&self) -> bool {
        let status = self.status();
        status.is_client_error() && status != StatusCode::TOO_MANY_REQUESTS
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = problem_response(self.status(), self.title(), self.detail());
        let headers = response.headers_mut();
        match self {
            ApiError::Throttled { retry_after } => {
                headers.insert(header::RETRY_AFTER, retry_after_secs(retry_after).into());
            }
            ApiError::IdempotencyInProgress => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            ApiError::Unauthorized(_) => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("FunctionKey realm=\"dealpane\""),
                );
            }
            // RFC 6750: a missing token gets the bare challenge, a bad one says so.
            ApiError::SignInRequired => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            ApiError::InvalidToken => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer error=\"invalid_token\""),
                );
            }
            ApiError::Forbidden(_) => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer error=\"insufficient_scope\""),
                );
            }
            ApiError::SignInUnavailable(_) => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
            }
            ApiError::MethodNotAllowed { allow, .. } => {
                headers.insert(header::ALLOW, HeaderValue::from_static(allow));
            }
            _ => {}
        }
        // For the request log, which writes it once.
        response.extensions_mut().insert(Arc::new(self));
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_rounds_up_and_is_never_zero() {
        assert_eq!(retry_after_secs(Duration::from_millis(0)), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(1500)), 2);
        assert_eq!(retry_after_secs(Duration::from_secs(30)), 30);
    }

    #[test]
    fn bad_parameter_detail_names_the_parameter() {
        let error = ApiError::bad("top", "must be between 1 and 50");
        assert_eq!(error.detail(), "Parameter 'top': must be between 1 and 50.");
    }
}
