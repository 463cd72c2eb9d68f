//! The tables the stand-in serves, their columns, and how an added opportunity becomes a row
//! with its annotations.

use std::collections::HashMap;

use dealpane_contract::Guid;
use serde_json::{json, Map, Value};

use super::{State, EUR, FORMATTED, LOGICAL_NAME, NAVIGATION, USD};

/// An opportunity to add; [`Opportunity::new`] fills plausible defaults.
#[derive(Debug, Clone)]
pub struct Opportunity {
    pub id: Guid,
    pub customer: Guid,
    pub name: String,
    /// 0 open, 1 won, 2 lost.
    pub state: i64,
    pub value: Option<f64>,
    /// [`USD`] or [`EUR`].
    pub currency: Guid,
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
                "estimatedclosedate",
                "closeprobability",
                "salesstage",
                "stepname",
                "msdyn_forecastcategory",
                "_customerid_value",
                "_ownerid_value",
                "_transactioncurrencyid_value",
                "modifiedon",
            ],
            rows: Vec::new(),
        },
    );
    let mut currencies = Table {
        logical_name: "transactioncurrency",
        key: "transactioncurrencyid",
        columns: &["transactioncurrencyid", "isocurrencycode", "currencyname"],
        rows: Vec::new(),
    };
    for (id, code, name) in [(USD, "USD", "US Dollar"), (EUR, "EUR", "Euro")] {
        currencies.rows.push(object(json!({
            "transactioncurrencyid": id.to_string(), "isocurrencycode": code, "currencyname": name
        })));
    }
    tables.insert("transactioncurrencies", currencies);
    tables
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
        let (currency_name, symbol) = if deal.currency == EUR {
            ("Euro", "€")
        } else {
            ("US Dollar", "$")
        };
        let state_label = ["Open", "Won", "Lost"][deal.state.clamp(0, 2) as usize];
        let mut row = json!({
            "opportunityid": deal.id.to_string(),
            "name": deal.name,
            "statecode": deal.state,
            "statecode@OData.Community.Display.V1.FormattedValue": state_label,
            "estimatedvalue": deal.value,
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
            "_transactioncurrencyid_value": deal.currency.to_string(),
            "_transactioncurrencyid_value@OData.Community.Display.V1.FormattedValue": currency_name,
            "_transactioncurrencyid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "transactioncurrency",
            "modifiedon": deal.modified_on,
        });
        let row = row.as_object_mut().unwrap();
        if let Some(value) = deal.value {
            row.insert(
                format!("estimatedvalue{FORMATTED}"),
                json!(format!("{symbol}{value:.2}")),
            );
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
