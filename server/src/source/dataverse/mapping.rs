//! Annotated Web API records → contract types. Records may lack any property or annotation
//! (nulls, unselected columns, no formatted value), so every field but the id is optional.

use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use dealpane_contract::{
    CustomerRef, CustomerType, Deal, DealStatus, ForecastCategory, Guid, Money, Summary,
};
use serde_json::{Map, Value};

use crate::source::CustomerRecord;

pub type Record = Map<String, Value>;

const FORMATTED: &str = "@OData.Community.Display.V1.FormattedValue";

/// The columns [`deal`] reads, for `$select`, but [`FORECAST_COLUMN`].
const DEAL_COLUMNS: &[&str] = &[
    "name",
    "statecode",
    "estimatedvalue",
    "estimatedvalue_base",
    "estimatedclosedate",
    "closeprobability",
    "salesstage",
    "stepname",
    "_ownerid_value",
    "_transactioncurrencyid_value",
    "modifiedon",
];

/// The Forecasting solution's column: an environment without the solution has none, and
/// selecting it there fails the whole query.
pub const FORECAST_COLUMN: &str = "msdyn_forecastcategory";

/// The `$select` of a deals query, with or without the forecasting column.
pub fn deal_columns(with_forecast: bool) -> Vec<&'static str> {
    let mut columns = DEAL_COLUMNS.to_vec();
    if with_forecast {
        columns.insert(7, FORECAST_COLUMN);
    }
    columns
}

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

/// An `opportunities` row as a deal; `link` builds the deep link from its id. `base_currency`
/// is the organization's (its ISO code labels `estimatedvalue_base`); without it, or without
/// the base value, `value_base` is `None`: never guessed from the transaction amount.
pub fn deal(
    record: &Record,
    link: impl Fn(Guid) -> String,
    base_currency: Option<&str>,
) -> Result<Deal, String> {
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
        value_base: record
            .get("estimatedvalue_base")
            .and_then(Value::as_f64)
            .zip(base_currency)
            .map(|(amount, code)| Money {
                amount,
                currency: code.to_owned(),
            }),
        probability: record
            .get("closeprobability")
            .and_then(Value::as_i64)
            .map(|p| p.clamp(0, 100) as u8),
        close_date: close_date(record),
        owner: formatted(record, "_ownerid_value").map(str::to_owned),
        forecast_category: forecast_category(record),
        summary: Summary::unavailable(),
        link: Some(link(id)),
        modified_on: text(record, "modifiedon").map(str::to_owned),
    })
}

/// The business process flow's current stage (`stepname`, names like `3-Propose`, shown as
/// `Propose`): it moves with the deal. Else the `salesstage` option's label, a separate field
/// that may be stale or empty.
fn stage(record: &Record) -> Option<String> {
    let step = text(record, "stepname").map(|step| match step.split_once('-') {
        Some((number, rest))
            if !number.trim().is_empty() && number.trim().chars().all(|c| c.is_ascii_digit()) =>
        {
            rest
        }
        _ => step,
    });
    step.map(str::trim)
        .filter(|label| !label.is_empty())
        .or_else(|| formatted(record, "salesstage").map(str::trim))
        .map(str::to_owned)
}

/// `estimatedclosedate` as `YYYY-MM-DD`. Current orgs hold it as date-only (`"2026-12-15"`,
/// taken as is). Orgs upgraded from older versions may keep it as a user-local date-time,
/// which the Web API returns in UTC (`"2026-12-14T23:00:00Z"`: midnight of 15 Dec for a seller
/// at UTC+1); its first ten characters would show the day before east of UTC. For those:
/// 1. the formatted value's date, which is that instant in the time zone of the user Dataverse
///    answers (the application user, or the impersonated agent): set that user's time zone to
///    the sales team's. Its layout follows the user's locale (`12/15/2026`, `15.12.2026`,
///    `2026/12/15`, ...); the order of day and month is settled by the one reading that lies
///    within a day of the UTC date.
/// 2. without a usable formatted value, the nearest midnight: a date picked in Dynamics is
///    stored as the seller's local midnight, which is 10:00 UTC the same day at UTC-10 and
///    11:00 UTC the day before at UTC+13, so an instant from 11:00 UTC on means the next day.
///    Right for every zone from UTC-10 to UTC+13 (a close date's time of day means nothing).
fn close_date(record: &Record) -> Option<String> {
    let raw = text(record, "estimatedclosedate")?.trim();
    if let Ok(date) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        return Some(date.to_string());
    }
    let instant = DateTime::parse_from_rfc3339(raw).ok()?.with_timezone(&Utc);
    let shown = formatted(record, "estimatedclosedate")
        .and_then(|label| formatted_date(label, instant.date_naive()));
    Some(
        shown
            .unwrap_or_else(|| nearest_midnight(instant))
            .to_string(),
    )
}

/// The date a formatted value shows, read in any common day/month/year order; `None` unless
/// exactly one reading lies within a day of `utc_date`.
pub fn formatted_date(label: &str, utc_date: NaiveDate) -> Option<NaiveDate> {
    let numbers: Vec<&str> = label
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .take(3)
        .collect();
    let [a, b, c] = numbers[..] else {
        return None;
    };
    let n = |text: &str| text.parse::<u32>().ok();
    let year = |text: &str| {
        let value = n(text)? as i32;
        Some(if text.len() <= 2 { 2000 + value } else { value })
    };
    let readings = if a.len() == 4 {
        // Year first: year/month/day.
        vec![(year(a), n(b), n(c))]
    } else {
        // Month/day/year or day/month/year.
        vec![(year(c), n(a), n(b)), (year(c), n(b), n(a))]
    };
    let mut found: Vec<NaiveDate> = readings
        .into_iter()
        .filter_map(|(y, m, d)| NaiveDate::from_ymd_opt(y?, m?, d?))
        .filter(|date| (*date - utc_date).num_days().abs() <= 1)
        .collect();
    found.dedup();
    match found[..] {
        [date] => Some(date),
        _ => None,
    }
}

/// The date of the midnight nearest `instant`: from 11:00 UTC on, the next day.
fn nearest_midnight(instant: DateTime<Utc>) -> NaiveDate {
    let date = instant.date_naive();
    if instant.hour() >= 11 {
        date + Duration::days(1)
    } else {
        date
    }
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
        let deal = deal(&row, |id| format!("link/{id}"), Some("USD")).unwrap();
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
        let deal = deal(&row, |_| String::new(), Some("USD")).unwrap();
        assert_eq!(deal.value, None);
        assert_eq!(deal.owner, None);
        assert_eq!(deal.stage.as_deref(), Some("Qualify"));
        assert_eq!(deal.forecast_category, Some(ForecastCategory::Other));
    }

    #[test]
    fn the_process_stage_wins_over_a_stale_sales_stage() {
        let row = |step: Value, sales: Value| {
            record(json!({
                "opportunityid": "7d1e0a6b-0000-4000-8000-0000000000c1", "name": "n",
                "stepname": step, "salesstage": 0,
                "salesstage@OData.Community.Display.V1.FormattedValue": sales
            }))
        };
        let stage_of = |row: Record| deal(&row, |_| String::new(), None).unwrap().stage;
        assert_eq!(
            stage_of(row(json!("3-Propose"), json!("Qualify"))).as_deref(),
            Some("Propose")
        );
        assert_eq!(
            stage_of(row(json!("Negotiate"), json!("Qualify"))).as_deref(),
            Some("Negotiate")
        );
        assert_eq!(
            stage_of(row(json!("-1 Legal"), json!("Qualify"))).as_deref(),
            Some("-1 Legal")
        );
        for empty in [json!(null), json!(""), json!("  "), json!("2-")] {
            assert_eq!(
                stage_of(row(empty.clone(), json!("Qualify"))).as_deref(),
                Some("Qualify"),
                "{empty}"
            );
        }
        assert_eq!(stage_of(row(json!(null), json!(null))), None);
    }

    #[test]
    fn base_values_need_the_base_currency_and_are_never_guessed() {
        let row = |base: Value| {
            record(json!({
                "opportunityid": "7d1e0a6b-0000-4000-8000-0000000000c1", "name": "n",
                "estimatedvalue": 9800000, "estimatedvalue_base": base,
                "_transactioncurrencyid_value@OData.Community.Display.V1.FormattedValue": "Japanese Yen"
            }))
        };
        let with_base = deal(&row(json!(65333.33)), |_| String::new(), Some("USD")).unwrap();
        assert_eq!(
            with_base.value_base,
            Some(Money {
                amount: 65_333.33,
                currency: "USD".into()
            })
        );
        assert_eq!(with_base.value.unwrap().currency, "JPY");
        let missing = deal(&row(json!(null)), |_| String::new(), Some("USD")).unwrap();
        assert_eq!(missing.value_base, None);
        let unknown_base = deal(&row(json!(65333.33)), |_| String::new(), None).unwrap();
        assert_eq!(unknown_base.value_base, None);
    }

    #[test]
    fn close_dates_come_date_only_or_as_utc_instants() {
        let date_of = |value: &str, shown: Option<&str>| {
            let mut row = record(json!({
                "opportunityid": "7d1e0a6b-0000-4000-8000-0000000000c1", "name": "n",
                "estimatedclosedate": value
            }));
            if let Some(shown) = shown {
                row.insert(format!("estimatedclosedate{FORMATTED}"), json!(shown));
            }
            deal(&row, |_| String::new(), None).unwrap().close_date
        };
        assert_eq!(date_of("2026-12-15", None).as_deref(), Some("2026-12-15"));
        // Midnight of 15 Dec at UTC+1, shown in the answering user's zone and locale.
        for shown in [
            "12/15/2026",
            "15/12/2026",
            "15.12.2026 00:00",
            "2026/12/15",
            "15/12/26",
        ] {
            assert_eq!(
                date_of("2026-12-14T23:00:00Z", Some(shown)).as_deref(),
                Some("2026-12-15"),
                "{shown}"
            );
        }
        // The formatted value is in another zone: it wins (it is what Dynamics shows).
        assert_eq!(
            date_of("2026-12-14T23:00:00Z", Some("12/14/2026")).as_deref(),
            Some("2026-12-14")
        );
        // Without a usable formatted value, the nearest midnight.
        for (instant, day) in [
            ("2026-12-14T23:00:00Z", "2026-12-15"),
            ("2026-12-14T11:00:00Z", "2026-12-15"),
            ("2026-12-15T05:00:00Z", "2026-12-15"),
            ("2026-12-15T10:00:00Z", "2026-12-15"),
            ("2026-12-14T18:30:00+00:00", "2026-12-15"),
            ("2026-12-15T00:00:00Z", "2026-12-15"),
        ] {
            assert_eq!(date_of(instant, None).as_deref(), Some(day), "{instant}");
            assert_eq!(
                date_of(instant, Some("in a week")).as_deref(),
                Some(day),
                "{instant}"
            );
        }
        // An ambiguous or far-off formatted value is not trusted.
        assert_eq!(
            date_of("2026-12-14T23:00:00Z", Some("03/04/2020")).as_deref(),
            Some("2026-12-15")
        );
        assert_eq!(date_of("not a date", None), None);
    }

    #[test]
    fn formatted_dates_read_day_and_month_in_either_order() {
        let utc = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
        assert_eq!(
            formatted_date("3/4/2026", utc),
            NaiveDate::from_ymd_opt(2026, 3, 4)
        );
        assert_eq!(
            formatted_date("4/3/2026", utc),
            NaiveDate::from_ymd_opt(2026, 3, 4)
        );
        assert_eq!(formatted_date("3/3/2026", utc), Some(utc));
        assert_eq!(formatted_date("2026", utc), None);
        assert_eq!(formatted_date("99/99/2026", utc), None);
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
