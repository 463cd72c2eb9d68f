//! The Dataverse connector against the local stand-in: exact OData text on the wire, paging,
//! retries, timeouts, token refresh, summaries and the one OData literal escaper.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use dealpane_contract::{CustomerType, ForecastCategory, Guid};
use dealpane_server::source::dataverse::odata::string_literal;
use dealpane_server::source::dataverse::{DataverseConfig, DataverseSource, Secret};
use dealpane_server::source::{CustomerRecord, SalesSource, SourceError};
use proptest::prelude::*;
use support::dataverse::{
    DataverseStandin, Fault, Opportunity, SummaryAnswer, CLIENT_ID, CLIENT_SECRET, EUR,
};

fn source(config: DataverseConfig) -> DataverseSource {
    DataverseSource::new(config).expect("a valid configuration")
}

/// A stand-in and a connector configured for it.
async fn connected() -> (DataverseStandin, DataverseSource) {
    connected_with(|_| {}).await
}

/// A stand-in and a connector whose configuration `adjust` changed first.
async fn connected_with(
    adjust: impl FnOnce(&mut DataverseConfig),
) -> (DataverseStandin, DataverseSource) {
    let standin = DataverseStandin::start().await;
    let mut config = standin.config();
    adjust(&mut config);
    let dataverse = source(config);
    (standin, dataverse)
}

const WHO_AM_I: &str = "/api/data/v9.2/WhoAmI";

fn account(id: Guid, name: &str) -> CustomerRecord {
    CustomerRecord {
        id,
        name: name.to_owned(),
        kind: CustomerType::Account,
    }
}

// ---------------------------------------------------------------------------------------------
// The escaper

/// OData's string literal grammar, read independently of the code under test: `'`, then
/// characters where `''` stands for `'`, then a lone `'`. Answers the text and what follows.
fn read_literal(input: &str) -> Option<(String, &str)> {
    let mut rest = input.strip_prefix('\'')?;
    let mut text = String::new();
    loop {
        let c = rest.chars().next()?;
        rest = &rest[c.len_utf8()..];
        if c == '\'' {
            match rest.strip_prefix('\'') {
                Some(after) => {
                    text.push('\'');
                    rest = after;
                }
                None => return Some((text, rest)),
            }
        } else {
            text.push(c);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_string_reads_back_whole_and_ends_exactly_at_its_closing_quote(input in any::<String>()) {
        let literal = string_literal(&input);
        let (text, rest) = read_literal(&literal).expect("a terminated literal");
        prop_assert_eq!(text, input);
        prop_assert_eq!(rest, "", "the literal ended early: {}", literal);
    }

    #[test]
    fn quote_heavy_strings_read_back_too(input in "['a-z %&#+]{0,40}") {
        let literal = string_literal(&input);
        let (text, rest) = read_literal(&literal).expect("a terminated literal");
        prop_assert_eq!(text, input);
        prop_assert_eq!(rest, "");
    }
}

const TRICKY_NAMES: &[&str] = &[
    "' or 1 eq 1",
    "''",
    "O'Brien & Sons",
    "%27",
    "a&b=c",
    "#1 Coffee",
    "C++ + Co",
    "Zürich Kaffee AG",
    "喫茶店 ☕",
    "Emoji 😀 Ltd",
    "/slash\\back?q",
];

#[test]
fn fixed_cases_escape_as_odata_says() {
    assert_eq!(string_literal("' or 1 eq 1"), "''' or 1 eq 1'");
    assert_eq!(string_literal("''"), "''''''");
    for name in TRICKY_NAMES {
        assert_eq!(
            read_literal(&string_literal(name)),
            Some((name.to_string(), ""))
        );
    }
}

#[tokio::test]
async fn tricky_names_reach_dataverse_exactly_and_match() {
    let (standin, dataverse) = connected().await;
    for name in TRICKY_NAMES {
        let id = standin.add_account(name);
        let found = dataverse
            .customer_by_name(&name.to_uppercase(), Some(CustomerType::Account))
            .await
            .unwrap();
        assert_eq!(found.map(|c| c.id), Some(id), "{name}");
        let expected = format!("name eq {}", string_literal(&name.to_uppercase()));
        assert_eq!(standin.filters().last(), Some(&expected));
    }
}

// ---------------------------------------------------------------------------------------------
// Token

#[tokio::test]
async fn the_token_request_is_a_client_credentials_form_and_the_token_is_reused() {
    let (standin, dataverse) = connected().await;
    dataverse.stats().await.unwrap();
    dataverse.stats().await.unwrap();
    assert_eq!(standin.token_requests(), 1, "the token is cached");
    let requests = standin.requests();
    let form = requests[0].form();
    assert_eq!(form["grant_type"], "client_credentials");
    assert_eq!(form["client_id"], CLIENT_ID);
    assert_eq!(form["client_secret"], CLIENT_SECRET);
    assert_eq!(form["scope"], format!("{}/.default", standin.base_url));
    let who_am_i: Vec<_> = requests
        .iter()
        .filter(|r| r.path == "/api/data/v9.2/WhoAmI")
        .collect();
    assert_eq!(who_am_i.len(), 2);
    assert_eq!(
        who_am_i[0].authorization.as_deref(),
        Some("Bearer standin-token-1")
    );
}

#[tokio::test]
async fn a_wrong_secret_fails_with_entra_ids_reason() {
    let standin = DataverseStandin::start().await;
    let mut config = standin.config();
    config.client_secret = Secret::new("the secret id, not its value");
    let error = source(config).stats().await.unwrap_err();
    let SourceError::Upstream(message) = error else {
        panic!("expected Upstream, got {error:?}");
    };
    // Entra ID's error and code, and what to check.
    for said in ["invalid_client", "AADSTS7000215", "client secret"] {
        assert!(message.contains(said), "{said}: {message}");
    }
    assert!(
        !message.contains("Trace ID"),
        "only the first line: {message}"
    );
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_and_the_call_succeeds() {
    let (standin, dataverse) = connected().await;
    dataverse.stats().await.unwrap();
    standin.expire_tokens();
    dataverse.stats().await.unwrap();
    assert_eq!(standin.token_requests(), 2);
    assert_eq!(standin.count(WHO_AM_I), 3, "one 401, then the retry");
}

#[tokio::test]
async fn a_token_refused_twice_is_an_upstream_failure_not_a_loop() {
    let (standin, dataverse) = connected().await;
    standin.inject(Fault::ExpireTokens, 2);
    let error = dataverse.stats().await.unwrap_err();
    assert!(
        matches!(&error, SourceError::Upstream(m) if m.contains("401")),
        "{error:?}"
    );
    assert_eq!(standin.token_requests(), 2);
}

#[tokio::test]
async fn a_token_is_renewed_before_it_expires() {
    let standin = DataverseStandin::start().await;
    standin.set_token_lifetime(2);
    let dataverse = source(standin.config());
    dataverse.stats().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    dataverse.stats().await.unwrap();
    assert_eq!(
        standin.token_requests(),
        2,
        "renewed within the last second"
    );
}

#[tokio::test]
async fn concurrent_callers_share_one_token_request() {
    let standin = DataverseStandin::start().await;
    let dataverse = Arc::new(source(standin.config()));
    let calls = (0..10).map(|_| {
        let dataverse = dataverse.clone();
        tokio::spawn(async move { dataverse.stats().await })
    });
    for call in futures::future::join_all(calls).await {
        call.unwrap().unwrap();
    }
    assert_eq!(standin.token_requests(), 1);
    assert_eq!(standin.count(WHO_AM_I), 10);
}

// ---------------------------------------------------------------------------------------------
// Customers

#[tokio::test]
async fn customers_by_id_respect_the_kind_and_send_unquoted_guids() {
    let (standin, dataverse) = connected().await;
    let contoso = standin.add_account("Contoso Ltd");
    let jane = standin.add_contact("Jane Smith");

    let found = dataverse.customer_by_id(contoso, None).await.unwrap();
    assert_eq!(found, Some(account(contoso, "Contoso Ltd")));
    assert_eq!(standin.filters(), vec![format!("accountid eq {contoso}")]);

    standin.clear_requests();
    let found = dataverse.customer_by_id(jane, None).await.unwrap().unwrap();
    assert_eq!(
        (found.kind, found.name.as_str()),
        (CustomerType::Contact, "Jane Smith")
    );
    assert_eq!(
        standin.filters(),
        vec![
            format!("accountid eq {jane}"),
            format!("contactid eq {jane}")
        ]
    );

    standin.clear_requests();
    let narrowed = dataverse
        .customer_by_id(contoso, Some(CustomerType::Contact))
        .await
        .unwrap();
    assert_eq!(narrowed, None);
    assert_eq!(standin.filters(), vec![format!("contactid eq {contoso}")]);
}

#[tokio::test]
async fn customers_by_name_prefer_accounts_then_the_latest_modified() {
    let (standin, dataverse) = connected().await;
    standin.add_account_modified("Fabrikam", "2025-01-01T00:00:00Z");
    let newer = standin.add_account_modified("FABRIKAM", "2026-06-01T00:00:00Z");
    standin.add_contact("Fabrikam");
    let jane = standin.add_contact("Jane O'Neil");

    let found = dataverse.customer_by_name("fabrikam", None).await.unwrap();
    assert_eq!(found.map(|c| c.id), Some(newer));
    let request = standin.requests().pop().unwrap();
    assert_eq!(request.path, "/api/data/v9.2/accounts");
    assert_eq!(request.option("$filter"), Some("name eq 'fabrikam'"));
    assert_eq!(request.option("$orderby"), Some("modifiedon desc"));
    assert_eq!(request.option("$top"), Some("1"));

    let found = dataverse
        .customer_by_name("Jane O'Neil", None)
        .await
        .unwrap();
    assert_eq!(
        found.map(|c| (c.id, c.kind)),
        Some((jane, CustomerType::Contact))
    );
    assert_eq!(
        standin.filters()[1..],
        ["name eq 'Jane O''Neil'", "fullname eq 'Jane O''Neil'"]
    );
    assert_eq!(
        dataverse.customer_by_name("Nobody", None).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn search_uses_startswith_on_both_tables_and_merges_by_name() {
    let (standin, dataverse) = connected().await;
    standin.add_account("Contoso Pharmaceuticals");
    standin.add_account("Coho Winery");
    standin.add_contact("Connie O'Hara");
    standin.add_account("Fabrikam");

    let found = dataverse.search_customers("co", 10).await.unwrap();
    let names: Vec<_> = found.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["Coho Winery", "Connie O'Hara", "Contoso Pharmaceuticals"]
    );
    assert_eq!(found[1].kind, CustomerType::Contact);
    assert_eq!(
        standin.filters(),
        ["startswith(name,'co')", "startswith(fullname,'co')"]
    );

    let found = dataverse.search_customers("Connie O'", 2).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(standin.filters()[3], "startswith(fullname,'Connie O''')");
    assert_eq!(dataverse.search_customers("co", 2).await.unwrap().len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Deals

#[tokio::test]
async fn open_deals_follow_next_links_and_map_annotations() {
    let (standin, dataverse) = connected_with(|config| config.page_size = 2).await;
    let contoso = standin.add_account("Contoso Ltd");
    let other = standin.add_account("Other");
    for (name, value, close) in [
        ("Small", Some(1000.0), "2026-10-01"),
        ("Big late", Some(90000.0), "2026-12-31"),
        ("Big early", Some(90000.0), "2026-11-30"),
        ("Unpriced", None, "2026-09-01"),
        ("Middle", Some(5000.0), "2026-12-01"),
    ] {
        let mut deal = Opportunity::new(contoso, name, value);
        deal.close_date = Some(close.to_owned());
        standin.add_opportunity(deal);
    }
    let mut euro = Opportunity::new(contoso, "Euro deal", Some(3000.0));
    euro.currency = EUR;
    euro.owner = Some("Sales Team West".to_owned());
    euro.forecast_category = Some(100_000_003);
    euro.sales_stage = None;
    euro.step_name = Some("1-Qualify".to_owned());
    let euro_id = standin.add_opportunity(euro);
    let mut won = Opportunity::new(contoso, "Won already", Some(1e6));
    won.state = 1;
    standin.add_opportunity(won);
    standin.add_opportunity(Opportunity::new(other, "Someone else's", Some(2e6)));

    let deals = dataverse
        .open_deals(&account(contoso, "Contoso Ltd"), 10)
        .await
        .unwrap();
    let names: Vec<_> = deals.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Big early",
            "Big late",
            "Middle",
            "Euro deal",
            "Small",
            "Unpriced"
        ]
    );

    let pages: Vec<_> = standin
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/data/v9.2/opportunities")
        .collect();
    assert_eq!(pages.len(), 3, "six deals in pages of two");
    let first = &pages[0];
    assert_eq!(
        first.option("$filter"),
        Some(format!("statecode eq 0 and _customerid_value eq {contoso}").as_str())
    );
    assert_eq!(
        first.option("$orderby"),
        Some("estimatedvalue_base desc,estimatedclosedate asc")
    );
    assert_eq!(
        first.option("$expand"),
        Some("transactioncurrencyid($select=isocurrencycode)")
    );
    assert!(first.prefer.contains(
        &"odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\"".to_owned()
    ));
    assert!(first.prefer.contains(&"odata.maxpagesize=2".to_owned()));
    assert!(pages[1].option("$skiptoken").is_some());
    assert!(pages[2].prefer.contains(&"odata.maxpagesize=2".to_owned()));

    let big = &deals[0];
    assert_eq!(big.stage.as_deref(), Some("Propose"));
    assert_eq!(big.owner.as_deref(), Some("Dana Seller"));
    assert_eq!(big.value.as_ref().map(|v| v.currency.as_str()), Some("USD"));
    assert_eq!(big.forecast_category, Some(ForecastCategory::BestCase));
    assert_eq!(big.probability, Some(50));
    assert_eq!(big.close_date.as_deref(), Some("2026-11-30"));
    let link = big.link.as_deref().unwrap();
    assert_eq!(
        link,
        format!(
            "{}/main.aspx?appid=0a1b2c3d-0000-4000-8000-000000000001&pagetype=entityrecord&etn=opportunity&id={}",
            standin.base_url, big.id
        )
    );
    let euro = deals.iter().find(|d| d.id == euro_id).unwrap();
    assert_eq!(
        euro.value.as_ref().map(|v| v.currency.as_str()),
        Some("EUR")
    );
    assert_eq!(euro.owner.as_deref(), Some("Sales Team West"));
    assert_eq!(euro.stage.as_deref(), Some("Qualify"));
    assert_eq!(euro.forecast_category, Some(ForecastCategory::Committed));
    assert_eq!(deals[5].value, None);
}

#[tokio::test]
async fn open_deals_stop_reading_pages_at_top() {
    let (standin, dataverse) = connected_with(|config| config.page_size = 2).await;
    let contoso = standin.add_account("Contoso Ltd");
    for value in 1..=5 {
        standin.add_opportunity(Opportunity::new(contoso, "Deal", Some(f64::from(value))));
    }
    let deals = dataverse
        .open_deals(&account(contoso, "Contoso Ltd"), 3)
        .await
        .unwrap();
    let values: Vec<_> = deals
        .iter()
        .map(|d| d.value.as_ref().unwrap().amount)
        .collect();
    assert_eq!(values, [5.0, 4.0, 3.0]);
    assert_eq!(standin.count("/api/data/v9.2/opportunities"), 2);
}

// ---------------------------------------------------------------------------------------------
// Retries, throttling, timeouts, broken answers

#[tokio::test]
async fn a_429_waits_retry_after_then_succeeds() {
    let (standin, dataverse) = connected().await;
    let contoso = standin.add_account("Contoso Ltd");
    standin.inject(
        Fault::TooManyRequests {
            retry_after_secs: 1,
        },
        1,
    );
    let started = Instant::now();
    let found = dataverse.customer_by_id(contoso, None).await.unwrap();
    assert!(found.is_some());
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited Retry-After"
    );
    assert_eq!(standin.count("/api/data/v9.2/accounts"), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_is_handed_back_at_once() {
    let (standin, dataverse) = connected().await;
    standin.inject(
        Fault::TooManyRequests {
            retry_after_secs: 30,
        },
        1,
    );
    let started = Instant::now();
    let error = dataverse.stats().await.unwrap_err();
    assert!(
        matches!(error, SourceError::Throttled { retry_after } if retry_after == Duration::from_secs(30)),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(standin.count(WHO_AM_I), 1);
}

#[tokio::test]
async fn throttling_that_outlasts_the_retries_is_throttled() {
    let (standin, dataverse) = connected().await;
    standin.inject(
        Fault::TooManyRequests {
            retry_after_secs: 0,
        },
        4,
    );
    let error = dataverse.stats().await.unwrap_err();
    assert!(matches!(error, SourceError::Throttled { .. }), "{error:?}");
    assert_eq!(standin.count(WHO_AM_I), 4, "1 try + 3 retries");
}

#[tokio::test]
async fn a_503_is_retried_then_succeeds() {
    let (standin, dataverse) = connected().await;
    standin.inject(Fault::Unavailable, 2);
    dataverse.stats().await.unwrap();
    assert_eq!(standin.count(WHO_AM_I), 3);
}

#[tokio::test]
async fn a_503_that_persists_is_an_upstream_failure_with_the_status() {
    let (standin, dataverse) = connected().await;
    standin.inject(Fault::Unavailable, 4);
    let error = dataverse.stats().await.unwrap_err();
    let SourceError::Upstream(message) = &error else {
        panic!("expected Upstream, got {error:?}");
    };
    assert!(message.contains("503"), "{message}");
    assert!(message.contains("4 attempts"), "{message}");
    assert_eq!(standin.count(WHO_AM_I), 4);
}

#[tokio::test]
async fn a_slow_answer_beyond_the_deadline_is_a_timeout() {
    let (standin, dataverse) =
        connected_with(|config| config.request_timeout = Duration::from_millis(500)).await;
    standin.inject(Fault::Delay(Duration::from_secs(3)), 1);
    let started = Instant::now();
    let error = dataverse.stats().await.unwrap_err();
    assert!(matches!(error, SourceError::Timeout), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_malformed_body_is_an_upstream_failure_that_says_so() {
    let (standin, dataverse) = connected().await;
    let contoso = standin.add_account("Contoso Ltd");
    standin.inject(Fault::MalformedBody, 1);
    let error = dataverse.customer_by_id(contoso, None).await.unwrap_err();
    let SourceError::Upstream(message) = &error else {
        panic!("expected Upstream, got {error:?}");
    };
    assert!(message.contains("not valid JSON"), "{message}");
    assert!(message.contains("GET accounts"), "{message}");
}

#[tokio::test]
async fn an_unreachable_environment_is_an_upstream_failure() {
    let standin = DataverseStandin::start().await;
    let mut config = standin.config();
    config.max_retries = 1;
    // A port nobody listens on: bind one, then free it.
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    config.authority = format!("http://{}", free.local_addr().unwrap());
    drop(free);
    let error = source(config).stats().await.unwrap_err();
    assert!(
        matches!(&error, SourceError::Upstream(m) if m.contains("could not be reached")),
        "{error:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Summaries

#[tokio::test]
async fn summaries_come_from_the_action_and_one_failure_stays_with_its_deal() {
    let (standin, dataverse) = connected().await;
    let contoso = standin.add_account("Contoso Ltd");
    let plain = standin.add_opportunity(Opportunity::new(contoso, "Plain", Some(3.0)));
    let broken = standin.add_opportunity(Opportunity::new(contoso, "Broken", Some(2.0)));
    let json = standin.add_opportunity(Opportunity::new(contoso, "Json", Some(1.0)));
    standin.set_summary(
        plain,
        SummaryAnswer::Text("Alex proposed four machines.".into()),
    );
    standin.set_summary(
        broken,
        SummaryAnswer::Fail {
            status: 500,
            code: "0x80040265".into(),
            message: "The summary could not be generated.".into(),
        },
    );
    standin.set_summary(
        json,
        SummaryAnswer::Text(r#"{"summary":"Renewal at risk.","insights":[]}"#.into()),
    );

    let answers =
        futures::future::join_all([plain, broken, json].map(|id| dataverse.deal_summary(id))).await;
    assert_eq!(
        answers[0].as_deref().unwrap(),
        "Alex proposed four machines."
    );
    assert!(
        matches!(&answers[1], Err(SourceError::Upstream(m)) if m.contains("could not be generated")),
        "{:?}",
        answers[1]
    );
    assert_eq!(answers[2].as_deref().unwrap(), "Renewal at risk.");

    let call = standin
        .requests()
        .into_iter()
        .find(|r| r.path == "/api/data/v9.2/msdyn_SalesOpportunitySummary")
        .unwrap();
    assert_eq!(call.method, "POST");
    let body: serde_json::Value = serde_json::from_str(&call.body).unwrap();
    let id = body["msdyn_id"].as_str().unwrap();
    assert_eq!(body["msdyn_activityId"].as_str(), Some(id));
    assert!(call.content_type.unwrap().starts_with("application/json"));
}

#[tokio::test]
async fn a_missing_summary_action_says_what_to_turn_on() {
    let (standin, dataverse) = connected().await;
    let contoso = standin.add_account("Contoso Ltd");
    let deal = standin.add_opportunity(Opportunity::new(contoso, "Deal", Some(1.0)));
    standin.set_summary(
        deal,
        SummaryAnswer::Fail {
            status: 404,
            code: "0x80060888".into(),
            message: "Resource not found for the segment 'msdyn_SalesOpportunitySummary'.".into(),
        },
    );
    let error = dataverse.deal_summary(deal).await.unwrap_err();
    assert!(
        matches!(&error, SourceError::Upstream(m) if m.contains("not available in this Sales environment")),
        "{error:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Configuration

#[test]
fn bad_configurations_are_refused_with_the_setting_named() {
    let good = || {
        DataverseConfig::new(
            "https://contoso.crm.dynamics.com/",
            "t",
            "c",
            Secret::new("s"),
        )
    };
    assert!(DataverseSource::new(good()).is_ok());
    let mut bad = good();
    bad.org_url = "contoso".into();
    let message = DataverseSource::new(bad).err().unwrap().to_string();
    assert!(message.contains("org URL"), "{message}");
    let mut bad = good();
    bad.client_secret = Secret::new("");
    let message = DataverseSource::new(bad).err().unwrap().to_string();
    assert!(message.contains("client secret"), "{message}");
}
