//! A local Dataverse + Entra ID that speaks the wire shapes of
//! `shared/reference/dataverse-webapi-shapes.md`: the client-credentials token endpoint, the
//! Web API v9.2 collection queries on `accounts`, `contacts`, `opportunities`,
//! `transactioncurrencies` and `organizations` (with `$select`, `$filter`, `$orderby`, `$top`,
//! `$expand`, formatted-value annotations, `@odata.nextLink` paging), single-record reads
//! (`transactioncurrencies(<id>)`), `WhoAmI`, and the `msdyn_SalesOpportunitySummary` action.
//!
//! As real Sales environments hold data: money columns come twice (`estimatedvalue` and
//! `estimatedvalue_base`, in the organization's base currency USD at each currency's rate);
//! `startswith`/`contains`/`endswith` read `%`, `_`, `[...]`, `[^...]` as wildcards (a bracketed
//! one is literal; a leading `%` in `startswith` or a trailing one in `endswith` is refused);
//! the environment can lack the Forecasting solution's `msdyn_forecastcategory`
//! ([`DataverseStandin::without_forecasting`]); a close date can be a UTC date-time whose
//! formatted value is in the user's time zone ([`DataverseStandin::set_user_time_zone`]).
//!
//! Knobs: [`DataverseStandin::inject`] queues faults (429 with `Retry-After`, 503, delays,
//! malformed bodies, expired tokens) for the next API requests; summaries per deal and how long
//! the summary action takes ([`DataverseStandin::set_summary_latency`]); token lifetime.
//! Counters: every request is recorded ([`DataverseStandin::requests`]) with its decoded query
//! options, so tests assert the exact `$filter` text received.
//!
//! Choices where the reference says "not documented": quoted GUIDs are accepted and compared as
//! text; a 401 for a bad token carries the generic error body with code `0x80072182`
//! (made up); 503 bodies are plain text; a comma-joined `Prefer` line works like several lines;
//! an unsupported wildcard pattern is a 400 like a filter syntax error (code `0x80060888`)
//! with a made-up message; an unclosed `[` in a pattern is a literal `[`.

mod actions;
mod creates;
mod faults;
mod filter;
mod query;
mod requests;
mod tables;
mod token;
mod users;

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::http::{header, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use dealpane_contract::Guid;
use dealpane_server::source::dataverse::{DataverseConfig, Secret};
use serde_json::json;
use tokio::task::JoinHandle;

pub use actions::SummaryAnswer;
pub use faults::Fault;
pub use requests::RecordedRequest;
pub use tables::Opportunity;
use tables::Table;

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
pub const GBP: Guid = Guid::from_u128(0x228f42f8_e646_e111_8eb7_78e7d162ced3);
pub const JPY: Guid = Guid::from_u128(0x228f42f8_e646_e111_8eb7_78e7d162ced4);

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

    /// A fresh access token, asked for as the connector does (client credentials), for tests
    /// that call the stand-in directly.
    pub async fn access_token(&self) -> String {
        let request = reqwest::Client::new()
            .post(format!("{}{}", self.base_url, self.token_path()))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", CLIENT_ID),
                ("client_secret", CLIENT_SECRET),
                ("scope", &format!("{}/.default", self.base_url)),
            ]);
        let token = super::send_for_json(request).await;
        token["access_token"].as_str().unwrap().to_owned()
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

    /// Sets an opportunity's `modifiedon`, as an edit in Sales does.
    pub fn touch_opportunity(&self, id: Guid, modified_on: &str) {
        self.with(|state| {
            let rows = &mut state.tables.get_mut("opportunities").unwrap().rows;
            let row = rows
                .iter_mut()
                .find(|row| row["opportunityid"] == id.to_string())
                .expect("a deal the stand-in holds");
            row.insert("modifiedon".to_owned(), json!(modified_on));
        });
    }

    /// How long the summary action takes from now on: it is generative AI, seconds per call.
    pub fn set_summary_latency(&self, latency: Duration) {
        self.with(|state| state.summary_latency = latency);
    }

    /// How many summary action calls reached the stand-in.
    pub fn summary_calls(&self) -> usize {
        self.count(&format!("{API}{SUMMARY_ACTION}"))
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

    /// The environment has no Forecasting solution: naming `msdyn_forecastcategory` in a query
    /// fails it with Dataverse's 400 for an unknown property.
    pub fn without_forecasting(&self) {
        self.with(|state| state.forecasting = false);
    }

    /// The time zone of the user the stand-in answers as, in minutes east of UTC: formatted
    /// values of date-times are in it. Set it before adding the deals it should apply to.
    pub fn set_user_time_zone(&self, offset_minutes: i32) {
        self.with(|state| state.user_offset_minutes = offset_minutes);
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

/// Everything the stand-in knows and has seen, behind one lock.
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
    /// False: opportunities lack `msdyn_forecastcategory`.
    forecasting: bool,
    user_offset_minutes: i32,
    /// Sales users by Entra object id, for `CallerObjectId`.
    users: users::Users,
    summary_latency: Duration,
}

impl State {
    fn new(base_url: &str) -> State {
        State {
            base_url: base_url.to_owned(),
            tables: tables::tables(),
            summaries: HashMap::new(),
            faults: VecDeque::new(),
            valid_tokens: HashSet::new(),
            issued_tokens: 0,
            token_lifetime: 3599,
            requests: Vec::new(),
            ids: 0,
            etag: 4_410_000,
            forecasting: true,
            user_offset_minutes: 0,
            users: users::Users::default(),
            summary_latency: Duration::ZERO,
        }
    }
}

/// Records the request, then answers it: token endpoint, queued fault, bearer check, resource.
async fn handle(
    axum::extract::State(state): axum::extract::State<Arc<Mutex<State>>>,
    request: Request<Body>,
) -> Response {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, 1 << 20).await.unwrap_or_default();
    let recorded = RecordedRequest::new(&parts, &body);
    let raw_query = parts.uri.query().unwrap_or("").to_owned();
    let fault = {
        let mut state = state.lock().unwrap();
        state.requests.push(recorded.clone());
        state.take_fault(&recorded.path)
    };
    if recorded.path == format!("/{TENANT}/oauth2/v2.0/token") && parts.method == Method::POST {
        return token::issue(&state, &recorded);
    }
    if !recorded.path.starts_with(API) {
        return (StatusCode::NOT_FOUND, "no such endpoint in the stand-in").into_response();
    }
    if let Some(fault) = fault {
        if let Some(response) = fault.meet(&state).await {
            return response;
        }
    }
    if parts.method == Method::POST && recorded.path == format!("{API}{SUMMARY_ACTION}") {
        let latency = state.lock().unwrap().summary_latency;
        tokio::time::sleep(latency).await;
    }
    let mut state = state.lock().unwrap();
    if let Some(refusal) = token::refuse_bearer(&state, &recorded) {
        return refusal;
    }
    let hidden = match users::see_as_caller(&mut state, &recorded) {
        Ok(hidden) => hidden,
        Err(refusal) => return *refusal,
    };
    let resource = &recorded.path[API.len()..];
    let response = match (parts.method, resource) {
        (Method::GET, "WhoAmI") => actions::who_am_i(&state),
        (Method::GET, set) if state.tables.contains_key(set) => {
            query::collection(&state, set, &recorded, &raw_query)
        }
        (Method::GET, record) if query::entity_address(&state, record).is_some() => {
            let (set, id) = query::entity_address(&state, record).unwrap();
            query::entity(&state, set, id, &recorded)
        }
        (Method::POST, SUMMARY_ACTION) => actions::summary(&state, &recorded),
        (Method::POST, set) if creates::creatable(set) => {
            creates::create(&mut state, set, &recorded)
        }
        _ => odata_error(
            StatusCode::NOT_FOUND,
            "0x80060888",
            &format!("Resource not found for the segment '{resource}'."),
        ),
    };
    users::show_all(&mut state, hidden);
    response
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
