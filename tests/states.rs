//! Browser tests of the pane's states: each one distinct, announced, and reached without a
//! request when there is nothing to ask.
#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::json;
use support::helpers::*;
use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn an_unfilled_slug_names_the_parameter_and_sends_nothing() {
    let fixture = Fixture::new();
    let pane = mount("?customerId={anchor._customerid_value}&customerName=Contoso");
    pane.wait_for("[data-state=warning]").await;
    let text = pane.text();
    assert!(text.contains("customerId"), "{text}");
    assert!(
        text.contains("{anchor._customerid_value}"),
        "the slug to fix: {text}"
    );
    fixture.assert_nothing_sent_to("", 300).await;
    assert!(pane.announced().contains("customerId"));
}

#[wasm_bindgen_test]
async fn an_invalid_guid_sends_nothing() {
    let words = "customerId is not a valid GUID";
    says_without_asking("?customerId=not-a-guid", "[data-state=warning]", words, "").await;
}

/// Mounted at `query`, the pane shows `words` in `selector` and sends nothing to `pattern`.
async fn says_without_asking(query: &str, selector: &str, words: &str, pattern: &str) {
    let fixture = Fixture::new();
    let pane = mount(query);
    pane.shows(selector, words).await;
    fixture.assert_nothing_sent_to(pattern, 300).await;
}

#[wasm_bindgen_test]
async fn a_malformed_config_file_is_explained_not_a_blank_page() {
    let (fixture, pane) = mount_answered(CONFIG, 200, "application/json", "{\"apiBase\": ");
    pane.shows("[data-state=error]", "configuration file can't be read")
        .await;
    // No API call with a broken config.
    fixture.assert_nothing_sent_to(DEALS, 200).await;
}

#[wasm_bindgen_test]
async fn loading_shows_a_skeleton_marks_main_busy_and_says_so_once() {
    let fixture = Fixture::new();
    fixture.reply_slowly(
        DEALS,
        400,
        200,
        "application/json",
        &answer("Contoso", vec![deal(1, "A", 1.0, "Close")]).to_string(),
    );
    let pane = mount(QUERY);
    // While config.json is read the cards are wordless; loading deals, they say so.
    pane.wait_for(".dp-skeleton__label").await;
    let main = pane.find("main").unwrap();
    assert_eq!(main.get_attribute("aria-busy").as_deref(), Some("true"));
    assert_eq!(pane.announced(), "Loading deals…");
    assert_eq!(pane.heading(), "Contoso", "the name from the URL");
    pane.wait_for("article.dp-card").await;
    assert_eq!(main.get_attribute("aria-busy").as_deref(), Some("false"));
    assert!(pane.find(".dp-skeleton").is_none());
}

#[wasm_bindgen_test]
async fn the_header_shows_the_id_until_the_answer_names_the_customer() {
    let fixture = Fixture::new();
    fixture.reply_slowly(
        DEALS,
        300,
        200,
        "application/json",
        &answer("Contoso Ltd", vec![]).to_string(),
    );
    let pane = mount(&format!("?{CUSTOMER_ID}"));
    // The pane's own loading state (labelled), not the wordless cards before its layout.
    pane.wait_for(".dp-skeleton__label").await;
    assert_eq!(pane.heading(), CUSTOMER_ID);
    pane.wait_for("[data-state=info]").await;
    assert_eq!(pane.heading(), "Contoso Ltd");
}

#[wasm_bindgen_test]
async fn no_open_deals_is_its_own_state() {
    let fixture = Fixture::new();
    fixture.contoso(vec![]);
    let pane = mount(QUERY);
    pane.wait_for("[data-state=info]").await;
    assert!(pane.text().contains("No open deals for this customer"));
    assert!(pane.find(".dp-chart").is_none(), "no empty chart");
    assert!(pane.text().contains("0 open deals"));
    assert_eq!(pane.announced(), "No open deals for this customer");
}

#[wasm_bindgen_test]
async fn a_404_says_the_customer_was_not_found_in_sales() {
    let fixture = Fixture::new();
    let missing = "No account or contact named 'Contoso'.";
    reply_problem(
        &fixture,
        DEALS,
        404,
        ("Customer not found", missing, "t-404"),
    );
    let pane = mount(QUERY);
    pane.wait_for("[data-state=warning]").await;
    let text = pane.text();
    assert!(
        text.contains("This customer was not found in Sales"),
        "{text}"
    );
    assert!(
        text.contains("No account or contact named 'Contoso'."),
        "{text}"
    );
    assert_eq!(fixture.requests_to(DEALS).len(), 1, "a 404 is not retried");
    assert_eq!(pane.live_politeness().as_deref(), Some("assertive"));
}

#[wasm_bindgen_test]
async fn unavailable_and_disabled_summaries_keep_the_deal_with_one_line() {
    let fixture = Fixture::new();
    let mut unavailable = deal(1, "Grinders", 400.0, "Develop");
    unavailable["summary"] = json!({"state": "unavailable"});
    let mut disabled = deal(2, "Milk frothers", 300.0, "Develop");
    disabled["summary"] = json!({"state": "disabled"});
    fixture.contoso(vec![unavailable, disabled]);
    let pane = mount(QUERY);
    pane.wait_for("article.dp-card").await;
    pane.open_all_cards().await;
    let cards = pane.all("article.dp-card");
    assert_eq!(cards.len(), 2);
    let first = cards[0].text_content().unwrap();
    assert!(first.contains("Summary unavailable right now"), "{first}");
    let second = cards[1].text_content().unwrap();
    assert!(
        second.contains("Summaries are turned off by your admin."),
        "{second}"
    );
    assert!(
        !first.contains("Copy summary") && !second.contains("Copy summary"),
        "nothing to copy"
    );
    assert_eq!(pane.all("[data-summary=unavailable]").len(), 1);
    assert_eq!(pane.all("[data-summary=disabled]").len(), 1);
}

#[wasm_bindgen_test]
async fn offline_says_so_sends_nothing_and_loads_when_back_online() {
    let fixture = Fixture::new();
    fixture.contoso(vec![deal(1, "Grinders", 1.0, "Develop")]);
    go_offline();
    let pane = mount(QUERY);
    offline_then_loaded(&pane, &fixture, "You're offline", 0).await;
}

/// The pane says `words`, with `sent` requests so far; back online, it loads with one more.
async fn offline_then_loaded(pane: &Pane, fixture: &Fixture, words: &str, sent: usize) {
    pane.shows("[data-state=warning]", words).await;
    assert_eq!(fixture.requests_to(DEALS).len(), sent, "{words}");
    come_back_online();
    pane.wait_for("article.dp-card").await;
    assert_eq!(fixture.requests_to(DEALS).len(), sent + 1);
}

#[wasm_bindgen_test]
async fn a_network_failure_is_retried_once_then_waits_for_the_connection() {
    let fixture = Fixture::new();
    fixture.fail_network(DEALS).fail_network(DEALS).json(
        DEALS,
        &answer("Contoso", vec![deal(1, "Grinders", 1.0, "Develop")]),
    );
    let pane = mount(QUERY);
    // The first try and one retry, then the wait for the connection.
    offline_then_loaded(&pane, &fixture, "can't be reached", 2).await;
}

#[wasm_bindgen_test]
async fn a_non_problem_error_page_still_gets_words_and_retry() {
    let html = "<h1>Internal Server Error</h1>";
    let (_fixture, pane) = mount_answered(DEALS, 500, "text/html", html);
    pane.shows("[data-state=error]", "Couldn't load deals")
        .await;
    assert!(
        pane.all("h1").len() == 1,
        "the proxy's HTML is not rendered"
    );
    assert!(pane.button("Retry").is_connected());
}

#[wasm_bindgen_test]
async fn an_answer_that_breaks_the_contract_is_reported() {
    capture_console_warnings();
    let (_fixture, pane) = mount_answered(DEALS, 200, "application/json", "{\"deals\": 3}");
    pane.shows("[data-state=error]", "an answer the pane can't read")
        .await;
    // The console says why, for whoever debugs it, without the query (it names the customer).
    let logged: Vec<String> = console_warnings_logged()
        .into_iter()
        .filter(|line| line.contains("can't read"))
        .collect();
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert!(logged[0].contains("/DealSummary sent"), "{}", logged[0]);
    assert!(!logged[0].contains('?'), "{}", logged[0]);
}

#[wasm_bindgen_test]
async fn without_a_customer_the_pane_offers_a_search_and_sends_no_deal_request() {
    let words = "No customer in this session";
    says_without_asking("", "input[role=combobox]", words, DEALS).await;
}
