//! JSON shapes of the API, camelCase on the wire, exactly as DESIGN.md's contract.
//! Unknown fields are ignored everywhere (serde's default) so either side can grow.

use serde::{Deserialize, Serialize};

use crate::Guid;

mod base_value;
mod share;
mod summaries;

pub use self::base_value::{base_totals, compare_deals, order_deals, BaseTotals};
pub use self::share::{
    LeadCreated, LeadRequest, Note, NoteList, NoteRequest, IDEMPOTENCY_KEY_HEADER,
    IDEMPOTENCY_KEY_MAX_CHARS, LEAD_DESCRIPTION_MAX_CHARS, LEAD_TOPIC_MAX_CHARS, NOTES_LIST_MAX,
    NOTE_MAX_CHARS, WRITE_BODY_MAX_BYTES,
};
pub use self::summaries::{
    summary_query_item, DealSummaryUpdate, SummariesResponse, MAX_SUMMARY_DEALS,
    MAX_SUMMARY_WAIT_SECS,
};

/// `GET /api/DealSummary` with `Accept: application/json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DealSummaryResponse {
    pub customer: CustomerMatch,
    pub deals: Vec<Deal>,
    /// Where the data came from: `embedded` or `dataverse`.
    pub source: String,
    /// When the server built this answer (RFC 3339, UTC).
    pub generated_at: String,
    /// ISO 4217 code of the organization's base currency: the currency of every deal's
    /// `valueBase`. `null` when the server does not know it (or is older than this field).
    #[serde(default)]
    pub base_currency: Option<String>,
}

/// The customer the server found in the Sales environment, and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerMatch {
    pub id: Guid,
    pub name: Option<String>,
    /// A type this reader does not know reads as `None`.
    #[serde(rename = "type", default, deserialize_with = "known_customer_type")]
    pub kind: Option<CustomerType>,
    pub matched_by: MatchedBy,
}

fn known_customer_type<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<CustomerType>, D::Error> {
    let text = Option::<String>::deserialize(deserializer)?;
    Ok(text.as_deref().and_then(CustomerType::parse))
}

/// Dataverse's two customer tables (the `_customerid_value` lookup is polymorphic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CustomerType {
    Account,
    Contact,
}

impl CustomerType {
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerType::Account => "account",
            CustomerType::Contact => "contact",
        }
    }

    /// Lenient: any case, surrounding blanks ignored.
    pub fn parse(text: &str) -> Option<CustomerType> {
        match text.trim().to_ascii_lowercase().as_str() {
            "account" => Some(CustomerType::Account),
            "contact" => Some(CustomerType::Contact),
            _ => None,
        }
    }
}

/// Which of the given keys found the customer: ids differ between environments, names are the
/// fallback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MatchedBy {
    Id,
    Name,
    /// A value a newer server sends; readers show the rest (servers never send it).
    #[serde(other)]
    Unknown,
}

impl MatchedBy {
    /// The wire name as serde reads it; any other value is `Unknown`. For readers without
    /// serde (the widget's).
    pub fn from_wire(text: &str) -> MatchedBy {
        match text {
            "id" => MatchedBy::Id,
            "name" => MatchedBy::Name,
            _ => MatchedBy::Unknown,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deal {
    pub id: Guid,
    pub name: String,
    pub status: DealStatus,
    #[serde(default)]
    pub stage: Option<String>,
    #[serde(default)]
    pub value: Option<Money>,
    /// The value in the organization's base currency (Dataverse's `estimatedvalue_base`,
    /// converted at the record's exchange rate): the amount to compare deals by. `null` when
    /// Sales holds no base value (never guessed) or the server is older than this field.
    #[serde(default)]
    pub value_base: Option<Money>,
    /// 0 to 100.
    #[serde(default)]
    pub probability: Option<u8>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub close_date: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub forecast_category: Option<ForecastCategory>,
    pub summary: Summary,
    /// Deep link into the Sales app; absent when the server has no org URL to build one from.
    #[serde(default)]
    pub link: Option<String>,
    #[serde(default)]
    pub modified_on: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DealStatus {
    Open,
    Won,
    Lost,
    /// A value a newer server sends; readers show the deal anyway (servers never send it).
    #[serde(other)]
    Unknown,
}

impl DealStatus {
    /// The wire name as serde reads it; any other value is `Unknown`.
    pub fn from_wire(text: &str) -> DealStatus {
        match text {
            "open" => DealStatus::Open,
            "won" => DealStatus::Won,
            "lost" => DealStatus::Lost,
            _ => DealStatus::Unknown,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Money {
    pub amount: f64,
    /// ISO 4217 code, e.g. `USD`.
    pub currency: String,
}

/// Dataverse's `msdyn_forecastcategory` option set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ForecastCategory {
    Pipeline,
    BestCase,
    Committed,
    Omitted,
    Won,
    Lost,
    /// A value a newer server or a customized option set sends.
    #[serde(other)]
    Other,
}

impl ForecastCategory {
    /// The wire name as serde reads it; any other value is `Other`.
    pub fn from_wire(text: &str) -> ForecastCategory {
        match text {
            "pipeline" => ForecastCategory::Pipeline,
            "bestCase" => ForecastCategory::BestCase,
            "committed" => ForecastCategory::Committed,
            "omitted" => ForecastCategory::Omitted,
            "won" => ForecastCategory::Won,
            "lost" => ForecastCategory::Lost,
            _ => ForecastCategory::Other,
        }
    }

    /// Dataverse's option values (100000001..=100000006).
    pub fn from_option_value(value: i64) -> Option<ForecastCategory> {
        Some(match value {
            100_000_001 => ForecastCategory::Pipeline,
            100_000_002 => ForecastCategory::BestCase,
            100_000_003 => ForecastCategory::Committed,
            100_000_004 => ForecastCategory::Omitted,
            100_000_005 => ForecastCategory::Won,
            100_000_006 => ForecastCategory::Lost,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub state: SummaryState,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub generated_at: Option<String>,
    /// Why an `unavailable` summary is missing, for the agent: `throttled`, `timeout` or
    /// `failed`. Absent otherwise (and from servers older than this field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Summary {
    pub fn ready(text: impl Into<String>, generated_at: impl Into<String>) -> Summary {
        Summary {
            state: SummaryState::Ready,
            text: Some(text.into()),
            generated_at: Some(generated_at.into()),
            reason: None,
        }
    }

    /// Being generated: it reaches the pane later.
    pub fn pending() -> Summary {
        Summary {
            state: SummaryState::Pending,
            text: None,
            generated_at: None,
            reason: None,
        }
    }

    /// The summary call failed or timed out, and `reason` says why.
    pub fn unavailable_because(reason: impl Into<String>) -> Summary {
        Summary {
            reason: Some(reason.into()),
            ..Summary::unavailable()
        }
    }

    pub fn unavailable() -> Summary {
        Summary {
            state: SummaryState::Unavailable,
            text: None,
            generated_at: None,
            reason: None,
        }
    }

    pub fn disabled() -> Summary {
        Summary {
            state: SummaryState::Disabled,
            text: None,
            generated_at: None,
            reason: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SummaryState {
    /// `text` holds the summary.
    Ready,
    /// The summary call failed; the deal still shows.
    Unavailable,
    /// An admin turned summaries off.
    Disabled,
    /// Being generated in the background: the pane asks again for it.
    Pending,
    /// A state a newer server sends: readers show it as not available (servers never send it).
    #[serde(other)]
    Unknown,
}

impl SummaryState {
    /// The wire name as serde reads it; any other value is `Unknown`.
    pub fn from_wire(text: &str) -> SummaryState {
        match text {
            "ready" => SummaryState::Ready,
            "unavailable" => SummaryState::Unavailable,
            "disabled" => SummaryState::Disabled,
            "pending" => SummaryState::Pending,
            _ => SummaryState::Unknown,
        }
    }
}

/// `GET /api/customers?q=&top=`: the standalone preview's picker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerList {
    pub customers: Vec<CustomerRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerRef {
    pub id: Guid,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: CustomerType,
    /// Open deals, when the source knows it cheaply.
    #[serde(default)]
    pub open_deals: Option<u32>,
}

/// `GET /api/health`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    /// `ok` or `degraded`.
    pub status: String,
    pub source: String,
    pub version: String,
    #[serde(default)]
    pub customers: Option<u64>,
    #[serde(default)]
    pub deals: Option<u64>,
    /// What works less well than it could, though the source answers (e.g. a Sales environment
    /// without the Forecasting solution lists deals without a forecast category). Empty: nothing.
    #[serde(default)]
    pub degradations: Vec<Degradation>,
    /// What this instance has asked of the Sales source since it started, for benchmarks:
    /// absent from servers older than this field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstream: Option<UpstreamUse>,
}

/// Counters of one server instance's calls to the Sales source (Dataverse's budget is counted
/// in requests and in execution seconds).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpstreamUse {
    /// Every call: lookups, deal lists, summaries, health checks.
    #[serde(default)]
    pub calls: u64,
    /// Calls of the summary action (retries included).
    #[serde(default)]
    pub summary_calls: u64,
    /// Their summed duration, in seconds: what they cost of the execution-time limit.
    #[serde(default)]
    pub summary_seconds: f64,
}

/// One way a source answers with less than it could; `code` is for machines, `detail` for an
/// administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Degradation {
    /// A stable camelCase name, e.g. `forecastCategoryMissing`.
    pub code: String,
    pub detail: String,
}

/// An `application/problem+json` body (RFC 9457) with dealpane's `traceId` extension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    #[serde(rename = "type", default = "Problem::default_type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
}

impl Problem {
    pub const MEDIA_TYPE: &'static str = "application/problem+json";

    fn default_type() -> String {
        "about:blank".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `from_wire` reads each name as serde does, the unknown variant included.
    #[test]
    fn wire_names_read_as_serde_reads_them() {
        fn agrees<T>(from_wire: fn(&str) -> T, names: &[&str])
        where
            T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
        {
            for name in names.iter().chain(&["somethingNew", "Open", ""]) {
                let by_serde: T = serde_json::from_value(serde_json::json!(name)).unwrap();
                assert_eq!(from_wire(name), by_serde, "{name}");
            }
        }
        agrees(MatchedBy::from_wire, &["id", "name"]);
        agrees(DealStatus::from_wire, &["open", "won", "lost"]);
        agrees(
            ForecastCategory::from_wire,
            &[
                "pipeline",
                "bestCase",
                "committed",
                "omitted",
                "won",
                "lost",
            ],
        );
        agrees(
            SummaryState::from_wire,
            &["ready", "unavailable", "disabled", "pending"],
        );
    }

    /// DESIGN.md's example, with the elisions filled in.
    const DESIGN_EXAMPLE: &str = r#"{
      "customer": {"id": "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "name": "Contoso Pharmaceuticals", "type": "account", "matchedBy": "id"},
      "deals": [{
        "id": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", "name": "Espresso machines for 4 sites", "status": "open",
        "stage": "Propose", "value": {"amount": 250000.0, "currency": "USD"},
        "valueBase": {"amount": 250000.0, "currency": "USD"}, "probability": 70,
        "closeDate": "2026-12-15", "owner": "Alex Wu", "forecastCategory": "bestCase",
        "summary": {"state": "ready", "text": "Alex Wu proposed four machines.", "generatedAt": "2026-11-22T07:30:00Z"},
        "link": "https://org.crm.dynamics.com/main.aspx?appid=1&pagetype=entityrecord&etn=opportunity&id=9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d",
        "modifiedOn": "2026-11-18T10:00:00Z"
      }],
      "source": "embedded", "generatedAt": "2026-11-22T07:30:00Z", "baseCurrency": "USD"
    }"#;

    #[test]
    fn design_example_round_trips() {
        let parsed: DealSummaryResponse = serde_json::from_str(DESIGN_EXAMPLE).unwrap();
        assert_eq!(parsed.customer.kind, Some(CustomerType::Account));
        assert_eq!(parsed.customer.matched_by, MatchedBy::Id);
        let deal = &parsed.deals[0];
        assert_eq!(deal.forecast_category, Some(ForecastCategory::BestCase));
        assert_eq!(deal.value.as_ref().unwrap().amount, 250000.0);
        assert_eq!(deal.summary.state, SummaryState::Ready);

        let written = serde_json::to_value(&parsed).unwrap();
        let original: serde_json::Value = serde_json::from_str(DESIGN_EXAMPLE).unwrap();
        assert_eq!(written, original, "every field keeps its name and value");
    }

    #[test]
    fn nulls_and_absent_fields_where_allowed() {
        let json = r#"{"id": "{9B1DEB4D-3B7D-4BAD-9BDD-2B0D7B3DCB6D}", "name": "n", "status": "open",
            "stage": null, "value": null, "probability": null, "closeDate": null, "owner": null,
            "forecastCategory": null, "summary": {"state": "unavailable"}, "link": null}"#;
        let deal: Deal = serde_json::from_str(json).unwrap();
        assert_eq!(deal.id.to_string(), "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d");
        assert_eq!(deal.value, None);
        assert_eq!(deal.modified_on, None);
        assert_eq!(deal.summary, Summary::unavailable());
    }

    #[test]
    fn an_older_answer_without_base_values_still_parses_and_a_new_one_says_null() {
        let mut older: serde_json::Value = serde_json::from_str(DESIGN_EXAMPLE).unwrap();
        older.as_object_mut().unwrap().remove("baseCurrency");
        older["deals"][0]
            .as_object_mut()
            .unwrap()
            .remove("valueBase");
        let parsed: DealSummaryResponse = serde_json::from_value(older).unwrap();
        assert_eq!(parsed.base_currency, None);
        assert_eq!(parsed.deals[0].value_base, None);

        let written = serde_json::to_value(&parsed).unwrap();
        assert_eq!(written["baseCurrency"], serde_json::Value::Null);
        assert!(
            written.get("baseCurrency").is_some(),
            "sent as null, not left out"
        );
        assert_eq!(written["deals"][0]["valueBase"], serde_json::Value::Null);
        assert!(written["deals"][0].get("valueBase").is_some());
    }

    #[test]
    fn health_lists_degradations_and_older_health_has_none() {
        let older: Health =
            serde_json::from_str(r#"{"status":"ok","source":"dataverse","version":"0.1.0"}"#)
                .unwrap();
        assert!(older.degradations.is_empty());
        let health = Health {
            degradations: vec![Degradation {
                code: "forecastCategoryMissing".into(),
                detail: "No forecasting.".into(),
            }],
            ..older
        };
        let value = serde_json::to_value(&health).unwrap();
        assert_eq!(value["degradations"][0]["code"], "forecastCategoryMissing");
        assert_eq!(value["degradations"][0]["detail"], "No forecasting.");
    }

    #[test]
    fn required_fields_stay_required() {
        for missing in ["id", "name", "status", "summary"] {
            let mut deal = serde_json::json!({"id": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d",
                "name": "n", "status": "open", "summary": {"state": "disabled"}});
            deal.as_object_mut().unwrap().remove(missing);
            assert!(
                serde_json::from_value::<Deal>(deal).is_err(),
                "{missing} is required"
            );
        }
    }

    #[test]
    fn unknown_fields_and_values_are_tolerated() {
        let json = r#"{"customers": [{"id": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", "name": "A",
            "type": "contact", "futureField": [1, 2]}], "paging": {}}"#;
        let list: CustomerList = serde_json::from_str(json).unwrap();
        assert_eq!(list.customers[0].kind, CustomerType::Contact);
        let category: ForecastCategory = serde_json::from_str(r#""upside""#).unwrap();
        assert_eq!(category, ForecastCategory::Other);
    }

    #[test]
    fn a_newer_servers_values_read_as_unknown_and_the_rest_still_parses() {
        let mut newer: serde_json::Value = serde_json::from_str(DESIGN_EXAMPLE).unwrap();
        newer["customer"]["matchedBy"] = "email".into();
        newer["customer"]["type"] = "lead".into();
        newer["customer"]["segment"] = "enterprise".into();
        let deal = &mut newer["deals"][0];
        deal["status"] = "paused".into();
        deal["forecastCategory"] = "stretch".into();
        deal["summary"] = serde_json::json!({"state": "drafting", "progress": 0.4});
        deal["health"] = serde_json::json!({"score": 3});
        let parsed: DealSummaryResponse = serde_json::from_value(newer).unwrap();
        assert_eq!(parsed.customer.matched_by, MatchedBy::Unknown);
        assert_eq!(parsed.customer.kind, None);
        let deal = &parsed.deals[0];
        assert_eq!(deal.status, DealStatus::Unknown);
        assert_eq!(deal.forecast_category, Some(ForecastCategory::Other));
        assert_eq!(deal.summary.state, SummaryState::Unknown);
        assert_eq!(
            deal.name, "Espresso machines for 4 sites",
            "the rest is read"
        );
        assert_eq!(deal.value.as_ref().unwrap().amount, 250000.0);
    }

    #[test]
    fn a_pending_summary_and_an_unavailable_ones_reason_are_read() {
        let pending: Summary = serde_json::from_str(r#"{"state": "pending"}"#).unwrap();
        assert_eq!(pending, Summary::pending());
        let throttled: Summary =
            serde_json::from_str(r#"{"state": "unavailable", "reason": "throttled"}"#).unwrap();
        assert_eq!(throttled, Summary::unavailable_because("throttled"));
    }

    #[test]
    fn a_malformed_guid_is_a_deserialization_error_that_says_why() {
        let json = r#"{"id": "not-a-guid", "name": "n", "status": "open", "summary": {"state": "disabled"}}"#;
        let error = serde_json::from_str::<Deal>(json).unwrap_err().to_string();
        assert!(error.contains("not a hex digit"), "{error}");
    }

    #[test]
    fn problem_json_has_rfc9457_names_and_trace_id() {
        let problem = Problem {
            kind: "about:blank".into(),
            title: "Customer not found".into(),
            status: 404,
            detail: Some("No account or contact named 'X'.".into()),
            instance: None,
            trace_id: Some("00-abc-01".into()),
        };
        let value = serde_json::to_value(&problem).unwrap();
        assert_eq!(value["type"], "about:blank");
        assert_eq!(value["traceId"], "00-abc-01");
        assert!(value.get("instance").is_none());
        let minimal: Problem = serde_json::from_str(r#"{"title": "Bad", "status": 400}"#).unwrap();
        assert_eq!(minimal.kind, "about:blank");
    }
}
