//! Sign-in with Microsoft Entra ID (authorization code + PKCE in a popup), when `config.json`
//! has an `auth` block. This file is the plain part, tested natively: the authorize URL, the
//! token endpoint's form bodies and answers, base64url. `session` (wasm32) holds the tokens and
//! is the token provider `crate::request` asks; `popup` (wasm32) runs the popup.
//!
//! Hygiene: the access token lives in memory only, the refresh token in `sessionStorage`; no
//! token goes in a URL, a log or the DOM.

use dealpane_contract::percent::encode_component;

use crate::api::json::Json;
use crate::config::AuthConfig;

#[cfg(target_arch = "wasm32")]
pub mod popup;
#[cfg(target_arch = "wasm32")]
pub mod session;

/// Where the popup lands, beside `index.html`: it posts the code to its opener and closes.
pub const REDIRECT_PAGE: &str = "auth-redirect.html";
/// Renew this long before the access token expires.
pub const RENEW_EARLY_SECS: u32 = 60;

/// Why sign-in or a renewal did not give a token. Data only: `i18n` words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// The window could not be opened (a popup blocker).
    PopupBlocked,
    /// The agent closed the popup, or a stale answer: back to "Sign in".
    Cancelled,
    /// Consent or permission missing (AADSTS65001, `consent_required`, `invalid_scope`...).
    Consent(String),
    /// The refresh token is gone, expired or revoked: sign in again.
    SignInAgain,
    /// The token endpoint could not be reached or answered nonsense.
    Failed,
}

/// `{authority}/oauth2/v2.0/authorize?...` for the popup.
pub fn authorize_url(
    auth: &AuthConfig,
    redirect_uri: &str,
    state: &str,
    challenge: &str,
) -> String {
    let pairs = [
        ("client_id", auth.client_id.as_str()),
        ("response_type", "code"),
        ("redirect_uri", redirect_uri),
        ("scope", auth.scope.as_str()),
        ("state", state),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
        ("prompt", "select_account"),
    ];
    format!("{}/oauth2/v2.0/authorize?{}", auth.authority, form(&pairs))
}

/// `{authority}/oauth2/v2.0/token`.
pub fn token_url(auth: &AuthConfig) -> String {
    format!("{}/oauth2/v2.0/token", auth.authority)
}

/// The body that redeems the popup's code.
pub fn code_body(auth: &AuthConfig, code: &str, redirect_uri: &str, verifier: &str) -> String {
    form(&[
        ("grant_type", "authorization_code"),
        ("client_id", &auth.client_id),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("code_verifier", verifier),
        ("scope", &auth.scope),
    ])
}

/// The body that trades a refresh token for new tokens (the old one then stops working).
pub fn refresh_body(auth: &AuthConfig, refresh_token: &str) -> String {
    form(&[
        ("grant_type", "refresh_token"),
        ("client_id", &auth.client_id),
        ("refresh_token", refresh_token),
        ("scope", &auth.scope),
    ])
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode_component(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// What the token endpoint gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub expires_in_secs: u32,
}

/// Reads the token endpoint's answer: tokens, or why not (Entra's `{error, error_description}`).
pub fn parse_token_answer(status: u16, body: &str) -> Result<Tokens, AuthError> {
    let answer = Json::parse(body).map_err(|_| AuthError::Failed)?;
    let field = |name: &str| answer.get(name);
    let text = |name: &str| field(name).and_then(|v| v.as_str()).unwrap_or_default();
    if !(200..300).contains(&status) {
        return Err(classify_error(&text("error"), &text("error_description")));
    }
    let access_token = text("access_token");
    if access_token.is_empty() {
        return Err(AuthError::Failed);
    }
    // Entra sends a number; some proxies a string.
    let expires_in = field("expires_in").and_then(|v| match v.as_str() {
        Some(s) => s.parse::<u64>().ok(),
        None => v.as_whole().and_then(|n| u64::try_from(n).ok()),
    });
    Ok(Tokens {
        access_token,
        refresh_token: Some(text("refresh_token")).filter(|t| !t.is_empty()),
        expires_in_secs: expires_in.unwrap_or(3600).min(86_400) as u32,
    })
}

/// An OAuth error (from the token endpoint or the redirect's `error=`), as a state.
pub fn classify_error(error: &str, description: &str) -> AuthError {
    let consent = ["AADSTS65001", "AADSTS650057", "AADSTS70011", "AADSTS90094"];
    // A code is a word of the description ("AADSTS65001: The user…"): matched by word, not by
    // substring search, which cost the wasm ~0.9 KB gzip.
    if matches!(
        error,
        "consent_required" | "invalid_scope" | "unauthorized_client" | "interaction_required"
    ) || description
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| consent.contains(&word))
    {
        // The code and its first sentence, bounded: the agent can quote it to an admin.
        Consent(description.chars().take(200).collect())
    } else if error == "invalid_grant" {
        AuthError::SignInAgain
    } else if error == "access_denied" {
        AuthError::Cancelled
    } else {
        AuthError::Failed
    }
}
use AuthError::Consent;

/// RFC 4648 base64url without padding: PKCE's verifier, challenge and the state.
pub fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// The API's 403 for an agent Sales does not know (the server's `NoSalesAccess` title), apart
/// from a 403 for a missing scope or role.
pub fn is_no_sales_access(title: &str) -> bool {
    title.eq_ignore_ascii_case("No access to Sales deals")
}

#[cfg(test)]
mod tests {
    use super::*;
    // These run natively and, through the browser's JSON, in `cargo xtask test --suite browser`.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn auth() -> AuthConfig {
        AuthConfig {
            authority: "https://login.example/t1".to_owned(),
            client_id: "c 1".to_owned(),
            scope: "api://dealpane/Deals.Read offline_access".to_owned(),
        }
    }

    #[test]
    fn base64url_matches_rfc_4648_vectors() {
        for (given, expected) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url(given.as_bytes()), expected);
        }
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn the_authorize_url_carries_pkce_and_encodes_every_value() {
        let url = authorize_url(&auth(), "http://127.0.0.1:1/auth-redirect.html", "st", "ch");
        assert!(url.starts_with(
            "https://login.example/t1/oauth2/v2.0/authorize?client_id=c%201&response_type=code&"
        ));
        assert!(url.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A1%2Fauth-redirect.html"));
        assert!(url.contains("scope=api%3A%2F%2Fdealpane%2FDeals.Read%20offline_access"));
        assert!(url.contains("&state=st&code_challenge=ch&code_challenge_method=S256"));
        assert_eq!(
            token_url(&auth()),
            "https://login.example/t1/oauth2/v2.0/token"
        );
        let body = refresh_body(&auth(), "r&t");
        assert!(body.starts_with("grant_type=refresh_token&client_id=c%201&refresh_token=r%26t&"));
        let body = code_body(&auth(), "co", "http://x/", "ver");
        assert!(
            body.contains("grant_type=authorization_code") && body.contains("code_verifier=ver")
        );
    }

    #[test]
    fn token_answers_and_entra_errors_become_tokens_or_states() {
        let ok = parse_token_answer(
            200,
            r#"{"token_type":"Bearer","expires_in":3599,"access_token":"a","refresh_token":"r"}"#,
        );
        assert_eq!(
            ok,
            Ok(Tokens {
                access_token: "a".into(),
                refresh_token: Some("r".into()),
                expires_in_secs: 3599
            })
        );
        let consent = parse_token_answer(
            400,
            r#"{"error":"invalid_grant","error_description":"AADSTS65001: The user or administrator has not consented."}"#,
        );
        assert!(matches!(consent, Err(AuthError::Consent(d)) if d.starts_with("AADSTS65001")));
        assert_eq!(
            parse_token_answer(
                400,
                r#"{"error":"invalid_grant","error_description":"AADSTS70008: expired"}"#
            ),
            Err(AuthError::SignInAgain)
        );
        assert_eq!(parse_token_answer(500, "<html>"), Err(AuthError::Failed));
        assert_eq!(
            parse_token_answer(200, r#"{"access_token":""}"#),
            Err(AuthError::Failed)
        );
        let proxied = parse_token_answer(200, r#"{"access_token":"a","expires_in":"120"}"#);
        assert_eq!(
            proxied.map(|t| (t.expires_in_secs, t.refresh_token)),
            Ok((120, None))
        );
        let odd = parse_token_answer(200, r#"{"access_token":"a","expires_in":-5}"#);
        assert_eq!(odd.map(|t| t.expires_in_secs), Ok(3600));
        assert_eq!(classify_error("access_denied", ""), AuthError::Cancelled);
        // A consent code anywhere in the description, but only as a whole code.
        let later = "Trace ID: 1\r\nAADSTS650057: Invalid resource.";
        assert!(matches!(
            classify_error("invalid_request", later),
            AuthError::Consent(_)
        ));
        assert_eq!(
            classify_error("invalid_request", "AADSTS650570: other"),
            AuthError::Failed
        );
        assert!(is_no_sales_access("No access to Sales deals"));
        assert!(!is_no_sales_access("Not allowed"));
    }
}
