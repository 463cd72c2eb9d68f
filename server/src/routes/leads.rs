//! `POST /api/leads`: suggest a new deal for the customer (a Sales lead, once per
//! `Idempotency-Key`).

use axum::extract::{Request, State};
use axum::response::Response;
use dealpane_contract::LeadRequest;

use super::write_body::{send, WriteRequest};
use super::AppState;
use crate::error::ApiError;

pub async fn create(State(state): State<AppState>, request: Request) -> Result<Response, ApiError> {
    let request = WriteRequest::<LeadRequest>::read(request).await?;
    let answer = state
        .share
        .create_lead(
            request.identity.as_ref(),
            request.key.as_ref(),
            request.body,
        )
        .await?;
    Ok(send(answer))
}
