//! `GET /api/swagger.json`: the OpenAPI 2.0 document a Power Platform custom connector imports,
//! shaped like the Azure Functions OpenAPI extension's (`function_key` as `code` in the query).

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use dealpane_contract::limits::{NAME_MAX_CHARS, TOP_DEFAULT, TOP_MAX, TOP_MIN};
use dealpane_contract::{SummaryState, MAX_SUMMARY_WAIT_SECS};
use serde_json::{json, Value};

pub async fn swagger(headers: HeaderMap) -> Response {
    let (host, scheme) = host_and_scheme(&headers);
    (
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))],
        Json(document(host, scheme)),
    )
        .into_response()
}

/// Where the caller reached this server (behind a proxy: what it forwarded), for a document's
/// `host` and `schemes`.
pub(crate) fn host_and_scheme(headers: &HeaderMap) -> (&str, &str) {
    let host = header_text(headers, "x-forwarded-host")
        .or_else(|| header_text(headers, header::HOST.as_str()))
        .unwrap_or("localhost:8080");
    let scheme = header_text(headers, "x-forwarded-proto").unwrap_or(
        if host.starts_with("localhost") || host.starts_with("127.0.0.1") {
            "http"
        } else {
            "https"
        },
    );
    (host, scheme)
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(',').next().unwrap_or(v).trim())
        .filter(|v| !v.is_empty())
}

fn problem_response(description: &str) -> Value {
    json!({"description": description, "schema": {"$ref": "#/definitions/problem"}})
}

/// The document; `host` and `scheme` are where the caller reached this server.
pub fn document(host: &str, scheme: &str) -> Value {
    let mut document = json!({
        "swagger": "2.0",
        "info": {
            "title": "dealpane DealSummary",
            "description": "A customer's open Dynamics 365 Sales deals (opportunities) with a summary of each.",
            "version": env!("CARGO_PKG_VERSION"),
        },
        "host": host,
        "basePath": "/api",
        "schemes": [scheme],
        "paths": {
            "/DealSummary": {
                "get": {
                    "tags": ["DealSummary"],
                    "summary": "Summarize the deal details for a customer",
                    "description": "Summarize the deal details for a specific customer in a paragraph. With Accept: application/json, the customer's open deals with a summary of each.",
                    "operationId": "DealSummary",
                    "produces": ["text/plain", "application/json"],
                    "parameters": [
                        {"in": "query", "name": "customerName", "x-ms-summary": "Customer name",
                         "description": "The customer's (account's or contact's) name; matched case-insensitively.",
                         "required": false, "type": "string", "maxLength": NAME_MAX_CHARS},
                        {"in": "query", "name": "customerId", "x-ms-summary": "Customer id",
                         "description": "The customer's GUID; tried before the name.",
                         "required": false, "type": "string", "format": "uuid"},
                        {"in": "query", "name": "customerType", "x-ms-summary": "Customer type",
                         "description": "Whether the customer is an account or a contact.",
                         "required": false, "type": "string", "enum": ["account", "contact"]},
                        {"in": "query", "name": "top", "x-ms-summary": "Number of deals",
                         "description": "How many open deals to return (JSON answer).",
                         "required": false, "type": "integer", "format": "int32",
                         "minimum": TOP_MIN, "maximum": TOP_MAX, "default": TOP_DEFAULT},
                    ],
                    "responses": {
                        "200": {"description": "Deal Summary for a customer", "schema": {"$ref": "#/definitions/dealSummary"}},
                        "400": problem_response("A parameter is missing, malformed or too long"),
                        "401": problem_response("The function key is missing or wrong"),
                        "404": problem_response("No such customer in the Sales environment"),
                        "429": problem_response("The Sales environment is throttling; retry after Retry-After seconds"),
                        "502": problem_response("The Sales environment failed"),
                        "504": problem_response("The Sales environment timed out"),
                    },
                    "security": [{"function_key": []}],
                }
            },
            "/summaries": {
                "get": {
                    "tags": ["DealSummary"],
                    "summary": "Summaries that were still being generated",
                    "description": "A long-poll: the summaries of the deals a DealSummary answer listed as pending, answered once one of them is ready (or unavailable), or when `wait` seconds have passed. It never starts a summary.",
                    "operationId": "DealSummaries",
                    "x-ms-visibility": "internal",
                    "produces": ["application/json"],
                    "parameters": [
                        {"in": "query", "name": "deals", "x-ms-summary": "Deals",
                         "description": "Each deal as id@modifiedOn (from the DealSummary answer), comma-separated.",
                         "required": true, "type": "string"},
                        {"in": "query", "name": "wait", "x-ms-summary": "Wait",
                         "description": "How long to wait for a pending summary, in seconds.",
                         "required": false, "type": "integer", "format": "int32",
                         "minimum": 0, "maximum": MAX_SUMMARY_WAIT_SECS, "default": 0},
                    ],
                    "responses": {
                        "200": {"description": "Each deal's summary as it stands", "schema": {"$ref": "#/definitions/summaries"}},
                        "400": problem_response("A parameter is missing, malformed or out of bounds"),
                        "401": problem_response("The function key is missing or wrong"),
                    },
                    "security": [{"function_key": []}],
                }
            }
        },
        "securityDefinitions": {
            "function_key": {"type": "apiKey", "name": "code", "in": "query"}
        },
        "definitions": definitions(),
    });
    // Share with Sales (issue 12): its operations and shapes live beside.
    for (section, entries) in [
        ("paths", super::swagger_share::paths()),
        ("definitions", super::swagger_share::definitions()),
    ] {
        if let Some(section) = document[section].as_object_mut() {
            section.extend(entries);
        }
    }
    document
}

fn definitions() -> Value {
    let nullable = |schema: Value| {
        let mut schema = schema;
        schema["x-nullable"] = json!(true);
        schema
    };
    json!({
        "dealSummary": {
            "type": "object",
            "required": ["customer", "deals", "source", "generatedAt"],
            "properties": {
                "customer": {"$ref": "#/definitions/customer"},
                "deals": {"type": "array", "items": {"$ref": "#/definitions/deal"}},
                "source": {"type": "string", "enum": ["embedded", "dataverse"]},
                "generatedAt": {"type": "string", "format": "date-time"},
                "baseCurrency": nullable(json!({"type": "string"})),
            }
        },
        "customer": {
            "type": "object",
            "required": ["id", "matchedBy"],
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "name": nullable(json!({"type": "string"})),
                "type": nullable(json!({"type": "string", "enum": ["account", "contact"]})),
                "matchedBy": {"type": "string", "enum": ["id", "name"]},
            }
        },
        "deal": {
            "type": "object",
            "required": ["id", "name", "status", "summary"],
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "name": {"type": "string"},
                "status": {"type": "string", "enum": ["open", "won", "lost"]},
                "stage": nullable(json!({"type": "string"})),
                "value": nullable(json!({"$ref": "#/definitions/money"})),
                "valueBase": nullable(json!({"$ref": "#/definitions/money"})),
                "probability": nullable(json!({"type": "integer", "format": "int32", "minimum": 0, "maximum": 100})),
                "closeDate": nullable(json!({"type": "string", "format": "date"})),
                "owner": nullable(json!({"type": "string"})),
                "forecastCategory": nullable(json!({"type": "string",
                    "enum": ["pipeline", "bestCase", "committed", "omitted", "won", "lost"]})),
                "summary": {"$ref": "#/definitions/summary"},
                "link": nullable(json!({"type": "string", "format": "uri"})),
                "modifiedOn": nullable(json!({"type": "string", "format": "date-time"})),
            }
        },
        "money": {
            "type": "object",
            "required": ["amount", "currency"],
            "properties": {
                "amount": {"type": "number", "format": "double"},
                "currency": {"type": "string"},
            }
        },
        "summary": {
            "type": "object",
            "required": ["state"],
            "properties": {
                "state": {"type": "string", "enum": SummaryState::ALL.map(SummaryState::as_str)},
                "text": nullable(json!({"type": "string"})),
                "generatedAt": nullable(json!({"type": "string", "format": "date-time"})),
                "reason": {"type": "string", "description": "Why an unavailable summary is missing: throttled, timeout, failed or unknown."},
            }
        },
        "summaries": {
            "type": "object",
            "required": ["summaries"],
            "properties": {
                "summaries": {"type": "array", "items": {"$ref": "#/definitions/dealSummaryUpdate"}},
            }
        },
        "dealSummaryUpdate": {
            "type": "object",
            "required": ["dealId", "summary"],
            "properties": {
                "dealId": {"type": "string", "format": "uuid"},
                "summary": {"$ref": "#/definitions/summary"},
            }
        },
        "problem": {
            "type": "object",
            "required": ["type", "title", "status"],
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "integer", "format": "int32"},
                "detail": {"type": "string"},
                "traceId": {"type": "string"},
            }
        },
    })
}
