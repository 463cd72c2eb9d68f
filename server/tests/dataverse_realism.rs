//! The connector against a stand-in that holds Sales data as real environments do: money in
//! two currencies (`_base` columns, the organization's base currency), `startswith` wildcards,
//! an environment without the Forecasting solution, close dates kept as UTC date-times, and a
//! process stage that differs from the sales stage.

mod support;

use std::sync::Arc;

use dealpane_contract::{DealSummaryResponse, Health, Money};
use dealpane_server::source::dataverse::odata::{escape_wildcards, string_literal};
use dealpane_server::source::dataverse::DataverseSource;
use dealpane_server::source::{CustomerRecord, SalesSource};
use proptest::prelude::*;
use serde_json::Value;
use support::dataverse::{DataverseStandin, Fault, Opportunity, EUR, GBP, JPY, USD};
use support::{settings, usd, Dirs, Server, ADATUM_BANK_BASE_VALUES};

fn source(standin: &DataverseStandin) -> DataverseSource {
    DataverseSource::new(standin.config()).expect("a valid configuration")
}

fn account(standin: &DataverseStandin, name: &str) -> CustomerRecord {
    CustomerRecord {
        id: standin.add_account(name),
        name: name.to_owned(),
        kind: dealpane_contract::CustomerType::Account,
    }
}

/// A GET straight to the stand-in with a fresh token: what Dataverse answers a query the
/// connector would never send.
async fn raw_get(standin: &DataverseStandin, path_and_query: &str) -> (u16, Value) {
    let client = reqwest::Client::new();
    let response = client
        .get(format!(
            "{}/api/data/v9.2/{path_and_query}",
            standin.base_url
        ))
        .bearer_auth(standin.access_token().await)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

// ---------------------------------------------------------------------------------------------
// Money in the base currency

#[tokio::test]
async fn deals_are_ordered_by_base_value_and_the_base_currency_is_read_once() {
    let standin = DataverseStandin::start().await;
    let dataverse = source(&standin);
    let adatum = account(&standin, "Adatum Bank S.A.");
    for (name, value, currency) in [
        ("Yen", 9_800_000.0, JPY),
        ("Euro", 120_000.0, EUR),
        ("Dollar", 425_000.0, USD),
        ("Pound", 80_000.0, GBP),
    ] {
        let mut deal = Opportunity::new(adatum.id, name, Some(value));
        deal.currency = currency;
        standin.add_opportunity(deal);
    }
    let mut unconverted = Opportunity::new(adatum.id, "No base value", Some(1e9));
    unconverted.base_missing = true;
    standin.add_opportunity(unconverted);

    let deals = dataverse.open_deals(&adatum, 10).await.unwrap();
    let names: Vec<&str> = deals.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["Dollar", "Euro", "Pound", "Yen", "No base value"]);
    let bases: Vec<Option<Money>> = deals.iter().map(|d| d.value_base.clone()).collect();
    assert_eq!(
        bases,
        [ADATUM_BANK_BASE_VALUES.map(usd).as_slice(), &[None]].concat()
    );
    assert_eq!(deals[3].value.as_ref().unwrap().currency, "JPY");
    assert_eq!(
        deals[4].value.as_ref().map(|v| v.amount),
        Some(1e9),
        "the transaction value stays; the base value is not guessed from it"
    );
    assert_eq!(dataverse.base_currency().await.as_deref(), Some("USD"));

    let opportunities = standin
        .requests()
        .into_iter()
        .find(|r| r.path == "/api/data/v9.2/opportunities")
        .unwrap();
    assert!(opportunities
        .option("$select")
        .unwrap()
        .split(',')
        .any(|c| c == "estimatedvalue_base"));
    assert_eq!(
        opportunities.option("$orderby"),
        Some("estimatedvalue_base desc,estimatedclosedate asc")
    );

    dataverse.open_deals(&adatum, 10).await.unwrap();
    assert_eq!(standin.count("/api/data/v9.2/organizations"), 1);
    let currency_reads = standin
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/api/data/v9.2/transactioncurrencies("))
        .count();
    assert_eq!(currency_reads, 1, "read once, then cached");
    let organization = standin
        .requests()
        .into_iter()
        .find(|r| r.path == "/api/data/v9.2/organizations")
        .unwrap();
    assert_eq!(
        organization.option("$select"),
        Some("_basecurrencyid_value")
    );
}

#[tokio::test]
async fn without_the_base_currency_deals_still_answer_without_base_values() {
    let standin = DataverseStandin::start().await;
    let dataverse = source(&standin);
    let contoso = account(&standin, "Contoso");
    let mut late_yen = Opportunity::new(contoso.id, "Yen, closing late", Some(9_800_000.0));
    late_yen.currency = JPY;
    late_yen.close_date = Some("2027-06-01".to_owned());
    standin.add_opportunity(late_yen);
    let mut big = Opportunity::new(contoso.id, "Big, closing late", Some(425_000.0));
    big.close_date = Some("2027-06-30".to_owned());
    standin.add_opportunity(big);
    let mut small = Opportunity::new(contoso.id, "Small, closing soon", Some(1.0));
    small.close_date = Some("2026-12-01".to_owned());
    standin.add_opportunity(small);
    // The organization read fails on every try.
    standin.inject_for("organizations", Fault::Unavailable, 4);
    let deals = dataverse.open_deals(&contoso, 10).await.unwrap();
    let names: Vec<&str> = deals.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Big, closing late",
            "Yen, closing late",
            "Small, closing soon"
        ],
        "still ordered by the base amounts, though their currency is unknown"
    );
    assert!(deals.iter().all(|d| d.value_base.is_none()), "{deals:?}");
    assert!(deals.iter().all(|d| d.value.is_some()));
    assert_eq!(dataverse.base_currency().await, None);
    let degradations = dataverse.degradations();
    assert_eq!(degradations.len(), 1);
    assert_eq!(degradations[0].code, "baseCurrencyUnknown");
}

// ---------------------------------------------------------------------------------------------
// startswith wildcards

#[tokio::test]
async fn the_picker_prefix_matches_wildcard_characters_literally() {
    let standin = DataverseStandin::start().await;
    let dataverse = source(&standin);
    for name in [
        "A_B Traders",
        "AxB Traders",
        "100% Natural",
        "1000 Lakes",
        "%Sign Co",
        "[Brackets] Ltd",
        "Brackets Ltd",
    ] {
        standin.add_account(name);
    }
    let names = |found: Vec<dealpane_contract::CustomerRef>| {
        found.into_iter().map(|c| c.name).collect::<Vec<_>>()
    };
    let search = |prefix: &'static str| {
        let dataverse = &dataverse;
        async move { names(dataverse.search_customers(prefix, 10).await.unwrap()) }
    };
    assert_eq!(
        search("a_b").await,
        ["A_B Traders"],
        "A_B must not match AxB"
    );
    assert_eq!(search("100%").await, ["100% Natural"]);
    assert_eq!(search("%").await, ["%Sign Co"], "a leading % is a literal");
    assert_eq!(search("[B").await, ["[Brackets] Ltd"]);
    assert!(standin
        .filters()
        .contains(&"startswith(name,'a[_]b')".to_owned()));
    assert!(standin
        .filters()
        .contains(&"startswith(fullname,'[%]')".to_owned()));
}

#[tokio::test]
async fn the_stand_in_reads_wildcards_and_refuses_a_leading_percent_as_dataverse_does() {
    let standin = DataverseStandin::start().await;
    for name in ["A_B Traders", "AxB Traders", "Other"] {
        standin.add_account(name);
    }
    let names = |body: &Value| -> Vec<String> {
        body["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let (status, body) = raw_get(
        &standin,
        "accounts?$select=name&$filter=startswith(name,'A_B')&$orderby=name",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        names(&body),
        ["A_B Traders", "AxB Traders"],
        "_ is a wildcard"
    );
    let (_, body) = raw_get(
        &standin,
        "accounts?$select=name&$filter=startswith(name,'A%5B_%5DB')",
    )
    .await;
    assert_eq!(names(&body), ["A_B Traders"], "[_] is literal");
    let (_, body) = raw_get(
        &standin,
        "accounts?$select=name&$filter=contains(name,'%5B%5Ex%5DB%20T')",
    )
    .await;
    assert_eq!(names(&body), ["A_B Traders"], "[^x] excludes x");
    let (status, body) = raw_get(
        &standin,
        "accounts?$select=name&$filter=startswith(name,'%25B')",
    )
    .await;
    assert_eq!(status, 400);
    assert!(body["error"]["code"].is_string(), "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not supported"),
        "{body}"
    );
}

/// Reads a `LIKE` pattern as Dataverse does, independently of the code under test: the
/// literal text it matches, or `None` when it holds a live wildcard (`%`, `_`, a `[` set of
/// more than one character or a negated one).
fn literal_pattern(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut text = String::new();
    let mut at = 0;
    while at < chars.len() {
        match chars[at] {
            '%' | '_' => return None,
            '[' => {
                // Only the one-character sets `[x]` are literals.
                if chars.get(at + 2) != Some(&']') || chars.get(at + 1) == Some(&'^') {
                    return None;
                }
                text.push(chars[at + 1]);
                at += 3;
            }
            c => {
                text.push(c);
                at += 1;
            }
        }
    }
    Some(text)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn escaped_prefixes_are_literal_patterns_of_exactly_the_input(input in any::<String>()) {
        prop_assert_eq!(literal_pattern(&escape_wildcards(&input)), Some(input));
    }

    #[test]
    fn wildcard_heavy_prefixes_too(input in "[%_\\[\\]^a-c' ]{0,30}") {
        let escaped = escape_wildcards(&input);
        prop_assert_eq!(literal_pattern(&escaped), Some(input.clone()));
        // Then quoted: the OData literal still ends exactly at its closing quote.
        let literal = string_literal(&escaped);
        prop_assert!(literal.starts_with('\'') && literal.ends_with('\''));
        let inner = &literal[1..literal.len() - 1];
        prop_assert_eq!(inner.replace("''", "'"), escaped);
    }
}

// ---------------------------------------------------------------------------------------------
// No Forecasting solution

#[tokio::test]
async fn without_the_forecasting_column_deals_still_answer_and_it_is_asked_once() {
    let standin = DataverseStandin::start().await;
    standin.without_forecasting();
    let dataverse = source(&standin);
    let contoso = account(&standin, "Contoso");
    standin.add_opportunity(Opportunity::new(contoso.id, "Deal", Some(5.0)));
    assert!(dataverse.degradations().is_empty(), "nothing known yet");

    let deals = dataverse.open_deals(&contoso, 10).await.unwrap();
    assert_eq!(deals.len(), 1);
    assert_eq!(deals[0].forecast_category, None);
    assert_eq!(deals[0].stage.as_deref(), Some("Propose"));
    let selects: Vec<String> = standin
        .requests()
        .iter()
        .filter(|r| r.path == "/api/data/v9.2/opportunities")
        .map(|r| r.option("$select").unwrap().to_owned())
        .collect();
    assert_eq!(
        selects.len(),
        2,
        "the 400, then the query without the column"
    );
    assert!(selects[0].contains("msdyn_forecastcategory"));
    assert!(!selects[1].contains("msdyn_forecastcategory"));
    let degradations = dataverse.degradations();
    assert_eq!(degradations.len(), 1);
    assert_eq!(degradations[0].code, "forecastCategoryMissing");
    assert!(degradations[0].detail.contains("Forecasting"));

    standin.clear_requests();
    dataverse.open_deals(&contoso, 10).await.unwrap();
    assert_eq!(
        standin.count("/api/data/v9.2/opportunities"),
        1,
        "known missing: asked without it at once"
    );
}

#[tokio::test]
async fn with_the_forecasting_column_nothing_is_degraded() {
    let standin = DataverseStandin::start().await;
    let dataverse = source(&standin);
    let contoso = account(&standin, "Contoso");
    standin.add_opportunity(Opportunity::new(contoso.id, "Deal", Some(5.0)));
    let deals = dataverse.open_deals(&contoso, 10).await.unwrap();
    assert!(deals[0].forecast_category.is_some());
    assert!(dataverse.degradations().is_empty());
    assert_eq!(standin.count("/api/data/v9.2/opportunities"), 1);
}

#[tokio::test]
async fn health_says_when_the_forecasting_column_is_missing() {
    let standin = DataverseStandin::start().await;
    standin.without_forecasting();
    let contoso = standin.add_account("Contoso");
    standin.add_opportunity(Opportunity::new(contoso, "Deal", Some(5.0)));
    let dirs = Dirs::new();
    let server = Server::start(&settings(&dirs), Arc::new(source(&standin))).await;

    let answer = server
        .get_json(&format!("/api/DealSummary?customerId={contoso}"))
        .await;
    assert_eq!(answer.status(), 200);
    let answer: DealSummaryResponse = answer.json().await.unwrap();
    assert_eq!(answer.deals.len(), 1);
    assert_eq!(answer.base_currency.as_deref(), Some("USD"));

    let health = server.get("/api/health").await;
    assert_eq!(
        health.status(),
        200,
        "a missing column does not make the server unhealthy"
    );
    let health: Health = health.json().await.unwrap();
    assert_eq!(health.status, "ok");
    assert_eq!(
        health
            .degradations
            .iter()
            .map(|d| d.code.as_str())
            .collect::<Vec<_>>(),
        ["forecastCategoryMissing"]
    );
}

// ---------------------------------------------------------------------------------------------
// Close dates and stages

#[tokio::test]
async fn a_close_date_kept_as_a_utc_date_time_shows_the_sellers_day() {
    let standin = DataverseStandin::start().await;
    let dataverse = source(&standin);
    let contoso = account(&standin, "Contoso");
    // Midnight of 15 Dec for a seller at UTC+1 is 23:00 UTC the day before; the user the
    // stand-in answers as is in the same zone.
    standin.set_user_time_zone(60);
    let mut east = Opportunity::new(contoso.id, "East", Some(3.0));
    east.close_date = Some("2026-12-14T23:00:00Z".to_owned());
    standin.add_opportunity(east);
    // Midnight of 15 Dec at UTC-5 is 05:00 UTC the same day.
    standin.set_user_time_zone(-300);
    let mut west = Opportunity::new(contoso.id, "West", Some(2.0));
    west.close_date = Some("2026-12-15T05:00:00Z".to_owned());
    standin.add_opportunity(west);
    let mut date_only = Opportunity::new(contoso.id, "Date only", Some(1.0));
    date_only.close_date = Some("2026-12-15".to_owned());
    standin.add_opportunity(date_only);

    let deals = dataverse.open_deals(&contoso, 10).await.unwrap();
    let dates: Vec<(&str, Option<&str>)> = deals
        .iter()
        .map(|d| (d.name.as_str(), d.close_date.as_deref()))
        .collect();
    assert_eq!(
        dates,
        [
            ("East", Some("2026-12-15")),
            ("West", Some("2026-12-15")),
            ("Date only", Some("2026-12-15"))
        ]
    );
}

#[tokio::test]
async fn the_process_stage_is_preferred_over_the_sales_stage() {
    let standin = DataverseStandin::start().await;
    let dataverse = source(&standin);
    let contoso = account(&standin, "Contoso");
    let mut moved_on = Opportunity::new(contoso.id, "Moved on", Some(3.0));
    moved_on.step_name = Some("2-Develop".to_owned());
    moved_on.sales_stage = Some(0);
    standin.add_opportunity(moved_on);
    let mut no_process = Opportunity::new(contoso.id, "No process", Some(2.0));
    no_process.step_name = None;
    no_process.sales_stage = Some(3);
    standin.add_opportunity(no_process);
    let mut neither = Opportunity::new(contoso.id, "Neither", Some(1.0));
    neither.step_name = None;
    neither.sales_stage = None;
    standin.add_opportunity(neither);

    let deals = dataverse.open_deals(&contoso, 10).await.unwrap();
    let stages: Vec<Option<&str>> = deals.iter().map(|d| d.stage.as_deref()).collect();
    assert_eq!(stages, [Some("Develop"), Some("Close"), None]);
}
