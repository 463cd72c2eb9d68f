//! The real router on 127.0.0.1:0 over a `SalesSource`, a trunk-like widget directory, and the
//! test settings that point at it.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use dealpane_server::source::SalesSource;
use dealpane_server::{build_app_with_source, serve_on, Settings};
use serde::de::DeserializeOwned;

/// The inline loader trunk emits, exactly; its hash must be in the CSP.
pub const LOADER: &str = "\nimport init, * as bindings from '/dealpane-1a2b3c4d5e6f7a8b.js';\nconst wasm = await init({ module_or_path: '/dealpane-1a2b3c4d5e6f7a8b_bg.wasm' });\nwindow.wasmBindings = bindings;\n";

/// A trunk-like `dist/` and a preview dir.
pub struct Dirs {
    pub root: tempfile::TempDir,
}

impl Dirs {
    pub fn new() -> Dirs {
        let root = tempfile::tempdir().unwrap();
        let dist = root.path().join("dist");
        let preview = root.path().join("preview");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::create_dir_all(&preview).unwrap();
        std::fs::write(
            dist.join("index.html"),
            format!(
                "<!DOCTYPE html><html><head><link rel=\"modulepreload\" href=\"/dealpane-1a2b3c4d5e6f7a8b.js\" \
                 integrity=\"sha384-x\"><script type=\"module\">{LOADER}</script></head><body></body></html>"
            ),
        )
        .unwrap();
        std::fs::write(dist.join("dealpane-1a2b3c4d5e6f7a8b.js"), widget_js()).unwrap();
        std::fs::write(
            dist.join("dealpane-1a2b3c4d5e6f7a8b_bg.wasm"),
            widget_wasm(),
        )
        .unwrap();
        std::fs::write(
            preview.join("index.html"),
            "<!DOCTYPE html><html><body><script>window.preview = 1;</script><iframe src=\"/\"></iframe></body></html>",
        )
        .unwrap();
        Dirs { root }
    }

    pub fn dist(&self) -> std::path::PathBuf {
        self.root.path().join("dist")
    }

    pub fn preview(&self) -> std::path::PathBuf {
        self.root.path().join("preview")
    }
}

pub fn widget_js() -> String {
    "export default function init() { return 42; }\n".repeat(200)
}

pub fn widget_wasm() -> Vec<u8> {
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    bytes.extend((0..4000u32).map(|i| (i % 7) as u8));
    bytes
}

/// Settings for tests: the temp widget dirs, short timeouts.
pub fn settings(dirs: &Dirs) -> Settings {
    Settings {
        widget_dir: dirs.dist(),
        preview_dir: dirs.preview(),
        upstream_timeout: Duration::from_secs(5),
        ..Settings::default()
    }
}

/// A running server.
pub struct Server {
    pub base: String,
    pub client: reqwest::Client,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Server {
    pub async fn start(settings: &Settings, source: Arc<dyn SalesSource>) -> Server {
        Server::serve(build_app_with_source(settings, source)).await
    }

    /// Serves `app` until the `Server` is dropped.
    pub async fn serve(app: Router) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(serve_on(listener, app, async move {
            let _ = stopped.await;
        }));
        Server {
            base,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            _stop: stop,
        }
    }

    pub fn url(&self, path_and_query: &str) -> String {
        format!("{}{}", self.base, path_and_query)
    }

    pub async fn get(&self, path_and_query: &str) -> reqwest::Response {
        self.client
            .get(self.url(path_and_query))
            .send()
            .await
            .unwrap()
    }

    pub async fn get_json(&self, path_and_query: &str) -> reqwest::Response {
        self.get_accepting(path_and_query, "application/json").await
    }

    pub async fn get_accepting(&self, path_and_query: &str, accept: &str) -> reqwest::Response {
        self.get_with(path_and_query, &[("accept", accept)]).await
    }

    /// A GET with these request headers.
    pub async fn get_with(
        &self,
        path_and_query: &str,
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut request = self.client.get(self.url(path_and_query));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.unwrap()
    }

    /// The JSON answer at `path_and_query`, read as `T`.
    pub async fn json<T: DeserializeOwned>(&self, path_and_query: &str) -> T {
        self.get_json(path_and_query).await.json().await.unwrap()
    }
}

pub fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}
