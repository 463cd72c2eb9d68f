//! Annotated Web API records → contract types. Records may lack any property or annotation
//! (nulls, unselected columns, no formatted value), so every field but the id is optional.

use dealpane_contract::{
    CustomerRef, CustomerType, Deal, DealStatus, ForecastCategory, Guid, Money, Summary,
};
use serde_json::{Map, Value};

use crate::source::CustomerRecord;

pub type Record = Map<String, Value>;

const FORMATTED: &str = "@OData.Community.Display.V1.FormattedValue";

/// The columns [`deal`] reads, for `$select`.
pub const DEAL_COLUMNS: &[&str] = &[
    "name",
    "statecode",
    "estimatedvalue",
    "estimatedclosedate",
    "closeprobability",
    "salesstage",
    "stepname",
    "msdyn_forecastcategory",
    "_ownerid_value",
    "_transactioncurrencyid_value",
    "modifiedon",
];

/// The currency's ISO code comes from the related row; the lookup's formatted value is only
/// the currency's name ("US Dollar").
pub const DEAL_EXPANSION: &str = "transactioncurrencyid($select=isocurrencycode)";

/// One customer table: accounts or contacts.
#[derive(Debug, Clone, Copy)]
pub struct CustomerTable {
    pub kind: CustomerType,
    pub entity_set: &'static str,
    pub key: &'static str,
    pub name: &'static str,
}

pub const ACCOUNTS: CustomerTable = CustomerTable {
    kind: CustomerType::Account,
    entity_set: "accounts",
    key: "accountid",
    name: "name",
};

pub const CONTACTS: CustomerTable = CustomerTable {
    kind: CustomerType::Contact,
    entity_set: "contacts",
    key: "contactid",
    name: "fullname",
};

/// Accounts before contacts, as the trait orders matches; `kind` narrows to one.
pub fn customer_tables(kind: Option<CustomerType>) -> &'static [CustomerTable] {
    match kind {
        Some(CustomerType::Account) => &[ACCOUNTS],
        Some(CustomerType::Contact) => &[CONTACTS],
        None => &[ACCOUNTS, CONTACTS],
    }
}

pub fn customer(table: CustomerTable, record: &Record) -> Result<CustomerRecord, String> {
    let id = guid(record, table.key)
        .ok_or_else(|| format!("a {} row has no valid {}", table.kind.as_str(), table.key))?;
    Ok(CustomerRecord {
        id,
        name: text(record, table.name).unwrap_or_default().to_owned(),
        kind: table.kind,
    })
}

pub fn customer_ref(table: CustomerTable, record: &Record) -> Result<CustomerRef, String> {
    let found = customer(table, record)?;
    Ok(CustomerRef {
        id: found.id,
        name: found.name,
        kind: found.kind,
        open_deals: None,
    })
}

/// An `opportunities` row as a deal; `link` builds the deep link from its id.
pub fn deal(record: &Record, link: impl Fn(Guid) -> String) -> Result<Deal, String> {
    let id = guid(record, "opportunityid").ok_or("an opportunity has no valid opportunityid")?;
    Ok(Deal {
        id,
        name: text(record, "name").unwrap_or_default().to_owned(),
        status: match record.get("statecode").and_then(Value::as_i64) {
            Some(1) => DealStatus::Won,
            Some(2) => DealStatus::Lost,
            _ => DealStatus::Open,
        },
        stage: stage(record),
        value: record
            .get("estimatedvalue")
            .and_then(Value::as_f64)
            .map(|amount| Money {
                amount,
                currency: currency(record),
            }),
        probability: record
            .get("closeprobability")
            .and_then(Value::as_i64)
            .map(|p| p.clamp(0, 100) as u8),
        close_date: text(record, "estimatedclosedate").map(|date| date.chars().take(10).collect()),
        owner: formatted(record, "_ownerid_value").map(str::to_owned),
        forecast_category: forecast_category(record),
        summary: Summary::unavailable(),
        link: Some(link(id)),
        modified_on: text(record, "modifiedon").map(str::to_owned),
    })
}

/// The sales stage's label ("Propose"); else the business process stage, whose names read
/// like `3-Propose`.
fn stage(record: &Record) -> Option<String> {
    if let Some(label) = formatted(record, "salesstage") {
        return Some(label.to_owned());
    }
    let step = text(record, "stepname")?;
    let label = match step.split_once('-') {
        Some((number, rest)) if number.trim().chars().all(|c| c.is_ascii_digit()) => rest,
        _ => step,
    };
    Some(label.trim().to_owned()).filter(|label| !label.is_empty())
}

/// The ISO code from the expanded currency; else a name → code guess for the common ones;
/// `XXX` (ISO 4217's "no currency") when nothing says.
fn currency(record: &Record) -> String {
    if let Some(code) = record
        .get("transactioncurrencyid")
        .and_then(|currency| currency.get("isocurrencycode"))
        .and_then(Value::as_str)
    {
        return code.to_owned();
    }
    let name = formatted(record, "_transactioncurrencyid_value").unwrap_or("");
    let code = match name {
        "US Dollar" => "USD",
        "Euro" => "EUR",
        "Pound Sterling" | "British Pound" => "GBP",
        "Japanese Yen" => "JPY",
        "Canadian Dollar" => "CAD",
        "Australian Dollar" => "AUD",
        "Swiss Franc" => "CHF",
        _ if name.len() == 3 && name.chars().all(|c| c.is_ascii_uppercase()) => name,
        _ => "XXX",
    };
    code.to_owned()
}

/// The option value decides; a value a customized option set added falls back to its label.
fn forecast_category(record: &Record) -> Option<ForecastCategory> {
    let value = record.get("msdyn_forecastcategory")?.as_i64()?;
    if let Some(category) = ForecastCategory::from_option_value(value) {
        return Some(category);
    }
    let label = formatted(record, "msdyn_forecastcategory").unwrap_or("");
    let normalized: String = label
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    Some(match normalized.as_str() {
        "pipeline" => ForecastCategory::Pipeline,
        "bestcase" => ForecastCategory::BestCase,
        "committed" => ForecastCategory::Committed,
        "omitted" => ForecastCategory::Omitted,
        "won" => ForecastCategory::Won,
        "lost" => ForecastCategory::Lost,
        _ => ForecastCategory::Other,
    })
}

/// `msdyn_summary_raw` is undocumented: plain text, or a JSON string holding an object. Takes
/// readable text from either; `None` when there is none.
pub fn summary_text(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let text = match serde_json::from_str::<Value>(trimmed) {
        Ok(Value::String(inner)) => return summary_text(&inner),
        Ok(value @ (Value::Object(_) | Value::Array(_))) => readable_text(&value),
        _ => trimmed.to_owned(),
    };
    Some(text.trim().to_owned()).filter(|text| !text.is_empty())
}

/// A summary-like member when there is one, else every string in the structure, one a line.
fn readable_text(value: &Value) -> String {
    if let Some(object) = value.as_object() {
        for key in ["summary", "text", "content", "value", "message"] {
            if let Some(found) = object
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(key))
                .and_then(|(_, text)| text.as_str())
            {
                return found.to_owned();
            }
        }
    }
    let mut lines = Vec::new();
    collect_strings(value, &mut lines);
    lines.join("\n")
}

fn collect_strings(value: &Value, lines: &mut Vec<String>) {
    match value {
        Value::String(text) if !text.trim().is_empty() => lines.push(text.trim().to_owned()),
        Value::Array(items) => items.iter().for_each(|item| collect_strings(item, lines)),
        Value::Object(members) => members
            .values()
            .for_each(|item| collect_strings(item, lines)),
        _ => {}
    }
}

fn text<'a>(record: &'a Record, property: &str) -> Option<&'a str> {
    record.get(property)?.as_str()
}

fn formatted<'a>(record: &'a Record, property: &str) -> Option<&'a str> {
    record
        .get(&format!("{property}{FORMATTED}"))?
        .as_str()
        .filter(|label| !label.trim().is_empty())
}

fn guid(record: &Record, property: &str) -> Option<Guid> {
    Guid::parse(text(record, property)?).ok()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn record(value: Value) -> Record {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn annotations_give_stage_owner_currency_and_forecast_category() {
        let row = record(json!({
            "opportunityid": "7D1E0A6B-0000-4000-8000-0000000000C1",
            "name": "Contoso - 500 seat renewal",
            "statecode": 0,
            "estimatedvalue": 125000.0,
            "estimatedclosedate": "2026-12-15",
            "closeprobability": 70,
            "salesstage": 2,
            "salesstage@OData.Community.Display.V1.FormattedValue": "Propose",
            "stepname": "3-Propose",
            "msdyn_forecastcategory": 100000002,
            "msdyn_forecastcategory@OData.Community.Display.V1.FormattedValue": "Best case",
            "_ownerid_value": "a1b2c3d4-0000-4000-8000-000000000001",
            "_ownerid_value@OData.Community.Display.V1.FormattedValue": "Dana Seller",
            "_transactioncurrencyid_value@OData.Community.Display.V1.FormattedValue": "US Dollar",
            "modifiedon": "2026-11-18T10:00:00Z"
        }));
        let deal = deal(&row, |id| format!("link/{id}")).unwrap();
        assert_eq!(deal.id.to_string(), "7d1e0a6b-0000-4000-8000-0000000000c1");
        assert_eq!(deal.stage.as_deref(), Some("Propose"));
        assert_eq!(deal.owner.as_deref(), Some("Dana Seller"));
        assert_eq!(deal.value.unwrap().currency, "USD");
        assert_eq!(deal.forecast_category, Some(ForecastCategory::BestCase));
        assert_eq!(deal.probability, Some(70));
        assert_eq!(deal.close_date.as_deref(), Some("2026-12-15"));
        assert_eq!(
            deal.link.as_deref(),
            Some("link/7d1e0a6b-0000-4000-8000-0000000000c1")
        );
    }

    #[test]
    fn nulls_and_missing_annotations_give_nones() {
        let row = record(json!({
            "opportunityid": "7d1e0a6b-0000-4000-8000-0000000000c1",
            "name": "Bare", "statecode": 0, "estimatedvalue": null, "stepname": "Qualify",
            "_ownerid_value": null, "msdyn_forecastcategory": 123
        }));
        let deal = deal(&row, |_| String::new()).unwrap();
        assert_eq!(deal.value, None);
        assert_eq!(deal.owner, None);
        assert_eq!(deal.stage.as_deref(), Some("Qualify"));
        assert_eq!(deal.forecast_category, Some(ForecastCategory::Other));
    }

    #[test]
    fn summaries_are_text_whatever_their_shape() {
        assert_eq!(
            summary_text("  Plain text. ").as_deref(),
            Some("Plain text.")
        );
        assert_eq!(
            summary_text(r#"{"summary":"From JSON.","other":1}"#).as_deref(),
            Some("From JSON.")
        );
        assert_eq!(
            summary_text(r#""{\"Summary\":\"Nested.\"}""#).as_deref(),
            Some("Nested.")
        );
        assert_eq!(
            summary_text(r#"{"a":["one",{"b":"two"}]}"#).as_deref(),
            Some("one\ntwo")
        );
        assert_eq!(
            summary_text(r#"{"broken": "#).as_deref(),
            Some(r#"{"broken":"#)
        );
        assert_eq!(summary_text("   "), None);
        assert_eq!(summary_text("{}"), None);
    }
}
