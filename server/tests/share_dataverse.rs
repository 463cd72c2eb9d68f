//! Share with Sales (issue 12) against the Dataverse stand-in: the payloads Dataverse receives
//! (`@odata.bind` to the opportunity, the owner, the customer and the currency), the new
//! record's id read from `OData-EntityId`, exactly once under concurrency, and Dataverse's
//! refusals as problems.

mod support;

use std::sync::Arc;

use dealpane_contract::{Guid, LeadCreated, Note, NoteList, Problem};
use dealpane_server::source::dataverse::DataverseSource;
use serde_json::{json, Value};
use support::dataverse::{DataverseStandin, Fault, Opportunity, RecordedRequest, EUR};
use support::{header, settings, Dirs, Server};

const CASE: &str = "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d";
/// The stand-in's owner of every deal (a user).
const OWNER: &str = "a1b2c3d4-0000-4000-8000-000000000001";
const TASKS: &str = "/api/data/v9.2/tasks";
const LEADS: &str = "/api/data/v9.2/leads";

struct Fixture {
    server: Server,
    standin: DataverseStandin,
    deal: Guid,
    account: Guid,
    contact: Guid,
    _dirs: Dirs,
}

async fn start() -> Fixture {
    let standin = DataverseStandin::start().await;
    let account = standin.add_account("Contoso Pharmaceuticals");
    let contact = standin.add_contact("Aoife O'Brien");
    let deal = standin.add_opportunity(Opportunity::new(account, "Espresso", Some(1000.0)));
    let source = DataverseSource::new(standin.config()).expect("a valid configuration");
    let dirs = Dirs::new();
    let server = Server::start(&settings(&dirs), Arc::new(source)).await;
    Fixture {
        server,
        standin,
        deal,
        account,
        contact,
        _dirs: dirs,
    }
}

impl Fixture {
    async fn post(&self, path: &str, key: Option<&str>, body: &Value) -> reqwest::Response {
        let mut request = self.server.client.post(self.server.url(path)).json(body);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        request.send().await.unwrap()
    }

    fn notes_path(&self) -> String {
        format!("/api/deals/{}/notes", self.deal)
    }

    /// The creates that reached the stand-in at `path`.
    fn creates(&self, path: &str) -> Vec<RecordedRequest> {
        self.standin
            .requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.path == path)
            .collect()
    }
}

fn body(request: &RecordedRequest) -> Value {
    serde_json::from_str(&request.body).unwrap()
}

async fn problem(response: reqwest::Response, status: u16) -> Problem {
    assert_eq!(response.status(), status);
    assert_eq!(header(&response, "content-type"), Problem::MEDIA_TYPE);
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_note_is_a_task_regarding_the_deal_for_its_owner() {
    let fixture = start().await;
    let message = "<script>alert(1)</script> wants 3 more machines";
    let sent = fixture
        .post(
            &fixture.notes_path(),
            Some("draft-7"),
            &json!({"message": message, "caseId": CASE}),
        )
        .await;
    assert_eq!(sent.status(), 201);
    let note: Note = sent.json().await.unwrap();
    assert_eq!(note.message, message);
    assert_eq!(note.owner.as_deref(), Some("Dana Seller"));
    assert_eq!(note.created_by, "Customer Service");

    let creates = fixture.creates(TASKS);
    assert_eq!(creates.len(), 1);
    assert!(creates[0]
        .content_type
        .as_deref()
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(
        body(&creates[0]),
        json!({
            "subject": "From Customer Service: <script>alert(1)</script> wants 3 more machines",
            "description": format!(
                "{message}\n\nCase: {CASE}\nSent by Customer Service via dealpane"
            ),
            "category": "Customer Service",
            "subcategory": "dealpane",
            "regardingobjectid_opportunity_task@odata.bind": format!("/opportunities({})", fixture.deal),
            "ownerid@odata.bind": format!("/systemusers({OWNER})"),
        })
    );

    // Read back from Dataverse: the same note, by the id OData-EntityId gave.
    let listed: NoteList = fixture.server.json(&fixture.notes_path()).await;
    assert_eq!(listed.notes.len(), 1);
    let read = &listed.notes[0];
    assert_eq!(read.id, note.id);
    assert_eq!(
        (
            read.message.as_str(),
            read.case_id,
            read.created_by.as_str()
        ),
        (message, note.case_id, "Customer Service")
    );
    assert_eq!(read.owner.as_deref(), Some("Dana Seller"));
    let filters = fixture.standin.filters();
    assert!(
        filters.contains(&format!(
            "_regardingobjectid_value eq {} and subcategory eq 'dealpane'",
            fixture.deal
        )),
        "{filters:?}"
    );
}

#[tokio::test]
async fn twelve_concurrent_posts_with_one_key_reach_dataverse_once() {
    let fixture = start().await;
    let path = fixture.notes_path();
    let body = json!({"message": "Once only"});
    let posts = (0..12).map(|_| fixture.post(&path, Some("one-draft"), &body));
    let answers = futures::future::join_all(posts).await;
    let mut ids = Vec::new();
    for answer in answers {
        assert_eq!(answer.status(), 201);
        ids.push(answer.json::<Note>().await.unwrap().id);
    }
    assert!(ids.iter().all(|id| *id == ids[0]));
    assert_eq!(fixture.creates(TASKS).len(), 1);
    // A later repeat is answered from the shared cache: Dataverse sees nothing more.
    let before = fixture.standin.api_requests();
    let again = fixture.post(&path, Some("one-draft"), &body).await;
    assert_eq!(header(&again, "idempotent-replayed"), "true");
    assert_eq!(fixture.standin.api_requests(), before);
}

#[tokio::test]
async fn a_lead_binds_its_customer_currency_and_source() {
    let fixture = start().await;
    let created = fixture
        .post(
            "/api/leads",
            Some("lead-1"),
            &json!({"customerId": fixture.account, "customerType": "account",
                    "topic": "Grinders", "estimatedValue": {"amount": 2500.0, "currency": "EUR"}}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let created: LeadCreated = created.json().await.unwrap();
    let contact = fixture
        .post(
            "/api/leads",
            None,
            &json!({"customerId": fixture.contact, "customerType": "contact",
                    "topic": "Home espresso", "description": "Asked twice", "caseId": CASE}),
        )
        .await;
    assert_eq!(contact.status(), 201);

    let creates = fixture.creates(LEADS);
    assert_eq!(creates.len(), 2);
    assert_eq!(
        body(&creates[0]),
        json!({
            "subject": "Grinders",
            "description": "Sent by Customer Service via dealpane",
            "leadsourcecode": 10,
            "parentaccountid@odata.bind": format!("/accounts({})", fixture.account),
            "estimatedamount": 2500.0,
            "transactioncurrencyid@odata.bind": format!("/transactioncurrencies({EUR})"),
        })
    );
    assert_eq!(
        body(&creates[1]),
        json!({
            "subject": "Home espresso",
            "description": format!("Asked twice\n\nCase: {CASE}\nSent by Customer Service via dealpane"),
            "leadsourcecode": 10,
            "parentcontactid@odata.bind": format!("/contacts({})", fixture.contact),
        })
    );
    assert_ne!(created.id, Guid::parse(CASE).unwrap());
}

#[tokio::test]
async fn dataverse_refusals_become_problems_and_release_the_key() {
    let fixture = start().await;
    let unknown = Guid::parse("00000000-0000-4000-8000-00000000dead").unwrap();
    let missing_deal = fixture
        .post(
            &format!("/api/deals/{unknown}/notes"),
            Some("k"),
            &json!({"message": "x"}),
        )
        .await;
    let detail = problem(missing_deal, 404).await.detail.unwrap();
    assert!(detail.contains(&unknown.to_string()), "{detail}");
    assert!(
        fixture.creates(TASKS).is_empty(),
        "nothing created for no deal"
    );
    problem(
        fixture
            .server
            .get(&format!("/api/deals/{unknown}/notes"))
            .await,
        404,
    )
    .await;
    let missing_customer = fixture
        .post(
            "/api/leads",
            None,
            &json!({"customerId": unknown, "customerType": "contact", "topic": "x"}),
        )
        .await;
    problem(missing_customer, 404).await;
    let no_currency = fixture
        .post(
            "/api/leads",
            None,
            &json!({"customerId": fixture.account, "customerType": "account", "topic": "x",
                    "estimatedValue": {"amount": 1.0, "currency": "CHF"}}),
        )
        .await;
    let detail = problem(no_currency, 400).await.detail.unwrap();
    assert!(detail.contains("CHF"), "{detail}");

    // A message Sales cannot hold with the case and sender lines (a task description keeps
    // 2,000 characters unless an administrator raised it): a 400 that says why.
    let longest = fixture
        .post(
            &fixture.notes_path(),
            None,
            &json!({"message": "m".repeat(2000)}),
        )
        .await;
    let detail = problem(longest, 400).await.detail.unwrap();
    assert!(detail.contains("'description'"), "{detail}");

    // Throttled beyond the retry budget: 429 with Retry-After; the draft's key is free again.
    let path = fixture.notes_path();
    fixture.standin.inject_for(
        "/tasks",
        Fault::TooManyRequests {
            retry_after_secs: 30,
        },
        1,
    );
    let throttled = fixture
        .post(&path, Some("draft"), &json!({"message": "x"}))
        .await;
    assert_eq!(header(&throttled, "retry-after"), "30");
    problem(throttled, 429).await;
    // Sales down (503 on the first try and each of the client's 3 retries): 502 that says so.
    fixture.standin.inject_for("/tasks", Fault::Unavailable, 4);
    let down = fixture
        .post(&path, Some("draft"), &json!({"message": "x"}))
        .await;
    let detail = problem(down, 502).await.detail.unwrap();
    assert!(detail.contains("Sales environment"), "{detail}");
    let sent = fixture
        .post(&path, Some("draft"), &json!({"message": "x"}))
        .await;
    assert_eq!(
        sent.status(),
        201,
        "the same draft goes through once Sales is back"
    );
}

#[tokio::test]
async fn the_standin_refuses_unknown_binds_and_columns_as_dataverse_does() {
    let fixture = start().await;
    let http = reqwest::Client::new();
    let bearer = fixture.standin.access_token().await;
    let create = |body: Value| {
        http.post(format!("{}{TASKS}", fixture.standin.base_url))
            .bearer_auth(&bearer)
            .json(&body)
            .send()
    };
    let deal = format!("/opportunities({})", fixture.deal);
    for (body, status, words) in [
        (
            json!({"subject": "s", "regardingobjectid_opportunity@odata.bind": deal}),
            400,
            "An undeclared property 'regardingobjectid_opportunity'",
        ),
        (
            json!({"subject": "s", "notacolumn": 1}),
            400,
            "The property 'notacolumn' does not exist on type 'Microsoft.Dynamics.CRM.task'",
        ),
        (
            json!({"subject": "s", "regardingobjectid_opportunity_task@odata.bind": "opportunity"}),
            400,
            "entity address",
        ),
        (
            json!({"subject": "s", "regardingobjectid_opportunity_task@odata.bind":
                   format!("/opportunities({CASE})")}),
            404,
            &format!("opportunity With Id = {CASE} Does Not Exist"),
        ),
    ] {
        let response = create(body.clone()).await.unwrap();
        assert_eq!(response.status(), status, "{body}");
        let error: Value = response.json().await.unwrap();
        let message = error["error"]["message"].as_str().unwrap();
        assert!(message.contains(words), "{body}: {message}");
        assert!(error["error"]["code"].as_str().unwrap().starts_with("0x"));
    }
    let created = create(json!({"subject": "s",
        "regardingobjectid_opportunity_task@odata.bind": deal}))
    .await
    .unwrap();
    assert_eq!(created.status(), 204);
    let location = header(&created, "odata-entityid");
    assert!(
        location.starts_with(&format!("{}{TASKS}(", fixture.standin.base_url)),
        "{location}"
    );
}
