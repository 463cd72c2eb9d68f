//! Settings: command line, then environment, then an optional TOML file (`--config`), then
//! defaults. `--help` documents each one with its environment variable.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Parser, ValueEnum};
use serde::Deserialize;

/// Where Sales data comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// The embedded SQLite store, created and filled with sample data on first start.
    Embedded,
    /// A Dynamics 365 Sales (Dataverse) environment.
    Dataverse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line (for Application Insights / log shippers).
    Json,
}

/// The Dataverse connection (only used with `source = dataverse`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DataverseSettings {
    /// e.g. `https://contoso.crm.dynamics.com`
    pub url: Option<String>,
    pub tenant_id: Option<String>,
    pub client_id: Option<String>,
    /// From the environment only (`DATAVERSE_CLIENT_SECRET`), so it never shows in a process
    /// list or a checked-in file.
    pub client_secret: Option<String>,
    /// The Sales app's id, for deep links to opportunities.
    pub app_id: Option<String>,
    /// The Entra ID authority; defaults to `https://login.microsoftonline.com`.
    pub authority: Option<String>,
}

/// Everything the server needs, resolved. `Settings::default()` is what a bare start uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub bind: SocketAddr,
    pub source: SourceKind,
    pub store_path: PathBuf,
    pub sample_size: u32,
    pub dataverse: DataverseSettings,
    /// Empty: no key is required.
    pub function_keys: Vec<String>,
    /// The CSP `frame-ancestors` sources.
    pub frame_ancestors: String,
    /// Extra CSP `connect-src` sources, besides `'self'`.
    pub connect_src: Option<String>,
    pub widget_dir: PathBuf,
    pub preview_dir: PathBuf,
    pub cache_ttl: Duration,
    pub cache_capacity: u64,
    pub summaries: bool,
    pub summary_concurrency: usize,
    /// How long the server waits for the Sales source before answering 504.
    pub upstream_timeout: Duration,
    /// The widget's own request timeout, published in `config.json`.
    pub widget_timeout: Duration,
    pub log_format: LogFormat,
    pub log_filter: String,
}

pub const DEFAULT_FRAME_ANCESTORS: &str = "'self' https://*.dynamics.com https://*.powerapps.com";

impl Default for Settings {
    fn default() -> Self {
        Settings {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            source: SourceKind::Embedded,
            store_path: PathBuf::from("dealpane-sales.sqlite"),
            sample_size: 300,
            dataverse: DataverseSettings::default(),
            function_keys: Vec::new(),
            frame_ancestors: DEFAULT_FRAME_ANCESTORS.to_owned(),
            connect_src: None,
            widget_dir: PathBuf::from("dist"),
            preview_dir: PathBuf::from("server/preview"),
            cache_ttl: Duration::from_secs(30),
            cache_capacity: 1000,
            summaries: true,
            summary_concurrency: 4,
            upstream_timeout: Duration::from_millis(12_000),
            widget_timeout: Duration::from_millis(15_000),
            log_format: LogFormat::Text,
            log_filter: "info".to_owned(),
        }
    }
}

/// The command line. Every option also reads an environment variable (shown by `--help`);
/// a command-line value wins over the environment, which wins over the `--config` file.
#[derive(Debug, Default, Parser)]
#[command(name = "dealpane-server", version, about = "The DealSummary service and the dealpane widget's host", long_about = None)]
pub struct Cli {
    /// A TOML file with any of the settings below (snake_case keys, e.g. `cache_ttl_secs = 60`).
    #[arg(long, env = "DEALPANE_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "DEALPANE_BIND", value_name = "ADDR")]
    pub bind: Option<SocketAddr>,

    /// Port to listen on; replaces the port of `--bind`.
    #[arg(long, env = "DEALPANE_PORT")]
    pub port: Option<u16>,

    /// Set by the Azure Functions host for a custom handler: when present the server listens on
    /// this port (it wins over `--port`).
    #[arg(long, env = "FUNCTIONS_CUSTOMHANDLER_PORT", value_name = "PORT")]
    pub functions_customhandler_port: Option<u16>,

    /// Where Sales data comes from [default: embedded].
    #[arg(long, env = "DEALPANE_SOURCE", value_enum)]
    pub source: Option<SourceKind>,

    /// The embedded store's SQLite file, created on first start [default: dealpane-sales.sqlite].
    #[arg(long = "store", env = "DEALPANE_STORE", value_name = "PATH")]
    pub store_path: Option<PathBuf>,

    /// How many customers the embedded store is filled with when created [default: 300].
    #[arg(long, env = "DEALPANE_SAMPLE_SIZE")]
    pub sample_size: Option<u32>,

    /// Dataverse environment URL, e.g. https://contoso.crm.dynamics.com (source = dataverse).
    #[arg(long, env = "DATAVERSE_URL", value_name = "URL")]
    pub dataverse_url: Option<String>,

    /// Entra ID tenant id of the Dataverse app registration. The client secret is read from
    /// DATAVERSE_CLIENT_SECRET only.
    #[arg(long, env = "DATAVERSE_TENANT_ID")]
    pub dataverse_tenant_id: Option<String>,

    /// Application (client) id of the Dataverse app registration.
    #[arg(long, env = "DATAVERSE_CLIENT_ID")]
    pub dataverse_client_id: Option<String>,

    /// The Sales app's id (appid), for deep links to opportunities.
    #[arg(long, env = "DATAVERSE_APP_ID")]
    pub dataverse_app_id: Option<String>,

    /// Entra ID authority [default: https://login.microsoftonline.com].
    #[arg(long, env = "DATAVERSE_AUTHORITY", value_name = "URL")]
    pub dataverse_authority: Option<String>,

    /// A function key that callers must send as `code` or `x-functions-key` (repeat, or
    /// comma-separate in the environment). None set: no key is required.
    #[arg(
        long = "function-key",
        env = "DEALPANE_FUNCTION_KEYS",
        value_delimiter = ',',
        hide_env_values = true,
        value_name = "KEY"
    )]
    pub function_keys: Vec<String>,

    /// CSP frame-ancestors: who may frame the widget
    /// [default: 'self' https://*.dynamics.com https://*.powerapps.com].
    #[arg(long, env = "DEALPANE_FRAME_ANCESTORS", value_name = "SOURCES")]
    pub frame_ancestors: Option<String>,

    /// Extra CSP connect-src sources besides 'self' (e.g. an API on another host).
    #[arg(long, env = "DEALPANE_CONNECT_SRC", value_name = "SOURCES")]
    pub connect_src: Option<String>,

    /// The built widget (trunk's dist/) [default: dist].
    #[arg(long, env = "DEALPANE_WIDGET_DIR", value_name = "DIR")]
    pub widget_dir: Option<PathBuf>,

    /// The standalone preview pages, served at /preview/ [default: server/preview].
    #[arg(long, env = "DEALPANE_PREVIEW_DIR", value_name = "DIR")]
    pub preview_dir: Option<PathBuf>,

    /// How long an answer stays in the in-memory cache, in seconds; 0 turns the cache off [default: 30].
    #[arg(long, env = "DEALPANE_CACHE_TTL_SECS", value_name = "SECS")]
    pub cache_ttl_secs: Option<u64>,

    /// How many answers the in-memory cache holds [default: 1000].
    #[arg(long, env = "DEALPANE_CACHE_CAPACITY", value_name = "N")]
    pub cache_capacity: Option<u64>,

    /// Fetch a summary per deal (false: deals carry `summary.state = disabled`) [default: true].
    #[arg(long, env = "DEALPANE_SUMMARIES", value_name = "BOOL")]
    pub summaries: Option<bool>,

    /// How many summaries are fetched at once per answer [default: 4].
    #[arg(long, env = "DEALPANE_SUMMARY_CONCURRENCY", value_name = "N")]
    pub summary_concurrency: Option<usize>,

    /// How long the server waits for the Sales source before answering 504, in ms [default: 12000].
    #[arg(long, env = "DEALPANE_UPSTREAM_TIMEOUT_MS", value_name = "MS")]
    pub upstream_timeout_ms: Option<u64>,

    /// The widget's request timeout, published in /config.json, in ms [default: 15000].
    #[arg(long, env = "DEALPANE_WIDGET_TIMEOUT_MS", value_name = "MS")]
    pub widget_timeout_ms: Option<u64>,

    /// Log line format [default: text].
    #[arg(long, env = "DEALPANE_LOG_FORMAT", value_enum)]
    pub log_format: Option<LogFormat>,

    /// Log filter, tracing-subscriber syntax [default: info].
    #[arg(long, env = "RUST_LOG", value_name = "FILTER")]
    pub log_filter: Option<String>,
}

/// The `--config` file: the same settings, snake_case, all optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    pub bind: Option<SocketAddr>,
    pub port: Option<u16>,
    pub source: Option<SourceKind>,
    pub store_path: Option<PathBuf>,
    pub sample_size: Option<u32>,
    pub dataverse_url: Option<String>,
    pub dataverse_tenant_id: Option<String>,
    pub dataverse_client_id: Option<String>,
    pub dataverse_app_id: Option<String>,
    pub dataverse_authority: Option<String>,
    pub function_keys: Option<Vec<String>>,
    pub frame_ancestors: Option<String>,
    pub connect_src: Option<String>,
    pub widget_dir: Option<PathBuf>,
    pub preview_dir: Option<PathBuf>,
    pub cache_ttl_secs: Option<u64>,
    pub cache_capacity: Option<u64>,
    pub summaries: Option<bool>,
    pub summary_concurrency: Option<usize>,
    pub upstream_timeout_ms: Option<u64>,
    pub widget_timeout_ms: Option<u64>,
    pub log_format: Option<LogFormat>,
    pub log_filter: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read the config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the config file {path} is not valid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("invalid setting `{name}`: {reason}")]
    Invalid { name: &'static str, reason: String },
}

impl FileSettings {
    pub fn load(path: &Path) -> Result<FileSettings, SettingsError> {
        let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Read {
            path: path.to_owned(),
            source,
        })?;
        toml::from_str(&text).map_err(|error| SettingsError::Parse {
            path: path.to_owned(),
            message: error.to_string().trim_end().to_owned(),
        })
    }
}

impl Settings {
    /// Reads the process's command line and environment (and `--config`, if given).
    pub fn from_env_and_args() -> Result<Settings, SettingsError> {
        Settings::from_cli(Cli::parse(), std::env::var("DATAVERSE_CLIENT_SECRET").ok())
    }

    /// Resolves a parsed command line (already merged with the environment by clap).
    pub fn from_cli(cli: Cli, client_secret: Option<String>) -> Result<Settings, SettingsError> {
        let file = match &cli.config {
            Some(path) => FileSettings::load(path)?,
            None => FileSettings::default(),
        };
        Settings::merge(cli, file, client_secret)
    }

    /// CLI/env values win over the file, which wins over the defaults.
    pub fn merge(
        cli: Cli,
        file: FileSettings,
        client_secret: Option<String>,
    ) -> Result<Settings, SettingsError> {
        let d = Settings::default();
        let mut bind = cli.bind.or(file.bind).unwrap_or(d.bind);
        if let Some(port) = cli.functions_customhandler_port.or(cli.port).or(file.port) {
            bind.set_port(port);
        }
        let function_keys = if cli.function_keys.is_empty() {
            file.function_keys.unwrap_or_default()
        } else {
            cli.function_keys
        };
        let function_keys: Vec<String> = function_keys
            .into_iter()
            .map(|k| k.trim().to_owned())
            .filter(|k| !k.is_empty())
            .collect();
        let summary_concurrency = cli
            .summary_concurrency
            .or(file.summary_concurrency)
            .unwrap_or(d.summary_concurrency);
        if summary_concurrency == 0 {
            return Err(SettingsError::Invalid {
                name: "summary_concurrency",
                reason: "must be at least 1".into(),
            });
        }
        let non_empty = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
        let settings = Settings {
            bind,
            source: cli.source.or(file.source).unwrap_or(d.source),
            store_path: cli.store_path.or(file.store_path).unwrap_or(d.store_path),
            sample_size: cli
                .sample_size
                .or(file.sample_size)
                .unwrap_or(d.sample_size),
            dataverse: DataverseSettings {
                url: non_empty(cli.dataverse_url.or(file.dataverse_url)),
                tenant_id: non_empty(cli.dataverse_tenant_id.or(file.dataverse_tenant_id)),
                client_id: non_empty(cli.dataverse_client_id.or(file.dataverse_client_id)),
                client_secret: non_empty(client_secret),
                app_id: non_empty(cli.dataverse_app_id.or(file.dataverse_app_id)),
                authority: non_empty(cli.dataverse_authority.or(file.dataverse_authority)),
            },
            function_keys,
            frame_ancestors: cli
                .frame_ancestors
                .or(file.frame_ancestors)
                .unwrap_or(d.frame_ancestors),
            connect_src: non_empty(cli.connect_src.or(file.connect_src)),
            widget_dir: cli.widget_dir.or(file.widget_dir).unwrap_or(d.widget_dir),
            preview_dir: cli
                .preview_dir
                .or(file.preview_dir)
                .unwrap_or(d.preview_dir),
            cache_ttl: cli
                .cache_ttl_secs
                .or(file.cache_ttl_secs)
                .map(Duration::from_secs)
                .unwrap_or(d.cache_ttl),
            cache_capacity: cli
                .cache_capacity
                .or(file.cache_capacity)
                .unwrap_or(d.cache_capacity),
            summaries: cli.summaries.or(file.summaries).unwrap_or(d.summaries),
            summary_concurrency,
            upstream_timeout: cli
                .upstream_timeout_ms
                .or(file.upstream_timeout_ms)
                .map(Duration::from_millis)
                .unwrap_or(d.upstream_timeout),
            widget_timeout: cli
                .widget_timeout_ms
                .or(file.widget_timeout_ms)
                .map(Duration::from_millis)
                .unwrap_or(d.widget_timeout),
            log_format: cli.log_format.or(file.log_format).unwrap_or(d.log_format),
            log_filter: cli.log_filter.or(file.log_filter).unwrap_or(d.log_filter),
        };
        if settings.frame_ancestors.contains([';', ',', '\n', '\r']) {
            return Err(SettingsError::Invalid {
                name: "frame_ancestors",
                reason: "must be space-separated CSP sources without ';' or ','".into(),
            });
        }
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli(args: &[&str]) -> Cli {
        let mut all = vec!["dealpane-server"];
        all.extend_from_slice(args);
        Cli::try_parse_from(all).unwrap()
    }

    #[test]
    fn defaults_without_anything() {
        let settings = Settings::merge(Cli::default(), FileSettings::default(), None).unwrap();
        assert_eq!(settings, Settings::default());
        assert_eq!(settings.bind.to_string(), "127.0.0.1:8080");
    }

    #[test]
    fn command_line_wins_over_file_which_wins_over_default() {
        let file: FileSettings = toml::from_str(
            "cache_ttl_secs = 5\nwidget_dir = \"from-file\"\nsummaries = false\nport = 9000",
        )
        .unwrap();
        let settings = Settings::merge(cli(&["--widget-dir", "from-cli"]), file, None).unwrap();
        assert_eq!(settings.widget_dir, PathBuf::from("from-cli"));
        assert_eq!(settings.cache_ttl, Duration::from_secs(5));
        assert!(!settings.summaries);
        assert_eq!(settings.bind.port(), 9000);
        assert_eq!(settings.sample_size, 300);
    }

    #[test]
    fn the_custom_handler_port_wins() {
        let settings = Settings::merge(
            cli(&["--port", "1234", "--functions-customhandler-port", "4321"]),
            FileSettings::default(),
            None,
        )
        .unwrap();
        assert_eq!(settings.bind.to_string(), "127.0.0.1:4321");
    }

    #[test]
    fn a_bad_config_file_names_the_path_and_the_problem() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dealpane.toml");
        std::fs::write(&path, "cache_ttl_secs = \"soon\"\n").unwrap();
        let error = FileSettings::load(&path).unwrap_err().to_string();
        assert!(error.contains("dealpane.toml"), "{error}");
        assert!(error.contains("cache_ttl_secs"), "{error}");

        std::fs::write(&path, "cache_tll_secs = 5\n").unwrap();
        let error = FileSettings::load(&path).unwrap_err().to_string();
        assert!(error.contains("unknown field"), "{error}");

        let missing = FileSettings::load(&dir.path().join("absent.toml")).unwrap_err();
        assert!(missing.to_string().contains("absent.toml"));
    }

    #[test]
    fn function_keys_split_and_trim() {
        let settings = Settings::merge(
            cli(&["--function-key", "a, b", "--function-key", "c"]),
            FileSettings::default(),
            None,
        )
        .unwrap();
        assert_eq!(settings.function_keys, ["a", "b", "c"]);
    }
}
