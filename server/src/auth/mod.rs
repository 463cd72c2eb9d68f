//! Who is asking (issue 11). Every data route passes [`identify`], which turns a request into a
//! [`Caller`] or refuses it:
//!
//! - an `Authorization: Bearer` token, when Entra is configured, is validated ([`entra`]) and
//!   names an agent; a bad one is refused even if a function key came along;
//! - otherwise a function key ([`function_key`]), when keys are configured (the connector path);
//! - with neither configured, the caller is anonymous (the server then listens on loopback only
//!   unless told otherwise, see [`check_exposure`]).
//!
//! The caller, and the [`CallerScope`] every caller-dependent cache is keyed by, go into the
//! request's extensions and, for the request's task, into [`current`]: in `agent` mode the
//! Dataverse client sends the agent's object id as `CallerObjectId` from there.

mod entra;
mod function_key;
mod jwks;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use clap::ValueEnum;

pub use self::entra::{Entra, EntraSettings, TokenRejection};
pub use self::function_key::{code_from_query, presented_keys, FunctionKeys, KEY_HEADER};
use crate::error::ApiError;
use crate::summaries::CallerScope;

/// Whose identity Sales sees on each Dataverse call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SalesIdentity {
    /// The application user's, for every caller.
    App,
    /// The signed-in agent's (`CallerObjectId`), so Sales security roles apply to each agent.
    Agent,
}

/// An agent, from a validated Entra token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agent {
    /// The Entra object id, a lowercase GUID.
    pub oid: String,
    pub tenant: String,
    /// For records of who sent a write; never used to decide anything.
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// No authentication is configured (a loopback or explicitly open server).
    Anonymous,
    /// A valid function key: a server-to-server caller such as Copilot's connector.
    Service,
    Agent(Agent),
}

/// What the current request runs as, for code that has no request at hand.
#[derive(Debug, Clone)]
pub struct Identity {
    pub caller: Caller,
    pub scope: CallerScope,
    /// `Some(oid)` when Dataverse calls must carry `CallerObjectId`.
    pub acting_for: Option<String>,
}

impl Identity {
    pub fn new(caller: Caller, mode: SalesIdentity) -> Identity {
        let acting_for = match (&caller, mode) {
            (Caller::Agent(agent), SalesIdentity::Agent) => Some(agent.oid.clone()),
            _ => None,
        };
        let scope = acting_for
            .as_deref()
            .map_or_else(CallerScope::app, CallerScope::agent);
        Identity {
            caller,
            scope,
            acting_for,
        }
    }
}

tokio::task_local! {
    static IDENTITY: Identity;
}

/// The current request's identity, if the task runs one (see [`run_as`]).
pub fn current() -> Option<Identity> {
    IDENTITY.try_with(Clone::clone).ok()
}

/// The agent whose object id Dataverse calls must carry now, if any.
pub fn acting_for() -> Option<String> {
    IDENTITY
        .try_with(|identity| identity.acting_for.clone())
        .ok()
        .flatten()
}

/// Runs `work` as `identity`; for work spawned on a request's behalf, pass [`current`].
pub async fn run_as<F: Future>(identity: Option<Identity>, work: F) -> F::Output {
    match identity {
        Some(identity) => IDENTITY.scope(identity, work).await,
        None => work.await,
    }
}

/// How the data routes are guarded. Cheap to clone.
#[derive(Clone)]
pub struct Gate {
    keys: FunctionKeys,
    entra: Option<Arc<Entra>>,
    mode: SalesIdentity,
}

impl Gate {
    pub fn new(keys: FunctionKeys, entra: Option<Entra>, mode: SalesIdentity) -> Gate {
        Gate {
            keys,
            entra: entra.map(Arc::new),
            mode,
        }
    }

    /// Entra when the settings name a tenant and an audience, the keys, the Sales identity.
    pub fn from_settings(settings: &crate::settings::Settings, keys: FunctionKeys) -> Gate {
        let entra = match (&settings.entra_tenant_id, &settings.entra_audience) {
            (Some(tenant_id), Some(audience)) => Some(Entra::new(
                EntraSettings {
                    authority: settings.entra_authority.clone(),
                    tenant_id: tenant_id.clone(),
                    audience: audience.clone(),
                    required_scope: settings.entra_required_scope.clone(),
                },
                key_client(),
            )),
            _ => None,
        };
        Gate::new(keys, entra, settings.sales_identity)
    }

    /// Neither keys nor Entra: anyone who reaches the server may read.
    pub fn is_open(&self) -> bool {
        self.entra.is_none() && !self.keys.required()
    }

    /// `bearer` and `keys` are what the request presented (taken out first: a `&Request` is not
    /// `Send` across an await).
    async fn caller(&self, bearer: Option<String>, keys: Vec<String>) -> Result<Caller, ApiError> {
        if let (Some(entra), Some(token)) = (&self.entra, bearer) {
            return match entra.validate(&token).await {
                Ok(agent) => Ok(Caller::Agent(agent)),
                Err(TokenRejection::MissingScope) => Err(ApiError::Forbidden(
                    "the token has neither the scope nor the app role this API requires",
                )),
                Err(TokenRejection::KeysUnavailable(error)) => {
                    Err(ApiError::SignInUnavailable(error.to_string()))
                }
                Err(TokenRejection::Invalid(reason)) => {
                    tracing::info!(reason, "bearer token refused");
                    Err(ApiError::InvalidToken)
                }
            };
        }
        if self.keys.required() {
            if keys.iter().any(|key| self.keys.accepts(key)) {
                return Ok(Caller::Service);
            }
            if !keys.is_empty() {
                return Err(ApiError::Unauthorized(
                    "the function key is wrong; check the key configured in the connector or widget",
                ));
            }
        }
        match (self.entra.is_some(), self.keys.required()) {
            (true, _) => Err(ApiError::SignInRequired),
            (false, true) => Err(ApiError::Unauthorized(
                "this API needs a function key: pass it as the `code` query parameter or the \
                 x-functions-key header",
            )),
            (false, false) => Ok(Caller::Anonymous),
        }
    }
}

/// The HTTP client for discovery and keys: short timeouts, so a slow endpoint costs a request
/// a few seconds, not its whole deadline.
fn key_client() -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(concat!("dealpane-server/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(std::time::Duration::from_secs(3))
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .unwrap_or_default()
}

/// `Authorization: Bearer <token>` (scheme case-insensitive), if present.
fn bearer_token(request: &Request) -> Option<String> {
    let value = request
        .headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_owned())
}

/// Middleware for the data routes: who is asking, or a 401/403 problem.
pub async fn identify(State(gate): State<Gate>, mut request: Request, next: Next) -> Response {
    let presented = (bearer_token(&request), presented_keys(&request));
    let caller = match gate.caller(presented.0, presented.1).await {
        Ok(caller) => caller,
        Err(error) => return error.into_response(),
    };
    let identity = Identity::new(caller, gate.mode);
    request.extensions_mut().insert(identity.caller.clone());
    request.extensions_mut().insert(identity.scope.clone());
    let mut response = run_as(Some(identity), next.run(request)).await;
    if gate.entra.is_some() {
        // Browsers key their cache by URL: an answer for one agent's token is not another's.
        response
            .headers_mut()
            .append(header::VARY, HeaderValue::from_static("Authorization"));
    }
    response
}

/// Why the server refuses to start open to the network.
#[derive(Debug, thiserror::Error)]
pub enum ExposureError {
    #[error(
        "refusing to serve without authentication on {0}, which is not a loopback address: \
         set --entra-tenant-id and --entra-audience (DEALPANE_ENTRA_*), or --function-key \
         (DEALPANE_FUNCTION_KEYS), or pass --allow-anonymous to serve anyone who reaches it"
    )]
    OpenOnNetwork(SocketAddr),
    #[error(
        "refusing to run as an Azure Functions custom handler (FUNCTIONS_CUSTOMHANDLER_PORT is \
         set) without authentication: the Functions host exposes this server to the internet. \
         Set --entra-tenant-id and --entra-audience (DEALPANE_ENTRA_*), or --function-key \
         (DEALPANE_FUNCTION_KEYS), or --allow-anonymous (DEALPANE_ALLOW_ANONYMOUS=true)"
    )]
    OpenBehindFunctionsHost,
}

/// Secure by default: an `open` server (see [`Gate::is_open`]) only on loopback, and never
/// behind the Functions host, unless `allow_anonymous` says so.
pub fn check_exposure(
    open: bool,
    bind: SocketAddr,
    behind_functions_host: bool,
    allow_anonymous: bool,
) -> Result<(), ExposureError> {
    if !open || allow_anonymous {
        return Ok(());
    }
    if behind_functions_host {
        return Err(ExposureError::OpenBehindFunctionsHost);
    }
    if !bind.ip().is_loopback() {
        return Err(ExposureError::OpenOnNetwork(bind));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(oid: &str) -> Caller {
        Caller::Agent(Agent {
            oid: oid.to_owned(),
            tenant: "t".to_owned(),
            name: None,
        })
    }

    #[test]
    fn only_agent_mode_acts_for_the_agent_and_scopes_by_them() {
        let a = Identity::new(agent("a"), SalesIdentity::Agent);
        assert_eq!(a.acting_for.as_deref(), Some("a"));
        assert_eq!(a.scope, CallerScope::agent("a"));
        let app = Identity::new(agent("a"), SalesIdentity::App);
        assert_eq!((app.acting_for, app.scope), (None, CallerScope::app()));
        let key = Identity::new(Caller::Service, SalesIdentity::Agent);
        assert_eq!((key.acting_for, key.scope), (None, CallerScope::app()));
    }

    #[test]
    fn an_open_gate_stays_on_loopback_unless_allowed() {
        let open = Gate::new(FunctionKeys::default(), None, SalesIdentity::App).is_open();
        let keyed = !Gate::new(
            FunctionKeys::new(&["k".to_owned()]),
            None,
            SalesIdentity::App,
        )
        .is_open();
        let loopback: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let any: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert!(check_exposure(open, loopback, false, false).is_ok());
        assert!(check_exposure(open, "[::1]:8080".parse().unwrap(), false, false).is_ok());
        let error = check_exposure(open, any, false, false).unwrap_err();
        assert!(error.to_string().contains("--allow-anonymous"), "{error}");
        assert!(check_exposure(open, any, false, true).is_ok());
        assert!(check_exposure(!keyed, any, false, false).is_ok());
        let error = check_exposure(open, loopback, true, false).unwrap_err();
        assert!(error.to_string().contains("FUNCTIONS_CUSTOMHANDLER_PORT"));
        assert!(check_exposure(!keyed, loopback, true, false).is_ok());
    }

    #[tokio::test]
    async fn the_identity_reaches_code_run_for_the_request() {
        assert!(acting_for().is_none());
        let identity = Identity::new(agent("b"), SalesIdentity::Agent);
        let seen = run_as(Some(identity), async { acting_for() }).await;
        assert_eq!(seen.as_deref(), Some("b"));
    }
}
