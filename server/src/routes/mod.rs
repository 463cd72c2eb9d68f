//! The HTTP surface: `/api/...` (problem+json errors, function keys on the data routes) and
//! the widget's files.

mod customers;
mod deal_summary;
mod health;
mod query;
pub mod swagger;
pub mod widget;

use std::sync::Arc;

use axum::extract::Request;
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use axum::Router;

use crate::auth::{require_function_key, FunctionKeys};
use crate::cache::AnswerCache;
use crate::error::ApiError;
use crate::service::DealService;

pub use query::{negotiate, Representation};

/// The API's routes, spelled as the router matches them; [`canonical_api_path`] maps any other
/// casing onto these.
pub mod paths {
    pub const DEAL_SUMMARY: &str = "/api/DealSummary";
    pub const CUSTOMERS: &str = "/api/customers";
    pub const HEALTH: &str = "/api/health";
    pub const SWAGGER: &str = "/api/swagger.json";
    /// Every route above, for [`super::canonical_api_path`].
    pub const ALL: [&str; 4] = [DEAL_SUMMARY, CUSTOMERS, HEALTH, SWAGGER];
}

#[derive(Clone)]
pub struct AppState {
    pub service: Arc<DealService>,
    pub cache: AnswerCache,
}

/// `/api/...`: DealSummary and customers need a function key when keys are configured; health
/// and swagger.json are open (probes and connector imports).
pub fn api(state: AppState, keys: FunctionKeys) -> Router {
    let keyed = Router::new()
        .route(paths::DEAL_SUMMARY, get(deal_summary::deal_summary))
        .route(paths::CUSTOMERS, get(customers::customers))
        .route_layer(from_fn_with_state(keys, require_function_key));
    Router::new()
        .merge(keyed)
        .route(paths::HEALTH, get(health::health))
        .route(paths::SWAGGER, get(swagger::swagger))
        .route("/api", get(api_not_found))
        .route("/api/{*rest}", get(api_not_found))
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

async fn api_not_found(request: Request) -> ApiError {
    ApiError::RouteNotFound(request.uri().path().to_owned())
}

async fn method_not_allowed(request: Request) -> ApiError {
    ApiError::MethodNotAllowed(request.method().to_string())
}

/// Azure Functions routes are case-insensitive (`/api/dealsummary` works there), so known API
/// paths are rewritten to their canonical spelling before routing.
pub fn canonical_api_path(mut request: Request) -> Request {
    let path = request.uri().path();
    let canonical = paths::ALL
        .into_iter()
        .find(|known| *known != path && known.eq_ignore_ascii_case(path));
    if let Some(known) = canonical {
        let rebuilt = match request.uri().query() {
            Some(query) => format!("{known}?{query}"),
            None => known.to_owned(),
        };
        if let Ok(uri) = rebuilt.parse() {
            *request.uri_mut() = uri;
        }
    }
    request
}
