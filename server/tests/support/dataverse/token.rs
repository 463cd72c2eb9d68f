//! The Entra ID client-credentials token endpoint, and the bearer check on API requests.

use std::sync::Mutex;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{odata_error, RecordedRequest, State, CLIENT_ID, CLIENT_SECRET};

pub(super) fn issue(state: &Mutex<State>, request: &RecordedRequest) -> Response {
    let form = request.form();
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    let mut state = state.lock().unwrap();
    let expected_scope = format!("{}/.default", state.base_url);
    let refusal = if !request
        .content_type
        .as_deref()
        .unwrap_or("")
        .starts_with("application/x-www-form-urlencoded")
    {
        Some((
            400,
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'grant_type'.",
        ))
    } else if field("grant_type") != "client_credentials" {
        Some((
            400,
            "unsupported_grant_type",
            70003,
            "The app requested an unsupported grant type.",
        ))
    } else if field("client_id") != CLIENT_ID {
        Some((
            400,
            "unauthorized_client",
            700016,
            "Application with identifier was not found in the directory.",
        ))
    } else if field("client_secret") != CLIENT_SECRET {
        Some((401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID."))
    } else if !field("scope").ends_with("/.default") {
        Some((
            400,
            "invalid_scope",
            70011,
            "The provided value for the input parameter 'scope' is not valid.",
        ))
    } else if field("scope") != expected_scope {
        Some((
            400,
            "invalid_resource",
            500011,
            "The resource principal was not found in the tenant.",
        ))
    } else {
        None
    };
    if let Some((status, error, code, text)) = refusal {
        let trace = "5f0c6a2e-0000-4000-8000-0000000000a1";
        let body = json!({
            "error": error,
            "error_description": format!("AADSTS{code}: {text}\r\nTrace ID: {trace}\r\nCorrelation ID: 9a1b7c3d-0000-4000-8000-0000000000b2\r\nTimestamp: 2026-03-01 10:15:00Z"),
            "error_codes": [code],
            "timestamp": "2026-03-01 10:15:00Z",
            "trace_id": trace,
            "correlation_id": "9a1b7c3d-0000-4000-8000-0000000000b2",
        });
        let mut response =
            (StatusCode::from_u16(status).unwrap(), body.to_string()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            "application/json; charset=utf-8".parse().unwrap(),
        );
        return response;
    }
    state.issued_tokens += 1;
    let access_token = format!("standin-token-{}", state.issued_tokens);
    state.valid_tokens.insert(access_token.clone());
    let body = json!({
        "token_type": "Bearer",
        "expires_in": state.token_lifetime,
        "ext_expires_in": state.token_lifetime,
        "access_token": access_token,
    });
    let mut response = (StatusCode::OK, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        "application/json; charset=utf-8".parse().unwrap(),
    );
    response
}

/// The 401 Dataverse answers when the bearer token is missing or not one it issued (or was
/// revoked).
pub(super) fn refuse_bearer(state: &State, request: &RecordedRequest) -> Option<Response> {
    let token = request
        .authorization
        .as_deref()
        .and_then(|value| value.strip_prefix("Bearer "));
    if token.is_some_and(|token| state.valid_tokens.contains(token)) {
        return None;
    }
    let mut response = odata_error(
        StatusCode::UNAUTHORIZED,
        "0x80072182",
        "The access token is missing, invalid or expired.",
    );
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        "Bearer error=\"invalid_token\"".parse().unwrap(),
    );
    Some(response)
}
