//! The tools' output schemas (JSON Schema 2020-12, MCP's default dialect), written by hand
//! from the contract's wire shapes.
//!
//! Why not schemars on the contract types: the widget compiles the contract to wasm (a derive
//! there costs it, or needs a feature only the server turns on), `Guid` and the tolerant enums
//! (`#[serde(other)]`) need hand-made impls anyway, and other code edits those types often.
//! The test below keeps this file honest: every field a full answer serializes is declared,
//! and every required one is sent; the e2e test validates real answers with ajv.

use std::sync::{Arc, LazyLock};

use rmcp::model::JsonObject;
use serde_json::{json, Value};

/// `structuredContent` of `get_customer_deals`: the contract's `DealSummaryResponse`.
pub fn deal_summary() -> Arc<JsonObject> {
    static SCHEMA: LazyLock<Arc<JsonObject>> = LazyLock::new(|| object(deal_summary_value()));
    SCHEMA.clone()
}

/// `structuredContent` of `search_customers`: the contract's `CustomerList`.
pub fn customer_list() -> Arc<JsonObject> {
    static SCHEMA: LazyLock<Arc<JsonObject>> = LazyLock::new(|| object(customer_list_value()));
    SCHEMA.clone()
}

/// `structuredContent` of `notify_deal_owner`: the contract's `Note`.
pub fn note() -> Arc<JsonObject> {
    static SCHEMA: LazyLock<Arc<JsonObject>> = LazyLock::new(|| {
        object(json!({
            "type": "object",
            "required": ["id", "createdOn", "createdBy", "message"],
            "properties": {
                "id": uuid(),
                "createdOn": {"type": "string", "format": "date-time"},
                "createdBy": {"type": "string"},
                "message": {"type": "string"},
                "caseId": {"type": ["string", "null"], "format": "uuid"},
                "owner": nullable("string"),
            }
        }))
    });
    SCHEMA.clone()
}

/// `structuredContent` of `suggest_deal`: the contract's `LeadCreated`.
pub fn lead_created() -> Arc<JsonObject> {
    static SCHEMA: LazyLock<Arc<JsonObject>> = LazyLock::new(|| {
        object(json!({"type": "object", "required": ["id"], "properties": {"id": uuid()}}))
    });
    SCHEMA.clone()
}

fn object(value: Value) -> Arc<JsonObject> {
    match value {
        Value::Object(map) => Arc::new(map),
        _ => unreachable!("a schema is an object"),
    }
}

fn nullable(kind: &str) -> Value {
    json!({"type": [kind, "null"]})
}

fn uuid() -> Value {
    json!({"type": "string", "format": "uuid"})
}

fn money() -> Value {
    json!({
        "type": ["object", "null"],
        "required": ["amount", "currency"],
        "properties": {
            "amount": {"type": "number"},
            "currency": {"type": "string", "description": "ISO 4217 code, e.g. USD"},
        }
    })
}

fn deal_summary_value() -> Value {
    json!({
        "type": "object",
        "description": "The customer found in the Sales environment and their open deals (opportunities), highest value first.",
        "required": ["customer", "deals", "source", "generatedAt"],
        "properties": {
            "customer": {
                "type": "object",
                "required": ["id", "matchedBy"],
                "properties": {
                    "id": uuid(),
                    "name": nullable("string"),
                    "type": {"type": ["string", "null"], "enum": ["account", "contact", null]},
                    "matchedBy": {"type": "string", "enum": ["id", "name"],
                        "description": "Whether the id or the name found the customer (ids differ between environments)."},
                }
            },
            "deals": {"type": "array", "items": deal()},
            "source": {"type": "string", "enum": ["embedded", "dataverse"]},
            "generatedAt": {"type": "string", "format": "date-time"},
            "baseCurrency": nullable("string"),
        }
    })
}

fn deal() -> Value {
    json!({
        "type": "object",
        "required": ["id", "name", "status", "summary"],
        "properties": {
            "id": uuid(),
            "name": {"type": "string"},
            "status": {"type": "string", "enum": ["open", "won", "lost"]},
            "stage": nullable("string"),
            "value": money(),
            "valueBase": money(),
            "probability": {"type": ["integer", "null"], "minimum": 0, "maximum": 100},
            "closeDate": {"type": ["string", "null"], "format": "date"},
            "owner": nullable("string"),
            "forecastCategory": {"type": ["string", "null"],
                "enum": ["pipeline", "bestCase", "committed", "omitted", "won", "lost", null]},
            "summary": {
                "type": "object",
                "required": ["state"],
                "properties": {
                    "state": {"type": "string", "enum": ["ready", "pending", "unavailable", "disabled"],
                        "description": "pending: still being generated; ask again later."},
                    "text": nullable("string"),
                    "generatedAt": {"type": ["string", "null"], "format": "date-time"},
                    "reason": {"type": "string", "enum": ["throttled", "timeout", "failed"]},
                }
            },
            "link": {"type": ["string", "null"], "format": "uri",
                "description": "Opens the deal in Dynamics 365 Sales."},
            "modifiedOn": {"type": ["string", "null"], "format": "date-time"},
        }
    })
}

fn customer_list_value() -> Value {
    json!({
        "type": "object",
        "required": ["customers"],
        "properties": {
            "customers": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "name", "type"],
                    "properties": {
                        "id": uuid(),
                        "name": {"type": "string"},
                        "type": {"type": "string", "enum": ["account", "contact"]},
                        "openDeals": {"type": ["integer", "null"], "minimum": 0},
                    }
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use dealpane_contract::{
        CustomerList, CustomerMatch, CustomerRef, CustomerType, Deal, DealStatus,
        DealSummaryResponse, ForecastCategory, Guid, LeadCreated, MatchedBy, Money, Note, Summary,
    };

    /// Every object in `value` has only declared properties and all required ones.
    fn conforms(value: &Value, schema: &Value, path: &str) {
        match value {
            Value::Object(fields) => {
                let declared = schema["properties"].as_object().expect(path);
                for (name, field) in fields {
                    let sub = declared
                        .get(name)
                        .unwrap_or_else(|| panic!("{path}.{name} is not in the schema"));
                    conforms(field, sub, &format!("{path}.{name}"));
                }
                for required in schema["required"].as_array().into_iter().flatten() {
                    let name = required.as_str().unwrap();
                    assert!(fields.contains_key(name), "{path}.{name} is required");
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    conforms(item, &schema["items"], &format!("{path}[{i}]"));
                }
            }
            _ => {}
        }
    }

    fn money(amount: f64) -> Option<Money> {
        Some(Money {
            amount,
            currency: "USD".into(),
        })
    }

    #[test]
    fn a_full_answer_matches_the_declared_schema() {
        let deal = Deal {
            id: Guid::from_u128(2),
            name: "Espresso machines".into(),
            status: DealStatus::Open,
            stage: Some("Propose".into()),
            value: money(250_000.0),
            value_base: money(250_000.0),
            probability: Some(70),
            close_date: Some("2026-12-15".into()),
            owner: Some("Alex Wu".into()),
            forecast_category: Some(ForecastCategory::BestCase),
            summary: Summary::unavailable_because("timeout"),
            link: Some("https://org.crm.dynamics.com/main.aspx".into()),
            modified_on: Some("2026-11-18T10:00:00Z".into()),
        };
        let answer = DealSummaryResponse {
            customer: CustomerMatch {
                id: Guid::from_u128(1),
                name: Some("Contoso".into()),
                kind: Some(CustomerType::Account),
                matched_by: MatchedBy::Name,
            },
            deals: vec![
                deal.clone(),
                Deal {
                    summary: Summary::ready("text", "2026-11-22T07:30:00Z"),
                    ..deal
                },
            ],
            source: "embedded".into(),
            generated_at: "2026-11-22T07:30:00Z".into(),
            base_currency: Some("USD".into()),
        };
        let schema = Value::Object((*deal_summary()).clone());
        conforms(&serde_json::to_value(&answer).unwrap(), &schema, "answer");

        let list = CustomerList {
            customers: vec![CustomerRef {
                id: Guid::from_u128(1),
                name: "Contoso".into(),
                kind: CustomerType::Contact,
                open_deals: Some(3),
            }],
        };
        let schema = Value::Object((*customer_list()).clone());
        conforms(&serde_json::to_value(&list).unwrap(), &schema, "list");

        let note = Note {
            id: Guid::from_u128(3),
            created_on: "2026-11-29T10:00:00Z".into(),
            created_by: "Dana".into(),
            message: "Wants grinders".into(),
            case_id: Some(Guid::from_u128(4)),
            owner: Some("Alex Wu".into()),
        };
        let schema = Value::Object((*super::note()).clone());
        conforms(&serde_json::to_value(&note).unwrap(), &schema, "note");
        let lead = LeadCreated {
            id: Guid::from_u128(5),
        };
        let schema = Value::Object((*lead_created()).clone());
        conforms(&serde_json::to_value(&lead).unwrap(), &schema, "lead");
    }
}
