//! Share with Sales (issue 12), the widget's half: a note to a deal's owner from its card, and
//! a suggested deal (a Sales lead) for the customer.
//!
//! - this file: drafts (what is kept in `sessionStorage`, under which key), why a send failed
//!   and what the form says about it; plain and tested natively;
//! - `form` (wasm32): the one form both writes use: draft, key, Send once, status;
//! - `note_form` (wasm32): the card's "Tell the owner" and the notes already shared;
//! - `lead_form` (wasm32): "Suggest a new deal" for the customer.
//!
//! A draft is `{key, <field>: <text>, …}` in `sessionStorage` (written by the browser's JSON,
//! see `browser::storage::to_json`): the idempotency key is made at the draft's first character
//! and kept with it, so a send retried after any failure, even after a tab reload, is the same
//! write to the server (a repeat replays the first result). Sent, the draft and its key go.
//! The widget sends a write again by itself only when the key makes that safe
//! (`request::resend_delay_ms`); otherwise the draft waits for the agent's Send.

#[cfg(target_arch = "wasm32")]
mod form;
#[cfg(target_arch = "wasm32")]
pub mod lead_form;
#[cfg(target_arch = "wasm32")]
pub mod note_form;

use dealpane_contract::Guid;

use crate::i18n::{fill, Strings};
use crate::request::{parse_retry_after_ms, FetchError};

/// Where a deal's draft is kept: one per deal and case, so a draft for one case never turns up
/// in another's session.
pub fn note_storage_key(deal: Guid, case: Option<Guid>) -> String {
    let case = case.map(|c| c.to_string()).unwrap_or_default();
    format!("dealpane:note:{deal}:{case}")
}

/// Where the customer's suggested deal is kept, per customer and case.
pub fn lead_storage_key(customer: Guid, case: Option<Guid>) -> String {
    let case = case.map(|c| c.to_string()).unwrap_or_default();
    format!("dealpane:lead:{customer}:{case}")
}

/// `deals/{id}/notes` under `apiBase`: the POST and the GET.
pub fn notes_path(deal: Guid) -> String {
    format!("deals/{deal}/notes")
}

/// Why a send did not reach Sales, as the form words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendFailure {
    /// 429: try again later, in `retry_after_secs` when the server said.
    Throttled { retry_after_secs: Option<u32> },
    /// 401, 403.
    NoAccess,
    /// 5xx, a timeout.
    SalesDown,
    /// 400, 404, 413, 422, …: the server's detail, shown as text.
    Invalid { detail: Option<String> },
    /// No answer at all.
    Unreachable,
}

impl SendFailure {
    /// `None` for an aborted send (the form went away): nothing to say.
    pub fn of(error: &FetchError, retry_after: Option<&str>) -> Option<SendFailure> {
        Some(match (error, error.status()) {
            (FetchError::Aborted, _) => return None,
            (FetchError::Network, _) => SendFailure::Unreachable,
            (_, Some(429)) => SendFailure::Throttled {
                retry_after_secs: retry_after
                    .and_then(parse_retry_after_ms)
                    .map(|ms| ms.div_ceil(1000)),
            },
            (_, Some(401 | 403)) => SendFailure::NoAccess,
            (_, Some(400..=499)) => SendFailure::Invalid {
                detail: match error {
                    FetchError::Problem(problem) => problem
                        .detail
                        .clone()
                        .or_else(|| Some(problem.title.clone())),
                    _ => None,
                },
            },
            _ => SendFailure::SalesDown,
        })
    }

    /// What the form says: why, what to do, and that the draft is kept.
    pub fn message(&self, s: &Strings) -> String {
        let t = &s.share;
        let why = match self {
            SendFailure::Throttled {
                retry_after_secs: Some(secs),
            } => {
                let secs = secs.to_string();
                let when = fill(s.templates.try_again_in, &[("seconds", &secs)]);
                [t.throttled, " ", &when].concat()
            }
            SendFailure::Throttled { .. } => t.throttled.to_owned(),
            SendFailure::NoAccess => t.no_access.to_owned(),
            SendFailure::SalesDown => t.sales_down.to_owned(),
            SendFailure::Invalid { detail: Some(d) } => {
                let d = d.trim();
                let stop = if d.ends_with(['.', '!', '?']) {
                    ""
                } else {
                    "."
                };
                [t.invalid, " ", d, stop].concat()
            }
            SendFailure::Invalid { detail: None } => {
                [t.invalid.trim_end_matches([':', ' ', '\u{a0}']), "."].concat()
            }
            SendFailure::Unreachable => s.network_error.to_owned(),
        };
        // Joined rather than `format!`: each format string is its own code in the wasm.
        [&why, " ", t.draft_kept].concat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{strings, Lang};
    use dealpane_contract::Problem;

    fn problem(status: u16, detail: Option<&str>) -> FetchError {
        FetchError::Problem(Box::new(Problem {
            kind: "about:blank".into(),
            title: "Refused".into(),
            status,
            detail: detail.map(str::to_owned),
            instance: None,
            trace_id: None,
        }))
    }

    #[test]
    fn drafts_are_kept_per_deal_and_case() {
        let deal = Guid::parse("9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d").unwrap();
        let case = Guid::parse("{3F2504E0-4F89-11D3-9A0C-0305E82C3301}").unwrap();
        assert_eq!(
            note_storage_key(deal, Some(case)),
            "dealpane:note:9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d:3f2504e0-4f89-11d3-9a0c-0305e82c3301"
        );
        assert_ne!(
            note_storage_key(deal, None),
            note_storage_key(deal, Some(case))
        );
        assert_eq!(
            notes_path(deal),
            "deals/9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d/notes"
        );
    }

    #[test]
    fn failures_say_why_and_that_the_draft_is_kept() {
        let en = strings(Lang::En);
        let said = |error: FetchError, retry_after| {
            SendFailure::of(&error, retry_after).unwrap().message(en)
        };
        assert_eq!(
            said(problem(429, None), Some("30")),
            "Sales is busy. Try again in 30 seconds. Your draft is kept."
        );
        assert_eq!(
            said(problem(429, None), None),
            "Sales is busy. Your draft is kept."
        );
        assert_eq!(
            said(problem(403, None), None),
            "You don't have access to send this to Sales. Your draft is kept."
        );
        for down in [
            problem(503, None),
            FetchError::Status(502),
            problem(504, None),
        ] {
            assert!(said(down, None).starts_with("Sales can't take it right now"));
        }
        assert!(said(FetchError::TimedOut { after_ms: 1 }, None).starts_with("Sales can't"));
        assert_eq!(
            said(problem(400, Some("message: <b>too long</b>")), None),
            "Sales refused it: message: <b>too long</b>. Your draft is kept."
        );
        assert_eq!(
            said(FetchError::Status(413), None),
            "Sales refused it. Your draft is kept."
        );
        assert!(said(FetchError::Network, None).contains("can't be reached"));
        assert_eq!(SendFailure::of(&FetchError::Aborted, None), None);
    }
}
