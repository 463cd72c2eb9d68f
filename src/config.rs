//! The widget's deployment settings, from an optional JSON file served next to `index.html`.
//!
//! Use: fetch the file (a 404 means "use `WidgetConfig::default()`"), then
//! `parse_config(&body)`; on `Err(e)` show `i18n::Strings::config_error(&e)`. Build API URLs with
//! [`WidgetConfig::endpoint`], e.g. `config.endpoint(&format!("DealSummary?{}", key.api_query()))`.
//!
//! ```json
//! {"apiBase": "https://deals.contoso.com/api", "requestTimeoutMs": 15000}
//! ```
//! Both fields are optional; unknown fields are ignored so older widgets accept newer files.
//! An `auth` block (`authority`, `clientId`, `scopes`) turns on sign-in (`crate::auth`); a block
//! the widget cannot use (a field missing or not http(s)) is ignored, like an unknown field.

use crate::api::json::Json;

pub const DEFAULT_API_BASE: &str = "/api";
pub const DEFAULT_TIMEOUT_MS: u32 = 15_000;
pub const TIMEOUT_MIN_MS: u32 = 1_000;
pub const TIMEOUT_MAX_MS: u32 = 120_000;
/// Longer than any sane base URL; bounds what the pane echoes back in an error.
const API_BASE_MAX_CHARS: usize = 512;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WidgetConfig {
    /// Where `DealSummary` lives, without a trailing slash: `/api` or `https://host/api`.
    pub api_base: String,
    /// How long one API call may take before the pane gives up and offers Retry.
    pub request_timeout_ms: u32,
    /// Sign in with Entra ID before calling the API; `None`: call it as today.
    pub auth: Option<AuthConfig>,
}

/// Where and as whom the widget signs in: `{authority}/oauth2/v2.0/authorize` and `/token`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthConfig {
    /// `https://login.microsoftonline.com/<tenant>`, without a trailing slash.
    pub authority: String,
    pub client_id: String,
    /// Space-joined, as the `scope` parameter takes them.
    pub scope: String,
}

impl Default for WidgetConfig {
    fn default() -> Self {
        WidgetConfig {
            api_base: DEFAULT_API_BASE.to_owned(),
            request_timeout_ms: DEFAULT_TIMEOUT_MS,
            auth: None,
        }
    }
}

impl WidgetConfig {
    /// `api_base` joined with `path` (a leading `/` on `path` is optional).
    pub fn endpoint(&self, path: &str) -> String {
        format!("{}/{}", self.api_base, path.trim_start_matches('/'))
    }
}

/// What reading `config.json` gave: the configuration, or why the file is wrong.
pub type ConfigRead = Result<WidgetConfig, WidgetConfigError>;

/// Why the config file cannot be used. Data only: `i18n` words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WidgetConfigError {
    /// Not a JSON object, or a field of the wrong type (`reason` says which).
    BadJson { reason: String },
    /// `requestTimeoutMs` outside `min..=max`.
    TimeoutOutOfRange { value: i64, min: u32, max: u32 },
    /// `apiBase` is neither a path (`/api`, `./api`) nor an http(s) URL.
    BadApiBase { value: String },
}

/// The `auth` block, or `None` when the widget cannot use it.
fn parse_auth(value: &Json) -> Option<AuthConfig> {
    let text = |name: &str| value.get(name).and_then(|v| v.as_str());
    let authority = text("authority")?;
    let authority = authority.trim().trim_end_matches('/');
    let client_id = text("clientId")?;
    let lower = authority.to_ascii_lowercase();
    let url_ok = (lower.starts_with("https://") || lower.starts_with("http://"))
        && !authority.contains(['?', '#', ' '])
        && authority.len() <= API_BASE_MAX_CHARS;
    let id_ok =
        |s: &str| !s.is_empty() && s.len() <= 200 && s.bytes().all(|b| b.is_ascii_graphic());
    let listed = value.get("scopes").map(|v| v.items()).unwrap_or_default();
    let scopes: Vec<String> = (listed.iter())
        .filter_map(|s| s.as_str())
        .map(|s| s.trim().to_owned())
        .filter(|s| id_ok(s))
        .collect();
    (url_ok && id_ok(&client_id) && !scopes.is_empty() && scopes.len() <= 10).then(|| AuthConfig {
        authority: authority.to_owned(),
        client_id,
        scope: scopes.join(" "),
    })
}

/// Parses the config file; missing fields (or `null`) take their defaults.
pub fn parse_config(json: &str) -> ConfigRead {
    let bad_json = |reason: String| WidgetConfigError::BadJson { reason };
    let file = Json::parse(json).map_err(bad_json)?;
    if !file.is_object() {
        return Err(bad_json("the file is not a JSON object".to_owned()));
    }
    let field = |name: &str| file.get(name).filter(|v| !v.is_null());
    let mut config = WidgetConfig::default();
    if let Some(value) = field("requestTimeoutMs") {
        let value = value.as_whole().ok_or_else(|| {
            bad_json("requestTimeoutMs is not a whole number of milliseconds".to_owned())
        })?;
        if !(i64::from(TIMEOUT_MIN_MS)..=i64::from(TIMEOUT_MAX_MS)).contains(&value) {
            return Err(WidgetConfigError::TimeoutOutOfRange {
                value,
                min: TIMEOUT_MIN_MS,
                max: TIMEOUT_MAX_MS,
            });
        }
        config.request_timeout_ms = value as u32;
    }
    if let Some(value) = field("apiBase") {
        let base =
            (value.as_str()).ok_or_else(|| bad_json("apiBase is not a string".to_owned()))?;
        config.api_base = parse_api_base(&base)?;
    }
    config.auth = field("auth").and_then(|auth| parse_auth(&auth));
    Ok(config)
}

fn parse_api_base(value: &str) -> Result<String, WidgetConfigError> {
    let bad = || WidgetConfigError::BadApiBase {
        value: value.chars().take(API_BASE_MAX_CHARS).collect(),
    };
    let base = value.trim();
    let lower = base.to_ascii_lowercase();
    let host = ["https://", "http://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme));
    let shape_ok = match host {
        Some(rest) => rest
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '['),
        // `//host` would be protocol-relative: an admin meaning a URL should say https.
        None => {
            (base.starts_with('/') && !base.starts_with("//"))
                || base.starts_with("./")
                || base.starts_with("../")
        }
    };
    // The pane appends paths and its own query, so the base cannot carry either.
    let clean = !base.contains(['?', '#', '\\'])
        && !base.chars().any(|c| c.is_whitespace() || c.is_control());
    if !shape_ok || !clean || base.chars().count() > API_BASE_MAX_CHARS {
        return Err(bad());
    }
    Ok(base.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    // These run natively and, through the browser's JSON, in `cargo xtask test --suite browser`.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn empty_object_gives_defaults() {
        assert_eq!(parse_config("{}").unwrap(), WidgetConfig::default());
        let nulls = r#"{"apiBase": null, "requestTimeoutMs": null, "auth": null}"#;
        assert_eq!(parse_config(nulls).unwrap(), WidgetConfig::default());
        assert_eq!(WidgetConfig::default().api_base, "/api");
        assert_eq!(WidgetConfig::default().request_timeout_ms, 15_000);
    }

    #[test]
    fn reads_both_fields_and_ignores_unknown_ones() {
        let config = parse_config(
            r#"{"apiBase": "https://deals.contoso.com/api/", "requestTimeoutMs": 30000, "later": 1}"#,
        )
        .unwrap();
        assert_eq!(config.api_base, "https://deals.contoso.com/api");
        assert_eq!(config.request_timeout_ms, 30_000);
    }

    #[test]
    fn timeout_bounds_are_inclusive() {
        for ok in [1_000, 120_000] {
            let json = format!(r#"{{"requestTimeoutMs": {ok}}}"#);
            assert_eq!(parse_config(&json).unwrap().request_timeout_ms, ok);
        }
        for bad in [999_i64, 120_001, 0, -5] {
            let json = format!(r#"{{"requestTimeoutMs": {bad}}}"#);
            assert_eq!(
                parse_config(&json),
                Err(WidgetConfigError::TimeoutOutOfRange {
                    value: bad,
                    min: 1_000,
                    max: 120_000
                })
            );
        }
    }

    #[test]
    fn api_base_accepts_paths_and_http_urls() {
        for (given, kept) in [
            ("/api", "/api"),
            ("/api/", "/api"),
            ("./api", "./api"),
            ("../backend/api", "../backend/api"),
            ("http://localhost:7071/api", "http://localhost:7071/api"),
            (
                "HTTPS://Deals.Contoso.com/api//",
                "HTTPS://Deals.Contoso.com/api",
            ),
            ("  /api  ", "/api"),
        ] {
            let json = format!(r#"{{"apiBase": "{given}"}}"#);
            assert_eq!(parse_config(&json).unwrap().api_base, kept, "{given}");
        }
    }

    #[test]
    fn api_base_refuses_other_schemes_and_shapes() {
        for bad in [
            "javascript:alert(1)",
            "ftp://host/api",
            "//host/api",
            "api",
            "",
            "https://",
            "/api?code=1",
            "/api#x",
            "/my api",
        ] {
            let json = serde_json::json!({ "apiBase": bad }).to_string();
            assert_eq!(
                parse_config(&json),
                Err(WidgetConfigError::BadApiBase {
                    value: bad.to_owned()
                }),
                "{bad}"
            );
        }
    }

    #[test]
    fn malformed_json_and_wrong_types_are_bad_json() {
        for bad in [
            "",
            "not json",
            "[]",
            r#"{"requestTimeoutMs": "fast"}"#,
            r#"{"requestTimeoutMs": 1500.5}"#,
            r#"{"apiBase": 5}"#,
            r#"{"apiBase": ["/api"]}"#,
        ] {
            assert!(
                matches!(parse_config(bad), Err(WidgetConfigError::BadJson { reason }) if !reason.is_empty()),
                "{bad}"
            );
        }
    }

    #[test]
    fn an_auth_block_turns_sign_in_on_and_a_broken_one_is_ignored() {
        let config = parse_config(
            r#"{"auth": {"authority": "https://login.microsoftonline.com/t1/", "tenantId": "t1",
               "clientId": "c1", "scopes": ["api://dealpane/Deals.Read", "offline_access"]}}"#,
        )
        .unwrap();
        assert_eq!(
            config.auth,
            Some(AuthConfig {
                authority: "https://login.microsoftonline.com/t1".to_owned(),
                client_id: "c1".to_owned(),
                scope: "api://dealpane/Deals.Read offline_access".to_owned(),
            })
        );
        for broken in [
            r#"{"auth": {"clientId": "c1", "scopes": ["s"]}}"#,
            r#"{"auth": {"authority": "javascript:x", "clientId": "c1", "scopes": ["s"]}}"#,
            r#"{"auth": {"authority": "https://a/t", "clientId": "", "scopes": ["s"]}}"#,
            r#"{"auth": {"authority": "https://a/t", "clientId": "c1", "scopes": []}}"#,
            r#"{"auth": 5}"#,
            r#"{"auth": null}"#,
        ] {
            assert_eq!(parse_config(broken).unwrap().auth, None, "{broken}");
        }
    }

    #[test]
    fn endpoint_joins_with_one_slash() {
        let config = WidgetConfig::default();
        assert_eq!(
            config.endpoint("DealSummary?top=5"),
            "/api/DealSummary?top=5"
        );
        assert_eq!(config.endpoint("/health"), "/api/health");
    }
}
