//! A local Entra-like token issuer, for the tests and `cargo xtask serve --local-issuer`: never
//! mounted unless `--local-issuer` is set. It speaks the v2.0 endpoints' shapes under
//! `{base}/{tenant}/…` (`base` is e.g. `http://127.0.0.1:8080/_issuer`):
//!
//! - `v2.0/.well-known/openid-configuration` (discovery) and `discovery/v2.0/keys` (JWKS; the
//!   previous key stays published after a rotation);
//! - `oauth2/v2.0/authorize`: authorization code with PKCE (S256 only); without `user` it shows
//!   a page to pick one of [`TEST_USERS`] (no passwords), then redirects with `code` and `state`;
//! - `oauth2/v2.0/token`: `authorization_code` (with `code_verifier`) and `refresh_token`
//!   grants; refresh tokens rotate on each use, and reusing a spent one revokes its family;
//! - `oauth2/v2.0/revoke` (RFC 7009), and for tests `_admin/rotate-keys`, `_admin/revoke-all`,
//!   `_admin/access-token-ttl?secs=N` (under `base`).
//!
//! Access tokens are RS256 JWTs as Entra's v2.0: `iss`, `aud`, `tid`, `oid`, `scp`, `exp`, ...

mod keys;
mod routes;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use self::keys::KeyRing;
use crate::settings::Settings;

pub use self::routes::routes;

/// The issuer's tenant, audience (the API) and the widget's client id.
pub const TENANT: &str = "9b2f4c1e-6d3a-4e8b-a1c7-5f0e2d4b6a80";
pub const AUDIENCE: &str = "api://dealpane";
pub const CLIENT_ID: &str = "6e1d2c3b-4a5f-4e6d-8c7b-9a0f1e2d3c4b";
/// The delegated scope every token carries (the default `--entra-required-scope`).
pub const SCOPE: &str = "Deals.Read";
/// Where it is mounted on the server.
pub const PATH: &str = "/_issuer";

/// Someone to sign in as. The Dataverse stand-in knows the same object ids.
#[derive(Debug, Clone, Copy)]
pub struct TestUser {
    pub oid: &'static str,
    pub name: &'static str,
    pub username: &'static str,
}

/// Alex and Dana are Sales users who own different deals; Riley is unknown to Sales.
pub const TEST_USERS: [TestUser; 3] = [
    TestUser {
        oid: "a11ce000-0000-4000-8000-00000000a1ec",
        name: "Alex Wu",
        username: "alex@contoso.test",
    },
    TestUser {
        oid: "da7a0000-0000-4000-8000-00000000da7a",
        name: "Dana Seller",
        username: "dana@contoso.test",
    },
    TestUser {
        oid: "0e1e0000-0000-4000-8000-00000000e1e0",
        name: "Riley Newhire",
        username: "riley@contoso.test",
    },
];

/// How long a code lives; single use.
const CODE_TTL: Duration = Duration::from_secs(120);
const DEFAULT_ACCESS_TTL: Duration = Duration::from_secs(3600);
/// Codes and refresh tokens held at most (a local tool, but still bounded).
const MAX_GRANTS: usize = 10_000;

/// Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct DevIssuer {
    /// e.g. `http://127.0.0.1:8080/_issuer`.
    base: String,
    state: Arc<Mutex<State>>,
}

struct State {
    keys: KeyRing,
    codes: HashMap<String, PendingCode>,
    /// Live refresh tokens → their grant.
    refresh: HashMap<String, Grant>,
    /// Rotated-out refresh tokens → their family, to catch reuse.
    spent: HashMap<String, String>,
    access_ttl: Duration,
}

struct PendingCode {
    grant: Grant,
    redirect_uri: String,
    challenge: String,
    expires: tokio::time::Instant,
}

#[derive(Clone)]
struct Grant {
    user: TestUser,
    client_id: String,
    /// Every refresh token descending from one sign-in.
    family: String,
}

impl DevIssuer {
    /// An issuer whose URLs start with `base` (no trailing slash).
    pub fn new(base: impl Into<String>) -> DevIssuer {
        DevIssuer {
            base: base.into().trim_end_matches('/').to_owned(),
            state: Arc::new(Mutex::new(State {
                keys: KeyRing::new(),
                codes: HashMap::new(),
                refresh: HashMap::new(),
                spent: HashMap::new(),
                access_ttl: DEFAULT_ACCESS_TTL,
            })),
        }
    }

    /// `iss` of its tokens: `{base}/{tenant}/v2.0`, as Entra's v2.0 endpoint.
    pub fn issuer(&self) -> String {
        format!("{}/{TENANT}/v2.0", self.base)
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// The claims of an access token for `user`, valid from now for the access-token lifetime.
    pub fn claims_for(&self, user: &TestUser) -> Value {
        let now = chrono::Utc::now().timestamp();
        let ttl = self.state.lock().unwrap().access_ttl.as_secs() as i64;
        json!({
            "aud": AUDIENCE, "iss": self.issuer(), "tid": TENANT, "ver": "2.0",
            "iat": now, "nbf": now, "exp": now + ttl,
            "oid": user.oid, "sub": user.oid, "name": user.name,
            "preferred_username": user.username, "azp": CLIENT_ID, "scp": SCOPE,
        })
    }

    /// Any claims, signed with the current key.
    pub fn sign(&self, claims: &Value) -> String {
        let state = self.state.lock().unwrap();
        let key = state.keys.current();
        key.sign(claims, &key.kid)
    }

    /// Any claims, signed with the current key but naming `kid` in the header.
    pub fn sign_as_kid(&self, claims: &Value, kid: &str) -> String {
        self.state.lock().unwrap().keys.current().sign(claims, kid)
    }

    /// A valid access token for `user`.
    pub fn access_token(&self, user: &TestUser) -> String {
        self.sign(&self.claims_for(user))
    }

    pub fn current_kid(&self) -> String {
        self.state.lock().unwrap().keys.current().kid.clone()
    }

    /// The published JWKS.
    pub fn jwks(&self) -> Value {
        self.state.lock().unwrap().keys.jwks()
    }

    /// A new signing key; the previous one stays published.
    pub fn rotate_keys(&self) {
        self.state.lock().unwrap().keys.rotate();
    }

    /// Every refresh token stops working (as a password reset or an admin's revoke does).
    pub fn revoke_all(&self) {
        let mut state = self.state.lock().unwrap();
        state.refresh.clear();
        state.spent.clear();
    }

    /// Access tokens issued from now on live this long (tests of silent renewal).
    pub fn set_access_token_ttl(&self, ttl: Duration) {
        self.state.lock().unwrap().access_ttl =
            ttl.clamp(Duration::from_secs(1), DEFAULT_ACCESS_TTL * 24);
    }
}

/// With `--local-issuer`: trust the issuer this server mounts at `addr`, unless the settings
/// name another tenant or authority themselves.
pub fn configure(settings: &mut Settings, addr: SocketAddr) {
    if !settings.local_issuer {
        return;
    }
    let host = if addr.ip().is_unspecified() {
        SocketAddr::from(([127, 0, 0, 1], addr.port()))
    } else {
        addr
    };
    if settings.entra_authority == crate::source::dataverse::DEFAULT_AUTHORITY {
        settings.entra_authority = format!("http://{host}{PATH}");
    }
    settings
        .entra_tenant_id
        .get_or_insert_with(|| TENANT.to_owned());
    settings
        .entra_audience
        .get_or_insert_with(|| AUDIENCE.to_owned());
    settings
        .widget_client_id
        .get_or_insert_with(|| CLIENT_ID.to_owned());
}

/// Mounts the issuer at [`PATH`] when `--local-issuer` is set (its URLs start with
/// `--entra-authority`, which [`configure`] pointed here); otherwise `router` unchanged.
pub fn mount(router: axum::Router, settings: &Settings) -> axum::Router {
    if !settings.local_issuer {
        return router;
    }
    router.nest(
        PATH,
        routes(DevIssuer::new(settings.entra_authority.clone())),
    )
}

/// `bytes` random bytes, base64url: codes, refresh tokens, key ids.
fn random_token(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes.min(64)];
    getrandom::fill(&mut buffer).expect("the OS RNG answers");
    URL_SAFE_NO_PAD.encode(buffer)
}

impl State {
    /// Drops expired codes, and refuses new grants past the bound.
    fn has_room(&mut self) -> bool {
        let now = tokio::time::Instant::now();
        self.codes.retain(|_, code| code.expires > now);
        self.codes.len() + self.refresh.len() + self.spent.len() < MAX_GRANTS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_name_the_issuer_tenant_and_user() {
        let issuer = DevIssuer::new("http://127.0.0.1:1/_issuer/");
        let claims = issuer.claims_for(&TEST_USERS[0]);
        assert_eq!(
            claims["iss"],
            format!("http://127.0.0.1:1/_issuer/{TENANT}/v2.0")
        );
        assert_eq!(claims["oid"], TEST_USERS[0].oid);
        assert_eq!(claims["scp"], SCOPE);
        let kid = issuer.current_kid();
        issuer.rotate_keys();
        let published = issuer.jwks();
        let kids: Vec<&str> = published["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["kid"].as_str().unwrap())
            .collect();
        assert_eq!(kids, [issuer.current_kid().as_str(), kid.as_str()]);
    }
}
