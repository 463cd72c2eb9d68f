//! `POST /api/deals/{dealId}/notes` (tell the deal's owner: a Sales task, once per
//! `Idempotency-Key`) and `GET` (the notes sent through dealpane, newest first).

use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use dealpane_contract::NoteRequest;

use super::write_body::{deal_id, send, WriteRequest};
use super::AppState;
use crate::error::ApiError;

pub async fn create(
    State(state): State<AppState>,
    Path(deal): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let deal_id = deal_id(&deal)?;
    let request = WriteRequest::<NoteRequest>::read(request).await?;
    let answer = state
        .share
        .create_note(
            request.identity.as_ref(),
            request.key.as_ref(),
            deal_id,
            request.body,
        )
        .await?;
    Ok(send(answer))
}

pub async fn list(
    State(state): State<AppState>,
    Path(deal): Path<String>,
) -> Result<Response, ApiError> {
    let notes = state.share.list_notes(deal_id(&deal)?).await?;
    // A note just sent must show after the tab reloads.
    Ok((
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(notes),
    )
        .into_response())
}
