//! Serving the widget: CSP (with the inline loader's hash), security headers, caching by file
//! kind, the wasm MIME type, compression that keeps bytes exact, config.json, the preview.

mod support;

use base64::Engine;
use sha2::{Digest, Sha256};
use support::{
    gunzip, header, settings, unbrotli, widget_js, widget_wasm, Dirs, FakeSource, Server, LOADER,
};

async fn start(frame_ancestors: Option<&str>) -> (Server, Dirs) {
    let dirs = Dirs::new();
    let mut settings = settings(&dirs);
    if let Some(sources) = frame_ancestors {
        settings.frame_ancestors = sources.to_owned();
    }
    settings.connect_src = Some("https://telemetry.example.com".into());
    let server = Server::start(&settings, FakeSource::new()).await;
    (server, dirs)
}

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Status, content type and cache policy: what every served file is checked for.
fn served(response: &reqwest::Response) -> (u16, &str, &str) {
    (
        response.status().as_u16(),
        header(response, "content-type"),
        header(response, "cache-control"),
    )
}

fn directive<'a>(policy: &'a str, name: &str) -> &'a str {
    policy
        .split(';')
        .map(str::trim)
        .find(|d| d.split_whitespace().next() == Some(name))
        .unwrap_or_else(|| panic!("no {name} in {policy}"))
}

#[tokio::test]
async fn index_has_a_csp_that_allows_exactly_its_inline_loader() {
    let (server, _dirs) = start(None).await;
    let response = server.get("/").await;
    assert_eq!(response.status(), 200);
    assert!(header(&response, "content-type").starts_with("text/html"));
    assert_eq!(header(&response, "cache-control"), "no-cache");
    assert_eq!(header(&response, "x-content-type-options"), "nosniff");
    assert_eq!(
        header(&response, "referrer-policy"),
        "strict-origin-when-cross-origin"
    );
    let policy = header(&response, "content-security-policy").to_owned();
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(LOADER.as_bytes()));
    assert_eq!(
        directive(&policy, "script-src"),
        format!("script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}'")
    );
    assert_eq!(
        directive(&policy, "frame-ancestors"),
        "frame-ancestors 'self' https://*.dynamics.com https://*.powerapps.com"
    );
    for expected in [
        "default-src 'self'",
        "style-src 'self'",
        "connect-src 'self' https://telemetry.example.com",
        "img-src 'self' data:",
        "base-uri 'none'",
        "object-src 'none'",
    ] {
        let name = expected.split_whitespace().next().unwrap();
        assert_eq!(directive(&policy, name), expected);
    }
    assert!(!policy.contains("unsafe-inline"));
    assert!(response.text().await.unwrap().contains(LOADER));
}

#[tokio::test]
async fn frame_ancestors_come_from_settings_and_apply_to_the_api_too() {
    let (server, _dirs) = start(Some("https://contoso.crm4.dynamics.com")).await;
    for path in ["/", "/index.html", "/config.json", "/api/health"] {
        let response = server.get(path).await;
        let policy = header(&response, "content-security-policy");
        assert_eq!(
            directive(policy, "frame-ancestors"),
            "frame-ancestors https://contoso.crm4.dynamics.com",
            "{path}"
        );
    }
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_wasm_has_its_mime_type() {
    let (server, _dirs) = start(None).await;
    let wasm = server.get("/dealpane-1a2b3c4d5e6f7a8b_bg.wasm").await;
    assert_eq!(served(&wasm), (200, "application/wasm", IMMUTABLE));
    assert_eq!(
        wasm.bytes().await.unwrap().as_ref(),
        widget_wasm().as_slice()
    );

    let js = server.get("/dealpane-1a2b3c4d5e6f7a8b.js").await;
    assert!(header(&js, "content-type").contains("javascript"));
    assert_eq!(header(&js, "cache-control"), IMMUTABLE);

    let missing = server.get("/dealpane-0000000000000000.js").await;
    assert_eq!(missing.status(), 404);
    assert!(missing.headers().get("cache-control").is_none());
}

#[tokio::test]
async fn gzip_and_brotli_change_only_the_encoding() {
    let (server, _dirs) = start(None).await;
    for (path, original) in [
        ("/dealpane-1a2b3c4d5e6f7a8b.js", widget_js().into_bytes()),
        ("/dealpane-1a2b3c4d5e6f7a8b_bg.wasm", widget_wasm()),
    ] {
        for (encoding, decode) in [("gzip", gunzip as fn(&[u8]) -> Vec<u8>), ("br", unbrotli)] {
            let response = server
                .get_with(path, &[("accept-encoding", encoding)])
                .await;
            assert_eq!(header(&response, "content-encoding"), encoding);
            let compressed = response.bytes().await.unwrap();
            assert!(compressed.len() < original.len(), "{path} {encoding}");
            assert_eq!(decode(&compressed), original, "{path} {encoding}");
        }
    }
}

/// A language file (trunk copies `static/i18n/` into `dist/i18n/`): JSON, revalidated on each
/// load like every unhashed file (its name does not change when its words do), compressed.
#[tokio::test]
async fn language_files_are_json_revalidated_and_compressed() {
    let (server, dirs) = start(None).await;
    let german = include_str!("../../static/i18n/de.json");
    std::fs::create_dir_all(dirs.dist().join("i18n")).unwrap();
    std::fs::write(dirs.dist().join("i18n/de.json"), german).unwrap();

    let response = server.get("/i18n/de.json").await;
    assert_eq!(served(&response), (200, "application/json", "no-cache"));
    let modified = header(&response, "last-modified").to_owned();
    assert_eq!(response.text().await.unwrap(), german);

    let again = server
        .get_with("/i18n/de.json", &[("if-modified-since", modified.as_str())])
        .await;
    assert_eq!(again.status(), 304);
    assert_eq!(header(&again, "cache-control"), "no-cache");

    let zipped = server
        .get_with("/i18n/de.json", &[("accept-encoding", "gzip")])
        .await;
    assert_eq!(header(&zipped, "content-encoding"), "gzip");
    assert_eq!(gunzip(&zipped.bytes().await.unwrap()), german.as_bytes());

    let missing = server.get("/i18n/xx.json").await;
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn config_json_comes_from_settings() {
    let (server, _dirs) = start(None).await;
    let response = server.get("/config.json").await;
    assert_eq!(served(&response), (200, "application/json", "no-cache"));
    let config: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        config,
        serde_json::json!({"apiBase": "/api", "requestTimeoutMs": 15000})
    );
}

#[tokio::test]
async fn the_preview_is_served_with_its_own_policy() {
    let (server, dirs) = start(None).await;
    let redirect = server.get("/preview").await;
    assert_eq!(redirect.status(), 308);
    assert_eq!(header(&redirect, "location"), "/preview/");

    let response = server.get("/preview/").await;
    assert_eq!(response.status(), 200);
    let policy = header(&response, "content-security-policy").to_owned();
    assert_eq!(directive(&policy, "frame-src"), "frame-src 'self'");
    let inline = "window.preview = 1;";
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(inline.as_bytes()));
    assert!(directive(&policy, "script-src").contains(&format!("'sha256-{hash}'")));
    assert!(response.text().await.unwrap().contains("<iframe"));

    std::fs::write(dirs.preview().join("floor.js"), "console.log(1)").unwrap();
    let js = server.get("/preview/floor.js?v=1").await;
    assert_eq!(js.status(), 200);
    assert_eq!(js.text().await.unwrap(), "console.log(1)");
    // The widget's own pages do not allow framing others.
    let root = server.get("/").await;
    assert!(!header(&root, "content-security-policy").contains("frame-src"));
}
