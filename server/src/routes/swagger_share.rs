//! Share with Sales (issue 12) in `/api/swagger.json`: the notes and leads operations, for
//! Copilot's custom connector (operationIds `NotifyDealOwner`, `ListDealNotes`, `SuggestDeal`).

use dealpane_contract::{
    IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_MAX_CHARS, LEAD_DESCRIPTION_MAX_CHARS,
    LEAD_TOPIC_MAX_CHARS, NOTE_MAX_CHARS,
};
use serde_json::{json, Map, Value};

fn problem(description: &str) -> Value {
    json!({"description": description, "schema": {"$ref": "#/definitions/problem"}})
}

fn idempotency_key() -> Value {
    json!({"in": "header", "name": IDEMPOTENCY_KEY_HEADER, "x-ms-summary": "Idempotency key",
           "description": "One per draft (e.g. a UUID): a repeat with the same key returns the first result and creates nothing, for 24 hours. Without it, every call creates.",
           "required": false, "type": "string", "minLength": 1, "maxLength": IDEMPOTENCY_KEY_MAX_CHARS})
}

fn deal_id() -> Value {
    json!({"in": "path", "name": "dealId", "x-ms-summary": "Deal id",
           "description": "The opportunity's GUID (a deal's `id` in the DealSummary answer).",
           "required": true, "type": "string", "format": "uuid"})
}

/// The write errors every operation shares.
fn write_responses(created: Value) -> Value {
    json!({
        "201": created,
        "400": problem("A field, the deal id or the Idempotency-Key is missing, malformed or too long"),
        "401": problem("The function key or sign-in is missing or wrong"),
        "403": problem("Sales refused this for the caller"),
        "404": problem("No such deal or customer in the Sales environment"),
        "409": problem("A request with this Idempotency-Key is still running; retry after Retry-After seconds"),
        "413": problem("The body is over 16 KB"),
        "415": problem("The body is not JSON"),
        "422": problem("This Idempotency-Key was used for a different request"),
        "429": problem("The Sales environment is throttling; retry after Retry-After seconds"),
        "502": problem("The Sales environment failed"),
        "504": problem("The Sales environment timed out"),
    })
}

/// The `paths` entries.
pub fn paths() -> Map<String, Value> {
    let paths = json!({
        "/deals/{dealId}/notes": {
            "post": {
                "tags": ["Share"],
                "summary": "Tell a deal's owner",
                "description": "Shares a note with the owner of a Sales deal: creates a task regarding the opportunity, for its owner, saying it came from Customer Service and which case.",
                "operationId": "NotifyDealOwner",
                "consumes": ["application/json"],
                "produces": ["application/json"],
                "parameters": [
                    deal_id(),
                    idempotency_key(),
                    {"in": "body", "name": "note", "required": true, "schema": {"$ref": "#/definitions/noteRequest"}},
                ],
                "responses": write_responses(json!({"description": "The note as shared", "schema": {"$ref": "#/definitions/note"}})),
                "security": [{"function_key": []}],
            },
            "get": {
                "tags": ["Share"],
                "summary": "List the notes shared on a deal",
                "description": "The notes Customer Service shared with the deal's owner through dealpane, newest first.",
                "operationId": "ListDealNotes",
                "produces": ["application/json"],
                "parameters": [deal_id()],
                "responses": {
                    "200": {"description": "The notes, newest first", "schema": {"$ref": "#/definitions/noteList"}},
                    "400": problem("The deal id is not a GUID"),
                    "401": problem("The function key or sign-in is missing or wrong"),
                    "404": problem("No such deal in the Sales environment"),
                    "429": problem("The Sales environment is throttling; retry after Retry-After seconds"),
                    "502": problem("The Sales environment failed"),
                },
                "security": [{"function_key": []}],
            }
        },
        "/leads": {
            "post": {
                "tags": ["Share"],
                "summary": "Suggest a new deal",
                "description": "Creates a Sales lead for the account or contact, with Customer Service as its source.",
                "operationId": "SuggestDeal",
                "consumes": ["application/json"],
                "produces": ["application/json"],
                "parameters": [
                    idempotency_key(),
                    {"in": "body", "name": "lead", "required": true, "schema": {"$ref": "#/definitions/leadRequest"}},
                ],
                "responses": write_responses(json!({"description": "The lead was created", "schema": {"$ref": "#/definitions/leadCreated"}})),
                "security": [{"function_key": []}],
            }
        },
    });
    paths.as_object().cloned().expect("an object")
}

/// The `definitions` entries.
pub fn definitions() -> Map<String, Value> {
    let case_id = json!({"type": "string", "format": "uuid", "x-ms-summary": "Case id",
                         "description": "The Customer Service case the agent is working on."});
    let definitions = json!({
        "noteRequest": {
            "type": "object",
            "required": ["message"],
            "properties": {
                "message": {"type": "string", "minLength": 1, "maxLength": NOTE_MAX_CHARS, "x-ms-summary": "Message",
                            "description": "Plain text; trimmed, control characters other than newlines removed."},
                "caseId": case_id,
            }
        },
        "note": {
            "type": "object",
            "required": ["id", "createdOn", "createdBy", "message"],
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "createdOn": {"type": "string", "format": "date-time"},
                "createdBy": {"type": "string"},
                "message": {"type": "string"},
                "caseId": {"type": "string", "format": "uuid", "x-nullable": true},
                "owner": {"type": "string", "x-nullable": true},
            }
        },
        "noteList": {
            "type": "object",
            "required": ["notes"],
            "properties": {"notes": {"type": "array", "items": {"$ref": "#/definitions/note"}}}
        },
        "leadRequest": {
            "type": "object",
            "required": ["customerId", "customerType", "topic"],
            "properties": {
                "customerId": {"type": "string", "format": "uuid", "x-ms-summary": "Customer id"},
                "customerType": {"type": "string", "enum": ["account", "contact"], "x-ms-summary": "Customer type"},
                "topic": {"type": "string", "minLength": 1, "maxLength": LEAD_TOPIC_MAX_CHARS, "x-ms-summary": "Topic"},
                "description": {"type": "string", "maxLength": LEAD_DESCRIPTION_MAX_CHARS, "x-ms-summary": "Description"},
                "estimatedValue": {"$ref": "#/definitions/money"},
                "caseId": case_id,
            }
        },
        "leadCreated": {
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "string", "format": "uuid"}}
        },
    });
    definitions.as_object().cloned().expect("an object")
}
