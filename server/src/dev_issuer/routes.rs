//! The issuer's HTTP endpoints (see the module note in `super`).

use std::collections::HashMap;
use std::time::Duration;

use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::Url;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::{random_token, DevIssuer, Grant, PendingCode, CLIENT_ID, CODE_TTL};
use super::{AUDIENCE, SCOPE, TENANT, TEST_USERS};

/// Every parameter is bounded; PKCE verifiers are 43-128 characters (RFC 7636).
const MAX_PARAM: usize = 2048;

type Params = HashMap<String, String>;

/// The endpoints, to be nested at [`super::PATH`].
pub fn routes(issuer: DevIssuer) -> Router {
    Router::new()
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            get(discovery),
        )
        .route("/{tenant}/discovery/v2.0/keys", get(keys))
        .route("/{tenant}/oauth2/v2.0/authorize", get(authorize))
        .route("/{tenant}/oauth2/v2.0/token", post(token))
        .route("/{tenant}/oauth2/v2.0/revoke", post(revoke))
        .route("/_admin/rotate-keys", post(rotate_keys))
        .route("/_admin/revoke-all", post(revoke_all))
        .route("/_admin/access-token-ttl", post(access_token_ttl))
        .with_state(issuer)
}

async fn discovery(State(issuer): State<DevIssuer>, _: DevTenant) -> Response {
    let base = format!("{}/{TENANT}", issuer.base());
    public_json(json!({
        "issuer": issuer.issuer(),
        "authorization_endpoint": format!("{base}/oauth2/v2.0/authorize"),
        "token_endpoint": format!("{base}/oauth2/v2.0/token"),
        "revocation_endpoint": format!("{base}/oauth2/v2.0/revoke"),
        "jwks_uri": format!("{base}/discovery/v2.0/keys"),
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": [format!("{AUDIENCE}/{SCOPE}"), "offline_access"],
        "tenant_id": TENANT,
    }))
}

async fn keys(State(issuer): State<DevIssuer>, _: DevTenant) -> Response {
    public_json(issuer.jwks())
}

async fn authorize(
    State(issuer): State<DevIssuer>,
    _: DevTenant,
    Query(params): Query<Params>,
) -> Response {
    if params.values().any(|value| value.len() > MAX_PARAM) {
        return page(StatusCode::BAD_REQUEST, "A parameter is too long.");
    }
    let param = |name: &str| params.get(name).map(String::as_str).unwrap_or_default();
    if param("client_id") != CLIENT_ID {
        return page(
            StatusCode::BAD_REQUEST,
            "AADSTS700016: this client_id is not the widget's.",
        );
    }
    // Never redirect anywhere but a known place: errors before this point are pages.
    let Some(redirect) = allowed_redirect(&issuer, param("redirect_uri")) else {
        return page(
            StatusCode::BAD_REQUEST,
            "AADSTS50011: redirect_uri must be on this machine (localhost or 127.0.0.1).",
        );
    };
    let state = param("state");
    if param("response_type") != "code" {
        return redirect_with(
            redirect,
            &[("error", "unsupported_response_type"), ("state", state)],
        );
    }
    if param("code_challenge").len() != 43 || param("code_challenge_method") != "S256" {
        let description = "AADSTS9002325: Proof Key for Code Exchange (S256) is required.";
        return redirect_with(
            redirect,
            &[
                ("error", "invalid_request"),
                ("error_description", description),
                ("state", state),
            ],
        );
    }
    let Some(chosen) = params.get("user") else {
        return choose_user(&params);
    };
    let Some(user) = TEST_USERS.iter().find(|user| user.oid == chosen) else {
        return page(StatusCode::BAD_REQUEST, "No such test user.");
    };
    let code = {
        let mut held = issuer.state.lock().unwrap();
        if !held.has_room() {
            return page(
                StatusCode::SERVICE_UNAVAILABLE,
                "Too many sign-ins at once.",
            );
        }
        let code = random_token(32);
        held.codes.insert(
            code.clone(),
            PendingCode {
                grant: Grant {
                    user: *user,
                    client_id: CLIENT_ID.to_owned(),
                    family: random_token(16),
                },
                redirect_uri: param("redirect_uri").to_owned(),
                challenge: param("code_challenge").to_owned(),
                expires: tokio::time::Instant::now() + CODE_TTL,
            },
        );
        code
    };
    redirect_with(redirect, &[("code", &code), ("state", state)])
}

async fn token(
    State(issuer): State<DevIssuer>,
    _: DevTenant,
    Form(params): Form<Params>,
) -> Response {
    let param = |name: &str| params.get(name).map(String::as_str).unwrap_or_default();
    if params.values().any(|value| value.len() > MAX_PARAM) {
        return token_error("invalid_request", 900144, "A parameter is too long.");
    }
    if param("client_id") != CLIENT_ID {
        return token_error("unauthorized_client", 700016, "Unknown client_id.");
    }
    let grant = match param("grant_type") {
        "authorization_code" => redeem_code(&issuer, &params),
        "refresh_token" => redeem_refresh(&issuer, param("refresh_token"), param("client_id")),
        _ => Err(Refusal(
            "unsupported_grant_type",
            70003,
            "Only authorization_code and refresh_token.",
        )),
    };
    match grant {
        Ok(grant) => issue(&issuer, grant),
        Err(Refusal(error, code, description)) => token_error(error, code, description),
    }
}

fn redeem_code(issuer: &DevIssuer, params: &Params) -> Result<Grant, Refusal> {
    let param = |name: &str| params.get(name).map(String::as_str).unwrap_or_default();
    let pending = issuer.state.lock().unwrap().codes.remove(param("code"));
    let Some(pending) = pending.filter(|p| p.expires > tokio::time::Instant::now()) else {
        return Err(Refusal(
            "invalid_grant",
            70008,
            "The code is unknown, spent or expired.",
        ));
    };
    if pending.redirect_uri != param("redirect_uri") {
        return Err(Refusal(
            "invalid_grant",
            50011,
            "redirect_uri differs from the authorize request's.",
        ));
    }
    let verifier = param("code_verifier");
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    if !(43..=128).contains(&verifier.len()) || computed != pending.challenge {
        return Err(Refusal(
            "invalid_grant",
            501481,
            "The code_verifier does not match the code_challenge.",
        ));
    }
    Ok(pending.grant)
}

/// Rotation: a refresh token works once. Presenting a spent one revokes its whole family.
fn redeem_refresh(issuer: &DevIssuer, token: &str, client_id: &str) -> Result<Grant, Refusal> {
    let mut state = issuer.state.lock().unwrap();
    if let Some(grant) = state
        .refresh
        .remove(token)
        .filter(|g| g.client_id == client_id)
    {
        state.spent.insert(token.to_owned(), grant.family.clone());
        return Ok(grant);
    }
    if let Some(family) = state.spent.get(token).cloned() {
        state.refresh.retain(|_, grant| grant.family != family);
    }
    Err(Refusal(
        "invalid_grant",
        700082,
        "The refresh token is unknown, revoked or already used.",
    ))
}

/// Why a grant was refused: `error`, the AADSTS code, the description.
struct Refusal(&'static str, u32, &'static str);

fn issue(issuer: &DevIssuer, grant: Grant) -> Response {
    let access_token = issuer.access_token(&grant.user);
    let refresh_token = random_token(32);
    let ttl = {
        let mut state = issuer.state.lock().unwrap();
        if !state.has_room() {
            return token_error("temporarily_unavailable", 90033, "Too many grants.");
        }
        state.refresh.insert(refresh_token.clone(), grant);
        state.access_ttl.as_secs()
    };
    public_json(json!({
        "token_type": "Bearer",
        "scope": format!("{AUDIENCE}/{SCOPE}"),
        "expires_in": ttl,
        "ext_expires_in": ttl,
        "access_token": access_token,
        "refresh_token": refresh_token,
    }))
}

/// RFC 7009: always 200, whether the token was known or not.
async fn revoke(
    State(issuer): State<DevIssuer>,
    _: DevTenant,
    Form(params): Form<Params>,
) -> Response {
    if let Some(token) = params.get("token") {
        let mut state = issuer.state.lock().unwrap();
        if let Some(grant) = state.refresh.remove(token) {
            state
                .refresh
                .retain(|_, other| other.family != grant.family);
        }
    }
    public_json(json!({}))
}

async fn rotate_keys(State(issuer): State<DevIssuer>) -> StatusCode {
    issuer.rotate_keys();
    StatusCode::NO_CONTENT
}

async fn revoke_all(State(issuer): State<DevIssuer>) -> StatusCode {
    issuer.revoke_all();
    StatusCode::NO_CONTENT
}

async fn access_token_ttl(
    State(issuer): State<DevIssuer>,
    Query(params): Query<Params>,
) -> StatusCode {
    match params.get("secs").and_then(|secs| secs.parse::<u64>().ok()) {
        Some(secs) => {
            issuer.set_access_token_ttl(Duration::from_secs(secs));
            StatusCode::NO_CONTENT
        }
        None => StatusCode::BAD_REQUEST,
    }
}

/// A redirect URI on this machine: localhost, a loopback address, or the issuer's own host.
fn allowed_redirect(issuer: &DevIssuer, text: &str) -> Option<Url> {
    let url = Url::parse(text).ok()?;
    let own = Url::parse(issuer.base()).ok()?;
    let host = url.host_str()?;
    let local = matches!(host, "localhost" | "127.0.0.1" | "[::1]");
    let same = url.host_str() == own.host_str()
        && url.port_or_known_default() == own.port_or_known_default();
    (matches!(url.scheme(), "http" | "https") && (local || same) && url.fragment().is_none())
        .then_some(url)
}

fn redirect_with(mut url: Url, pairs: &[(&str, &str)]) -> Response {
    {
        let mut query = url.query_pairs_mut();
        for (name, value) in pairs.iter().filter(|(_, value)| !value.is_empty()) {
            query.append_pair(name, value);
        }
    }
    let mut response = Redirect::to(url.as_str()).into_response();
    no_store(&mut response);
    response
}

/// The test-user picker: one link per user, the same request plus `user=<oid>`.
fn choose_user(params: &Params) -> Response {
    let mut items = String::new();
    for user in TEST_USERS {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in params {
            query.append_pair(name, value);
        }
        query.append_pair("user", user.oid);
        items.push_str(&format!(
            "<li><a href=\"?{}\" data-oid=\"{}\">{}</a> <small>{}</small></li>",
            escape(&query.finish()),
            user.oid,
            escape(user.name),
            escape(user.username),
        ));
    }
    page(
        StatusCode::OK,
        &format!(
            "Local test issuer: pick who signs in (no password; never in production).</p><ul>{items}</ul><p>"
        ),
    )
}

fn page(status: StatusCode, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in (local \
         issuer)</title></head><body><h1>Sign in</h1><p>{body}</p></body></html>"
    );
    let mut response = (status, Html(html)).into_response();
    no_store(&mut response);
    response
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The `{tenant}` segment of the tenant's endpoints: only the dev tenant is known, any other
/// is Entra's `invalid_tenant`, checked once here rather than in each handler.
struct DevTenant;

impl<S: Send + Sync> FromRequestParts<S> for DevTenant {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let Path(tenant) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        if tenant == TENANT {
            Ok(DevTenant)
        } else {
            Err(unknown_tenant())
        }
    }
}

fn unknown_tenant() -> Response {
    token_error("invalid_tenant", 90002, "Tenant not found.")
}

/// Entra's error shape: `error`, `error_description` (with its AADSTS code), `error_codes`.
fn token_error(error: &str, code: u32, description: &str) -> Response {
    let mut response = public_json(json!({
        "error": error,
        "error_description": format!("AADSTS{code}: {description}"),
        "error_codes": [code],
    }));
    *response.status_mut() = StatusCode::BAD_REQUEST;
    response
}

/// JSON a browser on another origin may read (as Entra's SPA endpoints), never cached.
fn public_json(value: Value) -> Response {
    let mut response = Json(value).into_response();
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    no_store(&mut response);
    response
}

fn no_store(response: &mut Response) {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}
