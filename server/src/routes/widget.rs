//! The built widget (trunk's `dist/`), its `config.json`, and the preview pages under
//! `/preview/`. Files are served byte for byte (SRI checks them); only `Content-Encoding`
//! compression sits in between.

use std::path::Path;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use tower::ServiceExt;
use tower_http::services::ServeDir;

use crate::settings::Settings;

/// What the widget reads at start-up from `/config.json`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WidgetConfig {
    pub api_base: String,
    pub request_timeout_ms: u64,
    /// Present when the API takes Entra ID tokens and the widget has a client id: the widget
    /// then signs in (authorization code + PKCE) before it calls the API.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth: Option<WidgetAuth>,
}

/// How the widget signs in: `{authority}/oauth2/v2.0/authorize` and `.../token` are the
/// endpoints (Entra's v2.0 shape; the local issuer's too).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WidgetAuth {
    /// `https://login.microsoftonline.com/<tenant>`.
    pub authority: String,
    pub tenant_id: String,
    pub client_id: String,
    /// The API's scope (`<audience>/Deals.Read`) and `offline_access` (refresh tokens).
    pub scopes: Vec<String>,
}

impl WidgetConfig {
    pub fn from_settings(settings: &Settings) -> WidgetConfig {
        let auth = match (
            &settings.entra_tenant_id,
            &settings.entra_audience,
            &settings.widget_client_id,
        ) {
            (Some(tenant), Some(audience), Some(client_id)) => Some(WidgetAuth {
                authority: format!(
                    "{}/{tenant}",
                    settings.entra_authority.trim_end_matches('/')
                ),
                tenant_id: tenant.clone(),
                client_id: client_id.clone(),
                scopes: vec![
                    format!(
                        "{}/{}",
                        audience.trim_end_matches('/'),
                        settings.entra_required_scope
                    ),
                    "offline_access".to_owned(),
                ],
            }),
            _ => None,
        };
        WidgetConfig {
            api_base: "/api".to_owned(),
            request_timeout_ms: settings.widget_timeout.as_millis() as u64,
            auth,
        }
    }
}

/// Routes for `/config.json`, `/preview/...`, and every other path as a widget file.
pub fn routes(settings: &Settings) -> Router {
    let config = WidgetConfig::from_settings(settings);
    let preview = ServeDir::new(&settings.preview_dir);
    let serve_preview = move |request: Request| {
        let preview = preview.clone();
        async move { preview.oneshot(strip_preview_prefix(request)).await }
    };
    Router::new()
        .route(
            "/config.json",
            get(move || {
                let config = config.clone();
                async move { Json(config) }
            }),
        )
        .route(
            "/preview",
            get(|| async { Redirect::permanent("/preview/") }),
        )
        .route("/preview/", get(serve_preview.clone()))
        .route("/preview/{*path}", get(serve_preview))
        .fallback_service(ServeDir::new(&settings.widget_dir))
        .layer(axum::middleware::from_fn(cache_headers))
}

fn strip_preview_prefix(mut request: Request) -> Request {
    let uri = request.uri();
    let path = uri.path().strip_prefix("/preview").unwrap_or("/");
    let rebuilt = match uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    };
    if let Ok(stripped) = rebuilt.parse() {
        *request.uri_mut() = stripped;
    }
    request
}

/// trunk names hashed assets `name-<hex hash>.ext` (also `name-<hash>_bg.wasm`): those never
/// change and are cached for a year; everything else is revalidated on each load.
async fn cache_headers(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    if response.status() == StatusCode::OK || response.status() == StatusCode::NOT_MODIFIED {
        let value = if is_hashed_asset(&path) {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    } else if response.status() == StatusCode::NOT_FOUND
        && !response.headers().contains_key(header::CONTENT_TYPE)
    {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    }
    response
}

pub fn is_hashed_asset(path: &str) -> bool {
    let Some(name) = Path::new(path).file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(base, hash)| {
        !base.is_empty()
            && (8..=32).contains(&hash.len())
            && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognizes_trunk_hashed_names() {
        for hashed in [
            "/dealpane-1a2b3c4d5e6f7a8b.js",
            "/dealpane-1a2b3c4d5e6f7a8b_bg.wasm",
            "/main-8f3a21c0d4e5b6a7.css",
            "/snippets/x/inline0-0123456789abcdef.js",
        ] {
            assert!(is_hashed_asset(hashed), "{hashed}");
        }
        for plain in [
            "/",
            "/index.html",
            "/config.json",
            "/dealpane.js",
            "/my-app.css",
            "/favicon.ico",
        ] {
            assert!(!is_hashed_asset(plain), "{plain}");
        }
    }
}
