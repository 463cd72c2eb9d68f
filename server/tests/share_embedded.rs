//! Share with Sales (issue 12) over the embedded store: notes to a deal's owner and suggested
//! deals, exactly once per Idempotency-Key, within every bound, stored and answered as text.

mod support;

use std::path::PathBuf;

use dealpane_contract::{Guid, LeadCreated, Note, NoteList, Problem};
use dealpane_server::source::embedded::fixtures::*;
use dealpane_server::{build_app, Settings};
use serde_json::{json, Value};
use support::{count, header, settings, Dirs, Server};

const CASE: &str = "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d";

struct Fixture {
    server: Server,
    store: PathBuf,
    _dirs: Dirs,
}

async fn start(customize: impl FnOnce(&mut Settings)) -> Fixture {
    let dirs = Dirs::new();
    let store = dirs.root.path().join("sales.sqlite");
    let mut settings = Settings {
        store_path: store.clone(),
        sample_size: 30,
        ..settings(&dirs)
    };
    customize(&mut settings);
    let server = Server::serve(build_app(&settings).await.expect("the store opens")).await;
    Fixture {
        server,
        store,
        _dirs: dirs,
    }
}

impl Fixture {
    async fn post(&self, path: &str, key: Option<&str>, body: &Value) -> reqwest::Response {
        self.post_raw(path, key, "application/json", body.to_string())
            .await
    }

    async fn post_raw(
        &self,
        path: &str,
        key: Option<&str>,
        content_type: &str,
        body: String,
    ) -> reqwest::Response {
        let mut request = self
            .server
            .client
            .post(self.server.url(path))
            .header("content-type", content_type)
            .body(body);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        request.send().await.unwrap()
    }

    fn tasks(&self) -> i64 {
        count(&self.store, "SELECT count(*) FROM task")
    }

    fn leads(&self) -> i64 {
        count(&self.store, "SELECT count(*) FROM lead")
    }
}

fn notes_path(deal: Guid) -> String {
    format!("/api/deals/{deal}/notes")
}

/// A problem+json answer with this status; its detail.
async fn problem(response: reqwest::Response, status: u16) -> String {
    assert_eq!(response.status(), status);
    assert_eq!(header(&response, "content-type"), Problem::MEDIA_TYPE);
    let problem: Problem = response.json().await.unwrap();
    assert_eq!(problem.status, status);
    problem.detail.unwrap_or_default()
}

#[tokio::test]
async fn a_note_reaches_the_owner_as_a_task_and_reads_back_as_text_newest_first() {
    let fixture = start(|settings| settings.agent_display_name = "Service Desk".into()).await;
    let xss = "<img src=x onerror=alert(1)>\n\"quoted\" & <b>bold</b>";
    let sent = fixture
        .post(
            &notes_path(CONTOSO_TOP_DEAL_ID),
            Some("draft-1"),
            &json!({"message": format!("  {xss}\u{7}  "), "caseId": CASE.to_uppercase()}),
        )
        .await;
    assert_eq!(sent.status(), 201);
    assert_eq!(header(&sent, "content-type"), "application/json");
    assert_eq!(header(&sent, "cache-control"), "no-store");
    let first: Note = sent.json().await.unwrap();
    assert_eq!(
        first.message, xss,
        "trimmed, the bell removed, the markup kept as text"
    );
    assert_eq!(first.created_by, "Service Desk");
    assert_eq!(first.case_id.unwrap().to_string(), CASE);
    assert!(first.owner.is_some(), "the deal's owner is named");

    // The task Sales holds: regarding the deal, for its owner, subject and description as the
    // owner reads them.
    let (subject, description, owner) = rusqlite::Connection::open(&fixture.store)
        .unwrap()
        .query_row(
            "SELECT t.subject, t.description, t._ownerid_value = o._ownerid_value FROM task t
             JOIN opportunity o ON o.opportunityid = t._regardingobjectid_value",
            [],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, bool>(2)?,
                ))
            },
        )
        .unwrap();
    assert!(
        subject.starts_with("From Customer Service: <img src=x"),
        "{subject}"
    );
    assert!(description.starts_with(xss), "{description}");
    assert!(description.ends_with(&format!("Case: {CASE}\nSent by Service Desk via dealpane")));
    assert!(owner, "the task is the deal owner's");

    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let second: Note = fixture
        .post(
            &notes_path(CONTOSO_TOP_DEAL_ID),
            None,
            &json!({"message": "Second: wants a demo"}),
        )
        .await
        .json()
        .await
        .unwrap();

    let listed = fixture.server.get(&notes_path(CONTOSO_TOP_DEAL_ID)).await;
    assert_eq!(header(&listed, "cache-control"), "no-store");
    let listed: NoteList = listed.json().await.unwrap();
    assert_eq!(listed.notes, vec![second, first], "newest first, as sent");
    let other: NoteList = fixture.server.json(&notes_path(CONTOSO_WON_DEAL_ID)).await;
    assert!(other.notes.is_empty());
}

#[tokio::test]
async fn a_repeated_key_answers_the_first_result_and_creates_nothing() {
    let fixture = start(|_| {}).await;
    let path = notes_path(CONTOSO_TOP_DEAL_ID);
    let body = json!({"message": "Asked about grinders"});
    let first = fixture.post(&path, Some("k-1"), &body).await;
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first_body = first.text().await.unwrap();

    let again = fixture.post(&path, Some("k-1"), &body).await;
    assert_eq!(again.status(), 201);
    assert_eq!(header(&again, "idempotent-replayed"), "true");
    assert_eq!(again.text().await.unwrap(), first_body);
    assert_eq!(fixture.tasks(), 1);

    // The same key with another message, or on another deal, is a mistake.
    let detail = problem(
        fixture
            .post(&path, Some("k-1"), &json!({"message": "Something else"}))
            .await,
        422,
    )
    .await;
    assert!(detail.contains("Idempotency-Key"), "{detail}");
    let elsewhere = fixture
        .post(&notes_path(CONTOSO_WON_DEAL_ID), Some("k-1"), &body)
        .await;
    assert_eq!(
        elsewhere.status(),
        201,
        "another route's key is another key"
    );

    // Without a key every post creates (Copilot's connector may send none).
    for _ in 0..2 {
        assert_eq!(fixture.post(&path, None, &body).await.status(), 201);
    }
    assert_eq!(fixture.tasks(), 4);

    let lead = json!({"customerId": CONTOSO_PHARMACEUTICALS_ID, "customerType": "account",
                      "topic": "Espresso for the canteen"});
    let send = || async {
        let answer = fixture.post("/api/leads", Some("lead-1"), &lead).await;
        answer.json::<LeadCreated>().await.unwrap()
    };
    assert_eq!(send().await, send().await);
    assert_eq!(fixture.leads(), 1);
}

#[tokio::test]
async fn twelve_concurrent_posts_with_one_key_create_one_task() {
    let fixture = start(|_| {}).await;
    let path = notes_path(CONTOSO_TOP_DEAL_ID);
    let body = json!({"message": "Once only"});
    let posts = (0..12).map(|_| fixture.post(&path, Some("same-draft"), &body));
    let answers = futures::future::join_all(posts).await;
    let mut bodies = Vec::new();
    for answer in answers {
        assert_eq!(answer.status(), 201);
        bodies.push(answer.text().await.unwrap());
    }
    assert!(
        bodies.windows(2).all(|pair| pair[0] == pair[1]),
        "one answer for all"
    );
    assert_eq!(fixture.tasks(), 1);
}

#[tokio::test]
async fn every_bound_is_refused_with_a_problem() {
    let fixture = start(|_| {}).await;
    let path = notes_path(CONTOSO_TOP_DEAL_ID);
    let longest = "é".repeat(2000);
    let ok = fixture
        .post(
            &path,
            None,
            &json!({"message": format!("\u{0}{longest}\u{1b}")}),
        )
        .await;
    assert_eq!(
        ok.status(),
        201,
        "2,000 characters after cleaning are accepted"
    );

    let detail = problem(
        fixture
            .post(&path, None, &json!({"message": format!("{longest}x")}))
            .await,
        400,
    )
    .await;
    assert!(
        detail.contains("message") && detail.contains("2000"),
        "{detail}"
    );
    // Nothing left after cleaning, no message, a case id that is no GUID.
    for body in [
        json!({"message": " \t\u{7} "}),
        json!({"text": "no message"}),
        json!({"message": "x", "caseId": "not-a-guid"}),
    ] {
        problem(fixture.post(&path, None, &body).await, 400).await;
    }
    problem(
        fixture
            .post_raw(&path, None, "application/json", "{\"message\":".to_owned())
            .await,
        400,
    )
    .await;
    let big = json!({"message": "x", "padding": "p".repeat(17 * 1024)}).to_string();
    problem(
        fixture.post_raw(&path, None, "application/json", big).await,
        413,
    )
    .await;
    let form = "message=hello".to_owned();
    problem(
        fixture
            .post_raw(
                &path,
                None,
                "application/x-www-form-urlencoded",
                form.clone(),
            )
            .await,
        415,
    )
    .await;
    problem(fixture.post_raw(&path, None, "text/plain", form).await, 415).await;
    let charset = fixture
        .post_raw(
            &path,
            None,
            "application/json; charset=utf-8",
            json!({"message": "charset is fine"}).to_string(),
        )
        .await;
    assert_eq!(charset.status(), 201);

    for key in ["", "has space", &"k".repeat(101), "naïve"] {
        let response = fixture
            .server
            .client
            .post(fixture.server.url(&path))
            .header("content-type", "application/json")
            .header("Idempotency-Key", key.as_bytes())
            .body(json!({"message": "x"}).to_string())
            .send()
            .await
            .unwrap();
        let detail = problem(response, 400).await;
        assert!(detail.contains("Idempotency-Key"), "{detail}");
    }

    let unknown = Guid::parse("00000000-0000-4000-8000-00000000dead").unwrap();
    let detail = problem(
        fixture
            .post(&notes_path(unknown), None, &json!({"message": "x"}))
            .await,
        404,
    )
    .await;
    assert!(detail.contains(&unknown.to_string()), "{detail}");
    problem(fixture.server.get(&notes_path(unknown)).await, 404).await;
    problem(
        fixture
            .post(
                "/api/deals/not-a-guid/notes",
                None,
                &json!({"message": "x"}),
            )
            .await,
        400,
    )
    .await;
    problem(fixture.server.get("/api/deals/42/notes").await, 400).await;

    let lead = |patch: Value| {
        let mut body = json!({"customerId": CONTOSO_PHARMACEUTICALS_ID,
                              "customerType": "account", "topic": "Grinders"});
        body.as_object_mut()
            .unwrap()
            .extend(patch.as_object().unwrap().clone());
        body
    };
    for (patch, status) in [
        (json!({"topic": "t".repeat(301)}), 400),
        (json!({"topic": "  "}), 400),
        (json!({"description": "d".repeat(2001)}), 400),
        (json!({"customerType": "lead"}), 400),
        (json!({"customerId": "nope"}), 400),
        (
            json!({"estimatedValue": {"amount": -1.0, "currency": "USD"}}),
            400,
        ),
        (
            json!({"estimatedValue": {"amount": 10.0, "currency": "US"}}),
            400,
        ),
        (
            json!({"estimatedValue": {"amount": 10.0, "currency": "XXX"}}),
            400,
        ),
        (json!({"customerId": unknown}), 404),
        (json!({"customerType": "contact"}), 404),
    ] {
        let response = fixture.post("/api/leads", None, &lead(patch.clone())).await;
        assert_eq!(response.status(), status, "{patch}");
        problem(response, status).await;
    }
    assert_eq!(fixture.leads(), 0, "nothing refused was written");
}

#[tokio::test]
async fn a_lead_is_written_for_the_customer_with_its_source_and_value() {
    let fixture = start(|settings| settings.lead_source_code = 100_000_001).await;
    let created = fixture
        .post(
            "/api/leads",
            Some("lead-draft"),
            &json!({"customerId": AOIFE_OBRIEN_ID, "customerType": "contact",
                    "topic": "  Office\tcoffee  ", "description": "Three floors",
                    "estimatedValue": {"amount": 1200.5, "currency": "eur"}, "caseId": CASE}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let created: LeadCreated = created.json().await.unwrap();
    let row = rusqlite::Connection::open(&fixture.store)
        .unwrap()
        .query_row(
            "SELECT l.subject, l.description, l._parentcontactid_value, l._parentaccountid_value,
                    l.estimatedamount, c.isocurrencycode, l.leadsourcecode
             FROM lead l JOIN transactioncurrency c
               ON c.transactioncurrencyid = l._transactioncurrencyid_value
             WHERE l.leadid = ?1",
            [created.id.to_string()],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, Option<String>>(3)?,
                    row.get::<_, f64>(4)?,
                    row.get::<_, String>(5)?,
                    row.get::<_, i64>(6)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(row.0, "Office coffee");
    assert_eq!(
        row.1,
        format!("Three floors\n\nCase: {CASE}\nSent by Customer Service via dealpane")
    );
    assert_eq!(row.2, Some(AOIFE_OBRIEN_ID.to_string()));
    assert_eq!(row.3, None);
    assert_eq!((row.4, row.5.as_str(), row.6), (1200.5, "EUR", 100_000_001));
}

#[tokio::test]
async fn the_summary_mentions_the_latest_note_after_a_post() {
    let fixture = start(|_| {}).await;
    let path = format!("/api/DealSummary?customerId={CONTOSO_PHARMACEUTICALS_ID}");
    let summary_text = || async {
        let answer = fixture.server.get_accepting(&path, "text/plain").await;
        answer.text().await.unwrap()
    };
    let before = summary_text().await;
    assert!(!before.contains("shared a note"), "{before}");

    let sent = fixture
        .post(
            &notes_path(CONTOSO_TOP_DEAL_ID),
            Some("note-for-summary"),
            &json!({"message": "Customer wants two more machines for the new lab"}),
        )
        .await;
    assert_eq!(sent.status(), 201);

    let after = summary_text().await;
    assert!(
        after.starts_with(&before),
        "the summary grows by the note:\n{after}"
    );
    assert!(
        after.contains("Customer Service shared a note with")
            && after.contains("\"Customer wants two more machines for the new lab\""),
        "{after}"
    );
}

#[tokio::test]
async fn swagger_lists_the_share_operations_for_copilots_connector() {
    let fixture = start(|_| {}).await;
    let doc: Value = fixture.server.json("/api/swagger.json").await;
    for (path, method, id) in [
        ("/deals/{dealId}/notes", "post", "NotifyDealOwner"),
        ("/deals/{dealId}/notes", "get", "ListDealNotes"),
        ("/leads", "post", "SuggestDeal"),
    ] {
        assert_eq!(doc["paths"][path][method]["operationId"], id);
    }
    for path in ["/deals/{dealId}/notes", "/leads"] {
        let parameters = doc["paths"][path]["post"]["parameters"].as_array().unwrap();
        assert!(
            parameters
                .iter()
                .any(|p| p["in"] == "header" && p["name"] == "Idempotency-Key"),
            "{path}"
        );
    }
    assert_eq!(
        doc["paths"]["/DealSummary"]["get"]["operationId"],
        "DealSummary"
    );
    // Every schema reference resolves.
    fn refs(value: &Value, found: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref") {
                    found.push(target.clone());
                }
                map.values().for_each(|v| refs(v, found));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    refs(&doc, &mut found);
    for target in found {
        let name = target.strip_prefix("#/definitions/").unwrap();
        assert!(doc["definitions"].get(name).is_some(), "{target}");
    }
}

#[test]
fn the_functions_host_forwards_the_share_routes() {
    for (function, route, methods) in [
        ("DealNotes", "deals/{dealId}/notes", json!(["get", "post"])),
        ("Leads", "leads", json!(["post"])),
    ] {
        let path = format!(
            "{}/deploy/azure-functions/{function}/function.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let trigger = &file["bindings"][0];
        assert_eq!(trigger["type"], "httpTrigger", "{function}");
        assert_eq!(trigger["route"], route, "{function}");
        assert_eq!(trigger["methods"], methods, "{function}");
        // The server checks keys and tokens itself (issue 11).
        assert_eq!(trigger["authLevel"], "anonymous", "{function}");
        assert_eq!(file["bindings"][1]["type"], "http", "{function}");
    }
}

#[tokio::test]
async fn a_wrong_method_is_told_what_the_route_takes() {
    let fixture = start(|_| {}).await;
    let client = &fixture.server.client;
    let leads = client
        .get(fixture.server.url("/api/leads"))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&leads, "allow"), "POST");
    let detail = problem(leads, 405).await;
    assert!(detail.contains("use POST"), "{detail}");
    let notes = client
        .delete(fixture.server.url(&notes_path(CONTOSO_TOP_DEAL_ID)))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&notes, "allow"), "GET, HEAD, POST");
    problem(notes, 405).await;
}
