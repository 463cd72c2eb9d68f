//! DealSummary over HTTP against the Dataverse stand-in: hostile names reach Dataverse as
//! correctly escaped OData literals, and throttling surfaces as 429 with Retry-After.

mod support;

use std::sync::Arc;

use dealpane_contract::{DealSummaryResponse, MatchedBy};
use dealpane_server::source::dataverse::DataverseSource;
use support::dataverse::{DataverseStandin, Fault, Opportunity, SummaryAnswer};
use support::{settings, Dirs, Server};

async fn start() -> (Server, DataverseStandin, Dirs) {
    let standin = DataverseStandin::start().await;
    let source = DataverseSource::new(standin.config()).expect("a valid configuration");
    let dirs = Dirs::new();
    let server = Server::start(&settings(&dirs), Arc::new(source)).await;
    (server, standin, dirs)
}

/// The OData literal written out by hand: quotes, with each `'` doubled.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn hostile_names_arrive_as_escaped_literals_and_match_nothing() {
    let (server, standin, _dirs) = start().await;
    let victim = standin.add_account("Contoso");
    standin.add_opportunity(Opportunity::new(victim, "Secret deal", Some(1.0)));
    for name in [
        "' or 1 eq 1",
        "''",
        "x') or (name ne '",
        "%27",
        "' or name eq 'Contoso",
    ] {
        standin.clear_requests();
        let response = server
            .get_json(&format!("/api/DealSummary?customerName={}", encode(name)))
            .await;
        assert_eq!(response.status(), 404, "{name}");
        let filters = standin.filters();
        assert!(
            filters.contains(&format!("name eq {}", literal(name))),
            "{name}: {filters:?}"
        );
        assert!(
            filters.contains(&format!("fullname eq {}", literal(name))),
            "{name}: {filters:?}"
        );
        assert_eq!(standin.count("/api/data/v9.2/opportunities"), 0, "{name}");
    }
    // `%27` in the URL is a quote in the name.
    standin.clear_requests();
    server
        .get_json("/api/DealSummary?customerName=%27%20or%201%20eq%201")
        .await;
    assert!(standin
        .filters()
        .contains(&"name eq ''' or 1 eq 1'".to_owned()));
}

#[tokio::test]
async fn names_with_quotes_and_any_script_are_found() {
    let (server, standin, _dirs) = start().await;
    for name in [
        "Aoife O'Brien",
        "Côte d'Azur Logistique",
        "株式会社コントソ",
        "Ελληνική Ναυτιλία",
    ] {
        let id = standin.add_account(name);
        let deal = standin.add_opportunity(Opportunity::new(id, "Deal", Some(10.0)));
        standin.set_summary(deal, SummaryAnswer::Text(format!("About {name}")));
        let response = server
            .get(&format!(
                "/api/DealSummary?customerName={}",
                encode(&format!(" {name} "))
            ))
            .await;
        assert_eq!(response.status(), 200, "{name}");
        assert_eq!(response.text().await.unwrap(), format!("About {name}"));
        let answer: DealSummaryResponse = server
            .get_json(&format!(
                "/api/DealSummary?customerId={id}&customerName={}",
                encode(name)
            ))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(answer.customer.id, id);
        assert_eq!(answer.customer.matched_by, MatchedBy::Id);
        assert_eq!(answer.source, "dataverse");
        assert!(answer.deals[0]
            .link
            .as_deref()
            .unwrap()
            .contains(&deal.to_string()));
    }
}

#[tokio::test]
async fn dataverse_throttling_is_a_429_with_retry_after() {
    let (server, standin, _dirs) = start().await;
    standin.add_account("Throttled Inc");
    // Longer than the connector waits out itself, so it gives up and says when to retry.
    standin.inject(
        Fault::TooManyRequests {
            retry_after_secs: 120,
        },
        10,
    );
    let response = server
        .get_json("/api/DealSummary?customerName=Throttled%20Inc")
        .await;
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "120");
}
