//! `GET /api/health`: the source's name, counts and upstream use; 503 `degraded` when the source
//! fails, 200 `degraded` when only the shared cache does (the instance still serves).

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::AppState;

pub async fn health(State(state): State<AppState>) -> Response {
    let (status, health) = match state.service.health().await {
        Ok(health) => (StatusCode::OK, health),
        Err(degraded) => (StatusCode::SERVICE_UNAVAILABLE, degraded),
    };
    (
        status,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(health),
    )
        .into_response()
}
