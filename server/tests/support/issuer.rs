//! The local Entra-like issuer on its own port, and settings that trust it.

use dealpane_server::auth::SalesIdentity;
use dealpane_server::dev_issuer::{self, DevIssuer, TestUser, AUDIENCE, TENANT, TEST_USERS};
use dealpane_server::source::dataverse::DataverseSource;
use dealpane_server::{serve_on, Settings};
use serde_json::Value;

use super::dataverse::DataverseStandin;
use super::{settings, Dirs, Server};

pub const ALEX: TestUser = TEST_USERS[0];
pub const DANA: TestUser = TEST_USERS[1];
/// Signed in to Entra, unknown to Sales.
pub const RILEY: TestUser = TEST_USERS[2];

/// An issuer listening on 127.0.0.1; stops when dropped.
pub struct Issuer {
    pub issuer: DevIssuer,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Issuer {
    pub async fn start() -> Issuer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!(
            "http://{}{}",
            listener.local_addr().unwrap(),
            dev_issuer::PATH
        );
        let issuer = DevIssuer::new(base);
        let app = axum::Router::new().nest(dev_issuer::PATH, dev_issuer::routes(issuer.clone()));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(serve_on(listener, app, async move {
            let _ = stopped.await;
        }));
        Issuer {
            issuer,
            _stop: stop,
        }
    }

    /// `settings` accepting this issuer's tokens.
    pub fn trust(&self, settings: &mut Settings) {
        settings.entra_authority = self.issuer.base().to_owned();
        settings.entra_tenant_id = Some(TENANT.to_owned());
        settings.entra_audience = Some(AUDIENCE.to_owned());
    }

    /// A server trusting this issuer, with `standin` as Sales, calling it as `identity`;
    /// summaries on or off.
    pub async fn server_over(
        &self,
        standin: &DataverseStandin,
        identity: SalesIdentity,
        summaries: bool,
    ) -> (Server, Dirs) {
        let source = DataverseSource::new(standin.config()).expect("a valid configuration");
        let dirs = Dirs::new();
        let mut settings = settings(&dirs);
        self.trust(&mut settings);
        settings.sales_identity = identity;
        settings.summaries = summaries;
        let server = Server::start(&settings, std::sync::Arc::new(source)).await;
        (server, dirs)
    }

    pub fn token(&self, user: &TestUser) -> String {
        self.issuer.access_token(user)
    }

    /// A token for `user` with its claims changed by `change` first.
    pub fn token_with(&self, user: &TestUser, change: impl FnOnce(&mut Value)) -> String {
        let mut claims = self.issuer.claims_for(user);
        change(&mut claims);
        self.issuer.sign(&claims)
    }
}

/// `Authorization: Bearer <token>`.
pub fn bearer(token: &str) -> (&'static str, String) {
    ("authorization", format!("Bearer {token}"))
}
