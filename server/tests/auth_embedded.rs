//! `--sales-identity agent` over the embedded store (issue 11): the store honours the agent as
//! Dataverse honours `CallerObjectId`. Alex Wu reads only the deals he owns, Dana Seller the
//! whole organization's; Riley Newhire is not a Sales user and a disabled user is refused, each
//! with the same 403 "No access to Sales deals" as over Dataverse. Without an agent (the
//! application user, or `app` mode) nothing changes.

mod support;

use std::path::{Path, PathBuf};

use dealpane_contract::CustomerType;
use dealpane_contract::{CustomerList, DealSummaryResponse, Guid};
use dealpane_server::auth::{self, Agent, Caller, Identity, SalesIdentity};
use dealpane_server::dev_issuer::TestUser;
use dealpane_server::source::embedded::fixtures::*;
use dealpane_server::source::embedded::{EmbeddedOptions, EmbeddedStore};
use dealpane_server::source::{CustomerRecord, SalesSource, SourceError};
use dealpane_server::{build_app, Settings};
use rusqlite::Connection;
use serde_json::{json, Value};
use support::issuer::{bearer, Issuer, ALEX, DANA, RILEY};
use support::{settings, Dirs, Server};

struct Setup {
    issuer: Issuer,
    server: Server,
    store: PathBuf,
    _dirs: Dirs,
}

/// A server over a fresh embedded store, trusting the issuer, reading Sales as `identity`.
async fn setup(identity: SalesIdentity) -> Setup {
    let issuer = Issuer::start().await;
    let dirs = Dirs::new();
    let store = dirs.root.path().join("store").join("sales.sqlite");
    let mut settings = Settings {
        store_path: store.clone(),
        sample_size: 40,
        sales_identity: identity,
        summaries: false,
        ..settings(&dirs)
    };
    issuer.trust(&mut settings);
    let server = Server::serve(build_app(&settings).await.expect("the store opens")).await;
    Setup {
        issuer,
        server,
        store,
        _dirs: dirs,
    }
}

impl Setup {
    async fn get_as(&self, user: &TestUser, path: &str) -> reqwest::Response {
        let (name, value) = bearer(&self.issuer.token(user));
        self.server
            .get_with(path, &[(name, &value), ("accept", "application/json")])
            .await
    }

    async fn contoso_as(&self, user: &TestUser) -> reqwest::Response {
        let path = format!("/api/DealSummary?customerId={CONTOSO_PHARMACEUTICALS_ID}");
        self.get_as(user, &path).await
    }

    async fn contoso_deals_as(&self, user: &TestUser) -> DealSummaryResponse {
        let response = self.contoso_as(user).await;
        assert_eq!(response.status(), 200, "{}", user.name);
        response.json().await.unwrap()
    }

    async fn note_as(&self, user: &TestUser, deal: Guid, key: &str) -> reqwest::Response {
        let (name, value) = bearer(&self.issuer.token(user));
        self.server
            .client
            .post(self.server.url(&format!("/api/deals/{deal}/notes")))
            .header(name, value)
            .header("Idempotency-Key", key)
            .json(&json!({"message": "The customer asked about delivery dates."}))
            .send()
            .await
            .unwrap()
    }
}

fn names(answer: &DealSummaryResponse) -> Vec<&str> {
    answer.deals.iter().map(|deal| deal.name.as_str()).collect()
}

async fn assert_no_access(response: reqwest::Response, who: &str) {
    assert_eq!(response.status(), 403, "{who}");
    let kind = response.headers()["content-type"].to_str().unwrap();
    assert_eq!(kind, "application/problem+json", "{who}");
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["title"], "No access to Sales deals", "{who}");
}

#[tokio::test]
async fn alex_sees_the_deals_he_owns_and_dana_the_whole_organizations() {
    let setup = setup(SalesIdentity::Agent).await;
    let alex = setup.contoso_deals_as(&ALEX).await;
    assert_eq!(names(&alex), CONTOSO_DEALS_OF_ALEX_WU);
    assert!(alex
        .deals
        .iter()
        .all(|deal| deal.owner.as_deref() == Some("Alex Wu")));
    // Within the answer cache's life, Dana's answer is her own, and Alex's stays his.
    let dana = setup.contoso_deals_as(&DANA).await;
    assert_eq!(names(&dana), CONTOSO_OPEN_DEAL_NAMES);
    let again = setup.contoso_deals_as(&ALEX).await;
    assert_eq!(names(&again), CONTOSO_DEALS_OF_ALEX_WU);

    // The customer picker counts the deals each of them can open.
    let search = "/api/customers?q=contoso%20pharm&top=5";
    for (user, deals) in [(&ALEX, 2), (&DANA, CONTOSO_OPEN_DEAL_NAMES.len() as u32)] {
        let list: CustomerList = setup.get_as(user, search).await.json().await.unwrap();
        let contoso = list
            .customers
            .iter()
            .find(|customer| customer.id == CONTOSO_PHARMACEUTICALS_ID)
            .expect("Contoso is found");
        assert_eq!(contoso.open_deals, Some(deals), "{}", user.name);
    }

    // Alex writes to his own deal; one he cannot read is one that does not exist for him.
    let own = setup.note_as(&ALEX, CONTOSO_TOP_DEAL_ID, "alex-own").await;
    assert_eq!(own.status(), 201);
    let danas_view_only = dana.deals[1].id;
    assert!(!alex.deals.iter().any(|deal| deal.id == danas_view_only));
    let hidden = setup.note_as(&ALEX, danas_view_only, "alex-hidden").await;
    assert_eq!(hidden.status(), 404);
    let dana_writes = setup.note_as(&DANA, danas_view_only, "dana").await;
    assert_eq!(dana_writes.status(), 201);
}

#[tokio::test]
async fn an_agent_sales_does_not_know_or_has_disabled_gets_403_no_access() {
    let setup = setup(SalesIdentity::Agent).await;
    assert_no_access(setup.contoso_as(&RILEY).await, "Riley, deals").await;
    let search = setup.get_as(&RILEY, "/api/customers?q=contoso").await;
    assert_no_access(search, "Riley, customers").await;
    let note = setup.note_as(&RILEY, CONTOSO_TOP_DEAL_ID, "riley").await;
    assert_no_access(note, "Riley, a note").await;

    // A Sales administrator disables Dana.
    let changed = Connection::open(&setup.store)
        .unwrap()
        .execute(
            "UPDATE systemuser SET isdisabled = 1 WHERE azureactivedirectoryobjectid = ?1",
            [DANA.oid],
        )
        .unwrap();
    assert_eq!(changed, 1);
    assert_no_access(setup.contoso_as(&DANA).await, "Dana, disabled").await;
    // Alex is unaffected.
    let alex = setup.contoso_deals_as(&ALEX).await;
    assert_eq!(names(&alex), CONTOSO_DEALS_OF_ALEX_WU);
}

#[tokio::test]
async fn app_identity_reads_everything_for_everyone() {
    let setup = setup(SalesIdentity::App).await;
    for user in [&ALEX, &RILEY] {
        let answer = setup.contoso_deals_as(user).await;
        assert_eq!(names(&answer), CONTOSO_OPEN_DEAL_NAMES, "{}", user.name);
    }
}

fn acting_as(user: &TestUser) -> Option<Identity> {
    let agent = Agent {
        oid: user.oid.to_owned(),
        tenant: dealpane_server::dev_issuer::TENANT.to_owned(),
        name: Some(user.name.to_owned()),
    };
    Some(Identity::new(Caller::Agent(agent), SalesIdentity::Agent))
}

fn open(path: &Path) -> EmbeddedStore {
    let options = EmbeddedOptions {
        sample_size: 20,
        ..EmbeddedOptions::default()
    };
    EmbeddedStore::open(path, options).unwrap()
}

#[tokio::test]
async fn summaries_are_read_as_the_agent_too() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("sales.db"));
    let contoso = CustomerRecord {
        id: CONTOSO_PHARMACEUTICALS_ID,
        name: CONTOSO_PHARMACEUTICALS_NAME.to_owned(),
        kind: CustomerType::Account,
    };
    let all = store.open_deals(&contoso, 10).await.unwrap();
    let not_alexs = all
        .iter()
        .find(|deal| deal.owner.as_deref() != Some("Alex Wu"));
    let not_alexs = not_alexs.unwrap().id;

    let alex = acting_as(&ALEX);
    let own = auth::run_as(alex.clone(), store.deal_summary(CONTOSO_TOP_DEAL_ID)).await;
    assert!(!own.unwrap().is_empty());
    let hidden = auth::run_as(alex, store.deal_summary(not_alexs)).await;
    assert!(
        matches!(hidden, Err(SourceError::Upstream(_))),
        "{hidden:?}"
    );
    let dana = auth::run_as(acting_as(&DANA), store.deal_summary(not_alexs)).await;
    assert!(dana.is_ok());
    let riley = auth::run_as(acting_as(&RILEY), store.deal_summary(CONTOSO_TOP_DEAL_ID)).await;
    match riley {
        Err(SourceError::NoAccess(message)) => assert!(message.contains(RILEY.oid), "{message}"),
        other => panic!("Riley: {other:?}"),
    }
    // The application user (no agent) reads every deal's.
    assert!(store.deal_summary(not_alexs).await.is_ok());
}

#[tokio::test]
async fn a_version_3_store_keeps_its_rows_and_gains_the_sales_users() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sales.db");
    drop(open(&path));
    // As version 3 wrote it: no Sales users, and a note an agent sent.
    Connection::open(&path)
        .unwrap()
        .execute_batch(
            "DROP TABLE systemuser;
             INSERT INTO task (activityid, subject, _regardingobjectid_value,
                 regardingobjecttypecode, statecode, createdon)
             SELECT 'b0b0b0b0-0000-4000-8000-000000000001', 'kept', opportunityid,
                 'opportunity', 0, '2026-11-20T10:00:00Z'
             FROM opportunity LIMIT 1;
             PRAGMA user_version = 3;",
        )
        .unwrap();
    let store = open(&path);
    assert!(!store.info().generated_now, "not generated again");
    assert_eq!(support::count(&path, "SELECT count(*) FROM task"), 1);
    assert_eq!(
        support::count(&path, "SELECT count(*) FROM systemuser"),
        SALES_USERS.len() as i64
    );
    let riley = auth::run_as(acting_as(&RILEY), store.search_customers("co", 5)).await;
    assert!(matches!(riley, Err(SourceError::NoAccess(_))), "{riley:?}");
}
