//! `/mcp`: dealpane as a Model Context Protocol server, Copilot Studio's way to call tools.
//!
//! Streamable HTTP through the official Rust SDK (`rmcp`), **stateless**: no `Mcp-Session-Id`,
//! every POST is answered on its own with `application/json` (no SSE stream is held open), so
//! any instance behind the load balancer can answer any request. GET (a server-sent stream)
//! and DELETE (ending a session) are refused with 405, as the spec allows a stateless server.
//!
//! The router mounts it among the keyed data routes, so it takes the same function key or
//! token as the API; [`origin`] checks `Origin` first, against DNS rebinding.

mod args;
pub mod origin;
mod schema;
mod text;
mod tools;
mod writes;

use std::sync::Arc;

use axum::extract::Request;
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::Response;
use axum::Router;
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};

pub use origin::OriginPolicy;
pub use tools::DealTools;

use crate::auth::Identity;
use crate::routes::connector_swagger::EntraOAuth;
use crate::routes::AppState;

/// What `/mcp` and its connector file take from the settings.
#[derive(Clone)]
pub struct McpOptions {
    pub origins: OriginPolicy,
    /// Offered in the connector file besides the function key.
    pub oauth: Option<Arc<EntraOAuth>>,
}

impl McpOptions {
    /// `authenticated`: callers must present a key or token (see [`OriginPolicy`]).
    pub fn from_settings(settings: &crate::Settings, authenticated: bool) -> McpOptions {
        McpOptions {
            origins: OriginPolicy::new(&settings.mcp_allowed_origins, authenticated),
            oauth: EntraOAuth::from_settings(settings).map(Arc::new),
        }
    }
}

/// Where the MCP endpoint is; also at [`crate::routes::paths::MCP`] (`/api/mcp`), the path the
/// Azure Functions host forwards and the connector file names.
pub const PATH: &str = "/mcp";

/// A JSON-RPC message is small; this bounds what a caller can make the server read.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// The `/mcp` route, behind the origin check; the caller adds authentication.
pub fn routes<S: Clone + Send + Sync + 'static>(
    state: AppState,
    origins: OriginPolicy,
) -> Router<S> {
    let tools = DealTools::new(state);
    let config = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_sse_keep_alive(None)
        // Host and Origin are checked by `origin` (the SDK's default allows loopback Hosts only,
        // which would refuse every deployment).
        .disable_allowed_hosts()
        .with_max_request_body_bytes(MAX_BODY_BYTES);
    let service = StreamableHttpService::new(
        move || Ok(tools.clone()),
        NeverSessionManager::default().into(),
        config,
    );
    Router::new()
        .route_service(PATH, service.clone())
        .route_service(crate::routes::paths::MCP, service)
        .route_layer(from_fn(carry_identity))
        .route_layer(from_fn_with_state(origins, origin::check_origin))
}

/// The identity the auth layer gave this request (see `tools::as_caller`).
#[derive(Clone)]
struct Carried(Option<Identity>);

async fn carry_identity(mut request: Request, next: Next) -> Response {
    request
        .extensions_mut()
        .insert(Carried(crate::auth::current()));
    next.run(request).await
}
