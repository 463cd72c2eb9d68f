//! Browser tests of issue 9's widget half: a customer whose deals are priced in four currencies
//! (compared, added and charted in the organization's base currency; an older server's answer
//! as before), and panes in Arabic and Hebrew (their own words, `lang` and `dir` from the words
//! shown, text from Sales isolated, nothing clipped from 280 to 1400 px in either direction).
#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::{json, Value};
use support::helpers::*;
use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
const describe = (el) => {
  const classes = typeof el.className === "string" && el.className.trim()
    ? "." + el.className.trim().split(/\s+/).join(".") : "";
  return `${el.tagName.toLowerCase()}${classes} "${(el.textContent || "").trim().slice(0, 40)}"`;
};
// Rotated decorations (the chevron) poke out of their box by a pixel or two without being cut.
const SLACK = 2;
const outside = (r, c) => r.left < c.left - SLACK || r.right > c.right + SLACK;

export function clipped_elements(host) {
  const problems = [];
  const pane = host.getBoundingClientRect();
  for (const el of host.querySelectorAll("*")) {
    if (el.closest(".dp-visually-hidden, [hidden]")) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (outside(r, pane)) {
      problems.push(`${describe(el)} [${Math.round(r.left)}, ${Math.round(r.right)}] leaves the pane [${Math.round(pane.left)}, ${Math.round(pane.right)}]`);
    }
    const parent = el.parentElement;
    if (parent && parent !== host && outside(r, parent.getBoundingClientRect())) {
      problems.push(`${describe(el)} leaves its container ${describe(parent)}`);
    }
    if (getComputedStyle(el).overflowX !== "visible" && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${describe(el)} cuts or scrolls its content (${el.scrollWidth} > ${el.clientWidth})`);
    }
  }
  return JSON.stringify(problems);
}

export function set_width(el, px) { el.style.setProperty("width", `${px}px`); }
"#)]
extern "C" {
    fn clipped_elements(host: &Element) -> String;
    fn set_width(element: &Element, px: u32);
}

const ADATUM_ID: &str = "0d1af1c5-0000-4000-8000-00000000a00f";
const ADATUM_QUERY: &str = "?customerId=0d1af1c5-0000-4000-8000-00000000a00f";

/// One of Adatum's deals: its own value and, when `base` is given, its value in USD.
fn priced(tail: u32, name: &str, stage: &str, value: (f64, &str), base: Option<f64>) -> Value {
    let mut deal = deal(tail, name, value.0, stage);
    deal["value"]["currency"] = json!(value.1);
    deal["valueBase"] = base.map_or(
        Value::Null,
        |amount| json!({"amount": amount, "currency": "USD"}),
    );
    deal
}

/// The embedded store's Adatum Bank S.A.: by raw amount the yen deal is the largest, by base
/// value the smallest. Listed yen first, so the pane cannot lean on the server's order.
/// `with_base`: as this server answers; without, as an older one did.
fn adatum(with_base: bool) -> Value {
    let base = |amount: f64| with_base.then_some(amount);
    let mut deals = vec![
        priced(
            4,
            "Tokyo branch espresso machines",
            "Close",
            (9_800_000.0, "JPY"),
            base(65_333.33),
        ),
        priced(
            2,
            "Branch coffee service in Spain",
            "Develop",
            (120_000.0, "EUR"),
            base(130_434.78),
        ),
        priced(
            1,
            "Teller terminals for 40 branches",
            "Propose",
            (425_000.0, "USD"),
            base(425_000.0),
        ),
        priced(
            3,
            "London office visitor kiosks",
            "Qualify",
            (80_000.0, "GBP"),
            base(101_265.82),
        ),
    ];
    for (deal, probability) in deals.iter_mut().zip([80, 40, 60, 30]) {
        deal["probability"] = json!(probability);
    }
    let mut answer = answer("Adatum Bank S.A.", deals);
    answer["customer"]["id"] = json!(ADATUM_ID);
    if with_base {
        answer["baseCurrency"] = json!("USD");
    }
    answer
}

fn text_of(element: &Element) -> String {
    element.text_content().unwrap_or_default()
}

/// Each card's name and whether it is expanded, in order.
fn cards(pane: &Pane) -> Vec<(String, bool)> {
    pane.all("article.dp-card")
        .iter()
        .map(|card| {
            let toggle = card.query_selector(".dp-card__toggle").unwrap().unwrap();
            let name = text_of(&card.query_selector(".dp-card__name").unwrap().unwrap());
            (
                name,
                toggle.get_attribute("aria-expanded").as_deref() == Some("true"),
            )
        })
        .collect()
}

/// Adatum's deals (with base values or without) in a mounted pane, whose one open card must be
/// `starts_open` (`why`: the rule that picks it).
async fn open_adatum(with_base: bool, starts_open: &str, why: &str) -> (Fixture, Pane) {
    let fixture = Fixture::new();
    fixture.json(DEALS, &adatum(with_base));
    let pane = mount(ADATUM_QUERY);
    pane.wait_for("article.dp-card").await;
    let expanded: Vec<String> = cards(&pane)
        .into_iter()
        .filter_map(|(name, open)| open.then_some(name))
        .collect();
    assert_eq!(expanded, [starts_open], "{why}");
    (fixture, pane)
}

fn card(pane: &Pane, name: &str) -> Element {
    pane.all("article.dp-card")
        .into_iter()
        .find(|card| text_of(card).contains(name))
        .unwrap_or_else(|| panic!("no card {name}"))
}

/// The header's totals: (term, figure with its parts).
fn totals(pane: &Pane) -> Vec<(String, String)> {
    pane.all(".dp-totals__item")
        .iter()
        .map(|item| {
            let part = |tag: &str| text_of(&item.query_selector(tag).unwrap().unwrap());
            (part("dt"), part("dd"))
        })
        .collect()
}

#[wasm_bindgen_test]
async fn a_mixed_currency_customer_is_compared_added_and_charted_in_the_base_currency() {
    let why = "the $425,000 deal starts open, not the ¥9,800,000 one";
    let (_fixture, pane) = open_adatum(true, "Teller terminals for 40 branches", why).await;

    let totals = totals(&pane);
    assert_eq!(totals.len(), 2);
    let (open, weighted) = (&totals[0].1, &totals[1].1);
    // $425,000 + $130,434.78 + $101,265.82 + $65,333.33, in whole dollars.
    assert!(open.starts_with("$722,034"), "open total in USD: {open}");
    // 60 % + 40 % + 30 % + 80 % of the same.
    assert!(
        weighted.starts_with("$389,820"),
        "weighted in USD: {weighted}"
    );
    let parts = text_of(
        &pane
            .find(".dp-totals__parts")
            .expect("amounts per currency"),
    );
    assert_eq!(parts, "$425,000 · €120,000 · £80,000 · ¥9,800,000");
    assert!(weighted.contains("¥7,840,000"), "{weighted}");

    let chart = pane.find(".dp-chart [role=img]").expect("a chart");
    let name = chart.get_attribute("aria-label").unwrap();
    assert_eq!(
        name,
        "Pipeline by stage. Qualify: $101,266; Develop: $130,435; Propose: $425,000; Close: $65,333.",
        "every valued deal, in USD"
    );
    assert_eq!(
        bar_widths(&pane),
        [
            "width: 23.83%;",
            "width: 30.69%;",
            "width: 100%;",
            "width: 15.37%;"
        ]
    );
    let note = text_of(&pane.find(".dp-chart__note").expect("a note"));
    assert_eq!(
        note,
        "All amounts in USD, the organization's base currency."
    );

    let yen = card(&pane, "Tokyo");
    let meta = text_of(&yen.query_selector(".dp-card__meta").unwrap().unwrap());
    assert!(
        meta.contains("¥9,800,000 ≈ $65,300"),
        "own currency first: {meta}"
    );
    for (name, approx) in [("Spain", "≈ $130,000"), ("London", "≈ $101,000")] {
        assert!(text_of(&card(&pane, name)).contains(approx), "{name}");
    }
    let usd = text_of(&card(&pane, "Teller terminals"));
    assert!(
        !usd.contains('≈'),
        "a deal in the base currency has no ≈: {usd}"
    );
    assert!(usd.contains("$425,000"), "{usd}");

    // Text from Sales and amounts are isolated runs.
    let isolated = |selector: &str| {
        pane.all(selector)
            .iter()
            .all(|element| element.query_selector("bdi").unwrap().is_some())
    };
    for selector in [
        "h1",
        ".dp-card__name",
        ".dp-card__meta",
        ".dp-totals dd",
        ".dp-chart__label",
        ".dp-chart__value",
        ".dp-facts dd",
    ] {
        assert!(!pane.all(selector).is_empty(), "{selector} is shown");
        assert!(isolated(selector), "{selector} isolates what it shows");
    }
    assert_eq!(
        text_of(&pane.find("h1 bdi").unwrap()),
        "Adatum Bank S.A.",
        "the name as one run: its period stays at its end"
    );
}

#[wasm_bindgen_test]
async fn an_answer_without_base_values_renders_as_before() {
    let why = "the largest amount as sent";
    let (_fixture, pane) = open_adatum(false, "Tokyo branch espresso machines", why).await;
    let totals = totals(&pane);
    assert_eq!(
        totals[0].1, "¥9,800,000 · $425,000 · €120,000 · £80,000",
        "a total per currency"
    );
    assert!(pane.find(".dp-totals__parts").is_none());
    assert!(!pane.text().contains('≈'));
    let chart = pane.find(".dp-chart [role=img]").expect("a chart");
    assert_eq!(
        chart.get_attribute("aria-label").as_deref(),
        Some("Pipeline by stage. Close: ¥9,800,000."),
        "the top currency only"
    );
    pane.assert_shows("Amounts in JPY; deals in other currencies are not charted.");
}

/// Mounts the Adatum pane in `lang`, every card open, and checks it for clipping at widths from
/// a narrow side pane to a wide tab.
async fn assert_nothing_clipped(lang: &str) {
    let fixture = Fixture::new();
    let mut answer = adatum(true);
    // A long name without spaces and one in the pane's own script, as Sales may hold them.
    answer["deals"][1]["name"] = json!("Branch-coffee-service-for-all-Spanish-branches-2027");
    answer["deals"][3]["name"] = json!("أكشاك الزوار في مكتب لندن · קיוסקים ללובי");
    answer["deals"][0]["stage"] = json!("Negotiate terms with procurement and legal");
    fixture.json(DEALS, &answer);
    let pane = mount(&format!("{ADATUM_QUERY}&lang={lang}"));
    pane.wait_for("article.dp-card").await;
    for toggle in pane.all(".dp-card__toggle") {
        if toggle.get_attribute("aria-expanded").as_deref() == Some("false") {
            click(&toggle);
        }
    }
    settle().await;
    // The check sees an element wider than the pane (so a pass means something).
    let probe = support::document().create_element("p").unwrap();
    probe.set_text_content(Some("probe"));
    set_width(&probe, 5_000);
    pane.find(".dp-main").unwrap().append_child(&probe).unwrap();
    let found: Vec<String> = serde_json::from_str(&clipped_elements(&pane.host)).unwrap();
    assert!(
        found.iter().any(|problem| problem.contains("probe")),
        "{found:?}"
    );
    probe.remove();
    for width in [280, 320, 360, 768, 1400] {
        set_width(&pane.host, width);
        settle().await;
        let problems: Vec<String> = serde_json::from_str(&clipped_elements(&pane.host)).unwrap();
        assert!(
            problems.is_empty(),
            "{lang} at {width} px:\n{}",
            problems.join("\n")
        );
    }
}

#[wasm_bindgen_test]
async fn arabic_and_hebrew_panes_show_their_words_right_to_left_and_clip_nothing() {
    let root = support::document().document_element().unwrap();
    for (lang, title, deals) in [
        ("ar", "الفرص المفتوحة", "4 فرص مفتوحة"),
        ("he", "הזדמנויות פתוחות", "4 הזדמנויות פתוחות"),
    ] {
        let fixture = Fixture::new();
        fixture.json(DEALS, &adatum(true));
        let pane = mount_in_language(&format!("{ADATUM_QUERY}&lang={lang}"), lang, "rtl").await;
        pane.assert_shows(title);
        pane.assert_shows(deals);
        assert_eq!(
            cards(&pane).iter().filter(|(_, open)| *open).count(),
            1,
            "{lang}: one card open"
        );
        assert_eq!(
            pane.all(".dp-chart__bar").len(),
            4,
            "{lang}: every deal charted"
        );
        assert!(pane.text().contains('≈'), "{lang}: base equivalents shown");
        drop(pane);
        assert_nothing_clipped(lang).await;
    }
    // Left to right too.
    assert_nothing_clipped("en").await;
    assert_eq!(root.get_attribute("dir").as_deref(), Some("ltr"));
}

#[wasm_bindgen_test]
async fn lang_and_dir_follow_the_words_shown_not_the_language_asked_for() {
    let root = support::document().document_element().unwrap();
    let fixture = Fixture::new();
    fixture.json(DEALS, &adatum(true));
    // Persian: the pane has no Persian words, so it shows English, left to right.
    let pane = mount_in_language(&format!("{ADATUM_QUERY}&lang=fa-IR"), "en", "ltr").await;
    pane.assert_shows("4 open deals");
    drop(pane);
    // `iw`, Hebrew's old code: Hebrew words, right to left.
    drop(mount_in_language(&format!("{ADATUM_QUERY}&lang=iw"), "he", "rtl").await);
    let _ = root.set_attribute("dir", "ltr");
    let _ = root.set_attribute("lang", "en");
}
