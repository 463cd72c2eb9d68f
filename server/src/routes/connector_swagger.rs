//! `GET /api/mcp/connector.swagger.json`: a Power Platform custom connector for `/mcp`. Copilot
//! Studio treats an operation marked `x-ms-agentic-protocol: mcp-streamable-1.0` as an MCP
//! server and lists its tools itself, so the document has one operation and no schemas.
//! Open, like `/api/swagger.json`: it is imported before any key is configured.

use std::sync::Arc;

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::IntoResponse;
use axum::routing::{get, MethodRouter};
use axum::Json;
use serde_json::{json, Value};

use super::swagger::host_and_scheme;
use crate::auth::KEY_HEADER;

/// The route, offering Entra sign-in too when `entra` is set.
pub fn route<S: Clone + Send + Sync + 'static>(entra: Option<Arc<EntraOAuth>>) -> MethodRouter<S> {
    get(move |headers: HeaderMap| async move {
        let (host, scheme) = host_and_scheme(&headers);
        (
            [(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))],
            Json(document(host, scheme, entra.as_deref())),
        )
            .into_response()
    })
}

/// Microsoft Entra ID sign-in for the connector (OAuth 2.0 authorization code), when the
/// server validates Entra tokens.
pub struct EntraOAuth {
    pub tenant_id: String,
    /// The API's scope, e.g. `api://<app id>/Deals.Read`.
    pub scope: String,
}

impl EntraOAuth {
    /// From `--entra-tenant-id`, `--entra-audience` and `--entra-required-scope`; `None`
    /// without Entra. An audience that is a bare client id gets the `api://` prefix.
    pub fn from_settings(settings: &crate::Settings) -> Option<EntraOAuth> {
        let tenant_id = settings.entra_tenant_id.clone()?;
        let audience = settings.entra_audience.as_deref()?.trim_end_matches('/');
        let resource = if audience.contains("://") {
            audience.to_owned()
        } else {
            format!("api://{audience}")
        };
        Some(EntraOAuth {
            tenant_id,
            scope: format!("{resource}/{}", settings.entra_required_scope),
        })
    }
}

/// The connector definition; `host` and `scheme` are where the caller reached this server.
pub fn document(host: &str, scheme: &str, entra: Option<&EntraOAuth>) -> Value {
    let mut security_definitions = json!({
        // A header, not `code` in the query: query strings end up in proxies' logs.
        "function_key": {"type": "apiKey", "name": KEY_HEADER, "in": "header"}
    });
    let mut security = vec![json!({"function_key": []})];
    if let Some(entra) = entra {
        let base = format!(
            "https://login.microsoftonline.com/{}/oauth2/v2.0",
            entra.tenant_id
        );
        security_definitions["entra"] = json!({
            "type": "oauth2",
            "flow": "accessCode",
            "authorizationUrl": format!("{base}/authorize"),
            "tokenUrl": format!("{base}/token"),
            "scopes": {entra.scope.clone(): "Read the customer's Sales deals"},
        });
        security.push(json!({"entra": [entra.scope]}));
    }
    json!({
        "swagger": "2.0",
        "info": {
            "title": "dealpane",
            "description": "A customer's open Dynamics 365 Sales deals with an AI summary of each, across environments, as MCP tools for Copilot in Dynamics 365 Customer Service.",
            "version": env!("CARGO_PKG_VERSION"),
        },
        "host": host,
        // `/api/mcp`: the Azure Functions host forwards only `/api/...` (`/mcp` works elsewhere).
        "basePath": "/api",
        "schemes": [scheme],
        "paths": {
            "/mcp": {
                "post": {
                    "summary": "dealpane: customers' Sales deals and summaries",
                    "description": "dealpane's MCP server (Streamable HTTP): get_customer_deals, search_customers and the tools that write to Sales.",
                    "operationId": "InvokeMCP",
                    "x-ms-agentic-protocol": "mcp-streamable-1.0",
                    "responses": {"200": {"description": "Success"}},
                }
            }
        },
        "securityDefinitions": security_definitions,
        "security": security,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_mcp_operation_keyed_by_header_and_oauth_when_entra_is_set() {
        let doc = document("deals.contoso.com", "https", None);
        assert_eq!(doc["swagger"], "2.0");
        let post = &doc["paths"]["/mcp"]["post"];
        assert_eq!(post["x-ms-agentic-protocol"], "mcp-streamable-1.0");
        assert_eq!(post["operationId"], "InvokeMCP");
        assert_eq!(
            doc["securityDefinitions"]["function_key"]["name"],
            "x-functions-key"
        );
        assert!(doc["securityDefinitions"].get("entra").is_none());

        let entra = EntraOAuth {
            tenant_id: "contoso.onmicrosoft.com".into(),
            scope: "api://dealpane/Deals.Read".into(),
        };
        let doc = document("deals.contoso.com", "https", Some(&entra));
        let oauth = &doc["securityDefinitions"]["entra"];
        assert_eq!(oauth["flow"], "accessCode");
        assert_eq!(
            oauth["tokenUrl"],
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"
        );
        assert_eq!(doc["security"][1]["entra"][0], "api://dealpane/Deals.Read");
    }

    #[test]
    fn the_scope_comes_from_the_entra_settings() {
        let mut settings = crate::Settings::default();
        assert!(EntraOAuth::from_settings(&settings).is_none());
        settings.entra_tenant_id = Some("tenant".into());
        settings.entra_audience = Some("11111111-2222-3333-4444-555555555555".into());
        let oauth = EntraOAuth::from_settings(&settings).unwrap();
        assert_eq!(
            oauth.scope,
            "api://11111111-2222-3333-4444-555555555555/Deals.Read"
        );
        settings.entra_audience = Some("api://dealpane/".into());
        let oauth = EntraOAuth::from_settings(&settings).unwrap();
        assert_eq!(oauth.scope, "api://dealpane/Deals.Read");
    }
}
