//! Bearer tokens on the data routes (issue 11): what passes, and that every forgery gets a 401
//! that never echoes the token.

mod support;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use dealpane_server::dev_issuer::{DevIssuer, TENANT};
use serde_json::{json, Value};
use support::issuer::{bearer, Issuer, ALEX};
use support::*;

const DEALS: &str = "/api/DealSummary?customerId=3f2504e0-4f89-11d3-9a0c-0305e82c3301";

struct Setup {
    issuer: Issuer,
    server: Server,
    _dirs: Dirs,
}

async fn setup_with(change: impl FnOnce(&mut dealpane_server::Settings)) -> Setup {
    let issuer = Issuer::start().await;
    let dirs = Dirs::new();
    let mut settings = settings(&dirs);
    issuer.trust(&mut settings);
    change(&mut settings);
    let server = Server::start(&settings, FakeSource::new()).await;
    Setup {
        issuer,
        server,
        _dirs: dirs,
    }
}

async fn setup() -> Setup {
    setup_with(|_| {}).await
}

async fn get_with_token(server: &Server, path: &str, token: &str) -> reqwest::Response {
    let (name, value) = bearer(token);
    server
        .get_with(path, &[(name, &value), ("accept", "application/json")])
        .await
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

#[tokio::test]
async fn a_valid_token_reads_and_none_gets_a_bare_bearer_challenge() {
    let setup = setup().await;
    let ok = get_with_token(&setup.server, DEALS, &setup.issuer.token(&ALEX)).await;
    assert_eq!(ok.status(), 200);
    let vary: Vec<_> = ok.headers().get_all("vary").iter().collect();
    assert!(vary.iter().any(|v| *v == "Authorization"), "{vary:?}");

    for path in [DEALS, "/api/customers?q=Con"] {
        let missing = setup.server.get_json(path).await;
        assert_eq!(missing.status(), 401, "{path}");
        assert_eq!(header(&missing, "www-authenticate"), "Bearer");
        assert_eq!(header(&missing, "content-type"), "application/problem+json");
    }
    // Health and the connector's import stay open.
    assert_eq!(setup.server.get("/api/health").await.status(), 200);
    assert_eq!(setup.server.get("/api/swagger.json").await.status(), 200);
}

#[tokio::test]
async fn forged_tokens_each_get_401_and_are_never_echoed() {
    let setup = setup().await;
    let issuer = &setup.issuer;
    let kid = issuer.issuer.current_kid();
    let valid = issuer.token(&ALEX);
    let claims = issuer.issuer.claims_for(&ALEX);
    let parts: Vec<&str> = valid.split('.').collect();

    let alg_none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT", "kid": kid})),
        parts[1]
    );
    // HS256 with the published public key as the HMAC secret (the classic key confusion).
    let jwk = issuer.issuer.jwks()["keys"][0].clone();
    let public = jwk.to_string();
    let mut hs_header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    hs_header.kid = Some(kid.clone());
    let secret = jsonwebtoken::EncodingKey::from_secret(public.as_bytes()).unwrap();
    let hs256 = jsonwebtoken::encode(&hs_header, &claims, &secret).unwrap();
    // Another key claiming the real key's id.
    let stranger = DevIssuer::new(issuer.issuer.base()).sign_as_kid(&claims, &kid);
    let mut tampered_claims = claims.clone();
    tampered_claims["oid"] = json!("00000000-0000-4000-8000-000000000bad");
    let tampered = format!("{}.{}.{}", parts[0], b64(&tampered_claims), parts[2]);

    let forged: Vec<(&str, String)> = vec![
        ("alg none", alg_none),
        ("HS256 with the public key", hs256),
        ("another key", stranger),
        ("tampered payload", tampered),
        (
            "wrong iss",
            issuer.token_with(&ALEX, |c| {
                c["iss"] = json!(format!("https://login.microsoftonline.com/{TENANT}/v2.0"))
            }),
        ),
        (
            "wrong aud",
            issuer.token_with(&ALEX, |c| c["aud"] = json!("api://someone-else")),
        ),
        (
            "wrong tid",
            issuer.token_with(&ALEX, |c| {
                c["tid"] = json!("72f988bf-86f1-41af-91ab-2d7cd011db47")
            }),
        ),
        (
            "expired beyond the skew",
            issuer.token_with(&ALEX, |c| {
                c["exp"] = json!(now() - 6 * 60);
                c["nbf"] = json!(now() - 3600);
            }),
        ),
        (
            "nbf in the future",
            issuer.token_with(&ALEX, |c| c["nbf"] = json!(now() + 6 * 60)),
        ),
        (
            "no exp",
            issuer.token_with(&ALEX, |c| {
                c.as_object_mut().unwrap().remove("exp");
            }),
        ),
        (
            "unknown kid",
            issuer.issuer.sign_as_kid(&claims, "kid-nobody-published"),
        ),
        ("not a JWT", "abc".to_owned()),
    ];
    for (what, token) in forged {
        let response = get_with_token(&setup.server, DEALS, &token).await;
        assert_eq!(response.status(), 401, "{what}");
        assert_eq!(
            header(&response, "www-authenticate"),
            "Bearer error=\"invalid_token\"",
            "{what}"
        );
        let headers = format!("{:?}", response.headers());
        let body = response.text().await.unwrap();
        let signature = token.rsplit('.').next().unwrap_or_default();
        for shown in [&body, &headers] {
            assert!(!shown.contains(&token), "{what} echoed");
            assert!(
                signature.len() < 8 || !shown.contains(signature),
                "{what} echoed"
            );
        }
        assert!(body.contains("Invalid bearer token"), "{what}: {body}");
    }
}

#[tokio::test]
async fn clocks_may_differ_by_up_to_five_minutes() {
    let setup = setup().await;
    let issuer = &setup.issuer;
    let lately_expired = issuer.token_with(&ALEX, |c| {
        c["exp"] = json!(now() - 4 * 60);
        c["nbf"] = json!(now() - 3600);
    });
    let early = issuer.token_with(&ALEX, |c| c["nbf"] = json!(now() + 4 * 60));
    for token in [lately_expired, early] {
        let response = get_with_token(&setup.server, DEALS, &token).await;
        assert_eq!(response.status(), 200);
    }
}

#[tokio::test]
async fn without_the_scope_403_and_the_app_role_passes() {
    let setup = setup().await;
    let issuer = &setup.issuer;
    let unscoped = issuer.token_with(&ALEX, |c| c["scp"] = json!("User.Read Deals.ReadAll"));
    let response = get_with_token(&setup.server, DEALS, &unscoped).await;
    assert_eq!(response.status(), 403);
    assert_eq!(
        header(&response, "content-type"),
        "application/problem+json"
    );
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["title"], "Not allowed");

    let app_role = issuer.token_with(&ALEX, |c| {
        c.as_object_mut().unwrap().remove("scp");
        c["roles"] = json!(["Deals.Read"]);
    });
    let response = get_with_token(&setup.server, DEALS, &app_role).await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn function_keys_keep_working_beside_tokens() {
    let setup = setup_with(|s| s.function_keys = vec!["k3y".to_owned()]).await;
    let server = &setup.server;
    let with_key = server.get_json(&format!("{DEALS}&code=k3y")).await;
    assert_eq!(with_key.status(), 200);
    let header_key = server
        .get_with(
            DEALS,
            &[("x-functions-key", "k3y"), ("accept", "application/json")],
        )
        .await;
    assert_eq!(header_key.status(), 200);
    let wrong = server.get_json(&format!("{DEALS}&code=nope")).await;
    assert_eq!(wrong.status(), 401);
    // A token that comes along is checked, key or not.
    let (name, value) = bearer("not.a.token");
    let both = server
        .get_with(&format!("{DEALS}&code=k3y"), &[(name, &value)])
        .await;
    assert_eq!(both.status(), 401);
    let token = setup.issuer.token(&ALEX);
    assert_eq!(get_with_token(server, DEALS, &token).await.status(), 200);
}

#[tokio::test]
async fn rotated_keys_are_fetched_and_unknown_kids_refetch_at_most_once_a_minute() {
    let setup = setup().await;
    let issuer = &setup.issuer;
    // Entra publishes a new key before signing with it: both are in the first fetch.
    let old = issuer.token(&ALEX);
    issuer.issuer.rotate_keys();
    let new = issuer.token(&ALEX);
    assert_eq!(
        get_with_token(&setup.server, DEALS, &new).await.status(),
        200
    );
    assert_eq!(
        get_with_token(&setup.server, DEALS, &old).await.status(),
        200
    );

    // A key published after the last fetch is not fetched again within the minute, however
    // many tokens name it: forged kids cannot make the server hammer the JWKS endpoint.
    issuer.issuer.rotate_keys();
    let newest = issuer.token(&ALEX);
    for _ in 0..3 {
        let response = get_with_token(&setup.server, DEALS, &newest).await;
        assert_eq!(response.status(), 401);
    }
}
