//! Unbound actions and functions: `WhoAmI` and `msdyn_SalesOpportunitySummary`.

use axum::http::StatusCode;
use axum::response::Response;
use dealpane_contract::Guid;
use serde_json::{json, Value};

use super::{odata_error, odata_response, RecordedRequest, State, API, SUMMARY_ACTION};

/// What `msdyn_SalesOpportunitySummary` answers for one deal.
#[derive(Debug, Clone, PartialEq)]
pub enum SummaryAnswer {
    /// 200 with `msdyn_summary_raw` set to this text.
    Text(String),
    /// An error with the generic body.
    Fail {
        status: u16,
        code: String,
        message: String,
    },
}

pub(super) fn summary(state: &State, request: &RecordedRequest) -> Response {
    let body: Value = serde_json::from_str(&request.body).unwrap_or(Value::Null);
    let id = body["msdyn_id"]
        .as_str()
        .and_then(|id| Guid::parse(id).ok());
    let (Some(id), true) = (id, body["msdyn_activityId"] == body["msdyn_id"]) else {
        return odata_error(
            StatusCode::BAD_REQUEST,
            "0x80040203",
            "Expected msdyn_id and msdyn_activityId, both the opportunity id as a string.",
        );
    };
    let Some(deal) = state.tables["opportunities"]
        .rows
        .iter()
        .find(|row| row["opportunityid"] == id.to_string())
    else {
        return odata_error(
            StatusCode::NOT_FOUND,
            "0x80040217",
            &format!("opportunity With Id = {id} Does Not Exist"),
        );
    };
    let text = match state.summaries.get(&id) {
        Some(SummaryAnswer::Fail {
            status,
            code,
            message,
        }) => return odata_error(StatusCode::from_u16(*status).unwrap(), code, message),
        Some(SummaryAnswer::Text(text)) => text.clone(),
        None => format!(
            "{} is in stage Propose; the customer asked for a revised quote.",
            deal["name"].as_str().unwrap_or("")
        ),
    };
    let body = json!({
        "@odata.context": format!("{}{API}$metadata#Microsoft.Dynamics.CRM.{SUMMARY_ACTION}Response", state.base_url),
        "msdyn_summary_raw": text,
    });
    odata_response(StatusCode::OK, body.to_string(), &[])
}

pub(super) fn who_am_i(state: &State) -> Response {
    let body = json!({
        "@odata.context": format!("{}{API}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse", state.base_url),
        "BusinessUnitId": "0c9e8f7a-0000-4000-8000-0000000000e1",
        "UserId": "0c9e8f7a-0000-4000-8000-0000000000e2",
        "OrganizationId": "0c9e8f7a-0000-4000-8000-0000000000e3"
    });
    odata_response(StatusCode::OK, body.to_string(), &[])
}
