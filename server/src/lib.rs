//! dealpane-server: the `DealSummary` service and the widget's host.
//!
//! Tests and benches start the real router with [`build_app_with_source`] (any `SalesSource`)
//! or [`build_app`] (the source named in the settings), and serve it with [`serve_on`].

pub mod amount;
pub mod auth;
pub mod budget;
pub mod cache;
pub mod dev_issuer;
pub mod error;
pub mod etag;
pub mod idempotency;
pub mod logging;
pub mod mcp;
pub mod routes;
pub mod security_headers;
pub mod service;
pub mod serving;
pub mod settings;
pub mod share;
pub mod shared_cache;
pub mod source;
pub mod summaries;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::middleware::{from_fn, from_fn_with_state};
use axum::Router;
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;

pub use routes::AppState;
pub use settings::{Settings, SourceKind};

use crate::auth::FunctionKeys;
use crate::budget::{BudgetedSource, UpstreamBudget};
use crate::cache::AnswerCache;
use crate::security_headers::SecurityHeaders;
use crate::service::DealService;
use crate::shared_cache::{SharedCache, SharedCacheOptions};
use crate::source::dataverse::{DataverseConfig, DataverseSource, Secret};
use crate::source::embedded::{EmbeddedOptions, EmbeddedStore};
use crate::source::SalesSource;
use crate::summaries::{SummaryBroker, SummarySettings};

/// Why the server could not start. Messages say which setting to fix.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Settings(#[from] settings::SettingsError),
    #[error("the Dataverse source needs {0}")]
    MissingDataverseSetting(String),
    #[error("the Dataverse settings are not usable: {0}")]
    Dataverse(String),
    #[error("{0}")]
    Store(String),
    #[error("the shared cache: {0}")]
    Cache(#[from] shared_cache::CacheError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
    #[error(transparent)]
    Exposure(#[from] auth::ExposureError),
    #[error("Entra ID sign-in needs both {0}")]
    EntraIncomplete(String),
}

/// Opens the source the settings name (creating and filling the embedded store if needed).
pub async fn open_source(settings: &Settings) -> Result<Arc<dyn SalesSource>, StartupError> {
    match settings.source {
        SourceKind::Embedded => Ok(Arc::new(embedded_store(settings).await?)),
        SourceKind::Dataverse => Ok(Arc::new(dataverse_source(settings)?)),
    }
}

/// Opens (creating and filling on first start) the SQLite store; its deal links point to the
/// Dataverse URL when one is configured.
async fn embedded_store(settings: &Settings) -> Result<EmbeddedStore, StartupError> {
    let path = settings.store_path.clone();
    let options = EmbeddedOptions {
        sample_size: settings.sample_size,
        org_link_base: settings.dataverse_url.clone(),
        app_id: settings.dataverse_app_id.clone(),
        summary_latency: settings.summary_latency,
        ..EmbeddedOptions::default()
    };
    tokio::task::spawn_blocking(move || EmbeddedStore::open(&path, options))
        .await
        .map_err(|e| StartupError::Store(e.to_string()))?
        .map_err(|e| StartupError::Store(e.to_string()))
}

fn dataverse_source(settings: &Settings) -> Result<DataverseSource, StartupError> {
    let required = |value: &Option<String>, id: &str| {
        value
            .clone()
            .ok_or_else(|| StartupError::MissingDataverseSetting(settings::describe(id)))
    };
    let secret = settings.dataverse_client_secret.clone().ok_or_else(|| {
        StartupError::MissingDataverseSetting(
            "the DATAVERSE_CLIENT_SECRET environment variable".to_owned(),
        )
    })?;
    let mut config = DataverseConfig::new(
        required(&settings.dataverse_url, "dataverse_url")?,
        required(&settings.dataverse_tenant_id, "dataverse_tenant_id")?,
        required(&settings.dataverse_client_id, "dataverse_client_id")?,
        Secret::new(secret),
    );
    config.app_id = settings.dataverse_app_id.clone();
    config.authority = settings.dataverse_authority.clone();
    config.request_timeout = settings.upstream_timeout;
    config.summary_timeout = settings.summary_timeout;
    DataverseSource::new(config).map_err(|e| StartupError::Dataverse(e.to_string()))
}

/// The whole app over the source the settings name.
pub async fn build_app(settings: &Settings) -> Result<Router, StartupError> {
    let cache = open_cache(settings)?;
    let source = open_source(settings).await?;
    Ok(build_app_over(settings, source, cache))
}

/// The cache instances share: Redis when `--cache-url` names one (connected lazily, so a
/// Redis that is down at start leaves the server serving from memory, degraded), else memory.
pub fn open_cache(settings: &Settings) -> Result<SharedCache, StartupError> {
    let options = SharedCacheOptions {
        // Answers and summaries share it; `--cache-capacity` answers of up to 64 KiB.
        memory_bytes: settings.cache_capacity.max(16) * 64 * 1024,
        ..SharedCacheOptions::default()
    };
    Ok(SharedCache::open(settings.cache_url.as_deref(), &options)?)
}

/// The whole app over any source, with the cache the settings name (a `--cache-url` the
/// settings' parser let through but Redis refuses is logged, and memory used).
pub fn build_app_with_source(settings: &Settings, source: Arc<dyn SalesSource>) -> Router {
    let cache = open_cache(settings).unwrap_or_else(|error| {
        tracing::error!(%error, "the shared cache cannot be used; serving from memory");
        SharedCache::in_memory(&SharedCacheOptions::default())
    });
    build_app_over(settings, source, cache)
}

/// The whole app: API, widget, preview, security headers, compression, logs. Every Sales call
/// of the process, lookups and summaries alike, goes through one budgeted source.
pub fn build_app_over(
    settings: &Settings,
    source: Arc<dyn SalesSource>,
    cache: SharedCache,
) -> Router {
    let budgeted = BudgetedSource::new(
        source,
        UpstreamBudget::with_capacity(settings.upstream_concurrency),
    );
    let counters = budgeted.counters();
    let source: Arc<dyn SalesSource> = Arc::new(budgeted);
    let share_source = source.clone();
    let broker = settings.summaries.then(|| {
        let summary_settings = SummarySettings {
            ttl: settings.summary_ttl,
            timeout: settings.summary_timeout,
            concurrency: settings.summary_concurrency,
            ..SummarySettings::default()
        };
        SummaryBroker::new(source.clone(), cache.clone(), summary_settings)
    });
    let service = DealService::new(
        source,
        broker,
        settings.upstream_timeout,
        counters,
        cache.clone(),
    );
    let sharing = share::ShareService::new(share_source, cache.clone(), share_settings(settings));
    let state = AppState {
        service: Arc::new(service),
        cache: AnswerCache::new(cache, settings.cache_ttl, settings.cache_capacity > 0),
        share: Arc::new(sharing),
    };
    let keys = FunctionKeys::new(&settings.function_keys);
    let headers = Arc::new(SecurityHeaders::from_settings(settings));
    let gate = auth::Gate::from_settings(settings, keys);
    let mcp = mcp::McpOptions::from_settings(settings, !gate.is_open());
    let routed = routes::api(state, gate, mcp).merge(routes::widget::routes(settings));
    // Rewrite API paths to their canonical case before routing (Azure Functions ignores case).
    let canonical = ServiceBuilder::new()
        .map_request(routes::canonical_api_path)
        .service(routed);
    dev_issuer::mount(Router::new(), settings)
        .fallback_service(canonical)
        .layer(
            ServiceBuilder::new()
                .layer(from_fn(logging::trace_requests))
                .layer(from_fn_with_state(
                    headers,
                    security_headers::add_security_headers,
                ))
                .layer(from_fn(etag::tag_encoded_etags))
                // Changes only Content-Encoding, never the bytes SRI checks.
                .layer(CompressionLayer::new()),
        )
}

/// Serves `app` on `listener` with the default connection limits until `shutdown` completes,
/// then finishes requests in flight.
pub async fn serve_on(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serving::serve_with_limits(listener, app, serving::Limits::default(), shutdown).await
}

/// Share with Sales (issue 12): the sender's name without sign-in, the leads' source, and the
/// writes' deadline.
fn share_settings(settings: &Settings) -> share::ShareSettings {
    share::ShareSettings {
        agent_display_name: settings.agent_display_name.clone(),
        lead_source_code: settings.lead_source_code,
        timeout: settings.upstream_timeout,
    }
}

/// Binds the settings' address, serves until SIGINT or SIGTERM, and drains.
/// Refuses a start that would serve anyone who reaches it (see [`auth::check_exposure`]).
pub async fn serve(mut settings: Settings) -> Result<(), StartupError> {
    check_auth_settings(&settings)?;
    let listener = TcpListener::bind(settings.bind)
        .await
        .map_err(|source| StartupError::Bind {
            addr: settings.bind,
            source,
        })?;
    let addr = listener.local_addr().map_err(StartupError::Serve)?;
    dev_issuer::configure(&mut settings, addr);
    let app = build_app(&settings).await?;
    tracing::info!(
        %addr,
        source = ?settings.source,
        keys_required = !settings.function_keys.is_empty(),
        entra = settings.entra_tenant_id.is_some(),
        local_issuer = settings.local_issuer,
        sales_identity = ?settings.sales_identity,
        "dealpane-server listening on http://{addr}"
    );
    let limits = serving::Limits::from_settings(&settings);
    serving::serve_with_limits(listener, app, limits, shutdown_signal())
        .await
        .map_err(StartupError::Serve)?;
    tracing::info!("stopped");
    Ok(())
}

/// Entra needs its tenant and audience together, and an open server stays on loopback (and
/// away from the Functions host) unless `--allow-anonymous` says otherwise.
pub fn check_auth_settings(settings: &Settings) -> Result<(), StartupError> {
    if !settings.local_issuer
        && settings.entra_tenant_id.is_some() != settings.entra_audience.is_some()
    {
        return Err(StartupError::EntraIncomplete(format!(
            "{} and {}",
            settings::describe("entra_tenant_id"),
            settings::describe("entra_audience")
        )));
    }
    let gate = auth::Gate::from_settings(settings, FunctionKeys::new(&settings.function_keys));
    let open = gate.is_open() && !settings.local_issuer;
    auth::check_exposure(
        open,
        settings.bind,
        settings.functions_customhandler_port.is_some(),
        settings.allow_anonymous,
    )?;
    Ok(())
}

/// Resolves on the first SIGINT (Ctrl-C) or SIGTERM (what Azure and containers send).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing requests in flight");
}
