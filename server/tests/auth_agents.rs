//! `--sales-identity agent` (issue 11): Dataverse calls carry the agent's `CallerObjectId`, each
//! agent sees the deals Sales lets them see, caches never hand one agent's answer to another,
//! and an agent Sales does not know gets a 403, not a 502.

mod support;

use dealpane_contract::DealSummaryResponse;
use dealpane_server::auth::SalesIdentity;
use dealpane_server::dev_issuer::TestUser;
use serde_json::Value;
use support::dataverse::{DataverseStandin, Opportunity};
use support::issuer::{bearer, Issuer, ALEX, DANA, RILEY};
use support::{Dirs, Server};

struct Setup {
    issuer: Issuer,
    standin: DataverseStandin,
    server: Server,
    _dirs: Dirs,
}

/// Contoso has one deal owned by Alex and one by Dana; the answer cache is on (30 s).
async fn setup(identity: SalesIdentity) -> Setup {
    setup_with(identity, false).await
}

async fn setup_with(identity: SalesIdentity, summaries: bool) -> Setup {
    let issuer = Issuer::start().await;
    let standin = DataverseStandin::start().await;
    let contoso = standin.add_account("Contoso");
    for (owner, name, value) in [
        (ALEX, "Alex's espresso deal", 5000.0),
        (DANA, "Dana's grinder deal", 9000.0),
    ] {
        let mut deal = Opportunity::new(contoso, name, Some(value));
        deal.owner = Some(owner.name.to_owned());
        standin.add_opportunity(deal);
    }
    let (server, dirs) = issuer.server_over(&standin, identity, summaries).await;
    Setup {
        issuer,
        standin,
        server,
        _dirs: dirs,
    }
}

impl Setup {
    async fn deals_as(&self, user: &TestUser) -> reqwest::Response {
        let (name, value) = bearer(&self.issuer.token(user));
        self.server
            .get_with(
                "/api/DealSummary?customerName=Contoso",
                &[(name, &value), ("accept", "application/json")],
            )
            .await
    }

    async fn deal_names_as(&self, user: &TestUser) -> Vec<String> {
        let response = self.deals_as(user).await;
        assert_eq!(response.status(), 200, "{}", user.name);
        let answer: DealSummaryResponse = response.json().await.unwrap();
        answer.deals.into_iter().map(|deal| deal.name).collect()
    }
}

#[tokio::test]
async fn each_agent_sees_only_their_deals_and_never_anothers_cached_answer() {
    let setup = setup(SalesIdentity::Agent).await;
    assert_eq!(setup.deal_names_as(&ALEX).await, ["Alex's espresso deal"]);
    let alex_calls = setup.standin.requests();
    assert!(!alex_calls.is_empty());
    let api_calls = alex_calls
        .iter()
        .filter(|r| r.path.starts_with("/api/data/"));
    for call in api_calls {
        assert_eq!(
            call.caller_object_id.as_deref(),
            Some(ALEX.oid),
            "{}",
            call.path
        );
    }
    // Same question within the answer cache's life: Dana's answer is her own, fetched as her.
    setup.standin.clear_requests();
    assert_eq!(setup.deal_names_as(&DANA).await, ["Dana's grinder deal"]);
    let dana_calls = setup.standin.requests();
    assert!(dana_calls
        .iter()
        .any(|r| r.path == "/api/data/v9.2/opportunities"));
    assert!(dana_calls
        .iter()
        .filter(|r| r.path.starts_with("/api/data/"))
        .all(|r| r.caller_object_id.as_deref() == Some(DANA.oid)));
    // And Alex's second ask comes from the cache, still his.
    setup.standin.clear_requests();
    assert_eq!(setup.deal_names_as(&ALEX).await, ["Alex's espresso deal"]);
    assert_eq!(setup.standin.count("/api/data/v9.2/opportunities"), 0);
}

#[tokio::test]
async fn an_agent_sales_does_not_know_or_has_disabled_gets_403_no_access() {
    let setup = setup(SalesIdentity::Agent).await;
    let unknown = setup.deals_as(&RILEY).await;
    assert_eq!(unknown.status(), 403);
    assert_eq!(header_of(&unknown), "application/problem+json");
    let problem: Value = unknown.json().await.unwrap();
    assert_eq!(problem["title"], "No access to Sales deals");

    setup.standin.disable_user(DANA.oid);
    let disabled = setup.deals_as(&DANA).await;
    assert_eq!(disabled.status(), 403);
    // Alex is unaffected.
    assert_eq!(setup.deal_names_as(&ALEX).await, ["Alex's espresso deal"]);
}

#[tokio::test]
async fn app_identity_reads_as_the_application_user_for_everyone() {
    let setup = setup(SalesIdentity::App).await;
    let mut names = setup.deal_names_as(&RILEY).await;
    names.sort();
    assert_eq!(names, ["Alex's espresso deal", "Dana's grinder deal"]);
    assert!(setup
        .standin
        .requests()
        .iter()
        .all(|r| r.caller_object_id.is_none()));
}

#[tokio::test]
async fn summaries_are_generated_as_the_agent_who_asked() {
    let setup = setup_with(SalesIdentity::Agent, true).await;
    assert_eq!(setup.deal_names_as(&DANA).await, ["Dana's grinder deal"]);
    // Generated in the background, after the answer.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    while setup.standin.summary_calls() == 0 {
        assert!(tokio::time::Instant::now() < deadline, "no summary call");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let summary_calls: Vec<_> = setup
        .standin
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("msdyn_SalesOpportunitySummary"))
        .collect();
    assert!(summary_calls
        .iter()
        .all(|r| r.caller_object_id.as_deref() == Some(DANA.oid)));
}

fn header_of(response: &reqwest::Response) -> &str {
    response.headers()["content-type"].to_str().unwrap()
}
