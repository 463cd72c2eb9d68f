//! Browser tests of sign-in (issue 11), with an `auth` block in config.json: each state
//! (sign in, signing in, popup blocked, consent missing, no access to Sales, sign-in failed), the popup's PKCE
//! flow with the token on every API call and nowhere else, a tab reload that renews from
//! sessionStorage without a popup, the one silent retry after a 401, and a token endpoint that
//! can't be reached at renewal (a network failure, not the end of the session).
#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::json;
use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const TOKEN: &str = "POST /oauth2/v2.0/token";

/// A fixture whose config.json turns sign-in on; each test its own client id, so no session
/// (kept in the page's memory) carries over from another test.
fn setup(client_id: &str) -> Fixture {
    session_storage_refuse(false);
    session_storage_clear();
    let fixture = Fixture::new();
    fixture.json(
        CONFIG,
        &json!({"auth": {"authority": "https://login.example/t1", "tenantId": "t1",
            "clientId": client_id, "scopes": ["api://dealpane/Deals.Read", "offline_access"]}}),
    );
    fixture
}

fn tokens(access: &str, refresh: &str) -> serde_json::Value {
    json!({"token_type": "Bearer", "scope": "api://dealpane/Deals.Read", "expires_in": 3600,
        "access_token": access, "refresh_token": refresh})
}

fn problem(status: u16, title: &str, detail: &str) -> String {
    json!({"type": "about:blank", "title": title, "status": status, "detail": detail,
        "traceId": "t-1"})
    .to_string()
}

/// The one token request's body (the fixture reads a POST's body shortly after it is sent).
async fn token_body(fixture: &Fixture) -> String {
    wait_until(
        || {
            fixture
                .requests_to("/oauth2/v2.0/token")
                .iter()
                .any(|r| r.body.is_some())
        },
        2_000,
    )
    .await;
    fixture
        .only_request_to("/oauth2/v2.0/token")
        .body
        .unwrap_or_default()
}

/// [`setup`] for a session kept from before a reload: its refresh token in `sessionStorage`.
fn resumed(client_id: &str, refresh_token: &str) -> Fixture {
    let fixture = setup(client_id);
    session_storage_set(&format!("dealpane:rt:{client_id}"), refresh_token);
    fixture
}

/// The API's answer to a token it refuses.
fn token_refused() -> String {
    problem(401, "Invalid bearer token", "The token was refused.")
}

#[wasm_bindgen_test]
async fn without_a_session_the_pane_asks_to_sign_in_and_calls_no_api() {
    let fixture = setup("c-start");
    fixture.contoso(vec![deal(1, "Espresso machines", 250_000.0, "Propose")]);
    let pane = mount(QUERY);
    pane.shows("[data-auth=sign-in]", "Sign in to see Sales deals")
        .await;
    pane.button("Sign in");
    assert!(
        pane.find(".dp-sign-in__note").is_none(),
        "storage works here"
    );
    fixture.assert_nothing_sent_to(DEALS, 100).await;
}

#[wasm_bindgen_test]
async fn the_popup_signs_in_with_pkce_and_every_api_call_carries_the_token_only_in_a_header() {
    let fixture = setup("c-popup");
    fixture
        .contoso(vec![deal(1, "Espresso machines", 250_000.0, "Propose")])
        .json(TOKEN, &tokens("access-1", "refresh-1"));
    popup_install(false, "code-1");
    let pane = mount(QUERY);
    pane.wait_for("[data-auth=sign-in]").await;
    click(&pane.button("Sign in"));
    pane.wait_for("[data-auth=signing-in]").await;
    pane.wait_for_text("Espresso machines").await;

    let opened = popup_opened();
    assert_eq!(opened.len(), 1);
    let url = &opened[0];
    assert!(url.starts_with(
        "https://login.example/t1/oauth2/v2.0/authorize?client_id=c-popup&response_type=code&"
    ));
    assert!(url.contains("&code_challenge_method=S256"), "{url}");
    assert!(url.contains("redirect_uri=http%3A%2F%2F") && url.contains("auth-redirect.html"));
    let challenge = url
        .split("code_challenge=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    assert_eq!(challenge.len(), 43, "a SHA-256 in base64url");

    let body = token_body(&fixture).await;
    assert!(body.contains("grant_type=authorization_code") && body.contains("code=code-1"));
    let verifier = body
        .split("code_verifier=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    assert_eq!(verifier.len(), 43);

    let deals = fixture.only_request_to(DEALS);
    assert_eq!(deals.authorization.as_deref(), Some("Bearer access-1"));
    assert!(!deals.url.contains("access-1"));
    assert_eq!(
        session_storage_get("dealpane:rt:c-popup").as_deref(),
        Some("refresh-1")
    );
    let html = pane.host.inner_html();
    assert!(
        !html.contains("access-1") && !html.contains("refresh-1"),
        "no token in the DOM"
    );
    for config in fixture.requests_to(CONFIG) {
        assert_eq!(config.authorization, None, "only the API gets the token");
    }
}

#[wasm_bindgen_test]
async fn a_code_posted_as_the_popup_closes_still_signs_in() {
    let fixture = setup("c-late");
    fixture
        .contoso(vec![deal(1, "Espresso machines", 250_000.0, "Propose")])
        .json(TOKEN, &tokens("access-1", "refresh-1"));
    popup_install_closing_first("code-late");
    let pane = mount(QUERY);
    pane.wait_for("[data-auth=sign-in]").await;
    click(&pane.button("Sign in"));
    pane.wait_for_text("Espresso machines").await;
    assert!(token_body(&fixture).await.contains("code=code-late"));
}

#[wasm_bindgen_test]
async fn a_kept_refresh_token_signs_in_without_a_popup() {
    let fixture = resumed("c-reload", "refresh-old");
    fixture
        .contoso(vec![deal(1, "Espresso machines", 250_000.0, "Propose")])
        .json(TOKEN, &tokens("access-2", "refresh-new"));
    popup_install(false, "never");
    let pane = mount(QUERY);
    pane.wait_for_text("Espresso machines").await;
    assert!(popup_opened().is_empty());
    assert!(token_body(&fixture)
        .await
        .contains("refresh_token=refresh-old"));
    assert_eq!(
        fixture.only_request_to(DEALS).authorization.as_deref(),
        Some("Bearer access-2")
    );
    assert_eq!(
        session_storage_get("dealpane:rt:c-reload").as_deref(),
        Some("refresh-new")
    );
}

#[wasm_bindgen_test]
async fn a_401_renews_silently_once_then_shows_the_sign_in_state() {
    let fixture = resumed("c-401", "refresh-a");
    fixture
        .json(TOKEN, &tokens("access-a", "refresh-b"))
        .json(TOKEN, &tokens("access-b", "refresh-c"));
    let unauthorized = token_refused();
    fixture
        .reply(DEALS, 401, "application/problem+json", &unauthorized)
        .contoso(vec![deal(1, "Espresso machines", 250_000.0, "Propose")]);
    let pane = mount(QUERY);
    pane.wait_for_text("Espresso machines").await;
    let sent: Vec<_> = fixture
        .requests_to(DEALS)
        .into_iter()
        .map(|r| r.authorization)
        .collect();
    assert_eq!(
        sent,
        [
            Some("Bearer access-a".to_owned()),
            Some("Bearer access-b".to_owned())
        ]
    );
    drop(pane);

    // Refused again after the renewal: no loop, the sign-in state.
    let fixture = resumed("c-401-twice", "refresh-a");
    fixture.json(TOKEN, &tokens("access-a", "refresh-b")).reply(
        DEALS,
        401,
        "application/problem+json",
        &unauthorized,
    );
    let pane = mount(QUERY);
    pane.shows("[data-auth=sign-in]", "Sign in to see Sales deals")
        .await;
    assert_eq!(fixture.requests_to(DEALS).len(), 2, "one retry only");
    assert_eq!(session_storage_get("dealpane:rt:c-401-twice"), None);
}

#[wasm_bindgen_test]
async fn a_token_endpoint_down_at_renewal_is_a_network_failure_and_the_session_stays() {
    let fixture = resumed("c-down", "refresh-a");
    // The load's renewal works; the API refuses that token; every renewal after it fails.
    fixture
        .json(TOKEN, &tokens("access-a", "refresh-b"))
        .fail_network(TOKEN);
    let unauthorized = token_refused();
    fixture
        .reply(DEALS, 401, "application/problem+json", &unauthorized)
        .contoso(vec![deal(1, "Espresso machines", 250_000.0, "Propose")]);
    let pane = mount(QUERY);
    pane.shows("[data-state=warning]", "can't be reached").await;
    assert!(pane.find("[data-auth=sign-in]").is_none(), "not signed out");
    assert_eq!(
        session_storage_get("dealpane:rt:c-down").as_deref(),
        Some("refresh-b"),
        "the refresh token is kept"
    );
    let sent = fixture.requests_to(DEALS);
    assert_eq!(sent.len(), 1, "nothing sent without a token");

    // The endpoint is back: Retry renews and loads, without a popup.
    fixture.json(TOKEN, &tokens("access-c", "refresh-c"));
    click(&pane.button("Retry"));
    pane.wait_for_text("Espresso machines").await;
    assert_eq!(
        fixture
            .requests_to(DEALS)
            .last()
            .and_then(|r| r.authorization.clone())
            .as_deref(),
        Some("Bearer access-c")
    );
}

#[wasm_bindgen_test]
async fn a_blocked_popup_says_how_to_allow_it() {
    let _fixture = setup("c-blocked");
    popup_install(true, "");
    let pane = mount(QUERY);
    pane.wait_for("[data-auth=sign-in]").await;
    click(&pane.button("Sign in"));
    pane.shows(
        "[data-auth=popup-blocked]",
        "Allow pop-ups for this workspace",
    )
    .await;
    pane.button("Sign in");
}

#[wasm_bindgen_test]
async fn an_unreachable_token_endpoint_says_so_and_offers_sign_in_again() {
    let fixture = setup("c-unreachable");
    fixture.fail_network(TOKEN);
    popup_install(false, "code-u");
    let pane = mount(QUERY);
    pane.wait_for("[data-auth=sign-in]").await;
    click(&pane.button("Sign in"));
    pane.shows(
        "[data-auth=sign-in-failed]",
        "Microsoft sign-in couldn't be reached",
    )
    .await;
    assert_eq!(pane.announced(), "Sign-in didn't finish");
    fixture.assert_nothing_sent_to(DEALS, 100).await;
    pane.button("Sign in");
}

#[wasm_bindgen_test]
async fn missing_consent_at_the_token_endpoint_or_the_api_is_its_own_state() {
    let fixture = setup("c-consent");
    fixture.reply(
        TOKEN,
        400,
        "application/json",
        r#"{"error":"invalid_grant","error_description":"AADSTS65001: The user or administrator has not consented to use the application."}"#,
    );
    popup_install(false, "code-2");
    let pane = mount(QUERY);
    pane.wait_for("[data-auth=sign-in]").await;
    click(&pane.button("Sign in"));
    pane.shows(
        "[data-auth=consent]",
        "Permission to read Sales deals is missing",
    )
    .await;
    pane.assert_shows("AADSTS65001");
    drop(pane);

    // Signed in, but the token lacks the scope: the API's 403.
    let fixture = resumed("c-scope", "refresh-s");
    fixture.json(TOKEN, &tokens("access-s", "refresh-t")).reply(
        DEALS,
        403,
        "application/problem+json",
        &problem(403, "Not allowed", "The token lacks the Deals.Read scope."),
    );
    let pane = mount(QUERY);
    pane.shows("[data-auth=consent]", "Deals.Read scope").await;
}

#[wasm_bindgen_test]
async fn no_access_to_sales_is_its_own_state_without_a_sign_in_button() {
    let fixture = resumed("c-nosales", "refresh-n");
    fixture.json(TOKEN, &tokens("access-n", "refresh-o")).reply(
        DEALS,
        403,
        "application/problem+json",
        &problem(
            403,
            "No access to Sales deals",
            "Sales does not know your account.",
        ),
    );
    let pane = mount(QUERY);
    pane.shows("[data-auth=no-sales-access]", "No access to Sales deals")
        .await;
    assert!(pane.find(".dp-sign-in__button").is_none());
}

#[wasm_bindgen_test]
async fn refused_storage_means_signing_in_on_each_load_and_the_pane_says_so() {
    let _fixture = setup("c-nostorage");
    session_storage_refuse(true);
    let pane = mount(QUERY);
    pane.shows(
        "[data-auth=sign-in] .dp-sign-in__note",
        "sign in again after a reload",
    )
    .await;
    session_storage_refuse(false);
}
