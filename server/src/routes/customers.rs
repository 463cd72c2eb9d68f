//! `GET /api/customers?q=&top=`: the preview's customer picker (prefix search by name).

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use dealpane_contract::limits::SEARCH_TOP_MAX;
use dealpane_contract::CustomerList;

use super::query::Params;
use super::AppState;
use crate::error::ApiError;

pub const SEARCH_TOP_DEFAULT: u8 = 8;

pub async fn customers(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref())?;
    // An empty prefix lists the first customers by name.
    let prefix = params.bounded_text("q")?.unwrap_or_default();
    let top = params.number("top", 1, SEARCH_TOP_MAX, SEARCH_TOP_DEFAULT)?;
    let customers = state
        .service
        .search_customers(prefix, top)
        .await
        .map_err(|error| ApiError::from(&error))?;
    Ok((
        [(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, max-age=30"),
        )],
        Json(CustomerList { customers }),
    )
        .into_response())
}
