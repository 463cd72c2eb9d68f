//! Deals priced in several currencies, in the embedded store and over HTTP: ordered and topped
//! by their value in the organization's base currency, never by the raw amount; and the
//! sentence-ending defects (a name ending with a period, the 404 detail).

mod support;

use std::path::Path;

use chrono::NaiveDate;
use dealpane_contract::{
    base_totals, CustomerType, DealSummaryResponse, Health, MatchedBy, Money, Problem,
};
use dealpane_server::source::embedded::fixtures::*;
use dealpane_server::source::embedded::{EmbeddedOptions, EmbeddedStore};
use dealpane_server::source::{CustomerRecord, SalesSource};
use dealpane_server::{build_app, Settings};
use rusqlite::Connection;
use support::{count, settings, usd, Dirs, Server, ADATUM_BANK_BASE_VALUES};

fn open(path: &Path, sample_size: u32) -> EmbeddedStore {
    EmbeddedStore::open(
        path,
        EmbeddedOptions {
            sample_size,
            today: NaiveDate::from_ymd_opt(2026, 11, 22),
            ..EmbeddedOptions::default()
        },
    )
    .unwrap()
}

fn adatum() -> CustomerRecord {
    CustomerRecord {
        id: ADATUM_BANK_ID,
        name: ADATUM_BANK_NAME.to_owned(),
        kind: CustomerType::Account,
    }
}

#[tokio::test]
async fn a_mixed_currency_customer_is_ordered_by_base_value_not_raw_amount() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("sales.db"), 30);
    assert_eq!(store.base_currency().await.as_deref(), Some("USD"));

    let deals = store.open_deals(&adatum(), 10).await.unwrap();
    let names: Vec<&str> = deals.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ADATUM_BANK_OPEN_DEAL_NAMES);
    assert_eq!(deals[0].id, ADATUM_BANK_TOP_DEAL_ID);

    let values: Vec<(f64, &str)> = deals
        .iter()
        .map(|d| {
            let value = d.value.as_ref().unwrap();
            (value.amount, value.currency.as_str())
        })
        .collect();
    assert_eq!(
        values,
        [
            (425_000.0, "USD"),
            (120_000.0, "EUR"),
            (80_000.0, "GBP"),
            (9_800_000.0, "JPY")
        ]
    );
    let bases: Vec<Option<Money>> = deals.iter().map(|d| d.value_base.clone()).collect();
    assert_eq!(bases, ADATUM_BANK_BASE_VALUES.map(usd));
    let yen = deals.last().unwrap();
    assert_eq!(yen.id, ADATUM_BANK_YEN_DEAL_ID);
    assert!(
        deals
            .iter()
            .all(|d| d.value.as_ref().unwrap().amount <= 9_800_000.0),
        "by raw amount the yen deal would lead"
    );

    // The totals an agent can compare: one figure in the base currency.
    let totals = base_totals(&deals, "USD");
    assert_eq!(totals.counted, 4);
    assert_eq!(totals.unconverted, 0);
    assert!((totals.open - 722_033.93).abs() < 1e-6, "{}", totals.open);
}

#[tokio::test]
async fn every_valued_deal_has_a_base_value_in_a_generated_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sales.db");
    let store = open(&path, 300);
    // Rows that break a rule, and the rule.
    for (breaking, rule) in [
        (
            "SELECT count(*) FROM opportunity
             WHERE (estimatedvalue IS NULL) <> (estimatedvalue_base IS NULL)",
            "the value and its base value come together",
        ),
        (
            "SELECT count(*) FROM opportunity AS o
             JOIN transactioncurrency AS c ON c.transactioncurrencyid = o._transactioncurrencyid_value
             WHERE o.estimatedvalue IS NOT NULL
               AND abs(o.estimatedvalue / c.exchangerate - o.estimatedvalue_base) > 0.005",
            "base = value / the currency's rate, to the cent",
        ),
    ] {
        assert_eq!(count(&path, breaking), 0, "{rule}");
    }
    assert!(
        count(
            &path,
            "SELECT count(*) FROM opportunity AS o
             JOIN transactioncurrency AS c ON c.transactioncurrencyid = o._transactioncurrencyid_value
             WHERE c.isocurrencycode <> 'USD' AND o.statecode = 0"
        ) > 10,
        "the sample prices open deals in other currencies too"
    );
    // A generated customer with a yen deal: ordered by base value like the fixtures.
    let jpy_customer: String = Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT o._customerid_value FROM opportunity AS o
             JOIN transactioncurrency AS c ON c.transactioncurrencyid = o._transactioncurrencyid_value
             WHERE c.isocurrencycode = 'JPY' AND o.statecode = 0 AND o._customerid_value IN
                 (SELECT _customerid_value FROM opportunity WHERE statecode = 0
                  GROUP BY _customerid_value HAVING count(*) > 1)
             LIMIT 1",
            [],
            |row| row.get(0),
        )
        .unwrap();
    let found = store
        .customer_by_id(jpy_customer.parse().unwrap(), None)
        .await
        .unwrap()
        .unwrap();
    let deals = store.open_deals(&found, 50).await.unwrap();
    let mut sorted = deals.clone();
    dealpane_contract::order_deals(&mut sorted);
    assert_eq!(deals, sorted, "the store's order is the contract's");
}

#[tokio::test]
async fn no_generated_summary_ends_a_sentence_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sales.db");
    open(&path, 300);
    assert!(
        count(
            &path,
            "SELECT count(*) FROM account WHERE name LIKE '%.' AND accountid IN
                 (SELECT _customerid_value FROM opportunity WHERE statecode = 0)"
        ) > 0,
        "names ending with a period have open deals"
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM opportunity_summary WHERE summary LIKE '%..%'"
        ),
        0
    );
}

async fn serve(dirs: &Dirs) -> Server {
    let settings = Settings {
        store_path: dirs.root.path().join("sales.sqlite"),
        sample_size: 30,
        ..settings(dirs)
    };
    Server::serve(build_app(&settings).await.expect("the store opens")).await
}

#[tokio::test]
async fn the_answer_names_the_base_currency_and_text_plain_tops_by_base_value() {
    let dirs = Dirs::new();
    let server = serve(&dirs).await;
    let path = format!("/api/DealSummary?customerName={}", "adatum%20bank%20s.a.");
    let raw: serde_json::Value = server.json(&path).await;
    assert_eq!(raw["baseCurrency"], "USD");
    assert_eq!(
        raw["deals"][3]["valueBase"],
        serde_json::json!({"amount": 65333.33, "currency": "USD"})
    );
    assert_eq!(raw["deals"][3]["value"]["currency"], "JPY");

    let answer: DealSummaryResponse = serde_json::from_value(raw).unwrap();
    assert_eq!(answer.customer.id, ADATUM_BANK_ID);
    assert_eq!(answer.customer.matched_by, MatchedBy::Name);
    assert_eq!(answer.deals[0].id, ADATUM_BANK_TOP_DEAL_ID);

    let text = server.get_accepting(&path, "text/plain").await;
    assert_eq!(text.status(), 200);
    let text = text.text().await.unwrap();
    assert!(
        text.starts_with(&format!(
            "\"{}\" is an open deal with {ADATUM_BANK_NAME}, in the Propose stage. It is worth \
             USD 425,000",
            ADATUM_BANK_OPEN_DEAL_NAMES[0]
        )),
        "the top deal is the largest in the base currency: {text}"
    );
    assert!(!text.contains(".."), "{text}");

    let health: Health = server.json("/api/health").await;
    assert!(health.degradations.is_empty(), "{health:?}");
}

#[tokio::test]
async fn the_not_found_detail_ends_with_one_period() {
    let dirs = Dirs::new();
    let server = serve(&dirs).await;
    for query in [
        "customerName=Nobody%20S.A.",
        "customerId=0d1af1c5-0000-4000-8000-00000000ffff",
        "customerId=0d1af1c5-0000-4000-8000-00000000ffff&customerName=Nobody",
    ] {
        let response = server.get_json(&format!("/api/DealSummary?{query}")).await;
        assert_eq!(response.status(), 404, "{query}");
        let problem: Problem = response.json().await.unwrap();
        let detail = problem.detail.unwrap();
        assert!(detail.ends_with('.'), "{detail}");
        assert!(!detail.ends_with(".."), "{detail}");
    }
}

#[tokio::test]
async fn a_store_written_before_base_values_is_generated_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sales.db");
    // Schema 1 kept the currency's ISO code on the opportunity and no base value.
    Connection::open(&path)
        .unwrap()
        .execute_batch(
            "CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             INSERT INTO store_meta VALUES ('created_on', '2026-11-01');
             CREATE TABLE opportunity (opportunityid TEXT PRIMARY KEY, transactioncurrencyid TEXT);
             PRAGMA user_version = 1;",
        )
        .unwrap();
    let store = open(&path, 20);
    assert!(store.info().generated_now);
    let deals = store.open_deals(&adatum(), 10).await.unwrap();
    assert_eq!(deals[0].value_base, usd(425_000.0));

    // A file that is not a dealpane store is still refused.
    let other = dir.path().join("other.db");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE notes (text TEXT); PRAGMA user_version = 1;")
        .unwrap();
    assert!(EmbeddedStore::open(&other, EmbeddedOptions::default()).is_err());
}

#[tokio::test]
async fn the_connector_definition_names_every_field_of_the_answer() {
    let dirs = Dirs::new();
    let server = serve(&dirs).await;
    let doc: serde_json::Value = server.json("/api/swagger.json").await;
    let answer: serde_json::Value = server
        .json(&format!("/api/DealSummary?customerId={ADATUM_BANK_ID}"))
        .await;
    let definitions = &doc["definitions"];
    for key in answer.as_object().unwrap().keys() {
        assert!(
            definitions["dealSummary"]["properties"][key].is_object(),
            "the answer's {key} is in the connector's definition"
        );
    }
    for key in answer["deals"][0].as_object().unwrap().keys() {
        assert!(
            definitions["deal"]["properties"][key].is_object(),
            "a deal's {key} is in the connector's definition"
        );
    }
    assert_eq!(
        definitions["deal"]["properties"]["valueBase"]["$ref"],
        "#/definitions/money"
    );
}
