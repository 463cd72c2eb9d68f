//! The real wiring: `build_app` from settings opens (and fills) a SQLite store in a tempdir,
//! and the fixture customers answer over HTTP.

mod support;

use dealpane_contract::{CustomerList, DealSummaryResponse, Health, MatchedBy, SummaryState};
use dealpane_server::source::embedded::fixtures::*;
use dealpane_server::{build_app, Settings};
use support::{settings, Dirs, Server};

async fn start(dirs: &Dirs, customize: impl FnOnce(&mut Settings)) -> Server {
    let mut settings = Settings {
        store_path: dirs.root.path().join("store").join("sales.sqlite"),
        sample_size: 40,
        ..settings(dirs)
    };
    customize(&mut settings);
    Server::serve(build_app(&settings).await.expect("the store opens")).await
}

#[tokio::test]
async fn contoso_answers_in_json_and_text_from_a_real_store() {
    let dirs = Dirs::new();
    let server = start(&dirs, |_| {}).await;
    assert!(dirs.root.path().join("store/sales.sqlite").is_file());

    let json: DealSummaryResponse = server
        .json(&format!(
            "/api/DealSummary?customerId={CONTOSO_PHARMACEUTICALS_ID}"
        ))
        .await;
    assert_eq!(json.source, "embedded");
    assert_eq!(json.customer.matched_by, MatchedBy::Id);
    let names: Vec<_> = json.deals.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, CONTOSO_OPEN_DEAL_NAMES);
    assert_eq!(json.deals[0].id, CONTOSO_TOP_DEAL_ID);
    let top_summary = json.deals[0].summary.text.clone().expect("a summary");

    let text = server
        .get_accepting(
            &format!(
                "/api/DealSummary?customerName={}",
                CONTOSO_PHARMACEUTICALS_NAME.to_uppercase()
            ),
            "text/plain",
        )
        .await;
    assert_eq!(text.status(), 200);
    assert_eq!(text.text().await.unwrap(), top_summary);
}

#[tokio::test]
async fn fixture_edge_cases_over_http() {
    let dirs = Dirs::new();
    let server = start(&dirs, |_| {}).await;
    // Litware's top deal has no summary: unavailable, the other still ready; text is empty.
    let litware: DealSummaryResponse = server
        .json(&format!("/api/DealSummary?customerId={LITWARE_ID}"))
        .await;
    assert_eq!(litware.deals[0].id, LITWARE_DEAL_WITHOUT_SUMMARY_ID);
    assert_eq!(litware.deals[0].summary.state, SummaryState::Unavailable);
    assert_eq!(litware.deals[1].summary.state, SummaryState::Ready);
    let text = server
        .get_accepting(&format!("/api/DealSummary?customerId={LITWARE_ID}"), "*/*")
        .await;
    assert_eq!(text.text().await.unwrap(), "");

    // More open deals than the default top.
    let adventure: DealSummaryResponse = server
        .json(&format!("/api/DealSummary?customerId={ADVENTURE_WORKS_ID}"))
        .await;
    assert_eq!(adventure.deals.len(), 10);
    let all: DealSummaryResponse = server
        .json(&format!(
            "/api/DealSummary?customerId={ADVENTURE_WORKS_ID}&top=50"
        ))
        .await;
    assert_eq!(all.deals.len(), ADVENTURE_WORKS_OPEN_DEALS);

    // A name with an apostrophe, as a contact.
    let aoife: DealSummaryResponse = server
        .json("/api/DealSummary?customerName=aoife%20o%27brien&customerType=contact")
        .await;
    assert_eq!(aoife.customer.id, AOIFE_OBRIEN_ID);
    assert_eq!(aoife.customer.matched_by, MatchedBy::Name);

    let picker: CustomerList = server.json("/api/customers?q=contoso&top=5").await;
    assert!(picker
        .customers
        .iter()
        .any(|c| c.id == CONTOSO_PHARMACEUTICALS_ID));

    let health: Health = server.json("/api/health").await;
    assert_eq!(health.status, "ok");
    assert_eq!(health.customers, Some(40));
}

#[tokio::test]
async fn links_point_to_the_configured_sales_org() {
    let dirs = Dirs::new();
    let server = start(&dirs, |s| {
        s.dataverse_url = Some("https://contoso.crm.dynamics.com".into());
        s.dataverse_app_id = Some("0a1b2c3d-0000-4000-8000-000000000001".into());
    })
    .await;
    let json: DealSummaryResponse = server
        .json(&format!(
            "/api/DealSummary?customerId={CONTOSO_PHARMACEUTICALS_ID}&top=1"
        ))
        .await;
    let link = json.deals[0].link.as_deref().unwrap();
    assert!(link.starts_with("https://contoso.crm.dynamics.com/main.aspx?appid=0a1b2c3d-"));
    assert!(link.ends_with(&CONTOSO_TOP_DEAL_ID.to_string()));
}

#[tokio::test]
async fn a_store_path_that_cannot_be_created_is_a_clear_startup_error() {
    let dirs = Dirs::new();
    let blocker = dirs.root.path().join("a-file");
    std::fs::write(&blocker, "not a folder").unwrap();
    let settings = Settings {
        store_path: blocker.join("sales.sqlite"),
        ..settings(&dirs)
    };
    let error = build_app(&settings).await.expect_err("fails").to_string();
    assert!(error.contains("a-file"), "{error}");
}
