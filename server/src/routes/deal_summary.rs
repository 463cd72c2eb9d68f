//! `GET /api/DealSummary`: the sample Azure Function's route and query, plus JSON. The JSON
//! answer goes out as soon as the customer and deals are known, each summary `ready` or
//! `pending` (generated in the background; `/api/summaries` brings it); `text/plain` waits for
//! its one summary, as the sample function does.

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use dealpane_contract::limits::{TOP_DEFAULT, TOP_MAX, TOP_MIN};
use dealpane_contract::{CustomerType, Guid};

use super::query::{negotiate, shorten, Params, Representation};
use super::{caller_scope, AppState};
use crate::cache::Answer;
use crate::error::ApiError;
use crate::etag::if_none_match;
use crate::service::DealQuery;

/// The browser may reuse a complete answer for a minute: the workspace reloads the tab on every
/// switch.
const CACHE_CONTROL: &str = "private, max-age=60";
/// An answer with summaries still pending must be revalidated (a 304 while nothing changed), so
/// a reload never shows a `pending` the server has since finished.
const CACHE_CONTROL_PENDING: &str = "private, no-cache";

pub async fn deal_summary(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref())?;
    let representation = negotiate(headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()));
    let mut query = parse_query(&params)?;
    // The sample function answers with the top deal's summary only, so a text/plain answer
    // needs one deal (and one summary call), whatever `top` says.
    if representation == Representation::Text {
        query.top = 1;
    }
    let scope = caller_scope(&headers);
    let refresh = asks_again(&headers);
    let response = match representation {
        Representation::Json => state.deal_summary(&scope, query, refresh).await,
        Representation::Text => {
            // The sample function's contract: the one summary, waited for within the budget.
            let deadline = state.service.deadline();
            let found = state.deals(&scope, query, deadline).await;
            match found {
                Ok(mut answer) => {
                    state
                        .service
                        .add_top_summary(&scope, &mut answer.deals, deadline, refresh)
                        .await;
                    Ok(answer)
                }
                Err(error) => Err(error),
            }
        }
    }
    .map_err(|error| ApiError::from(error.as_ref()))?;
    let answer = Answer::render(response);

    let (body, etag, content_type) = match representation {
        Representation::Json => (answer.json.clone(), &answer.json_etag, "application/json"),
        Representation::Text => (
            answer.text.clone().into_bytes(),
            &answer.text_etag,
            "text/plain; charset=utf-8",
        ),
    };
    // A 304 repeats the tag the client holds (it may carry a content-coding suffix).
    let matched = if_none_match(&headers, etag);
    let shown = matched.as_deref().unwrap_or(etag);
    let etag_value = HeaderValue::from_str(shown)
        .unwrap_or_else(|_| HeaderValue::from_str(etag).expect("an ETag is base64 in quotes"));
    let cache_control = if answer.is_pending() {
        CACHE_CONTROL_PENDING
    } else {
        CACHE_CONTROL
    };
    let common = [
        (header::ETAG, etag_value),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache_control),
        ),
        (header::VARY, HeaderValue::from_static("Accept")),
    ];
    if matched.is_some() {
        return Ok((StatusCode::NOT_MODIFIED, common).into_response());
    }
    Ok((
        StatusCode::OK,
        common,
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body,
    )
        .into_response())
}

/// The agent's Refresh: the widget sends `Cache-Control: no-cache` (as browsers do on a forced
/// reload), so summaries that failed are tried again.
fn asks_again(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::CACHE_CONTROL)
        .iter()
        .chain(headers.get_all(header::PRAGMA).iter())
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|directive| directive.trim().eq_ignore_ascii_case("no-cache"))
}

fn parse_query(params: &Params) -> Result<DealQuery, ApiError> {
    let customer_id = params
        .get("customerId")?
        .map(|text| {
            Guid::parse(text).map_err(|error| {
                ApiError::bad(
                    "customerId",
                    format!("'{}' is not a GUID: {error}", shorten(text)),
                )
            })
        })
        .transpose()?;
    let customer_name = params.bounded_text("customerName")?.map(str::to_owned);
    let kind = params
        .get("customerType")?
        .map(|text| {
            CustomerType::parse(text).ok_or_else(|| {
                ApiError::bad(
                    "customerType",
                    format!("must be 'account' or 'contact', not '{}'", shorten(text)),
                )
            })
        })
        .transpose()?;
    let top = params.number("top", TOP_MIN, TOP_MAX, TOP_DEFAULT)?;
    if customer_id.is_none() && customer_name.is_none() {
        return Err(ApiError::bad(
            "customerId",
            "customerId or customerName is required (the customer's GUID or exact name)",
        ));
    }
    Ok(DealQuery {
        customer_id,
        customer_name,
        kind,
        top,
    })
}
