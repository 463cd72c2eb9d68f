//! `POST /api/leads`: suggest a new deal for the customer (a Sales lead, once per
//! `Idempotency-Key`).

use axum::extract::{Request, State};
use axum::response::Response;
use dealpane_contract::LeadRequest;

use super::write_body::{send, WriteRequest};
use super::AppState;
use crate::error::ApiError;
use crate::share::key_scope;

pub async fn create(State(state): State<AppState>, request: Request) -> Result<Response, ApiError> {
    let request = WriteRequest::<LeadRequest>::read(request).await?;
    let identity = request.identity.as_ref();
    let answer = state
        .share
        .create_lead(
            state.share.sender(identity),
            request.key.as_ref(),
            &key_scope(identity),
            request.body,
        )
        .await?;
    Ok(send(answer))
}
