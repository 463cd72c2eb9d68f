//! The `Origin` check the MCP transport requires against DNS rebinding: a web page that gets
//! its own host name resolved to this server reaches `/mcp` with its own `Origin`.
//!
//! - No `Origin`: a server-to-server caller (Copilot Studio, a connector): allowed, the key
//!   check still applies.
//! - An origin in `--mcp-allowed-origins`: allowed.
//! - The server's own origin (the `Origin`'s host and port are the request's `Host`): allowed
//!   when the `Host` is a loopback name or callers must prove who they are. A rebinding page's
//!   `Host` is its own domain, so on an open server (loopback only) it gets nothing, and on a
//!   keyed one it has no key.
//! - Anything else (including `Origin: null`): 403.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use crate::error::problem_response;

/// Who may call `/mcp` from a browser.
#[derive(Debug, Clone, Default)]
pub struct OriginPolicy {
    /// Normalized by [`parse_origin`].
    allowed: Arc<Vec<String>>,
    /// Whether callers must authenticate (function keys or Entra).
    authenticated: bool,
}

impl OriginPolicy {
    pub fn new(allowed: &[String], authenticated: bool) -> OriginPolicy {
        OriginPolicy {
            allowed: Arc::new(allowed.to_vec()),
            authenticated,
        }
    }

    /// Whether a request with this `Origin` (if any) and `Host` may go on.
    pub fn allows(&self, origin: Option<&str>, host: Option<&str>) -> bool {
        let Some(origin) = origin else {
            return true;
        };
        let Ok(origin) = parse_origin(origin) else {
            return false;
        };
        if self.allowed.contains(&origin) {
            return true;
        }
        let Some(host) = host.map(str::to_ascii_lowercase) else {
            return false;
        };
        let same_origin = authority(&origin) == Some(host.as_str())
            || authority(&origin) == Some(without_default_port(&origin, &host));
        same_origin && (self.authenticated || is_loopback(&host))
    }
}

/// Middleware in front of `/mcp`.
pub async fn check_origin(
    State(policy): State<OriginPolicy>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let text = |name| headers.get(name).and_then(|value| value.to_str().ok());
    let allowed = policy.allows(text(header::ORIGIN), text(header::HOST));
    if allowed {
        return next.run(request).await;
    }
    problem_response(
        StatusCode::FORBIDDEN,
        "Origin not allowed",
        "This web origin may not call /mcp. MCP clients that run on a server send no Origin; \
         an administrator can allow a browser-based client with --mcp-allowed-origins."
            .to_owned(),
    )
}

/// A web origin as the setting and the header give it: `scheme://host[:port]`, http or https,
/// no path, lowercased, the default port dropped.
pub fn parse_origin(text: &str) -> Result<String, String> {
    let lower = text.trim().trim_end_matches('/').to_ascii_lowercase();
    let (scheme, rest) = lower
        .split_once("://")
        .filter(|(scheme, _)| matches!(*scheme, "http" | "https"))
        .ok_or_else(|| format!("'{text}' is not an http(s) origin like https://host[:port]"))?;
    let valid = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c));
    if !valid {
        return Err(format!(
            "'{text}' is not an origin: scheme://host[:port], without a path"
        ));
    }
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let rest = rest.strip_suffix(default_port).unwrap_or(rest);
    Ok(format!("{scheme}://{rest}"))
}

/// `host[:port]` of a normalized origin.
fn authority(origin: &str) -> Option<&str> {
    origin.split_once("://").map(|(_, rest)| rest)
}

/// `host` sent as `host:443` to an https origin (or `:80` to http) compares without the port.
fn without_default_port<'a>(origin: &str, host: &'a str) -> &'a str {
    let default_port = if origin.starts_with("https:") {
        ":443"
    } else {
        ":80"
    };
    host.strip_suffix(default_port).unwrap_or(host)
}

fn is_loopback(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name == "localhost"
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalized_and_refused_when_not_origins() {
        assert_eq!(
            parse_origin("HTTPS://Inspector.Example.com:443/").unwrap(),
            "https://inspector.example.com"
        );
        assert_eq!(
            parse_origin("http://localhost:6274").unwrap(),
            "http://localhost:6274"
        );
        for bad in ["ftp://x", "https://", "https://x/path", "null", "x.com"] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn no_origin_allowed_others_only_when_listed_or_same_and_safe() {
        let open = OriginPolicy::new(&["http://localhost:6274".to_owned()], false);
        assert!(open.allows(None, Some("evil.example")));
        assert!(open.allows(Some("http://localhost:6274"), Some("127.0.0.1:8080")));
        assert!(open.allows(Some("http://127.0.0.1:8080"), Some("127.0.0.1:8080")));
        assert!(open.allows(Some("http://[::1]:8080"), Some("[::1]:8080")));
        // DNS rebinding: the page's own origin and Host, on an open server.
        assert!(!open.allows(Some("http://evil.example:8080"), Some("evil.example:8080")));
        assert!(!open.allows(Some("https://evil.example"), Some("127.0.0.1:8080")));
        assert!(!open.allows(Some("null"), Some("127.0.0.1:8080")));
        assert!(!open.allows(Some("http://localhost:8080"), None));

        let keyed = OriginPolicy::new(&[], true);
        assert!(keyed.allows(Some("https://deals.contoso.com"), Some("deals.contoso.com")));
        assert!(keyed.allows(
            Some("https://deals.contoso.com"),
            Some("deals.contoso.com:443")
        ));
        assert!(!keyed.allows(Some("https://evil.example"), Some("deals.contoso.com")));
    }
}
