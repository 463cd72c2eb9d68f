//! The embedded Sales store against a real SQLite file in a temporary folder.

mod support;

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use dealpane_contract::{CustomerType, Deal, Guid, SummaryState};
use dealpane_server::source::embedded::fixtures::*;
use dealpane_server::source::embedded::{EmbeddedOptions, EmbeddedStore, StoreError};
use dealpane_server::source::{CustomerRecord, SalesSource, SourceError};
use rusqlite::Connection;
use support::count;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn options(sample_size: u32) -> EmbeddedOptions {
    EmbeddedOptions {
        sample_size,
        today: Some(today()),
        ..EmbeddedOptions::default()
    }
}

fn open(dir: &Path, sample_size: u32) -> EmbeddedStore {
    EmbeddedStore::open(&dir.join("sales.db"), options(sample_size)).unwrap()
}

fn record(id: Guid, name: &str, kind: CustomerType) -> CustomerRecord {
    CustomerRecord {
        id,
        name: name.to_owned(),
        kind,
    }
}

fn contoso() -> CustomerRecord {
    record(
        CONTOSO_PHARMACEUTICALS_ID,
        CONTOSO_PHARMACEUTICALS_NAME,
        CustomerType::Account,
    )
}

/// Every row of every table, in a stable order, as text.
fn dump(path: &Path) -> Vec<String> {
    let conn = Connection::open(path).unwrap();
    let mut rows = Vec::new();
    for (table, key) in [
        ("store_meta", "key"),
        ("account", "accountid"),
        ("contact", "contactid"),
        ("opportunity", "opportunityid"),
        ("activitypointer", "activityid"),
        ("opportunity_summary", "opportunityid"),
    ] {
        let mut statement = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY {key}"))
            .unwrap();
        let columns = statement.column_count();
        let mut query = statement.query([]).unwrap();
        while let Some(row) = query.next().unwrap() {
            let values: Vec<String> = (0..columns)
                .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                .collect();
            rows.push(format!("{table}: {}", values.join(" | ")));
        }
    }
    rows
}

#[tokio::test]
async fn generation_is_deterministic_for_a_seed_and_day() {
    let (a, b, c) = (tempdir(), tempdir(), tempdir());
    drop(open(a.path(), 300));
    drop(open(b.path(), 300));
    let other_seed = EmbeddedOptions {
        seed: 7,
        ..options(300)
    };
    drop(EmbeddedStore::open(&c.path().join("sales.db"), other_seed).unwrap());

    let first = dump(&a.path().join("sales.db"));
    assert!(first.len() > 1_000, "a 300-customer store has many rows");
    assert_eq!(first, dump(&b.path().join("sales.db")));
    assert_ne!(first, dump(&c.path().join("sales.db")), "the seed matters");
}

#[tokio::test]
async fn reopening_keeps_the_data_and_its_dates() {
    let dir = tempdir();
    let path = dir.path().join("nested/folder/sales.db");
    let store = EmbeddedStore::open(&path, options(300)).unwrap();
    assert!(store.info().generated_now);
    let stats = store.stats().await.unwrap();
    drop(store);
    let before = dump(&path);

    let later = EmbeddedOptions {
        sample_size: 40,
        today: NaiveDate::from_ymd_opt(2027, 3, 1),
        seed: 99,
        ..EmbeddedOptions::default()
    };
    let reopened = EmbeddedStore::open(&path, later).unwrap();
    assert!(!reopened.info().generated_now);
    assert_eq!(reopened.info().created_on, today());
    assert_eq!(reopened.stats().await.unwrap(), stats);
    drop(reopened);
    assert_eq!(
        dump(&path),
        before,
        "nothing regenerated, nothing duplicated"
    );
    assert_eq!(stats.customers, Some(300));
}

#[tokio::test]
async fn contoso_lists_open_deals_by_value_then_close_date_nulls_last() {
    let dir = tempdir();
    let store = open(dir.path(), 50);
    let deals = store.open_deals(&contoso(), 10).await.unwrap();
    let names: Vec<&str> = deals.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, CONTOSO_OPEN_DEAL_NAMES);
    assert_eq!(deals[0].id, CONTOSO_TOP_DEAL_ID);
    assert!(deals
        .iter()
        .all(|d| d.id != CONTOSO_WON_DEAL_ID && d.id != CONTOSO_LOST_DEAL_ID));

    let top = &deals[0];
    assert_eq!(top.stage.as_deref(), Some("Propose"));
    assert_eq!(
        top.value.as_ref().map(|v| (v.amount, v.currency.as_str())),
        Some((250_000.0, "USD"))
    );
    assert_eq!(top.probability, Some(70));
    assert_eq!(top.close_date.as_deref(), Some("2026-12-15"));
    assert_eq!(top.owner.as_deref(), Some("Alex Wu"));
    assert_eq!(
        top.forecast_category,
        Some(dealpane_contract::ForecastCategory::BestCase)
    );
    assert_eq!(
        top.summary.state,
        SummaryState::Unavailable,
        "the service fills it in"
    );
    assert_eq!(top.link, None, "no org URL, no link");
    assert_eq!(
        top.modified_on.as_deref(),
        Some("2026-11-19T09:00:00Z"),
        "the planned task is the latest touch"
    );

    let overdue = &deals[3];
    assert_eq!(overdue.close_date.as_deref(), Some("2026-11-10"));
    let undated = &deals[4];
    assert_eq!(undated.close_date, None);
    assert_eq!(undated.probability, None);
    assert_eq!(undated.value.as_ref().unwrap().currency, "EUR");
    let blank = &deals[5];
    assert_eq!(
        (
            blank.value.clone(),
            blank.probability,
            blank.close_date.clone(),
            blank.owner.clone()
        ),
        (None, None, None, None)
    );
    assert_eq!(blank.forecast_category, None);

    let two = store.open_deals(&contoso(), 2).await.unwrap();
    assert_eq!(two, deals[..2].to_vec());
}

#[tokio::test]
async fn deal_links_point_at_the_configured_org() {
    let dir = tempdir();
    let linked = EmbeddedOptions {
        org_link_base: Some("https://contoso.crm.dynamics.com/".into()),
        app_id: Some("0a1b2c3d-0000-4000-8000-000000000001".into()),
        ..options(20)
    };
    let store = EmbeddedStore::open(&dir.path().join("sales.db"), linked).unwrap();
    let deals = store.open_deals(&contoso(), 1).await.unwrap();
    assert_eq!(
        deals[0].link.as_deref(),
        Some(
            "https://contoso.crm.dynamics.com/main.aspx?appid=0a1b2c3d-0000-4000-8000-000000000001\
             &pagetype=entityrecord&etn=opportunity&id=0d1af1c5-0000-4000-8000-00000000d001"
        )
    );
}

/// The ordering rule and "open only" on every customer of a generated store, not just Contoso.
#[tokio::test]
async fn every_customer_gets_only_open_deals_in_order() {
    let dir = tempdir();
    let path = dir.path().join("sales.db");
    let store = EmbeddedStore::open(&path, options(300)).unwrap();
    let conn = Connection::open(&path).unwrap();
    let mut statement = conn
        .prepare(
            "SELECT accountid, name, 'account', (SELECT count(*) FROM opportunity WHERE _customerid_value = accountid AND statecode = 0) FROM account
             UNION ALL
             SELECT contactid, fullname, 'contact', (SELECT count(*) FROM opportunity WHERE _customerid_value = contactid AND statecode = 0) FROM contact",
        )
        .unwrap();
    let customers: Vec<(String, String, String, i64)> = statement
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(customers.len(), 300);
    let mut with_many = 0;
    let mut with_none = 0;
    for (id, name, kind, open) in customers {
        let customer = record(
            Guid::parse(&id).unwrap(),
            &name,
            CustomerType::parse(&kind).unwrap(),
        );
        let deals = store.open_deals(&customer, 50).await.unwrap();
        assert_eq!(
            deals.len() as i64,
            open,
            "{name}: every open deal, nothing else"
        );
        assert!(
            deals.windows(2).all(|pair| in_order(&pair[0], &pair[1])),
            "{name}: {deals:#?}"
        );
        with_many += usize::from(open >= 12);
        with_none += usize::from(open == 0);
    }
    assert!(with_many >= 2, "some customers have 12 or more open deals");
    assert!(with_none >= 10, "some customers have none");
    for sql in [
        "SELECT count(*) FROM opportunity WHERE statecode = 0 AND estimatedvalue IS NULL",
        "SELECT count(*) FROM opportunity WHERE statecode = 0 AND closeprobability IS NULL",
        "SELECT count(*) FROM opportunity WHERE statecode = 0 AND estimatedclosedate IS NULL",
        "SELECT count(*) FROM opportunity WHERE statecode = 0 AND estimatedclosedate < '2026-11-22'",
        "SELECT count(*) FROM opportunity WHERE statecode IN (1, 2)",
        "SELECT count(*) FROM opportunity AS o JOIN transactioncurrency AS c
         ON c.transactioncurrencyid = o._transactioncurrencyid_value WHERE c.isocurrencycode = 'JPY'",
        "SELECT count(*) FROM account WHERE name LIKE '%''%'",
    ] {
        assert!(count(&path, sql) > 0, "the sample holds rows for: {sql}");
    }
}

/// `a` may precede `b`: higher base value first, then earlier close date; nulls last in both.
fn in_order(a: &Deal, b: &Deal) -> bool {
    let value = |d: &Deal| d.value_base.as_ref().map(|v| v.amount);
    match (value(a), value(b)) {
        (Some(x), Some(y)) if x != y => x > y,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        _ => match (&a.close_date, &b.close_date) {
            (Some(x), Some(y)) => x <= y,
            (Some(_), None) | (None, None) => true,
            (None, Some(_)) => false,
        },
    }
}

#[tokio::test]
async fn names_match_whatever_the_case_blanks_and_script() {
    let dir = tempdir();
    let store = open(dir.path(), 50);
    let cases = [
        ("contoso pharmaceuticals", CONTOSO_PHARMACEUTICALS_ID),
        ("  CONTOSO PHARMACEUTICALS \t", CONTOSO_PHARMACEUTICALS_ID),
        ("AOIFE O'BRIEN", AOIFE_OBRIEN_ID),
        ("côte d'azur logistique", COTE_DAZUR_ID),
        ("CÔTE D'AZUR LOGISTIQUE", COTE_DAZUR_ID),
        ("株式会社コントソ", KABUSHIKI_CONTOSO_ID),
        ("арктика логистик", ARKTIKA_ID),
        ("АРКТИКА ЛОГИСТИК", ARKTIKA_ID),
        ("ΕΛΛΗΝΙΚΉ ΝΑΥΤΙΛΊΑ", HELLENIC_ID),
        (ARABIC_NAME, ARABIC_ID),
    ];
    for (name, id) in cases {
        let found = store.customer_by_name(name, None).await.unwrap();
        assert_eq!(found.map(|c| c.id), Some(id), "{name:?}");
    }
    let aoife = store
        .customer_by_name(AOIFE_OBRIEN_NAME, None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        aoife,
        record(AOIFE_OBRIEN_ID, AOIFE_OBRIEN_NAME, CustomerType::Contact)
    );
    for missing in [
        "Contoso",
        "Aoife OBrien",
        "",
        "   ",
        "contoso pharmaceuticals inc",
    ] {
        assert_eq!(
            store.customer_by_name(missing, None).await.unwrap(),
            None,
            "{missing:?}"
        );
    }
    assert_eq!(
        store
            .customer_by_name(AOIFE_OBRIEN_NAME, Some(CustomerType::Account))
            .await
            .unwrap(),
        None,
        "she is a contact"
    );
}

#[tokio::test]
async fn several_matches_prefer_accounts_then_the_latest_modified() {
    let dir = tempdir();
    let store = open(dir.path(), 50);
    let id = |kind| {
        let store = &store;
        async move {
            store
                .customer_by_name("tailspin toys", kind)
                .await
                .unwrap()
                .map(|c| (c.id, c.kind))
        }
    };
    assert_eq!(
        id(None).await,
        Some((TAILSPIN_TOYS_ID, CustomerType::Account))
    );
    assert_eq!(
        id(Some(CustomerType::Account)).await,
        Some((TAILSPIN_TOYS_ID, CustomerType::Account))
    );
    assert_eq!(
        id(Some(CustomerType::Contact)).await,
        Some((TAILSPIN_TOYS_CONTACT_ID, CustomerType::Contact))
    );
}

#[tokio::test]
async fn customers_by_id_respect_the_kind() {
    let dir = tempdir();
    let store = open(dir.path(), 20);
    for (kind, found) in [
        (None, Some(contoso())),
        (Some(CustomerType::Account), Some(contoso())),
        (Some(CustomerType::Contact), None),
    ] {
        let by_id = store.customer_by_id(CONTOSO_PHARMACEUTICALS_ID, kind);
        assert_eq!(by_id.await.unwrap(), found, "{kind:?}");
    }
    let contact = store
        .customer_by_id(AOIFE_OBRIEN_ID, None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(contact.kind, CustomerType::Contact);
    let unknown = Guid::parse("00000000-0000-4000-8000-000000000000").unwrap();
    assert_eq!(store.customer_by_id(unknown, None).await.unwrap(), None);
}

#[tokio::test]
async fn prefix_search_is_case_insensitive_sorted_and_bounded() {
    let dir = tempdir();
    let store = open(dir.path(), 300);
    let found = store.search_customers("CONTOSO", 20).await.unwrap();
    assert!(!found.is_empty() && found.len() <= 20);
    assert!(
        found
            .iter()
            .all(|c| c.name.to_lowercase().starts_with("contoso")),
        "{found:#?}"
    );
    let keys: Vec<String> = found.iter().map(|c| c.name.to_lowercase()).collect();
    assert!(keys.windows(2).all(|k| k[0] <= k[1]), "by name: {keys:?}");
    let pharma = found
        .iter()
        .find(|c| c.id == CONTOSO_PHARMACEUTICALS_ID)
        .unwrap();
    assert_eq!(pharma.open_deals, Some(6));
    assert_eq!(pharma.kind, CustomerType::Account);

    assert_eq!(store.search_customers("", 5).await.unwrap().len(), 5);
    assert_eq!(store.search_customers("contoso", 1).await.unwrap().len(), 1);
    assert!(store.search_customers("zzqx", 10).await.unwrap().is_empty());
    let hits = |prefix: &'static str| {
        let store = &store;
        async move {
            store
                .search_customers(prefix, 20)
                .await
                .unwrap()
                .into_iter()
                .map(|c| c.id)
                .collect::<Vec<Guid>>()
        }
    };
    assert!(hits("株式会社コ").await.contains(&KABUSHIKI_CONTOSO_ID));
    assert!(hits("АРК").await.contains(&ARKTIKA_ID));
    assert!(hits("  aoife o'b").await.contains(&AOIFE_OBRIEN_ID));
    assert!(hits("Côte d'").await.contains(&COTE_DAZUR_ID));
    let fabrikam = store
        .search_customers(FABRIKAM_RESIDENCES_NAME, 5)
        .await
        .unwrap();
    assert_eq!(fabrikam[0].open_deals, Some(0));
}

#[tokio::test]
async fn summaries_are_stored_per_open_deal_and_one_is_missing_on_purpose() {
    let dir = tempdir();
    let store = open(dir.path(), 20);
    let text = store.deal_summary(CONTOSO_TOP_DEAL_ID).await.unwrap();
    assert!(
        text.starts_with(
            "\"Espresso machines for 4 sites\" is an open deal with Contoso Pharmaceuticals"
        ),
        "{text}"
    );
    assert!(
        text.contains("Latest activity: on 18 Nov 2026 Alex Wu sent an email"),
        "{text}"
    );
    assert!(text.contains("Next step: Send revised quote"), "{text}");
    assert!(text.contains("\n\n"), "paragraphs: {text}");
    let stored = store
        .stored_summary(CONTOSO_TOP_DEAL_ID)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.text, text);
    assert_eq!(stored.generated_at, "2026-11-22T00:00:00Z");

    let litware = record(LITWARE_ID, LITWARE_NAME, CustomerType::Account);
    let deals = store.open_deals(&litware, 10).await.unwrap();
    assert_eq!(
        deals[0].id, LITWARE_DEAL_WITHOUT_SUMMARY_ID,
        "the failing one comes first"
    );
    let error = store
        .deal_summary(LITWARE_DEAL_WITHOUT_SUMMARY_ID)
        .await
        .unwrap_err();
    assert!(
        matches!(error, SourceError::Upstream(ref m) if m.contains("no summary")),
        "{error}"
    );
    assert!(store
        .deal_summary(LITWARE_DEAL_WITH_SUMMARY_ID)
        .await
        .is_ok());
    assert!(
        store.deal_summary(CONTOSO_WON_DEAL_ID).await.is_err(),
        "closed deals have none"
    );
}

#[tokio::test]
async fn top_bounds_many_deals_and_empty_customers_answer_empty() {
    let dir = tempdir();
    let store = open(dir.path(), 20);
    let adventure = record(
        ADVENTURE_WORKS_ID,
        ADVENTURE_WORKS_NAME,
        CustomerType::Account,
    );
    assert_eq!(store.open_deals(&adventure, 10).await.unwrap().len(), 10);
    assert_eq!(
        store.open_deals(&adventure, 50).await.unwrap().len(),
        ADVENTURE_WORKS_OPEN_DEALS
    );
    // The benchmark's customer: exactly eight open deals, each with a summary to make.
    let nod = record(
        NOD_PUBLISHERS_ID,
        NOD_PUBLISHERS_NAME,
        CustomerType::Account,
    );
    let nod_deals = store.open_deals(&nod, 50).await.unwrap();
    assert_eq!(nod_deals.len(), NOD_PUBLISHERS_OPEN_DEALS);
    for deal in &nod_deals {
        assert!(store.deal_summary(deal.id).await.is_ok(), "{}", deal.name);
    }
    for (id, name) in [
        (FABRIKAM_RESIDENCES_ID, FABRIKAM_RESIDENCES_NAME),
        (NORTHWIND_TRADERS_ID, NORTHWIND_TRADERS_NAME),
    ] {
        let deals = store
            .open_deals(&record(id, name, CustomerType::Account), 10)
            .await
            .unwrap();
        assert!(deals.is_empty(), "{name}");
    }
}

#[tokio::test]
async fn a_small_sample_still_holds_every_fixture() {
    let dir = tempdir();
    let store = open(dir.path(), 3);
    let stats = store.stats().await.unwrap();
    assert_eq!(stats.customers, Some(FIXED_CUSTOMERS as u64));
    for (id, name) in [
        (CONTOSO_PHARMACEUTICALS_ID, CONTOSO_PHARMACEUTICALS_NAME),
        (TAILSPIN_TOYS_OLDER_ID, TAILSPIN_TOYS_NAME),
        (HELLENIC_ID, HELLENIC_NAME),
    ] {
        let found = store.customer_by_id(id, None).await.unwrap().unwrap();
        assert_eq!(found.name, name);
    }
}

#[tokio::test]
async fn a_file_that_is_not_a_store_is_refused_with_advice() {
    let dir = tempdir();
    let path = dir.path().join("other.db");
    Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE notes (text TEXT)")
        .unwrap();
    let error = EmbeddedStore::open(&path, options(10)).err().unwrap();
    assert!(matches!(error, StoreError::Foreign { .. }), "{error}");
    assert!(error.to_string().contains("delete it"), "{error}");

    let text = dir.path().join("text.db");
    std::fs::write(
        &text,
        "not a database, just text that is long enough to have a header",
    )
    .unwrap();
    assert!(EmbeddedStore::open(&text, options(10)).is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_concurrent_requests_all_answer() {
    let dir = tempdir();
    let store = Arc::new(open(dir.path(), 300));
    let started = Instant::now();
    let tasks: Vec<_> = (0..64)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let customer = store
                    .customer_by_name(CONTOSO_PHARMACEUTICALS_NAME, None)
                    .await
                    .unwrap()
                    .unwrap();
                let deals = store.open_deals(&customer, 10).await.unwrap();
                let summary = store.deal_summary(deals[i % deals.len()].id).await.unwrap();
                let found = store.search_customers("co", 20).await.unwrap();
                (deals.len(), summary.len(), found.len())
            })
        })
        .collect();
    for task in tasks {
        let (deals, summary, found) = task.await.unwrap();
        assert_eq!(deals, 6);
        assert!(summary > 100 && found > 0);
    }
    println!("64 concurrent request sequences in {:?}", started.elapsed());
}

#[tokio::test]
async fn five_thousand_customers_generate_in_seconds() {
    let dir = tempdir();
    let started = Instant::now();
    let store = open(dir.path(), 5_000);
    let elapsed = started.elapsed();
    let stats = store.stats().await.unwrap();
    println!(
        "generated 5,000 customers ({} open deals) in {elapsed:?}",
        stats.deals.unwrap()
    );
    assert_eq!(stats.customers, Some(5_000));
    assert!(elapsed.as_secs() < 60, "took {elapsed:?}");
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}
