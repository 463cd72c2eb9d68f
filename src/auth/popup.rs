//! The sign-in popup: PKCE (verifier from `crypto.getRandomValues`, S256 challenge from
//! `crypto.subtle.digest`), the authorize page in a window opened from the agent's click, and
//! the code back from `auth-redirect.html` by `postMessage` to this origin only. Entra's pages
//! refuse to render in an iframe, so there is no silent iframe sign-in.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Reflect, Uint8Array};
use leptos::prelude::window_event_listener;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::REDIRECT_PAGE;
use super::{authorize_url, base64url, classify_error, code_body, session, AuthError};

/// How long the popup may stay open before the pane gives up on it.
const POPUP_MAX_MS: f64 = 10.0 * 60.0 * 1000.0;

/// Opens the popup now (inside the click, which popup blockers require) and signs in; `done`
/// gets the outcome once the code is redeemed, the popup closed, or it could not open.
pub fn sign_in(done: impl FnOnce(Result<(), AuthError>) + 'static) {
    let Some(auth) = session::config() else {
        return done(Err(AuthError::Failed));
    };
    let window = leptos::prelude::window();
    let popup = window
        .open_with_url_and_target_and_features("", "dealpane-sign-in", "popup,width=480,height=640")
        .ok()
        .flatten();
    let Some(popup) = popup else {
        return done(Err(AuthError::PopupBlocked));
    };
    wasm_bindgen_futures::spawn_local(async move {
        let outcome = run(&auth, &popup).await;
        let _ = popup.close();
        if let Ok(tokens) = outcome.clone() {
            session::accept(&auth, tokens);
        }
        done(outcome.map(|_| ()));
    });
}

async fn run(
    auth: &crate::config::AuthConfig,
    popup: &web_sys::Window,
) -> Result<super::Tokens, AuthError> {
    let window = leptos::prelude::window();
    let origin = window.location().origin().map_err(|_| AuthError::Failed)?;
    let redirect_uri = web_sys::Url::new_with_base(REDIRECT_PAGE, &document_base())
        .map(|u| u.href())
        .map_err(|_| AuthError::Failed)?;
    let verifier = base64url(&random_bytes(32)?);
    let state = base64url(&random_bytes(16)?);
    let challenge = base64url(&sha256(verifier.as_bytes()).await?);
    popup
        .location()
        .set_href(&authorize_url(auth, &redirect_uri, &state, &challenge))
        .map_err(|_| AuthError::Failed)?;

    // The redirect page's message: from this origin, with this state, else ignored.
    let answer: Rc<RefCell<Option<(String, String, String)>>> = Rc::default();
    let slot = answer.clone();
    let expected_state = state.clone();
    let listener = window_event_listener(leptos::ev::message, move |event| {
        let data = event.data();
        let field = |name: &str| {
            Reflect::get(&data, &name.into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        };
        if event.origin() != origin || field("state") != expected_state {
            return;
        }
        *slot.borrow_mut() = Some((field("code"), field("error"), field("description")));
    });
    let started = js_sys::Date::now();
    let message = loop {
        gloo_timers::future::TimeoutFuture::new(150).await;
        if let Some(message) = answer.borrow_mut().take() {
            break Some(message);
        }
        if popup.closed().unwrap_or(true) || js_sys::Date::now() - started > POPUP_MAX_MS {
            // The redirect page posts, then closes: its message can still be queued when the
            // close is seen (a busy machine), so it gets one more tick.
            gloo_timers::future::TimeoutFuture::new(150).await;
            break answer.borrow_mut().take();
        }
    };
    listener.remove();
    let (code, error, description) = message.ok_or(AuthError::Cancelled)?;
    if code.is_empty() {
        return Err(classify_error(&error, &description));
    }
    session::redeem(auth, &code_body(auth, &code, &redirect_uri, &verifier)).await
}

fn document_base() -> String {
    leptos::prelude::document()
        .base_uri()
        .ok()
        .flatten()
        .unwrap_or_default()
}

fn crypto() -> Result<JsValue, AuthError> {
    Reflect::get(&js_sys::global(), &"crypto".into()).map_err(|_| AuthError::Failed)
}

fn method(target: &JsValue, name: &str) -> Result<Function, AuthError> {
    Reflect::get(target, &name.into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or(AuthError::Failed)
}

/// `crypto.getRandomValues` (called through `Reflect`: no extra `web-sys` bindings).
fn random_bytes(len: u32) -> Result<Vec<u8>, AuthError> {
    let crypto = crypto()?;
    let array = Uint8Array::new_with_length(len);
    method(&crypto, "getRandomValues")?
        .call1(&crypto, &array)
        .map_err(|_| AuthError::Failed)?;
    Ok(array.to_vec())
}

/// `crypto.subtle.digest("SHA-256", bytes)`.
async fn sha256(bytes: &[u8]) -> Result<Vec<u8>, AuthError> {
    let subtle = Reflect::get(&crypto()?, &"subtle".into()).map_err(|_| AuthError::Failed)?;
    let promise = method(&subtle, "digest")?
        .call2(&subtle, &"SHA-256".into(), &Uint8Array::from(bytes))
        .map_err(|_| AuthError::Failed)?;
    let buffer = JsFuture::from(js_sys::Promise::from(promise))
        .await
        .map_err(|_| AuthError::Failed)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}
