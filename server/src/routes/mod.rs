//! The HTTP surface.

use std::path::PathBuf;
use std::sync::Arc;

use axum::{routing::get, Json, Router};
use dealpane_contract::Health;
use tower_http::services::{ServeDir, ServeFile};

use crate::source::SalesSource;

#[derive(Clone)]
pub struct AppState {
    pub source: Arc<dyn SalesSource>,
    /// The built widget (trunk's `dist/`).
    pub widget_dir: PathBuf,
}

pub fn router(state: AppState) -> Router {
    let widget = ServeDir::new(&state.widget_dir)
        .fallback(ServeFile::new(state.widget_dir.join("index.html")));
    Router::new()
        .route("/api/health", get(health))
        .fallback_service(widget)
        .with_state(state)
}

async fn health(axum::extract::State(state): axum::extract::State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        source: state.source.name().into(),
        version: env!("CARGO_PKG_VERSION").into(),
        customers: None,
        deals: None,
    })
}
