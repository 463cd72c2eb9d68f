//! The tables the stand-in serves, their columns, and how an added opportunity becomes a row
//! with its annotations.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use dealpane_contract::Guid;
use serde_json::{json, Map, Value};

use super::{State, EUR, FORMATTED, GBP, JPY, LOGICAL_NAME, NAVIGATION, USD};

/// The currencies: id, ISO code, name, symbol, and `exchangerate` (units per one unit of the
/// organization's base currency, USD).
pub(super) const CURRENCIES: [(Guid, &str, &str, &str, f64); 4] = [
    (USD, "USD", "US Dollar", "$", 1.0),
    (EUR, "EUR", "Euro", "€", 0.92),
    (GBP, "GBP", "Pound Sterling", "£", 0.79),
    (JPY, "JPY", "Japanese Yen", "¥", 150.0),
];

/// The organization's row id.
pub const ORGANIZATION_ID: Guid = Guid::from_u128(0x0e90_0000_0000_4000_8000_0000_0000_0001);

/// An opportunity to add; [`Opportunity::new`] fills plausible defaults.
#[derive(Debug, Clone)]
pub struct Opportunity {
    pub id: Guid,
    pub customer: Guid,
    pub name: String,
    /// 0 open, 1 won, 2 lost.
    pub state: i64,
    pub value: Option<f64>,
    /// [`USD`], [`EUR`], [`GBP`] or [`JPY`].
    pub currency: Guid,
    /// `estimatedvalue_base` is null although the value is not (a record written before its
    /// currency had a rate, or by an integration that bypassed the conversion). Otherwise the
    /// base value is the value at the currency's rate, as Dataverse computes it on save.
    pub base_missing: bool,
    /// `YYYY-MM-DD` (date-only, current orgs) or a UTC date-time such as
    /// `2026-12-14T23:00:00Z` (a user-local column kept by an org upgraded from older versions;
    /// its formatted value is then in the time zone of [`super::DataverseStandin::set_user_time_zone`]).
    pub close_date: Option<String>,
    pub probability: Option<i64>,
    /// `salesstage`: 0 Qualify, 1 Develop, 2 Propose, 3 Close.
    pub sales_stage: Option<i64>,
    pub step_name: Option<String>,
    pub owner: Option<String>,
    pub forecast_category: Option<i64>,
    pub modified_on: String,
}

impl Opportunity {
    pub fn new(customer: Guid, name: &str, value: Option<f64>) -> Opportunity {
        Opportunity {
            id: Guid::from_u128(0),
            customer,
            name: name.to_owned(),
            state: 0,
            value,
            currency: USD,
            base_missing: false,
            close_date: Some("2026-12-15".to_owned()),
            probability: Some(50),
            sales_stage: Some(2),
            step_name: Some("3-Propose".to_owned()),
            owner: Some("Dana Seller".to_owned()),
            forecast_category: Some(100_000_002),
            modified_on: "2026-11-18T10:00:00Z".to_owned(),
        }
    }
}

pub(super) struct Table {
    pub(super) logical_name: &'static str,
    pub(super) key: &'static str,
    pub(super) columns: &'static [&'static str],
    pub(super) rows: Vec<Map<String, Value>>,
}

pub(super) fn tables() -> HashMap<&'static str, Table> {
    let mut tables = HashMap::new();
    tables.insert(
        "accounts",
        Table {
            logical_name: "account",
            key: "accountid",
            columns: &["accountid", "name", "modifiedon", "statecode"],
            rows: Vec::new(),
        },
    );
    tables.insert(
        "contacts",
        Table {
            logical_name: "contact",
            key: "contactid",
            columns: &["contactid", "fullname", "modifiedon", "statecode"],
            rows: Vec::new(),
        },
    );
    tables.insert(
        "opportunities",
        Table {
            logical_name: "opportunity",
            key: "opportunityid",
            columns: &[
                "opportunityid",
                "name",
                "statecode",
                "estimatedvalue",
                "estimatedvalue_base",
                "exchangerate",
                "estimatedclosedate",
                "closeprobability",
                "salesstage",
                "stepname",
                "msdyn_forecastcategory",
                "_customerid_value",
                "_ownerid_value",
                "_owninguser_value",
                "_owningteam_value",
                "_transactioncurrencyid_value",
                "modifiedon",
            ],
            rows: Vec::new(),
        },
    );
    let mut currencies = Table {
        logical_name: "transactioncurrency",
        key: "transactioncurrencyid",
        columns: &[
            "transactioncurrencyid",
            "isocurrencycode",
            "currencyname",
            "currencysymbol",
            "exchangerate",
        ],
        rows: Vec::new(),
    };
    for (id, code, name, symbol, rate) in CURRENCIES {
        currencies.rows.push(object(json!({
            "transactioncurrencyid": id.to_string(), "isocurrencycode": code,
            "currencyname": name, "currencysymbol": symbol, "exchangerate": rate
        })));
    }
    tables.insert("transactioncurrencies", currencies);
    // Written through dealpane (issue 12, `creates.rs`), then read back.
    tables.insert(
        "tasks",
        Table {
            logical_name: "task",
            key: "activityid",
            columns: &[
                "activityid",
                "subject",
                "description",
                "category",
                "subcategory",
                "_regardingobjectid_value",
                "_ownerid_value",
                "_createdby_value",
                "statecode",
                "createdon",
            ],
            rows: Vec::new(),
        },
    );
    tables.insert(
        "leads",
        Table {
            logical_name: "lead",
            key: "leadid",
            columns: &[
                "leadid",
                "subject",
                "description",
                "leadsourcecode",
                "estimatedamount",
                "_parentaccountid_value",
                "_parentcontactid_value",
                "_transactioncurrencyid_value",
                "_createdby_value",
                "statecode",
                "createdon",
            ],
            rows: Vec::new(),
        },
    );
    tables.insert(
        "organizations",
        Table {
            logical_name: "organization",
            key: "organizationid",
            columns: &["organizationid", "name", "_basecurrencyid_value"],
            rows: vec![object(json!({
                "organizationid": ORGANIZATION_ID.to_string(),
                "name": "Contoso (stand-in)",
                "_basecurrencyid_value": USD.to_string(),
                "_basecurrencyid_value@OData.Community.Display.V1.FormattedValue": "US Dollar",
                "_basecurrencyid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "transactioncurrency",
                "_basecurrencyid_value@Microsoft.Dynamics.CRM.associatednavigationproperty": "basecurrencyid",
            }))],
        },
    );
    tables
}

/// `$1,234.50` / `¥9,800,000.00`: the en-US money format of a formatted value.
fn money_label(symbol: &str, amount: f64) -> String {
    let cents = (amount.abs() * 100.0).round() as u64;
    let digits = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if amount < 0.0 { "-" } else { "" };
    format!("{sign}{symbol}{grouped}.{:02}", cents % 100)
}

/// The close date's formatted value, as an en-US user sees it: a date-only value as written
/// (no time zone), a date-time in the user's zone (`offset_minutes` east of UTC).
fn close_date_label(value: &str, offset_minutes: i32) -> Option<String> {
    let date = match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        Ok(date) => date,
        Err(_) => {
            let instant = DateTime::parse_from_rfc3339(value)
                .ok()?
                .with_timezone(&Utc);
            (instant + Duration::minutes(i64::from(offset_minutes))).date_naive()
        }
    };
    Some(date.format("%m/%d/%Y").to_string())
}

impl State {
    pub(super) fn next_id(&mut self) -> Guid {
        self.ids += 1;
        Guid::from_u128(0x7d1e0a6b_0000_4000_8000_000000000000 + self.ids)
    }

    pub(super) fn insert(&mut self, set: &'static str, row: Value) {
        self.tables.get_mut(set).unwrap().rows.push(object(row));
    }

    pub(super) fn customer_of(&self, id: Guid) -> Option<(&'static str, String)> {
        for (set, logical, column) in [
            ("accounts", "account", "name"),
            ("contacts", "contact", "fullname"),
        ] {
            if let Some(row) = self.tables[set]
                .rows
                .iter()
                .find(|row| row[self.tables[set].key] == id.to_string())
            {
                return Some((logical, row[column].as_str().unwrap_or("").to_owned()));
            }
        }
        None
    }

    /// The row with its annotations stored next to the values (emitted only when asked).
    pub(super) fn opportunity_row(&self, deal: &Opportunity) -> Value {
        let (customer_kind, customer_name) = self
            .customer_of(deal.customer)
            .unwrap_or(("account", "Unknown".to_owned()));
        let (_, _, currency_name, symbol, rate) = CURRENCIES
            .into_iter()
            .find(|currency| currency.0 == deal.currency)
            .unwrap_or(CURRENCIES[0]);
        // Dataverse rounds the converted amount to the base currency's precision (2).
        let base = deal
            .value
            .filter(|_| !deal.base_missing)
            .map(|value| (value / rate * 100.0).round() / 100.0);
        let state_label = ["Open", "Won", "Lost"][deal.state.clamp(0, 2) as usize];
        let mut row = json!({
            "opportunityid": deal.id.to_string(),
            "name": deal.name,
            "statecode": deal.state,
            "statecode@OData.Community.Display.V1.FormattedValue": state_label,
            "estimatedvalue": deal.value,
            "estimatedvalue_base": base,
            "exchangerate": rate,
            "estimatedclosedate": deal.close_date,
            "closeprobability": deal.probability,
            "salesstage": deal.sales_stage,
            "stepname": deal.step_name,
            "msdyn_forecastcategory": deal.forecast_category,
            "_customerid_value": deal.customer.to_string(),
            "_customerid_value@OData.Community.Display.V1.FormattedValue": customer_name,
            "_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname": customer_kind,
            "_customerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty":
                format!("customerid_{customer_kind}"),
            "_ownerid_value": deal.owner.as_ref().map(|_| "a1b2c3d4-0000-4000-8000-000000000001"),
            // A user owns every stand-in deal: `owninguser` repeats the owner, no team.
            "_owninguser_value": deal.owner.as_ref().map(|_| "a1b2c3d4-0000-4000-8000-000000000001"),
            "_owningteam_value": null,
            "_transactioncurrencyid_value": deal.currency.to_string(),
            "_transactioncurrencyid_value@OData.Community.Display.V1.FormattedValue": currency_name,
            "_transactioncurrencyid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "transactioncurrency",
            "modifiedon": deal.modified_on,
        });
        let row = row.as_object_mut().unwrap();
        if let Some(value) = deal.value {
            row.insert(
                format!("estimatedvalue{FORMATTED}"),
                json!(money_label(symbol, value)),
            );
        }
        if let Some(base) = base {
            row.insert(
                format!("estimatedvalue_base{FORMATTED}"),
                json!(money_label("$", base)),
            );
        }
        if let Some(label) = deal
            .close_date
            .as_deref()
            .and_then(|date| close_date_label(date, self.user_offset_minutes))
        {
            row.insert(format!("estimatedclosedate{FORMATTED}"), json!(label));
        }
        if let Some(probability) = deal.probability {
            row.insert(
                format!("closeprobability{FORMATTED}"),
                json!(probability.to_string()),
            );
        }
        if let Some(stage) = deal.sales_stage {
            let label = ["Qualify", "Develop", "Propose", "Close"]
                .get(stage as usize)
                .copied()
                .unwrap_or("Unknown");
            row.insert(format!("salesstage{FORMATTED}"), json!(label));
        }
        if let Some(category) = deal.forecast_category {
            let label = match category {
                100_000_001 => "Pipeline",
                100_000_002 => "Best case",
                100_000_003 => "Committed",
                100_000_004 => "Omitted",
                100_000_005 => "Won",
                100_000_006 => "Lost",
                _ => "Upside",
            };
            row.insert(format!("msdyn_forecastcategory{FORMATTED}"), json!(label));
        }
        if let Some(owner) = &deal.owner {
            row.insert(format!("_ownerid_value{FORMATTED}"), json!(owner));
            row.insert(format!("_ownerid_value{LOGICAL_NAME}"), json!("systemuser"));
            row.insert(format!("_ownerid_value{NAVIGATION}"), json!("ownerid"));
        }
        Value::Object(row.clone())
    }
}

fn object(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}
