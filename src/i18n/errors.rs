//! Which words a failure gets, the same rule in every language: an HTTP status, a timeout, a
//! failed request. The words themselves are in the language files.

use dealpane_contract::GuidError;

use super::{fill, Strings};
use crate::api::FetchError;
use crate::config::WidgetConfigError;
use crate::context::{ContextError, QUERY_MAX_BYTES};

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
        let seconds = seconds.to_string();
        let title = fill(self.templates.timed_out, &[("seconds", &seconds)]);
        (title, self.retry_hint.to_owned())
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
                retry_after.map_or_else(
                    || self.busy_hint.to_owned(),
                    |seconds| {
                        let seconds = seconds.to_string();
                        fill(self.templates.try_again_in, &[("seconds", &seconds)])
                    },
                ),
            ),
            502 => (self.upstream_failed, retry()),
            504 => (self.upstream_timed_out, retry()),
            _ => (self.error_title, retry()),
        };
        (title.to_owned(), action)
    }

    /// Why a GUID was refused, as a clause for [`Strings::context_error`].
    pub fn guid_reason(&self, reason: &GuidError) -> String {
        let t = &self.templates;
        let (template, value) = match reason {
            GuidError::Empty => (t.guid_empty, String::new()),
            GuidError::TooLong(n) => (t.guid_too_long, n.to_string()),
            GuidError::BadEncoding => (t.guid_bad_encoding, String::new()),
            GuidError::UnbalancedBraces => (t.guid_unbalanced_braces, String::new()),
            GuidError::WrongDigitCount(n) => (t.guid_wrong_digit_count, n.to_string()),
            GuidError::InvalidCharacter(c) => (t.guid_invalid_character, c.to_string()),
            GuidError::MisplacedHyphens => (t.guid_misplaced_hyphens, String::new()),
        };
        fill(template, &[("n", &value), ("c", &value)])
    }

    /// (title, what to do) for an admin when the pane's URL cannot be used.
    pub fn context_error(&self, error: &ContextError) -> (String, String) {
        let t = &self.templates;
        let (title, hint, name, value) = match error {
            ContextError::TooLong { length } => (
                t.url_too_long,
                t.url_too_long_hint,
                "length",
                length.to_string(),
            ),
            ContextError::Unfilled { slug, .. } => {
                (t.unfilled, t.unfilled_hint, "slug", slug.clone())
            }
            ContextError::InvalidGuid { reason, .. } => (
                t.invalid_guid,
                t.invalid_guid_hint,
                "reason",
                self.guid_reason(reason),
            ),
            ContextError::Conflict { .. } => (t.conflict, t.conflict_hint, "", String::new()),
            ContextError::NameTooLong { max } => (
                t.name_too_long,
                t.name_too_long_hint,
                "max",
                max.to_string(),
            ),
            ContextError::InvalidType { value } => {
                (t.invalid_type, t.invalid_type_hint, "value", value.clone())
            }
            ContextError::BadData { reason } => {
                (t.bad_data, t.bad_data_hint, "reason", reason.clone())
            }
        };
        let parameter = match error {
            ContextError::Unfilled { parameter, .. }
            | ContextError::InvalidGuid { parameter, .. }
            | ContextError::Conflict { parameter } => parameter,
            _ => "",
        };
        // The URL's own bound, for `TooLong`; `NameTooLong` names its `max` itself.
        let max_bytes = QUERY_MAX_BYTES.to_string();
        let args = [
            (name, value.as_str()),
            ("parameter", parameter),
            ("check_data", t.check_data),
            ("max", max_bytes.as_str()),
        ];
        (fill(title, &args), fill(hint, &args))
    }

    /// (title, what to do) for an admin when the pane's configuration file cannot be used.
    pub fn config_error(&self, error: &WidgetConfigError) -> (String, String) {
        let t = &self.templates;
        let (title, hint, args) = match error {
            WidgetConfigError::BadJson { reason } => (
                t.config_bad_json,
                t.config_bad_json_hint,
                [reason.clone(), String::new(), String::new()],
            ),
            WidgetConfigError::TimeoutOutOfRange { value, min, max } => (
                t.config_timeout,
                t.config_timeout_hint,
                [value.to_string(), min.to_string(), max.to_string()],
            ),
            WidgetConfigError::BadApiBase { value } => (
                t.config_api_base,
                t.config_api_base_hint,
                [value.clone(), String::new(), String::new()],
            ),
        };
        let [first, min, max] = &args;
        let args = [
            ("reason", first.as_str()),
            ("value", first.as_str()),
            ("min", min.as_str()),
            ("max", max.as_str()),
        ];
        (fill(title, &args), fill(hint, &args))
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
