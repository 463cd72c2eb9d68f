//! Creating records (issue 12): `POST tasks` and `POST leads` with the documented payload, its
//! column values and its lookups as `"<navigation property>@odata.bind": "/<entity set>(<id>)"`.
//! Answers `204 No Content` with `OData-EntityId: <service root><set>(<new id>)` [DOC]. The
//! new row can then be read back (`GET tasks?$filter=...`).
//!
//! Refusals, in Dataverse's error body: a bound record that does not exist is 404
//! `0x80040217` "<table> With Id = <id> Does Not Exist" [DOC code; message pattern as for reads];
//! an annotation on a navigation property the table does not declare is 400 `0x80060888` with
//! OData's "An undeclared property ..." message, and an unknown column 400 "The property ...
//! does not exist on type ..." (the parse errors' code is not documented: the one the stand-in
//! uses for them). Chosen here (not documented): a bind value that is not `/<set>(<guid>)` or
//! names a set the property cannot point to, and a value of the wrong JSON type, are 400
//! `0x80060888` with made-up messages; a text longer than the column's length is 400
//! `0x80044331` (made up).

use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use dealpane_contract::Guid;
use serde_json::{json, Map, Value};

use super::requests::RecordedRequest;
use super::{odata_error, odata_response, State, API, FORMATTED};

/// A writable column: its name and what it holds.
enum Column {
    Text(&'static str, usize),
    Integer(&'static str),
    Number(&'static str),
}

/// A lookup: its navigation property, the sets it may point to, and its `_x_value` column.
struct Lookup {
    navigation: &'static str,
    targets: &'static [&'static str],
    column: &'static str,
}

struct Shape {
    logical_name: &'static str,
    key: &'static str,
    columns: &'static [Column],
    lookups: &'static [Lookup],
}

const TASK: Shape = Shape {
    logical_name: "task",
    key: "activityid",
    columns: &[
        Column::Text("subject", 200),
        Column::Text("description", 2000),
        Column::Text("category", 250),
        Column::Text("subcategory", 250),
    ],
    lookups: &[
        Lookup {
            navigation: "regardingobjectid_opportunity_task",
            targets: &["opportunities"],
            column: "_regardingobjectid_value",
        },
        Lookup {
            navigation: "regardingobjectid_account_task",
            targets: &["accounts"],
            column: "_regardingobjectid_value",
        },
        Lookup {
            navigation: "ownerid",
            targets: &["systemusers", "teams"],
            column: "_ownerid_value",
        },
    ],
};

const LEAD: Shape = Shape {
    logical_name: "lead",
    key: "leadid",
    columns: &[
        Column::Text("subject", 300),
        Column::Text("description", 2000),
        Column::Integer("leadsourcecode"),
        Column::Number("estimatedamount"),
    ],
    lookups: &[
        Lookup {
            navigation: "parentaccountid",
            targets: &["accounts"],
            column: "_parentaccountid_value",
        },
        Lookup {
            navigation: "parentcontactid",
            targets: &["contacts"],
            column: "_parentcontactid_value",
        },
        Lookup {
            navigation: "transactioncurrencyid",
            targets: &["transactioncurrencies"],
            column: "_transactioncurrencyid_value",
        },
    ],
};

/// Whether the stand-in creates records in `set`.
pub(super) fn creatable(set: &str) -> bool {
    matches!(set, "tasks" | "leads")
}

pub(super) fn create(state: &mut State, set: &str, request: &RecordedRequest) -> Response {
    let shape = if set == "tasks" { &TASK } else { &LEAD };
    let bad = |message: String| odata_error(StatusCode::BAD_REQUEST, "0x80060888", &message);
    let Ok(Value::Object(body)) = serde_json::from_str::<Value>(&request.body) else {
        return bad("The request body is not a JSON object.".to_owned());
    };
    let mut row = Map::new();
    for (name, value) in &body {
        if let Some(navigation) = name.strip_suffix("@odata.bind") {
            let Some(lookup) = shape.lookups.iter().find(|l| l.navigation == navigation) else {
                return bad(format!(
                    "An undeclared property '{navigation}' which only has property annotations \
                     in the payload but no property value was found in the payload. In OData, \
                     only declared navigation properties and declared named streams can be \
                     represented as properties without values."
                ));
            };
            let Some((target, id)) = value.as_str().and_then(address) else {
                return bad(format!(
                    "The value of '{name}' must be an entity address such as '/{}(<id>)'.",
                    lookup.targets[0]
                ));
            };
            if !lookup.targets.contains(&target.as_str()) {
                return bad(format!(
                    "'{navigation}' cannot refer to a record of '{target}'."
                ));
            }
            match state.exists(&target, id) {
                Some(name) => {
                    row.insert(lookup.column.to_owned(), json!(id.to_string()));
                    if let Some(name) = name {
                        row.insert(format!("{}{FORMATTED}", lookup.column), json!(name));
                    }
                }
                None => {
                    return odata_error(
                        StatusCode::NOT_FOUND,
                        "0x80040217",
                        &format!("{} With Id = {id} Does Not Exist", logical_name(&target)),
                    )
                }
            }
            continue;
        }
        let Some(column) = shape.columns.iter().find(|c| c.name() == name) else {
            return bad(format!(
                "The property '{name}' does not exist on type 'Microsoft.Dynamics.CRM.{}'. \
                 Make sure to only use property names that are defined by the type.",
                shape.logical_name
            ));
        };
        if let Err(message) = column.check(value) {
            return match message {
                Refusal::Type(message) => bad(message),
                Refusal::Length(message) => {
                    odata_error(StatusCode::BAD_REQUEST, "0x80044331", &message)
                }
            };
        }
        row.insert(name.clone(), value.clone());
    }
    let id = state.next_id();
    row.insert(shape.key.to_owned(), json!(id.to_string()));
    row.insert("createdon".to_owned(), json!(now()));
    row.insert("statecode".to_owned(), json!(0));
    let (creator, creator_name) = match &request.caller_object_id {
        // The agent's name is the users' business (users.rs); the id is what matters here.
        Some(oid) => (oid.clone(), None),
        None => (
            APPLICATION_USER.to_owned(),
            Some("dealpane (application)".to_owned()),
        ),
    };
    row.insert("_createdby_value".to_owned(), json!(creator));
    if let Some(name) = creator_name {
        row.insert(format!("_createdby_value{FORMATTED}"), json!(name));
    }
    state.tables.get_mut(set).unwrap().rows.push(row);
    let mut response = odata_response(StatusCode::NO_CONTENT, String::new(), &[]);
    let location = format!("{}{API}{set}({id})", state.base_url);
    response
        .headers_mut()
        .insert("OData-EntityId", HeaderValue::from_str(&location).unwrap());
    response
}

/// The application user the stand-in's tokens act as.
const APPLICATION_USER: &str = "0a0a0a0a-0000-4000-8000-0000000000a0";

enum Refusal {
    Type(String),
    Length(String),
}

impl Column {
    fn name(&self) -> &'static str {
        match self {
            Column::Text(name, _) | Column::Integer(name) | Column::Number(name) => name,
        }
    }

    fn check(&self, value: &Value) -> Result<(), Refusal> {
        let wrong = |kind: &str| {
            Refusal::Type(format!(
                "Cannot convert the literal '{value}' to the expected type '{kind}' of '{}'.",
                self.name()
            ))
        };
        match self {
            Column::Text(name, max) => {
                let text = value.as_str().ok_or_else(|| wrong("Edm.String"))?;
                let length = text.chars().count();
                if length > *max {
                    return Err(Refusal::Length(format!(
                        "A validation error occurred. The length of the '{name}' attribute \
                         exceeded the maximum allowed length of '{max}'."
                    )));
                }
                Ok(())
            }
            Column::Integer(_) => value.as_i64().map(|_| ()).ok_or_else(|| wrong("Edm.Int32")),
            Column::Number(_) => value
                .as_f64()
                .map(|_| ())
                .ok_or_else(|| wrong("Edm.Decimal")),
        }
    }
}

/// `/<set>(<guid>)`, or the same under the service root's absolute URL.
fn address(value: &str) -> Option<(String, Guid)> {
    let path = value.rsplit_once(API).map_or(value, |(_, rest)| rest);
    let path = path.strip_prefix('/').unwrap_or(path);
    let (set, rest) = path.split_once('(')?;
    let id = Guid::parse(rest.strip_suffix(')')?).ok()?;
    (!set.is_empty() && set.chars().all(|c| c.is_ascii_lowercase())).then(|| (set.to_owned(), id))
}

fn logical_name(set: &str) -> &str {
    match set {
        "opportunities" => "opportunity",
        "accounts" => "account",
        "contacts" => "contact",
        "transactioncurrencies" => "transactioncurrency",
        "systemusers" => "systemuser",
        "teams" => "team",
        other => other,
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl State {
    /// `Some(name)` when the record exists (its primary name, if the stand-in knows one).
    /// Users and teams exist when some opportunity is owned by them.
    fn exists(&self, set: &str, id: Guid) -> Option<Option<String>> {
        let id = id.to_string();
        let text = |row: &Map<String, Value>, key: &str| {
            row.get(key).and_then(Value::as_str).map(str::to_owned)
        };
        match set {
            "systemusers" | "teams" => {
                let column = if set == "teams" {
                    "_owningteam_value"
                } else {
                    "_owninguser_value"
                };
                self.tables["opportunities"]
                    .rows
                    .iter()
                    .find(|row| text(row, column).as_deref() == Some(id.as_str()))
                    .map(|row| text(row, &format!("_ownerid_value{FORMATTED}")))
            }
            set => {
                let table = self.tables.get(set)?;
                let name = match set {
                    "contacts" => "fullname",
                    "transactioncurrencies" => "currencyname",
                    _ => "name",
                };
                table
                    .rows
                    .iter()
                    .find(|row| text(row, table.key).as_deref() == Some(id.as_str()))
                    .map(|row| text(row, name))
            }
        }
    }
}
