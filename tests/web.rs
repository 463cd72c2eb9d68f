//! Browser tests of the deals view: the three kinds of answer, the request the pane sends and
//! the rendered cards. Run by `cargo xtask test` under wasm-bindgen-test in headless Chromium.
#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::json;
use support::helpers::*;
use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn three_deals() -> serde_json::Value {
    let mut small = deal(3, "Service contract", 20_000.0, "Qualify");
    small["value"]["currency"] = json!("EUR");
    small["closeDate"] = json!(date_in_days(-3));
    small["link"] = serde_json::Value::Null;
    answer(
        "Contoso Pharmaceuticals",
        vec![
            deal(1, "Grinders", 40_000.0, "Develop"),
            deal(2, "Espresso machines for 4 sites", 250_000.0, "Propose"),
            small,
        ],
    )
}

#[wasm_bindgen_test]
async fn a_json_answer_shows_the_customer_its_totals_and_one_card_per_deal() {
    let fixture = Fixture::new();
    fixture.json(DEALS, &three_deals());
    let pane = mount(QUERY);
    pane.wait_for("article.dp-card").await;

    let sent = fixture.requests_to(DEALS);
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].accept.as_deref(),
        Some("application/json, text/plain;q=0.5")
    );
    assert!(
        sent[0].url.ends_with(&format!(
            "/api/DealSummary?customerId={CUSTOMER_ID}&customerName=Contoso"
        )),
        "lowercase hyphenated id, config.json absent so the default /api: {}",
        sent[0].url
    );
    assert_eq!(
        fixture.requests_to(CONFIG).len(),
        1,
        "config.json is asked for once"
    );

    let header = pane.find("header").expect("a header landmark");
    let header_text = header.text_content().unwrap();
    assert_eq!(pane.heading(), "Contoso Pharmaceuticals");
    assert!(header_text.contains("3 open deals"), "{header_text}");
    assert!(
        header_text.contains("$290,000"),
        "USD open total: {header_text}"
    );
    assert!(
        header_text.contains("€20,000"),
        "EUR total apart: {header_text}"
    );
    assert!(
        header_text.contains("$145,000"),
        "weighted at 50 %: {header_text}"
    );
    assert!(header_text.contains("Updated 2 min ago"), "{header_text}");
    assert!(pane.find("main").is_some(), "a main landmark");
    assert_eq!(
        pane.find("main")
            .unwrap()
            .get_attribute("aria-busy")
            .as_deref(),
        Some("false")
    );

    let cards = pane.all("article.dp-card");
    assert_eq!(cards.len(), 3);
    for card in &cards {
        let label = card.get_attribute("aria-labelledby").unwrap();
        let heading = support::document()
            .get_element_by_id(&label)
            .expect("the label exists");
        assert!(card.contains(Some(&heading)));
    }
    let expanded: Vec<String> = pane
        .all(".dp-card__toggle")
        .iter()
        .map(|b| b.get_attribute("aria-expanded").unwrap())
        .collect();
    assert_eq!(
        expanded,
        ["false", "true", "false"],
        "the largest deal starts expanded"
    );

    let big = &cards[1];
    let text = big.text_content().unwrap();
    for expected in [
        "Espresso machines for 4 sites",
        "Propose",
        "$250,000",
        "50%",
        "in 12 days",
        "Alex Wu",
        "Best case",
        "Summary of Espresso machines for 4 sites.",
    ] {
        assert!(text.contains(expected), "{expected:?} missing in {text}");
    }
    let link = big
        .query_selector("a[href]")
        .unwrap()
        .expect("Open in Sales");
    assert_eq!(link.get_attribute("target").as_deref(), Some("_blank"));
    assert_eq!(
        link.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
    assert!(link
        .get_attribute("href")
        .unwrap()
        .starts_with("https://org.crm.dynamics.com/"));

    let overdue = cards[2].text_content().unwrap();
    assert!(overdue.contains("overdue by 3 days"), "{overdue}");
    assert!(
        cards[2].query_selector("a[href]").unwrap().is_none(),
        "no Open in Sales without a link"
    );
    assert!(pane
        .live_region()
        .text_content()
        .unwrap()
        .contains("3 open deals"));
}

#[wasm_bindgen_test]
async fn the_pipeline_chart_is_an_image_whose_name_lists_each_stage() {
    let fixture = Fixture::new();
    fixture.json(DEALS, &three_deals());
    let pane = mount(QUERY);
    let chart = pane.wait_for(".dp-chart [role=img]").await;
    let name = chart.get_attribute("aria-label").unwrap();
    assert!(name.contains("Develop: $40,000"), "{name}");
    assert!(name.contains("Propose: $250,000"), "{name}");
    assert!(
        !name.contains("Qualify"),
        "the EUR deal is not on the USD chart: {name}"
    );
    assert_eq!(
        chart.query_selector_all(".dp-chart__bar").unwrap().length(),
        2
    );
    assert_eq!(
        bar_widths(&pane),
        ["width: 16%;", "width: 100%;"],
        "each bar's share of the largest stage"
    );
    assert!(
        pane.text().contains("Amounts in USD"),
        "the currency note says what is left out"
    );
}

#[wasm_bindgen_test]
async fn a_text_answer_becomes_one_summary_card_with_its_paragraphs() {
    let fixture = Fixture::new();
    fixture.reply(
        DEALS,
        200,
        "text/plain; charset=utf-8",
        "Espresso machines for 4 sites.\nProposal sent.\n\nNext: a site visit.",
    );
    let pane = mount(QUERY);
    let card = pane.wait_for("article[data-plain]").await;
    assert_eq!(pane.all("article").len(), 1);
    let paragraphs = card.query_selector_all(".dp-summary__text p").unwrap();
    assert_eq!(paragraphs.length(), 2, "a blank line separates paragraphs");
    assert_eq!(
        card.query_selector_all(".dp-summary__text br")
            .unwrap()
            .length(),
        1
    );
    assert!(card.text_content().unwrap().contains("Next: a site visit."));
    assert!(
        card.text_content().unwrap().contains("Contoso"),
        "named after the customer"
    );
}

#[wasm_bindgen_test]
async fn a_problem_answer_shows_its_title_detail_and_trace_id_and_retry_asks_again() {
    let fixture = Fixture::new();
    fixture
        .reply(
            DEALS,
            401,
            "application/problem+json",
            &problem(
                401,
                "Missing or wrong function key",
                "Send the key as code=.",
                "00-trace-42-01",
            ),
        )
        .json(DEALS, &three_deals());
    let pane = mount(QUERY);
    pane.wait_for("[data-state=error]").await;
    let text = pane.text();
    assert!(text.contains("Missing or wrong function key"), "{text}");
    assert!(text.contains("Send the key as code=."), "{text}");
    assert_eq!(
        pane.find(".dp-trace__id")
            .unwrap()
            .text_content()
            .as_deref(),
        Some("00-trace-42-01")
    );
    assert!(pane.button("Copy trace ID").is_connected());
    assert_eq!(
        pane.live_politeness().as_deref(),
        Some("assertive"),
        "errors are announced assertively"
    );
    assert_eq!(fixture.requests_to(DEALS).len(), 1, "a 401 is not retried");

    pane.button("Retry").click();
    pane.wait_for("article.dp-card").await;
    assert_eq!(fixture.requests_to(DEALS).len(), 2);
    assert_eq!(pane.live_politeness().as_deref(), Some("polite"));
}

#[wasm_bindgen_test]
async fn a_502_is_retried_once_then_the_deals_show() {
    let fixture = Fixture::new();
    reply_problem(&fixture, DEALS, 502, ("Upstream failed", "", "t1")).json(DEALS, &three_deals());
    let pane = mount(QUERY);
    pane.wait_for("article.dp-card").await;
    assert_eq!(fixture.requests_to(DEALS).len(), 2, "one retry");
}

#[wasm_bindgen_test]
async fn two_gateway_failures_end_in_the_error_state_after_one_retry() {
    let fixture = Fixture::new();
    reply_problem(&fixture, DEALS, 504, ("", "", "t-504"));
    let pane = mount(QUERY);
    pane.wait_for("[data-state=error]").await;
    assert_eq!(fixture.requests_to(DEALS).len(), 2);
    pane.assert_shows("Sales took too long to answer");
    assert!(pane.text().contains("t-504"));
}

#[wasm_bindgen_test]
async fn a_429_waits_for_retry_after_and_retries_once() {
    let fixture = Fixture::new();
    fixture
        .reply_with_headers(
            DEALS,
            429,
            "application/problem+json",
            &problem(429, "Too many requests", "", "t429"),
            json!({"retry-after": "0.3"}),
        )
        .json(DEALS, &three_deals());
    let pane = mount(QUERY);
    pane.wait_for("article.dp-card").await;
    let sent = fixture.requests_to(DEALS);
    assert_eq!(sent.len(), 2);
    let waited = sent[1].at_ms - sent[0].at_ms;
    assert!(waited >= 290.0, "waited {waited} ms for Retry-After: 0.3");
}

#[wasm_bindgen_test]
async fn refresh_during_a_slow_request_aborts_it() {
    let fixture = Fixture::new();
    fixture
        .reply_slowly(
            DEALS,
            5_000,
            200,
            "application/json",
            &three_deals().to_string(),
        )
        .json(
            DEALS,
            &answer(
                "Contoso Refreshed",
                vec![deal(7, "Fresh deal", 1.0, "Close")],
            ),
        );
    let pane = mount(QUERY);
    pane.wait_for(".dp-skeleton").await;
    assert!(wait_until(|| fixture.requests_to(DEALS).len() == 1, 1_000).await);
    pane.button("Refresh").click();
    pane.wait_for_text("Fresh deal").await;
    let sent = fixture.requests_to(DEALS);
    assert_eq!(sent.len(), 2);
    assert!(sent[0].aborted, "the first request's AbortSignal fired");
    assert!(!sent[1].aborted);
    assert_eq!(pane.heading(), "Contoso Refreshed");
}

#[wasm_bindgen_test]
async fn a_request_that_outlives_the_configured_timeout_is_aborted_and_reported() {
    let fixture = Fixture::new();
    fixture
        .json(CONFIG, &json!({"requestTimeoutMs": 1000}))
        .reply_slowly(
            DEALS,
            10_000,
            200,
            "application/json",
            &three_deals().to_string(),
        );
    let pane = mount(QUERY);
    let found = wait_until(|| pane.find("[data-state=error]").is_some(), 3_000).await;
    assert!(found, "{}", pane.text());
    pane.assert_shows("did not answer within 1 seconds");
    let sent = fixture.requests_to(DEALS);
    assert_eq!(sent.len(), 1, "a timeout is not retried");
    assert!(
        sent[0].aborted,
        "the timed-out request was aborted, not left running"
    );
}

#[wasm_bindgen_test]
async fn config_json_moves_the_api() {
    let fixture = Fixture::new();
    fixture
        .json(
            CONFIG,
            &json!({"apiBase": "https://deals.example.com/api/"}),
        )
        .json("https://deals.example.com/api/DealSummary?", &three_deals());
    let pane = mount(QUERY);
    pane.wait_for("article.dp-card").await;
    let sent = fixture.only_request_to("DealSummary");
    let configured = "https://deals.example.com/api/DealSummary?customerId=";
    assert!(sent.url.starts_with(configured), "{}", sent.url);
}

#[wasm_bindgen_test]
async fn text_from_the_backend_is_never_markup() {
    const IMG: &str = "<img src=x onerror=\"window.__dealpaneXss=1\">";
    const SCRIPT: &str = "<script>window.__dealpaneXss=2</script>";
    let fixture = Fixture::new();
    let mut evil = deal(9, &format!("{IMG} deal"), 10.0, SCRIPT);
    evil["owner"] = json!(IMG);
    evil["value"]["currency"] = json!(SCRIPT);
    evil["summary"]["text"] = json!(format!("{SCRIPT}\n\n{IMG}"));
    evil["link"] = json!("javascript:window.__dealpaneXss=3");
    let mut evil_answer = answer(IMG, vec![evil]);
    evil_answer["customer"]["name"] = json!(IMG);
    fixture.json(DEALS, &evil_answer);
    let pane = mount(QUERY);
    pane.wait_for("article.dp-card").await;

    assert!(
        pane.all("img, script").is_empty(),
        "no element was created from backend text"
    );
    assert!(
        pane.find("a[href^=javascript]").is_none(),
        "no javascript: link"
    );
    let text = pane.text();
    assert!(text.contains(IMG), "shown as text: {text}");
    assert!(text.contains(SCRIPT), "shown as text: {text}");
    assert_eq!(pane.heading(), IMG);
    let flagged = js_sys::Reflect::get(&js_sys::global(), &"__dealpaneXss".into()).unwrap();
    assert!(flagged.is_undefined(), "nothing ran");
}

#[wasm_bindgen_test]
async fn problem_and_plain_text_answers_are_text_too() {
    const IMG: &str = "<img src=x onerror=\"window.__dealpaneXss=4\">";
    let fixture = Fixture::new();
    fixture.reply(
        DEALS,
        400,
        "application/problem+json",
        &problem(400, IMG, IMG, IMG),
    );
    let pane = mount(QUERY);
    pane.wait_for("[data-state=error]").await;
    assert!(pane.all("img").is_empty());
    assert!(pane.text().contains(IMG));
    drop(pane);

    let fixture = Fixture::new();
    fixture.reply(DEALS, 200, "text/plain", &format!("{IMG}\n<b>bold</b>"));
    let pane = mount(QUERY);
    pane.wait_for("article[data-plain]").await;
    assert!(pane.all("img, b").is_empty());
    assert!(pane.text().contains("<b>bold</b>"));
}

#[wasm_bindgen_test]
async fn the_first_deal_sets_the_benchmark_mark_once() {
    clear_first_deal_marks();
    let fixture = Fixture::new();
    fixture.json(DEALS, &three_deals());
    let pane = mount(QUERY);
    pane.wait_for("article.dp-card").await;
    assert!(
        wait_until(|| first_deal_marks() == 1, 1_000).await,
        "marked"
    );
    pane.button("Refresh").click();
    assert!(wait_until(|| fixture.requests_to(DEALS).len() == 2, 1_000).await);
    pane.wait_for("article.dp-card").await;
    sleep(50).await;
    assert_eq!(first_deal_marks(), 1, "only once per pane");
}

#[wasm_bindgen_test]
async fn language_direction_and_theme_reach_the_root_element() {
    let fixture = Fixture::new();
    fixture.json(DEALS, &three_deals());
    let root = support::document().document_element().unwrap();

    let pane = mount_in_language(&format!("{QUERY}&lang=de-DE&theme=dark"), "de", "ltr").await;
    assert_eq!(root.get_attribute("data-theme").as_deref(), Some("dark"));
    assert!(pane.button("Aktualisieren").is_connected());
    pane.assert_shows("3 offene Verkaufschancen");
    drop(pane);

    let pane = mount_in_language(&format!("{QUERY}&lang=ar"), "ar", "rtl").await;
    assert_eq!(root.get_attribute("data-theme").as_deref(), Some("auto"));
    drop(pane);
    let _ = root.set_attribute("dir", "ltr");
}

/// The request lifecycle's one rule, on its own: a newer start aborts the older request and
/// drops its answer; a cancel drops the answer in flight; unmounting (the owner's cleanup)
/// aborts what is left.
#[wasm_bindgen_test]
async fn a_request_slot_delivers_only_the_newest_answer() {
    use std::cell::RefCell;
    use std::rc::Rc;

    use dealpane::request::RequestSlot;
    use leptos::prelude::Owner;
    use web_sys::AbortSignal;

    // Mounting sets up Leptos's task executor (spawn_local); an empty view adds nothing.
    leptos::mount::mount_to_body(|| ());
    let owner = Owner::new();
    owner.set();
    let slot = RequestSlot::new();
    let delivered = Rc::new(RefCell::new(Vec::new()));
    let signals = Rc::new(RefCell::new(Vec::<AbortSignal>::new()));
    let start = |answer: u32, after_ms: u64| {
        let (delivered, signals) = (delivered.clone(), signals.clone());
        slot.start(
            move |cancel| {
                signals.borrow_mut().push(cancel);
                async move {
                    sleep(after_ms).await;
                    answer
                }
            },
            move |answer| delivered.borrow_mut().push(answer),
        );
    };

    start(1, 60);
    start(2, 10);
    sleep(120).await;
    assert_eq!(
        *delivered.borrow(),
        [2],
        "the older, slower answer is stale"
    );
    assert!(signals.borrow()[0].aborted(), "and its request was aborted");
    assert!(!signals.borrow()[1].aborted());

    start(3, 10);
    slot.cancel();
    sleep(60).await;
    assert_eq!(*delivered.borrow(), [2], "a cancelled answer is dropped");
    assert!(signals.borrow()[2].aborted());

    start(4, 30);
    drop(owner);
    sleep(60).await;
    assert_eq!(
        *delivered.borrow(),
        [2],
        "nothing is delivered after unmounting"
    );
    assert!(signals.borrow()[3].aborted());
}
