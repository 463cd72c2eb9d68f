//! How to reach a Dataverse (Dynamics 365 Sales) environment. Filled from settings elsewhere;
//! this type only holds and documents the values.

use std::fmt;
use std::time::Duration;

/// Entra ID's public-cloud authority; sovereign clouds and tests use another.
pub const DEFAULT_AUTHORITY: &str = "https://login.microsoftonline.com";

/// A secret that never reaches a log: its `Debug` prints `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself, for the one place that sends it (the token request).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[derive(Debug, Clone)]
pub struct DataverseConfig {
    /// The Sales environment, e.g. `https://contoso.crm.dynamics.com` (a trailing `/` is fine).
    /// The Web API root is `<org_url>/api/data/v9.2/` and the token scope `<org_url>/.default`.
    pub org_url: String,
    /// The Entra ID tenant: its GUID or a verified domain (`contoso.onmicrosoft.com`).
    pub tenant_id: String,
    /// The app registration's application (client) id, registered as an application user in
    /// the Sales environment with read access to accounts, contacts and opportunities.
    pub client_id: String,
    /// The app registration's client secret **value** (not its id).
    pub client_secret: Secret,
    /// The model-driven app deep links open in (`main.aspx?appid=`); without it Dynamics
    /// picks the user's default app.
    pub app_id: Option<String>,
    /// Where tokens come from: `<authority>/<tenant_id>/oauth2/v2.0/token`.
    pub authority: String,
    /// The longest one source call may take, retries and paging included; past it the call
    /// fails with `SourceError::Timeout`.
    pub request_timeout: Duration,
    /// The longest one summary action call may take (generative: seconds, more than a lookup
    /// may); the summary broker bounds the whole generation by its own timeout too.
    pub summary_timeout: Duration,
    /// How many times a throttled (429), failing (5xx) or unreachable request is retried.
    pub max_retries: u32,
    /// The longest wait before a retry. A `Retry-After` longer than this is not waited out:
    /// the call fails at once with `SourceError::Throttled` so the caller can say when to retry.
    pub max_retry_wait: Duration,
    /// Rows per page asked of Dataverse (`Prefer: odata.maxpagesize`) when listing deals.
    pub page_size: u16,
}

impl DataverseConfig {
    /// A configuration with the defaults: public-cloud authority, 15 s per call, 3 retries,
    /// waits of at most 5 s, pages of 50 rows, no app id.
    pub fn new(
        org_url: impl Into<String>,
        tenant_id: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: Secret,
    ) -> DataverseConfig {
        DataverseConfig {
            org_url: org_url.into(),
            tenant_id: tenant_id.into(),
            client_id: client_id.into(),
            client_secret,
            app_id: None,
            authority: DEFAULT_AUTHORITY.to_owned(),
            request_timeout: Duration::from_secs(15),
            summary_timeout: Duration::from_secs(30),
            max_retries: 3,
            max_retry_wait: Duration::from_secs(5),
            page_size: 50,
        }
    }
}

/// Why a configuration cannot be used. Messages name the setting to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DataverseConfigError {
    #[error(
        "the Dataverse org URL '{0}' is not an http(s) URL like https://contoso.crm.dynamics.com"
    )]
    OrgUrl(String),
    #[error(
        "the Entra ID authority '{0}' is not an http(s) URL like https://login.microsoftonline.com"
    )]
    Authority(String),
    #[error("the Dataverse {0} is empty")]
    Missing(&'static str),
    #[error("the HTTP client could not be built: {0}")]
    Http(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_never_shows_in_debug_output() {
        let config = DataverseConfig::new("https://o", "t", "c", Secret::new("hunter2"));
        let printed = format!("{config:?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(printed.contains("***"));
    }
}
