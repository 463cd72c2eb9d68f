//! The HTTP surface: `/api/...` (problem+json errors, function keys on the data routes) and
//! the widget's files.

pub mod connector_swagger;
mod customers;
mod deal_summary;
mod health;
mod leads;
mod notes;
mod query;
mod summaries;
pub mod swagger;
mod swagger_share;
pub mod widget;
mod write_body;

use std::sync::Arc;

use axum::extract::Request;
use axum::http::HeaderMap;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;
use dealpane_contract::DealSummaryResponse;
use tokio::time::Instant;

use crate::auth::{identify, Gate};
use crate::cache::{AnswerCache, AnswerKey};
use crate::error::ApiError;
use crate::service::{DealQuery, DealService, ServiceError};
use crate::summaries::CallerScope;

pub use customers::SEARCH_TOP_DEFAULT;
pub use query::{negotiate, Representation};

/// The API's routes, spelled as the router matches them; [`canonical_api_path`] maps any other
/// casing onto these.
pub mod paths {
    pub const DEAL_SUMMARY: &str = "/api/DealSummary";
    pub const CUSTOMERS: &str = "/api/customers";
    /// The long-poll for summaries a DealSummary answer listed as `pending`.
    pub const SUMMARIES: &str = "/api/summaries";
    pub const HEALTH: &str = "/api/health";
    /// Share with Sales (issue 12): notes to a deal's owner, and suggested deals.
    pub const DEAL_NOTES: &str = "/api/deals/{dealId}/notes";
    pub const LEADS: &str = "/api/leads";
    pub const SWAGGER: &str = "/api/swagger.json";
    /// The custom connector for Copilot Studio's MCP path (issue 13).
    pub const MCP_CONNECTOR: &str = "/api/mcp/connector.swagger.json";
    /// Every route above, for [`super::canonical_api_path`].
    pub const ALL: [&str; 6] = [
        DEAL_SUMMARY,
        CUSTOMERS,
        SUMMARIES,
        HEALTH,
        SWAGGER,
        MCP_CONNECTOR,
    ];
    /// MCP (issue 13), also at `/mcp`: the Azure Functions host forwards only `/api/...`. Not in
    /// [`ALL`]: an MCP client posts to the URL as configured, and answers only POST.
    pub const MCP: &str = "/api/mcp";
}

#[derive(Clone)]
pub struct AppState {
    pub service: Arc<DealService>,
    pub cache: AnswerCache,
    pub share: Arc<crate::share::ShareService>,
}

impl AppState {
    /// The JSON DealSummary answer for `scope`: the customer and deals (from the answer cache,
    /// or found now within the upstream budget), each summary as it stands (`ready`,
    /// `unavailable`, or `pending` and being generated). `refresh` retries failed summaries.
    pub async fn deal_summary(
        &self,
        scope: &CallerScope,
        query: DealQuery,
        refresh: bool,
    ) -> Result<DealSummaryResponse, Arc<ServiceError>> {
        let mut answer = self.deals(scope, query, self.service.deadline()).await?;
        self.service
            .add_summaries(scope, &mut answer.deals, refresh)
            .await;
        Ok(answer)
    }

    /// The customer and deals without summaries (each `pending`), from the answer cache.
    pub async fn deals(
        &self,
        scope: &CallerScope,
        query: DealQuery,
        deadline: Instant,
    ) -> Result<DealSummaryResponse, Arc<ServiceError>> {
        let service = self.service.clone();
        let key = AnswerKey::new(scope, &query);
        let found = self
            .cache
            .get_or_compute(key, move || async move {
                service.find_deals(&query, deadline).await
            })
            .await?;
        Ok((*found).clone())
    }
}

/// `/api/...`: DealSummary, summaries and customers need a function key when keys are configured; health
/// and swagger.json are open (probes and connector imports).
/// `/mcp` (issue 13) is keyed too, behind its own Origin check.
pub fn api(state: AppState, gate: Gate, mcp: crate::mcp::McpOptions) -> Router {
    let keyed = Router::new()
        .route(paths::DEAL_SUMMARY, get(deal_summary::deal_summary))
        .route(paths::CUSTOMERS, get(customers::customers))
        .route(paths::DEAL_NOTES, get(notes::list).post(notes::create))
        .route(paths::LEADS, post(leads::create))
        .route(paths::SUMMARIES, get(summaries::summaries))
        .merge(crate::mcp::routes(state.clone(), mcp.origins))
        .route_layer(from_fn_with_state(gate, identify));
    Router::new()
        .merge(keyed)
        .route(paths::HEALTH, get(health::health))
        .route(paths::SWAGGER, get(swagger::swagger))
        .route(paths::MCP_CONNECTOR, connector_swagger::route(mcp.oauth))
        .route("/api", get(api_not_found))
        .route("/api/{*rest}", get(api_not_found))
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

/// Whose view of Sales a request gets, which keys every cache of caller-dependent content.
/// Every call is the application user's for now; with per-agent access (issue 11) it is the
/// agent's from the validated token.
pub(crate) fn caller_scope(_headers: &HeaderMap) -> CallerScope {
    crate::auth::current().map_or_else(CallerScope::app, |identity| identity.scope)
}

async fn api_not_found(request: Request) -> ApiError {
    ApiError::RouteNotFound(request.uri().path().to_owned())
}

async fn method_not_allowed(request: Request) -> ApiError {
    let path = request.uri().path();
    // The writes (issue 12) take POST; every other API route reads.
    let allow = if path == paths::LEADS {
        "POST"
    } else if path.starts_with("/api/deals/") && path.ends_with("/notes") {
        "GET, HEAD, POST"
    } else {
        "GET, HEAD"
    };
    ApiError::MethodNotAllowed {
        method: request.method().to_string(),
        allow,
    }
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
