//! A local Dataverse + Entra ID that speaks the wire shapes of
//! `shared/reference/dataverse-webapi-shapes.md`: the client-credentials token endpoint, the
//! Web API v9.2 collection queries on `accounts`, `contacts`, `opportunities` (with `$select`,
//! `$filter`, `$orderby`, `$top`, `$expand`, formatted-value annotations, `@odata.nextLink`
//! paging), `WhoAmI`, and the `msdyn_SalesOpportunitySummary` action.
//!
//! Knobs: [`DataverseStandin::inject`] queues faults (429 with `Retry-After`, 503, delays,
//! malformed bodies, expired tokens) for the next API requests; summaries per deal; token
//! lifetime. Counters: every request is recorded ([`DataverseStandin::requests`]) with its
//! decoded query options, so tests assert the exact `$filter` text received.
//!
//! Choices where the reference says "not documented": quoted GUIDs are accepted and compared as
//! text; a 401 for a bad token carries the generic error body with code `0x80072182`
//! (made up); 503 bodies are plain text; a comma-joined `Prefer` line works like several lines.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use dealpane_contract::Guid;
use dealpane_server::source::dataverse::{DataverseConfig, Secret};
use serde_json::{json, Map, Value};
use tokio::task::JoinHandle;

pub const TENANT: &str = "5f0c6a2e-0000-4000-8000-0000000000aa";
pub const CLIENT_ID: &str = "00001111-aaaa-2222-bbbb-3333cccc4444";
/// Has a `+` and a `~`, so a client that forgets to form-encode it fails.
pub const CLIENT_SECRET: &str = "Abc~8Q+ex&ample";
const API: &str = "/api/data/v9.2/";
const SUMMARY_ACTION: &str = "msdyn_SalesOpportunitySummary";
const FORMATTED: &str = "@OData.Community.Display.V1.FormattedValue";
const LOGICAL_NAME: &str = "@Microsoft.Dynamics.CRM.lookuplogicalname";
const NAVIGATION: &str = "@Microsoft.Dynamics.CRM.associatednavigationproperty";
pub const USD: Guid = Guid::from_u128(0x228f42f8_e646_e111_8eb7_78e7d162ced1);
pub const EUR: Guid = Guid::from_u128(0x228f42f8_e646_e111_8eb7_78e7d162ced2);

/// Something to go wrong with one upcoming API request (not token requests).
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// 429 with `Retry-After: <seconds>` and the documented request-count error.
    TooManyRequests { retry_after_secs: u64 },
    /// 503 with a plain-text body.
    Unavailable,
    /// Answer normally, but only after this long.
    Delay(Duration),
    /// 200 with a JSON body cut short.
    MalformedBody,
    /// Every issued token stops working before this request is checked (so it gets a 401).
    ExpireTokens,
}

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

/// One request as the stand-in received it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    /// Query options, percent-decoded (`+` read as a space, as Dataverse does).
    pub query: Vec<(String, String)>,
    /// Every `Prefer` preference, split at commas outside quotes.
    pub prefer: Vec<String>,
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    pub body: String,
}

impl RecordedRequest {
    pub fn option(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The form fields of a token request.
    pub fn form(&self) -> HashMap<String, String> {
        parse_query(&self.body).into_iter().collect()
    }
}

/// A stand-in listening on `127.0.0.1:<random port>`; stops when dropped.
pub struct DataverseStandin {
    /// `http://127.0.0.1:<port>`: both the org URL and the authority.
    pub base_url: String,
    state: Arc<Mutex<State>>,
    task: JoinHandle<()>,
}

impl Drop for DataverseStandin {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl DataverseStandin {
    pub async fn start() -> DataverseStandin {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the stand-in");
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::new(&base_url)));
        let app = Router::new().fallback(handle).with_state(state.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("stand-in serves");
        });
        DataverseStandin {
            base_url,
            state,
            task,
        }
    }

    /// A configuration that reaches this stand-in with the right credentials, short timeouts
    /// and short waits.
    pub fn config(&self) -> DataverseConfig {
        let mut config = DataverseConfig::new(
            &self.base_url,
            TENANT,
            CLIENT_ID,
            Secret::new(CLIENT_SECRET),
        );
        config.authority = self.base_url.clone();
        config.app_id = Some("0a1b2c3d-0000-4000-8000-000000000001".to_owned());
        config.request_timeout = Duration::from_secs(5);
        config.max_retries = 3;
        config.max_retry_wait = Duration::from_secs(2);
        config
    }

    pub fn token_path(&self) -> String {
        format!("/{TENANT}/oauth2/v2.0/token")
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.state.lock().unwrap())
    }

    pub fn add_account(&self, name: &str) -> Guid {
        self.add_account_modified(name, "2026-01-01T00:00:00Z")
    }

    pub fn add_account_modified(&self, name: &str, modified_on: &str) -> Guid {
        self.with(|state| {
            let id = state.next_id();
            state.insert(
                "accounts",
                json!({"accountid": id.to_string(), "name": name, "modifiedon": modified_on}),
            );
            id
        })
    }

    pub fn add_contact(&self, fullname: &str) -> Guid {
        self.with(|state| {
            let id = state.next_id();
            state.insert(
                "contacts",
                json!({"contactid": id.to_string(), "fullname": fullname,
                       "modifiedon": "2026-01-01T00:00:00Z"}),
            );
            id
        })
    }

    /// Adds the deal (a zero `id` gets a fresh one) and answers its id.
    pub fn add_opportunity(&self, mut deal: Opportunity) -> Guid {
        self.with(|state| {
            if deal.id.as_u128() == 0 {
                deal.id = state.next_id();
            }
            let row = state.opportunity_row(&deal);
            state.insert("opportunities", row);
            deal.id
        })
    }

    pub fn set_summary(&self, deal: Guid, answer: SummaryAnswer) {
        self.with(|state| state.summaries.insert(deal, answer));
    }

    /// The next `times` API requests (optionally only those whose path contains
    /// `path_contains`) meet `fault`, after any faults queued before.
    pub fn inject(&self, fault: Fault, times: usize) {
        self.inject_for("", fault, times);
    }

    pub fn inject_for(&self, path_contains: &str, fault: Fault, times: usize) {
        self.with(|state| {
            for _ in 0..times {
                state
                    .faults
                    .push_back((path_contains.to_owned(), fault.clone()));
            }
        });
    }

    /// Revokes every token issued so far (Dataverse then answers 401).
    pub fn expire_tokens(&self) {
        self.with(|state| state.valid_tokens.clear());
    }

    /// `expires_in` of the tokens issued from now on (default 3599).
    pub fn set_token_lifetime(&self, seconds: u64) {
        self.with(|state| state.token_lifetime = seconds);
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.with(|state| state.requests.clone())
    }

    /// How many requests reached exactly this path (e.g. `/api/data/v9.2/opportunities`).
    pub fn count(&self, path: &str) -> usize {
        self.with(|state| state.requests.iter().filter(|r| r.path == path).count())
    }

    pub fn token_requests(&self) -> usize {
        self.count(&self.token_path())
    }

    /// API requests (everything but tokens).
    pub fn api_requests(&self) -> usize {
        self.with(|state| {
            state
                .requests
                .iter()
                .filter(|r| r.path.starts_with(API))
                .count()
        })
    }

    /// The decoded `$filter` of every request that had one, in arrival order.
    pub fn filters(&self) -> Vec<String> {
        self.requests()
            .iter()
            .filter_map(|r| r.option("$filter").map(str::to_owned))
            .collect()
    }

    pub fn clear_requests(&self) {
        self.with(|state| state.requests.clear());
    }
}

struct Table {
    logical_name: &'static str,
    key: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Map<String, Value>>,
}

struct State {
    base_url: String,
    tables: HashMap<&'static str, Table>,
    summaries: HashMap<Guid, SummaryAnswer>,
    faults: VecDeque<(String, Fault)>,
    valid_tokens: HashSet<String>,
    issued_tokens: u64,
    token_lifetime: u64,
    requests: Vec<RecordedRequest>,
    ids: u128,
    etag: u64,
}

impl State {
    fn new(base_url: &str) -> State {
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
        State {
            base_url: base_url.to_owned(),
            tables,
            summaries: HashMap::new(),
            faults: VecDeque::new(),
            valid_tokens: HashSet::new(),
            issued_tokens: 0,
            token_lifetime: 3599,
            requests: Vec::new(),
            ids: 0,
            etag: 4_410_000,
        }
    }

    fn next_id(&mut self) -> Guid {
        self.ids += 1;
        Guid::from_u128(0x7d1e0a6b_0000_4000_8000_000000000000 + self.ids)
    }

    fn insert(&mut self, set: &'static str, row: Value) {
        self.tables.get_mut(set).unwrap().rows.push(object(row));
    }

    fn customer_of(&self, id: Guid) -> Option<(&'static str, String)> {
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
    fn opportunity_row(&self, deal: &Opportunity) -> Value {
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

// ---------------------------------------------------------------------------------------------
// Requests

async fn handle(
    axum::extract::State(state): axum::extract::State<Arc<Mutex<State>>>,
    request: Request<Body>,
) -> Response {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, 1 << 20).await.unwrap_or_default();
    let recorded = RecordedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parse_query(parts.uri.query().unwrap_or("")),
        prefer: preferences(&parts.headers),
        authorization: header_text(&parts.headers, header::AUTHORIZATION),
        content_type: header_text(&parts.headers, header::CONTENT_TYPE),
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let raw_query = parts.uri.query().unwrap_or("").to_owned();
    let fault = {
        let mut state = state.lock().unwrap();
        state.requests.push(recorded.clone());
        if recorded.path.starts_with(API) {
            let position = state
                .faults
                .iter()
                .position(|(filter, _)| recorded.path.contains(filter.as_str()));
            position
                .and_then(|at| state.faults.remove(at))
                .map(|(_, f)| f)
        } else {
            None
        }
    };
    if recorded.path == format!("/{TENANT}/oauth2/v2.0/token") && parts.method == Method::POST {
        return token(&state, &recorded);
    }
    if !recorded.path.starts_with(API) {
        return (StatusCode::NOT_FOUND, "no such endpoint in the stand-in").into_response();
    }
    match fault {
        Some(Fault::TooManyRequests { retry_after_secs }) => {
            let mut response = odata_error(
                StatusCode::TOO_MANY_REQUESTS,
                "0x80072322",
                "Number of requests exceeded the limit of 6000 over time window of 300 seconds.",
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, retry_after_secs.into());
            return response;
        }
        Some(Fault::Unavailable) => {
            return (StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable").into_response()
        }
        Some(Fault::Delay(delay)) => tokio::time::sleep(delay).await,
        Some(Fault::MalformedBody) => {
            return odata_response(StatusCode::OK, r#"{"value": [{"name": "#.to_owned(), &[])
        }
        Some(Fault::ExpireTokens) => state.lock().unwrap().valid_tokens.clear(),
        None => {}
    }
    let state = state.lock().unwrap();
    let token = recorded
        .authorization
        .as_deref()
        .and_then(|value| value.strip_prefix("Bearer "));
    if !token.is_some_and(|token| state.valid_tokens.contains(token)) {
        let mut response = odata_error(
            StatusCode::UNAUTHORIZED,
            "0x80072182",
            "The access token is missing, invalid or expired.",
        );
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            "Bearer error=\"invalid_token\"".parse().unwrap(),
        );
        return response;
    }
    let resource = &recorded.path[API.len()..];
    match (parts.method, resource) {
        (Method::GET, "WhoAmI") => {
            let body = json!({
                "@odata.context": format!("{}{API}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse", state.base_url),
                "BusinessUnitId": "0c9e8f7a-0000-4000-8000-0000000000e1",
                "UserId": "0c9e8f7a-0000-4000-8000-0000000000e2",
                "OrganizationId": "0c9e8f7a-0000-4000-8000-0000000000e3"
            });
            odata_response(StatusCode::OK, body.to_string(), &[])
        }
        (Method::GET, set) if state.tables.contains_key(set) => {
            collection(&state, set, &recorded, &raw_query)
        }
        (Method::POST, SUMMARY_ACTION) => summary(&state, &recorded),
        _ => odata_error(
            StatusCode::NOT_FOUND,
            "0x80060888",
            &format!("Resource not found for the segment '{resource}'."),
        ),
    }
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

/// All `Prefer` lines, each split at commas that are not inside quotes.
fn preferences(headers: &HeaderMap) -> Vec<String> {
    let mut found = Vec::new();
    for line in headers.get_all("prefer") {
        let text = line.to_str().unwrap_or("");
        let mut current = String::new();
        let mut quoted = false;
        for c in text.chars() {
            match c {
                '"' => {
                    quoted = !quoted;
                    current.push(c);
                }
                ',' if !quoted => found.push(std::mem::take(&mut current).trim().to_owned()),
                _ => current.push(c),
            }
        }
        found.push(current.trim().to_owned());
    }
    found.retain(|preference| !preference.is_empty());
    found
}

/// `a=b&c=d` with percent-decoding; `+` is a space (so an unencoded `+` is lost, as in
/// Dataverse).
pub fn parse_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect()
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(&text.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

fn odata_response(status: StatusCode, body: String, applied: &[String]) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        "application/json; odata.metadata=minimal".parse().unwrap(),
    );
    headers.insert("OData-Version", "4.0".parse().unwrap());
    for preference in applied {
        headers.append("Preference-Applied", preference.parse().unwrap());
    }
    response
}

fn odata_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({"error": {"code": code, "message": message}});
    odata_response(status, body.to_string(), &[])
}

fn token(state: &Mutex<State>, request: &RecordedRequest) -> Response {
    let form = request.form();
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    let mut state = state.lock().unwrap();
    let expected_scope = format!("{}/.default", state.base_url);
    let refusal = if !request
        .content_type
        .as_deref()
        .unwrap_or("")
        .starts_with("application/x-www-form-urlencoded")
    {
        Some((
            400,
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'grant_type'.",
        ))
    } else if field("grant_type") != "client_credentials" {
        Some((
            400,
            "unsupported_grant_type",
            70003,
            "The app requested an unsupported grant type.",
        ))
    } else if field("client_id") != CLIENT_ID {
        Some((
            400,
            "unauthorized_client",
            700016,
            "Application with identifier was not found in the directory.",
        ))
    } else if field("client_secret") != CLIENT_SECRET {
        Some((401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID."))
    } else if !field("scope").ends_with("/.default") {
        Some((
            400,
            "invalid_scope",
            70011,
            "The provided value for the input parameter 'scope' is not valid.",
        ))
    } else if field("scope") != expected_scope {
        Some((
            400,
            "invalid_resource",
            500011,
            "The resource principal was not found in the tenant.",
        ))
    } else {
        None
    };
    if let Some((status, error, code, text)) = refusal {
        let trace = "5f0c6a2e-0000-4000-8000-0000000000a1";
        let body = json!({
            "error": error,
            "error_description": format!("AADSTS{code}: {text}\r\nTrace ID: {trace}\r\nCorrelation ID: 9a1b7c3d-0000-4000-8000-0000000000b2\r\nTimestamp: 2026-03-01 10:15:00Z"),
            "error_codes": [code],
            "timestamp": "2026-03-01 10:15:00Z",
            "trace_id": trace,
            "correlation_id": "9a1b7c3d-0000-4000-8000-0000000000b2",
        });
        let mut response =
            (StatusCode::from_u16(status).unwrap(), body.to_string()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            "application/json; charset=utf-8".parse().unwrap(),
        );
        return response;
    }
    state.issued_tokens += 1;
    let access_token = format!("standin-token-{}", state.issued_tokens);
    state.valid_tokens.insert(access_token.clone());
    let body = json!({
        "token_type": "Bearer",
        "expires_in": state.token_lifetime,
        "ext_expires_in": state.token_lifetime,
        "access_token": access_token,
    });
    let mut response = (StatusCode::OK, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        "application/json; charset=utf-8".parse().unwrap(),
    );
    response
}

fn summary(state: &State, request: &RecordedRequest) -> Response {
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

// ---------------------------------------------------------------------------------------------
// Collection queries

fn collection(state: &State, set: &str, request: &RecordedRequest, raw_query: &str) -> Response {
    match run_query(state, set, request, raw_query) {
        Ok((body, applied)) => odata_response(StatusCode::OK, body.to_string(), &applied),
        Err(message) => odata_error(StatusCode::BAD_REQUEST, "0x80060888", &message),
    }
}

fn run_query(
    state: &State,
    set: &str,
    request: &RecordedRequest,
    raw_query: &str,
) -> Result<(Value, Vec<String>), String> {
    let table = &state.tables[set];
    for (name, _) in &request.query {
        if name.starts_with('$')
            && ![
                "$select",
                "$filter",
                "$orderby",
                "$top",
                "$expand",
                "$skiptoken",
            ]
            .contains(&name.as_str())
        {
            return Err(format!("The query parameter {name} is not supported"));
        }
    }
    let select: Vec<String> = match request.option("$select") {
        Some(list) => list.split(',').map(|c| c.trim().to_owned()).collect(),
        None => table.columns.iter().map(|c| c.to_string()).collect(),
    };
    for column in &select {
        check_property(state, set, column)?;
    }
    let filter = match request.option("$filter") {
        Some(text) => Some(filter::parse(text, &|path| {
            check_property(state, set, path)
        })?),
        None => None,
    };
    let mut rows: Vec<&Map<String, Value>> = table
        .rows
        .iter()
        .filter(|row| {
            filter
                .as_ref()
                .is_none_or(|f| f.matches(&|path| property(state, set, row, path)))
        })
        .collect();
    if let Some(order) = request.option("$orderby") {
        let mut keys = Vec::new();
        for item in order.split(',') {
            let mut words = item.split_whitespace();
            let column = words.next().unwrap_or("").to_owned();
            check_property(state, set, &column)?;
            let descending = match words.next() {
                None | Some("asc") => false,
                Some("desc") => true,
                Some(other) => return Err(format!("Syntax error: '{other}' in $orderby")),
            };
            keys.push((column, descending));
        }
        rows.sort_by(|a, b| {
            keys.iter()
                .map(|(column, descending)| {
                    let ordering = filter::compare_for_order(
                        &property(state, set, a, column),
                        &property(state, set, b, column),
                    );
                    if *descending {
                        ordering.reverse()
                    } else {
                        ordering
                    }
                })
                .find(|ordering| ordering.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    }
    if let Some(top) = request.option("$top") {
        let top: usize = top
            .parse()
            .map_err(|_| format!("Invalid $top value '{top}'"))?;
        rows.truncate(top);
    }
    let mut applied = Vec::new();
    let annotations = request
        .prefer
        .iter()
        .find_map(|p| p.strip_prefix("odata.include-annotations="))
        .map(|list| list.trim_matches('"').to_owned());
    if let Some(list) = &annotations {
        applied.push(format!("odata.include-annotations=\"{list}\""));
    }
    let page_size = request
        .prefer
        .iter()
        .find_map(|p| p.strip_prefix("odata.maxpagesize="))
        .and_then(|size| size.parse::<usize>().ok())
        .map(|size| {
            applied.push(format!("odata.maxpagesize={size}"));
            size.clamp(1, 5000)
        })
        .unwrap_or(5000);
    let skip: usize = request
        .option("$skiptoken")
        .and_then(|token| token.strip_prefix("page-"))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let page: Vec<Value> = rows
        .iter()
        .skip(skip)
        .take(page_size)
        .map(|row| render(state, set, row, &select, annotations.as_deref(), request))
        .collect::<Result<_, _>>()?;
    let mut body = Map::new();
    body.insert(
        "@odata.context".into(),
        json!(format!(
            "{}{API}$metadata#{set}({})",
            state.base_url,
            select.join(",")
        )),
    );
    body.insert("value".into(), Value::Array(page));
    if rows.len() > skip + page_size {
        let kept: Vec<&str> = raw_query
            .split('&')
            .filter(|pair| !pair.starts_with("$skiptoken="))
            .collect();
        body.insert(
            "@odata.nextLink".into(),
            json!(format!(
                "{}{API}{set}?{}&$skiptoken=page-{}",
                state.base_url,
                kept.join("&"),
                skip + page_size
            )),
        );
    }
    Ok((Value::Object(body), applied))
}

/// The single-valued navigation properties the stand-in knows: (lookup, target set, kind).
fn navigation(set: &str, name: &str) -> Option<(&'static str, &'static str, Option<&'static str>)> {
    match (set, name) {
        ("opportunities", "customerid_account") => {
            Some(("_customerid_value", "accounts", Some("account")))
        }
        ("opportunities", "customerid_contact") => {
            Some(("_customerid_value", "contacts", Some("contact")))
        }
        ("opportunities", "transactioncurrencyid") => Some((
            "_transactioncurrencyid_value",
            "transactioncurrencies",
            None,
        )),
        _ => None,
    }
}

fn check_property(state: &State, set: &str, path: &str) -> Result<(), String> {
    let table = &state.tables[set];
    let known = match path.split_once('/') {
        Some((nav, column)) => navigation(set, nav)
            .is_some_and(|(_, target, _)| state.tables[target].columns.contains(&column)),
        None => table.columns.contains(&path),
    };
    if known {
        Ok(())
    } else {
        Err(format!(
            "Could not find a property named '{path}' on type 'Microsoft.Dynamics.CRM.{}'.",
            table.logical_name
        ))
    }
}

fn related<'a>(
    state: &'a State,
    set: &str,
    row: &Map<String, Value>,
    nav: &str,
) -> Option<&'a Map<String, Value>> {
    let (lookup, target, kind) = navigation(set, nav)?;
    if let Some(kind) = kind {
        if row.get(&format!("{lookup}{LOGICAL_NAME}")) != Some(&json!(kind)) {
            return None;
        }
    }
    let id = row.get(lookup)?.as_str()?;
    let target = &state.tables[target];
    target
        .rows
        .iter()
        .find(|candidate| candidate[target.key].as_str() == Some(id))
}

fn property(state: &State, set: &str, row: &Map<String, Value>, path: &str) -> Value {
    match path.split_once('/') {
        Some((nav, column)) => related(state, set, row, nav)
            .and_then(|target| target.get(column).cloned())
            .unwrap_or(Value::Null),
        None => row.get(path).cloned().unwrap_or(Value::Null),
    }
}

fn render(
    state: &State,
    set: &str,
    row: &Map<String, Value>,
    select: &[String],
    annotations: Option<&str>,
    request: &RecordedRequest,
) -> Result<Value, String> {
    let table = &state.tables[set];
    let wants = |term: &str| {
        annotations.is_some_and(|list| {
            list.split(',')
                .any(|asked| asked == "*" || asked == term.trim_start_matches('@'))
        })
    };
    let mut columns: Vec<&str> = select.iter().map(String::as_str).collect();
    columns.push(table.key);
    if columns.contains(&"estimatedvalue") {
        columns.push("_transactioncurrencyid_value");
    }
    let mut out = Map::new();
    out.insert(
        "@odata.etag".into(),
        json!(format!("W/\"{}\"", state.etag + row.len() as u64)),
    );
    for column in columns {
        if out.contains_key(column) {
            continue;
        }
        let value = row.get(column).cloned().unwrap_or(Value::Null);
        if !value.is_null() {
            for term in [FORMATTED, LOGICAL_NAME, NAVIGATION] {
                let key = format!("{column}{term}");
                if let (Some(annotation), true) = (row.get(&key), wants(term)) {
                    out.insert(key, annotation.clone());
                }
            }
        }
        out.insert(column.to_owned(), value);
    }
    if let Some(expand) = request.option("$expand") {
        for item in split_top_level(expand) {
            let (nav, options) = match item.split_once('(') {
                Some((nav, rest)) => (nav.trim(), rest.trim_end_matches(')')),
                None => (item.trim(), ""),
            };
            let (_, target_set, _) = navigation(set, nav).ok_or_else(|| {
                format!(
                    "Could not find a property named '{nav}' on type 'Microsoft.Dynamics.CRM.{}'.",
                    table.logical_name
                )
            })?;
            let target = &state.tables[target_set];
            let mut wanted: Vec<&str> = match options.strip_prefix("$select=") {
                Some(list) => list.split(',').collect(),
                None => target.columns.to_vec(),
            };
            wanted.push(target.key);
            let expanded = related(state, set, row, nav).map(|related| {
                let mut object = Map::new();
                for column in wanted {
                    object.insert(
                        column.to_owned(),
                        related.get(column).cloned().unwrap_or(Value::Null),
                    );
                }
                Value::Object(object)
            });
            out.insert(nav.to_owned(), expanded.unwrap_or(Value::Null));
        }
    }
    Ok(Value::Object(out))
}

/// `a($select=x,y),b` → `["a($select=x,y)", "b"]`.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (at, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// A small `$filter` language: `and or not ( )`, `eq ne gt ge lt le`, `contains startswith
/// endswith`, string literals with `''`, unquoted GUIDs, numbers, `null`, `true`/`false`,
/// `nav/prop` paths. Strings compare case-insensitively, as Dataverse does.
pub mod filter {
    use std::cmp::Ordering;

    use dealpane_contract::Guid;
    use serde_json::Value;

    #[derive(Debug, Clone, PartialEq)]
    enum Token {
        Open,
        Close,
        Comma,
        Text(String),
        Word(String),
    }

    #[derive(Debug, Clone)]
    pub enum Operand {
        Path(String),
        Literal(Value),
    }

    #[derive(Debug, Clone)]
    pub enum Expr {
        And(Box<Expr>, Box<Expr>),
        Or(Box<Expr>, Box<Expr>),
        Not(Box<Expr>),
        Compare(Operand, String, Operand),
        Function(String, Operand, Operand),
    }

    /// Splits `filter` into tokens; string literals come back un-escaped. This is also the
    /// reference reading of OData string literals the tests use.
    fn tokens(filter: &str) -> Result<Vec<Token>, String> {
        let chars: Vec<char> = filter.chars().collect();
        let mut out = Vec::new();
        let mut at = 0;
        while at < chars.len() {
            let c = chars[at];
            match c {
                ' ' => at += 1,
                '(' => {
                    out.push(Token::Open);
                    at += 1;
                }
                ')' => {
                    out.push(Token::Close);
                    at += 1;
                }
                ',' => {
                    out.push(Token::Comma);
                    at += 1;
                }
                '\'' => {
                    let (text, next) = literal(&chars, at).ok_or_else(|| {
                        format!(
                            "There is an unterminated literal at position {} in '{filter}'.",
                            chars.len()
                        )
                    })?;
                    out.push(Token::Text(text));
                    at = next;
                }
                _ => {
                    let start = at;
                    while at < chars.len() && !" (),'".contains(chars[at]) {
                        at += 1;
                    }
                    out.push(Token::Word(chars[start..at].iter().collect()));
                }
            }
        }
        Ok(out)
    }

    /// The literal opening at `start` (a `'`): its text and the index after its closing quote.
    pub fn literal(chars: &[char], start: usize) -> Option<(String, usize)> {
        let mut text = String::new();
        let mut at = start + 1;
        loop {
            match chars.get(at)? {
                '\'' if chars.get(at + 1) == Some(&'\'') => {
                    text.push('\'');
                    at += 2;
                }
                '\'' => return Some((text, at + 1)),
                c => {
                    text.push(*c);
                    at += 1;
                }
            }
        }
    }

    pub fn parse(filter: &str, check: &dyn Fn(&str) -> Result<(), String>) -> Result<Expr, String> {
        let tokens = tokens(filter)?;
        let mut parser = Parser {
            tokens,
            at: 0,
            check,
        };
        let expr = parser.or()?;
        if parser.at != parser.tokens.len() {
            return Err(format!(
                "Syntax error at position {} in '{filter}'.",
                parser.at
            ));
        }
        Ok(expr)
    }

    struct Parser<'a> {
        tokens: Vec<Token>,
        at: usize,
        check: &'a dyn Fn(&str) -> Result<(), String>,
    }

    impl Parser<'_> {
        fn peek_word(&self, word: &str) -> bool {
            matches!(self.tokens.get(self.at), Some(Token::Word(w)) if w == word)
        }

        fn next(&mut self) -> Result<Token, String> {
            let token = self
                .tokens
                .get(self.at)
                .cloned()
                .ok_or("Syntax error: the filter ends too early.")?;
            self.at += 1;
            Ok(token)
        }

        fn expect(&mut self, token: Token) -> Result<(), String> {
            let found = self.next()?;
            if found == token {
                Ok(())
            } else {
                Err(format!(
                    "Syntax error: expected {token:?}, found {found:?}."
                ))
            }
        }

        fn or(&mut self) -> Result<Expr, String> {
            let mut left = self.and()?;
            while self.peek_word("or") {
                self.at += 1;
                left = Expr::Or(Box::new(left), Box::new(self.and()?));
            }
            Ok(left)
        }

        fn and(&mut self) -> Result<Expr, String> {
            let mut left = self.unary()?;
            while self.peek_word("and") {
                self.at += 1;
                left = Expr::And(Box::new(left), Box::new(self.unary()?));
            }
            Ok(left)
        }

        fn unary(&mut self) -> Result<Expr, String> {
            if self.peek_word("not") {
                self.at += 1;
                return Ok(Expr::Not(Box::new(self.unary()?)));
            }
            if self.tokens.get(self.at) == Some(&Token::Open) {
                self.at += 1;
                let inner = self.or()?;
                self.expect(Token::Close)?;
                return Ok(inner);
            }
            if let Some(Token::Word(name)) = self.tokens.get(self.at).cloned() {
                if ["contains", "startswith", "endswith"].contains(&name.as_str())
                    && self.tokens.get(self.at + 1) == Some(&Token::Open)
                {
                    self.at += 2;
                    let first = self.operand()?;
                    self.expect(Token::Comma)?;
                    let second = self.operand()?;
                    self.expect(Token::Close)?;
                    return Ok(Expr::Function(name, first, second));
                }
            }
            let left = self.operand()?;
            let operator = match self.next()? {
                Token::Word(op) if ["eq", "ne", "gt", "ge", "lt", "le"].contains(&op.as_str()) => {
                    op
                }
                other => {
                    return Err(format!(
                        "Syntax error: expected an operator, found {other:?}."
                    ))
                }
            };
            let right = self.operand()?;
            Ok(Expr::Compare(left, operator, right))
        }

        fn operand(&mut self) -> Result<Operand, String> {
            match self.next()? {
                Token::Text(text) => Ok(Operand::Literal(Value::String(text))),
                Token::Word(word) => Ok(match word.as_str() {
                    "null" => Operand::Literal(Value::Null),
                    "true" => Operand::Literal(Value::Bool(true)),
                    "false" => Operand::Literal(Value::Bool(false)),
                    _ if word.len() == 36 && Guid::parse(&word).is_ok() => {
                        Operand::Literal(Value::String(word.to_lowercase()))
                    }
                    _ if word.starts_with(|c: char| c.is_ascii_digit() || c == '-') => {
                        match word.parse::<f64>() {
                            Ok(number) => Operand::Literal(serde_json::json!(number)),
                            Err(_) => Operand::Literal(Value::String(word)),
                        }
                    }
                    _ => {
                        (self.check)(&word)?;
                        Operand::Path(word)
                    }
                }),
                other => Err(format!("Syntax error: unexpected {other:?}.")),
            }
        }
    }

    impl Expr {
        pub fn matches(&self, property: &dyn Fn(&str) -> Value) -> bool {
            let value = |operand: &Operand| match operand {
                Operand::Path(path) => property(path),
                Operand::Literal(value) => value.clone(),
            };
            match self {
                Expr::And(a, b) => a.matches(property) && b.matches(property),
                Expr::Or(a, b) => a.matches(property) || b.matches(property),
                Expr::Not(inner) => !inner.matches(property),
                Expr::Compare(left, operator, right) => {
                    let (left, right) = (value(left), value(right));
                    match operator.as_str() {
                        "eq" => equal(&left, &right),
                        "ne" => !equal(&left, &right),
                        _ if left.is_null() || right.is_null() => false,
                        op => {
                            let ordering = compare_for_order(&left, &right);
                            match op {
                                "gt" => ordering.is_gt(),
                                "ge" => ordering.is_ge(),
                                "lt" => ordering.is_lt(),
                                _ => ordering.is_le(),
                            }
                        }
                    }
                }
                Expr::Function(name, haystack, needle) => {
                    let (Some(haystack), Some(needle)) = (
                        value(haystack).as_str().map(str::to_lowercase),
                        value(needle).as_str().map(str::to_lowercase),
                    ) else {
                        return false;
                    };
                    match name.as_str() {
                        "contains" => haystack.contains(&needle),
                        "startswith" => haystack.starts_with(&needle),
                        _ => haystack.ends_with(&needle),
                    }
                }
            }
        }
    }

    fn equal(left: &Value, right: &Value) -> bool {
        match (left, right) {
            (Value::String(a), Value::String(b)) => a.to_lowercase() == b.to_lowercase(),
            (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
            _ => left == right,
        }
    }

    /// SQL Server's order: nulls lowest, strings case-insensitive.
    pub fn compare_for_order(left: &Value, right: &Value) -> Ordering {
        match (left, right) {
            (Value::Null, Value::Null) => Ordering::Equal,
            (Value::Null, _) => Ordering::Less,
            (_, Value::Null) => Ordering::Greater,
            (Value::Number(a), Value::Number(b)) => a
                .as_f64()
                .partial_cmp(&b.as_f64())
                .unwrap_or(Ordering::Equal),
            (Value::String(a), Value::String(b)) => a.to_lowercase().cmp(&b.to_lowercase()),
            _ => Ordering::Equal,
        }
    }
}
