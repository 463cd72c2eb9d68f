//! Which words a failure gets, the same rule in every language: an HTTP status, a timeout, a
//! failed request. The words themselves are in the language files.

use super::Strings;
use crate::api::FetchError;

/// What the pane says about a failed call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureText {
    pub title: String,
    /// The server's own explanation (problem+json `detail`), shown as text under the title.
    pub detail: Option<String>,
    /// What to do.
    pub hint: String,
}

impl Strings {
    /// (title, what to do) when the pane's own request timed out after `seconds`.
    pub fn timeout(&self, seconds: u32) -> (String, String) {
        (
            (self.phrases.timed_out)(seconds),
            self.retry_hint.to_owned(),
        )
    }

    /// (title, what to do) for an API error status (404 is "customer not found").
    /// `retry_after` is the 429's `Retry-After` in seconds.
    pub fn problem(&self, status: u16, retry_after: Option<u32>) -> (String, String) {
        let retry = || self.retry_hint.to_owned();
        let (title, action) = match status {
            400 => (self.refused, self.refused_hint.to_owned()),
            401 | 403 => (self.not_allowed, self.not_allowed_hint.to_owned()),
            404 => (self.not_found, self.not_found_hint.to_owned()),
            429 => (
                self.busy,
                retry_after.map_or_else(|| self.busy_hint.to_owned(), self.phrases.try_again_in),
            ),
            502 => (self.upstream_failed, retry()),
            504 => (self.upstream_timed_out, retry()),
            _ => (self.error_title, retry()),
        };
        (title.to_owned(), action)
    }

    /// What went wrong (the server's title and detail when it sent problem+json) and what to do.
    pub fn fetch_error(&self, error: &FetchError) -> FailureText {
        let (title, detail, hint) = match error {
            FetchError::Problem(problem) => {
                let (fallback_title, hint) = self.problem(problem.status, None);
                let title = Some(problem.title.trim())
                    .filter(|t| !t.is_empty())
                    .map_or(fallback_title, str::to_owned);
                (title, problem.detail.clone(), hint)
            }
            FetchError::Status(status) => {
                let (title, hint) = self.problem(*status, None);
                (title, None, hint)
            }
            FetchError::TimedOut { after_ms } => {
                let (title, hint) = self.timeout(after_ms.div_ceil(1000));
                (title, None, hint)
            }
            FetchError::Malformed(_) => (
                self.bad_response.to_owned(),
                None,
                self.bad_response_hint.to_owned(),
            ),
            FetchError::Network | FetchError::Aborted => (
                self.network_error.to_owned(),
                None,
                self.network_error_hint.to_owned(),
            ),
        };
        FailureText {
            title,
            detail,
            hint,
        }
    }
}
