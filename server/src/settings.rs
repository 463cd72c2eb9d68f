//! Settings, each declared once below: its flag, environment variable, `--config` file key (the
//! field's name, snake_case), default and help text. Precedence: command line, environment,
//! file, default. The file's values become clap's defaults for that run, so clap itself applies
//! the order; `--help` shows every setting with its environment variable and built-in default.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgAction, CommandFactory, FromArgMatches, Parser, ValueEnum};

use crate::auth::SalesIdentity;
use crate::source::dataverse::DEFAULT_AUTHORITY;

/// Where Sales data comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SourceKind {
    /// The embedded SQLite store, created and filled with sample data on first start.
    Embedded,
    /// A Dynamics 365 Sales (Dataverse) environment.
    Dataverse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line (for Application Insights / log shippers).
    Json,
}

pub const DEFAULT_FRAME_ANCESTORS: &str = "'self' https://*.dynamics.com https://*.powerapps.com";

/// Everything the server needs. `Settings::default()` is what a bare start uses (no command
/// line, environment or file).
#[derive(Debug, Clone, PartialEq, Parser)]
#[command(
    name = "dealpane-server",
    version,
    about = "The DealSummary service and the dealpane widget's host",
    long_about = None
)]
pub struct Settings {
    /// A TOML file with any of the settings below (snake_case keys, e.g. `cache_ttl_secs = 60`).
    #[arg(long, env = "DEALPANE_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Address to listen on.
    #[arg(long, env = "DEALPANE_BIND", value_name = "ADDR")]
    #[arg(default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// Port to listen on; replaces the port of `--bind`.
    #[arg(long, env = "DEALPANE_PORT")]
    pub port: Option<u16>,

    /// Set by the Azure Functions host for a custom handler: when present the server listens on
    /// this port (it wins over `--port`).
    #[arg(long, env = "FUNCTIONS_CUSTOMHANDLER_PORT", value_name = "PORT")]
    pub functions_customhandler_port: Option<u16>,

    /// Where Sales data comes from.
    #[arg(long, env = "DEALPANE_SOURCE", value_enum, default_value_t = SourceKind::Embedded)]
    pub source: SourceKind,

    /// The embedded store's SQLite file, created on first start.
    #[arg(long = "store", env = "DEALPANE_STORE", value_name = "PATH")]
    #[arg(default_value = "dealpane-sales.sqlite")]
    pub store_path: PathBuf,

    /// How many customers the embedded store is filled with when created.
    #[arg(long, env = "DEALPANE_SAMPLE_SIZE", default_value_t = 300)]
    pub sample_size: u32,

    /// Dataverse environment URL, e.g. https://contoso.crm.dynamics.com (source = dataverse).
    #[arg(long, env = "DATAVERSE_URL", value_name = "URL")]
    pub dataverse_url: Option<String>,

    /// Entra ID tenant id of the Dataverse app registration. The client secret is read from
    /// DATAVERSE_CLIENT_SECRET only.
    #[arg(long, env = "DATAVERSE_TENANT_ID", value_name = "ID")]
    pub dataverse_tenant_id: Option<String>,

    /// Application (client) id of the Dataverse app registration.
    #[arg(long, env = "DATAVERSE_CLIENT_ID", value_name = "ID")]
    pub dataverse_client_id: Option<String>,

    /// From the environment only (`DATAVERSE_CLIENT_SECRET`), so it never shows in a process
    /// list or a checked-in file.
    #[arg(skip)]
    pub dataverse_client_secret: Option<String>,

    /// The Sales app's id (appid), for deep links to opportunities.
    #[arg(long, env = "DATAVERSE_APP_ID", value_name = "ID")]
    pub dataverse_app_id: Option<String>,

    /// Entra ID authority (blank: the default).
    #[arg(long, env = "DATAVERSE_AUTHORITY", value_name = "URL", default_value = DEFAULT_AUTHORITY)]
    pub dataverse_authority: String,

    /// A function key that callers must send as `code` or `x-functions-key` (repeat, or
    /// comma-separate in the environment). None set: no key is required.
    #[arg(
        long = "function-key",
        env = "DEALPANE_FUNCTION_KEYS",
        value_name = "KEY"
    )]
    #[arg(value_delimiter = ',', hide_env_values = true)]
    pub function_keys: Vec<String>,

    /// Serve without authentication (neither Entra nor function keys) on an address other than
    /// loopback, or behind the Azure Functions host. Without it such a start is refused.
    #[arg(long, env = "DEALPANE_ALLOW_ANONYMOUS", value_name = "BOOL")]
    #[arg(action = ArgAction::Set, default_value_t = false)]
    #[arg(num_args = 0..=1, default_missing_value = "true")]
    pub allow_anonymous: bool,

    /// Entra ID tenant id whose bearer tokens the data routes accept (with --entra-audience).
    #[arg(long, env = "DEALPANE_ENTRA_TENANT_ID", value_name = "ID")]
    pub entra_tenant_id: Option<String>,

    /// The API's token audience: its application id URI (api://dealpane) or client id.
    #[arg(long, env = "DEALPANE_ENTRA_AUDIENCE", value_name = "AUDIENCE")]
    pub entra_audience: Option<String>,

    /// Where Entra ID tokens come from; discovery is {authority}/{tenant}/v2.0/.well-known/...
    #[arg(long, env = "DEALPANE_ENTRA_AUTHORITY", value_name = "URL")]
    #[arg(default_value = DEFAULT_AUTHORITY)]
    pub entra_authority: String,

    /// The delegated scope (`scp`) or app role (`roles`) a token needs.
    #[arg(long, env = "DEALPANE_ENTRA_REQUIRED_SCOPE", value_name = "NAME")]
    #[arg(default_value = "Deals.Read")]
    pub entra_required_scope: String,

    /// The widget's (SPA) app registration client id, published in /config.json's `auth`.
    #[arg(long, env = "DEALPANE_WIDGET_CLIENT_ID", value_name = "ID")]
    pub widget_client_id: Option<String>,

    /// Whose identity Sales sees: `app` (the application user, for everyone) or `agent` (the
    /// signed-in agent's, via CallerObjectId, so Sales security roles apply).
    #[arg(long, env = "DEALPANE_SALES_IDENTITY", value_enum)]
    #[arg(default_value_t = SalesIdentity::App)]
    pub sales_identity: SalesIdentity,

    /// Development only: serve a local Entra-like issuer under /_issuer and trust its tokens
    /// (test users to pick from, no passwords). Never in production.
    #[arg(long, env = "DEALPANE_LOCAL_ISSUER", value_name = "BOOL")]
    #[arg(action = ArgAction::Set, default_value_t = false)]
    #[arg(num_args = 0..=1, default_missing_value = "true")]
    pub local_issuer: bool,

    /// Connections served at once; more are answered 503 with Retry-After and closed.
    #[arg(long, env = "DEALPANE_MAX_CONNECTIONS", value_name = "N")]
    #[arg(default_value_t = 1024, value_parser = at_least_one)]
    pub max_connections: usize,

    /// How long a client has to send a request's headers, in seconds.
    #[arg(id = "header_read_timeout_secs", long = "header-read-timeout-secs")]
    #[arg(env = "DEALPANE_HEADER_READ_TIMEOUT_SECS", value_name = "SECS")]
    #[arg(default_value = "10", value_parser = timeout_seconds)]
    pub header_read_timeout: Duration,

    /// How long a connection may stay open with no request and no traffic, in seconds.
    #[arg(id = "idle_timeout_secs", long = "idle-timeout-secs")]
    #[arg(env = "DEALPANE_IDLE_TIMEOUT_SECS", value_name = "SECS")]
    #[arg(default_value = "60", value_parser = timeout_seconds)]
    pub idle_timeout: Duration,

    /// Browser origins (`scheme://host[:port]`) besides the server's own that may call /mcp,
    /// e.g. an MCP inspector (repeat, or comma-separate in the environment). A request without
    /// `Origin` (server to server, as Copilot Studio's) is always let through to the key check.
    #[arg(long, env = "DEALPANE_MCP_ALLOWED_ORIGINS", value_name = "ORIGIN")]
    #[arg(value_delimiter = ',', value_parser = crate::mcp::origin::parse_origin)]
    pub mcp_allowed_origins: Vec<String>,

    /// CSP frame-ancestors: who may frame the widget.
    #[arg(long, env = "DEALPANE_FRAME_ANCESTORS", value_name = "SOURCES")]
    #[arg(default_value = DEFAULT_FRAME_ANCESTORS, value_parser = csp_sources)]
    pub frame_ancestors: String,

    /// Extra CSP connect-src sources besides 'self' (e.g. an API on another host).
    #[arg(long, env = "DEALPANE_CONNECT_SRC", value_name = "SOURCES")]
    pub connect_src: Option<String>,

    /// The built widget (trunk's dist/).
    #[arg(
        long,
        env = "DEALPANE_WIDGET_DIR",
        value_name = "DIR",
        default_value = "dist"
    )]
    pub widget_dir: PathBuf,

    /// The standalone preview pages, served at /preview/.
    #[arg(long, env = "DEALPANE_PREVIEW_DIR", value_name = "DIR")]
    #[arg(default_value = "server/preview")]
    pub preview_dir: PathBuf,

    /// The cache several instances share: `redis://[:password@]host:port[/db]`, or
    /// `rediss://…` (TLS, as Azure Cache for Redis requires). None: this process's memory.
    #[arg(long, env = "DEALPANE_CACHE_URL", value_name = "URL")]
    #[arg(value_parser = redis_url, hide_env_values = true)]
    pub cache_url: Option<String>,

    /// How long an answer (customer and deals, without summaries) is reused, in seconds; 0
    /// turns the answer cache off.
    #[arg(
        id = "cache_ttl_secs",
        long = "cache-ttl-secs",
        env = "DEALPANE_CACHE_TTL_SECS"
    )]
    #[arg(value_name = "SECS", default_value = "30", value_parser = seconds)]
    pub cache_ttl: Duration,

    /// How many answers the in-process cache is sized for (0 turns the answer cache off); its
    /// memory bound, shared with summaries, is this many × 64 KiB.
    #[arg(
        long,
        env = "DEALPANE_CACHE_CAPACITY",
        value_name = "N",
        default_value_t = 1000
    )]
    pub cache_capacity: u64,

    /// Fetch a summary per deal (false: deals carry `summary.state = disabled`).
    #[arg(long, env = "DEALPANE_SUMMARIES", value_name = "BOOL")]
    #[arg(action = ArgAction::Set, default_value_t = true)]
    pub summaries: bool,

    /// How many summaries this process generates at once (top deals first).
    #[arg(long, env = "DEALPANE_SUMMARY_CONCURRENCY", value_name = "N")]
    #[arg(default_value_t = 4, value_parser = at_least_one)]
    pub summary_concurrency: usize,

    /// How long a generated summary is served for an unchanged deal, in seconds.
    #[arg(id = "summary_ttl_secs", long = "summary-ttl-secs")]
    #[arg(env = "DEALPANE_SUMMARY_TTL_SECS", value_name = "SECS")]
    #[arg(default_value = "86400", value_parser = positive_seconds)]
    pub summary_ttl: Duration,

    /// One summary's budget in the background, retries after throttling included, in seconds.
    #[arg(id = "summary_timeout_secs", long = "summary-timeout-secs")]
    #[arg(env = "DEALPANE_SUMMARY_TIMEOUT_SECS", value_name = "SECS")]
    #[arg(default_value = "30", value_parser = positive_seconds)]
    pub summary_timeout: Duration,

    /// Sales calls this process makes at once, lookups and summaries together (Dataverse
    /// refuses a user's 53rd; with N instances keep N × this under 52).
    #[arg(long, env = "DEALPANE_UPSTREAM_CONCURRENCY", value_name = "N")]
    #[arg(default_value_t = crate::budget::DEFAULT_CAPACITY, value_parser = at_least_one)]
    pub upstream_concurrency: usize,

    /// The embedded summarizer takes this long per summary, in ms, as a generative one does.
    #[arg(id = "summary_latency_ms", long = "summary-latency-ms")]
    #[arg(env = "DEALPANE_SUMMARY_LATENCY_MS", value_name = "MS")]
    #[arg(default_value = "0", value_parser = milliseconds)]
    pub summary_latency: Duration,

    /// How long the server waits for the Sales source before answering 504, in ms.
    #[arg(id = "upstream_timeout_ms", long = "upstream-timeout-ms")]
    #[arg(env = "DEALPANE_UPSTREAM_TIMEOUT_MS", value_name = "MS")]
    #[arg(default_value = "12000", value_parser = milliseconds)]
    pub upstream_timeout: Duration,

    /// The widget's request timeout, published in /config.json, in ms.
    #[arg(id = "widget_timeout_ms", long = "widget-timeout-ms")]
    #[arg(env = "DEALPANE_WIDGET_TIMEOUT_MS", value_name = "MS")]
    #[arg(default_value = "15000", value_parser = milliseconds)]
    pub widget_timeout: Duration,

    /// Who a note or lead is from when nobody signed in (with sign-in: the agent's name).
    #[arg(long, env = "DEALPANE_AGENT_DISPLAY_NAME", value_name = "NAME")]
    #[arg(default_value = "Customer Service")]
    pub agent_display_name: String,

    /// The lead source (`leadsourcecode`) of suggested deals: 10 is "Other" in the default
    /// option set; an environment with its own "Customer Service" option gives its value.
    #[arg(long, env = "DEALPANE_LEAD_SOURCE_CODE", value_name = "OPTION")]
    #[arg(default_value_t = crate::source::writes::LEAD_SOURCE_OTHER)]
    pub lead_source_code: i32,

    /// Log line format.
    #[arg(long, env = "DEALPANE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Log filter, tracing-subscriber syntax.
    #[arg(long, env = "RUST_LOG", value_name = "FILTER", default_value = "info")]
    pub log_filter: String,
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
    /// Also `--help` and `--version`, which [`Settings::from_env_and_args`] prints and exits on.
    #[error("{0}")]
    CommandLine(#[from] clap::Error),
}

/// Settings the `--config` file cannot hold: the file's own path, and the port the Azure
/// Functions host hands over.
const NOT_IN_FILE: [&str; 2] = ["config", "functions_customhandler_port"];

/// Whether the environment is read: the process's, or none (tests and `Default`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Read,
    Ignore,
}

impl Default for Settings {
    fn default() -> Self {
        Settings::parse_from_args(["dealpane-server"], Environment::Ignore)
            .expect("the built-in defaults are valid")
    }
}

impl Settings {
    /// Reads the process's command line and environment (and `--config`, if given). Prints
    /// `--help`, `--version` and command-line mistakes as clap does, and exits.
    pub fn from_env_and_args() -> Result<Settings, SettingsError> {
        let mut settings = match Settings::parse_from_args(std::env::args_os(), Environment::Read) {
            Err(SettingsError::CommandLine(error)) => error.exit(),
            other => other?,
        };
        settings.dataverse_client_secret = non_empty(std::env::var("DATAVERSE_CLIENT_SECRET").ok());
        Ok(settings)
    }

    /// Parses `args` (the program name first) with the environment if asked, then again with
    /// the `--config` file's values as defaults, when it names one.
    pub fn parse_from_args<I, T>(
        args: I,
        environment: Environment,
    ) -> Result<Settings, SettingsError>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
        let mut command = Settings::command();
        if environment == Environment::Ignore {
            command = command.mut_args(|arg| arg.env(None::<&'static str>));
        }
        let matches = command.clone().try_get_matches_from(&args)?;
        let mut settings = Settings::from_arg_matches(&matches)?;
        if let Some(path) = settings.config.clone() {
            let text = std::fs::read_to_string(&path).map_err(|source| SettingsError::Read {
                path: path.clone(),
                source,
            })?;
            let command =
                with_file_defaults(command, &text).map_err(|message| SettingsError::Parse {
                    path: path.clone(),
                    message,
                })?;
            settings = Settings::from_arg_matches(&command.try_get_matches_from(&args)?)?;
        }
        Ok(settings.normalized())
    }

    /// Folds the port settings into `bind`, trims function keys, and reads blank text as unset.
    fn normalized(mut self) -> Settings {
        if let Some(port) = self.functions_customhandler_port.or(self.port) {
            self.bind.set_port(port);
        }
        self.function_keys = std::mem::take(&mut self.function_keys)
            .into_iter()
            .map(|key| key.trim().to_owned())
            .filter(|key| !key.is_empty())
            .collect();
        self.connect_src = non_empty(self.connect_src.take());
        self.cache_url = non_empty(self.cache_url.take());
        for value in [
            &mut self.dataverse_url,
            &mut self.dataverse_tenant_id,
            &mut self.dataverse_client_id,
            &mut self.dataverse_client_secret,
            &mut self.dataverse_app_id,
            &mut self.entra_tenant_id,
            &mut self.entra_audience,
            &mut self.widget_client_id,
        ] {
            *value = non_empty(value.take());
        }
        if self.dataverse_authority.trim().is_empty() {
            DEFAULT_AUTHORITY.clone_into(&mut self.dataverse_authority);
        }
        if self.entra_authority.trim().is_empty() {
            DEFAULT_AUTHORITY.clone_into(&mut self.entra_authority);
        }
        self
    }
}

/// The command with each value of the TOML `text` as its setting's default, each checked by
/// that setting's own parser so a mistake names the key.
fn with_file_defaults(mut command: clap::Command, text: &str) -> Result<clap::Command, String> {
    let table: toml::Table =
        toml::from_str(text).map_err(|e| e.to_string().trim_end().to_owned())?;
    for (key, value) in table {
        let arg = command
            .get_arguments()
            .find(|arg| arg.get_id() == key.as_str() && !NOT_IN_FILE.contains(&key.as_str()))
            .ok_or_else(|| format!("unknown field `{key}`"))?;
        let values = file_values(&key, &value, matches!(arg.get_action(), ArgAction::Append))?;
        check_file_values(arg, &values).map_err(|message| format!("`{key}`: {message}"))?;
        command = command.mut_arg(&key, |arg| arg.default_values(values));
    }
    Ok(command)
}

/// Runs `arg`'s own parser over the file's `values`, alone, as if they were given as flags.
fn check_file_values(arg: &clap::Arg, values: &[String]) -> Result<(), String> {
    let long = arg.get_long().expect("every file setting has a flag");
    let alone = arg
        .clone()
        .env(None::<&'static str>)
        .default_value(None::<&'static str>);
    clap::Command::new("dealpane-server")
        .no_binary_name(true)
        .arg(alone)
        .try_get_matches_from(values.iter().map(|value| format!("--{long}={value}")))
        .map(|_| ())
        .map_err(|error| {
            let text = error.to_string();
            let first = text.lines().next().unwrap_or_default();
            first.trim_start_matches("error: ").to_owned()
        })
}

/// A file value as command-line text: a string, number or boolean, or (for a setting that
/// takes several) a list of them.
fn file_values(key: &str, value: &toml::Value, list_allowed: bool) -> Result<Vec<String>, String> {
    let scalar = |value: &toml::Value| match value {
        toml::Value::String(text) => Ok(text.clone()),
        toml::Value::Integer(number) => Ok(number.to_string()),
        toml::Value::Float(number) => Ok(number.to_string()),
        toml::Value::Boolean(flag) => Ok(flag.to_string()),
        _ => Err(format!("`{key}` must be a string, a number or a boolean")),
    };
    match value {
        toml::Value::Array(items) if list_allowed => items.iter().map(scalar).collect(),
        toml::Value::Array(_) => Err(format!("`{key}` takes one value, not a list")),
        other => Ok(vec![scalar(other)?]),
    }
}

/// How a setting is given, for messages: `--flag (ENV_VAR)`.
pub fn describe(id: &str) -> String {
    let command = Settings::command();
    let Some(arg) = command.get_arguments().find(|arg| arg.get_id() == id) else {
        return id.to_owned();
    };
    let flag = arg.get_long().map(|long| format!("--{long}"));
    let env = arg.get_env().map(|env| env.to_string_lossy().into_owned());
    match (flag, env) {
        (Some(flag), Some(env)) => format!("{flag} ({env})"),
        (flag, env) => flag.or(env).unwrap_or_else(|| id.to_owned()),
    }
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|text| !text.trim().is_empty())
}

fn seconds(text: &str) -> Result<Duration, String> {
    text.parse()
        .map(Duration::from_secs)
        .map_err(|e| format!("{e}"))
}

fn positive_seconds(text: &str) -> Result<Duration, String> {
    match seconds(text)? {
        Duration::ZERO => Err("must be at least 1".to_owned()),
        duration => Ok(duration),
    }
}

/// A Redis URL the client accepts; checked here so a typo stops the start, not the first
/// request. Blank means none.
fn redis_url(text: &str) -> Result<String, String> {
    let url = text.trim();
    if url.is_empty() {
        return Ok(String::new());
    }
    if !(url.starts_with("redis://") || url.starts_with("rediss://")) {
        return Err("must start with redis:// or rediss://".to_owned());
    }
    redis::Client::open(url)
        .map(|_| url.to_owned())
        .map_err(|error| error.to_string())
}

fn milliseconds(text: &str) -> Result<Duration, String> {
    text.parse()
        .map(Duration::from_millis)
        .map_err(|e| format!("{e}"))
}

/// 1 s to an hour: a zero timeout would close every connection at once.
fn timeout_seconds(text: &str) -> Result<Duration, String> {
    match text.parse::<u64>().map_err(|e| e.to_string())? {
        secs @ 1..=3600 => Ok(Duration::from_secs(secs)),
        _ => Err("must be between 1 and 3600".to_owned()),
    }
}

fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>().map_err(|e| e.to_string())? {
        0 => Err("must be at least 1".to_owned()),
        n => Ok(n),
    }
}

/// CSP sources go into one directive: a `;` or `,` would start another.
fn csp_sources(text: &str) -> Result<String, String> {
    if text.contains([';', ',', '\n', '\r']) {
        return Err("must be space-separated CSP sources without ';' or ','".to_owned());
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Settings, SettingsError> {
        let mut all = vec!["dealpane-server"];
        all.extend_from_slice(args);
        Settings::parse_from_args(all, Environment::Ignore)
    }

    /// A `--config` file with `text` in a temp dir (kept while the dir lives).
    fn config_file(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dealpane.toml");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn defaults_without_anything() {
        let settings = parse(&[]).unwrap();
        assert_eq!(settings, Settings::default());
        assert_eq!(settings.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(settings.source, SourceKind::Embedded);
        assert_eq!(settings.cache_ttl, Duration::from_secs(30));
        assert_eq!(settings.upstream_timeout, Duration::from_millis(12_000));
        assert_eq!(settings.frame_ancestors, DEFAULT_FRAME_ANCESTORS);
        assert_eq!(settings.dataverse_authority, DEFAULT_AUTHORITY);
        assert!(settings.function_keys.is_empty() && settings.summaries);
    }

    #[test]
    fn command_line_wins_over_file_which_wins_over_default() {
        let (_dir, path) = config_file(
            "cache_ttl_secs = 5\nwidget_dir = \"from-file\"\nsummaries = false\nport = 9000",
        );
        let settings = parse(&[
            "--config",
            path.to_str().unwrap(),
            "--widget-dir",
            "from-cli",
        ])
        .unwrap();
        assert_eq!(settings.widget_dir, PathBuf::from("from-cli"));
        assert_eq!(settings.cache_ttl, Duration::from_secs(5));
        assert!(!settings.summaries);
        assert_eq!(settings.bind.port(), 9000);
        assert_eq!(settings.sample_size, 300);
    }

    #[test]
    fn the_custom_handler_port_wins() {
        let settings =
            parse(&["--port", "1234", "--functions-customhandler-port", "4321"]).unwrap();
        assert_eq!(settings.bind.to_string(), "127.0.0.1:4321");
    }

    #[test]
    fn a_bad_config_file_names_the_path_and_the_problem() {
        let (dir, path) = config_file("cache_ttl_secs = \"soon\"\n");
        let load =
            |path: &std::path::Path| parse(&["--config", path.to_str().unwrap()]).map(|_| ());
        let error = load(&path).unwrap_err().to_string();
        assert!(error.contains("dealpane.toml"), "{error}");
        assert!(error.contains("cache_ttl_secs"), "{error}");

        std::fs::write(&path, "cache_tll_secs = 5\n").unwrap();
        let error = load(&path).unwrap_err().to_string();
        assert!(error.contains("unknown field"), "{error}");

        // The host's port and the file's own path are not file settings.
        std::fs::write(&path, "functions_customhandler_port = 5\n").unwrap();
        let error = load(&path).unwrap_err().to_string();
        assert!(error.contains("unknown field"), "{error}");

        std::fs::write(&path, "summary_concurrency = 0\n").unwrap();
        let error = load(&path).unwrap_err().to_string();
        assert!(error.contains("at least 1"), "{error}");

        let missing = load(&dir.path().join("absent.toml")).unwrap_err();
        assert!(missing.to_string().contains("absent.toml"));
    }

    #[test]
    fn function_keys_split_and_trim() {
        let settings = parse(&["--function-key", "a, b", "--function-key", "c"]).unwrap();
        assert_eq!(settings.function_keys, ["a", "b", "c"]);
        let (_dir, path) = config_file("function_keys = [\" d\", \"\", \"e\"]\n");
        let settings = parse(&["--config", path.to_str().unwrap()]).unwrap();
        assert_eq!(settings.function_keys, ["d", "e"]);
    }

    #[test]
    fn bad_values_are_refused_by_name() {
        let error = parse(&["--summary-concurrency", "0"])
            .unwrap_err()
            .to_string();
        assert!(error.contains("at least 1"), "{error}");
        let error = parse(&["--frame-ancestors", "'self'; script-src *"])
            .unwrap_err()
            .to_string();
        assert!(error.contains("frame-ancestors"), "{error}");
    }

    #[test]
    fn summary_and_shared_cache_settings() {
        let settings = parse(&[]).unwrap();
        assert_eq!(settings.cache_url, None);
        assert_eq!(settings.summary_ttl, Duration::from_secs(86_400));
        assert_eq!(settings.summary_timeout, Duration::from_secs(30));
        assert_eq!(settings.upstream_concurrency, 16);
        assert_eq!(settings.summary_latency, Duration::ZERO);
        let settings = parse(&[
            "--cache-url",
            "rediss://:secret@cache.redis.cache.windows.net:6380",
            "--summary-latency-ms",
            "3000",
        ])
        .unwrap();
        assert!(settings.cache_url.unwrap().starts_with("rediss://"));
        assert_eq!(settings.summary_latency, Duration::from_secs(3));
        assert_eq!(parse(&["--cache-url", " "]).unwrap().cache_url, None);
        for bad in [
            &["--cache-url", "http://cache:6379"][..],
            &["--summary-ttl-secs", "0"],
            &["--summary-timeout-secs", "-1"],
            &["--upstream-concurrency", "0"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_setting_is_described_by_its_flag_and_variable() {
        assert_eq!(describe("dataverse_url"), "--dataverse-url (DATAVERSE_URL)");
        assert_eq!(describe("store_path"), "--store (DEALPANE_STORE)");
    }

    #[test]
    fn help_shows_each_default_and_environment_variable() {
        let help = Settings::command().render_help().to_string();
        for shown in [
            "[default: 127.0.0.1:8080]",
            "[default: 30]",
            "[default: 12000]",
            "[default: embedded]",
            "[env: DEALPANE_CACHE_TTL_SECS",
            "[env: DATAVERSE_URL",
            "[env: RUST_LOG",
            DEFAULT_FRAME_ANCESTORS,
        ] {
            assert!(help.contains(shown), "{shown} in:\n{help}");
        }
        assert!(!help.contains("CLIENT_SECRET=") && help.contains("DATAVERSE_CLIENT_SECRET only"));
    }
}
