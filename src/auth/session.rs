//! The signed-in session: the access token in memory, the refresh token in `sessionStorage`
//! (so the workspace's tab reloads don't ask again), renewal before expiry. It is the token
//! provider the one request path (`crate::request::http`) asks: [`bearer_for`], after
//! [`drop_access_token`] when the API refused a token.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

use super::{parse_token_answer, refresh_body, token_url, AuthError, Tokens, RENEW_EARLY_SECS};
use crate::browser::storage;
use crate::config::AuthConfig;
use crate::request::FetchError;

/// The refresh token's key, per client id (two panes of different apps don't share one).
fn storage_key(auth: &AuthConfig) -> String {
    format!("dealpane:rt:{}", auth.client_id)
}

#[derive(Default)]
struct Session {
    auth: Option<AuthConfig>,
    /// Only URLs under it get the token.
    api_base: String,
    access_token: Option<String>,
    /// `Date.now()` after which the access token is renewed before use.
    renew_at_ms: f64,
    /// In memory too: used when storage refuses it.
    refresh_token: Option<String>,
    /// A renewal in flight: others wait for it (a refresh token works once).
    renewing: bool,
    /// Bumped on every new token set, so a stale renewal timer does nothing.
    generation: u32,
}

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::default());
}

/// Turns sign-in on for the API at `api_base` (or off, with `None`) and reads a refresh token a
/// previous load kept.
pub fn configure(auth: Option<AuthConfig>, api_base: &str) {
    let refresh_token = auth.as_ref().and_then(|a| storage::get(&storage_key(a)));
    SESSION.with_borrow_mut(|s| {
        if s.auth != auth {
            *s = Session::default();
        }
        s.refresh_token = s.refresh_token.take().or(refresh_token);
        s.auth = auth;
        s.api_base = api_base.to_owned();
    });
}

/// Whether the API needs a token.
pub fn enabled() -> bool {
    SESSION.with_borrow(|s| s.auth.is_some())
}

pub fn config() -> Option<AuthConfig> {
    SESSION.with_borrow(|s| s.auth.clone())
}

/// Whether a usable access token or a refresh token is at hand.
pub fn has_session() -> bool {
    SESSION.with_borrow(|s| s.access_token.is_some() || s.refresh_token.is_some())
}

/// Whether this browser keeps the refresh token across reloads.
pub fn kept_across_reloads() -> bool {
    storage::available()
}

/// The `Authorization` value for `url`: `None` without sign-in, or for a URL outside the API.
/// An access token about to expire (or dropped) is renewed first. When there is no token to
/// send, the request is not sent: `Err(Network)` if the token endpoint can't be reached (the
/// session stays, for a later try), `Err(Status(401))` if the session has ended (what the API
/// would answer; the pane then asks to sign in).
pub async fn bearer_for(url: &str) -> Result<Option<String>, FetchError> {
    let (wanted, stale) = SESSION.with_borrow(|s| {
        let wanted = s.auth.is_some() && url.starts_with(&s.api_base);
        (
            wanted,
            s.access_token.is_none() || js_sys::Date::now() >= s.renew_at_ms,
        )
    });
    if !wanted {
        return Ok(None);
    }
    let renewal = if stale { renew().await } else { Ok(()) };
    match (SESSION.with_borrow(|s| s.access_token.clone()), renewal) {
        (Some(token), _) => Ok(Some(format!("Bearer {token}"))),
        (None, Err(AuthError::Failed)) => Err(FetchError::Network),
        (None, _) => Err(FetchError::Status(401)),
    }
}

/// Forgets the access token (the API refused it) so the next call renews.
pub fn drop_access_token() {
    SESSION.with_borrow_mut(|s| s.access_token = None);
}

/// New tokens from the refresh token. Concurrent callers share one renewal.
async fn renew() -> Result<(), AuthError> {
    let started = SESSION.with_borrow_mut(|s| {
        let start = !s.renewing;
        s.renewing = true;
        (start, s.generation)
    });
    if !started.0 {
        while SESSION.with_borrow(|s| s.renewing) {
            gloo_timers::future::TimeoutFuture::new(25).await;
        }
        return SESSION.with_borrow(|s| {
            if s.generation != started.1 && s.access_token.is_some() {
                Ok(())
            } else if s.refresh_token.is_some() {
                // The renewal failed without ending the session: the endpoint was unreachable.
                Err(AuthError::Failed)
            } else {
                Err(AuthError::SignInAgain)
            }
        });
    }
    let outcome = renew_now().await;
    SESSION.with_borrow_mut(|s| s.renewing = false);
    outcome
}

async fn renew_now() -> Result<(), AuthError> {
    let (auth, refresh_token) = SESSION.with_borrow(|s| (s.auth.clone(), s.refresh_token.clone()));
    let (Some(auth), Some(refresh_token)) = (auth, refresh_token) else {
        return Err(AuthError::SignInAgain);
    };
    match redeem(&auth, &refresh_body(&auth, &refresh_token)).await {
        Ok(tokens) => {
            accept(&auth, tokens);
            Ok(())
        }
        Err(error) => {
            if error != AuthError::Failed {
                sign_out();
            }
            Err(error)
        }
    }
}

/// Forgets every token (revoked, expired, or a new sign-in is needed).
pub fn sign_out() {
    SESSION.with_borrow_mut(|s| {
        if let Some(auth) = &s.auth {
            storage::remove(&storage_key(auth));
        }
        s.access_token = None;
        s.refresh_token = None;
        s.generation += 1;
    });
}

/// POSTs a form body to the token endpoint (a CORS call the SPA redirect URI allows).
pub async fn redeem(auth: &AuthConfig, body: &str) -> Result<Tokens, AuthError> {
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&body.into());
    let request =
        Request::new_with_str_and_init(&token_url(auth), &init).map_err(|_| AuthError::Failed)?;
    let headers = request.headers();
    let _ = headers.set("Content-Type", "application/x-www-form-urlencoded");
    let window = web_sys::window().ok_or(AuthError::Failed)?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| AuthError::Failed)?
        .unchecked_into();
    let text = response.text().map_err(|_| AuthError::Failed)?;
    let body = JsFuture::from(text)
        .await
        .map_err(|_| AuthError::Failed)?
        .as_string()
        .unwrap_or_default();
    parse_token_answer(response.status(), &body)
}

/// Keeps new tokens and schedules the silent renewal before the access token expires.
pub fn accept(auth: &AuthConfig, tokens: Tokens) {
    let lifetime = tokens.expires_in_secs;
    let early = RENEW_EARLY_SECS.min(lifetime / 2);
    let renew_in_ms = f64::from(lifetime - early) * 1000.0;
    if let Some(refresh) = &tokens.refresh_token {
        // Refused storage: kept in memory, and the pane says a reload asks again.
        storage::set(&storage_key(auth), refresh);
    }
    let generation = SESSION.with_borrow_mut(|s| {
        s.access_token = Some(tokens.access_token);
        if tokens.refresh_token.is_some() {
            s.refresh_token = tokens.refresh_token;
        }
        s.renew_at_ms = js_sys::Date::now() + renew_in_ms;
        s.generation += 1;
        s.generation
    });
    wasm_bindgen_futures::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(renew_in_ms as u32).await;
        if SESSION.with_borrow(|s| s.generation == generation && s.refresh_token.is_some()) {
            let _ = renew().await;
        }
    });
}
