//! `GET /api/summaries?deals=<id>@<modifiedOn>,…&wait=<seconds>`: the long-poll that brings a
//! pane the summaries its DealSummary answer listed as `pending`. It answers every deal asked
//! for, in order, once one of them that was pending has settled, or when `wait` runs out.
//!
//! A long-poll, not a stream: the Azure Functions host buffers a custom handler's whole response,
//! so server-sent events would arrive all at once at the end; a long-poll's answer is complete
//! when sent, passes any buffering proxy, and is read with `fetch` (which can carry an
//! `Authorization` header, unlike `EventSource`). It never starts a generation: only an answer
//! that listed the deal to the caller does.

use std::time::Duration;

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use dealpane_contract::{
    DealSummaryUpdate, Guid, SummariesResponse, MAX_SUMMARY_DEALS, MAX_SUMMARY_WAIT_SECS,
};

use super::query::{shorten, Params};
use super::{caller_scope, AppState};
use crate::error::ApiError;
use crate::summaries::DealVersion;

/// `modifiedOn` is an RFC 3339 time; this leaves room for any precision and offset.
pub const MAX_VERSION_CHARS: usize = 40;

pub async fn summaries(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref())?;
    let deals = parse_deals(params.get("deals")?)?;
    let wait = params.number("wait", 0, MAX_SUMMARY_WAIT_SECS, 0)?;
    let scope = caller_scope(&headers);
    let summaries = state
        .service
        .watch_summaries(&scope, &deals, Duration::from_secs(u64::from(wait)))
        .await;
    let body = SummariesResponse {
        summaries: deals
            .iter()
            .zip(summaries)
            .map(|(deal, summary)| DealSummaryUpdate {
                deal_id: deal.id,
                summary,
            })
            .collect(),
    };
    Ok((
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(body),
    )
        .into_response())
}

/// `id@modifiedOn` items, comma-separated (a bare id is keyed as a deal without `modifiedOn`),
/// 1 to `MAX_SUMMARY_DEALS` of them.
fn parse_deals(value: Option<&str>) -> Result<Vec<DealVersion>, ApiError> {
    let Some(value) = value else {
        return Err(ApiError::bad(
            "deals",
            "is required: id@modifiedOn of each deal, comma-separated",
        ));
    };
    let items: Vec<&str> = value.split(',').map(str::trim).collect();
    if items.len() > MAX_SUMMARY_DEALS {
        return Err(ApiError::bad(
            "deals",
            format!(
                "lists {} deals; at most {MAX_SUMMARY_DEALS} are accepted",
                items.len()
            ),
        ));
    }
    items.into_iter().map(parse_item).collect()
}

fn parse_item(item: &str) -> Result<DealVersion, ApiError> {
    let (id, version) = match item.split_once('@') {
        Some((id, version)) => (id, Some(version)),
        None => (item, None),
    };
    let id = Guid::parse(id).map_err(|error| {
        ApiError::bad(
            "deals",
            format!("'{}' is not a deal's GUID: {error}", shorten(id)),
        )
    })?;
    match version {
        None => Ok(DealVersion::keyed(id, None)),
        Some(version) if version.is_empty() || version.chars().count() > MAX_VERSION_CHARS => {
            Err(ApiError::bad(
                "deals",
                format!(
                    "the modifiedOn of deal {id} must be 1 to {MAX_VERSION_CHARS} characters, \
                     not '{}'",
                    shorten(version)
                ),
            ))
        }
        Some(version) => Ok(DealVersion::keyed(id, Some(version))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_ids_with_their_modified_on() {
        let id = "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d";
        let deals = parse_deals(Some(&format!(
            "{id}@2026-11-18T10:00:00Z, {{{}}}",
            id.to_uppercase()
        )))
        .unwrap();
        assert_eq!(deals[0].version, "2026-11-18T10:00:00Z");
        assert_eq!(deals[1].id, deals[0].id);
        assert_eq!(
            deals[1],
            DealVersion::keyed(deals[0].id, None),
            "a bare id is keyed as a deal without modifiedOn"
        );
    }
}
