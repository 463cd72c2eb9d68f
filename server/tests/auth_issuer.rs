//! The local issuer behind `--local-issuer`: mounted only then, and a complete sign-in for the
//! widget: authorize (PKCE S256, a test user), token (code, refresh with rotation), revocation;
//! `/config.json` tells the widget where and how.

mod support;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use dealpane_server::dev_issuer::{self, CLIENT_ID, TENANT};
use dealpane_server::{build_app_with_source, serve_on};
use serde_json::Value;
use sha2::{Digest, Sha256};
use support::issuer::ALEX;
use support::*;

const VERIFIER: &str = "dBjftJeZ4CVP-mJ92K9uKYgA0w1xh3iW9dpdcN-Yf4Fr5kJdqg3Ha3l";

struct Local {
    base: String,
    client: reqwest::Client,
    _stop: tokio::sync::oneshot::Sender<()>,
    _dirs: Dirs,
}

/// The server as `serve --local-issuer` starts it: bound first, then told its own address.
async fn start(local_issuer: bool) -> Local {
    let dirs = Dirs::new();
    let mut settings = settings(&dirs);
    settings.local_issuer = local_issuer;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    dev_issuer::configure(&mut settings, addr);
    let app = build_app_with_source(&settings, FakeSource::new());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve_on(listener, app, async move {
        let _ = stopped.await;
    }));
    Local {
        base: format!("http://{addr}"),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        _stop: stop,
        _dirs: dirs,
    }
}

impl Local {
    fn issuer(&self, path: &str) -> String {
        format!("{}/_issuer/{TENANT}/{path}", self.base)
    }

    fn redirect_uri(&self) -> String {
        format!("{}/auth-redirect.html", self.base)
    }

    async fn authorize(&self, extra: &[(&str, &str)]) -> reqwest::Response {
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(VERIFIER.as_bytes()));
        let redirect_uri = self.redirect_uri();
        let mut query = vec![
            ("client_id", CLIENT_ID),
            ("response_type", "code"),
            ("redirect_uri", redirect_uri.as_str()),
            ("scope", "api://dealpane/Deals.Read offline_access"),
            ("state", "st4te"),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ];
        query.retain(|(name, _)| !extra.iter().any(|(n, _)| n == name));
        query.extend_from_slice(extra);
        self.client
            .get(self.issuer("oauth2/v2.0/authorize"))
            .query(&query)
            .send()
            .await
            .unwrap()
    }

    /// A sign-in as Alex: the code from the redirect.
    async fn code(&self) -> String {
        let response = self.authorize(&[("user", ALEX.oid)]).await;
        assert_eq!(response.status(), 303);
        let location = reqwest::Url::parse(header(&response, "location")).unwrap();
        assert!(location.as_str().starts_with(&self.redirect_uri()));
        let pairs: std::collections::HashMap<_, _> = location.query_pairs().collect();
        assert_eq!(pairs["state"], "st4te");
        pairs["code"].to_string()
    }

    async fn token(&self, form: &[(&str, &str)]) -> (u16, Value) {
        let mut all = vec![("client_id", CLIENT_ID)];
        all.extend_from_slice(form);
        let response = self
            .client
            .post(self.issuer("oauth2/v2.0/token"))
            .form(&all)
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.json().await.unwrap())
    }

    async fn redeem(&self, code: &str, verifier: &str) -> (u16, Value) {
        let redirect_uri = self.redirect_uri();
        self.token(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &redirect_uri),
            ("code_verifier", verifier),
        ])
        .await
    }

    async fn refresh(&self, refresh_token: &str) -> (u16, Value) {
        self.token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ])
        .await
    }

    async fn deals_with(&self, access_token: &str) -> u16 {
        self.client
            .get(format!(
                "{}/api/DealSummary?customerId={CONTOSO}",
                self.base
            ))
            .bearer_auth(access_token)
            .header("accept", "application/json")
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }
}

#[tokio::test]
async fn config_json_carries_the_auth_block_only_with_entra() {
    let local = start(true).await;
    let config =
        send_for_json(reqwest::Client::new().get(format!("{}/config.json", local.base))).await;
    let auth = &config["auth"];
    assert_eq!(
        auth["authority"],
        format!("{}/_issuer/{TENANT}", local.base)
    );
    assert_eq!(auth["tenantId"], TENANT);
    assert_eq!(auth["clientId"], CLIENT_ID);
    assert_eq!(
        auth["scopes"],
        serde_json::json!(["api://dealpane/Deals.Read", "offline_access"])
    );

    let plain = start(false).await;
    let config =
        send_for_json(reqwest::Client::new().get(format!("{}/config.json", plain.base))).await;
    assert!(config.get("auth").is_none(), "{config}");
    // And the issuer is not there: its paths are widget files that do not exist.
    let discovery = plain
        .client
        .get(plain.issuer("v2.0/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap();
    assert_eq!(discovery.status(), 404);
    // Without sign-in configured, the data routes stay open (on loopback).
    assert_eq!(plain.deals_with("whatever").await, 200);
}

#[tokio::test]
async fn discovery_and_the_user_choice_page() {
    let local = start(true).await;
    let discovery = send_for_json(
        local
            .client
            .get(local.issuer("v2.0/.well-known/openid-configuration")),
    )
    .await;
    assert_eq!(discovery["issuer"], local.issuer("v2.0"));
    assert_eq!(
        discovery["token_endpoint"],
        local.issuer("oauth2/v2.0/token")
    );
    assert_eq!(discovery["code_challenge_methods_supported"][0], "S256");
    let keys: Value = reqwest::get(discovery["jwks_uri"].as_str().unwrap())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(keys["keys"][0]["kty"], "RSA");

    let page = local.authorize(&[]).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for user in dev_issuer::TEST_USERS {
        assert!(
            html.contains(user.oid) && html.contains(user.name),
            "{html}"
        );
    }
    // No PKCE, no code: an error back at the redirect URI.
    let plain = local.authorize(&[("code_challenge_method", "plain")]).await;
    let location = header(&plain, "location");
    assert!(location.contains("error=invalid_request") && !location.contains("code="));
    // A redirect URI elsewhere is never redirected to.
    let elsewhere = local
        .authorize(&[
            ("redirect_uri", "https://evil.example/cb"),
            ("user", ALEX.oid),
        ])
        .await;
    assert_eq!(elsewhere.status(), 400);
    assert!(elsewhere.headers().get("location").is_none());
}

#[tokio::test]
async fn a_code_with_its_verifier_gets_tokens_the_api_accepts() {
    let local = start(true).await;
    let code = local.code().await;
    let (status, error) = local.redeem(&code, &"x".repeat(43)).await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    // A code works once, even after a wrong verifier.
    let (status, _) = local.redeem(&code, VERIFIER).await;
    assert_eq!(status, 400);

    let code = local.code().await;
    let (status, tokens) = local.redeem(&code, VERIFIER).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(local.deals_with(access).await, 200);
    assert_eq!(local.deals_with("forged").await, 401);
    let (status, _) = local.redeem(&code, VERIFIER).await;
    assert_eq!(status, 400, "a spent code");
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_reused_one_revokes_its_family() {
    let local = start(true).await;
    let (_, first) = local.redeem(&local.code().await, VERIFIER).await;
    let first_refresh = first["refresh_token"].as_str().unwrap();
    let (status, second) = local.refresh(first_refresh).await;
    assert_eq!(status, 200);
    let second_refresh = second["refresh_token"].as_str().unwrap();
    assert_ne!(first_refresh, second_refresh);
    assert_eq!(
        local
            .deals_with(second["access_token"].as_str().unwrap())
            .await,
        200
    );
    // The spent one again: refused, and the one it was exchanged for dies with it.
    assert_eq!(local.refresh(first_refresh).await.0, 400);
    assert_eq!(local.refresh(second_refresh).await.0, 400);

    // Revocation (RFC 7009), and the admin hook that revokes everything.
    let (_, tokens) = local.redeem(&local.code().await, VERIFIER).await;
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let revoked = local
        .client
        .post(local.issuer("oauth2/v2.0/revoke"))
        .form(&[("token", refresh)])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    assert_eq!(local.refresh(refresh).await.0, 400);
    let (_, tokens) = local.redeem(&local.code().await, VERIFIER).await;
    let admin = format!("{}/_issuer/_admin/revoke-all", local.base);
    assert_eq!(local.client.post(admin).send().await.unwrap().status(), 204);
    assert_eq!(
        local
            .refresh(tokens["refresh_token"].as_str().unwrap())
            .await
            .0,
        400
    );
}

#[tokio::test]
async fn short_lived_access_tokens_for_renewal_tests() {
    let local = start(true).await;
    let ttl = format!("{}/_issuer/_admin/access-token-ttl?secs=1", local.base);
    assert_eq!(local.client.post(ttl).send().await.unwrap().status(), 204);
    let (_, tokens) = local.redeem(&local.code().await, VERIFIER).await;
    assert_eq!(tokens["expires_in"], 1);
}

#[tokio::test]
async fn another_tenant_is_entras_invalid_tenant_on_every_endpoint() {
    let local = start(true).await;
    let other = format!(
        "{}/_issuer/00000000-0000-0000-0000-000000000000",
        local.base
    );
    for (method, path) in [
        ("GET", "v2.0/.well-known/openid-configuration"),
        ("GET", "discovery/v2.0/keys"),
        ("GET", "oauth2/v2.0/authorize"),
        ("POST", "oauth2/v2.0/token"),
        ("POST", "oauth2/v2.0/revoke"),
    ] {
        let url = format!("{other}/{path}");
        let request = match method {
            "GET" => local.client.get(&url),
            _ => local.client.post(&url).form(&[("token", "x")]),
        };
        let answer = request.send().await.unwrap();
        assert_eq!(answer.status(), 400, "{path}");
        let body: Value = answer.json().await.unwrap();
        assert_eq!(body["error"], "invalid_tenant", "{path}");
    }
}
