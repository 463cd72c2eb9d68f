use std::sync::Arc;

use async_trait::async_trait;
use dealpane_server::{router, source::SalesSource, AppState};

struct Placeholder;

#[async_trait]
impl SalesSource for Placeholder {
    fn name(&self) -> &'static str {
        "embedded"
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt().with_env_filter("info").init();
    let port: u16 = std::env::args()
        .skip_while(|a| a != "--port")
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(8080);
    let widget_dir = std::env::var("DEALPANE_WIDGET_DIR").unwrap_or_else(|_| "dist".into());
    let app = router(AppState {
        source: Arc::new(Placeholder),
        widget_dir: widget_dir.into(),
    });
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}
