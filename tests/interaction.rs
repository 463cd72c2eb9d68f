//! Browser tests of what the agent does: pick a customer by keyboard, open and close cards,
//! unfold a long summary, copy (with and without clipboard permission).
#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::json;
use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn customers() -> serde_json::Value {
    json!({"customers": [
        {"id": CUSTOMER_ID, "name": "Contoso Pharmaceuticals", "type": "account", "openDeals": 3},
        {"id": "11111111-2222-3333-4444-555555555555", "name": "Contoso Coffee", "type": "account"},
        {"id": "66666666-7777-8888-9999-000000000000", "name": "Connie <b>Contoso</b>", "type": "contact"}
    ]})
}

#[wasm_bindgen_test]
async fn the_customer_search_is_a_keyboard_combobox_that_loads_the_choice_in_place() {
    let fixture = Fixture::new();
    fixture.json(CUSTOMERS, &customers()).json(
        DEALS,
        &answer("Contoso Coffee", vec![deal(1, "Roaster", 9.0, "Close")]),
    );
    let pane = mount("");
    let input = pane.wait_for("input[role=combobox]").await;
    let history_before = history_len();
    let search_before = web_sys::window().unwrap().location().search().unwrap();
    let listbox_id = input.get_attribute("aria-controls").unwrap();
    let listbox = support::document()
        .get_element_by_id(&listbox_id)
        .expect("the listbox");
    assert_eq!(listbox.get_attribute("role").as_deref(), Some("listbox"));
    assert_eq!(
        input.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );

    // Typing fast asks once, after the pause.
    type_into(&input, "C");
    type_into(&input, "Co");
    type_into(&input, "Con");
    pane.wait_for("[role=option]").await;
    let asked = fixture.requests_to(CUSTOMERS);
    assert_eq!(asked.len(), 1, "debounced: {asked:?}");
    assert!(
        asked[0].url.ends_with("/api/customers?q=Con&top=8"),
        "{}",
        asked[0].url
    );
    assert_eq!(
        input.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    assert_eq!(pane.all("[role=option]").len(), 3);
    assert!(pane.all("b").is_empty(), "names are text");
    assert_eq!(pane.announced(), "3 customers found");

    let active = || input.get_attribute("aria-activedescendant");
    let selected = || {
        pane.all("[role=option]")
            .iter()
            .map(|o| o.get_attribute("aria-selected").unwrap())
            .collect::<Vec<_>>()
    };
    assert!(press(&input, "ArrowDown"));
    settle().await;
    let first = pane.all("[role=option]")[0].id();
    assert_eq!(active().as_deref(), Some(first.as_str()));
    assert_eq!(selected(), ["true", "false", "false"]);
    press(&input, "ArrowDown");
    settle().await;
    press(&input, "ArrowDown");
    settle().await;
    press(&input, "ArrowDown");
    settle().await;
    assert_eq!(selected(), ["true", "false", "false"], "wraps around");
    press(&input, "ArrowUp");
    settle().await;
    assert_eq!(selected(), ["false", "false", "true"], "wraps backwards");
    press(&input, "ArrowUp");
    settle().await;
    assert_eq!(selected(), ["false", "true", "false"]);

    assert!(press(&input, "Escape"));
    settle().await;
    assert_eq!(
        input.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert_eq!(active(), None);
    press(&input, "ArrowDown");
    settle().await;
    assert_eq!(
        input.get_attribute("aria-expanded").as_deref(),
        Some("true"),
        "reopens"
    );
    press(&input, "ArrowDown");
    settle().await;
    assert!(press(&input, "Enter"));
    settle().await;

    pane.wait_for("article.dp-card").await;
    let asked = fixture.only_request_to(DEALS);
    let id = "customerId=11111111-2222-3333-4444-555555555555";
    assert!(asked.url.contains(id), "{}", asked.url);
    assert_eq!(pane.heading(), "Contoso Coffee");
    let value = input.unchecked_ref::<web_sys::HtmlInputElement>().value();
    assert_eq!(value, "Contoso Coffee");
    assert_eq!(history_len(), history_before, "no history entry");
    assert_eq!(
        web_sys::window().unwrap().location().search().unwrap(),
        search_before
    );
}

#[wasm_bindgen_test]
async fn a_search_with_no_match_says_so_and_escape_clears_it() {
    let fixture = Fixture::new();
    fixture.json(CUSTOMERS, &json!({"customers": []}));
    let pane = mount("");
    let input = pane.wait_for("input[role=combobox]").await;
    type_into(&input, "Zyx");
    pane.wait_for_text("No customer matches “Zyx”").await;
    assert_eq!(
        input.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    press(&input, "Escape");
    settle().await;
    let value = input.unchecked_ref::<web_sys::HtmlInputElement>().value();
    assert_eq!(value, "", "Escape on a closed list clears the box");
}

#[wasm_bindgen_test]
async fn cards_are_disclosures_and_a_long_summary_unfolds() {
    let fixture = Fixture::new();
    let long = "A long account of the deal. ".repeat(20);
    let mut big = deal(1, "Big", 100.0, "Propose");
    big["summary"]["text"] = json!(long);
    fixture.contoso(vec![big, deal(2, "Small", 1.0, "Qualify")]);
    let pane = mount(QUERY);
    pane.wait_for("article.dp-card").await;
    let toggles = pane.all(".dp-card__toggle");
    let bodies = pane.all(".dp-card__body");
    assert!(!bodies[0].has_attribute("hidden"));
    assert!(bodies[1].has_attribute("hidden"));
    assert_eq!(
        toggles[1].get_attribute("aria-controls").as_deref(),
        Some(bodies[1].id().as_str())
    );
    click(&toggles[1]);
    settle().await;
    assert_eq!(
        toggles[1].get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    assert!(!bodies[1].has_attribute("hidden"));
    click(&toggles[0]);
    settle().await;
    assert_eq!(
        toggles[0].get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert!(bodies[0].has_attribute("hidden"));
    click(&toggles[0]);
    settle().await;

    let more = pane.button("Show more");
    assert_eq!(
        more.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert!(pane.find(".dp-summary__text--folded").is_some());
    more.click();
    settle().await;
    assert_eq!(more.get_attribute("aria-expanded").as_deref(), Some("true"));
    assert!(more.text_content().unwrap().contains("Show less"));
    assert!(pane.find(".dp-summary__text--folded").is_none());
    assert!(
        pane.text().contains(long.trim()),
        "the whole summary is there, as text"
    );
}

#[wasm_bindgen_test]
async fn every_button_has_a_name_and_there_is_one_live_region() {
    let fixture = Fixture::new();
    fixture.contoso(vec![deal(1, "Big", 100.0, "Propose")]);
    let pane = mount(QUERY);
    pane.wait_for("article.dp-card").await;
    for button in pane.all("button") {
        let name = button.text_content().unwrap_or_default();
        let label = button.get_attribute("aria-label").unwrap_or_default();
        assert!(
            !(name.trim().is_empty() && label.is_empty()),
            "an unnamed button"
        );
        assert_eq!(button.get_attribute("type").as_deref(), Some("button"));
    }
    let _ = pane.live_region();
    assert_eq!(pane.all("h1").len(), 1);
    assert!(
        pane.all("h2").len() >= 2,
        "chart and deals sections are headed"
    );
}

#[wasm_bindgen_test]
async fn copy_buttons_put_the_summary_and_the_link_on_the_clipboard_and_say_copied() {
    let fixture = Fixture::new();
    let mut unlinked = deal(2, "Small", 1.0, "Qualify");
    unlinked["link"] = serde_json::Value::Null;
    fixture.contoso(vec![deal(1, "Big", 100.0, "Propose"), unlinked]);
    let clipboard = Clipboard::install(true);
    let pane = mount(QUERY);
    pane.wait_for("article.dp-card").await;
    let cards = pane.all("article.dp-card");

    let copy_summary = cards[0].query_selector(".dp-copy button").unwrap().unwrap();
    assert!(copy_summary
        .text_content()
        .unwrap()
        .contains("Copy summary"));
    click(&copy_summary);
    pane.wait_for(".dp-copy__done").await;
    assert_eq!(clipboard.texts(), ["Big\n\nSummary of Big."]);
    assert_eq!(pane.announced(), "Copied");
    assert!(
        cards[0].text_content().unwrap().contains("✓ Copied"),
        "visible too"
    );

    // The second card starts closed; its body (and its copy button) comes when it opens.
    click(
        &cards[1]
            .query_selector("button.dp-card__toggle")
            .unwrap()
            .unwrap(),
    );
    assert!(
        wait_until(
            || pane
                .all("button")
                .iter()
                .filter(|b| b.text_content().unwrap().contains("Copy deal link"))
                .count()
                == 2,
            1_000
        )
        .await
    );
    let copy_links: Vec<_> = pane
        .all("button")
        .into_iter()
        .filter(|b| b.text_content().unwrap().contains("Copy deal link"))
        .collect();
    click(&copy_links[0]);
    assert!(wait_until(|| clipboard.texts().len() == 2, 1_000).await);
    assert_eq!(
        clipboard.texts()[1],
        "https://org.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=opportunity&id=1"
    );
    assert_eq!(
        pane.announced().trim_end_matches('\u{a0}'),
        "Copied",
        "said again"
    );
    click(&copy_links[1]);
    assert!(wait_until(|| clipboard.texts().len() == 3, 1_000).await);
    assert_eq!(
        clipboard.texts()[2],
        "9b1deb4d-3b7d-4bad-9bdd-000000000002",
        "the id without a link"
    );
}

#[wasm_bindgen_test]
async fn a_refused_clipboard_selects_the_text_in_a_field_and_says_press_ctrl_c() {
    let fixture = Fixture::new();
    fixture.contoso(vec![deal(1, "Big", 100.0, "Propose")]);
    let _clipboard = Clipboard::install(false);
    let pane = mount(QUERY);
    pane.wait_for("article.dp-card").await;
    pane.button("Copy deal link").click();
    let field = pane.wait_for("textarea.dp-copy__field").await;
    let field: web_sys::HtmlTextAreaElement = field.unchecked_into();
    assert!(field.read_only());
    let link = "https://org.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=opportunity&id=1";
    assert_eq!(field.value(), link);
    assert!(
        wait_until(|| focused().is_some_and(|f| f == **field), 1_000).await,
        "focused"
    );
    assert_eq!(field.selection_start().unwrap(), Some(0));
    assert_eq!(field.selection_end().unwrap(), Some(link.len() as u32));
    assert!(pane.text().contains("press Ctrl+C"));
    assert!(pane.announced().contains("press Ctrl+C"));
}

/// The picker waits for the pane's words like the rest: an Arabic pane fetches its file, then
/// offers the search in Arabic, right to left.
#[wasm_bindgen_test]
async fn a_standalone_pane_in_arabic_offers_the_customer_search_in_arabic() {
    let fixture = Fixture::new();
    fixture.json(CUSTOMERS, &json!({"customers": []}));
    let pane = mount("?lang=ar");
    let input = pane.wait_for("input[role=combobox]").await;
    assert!(input.is_connected());
    pane.wait_for_text("ابحث عن عميل أعلاه").await;
    let root = document().document_element().unwrap();
    assert_eq!(root.get_attribute("dir").as_deref(), Some("rtl"));
    drop(pane);
    let _ = root.set_attribute("dir", "ltr");
}
