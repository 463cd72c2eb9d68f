//! The sign-in states (issue 11), when `config.json` turns sign-in on: each says what happened
//! and what to do, and all but "no access to Sales" offer the Sign in button, whose click opens
//! the popup.

use leptos::prelude::*;

use super::PaneState;
use crate::components::states::{notice, Tone};
use crate::components::Ui;

/// Which sign-in state the main area shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthState {
    /// "Sign in to see Sales deals", with the button.
    SignIn,
    /// The popup is open.
    SigningIn,
    PopupBlocked,
    /// Consent or permission missing: the token endpoint's or the API's words.
    Consent(Option<String>),
    /// The API's 403 "no access to Sales deals".
    NoSales,
    /// The sign-in did not finish: the token endpoint could not be reached or answered
    /// nonsense. The button tries again.
    Failed,
}

impl AuthState {
    fn name(&self) -> &'static str {
        match self {
            AuthState::SignIn => "sign-in",
            AuthState::SigningIn => "signing-in",
            AuthState::PopupBlocked => "popup-blocked",
            AuthState::Consent(_) => "consent",
            AuthState::NoSales => "no-sales-access",
            AuthState::Failed => "sign-in-failed",
        }
    }
}

pub fn view_sign_in(ui: Ui, auth: AuthState, state: PaneState, kept: bool) -> AnyView {
    let t = &ui.text.sign_in;
    let (tone, title, hint, detail, button) = match &auth {
        AuthState::SignIn => (Tone::Info, t.title, t.hint, None, true),
        AuthState::SigningIn => (Tone::Info, t.signing_in, t.signing_in_hint, None, false),
        AuthState::PopupBlocked => (
            Tone::Warning,
            t.popup_blocked,
            t.popup_blocked_hint,
            None,
            true,
        ),
        AuthState::Consent(detail) => {
            (Tone::Error, t.consent, t.consent_hint, detail.clone(), true)
        }
        AuthState::NoSales => (Tone::Error, t.no_sales, t.no_sales_hint, None, false),
        AuthState::Failed => (Tone::Error, t.failed, t.failed_hint, None, true),
    };
    let actions = view! {
        {button.then(|| view! {
            <button type="button" class="dp-button dp-button--primary dp-sign-in__button"
                on:click=move |_| state.sign_in()>
                {t.button}
            </button>
        }.into_any())}
        {(!kept && button).then(|| view! { <p class="dp-sign-in__note">{t.not_kept}</p> }.into_any())}
    }
    .into_any();
    view! {
        <div class="dp-sign-in" data-auth=auth.name()>
            {notice(tone, title.to_owned(), hint.to_owned(), detail, Some(actions))}
        </div>
    }
    .into_any()
}
