//! The built widget (trunk's `dist/`), its `config.json`, and the preview pages under
//! `/preview/`. Files are served byte for byte (SRI checks them); only `Content-Encoding`
//! compression sits in between: the `.br` and `.gz` copies the release build writes beside
//! them when they are there, the server's compression layer otherwise.

use std::io::Read;
use std::path::{Path, PathBuf};

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
        .fallback_service(widget_files(&settings.widget_dir))
        .layer(axum::middleware::from_fn(cache_headers))
}

/// The widget's files. With the release build's `.br` and `.gz` copies, a client that accepts
/// brotli or gzip gets the copy as it is (`Content-Encoding` set, `Content-Type` the file's),
/// so the compression layer has nothing left to do; without copies (a debug build, an older
/// deploy) every file is compressed on the fly as before. A copy that does not decode to its
/// file (left over from an older deploy) would serve stale bytes, so then no copy is used.
fn widget_files(dir: &Path) -> Router {
    let files = ServeDir::new(dir);
    match check_precompressed_copies(dir) {
        Ok(0) => Router::new().fallback_service(files),
        Ok(copies) => {
            tracing::info!(dir = %dir.display(), copies, "serving the widget's precompressed copies");
            Router::new()
                .fallback_service(files.precompressed_br().precompressed_gzip())
                .layer(axum::middleware::from_fn(vary_on_accept_encoding))
        }
        Err(problem) => {
            tracing::warn!(
                dir = %dir.display(),
                %problem,
                "not serving the widget's precompressed copies; compressing on the fly \
                 (rebuild the widget with `cargo xtask`, or delete the .br and .gz files)"
            );
            Router::new().fallback_service(files)
        }
    }
}

/// The precompressed copies' extensions, as tower-http's `ServeDir` looks for them.
const COPY_EXTENSIONS: [&str; 2] = ["br", "gz"];

/// How many `.br` and `.gz` copies `dir` holds, once each has been decoded and found equal to
/// the file beside it; the first that is not, as an error.
pub fn check_precompressed_copies(dir: &Path) -> Result<usize, String> {
    if !dir.is_dir() {
        // No widget built: the security headers already say so.
        return Ok(0);
    }
    let mut copies = Vec::new();
    collect_copies(dir, &mut copies).map_err(|e| format!("{}: {e}", dir.display()))?;
    for copy in &copies {
        let original = copy.with_extension("");
        let expected = std::fs::read(&original)
            .map_err(|e| format!("{} has no file beside it ({e})", copy.display()))?;
        let encoded = std::fs::read(copy).map_err(|e| format!("{}: {e}", copy.display()))?;
        let mut decoded = Vec::with_capacity(expected.len());
        let read = if copy.extension().is_some_and(|e| e == "br") {
            brotli::Decompressor::new(encoded.as_slice(), 4096).read_to_end(&mut decoded)
        } else {
            flate2::read::GzDecoder::new(encoded.as_slice()).read_to_end(&mut decoded)
        };
        if read.is_err() || decoded != expected {
            return Err(format!(
                "{} does not decode to {}",
                copy.display(),
                original.display()
            ));
        }
    }
    Ok(copies.len())
}

fn collect_copies(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_copies(&path, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| COPY_EXTENSIONS.contains(&e))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// A file's body then depends on `Accept-Encoding`, also when it is a precompressed copy (which
/// the compression layer, that would say so, leaves alone) and on a 304 (RFC 9110 15.4.5).
async fn vary_on_accept_encoding(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let status = response.status();
    let varies = response
        .headers()
        .get_all(header::VARY)
        .iter()
        .any(|v| v.as_bytes().eq_ignore_ascii_case(b"accept-encoding"));
    if (status.is_success() || status == StatusCode::NOT_MODIFIED) && !varies {
        response
            .headers_mut()
            .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
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
    use std::io::Write;

    use super::*;

    #[test]
    fn copies_count_only_when_each_decodes_to_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let dist = dir.path();
        assert_eq!(check_precompressed_copies(dist), Ok(0));
        assert_eq!(check_precompressed_copies(&dist.join("unbuilt")), Ok(0));

        let js = "export const deals = 1;\n".repeat(50);
        std::fs::create_dir_all(dist.join("i18n")).unwrap();
        std::fs::write(dist.join("app.js"), &js).unwrap();
        std::fs::write(dist.join("i18n/de.json"), "{}").unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(js.as_bytes()).unwrap();
        std::fs::write(dist.join("app.js.gz"), gz.finish().unwrap()).unwrap();
        let mut br = brotli::CompressorWriter::new(Vec::new(), 4096, 11, 22);
        br.write_all(b"{}").unwrap();
        std::fs::write(dist.join("i18n/de.json.br"), br.into_inner()).unwrap();
        assert_eq!(check_precompressed_copies(dist), Ok(2));

        // Not brotli at all, then a valid copy of other bytes, then a copy without its file.
        std::fs::write(dist.join("app.js.br"), "not brotli").unwrap();
        assert!(check_precompressed_copies(dist).is_err());
        let mut stale = brotli::CompressorWriter::new(Vec::new(), 4096, 11, 22);
        stale.write_all(b"export const deals = 0;").unwrap();
        std::fs::write(dist.join("app.js.br"), stale.into_inner()).unwrap();
        let problem = check_precompressed_copies(dist).unwrap_err();
        assert!(problem.contains("app.js.br does not decode"), "{problem}");
        std::fs::remove_file(dist.join("app.js.br")).unwrap();
        std::fs::remove_file(dist.join("app.js")).unwrap();
        let problem = check_precompressed_copies(dist).unwrap_err();
        assert!(problem.contains("no file beside it"), "{problem}");
    }

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
