//! Faults queued by the test for upcoming API requests.

use std::sync::Mutex;
use std::time::Duration;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{odata_error, odata_response, State, API};

/// Something to go wrong with one upcoming API request (not token requests).
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// 429 with `Retry-After: <seconds>` and the documented request-count error.
    TooManyRequests { retry_after_secs: u64 },
    /// 503 with a plain-text body.
    Unavailable,
    /// Answer normally, but only after this long.
    Delay(Duration),
    /// 200 with a JSON body cut short.
    MalformedBody,
    /// Every issued token stops working before this request is checked (so it gets a 401).
    ExpireTokens,
}

impl Fault {
    /// Applies the fault to its request: the response that replaces the normal answer, or
    /// `None` when the request then goes on as usual (after a delay, or with tokens expired).
    pub(super) async fn meet(self, state: &Mutex<State>) -> Option<Response> {
        match self {
            Fault::TooManyRequests { retry_after_secs } => {
                let mut response = odata_error(
                    StatusCode::TOO_MANY_REQUESTS,
                    "0x80072322",
                    "Number of requests exceeded the limit of 6000 over time window of 300 seconds.",
                );
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, retry_after_secs.into());
                Some(response)
            }
            Fault::Unavailable => {
                Some((StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable").into_response())
            }
            Fault::Delay(delay) => {
                tokio::time::sleep(delay).await;
                None
            }
            Fault::MalformedBody => Some(odata_response(
                StatusCode::OK,
                r#"{"value": [{"name": "#.to_owned(),
                &[],
            )),
            Fault::ExpireTokens => {
                state.lock().unwrap().valid_tokens.clear();
                None
            }
        }
    }
}

impl State {
    /// Takes the first queued fault meant for this API path (token requests meet none).
    pub(super) fn take_fault(&mut self, path: &str) -> Option<Fault> {
        if !path.starts_with(API) {
            return None;
        }
        let position = self
            .faults
            .iter()
            .position(|(filter, _)| path.contains(filter.as_str()));
        position
            .and_then(|at| self.faults.remove(at))
            .map(|(_, f)| f)
    }
}
