//! Browser tests of summaries that arrive after their deals (the `/api/summaries` long-poll), and
//! of the tolerant reader: values the pane does not know never blank it.
#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::{json, Value};
use support::helpers::*;
use support::*;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

fn pending(mut deal: Value) -> Value {
    deal["summary"] = json!({"state": "pending"});
    deal
}

/// One entry of a long-poll answer.
fn update(id_tail: u32, summary: Value) -> Value {
    json!({"dealId": deal_id(id_tail), "summary": summary})
}

fn ready(text: &str) -> Value {
    json!({"state": "ready", "text": text, "generatedAt": "2026-11-22T07:30:00Z"})
}

fn summaries(updates: Vec<Value>) -> String {
    json!({ "summaries": updates }).to_string()
}

/// What `deals=` carries for a deal of [`deal`] (its `modifiedOn`), percent-encoded.
fn asked_for(id_tail: u32) -> String {
    format!("{}%402026-11-18T10%3A00%3A00Z", deal_id(id_tail))
}

impl Pane {
    /// The summary element (placeholder, note or text) of the card of deal `id_tail`.
    fn summary_of(&self, id_tail: u32) -> Element {
        self.find_summary(id_tail)
            .unwrap_or_else(|| panic!("no summary for deal {id_tail}: {}", self.text()))
    }

    fn find_summary(&self, id_tail: u32) -> Option<Element> {
        self.find(&format!("{} [data-summary]", card_of(id_tail)))
    }
}

/// The selector of deal `id_tail`'s card.
fn card_of(id_tail: u32) -> String {
    format!("article[data-deal-id=\"{}\"]", deal_id(id_tail))
}

/// "Sales is busy", shown.
const BUSY_NOTE: &str = "[data-summaries=busy]:not([hidden])";

fn state(element: &Element) -> String {
    element.get_attribute("data-summary").unwrap_or_default()
}

async fn wait_for_state(pane: &Pane, id_tail: u32, wanted: &str) {
    let reached = wait_until(
        || {
            pane.open_cards(&card_of(id_tail));
            pane.find_summary(id_tail)
                .is_some_and(|s| state(&s) == wanted)
        },
        3_000,
    )
    .await;
    assert!(
        reached,
        "deal {id_tail}'s summary never became {wanted}: {}",
        pane.text()
    );
}

/// The three deals these tests use, by the tail of their id.
fn espresso() -> Value {
    deal(1, "Espresso machines", 90_000.0, "Propose")
}

fn grinders() -> Value {
    deal(2, "Grinders", 50_000.0, "Qualify")
}

fn service_plan() -> Value {
    deal(3, "Service plan", 10_000.0, "Develop")
}

/// Contoso with `deals`.
fn contoso_with(deals: Vec<Value>) -> Fixture {
    let fixture = Fixture::new();
    fixture.contoso(deals);
    fixture
}

#[wasm_bindgen_test]
async fn pending_summaries_fill_in_through_the_long_poll_and_the_pane_says_so_once() {
    let fixture = contoso_with(vec![
        espresso(),
        pending(grinders()),
        pending(service_plan()),
    ]);
    // The server answers every deal asked for: the first time one is still pending.
    let first = summaries(vec![
        update(2, ready("Grinders for the Lisbon site.")),
        update(3, json!({"state": "pending"})),
    ]);
    let second = summaries(vec![update(3, ready("A three-year plan."))]);
    fixture.reply_slowly(SUMMARIES, 300, 200, "application/json", &first);
    fixture.reply_slowly(SUMMARIES, 300, 200, "application/json", &second);

    let pane = mount(QUERY);
    pane.wait_for("article.dp-card").await;
    pane.open_all_cards().await;
    // Cards at once; each pending summary is a placeholder, busy on its own.
    assert_eq!(pane.all("article.dp-card").len(), 3);
    assert_eq!(state(&pane.summary_of(1)), "ready");
    for tail in [2, 3] {
        let placeholder = pane.summary_of(tail);
        assert_eq!(state(&placeholder), "pending");
        assert_eq!(
            placeholder.get_attribute("aria-busy").as_deref(),
            Some("true")
        );
        assert!(placeholder.text_content().unwrap().contains("Summarizing…"));
    }
    let main = pane.find("main").unwrap();
    assert_eq!(main.get_attribute("aria-busy").as_deref(), Some("false"));
    assert_eq!(
        pane.all("[aria-busy=true]").len(),
        2,
        "the two summaries only"
    );
    assert_eq!(pane.announced(), "3 open deals");

    // The third card is open (opened above); its summary arriving must not close it.
    let toggle = pane
        .find(&format!(
            "article[data-deal-id=\"{}\"] .dp-card__toggle",
            deal_id(3)
        ))
        .unwrap();
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );

    wait_for_state(&pane, 2, "ready").await;
    pane.assert_shows("Grinders for the Lisbon site.");
    assert_eq!(state(&pane.summary_of(3)), "pending", "still on its way");
    assert_ne!(pane.announced(), "All summaries are in");

    wait_for_state(&pane, 3, "ready").await;
    pane.assert_shows("A three-year plan.");
    assert!(pane.find("[aria-busy=true]").is_none());
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    // The same toggle element: the card was not rendered again.
    assert!(pane.host.contains(Some(&toggle)));
    settle().await;
    assert_eq!(pane.announced(), "All summaries are in");
    assert_eq!(pane.live_politeness().as_deref(), Some("polite"));

    // Once: no second announcement (a repeat would add a no-break space), no more asking.
    sleep(400).await;
    assert_eq!(pane.announced(), "All summaries are in");
    let polls = fixture.requests_to(SUMMARIES);
    assert_eq!(polls.len(), 2, "{polls:?}");
    let deals_param = |url: &str| {
        url.split_once("deals=")
            .unwrap()
            .1
            .split('&')
            .next()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        deals_param(&polls[0].url),
        format!("{},{}", asked_for(2), asked_for(3)),
        "only the pending deals, in order"
    );
    assert_eq!(deals_param(&polls[1].url), asked_for(3));
    assert!(polls.iter().all(|p| p.url.ends_with("&wait=20")));
    assert!(polls
        .iter()
        .all(|p| p.accept.as_deref() == Some("application/json")));
    assert_eq!(fixture.requests_to(DEALS).len(), 1);
}

#[wasm_bindgen_test]
async fn an_unavailable_summary_says_why_on_its_own_deal() {
    let deals = vec![
        pending(espresso()),
        pending(grinders()),
        pending(service_plan()),
    ];
    let fixture = contoso_with(deals);
    let answer = summaries(vec![
        update(1, json!({"state": "unavailable", "reason": "throttled"})),
        update(2, json!({"state": "unavailable", "reason": "solar-flare"})),
        update(3, ready("A three-year plan.")),
    ]);
    fixture.reply_slowly(SUMMARIES, 100, 200, "application/json", &answer);
    let pane = mount(QUERY);
    wait_for_state(&pane, 3, "ready").await;
    pane.open_all_cards().await;

    let throttled = pane.summary_of(1);
    assert_eq!(state(&throttled), "unavailable");
    assert_eq!(
        throttled.get_attribute("data-reason").as_deref(),
        Some("throttled")
    );
    assert_eq!(
        throttled.text_content().unwrap(),
        "Summary unavailable: Sales was too busy to write it. Refresh to try again."
    );
    let unknown_reason = pane.summary_of(2);
    assert_eq!(state(&unknown_reason), "unavailable");
    assert_eq!(
        unknown_reason.text_content().unwrap(),
        "Summary unavailable right now; refresh to try again.",
        "a reason the pane does not know gets the general words"
    );
    settle().await;
    assert_eq!(pane.announced(), "All summaries are in");
    assert!(pane.find("[data-state=error]").is_none());
}

#[wasm_bindgen_test]
async fn values_the_pane_does_not_know_are_shown_as_unknown_and_the_rest_renders() {
    capture_console_warnings();
    let fixture = Fixture::new();
    let mut newer = espresso();
    newer["summary"] = json!({"state": "drafting", "draft": "…", "progress": 0.4});
    newer["forecastCategory"] = "stretch".into();
    newer["status"] = "paused".into();
    newer["health"] = json!({"score": 3, "trend": "up"});
    let mut also_newer = grinders();
    also_newer["status"] = "paused".into();
    let mut body = answer("Contoso Ltd", vec![newer, also_newer]);
    body["customer"]["matchedBy"] = "email".into();
    body["customer"]["loyalty"] = "gold".into();
    body["paging"] = json!({"next": null});
    fixture.json(DEALS, &body);

    let pane = mount(QUERY);
    pane.wait_for("article.dp-card").await;
    pane.open_all_cards().await;
    assert_eq!(pane.all("article.dp-card").len(), 2);
    assert_eq!(pane.heading(), "Contoso Ltd");
    pane.assert_shows("Espresso machines");
    pane.assert_shows("Propose");
    pane.assert_shows("Alex Wu");
    let card = pane
        .find(&format!("article[data-deal-id=\"{}\"]", deal_id(1)))
        .unwrap();
    let facts = card.query_selector(".dp-facts").unwrap().unwrap();
    assert!(
        facts.text_content().unwrap().contains("Other"),
        "an unknown forecast category: {}",
        facts.text_content().unwrap()
    );
    let summary = pane.summary_of(1);
    assert_eq!(state(&summary), "unknown");
    assert_eq!(summary.text_content().unwrap(), "Summary not available");
    assert_eq!(state(&pane.summary_of(2)), "ready");
    assert!(pane.find("[data-state=error]").is_none());
    // Nothing is pending: no long-poll.
    fixture.assert_nothing_sent_to(SUMMARIES, 200).await;

    // Logged once per session, however many deals and panes hold unknown values.
    let again = mount(QUERY);
    again.wait_for("article.dp-card").await;
    let logged: Vec<String> = console_warnings_logged()
        .into_iter()
        .filter(|line| line.contains("does not know"))
        .collect();
    assert_eq!(logged.len(), 1, "{logged:?}");
    for field in ["matchedBy", "status", "summary.state"] {
        assert!(logged[0].contains(field), "{field} in {}", logged[0]);
    }
}

#[wasm_bindgen_test]
async fn sales_busy_on_the_long_poll_is_a_note_not_an_error_and_summaries_follow() {
    let fixture = contoso_with(vec![pending(espresso())]);
    let busy = ("Sales is busy", "Try again later.", "00-busy-01");
    reply_throttled(&fixture, SUMMARIES, busy, "1");
    fixture.json(
        SUMMARIES,
        &json!({"summaries": [update(1, ready("Four machines."))]}),
    );
    let pane = mount(QUERY);
    let note = pane.wait_for(BUSY_NOTE).await;
    assert!(note
        .text_content()
        .unwrap()
        .contains("Sales is busy, summaries will follow"));
    assert!(pane.find("[data-state=error]").is_none(), "not an error");
    assert_eq!(pane.all("article.dp-card").len(), 1, "the deals stay");
    assert_eq!(state(&pane.summary_of(1)), "pending");
    assert_eq!(pane.announced(), "Sales is busy, summaries will follow");
    assert_eq!(pane.live_politeness().as_deref(), Some("polite"));

    wait_for_state(&pane, 1, "ready").await;
    pane.assert_shows("Four machines.");
    settle().await;
    assert!(pane.find(BUSY_NOTE).is_none());
    assert_eq!(pane.announced(), "All summaries are in");
    let polls = fixture.requests_to(SUMMARIES);
    assert_eq!(polls.len(), 2, "{polls:?}");
    let waited = polls[1].at_ms - polls[0].at_ms;
    assert!(waited >= 950.0, "Retry-After was waited: {waited} ms");
}

#[wasm_bindgen_test]
async fn a_long_poll_without_a_connection_gives_up_and_refresh_asks_again() {
    let fixture = contoso_with(vec![espresso(), pending(grinders())]);
    // The first try and the policy's one retry fail; after Refresh, it answers.
    fixture.fail_network(SUMMARIES).fail_network(SUMMARIES);
    fixture.json(
        SUMMARIES,
        &json!({"summaries": [update(2, ready("Grinders for Lisbon."))]}),
    );
    let pane = mount(QUERY);
    wait_for_state(&pane, 2, "unavailable").await;
    assert_eq!(
        pane.summary_of(2).text_content().unwrap(),
        "Summary unavailable right now; refresh to try again."
    );
    assert_eq!(fixture.requests_to(SUMMARIES).len(), 2);
    assert_eq!(pane.all("article.dp-card").len(), 2, "the deals stay");
    assert_eq!(state(&pane.summary_of(1)), "ready");
    assert!(pane.find("[aria-busy=true]").is_none());
    assert!(
        pane.find("[data-state]").is_none(),
        "no error or offline state"
    );
    settle().await;
    assert_eq!(
        pane.announced(),
        "Some summaries couldn't be loaded; refresh to try again"
    );
    assert_eq!(pane.live_politeness().as_deref(), Some("polite"));

    click(&pane.button("Refresh"));
    wait_for_state(&pane, 2, "ready").await;
    pane.assert_shows("Grinders for Lisbon.");
    assert_eq!(fixture.requests_to(DEALS).len(), 2);
    assert_eq!(fixture.requests_to(SUMMARIES).len(), 3);
    settle().await;
    assert_eq!(pane.announced(), "All summaries are in");
}

#[wasm_bindgen_test]
async fn unmounting_the_pane_or_refreshing_it_cancels_its_long_poll() {
    let fixture = contoso_with(vec![pending(espresso())]);
    fixture.reply_slowly(
        SUMMARIES,
        5_000,
        200,
        "application/json",
        &summaries(vec![update(1, ready("Late."))]),
    );
    let pane = mount(QUERY);
    assert!(wait_until(|| fixture.requests_to(SUMMARIES).len() == 1, 2_000).await);

    // Refresh: the open long-poll is aborted, the deals are asked again, and so is the summary.
    click(&pane.button("Refresh"));
    assert!(wait_until(|| fixture.requests_to(SUMMARIES).len() == 2, 2_000).await);
    let polls = fixture.requests_to(SUMMARIES);
    assert!(polls[0].aborted, "the first long-poll was aborted");
    assert!(!polls[1].aborted);
    assert_eq!(fixture.requests_to(DEALS).len(), 2);

    drop(pane);
    settle().await;
    let polls = fixture.requests_to(SUMMARIES);
    assert!(polls[1].aborted, "unmounting aborted the long-poll");
    sleep(300).await;
    assert_eq!(fixture.requests_to(SUMMARIES).len(), 2, "and asked no more");
}

#[wasm_bindgen_test]
async fn a_text_only_backend_gets_no_long_poll() {
    let text = "Espresso machines: proposal sent.";
    let (fixture, pane) = mount_answered(DEALS, 200, "text/plain; charset=utf-8", text);
    pane.wait_for("[data-plain=true]").await;
    fixture.assert_nothing_sent_to(SUMMARIES, 300).await;
}
