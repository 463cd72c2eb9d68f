//! Browser tests of the words: English is in the wasm; a pane in another language fetches
//! `i18n/<code>.json` and shows only those words, or English (`lang="en"`) when the file does
//! not come. Each test takes its own language: a page keeps a language once read.
#![cfg(target_arch = "wasm32")]

mod support;

use support::helpers::*;
use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn two_deals(fixture: &Fixture) {
    fixture.contoso(vec![
        deal(1, "Grinders", 40_000.0, "Develop"),
        deal(2, "Espresso machines", 250_000.0, "Propose"),
    ]);
}

fn root_lang_and_dir() -> (Option<String>, Option<String>) {
    let root = document().document_element().unwrap();
    (root.get_attribute("lang"), root.get_attribute("dir"))
}

#[wasm_bindgen_test]
async fn a_german_pane_waits_for_its_words_and_never_shows_english() {
    let fixture = Fixture::new();
    two_deals(&fixture);
    let german = LANGUAGE_FILES[0];
    assert_eq!(german.0, "de");
    fixture.forget("i18n/de.json").reply_slowly(
        "i18n/de.json",
        400,
        200,
        "application/json",
        german.1,
    );
    let pane = mount(&format!("{QUERY}&lang=de-DE"));

    // The file is asked for at once, and config.json and the deals do not wait for it; until
    // it is in, the loading cards without words (and nothing said in the live region).
    assert!(wait_until(|| !fixture.requests_to("i18n/de.json").is_empty(), 300).await);
    assert!(wait_until(|| !fixture.requests_to(DEALS).is_empty(), 300).await);
    sleep(100).await;
    assert!(pane.find(".dp-skeleton").is_some(), "{}", pane.text());
    assert_eq!(pane.text().trim(), "", "no English while German comes");
    assert!(pane.find("article.dp-card").is_none());
    let words_at = fixture.only_request_to("i18n/de.json").at_ms;
    let config_at = fixture.only_request_to(CONFIG).at_ms;
    assert!(
        words_at <= config_at,
        "the words first: {words_at} {config_at}"
    );

    pane.wait_for("article.dp-card").await;
    pane.assert_shows("2 offene Verkaufschancen");
    let text = pane.text().to_lowercase();
    assert!(
        !text.contains("open deal") && !text.contains("loading"),
        "{text}"
    );
    assert_eq!(
        root_lang_and_dir(),
        (Some("de".to_owned()), Some("ltr".to_owned()))
    );
    let sent = fixture.only_request_to("i18n/de.json");
    assert_eq!(sent.accept.as_deref(), Some("application/json"));
    assert_eq!(sent.authorization, None);
    drop(pane);

    // A second German pane in the page reuses the words: no second request, no wait.
    let pane = mount(&format!("{QUERY}&lang=de"));
    pane.wait_for("article.dp-card").await;
    pane.assert_shows("2 offene Verkaufschancen");
    assert_eq!(fixture.requests_to("i18n/de.json").len(), 1);
}

#[wasm_bindgen_test]
async fn an_arabic_pane_shows_arabic_words_right_to_left() {
    let fixture = Fixture::new();
    two_deals(&fixture);
    let pane = mount_in_language(&format!("{QUERY}&lang=ar-SA"), "ar", "rtl").await;
    pane.assert_shows("الفرص المفتوحة");
    assert!(!pane.text().contains("Open deals"), "{}", pane.text());
    assert_eq!(fixture.requests_to("i18n/ar.json").len(), 1);
    drop(pane);
    let _ = document()
        .document_element()
        .unwrap()
        .set_attribute("dir", "ltr");
}

#[wasm_bindgen_test]
async fn a_missing_language_file_leaves_english_with_lang_en() {
    let fixture = Fixture::new();
    two_deals(&fixture);
    fixture
        .forget("i18n/fr.json")
        .reply("i18n/fr.json", 404, "text/plain", "not here");
    let pane = mount_in_language(&format!("{QUERY}&lang=fr-FR"), "en", "ltr").await;
    pane.assert_shows("2 open deals");
    assert_eq!(
        fixture.requests_to("i18n/fr.json").len(),
        1,
        "a 404 is final"
    );
}

#[wasm_bindgen_test]
async fn an_unreachable_language_file_is_tried_again_then_english() {
    let fixture = Fixture::new();
    two_deals(&fixture);
    fixture.forget("i18n/he.json").fail_network("i18n/he.json");
    let pane = mount_in_language(&format!("{QUERY}&lang=he"), "en", "ltr").await;
    pane.assert_shows("2 open deals");
    assert_eq!(fixture.requests_to("i18n/he.json").len(), 2, "one retry");

    // A broken file is English too, not an empty pane.
    drop(pane);
    fixture
        .forget("i18n/he.json")
        .reply("i18n/he.json", 200, "application/json", "{\"title\": ");
    let pane = mount_in_language(&format!("{QUERY}&lang=he"), "en", "ltr").await;
    pane.assert_shows("Open deals");
}
