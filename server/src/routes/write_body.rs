//! What every write route shares: its JSON body read within bounds (415 when not JSON, 413 over
//! 16 KiB, 400 when malformed), the caller's identity and idempotency key, and how a write's
//! answer is sent.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use dealpane_contract::WRITE_BODY_MAX_BYTES;
use serde::de::DeserializeOwned;

use crate::auth::Identity;
use crate::error::ApiError;
use crate::idempotency::{Answer, IdempotencyKey};

/// Says that an answer is the stored one of an earlier request with the same key.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";

/// A write request taken apart.
pub struct WriteRequest<T> {
    pub body: T,
    pub key: Option<IdempotencyKey>,
    pub identity: Option<Identity>,
}

impl<T: DeserializeOwned> WriteRequest<T> {
    pub async fn read(request: Request) -> Result<WriteRequest<T>, ApiError> {
        let (parts, body) = request.into_parts();
        check_json_type(&parts.headers)?;
        let key = IdempotencyKey::from_headers(&parts.headers)?;
        let bytes = read_bounded(&parts.headers, body).await?;
        let body = serde_json::from_slice(&bytes)
            .map_err(|error| ApiError::bad("body", format!("is not the expected JSON: {error}")))?;
        Ok(WriteRequest {
            body,
            key,
            // The gate (`crate::auth::identify`) runs the request as its caller.
            identity: crate::auth::current(),
        })
    }
}

/// `application/json` or any `application/*+json`, parameters (charset) allowed.
fn check_json_type(headers: &HeaderMap) -> Result<(), ApiError> {
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(|media| media.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let json = media == "application/json"
        || (media.starts_with("application/") && media.ends_with("+json"));
    if json {
        Ok(())
    } else {
        Err(ApiError::UnsupportedMediaType)
    }
}

async fn read_bounded(headers: &HeaderMap, body: Body) -> Result<Vec<u8>, ApiError> {
    let too_large = ApiError::BodyTooLarge {
        limit: WRITE_BODY_MAX_BYTES,
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > WRITE_BODY_MAX_BYTES as u64) {
        return Err(too_large);
    }
    axum::body::to_bytes(body, WRITE_BODY_MAX_BYTES)
        .await
        .map(|bytes| bytes.to_vec())
        .map_err(|_| too_large)
}

/// A write's answer as JSON, never cached; a replay says so.
pub fn send(answer: Answer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::CREATED);
    let mut response = (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        answer.body,
    )
        .into_response();
    if answer.replayed {
        response
            .headers_mut()
            .insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
    }
    response
}

/// A deal id from the path: 400 when it is not a GUID.
pub fn deal_id(text: &str) -> Result<dealpane_contract::Guid, ApiError> {
    dealpane_contract::Guid::parse(text).map_err(|error| {
        ApiError::bad(
            "dealId",
            format!("'{}' is not a GUID: {error}", super::query::shorten(text)),
        )
    })
}
