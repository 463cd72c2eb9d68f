//! Browser tests of Share with Sales on a deal card: the notes already shared, the "Tell the
//! owner" form (labels, count, case, Escape), the draft that survives a remount, one POST for a
//! double click, and a failed send that keeps the draft and is retried with the same key.
#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::json;
use support::helpers::*;
use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlTextAreaElement;

wasm_bindgen_test_configure!(run_in_browser);

const CASE: &str = "a1b2c3d4-0000-4000-8000-000000000042";
const NOTES: &str = "/notes";
const POST_NOTES: &str = "POST /notes";

fn query() -> String {
    format!("{QUERY}&caseId={CASE}")
}

fn note(id_tail: u32, message: &str, seconds_ago: f64) -> serde_json::Value {
    json!({"id": format!("0d1deb4d-3b7d-4bad-9bdd-{id_tail:012x}"),
        "createdOn": iso_seconds_ago(seconds_ago), "createdBy": "Dana Seller",
        "message": message, "caseId": CASE, "owner": "Alex Wu"})
}

/// Contoso with a large deal (open at start) and a small one (closed), no notes yet.
fn setup() -> Fixture {
    setup_with_notes(json!({"notes": []}))
}

/// Like [`setup`], with `notes` as every card's notes.
fn setup_with_notes(notes: serde_json::Value) -> Fixture {
    session_storage_clear();
    let fixture = Fixture::new();
    fixture
        .contoso(vec![
            deal(1, "Espresso machines", 250_000.0, "Propose"),
            deal(2, "Grinders", 9_000.0, "Qualify"),
        ])
        .json(NOTES, &notes);
    fixture
}

fn message_field(pane: &Pane) -> HtmlTextAreaElement {
    pane.find(".dp-card textarea").unwrap().unchecked_into()
}

async fn open_form(pane: &Pane) -> HtmlTextAreaElement {
    pane.wait_for(".dp-share").await;
    click(&pane.button("Tell the owner"));
    settle().await;
    message_field(pane)
}

fn send_button(pane: &Pane) -> web_sys::HtmlElement {
    pane.find(".dp-card .dp-share__send")
        .unwrap()
        .unchecked_into()
}

/// Opens the form on the first card and types `text` into it, not yet sent.
async fn draft_note(pane: &Pane, text: &str) -> HtmlTextAreaElement {
    let field = open_form(pane).await;
    type_into(&field, text);
    settle().await;
    field
}

/// Drafts `text` and presses Send once.
async fn send_note(pane: &Pane, text: &str) -> HtmlTextAreaElement {
    let field = draft_note(pane, text).await;
    send_button(pane).click();
    field
}

#[wasm_bindgen_test]
async fn notes_show_lazily_as_text_and_the_form_is_labelled_counted_and_closes_on_escape() {
    let fixture =
        setup_with_notes(json!({"notes": [note(1, "Wants <b>3</b> more", 2.0 * 86_400.0 + 60.0)]}));
    let pane = mount(&query());
    pane.shows(".dp-note", "Shared with Alex Wu by Dana Seller, 2 days ago")
        .await;
    pane.assert_shows("Wants <b>3</b> more");
    assert!(pane.all(".dp-note b").is_empty(), "a note is text");
    // Lazy: only the card that is open asked.
    let asked = fixture.requests_to(NOTES);
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert!(asked[0].url.contains(&deal_id(1)), "{}", asked[0].url);

    let toggle = pane.button("Tell the owner");
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    let field = open_form(&pane).await;
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    let form = pane.find(".dp-card form").unwrap();
    assert!(!form.has_attribute("hidden"));
    assert_eq!(field.get_attribute("maxlength").as_deref(), Some("2000"));
    let label = pane
        .find(&format!("label[for='{}']", field.id()))
        .expect("a label for the message");
    assert_eq!(
        label.text_content().unwrap(),
        "Message for the deal's owner"
    );
    pane.assert_shows(&format!("Case {CASE}"));
    let described = field.get_attribute("aria-describedby").unwrap();
    let count_id = described.split(' ').next().unwrap();
    type_into(&field, "Wants a quote for 3 more sites");
    settle().await;
    let count = support::document().get_element_by_id(count_id).unwrap();
    assert_eq!(count.text_content().unwrap(), "30/2000");

    // Escape closes the form, focus returns to the toggle, the draft stays.
    assert!(press(&field, "Escape"));
    settle().await;
    assert!(form.has_attribute("hidden"));
    assert_eq!(focused().map(|e| e.id()), Some(toggle.id()));
    click(&toggle);
    settle().await;
    assert_eq!(
        message_field(&pane).value(),
        "Wants a quote for 3 more sites"
    );
}

#[wasm_bindgen_test]
async fn a_draft_survives_a_remount_with_its_key() {
    let _fixture = setup();
    let pane = mount(&query());
    draft_note(&pane, "Call back about the lease").await;
    let storage_key = format!("dealpane:note:{}:{CASE}", deal_id(1));
    let stored = session_storage_get(&storage_key).expect("the draft is kept");
    drop(pane);

    let pane = mount(&query());
    pane.wait_for(".dp-share").await;
    settle().await;
    // A kept draft opens its form again, with the text and the same key.
    assert_eq!(message_field(&pane).value(), "Call back about the lease");
    assert_eq!(session_storage_get(&storage_key), Some(stored));
    // Another case's session does not see it.
    drop(pane);
    let pane = mount(QUERY);
    pane.wait_for(".dp-share").await;
    settle().await;
    // Nothing waits there: the form stays closed (its fields not built yet), and opens empty.
    assert!(pane.find(".dp-card textarea").is_none());
    assert_eq!(open_form(&pane).await.value(), "");
}

#[wasm_bindgen_test]
async fn a_double_click_sends_once_and_the_sent_note_shows_at_once() {
    let fixture = setup();
    fixture.reply_slowly(
        POST_NOTES,
        150,
        201,
        "application/json",
        &note(7, "Needs 3 more grinders", 0.0).to_string(),
    );
    let pane = mount(&query());
    draft_note(&pane, "Needs 3 more grinders").await;
    let send = send_button(&pane);
    send.click();
    send.click();
    settle().await;
    assert_eq!(send.get_attribute("aria-busy").as_deref(), Some("true"));
    assert!(send.has_attribute("disabled"));
    pane.wait_for_text("Sent to Sales").await;
    let sent = posts(&fixture);
    assert_eq!(sent.len(), 1, "one POST for two clicks: {sent:?}");
    let posted = &sent[0];
    assert!(posted.idempotency_key.is_some());
    let body: serde_json::Value = serde_json::from_str(posted.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"message": "Needs 3 more grinders", "caseId": CASE})
    );
    pane.assert_shows("Shared with Alex Wu by Dana Seller, just now");
    assert_eq!(message_field(&pane).value(), "");
    assert_eq!(send.get_attribute("aria-busy").as_deref(), Some("false"));
    assert_eq!(
        session_storage_get(&format!("dealpane:note:{}:{CASE}", deal_id(1))),
        None,
        "a sent draft is gone"
    );
    let status = focused().expect("focus on the result");
    assert_eq!(status.text_content().unwrap(), "Sent to Sales");
}

fn posts(fixture: &Fixture) -> Vec<Recorded> {
    fixture
        .requests_to(NOTES)
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect()
}

#[wasm_bindgen_test]
async fn a_failed_send_keeps_the_draft_says_why_and_the_retry_uses_the_same_key() {
    let fixture = setup();
    let unavailable = ("Sales unavailable", "Sales did not answer.", "t-1");
    reply_problem(&fixture, POST_NOTES, 503, unavailable)
        .json(POST_NOTES, &note(8, "Upsell the service plan", 0.0));
    let pane = mount(&query());
    let field = send_note(&pane, "Upsell the service plan").await;
    pane.wait_for(".dp-share__status--error").await;
    pane.assert_shows("Sales can't take it right now; try again later. Your draft is kept.");
    assert_eq!(
        posts(&fixture).len(),
        1,
        "a 503 is not sent again by itself"
    );
    assert_eq!(message_field(&pane).value(), "Upsell the service plan");
    let status = focused().expect("focus on the error");
    assert!(status.class_name().contains("dp-share__status"));
    assert!(field
        .get_attribute("aria-describedby")
        .unwrap()
        .contains(&status.id()));

    send_button(&pane).click();
    pane.wait_for_text("Sent to Sales").await;
    let sent = posts(&fixture);
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].idempotency_key, sent[1].idempotency_key);
    pane.assert_shows("Upsell the service plan");
}

#[wasm_bindgen_test]
async fn a_network_failure_is_sent_again_with_the_same_key_and_a_throttle_says_when() {
    let fixture = setup();
    fixture
        .fail_network(POST_NOTES)
        .json(POST_NOTES, &note(9, "Renewal in May", 0.0));
    let pane = mount(&query());
    send_note(&pane, "Renewal in May").await;
    pane.wait_for_text("Sent to Sales").await;
    let sent = posts(&fixture);
    assert_eq!(sent.len(), 2, "resent once after the network failure");
    assert_eq!(sent[0].idempotency_key, sent[1].idempotency_key);
    drop(pane);

    let fixture = setup();
    let throttle = ("Too many requests", "Slow down.", "t-2");
    reply_throttled(&fixture, POST_NOTES, throttle, "30");
    let pane = mount(&query());
    send_note(&pane, "Renewal in May").await;
    pane.wait_for(".dp-share__status--error").await;
    pane.assert_shows("Sales is busy. Try again in 30 seconds. Your draft is kept.");
    assert_eq!(posts(&fixture).len(), 1);
}

#[wasm_bindgen_test]
async fn a_suggested_deal_keeps_its_draft_and_is_sent_once_with_its_value_and_case() {
    let fixture = setup();
    let lead_id = "4a1deb4d-3b7d-4bad-9bdd-000000000042";
    fixture.reply_slowly(
        "POST /api/leads",
        100,
        201,
        "application/json",
        &json!({ "id": lead_id }).to_string(),
    );
    let pane = mount(&query());
    pane.wait_for(".dp-share--lead").await;
    click(&pane.button("Suggest a new deal"));
    settle().await;
    let field = |name: &str| {
        pane.find(&format!(".dp-share--lead [id$='-lead-{name}']"))
            .unwrap_or_else(|| panic!("no field {name}"))
    };
    for (name, label) in [
        ("topic", "Topic"),
        ("description", "Description"),
        ("amount", "Estimated value (optional)"),
        ("currency", "Currency (e.g. USD)"),
    ] {
        let id = field(name).id();
        let found = pane.find(&format!("label[for='{id}']")).expect("a label");
        assert_eq!(found.text_content().unwrap(), label);
    }
    type_into(&field("topic"), "Espresso for the new site");
    type_into(&field("amount"), "1200,5");
    type_into(&field("currency"), "eur");
    settle().await;
    drop(pane);

    // The draft survives a remount, its form open again.
    let pane = mount(&query());
    pane.wait_for(".dp-share--lead").await;
    settle().await;
    let topic: web_sys::HtmlInputElement = pane
        .find(".dp-share--lead input[id$='-lead-topic']")
        .unwrap()
        .unchecked_into();
    assert_eq!(topic.value(), "Espresso for the new site");
    let send: web_sys::HtmlElement = pane
        .find(".dp-share--lead .dp-share__send")
        .unwrap()
        .unchecked_into();
    send.click();
    send.click();
    pane.wait_for_text(&format!("Sent to Sales {lead_id}"))
        .await;
    let sent: Vec<Recorded> = fixture
        .requests_to("/api/leads")
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect();
    assert_eq!(sent.len(), 1, "{sent:?}");
    let body: serde_json::Value = serde_json::from_str(sent[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"customerId": CUSTOMER_ID, "customerType": "account",
            "topic": "Espresso for the new site",
            "estimatedValue": {"amount": 1200.5, "currency": "EUR"}, "caseId": CASE})
    );
    assert_eq!(
        focused().map(|e| e.text_content().unwrap_or_default()),
        Some(format!("Sent to Sales {lead_id}"))
    );
    assert_eq!(topic.value(), "");
}

#[wasm_bindgen_test]
async fn refused_storage_still_sends_and_says_drafts_will_not_survive_a_reload() {
    let fixture = setup();
    fixture.json(POST_NOTES, &note(10, "Kept in memory", 0.0));
    session_storage_refuse(true);
    let pane = mount(&query());
    let field = open_form(&pane).await;
    let said = pane
        .find(".dp-card .dp-share__hint")
        .map(|hint| hint.text_content().unwrap_or_default());
    type_into(&field, "Kept in memory");
    settle().await;
    send_button(&pane).click();
    let sent = wait_until(|| pane.text().contains("Sent to Sales"), 2_000).await;
    session_storage_refuse(false);
    assert_eq!(
        said.as_deref(),
        Some("This browser can't keep the draft: it won't survive a reload.")
    );
    assert!(
        sent,
        "sent without storage; the pane shows: {}",
        pane.text()
    );
    assert!(posts(&fixture)[0].idempotency_key.is_some());
}
