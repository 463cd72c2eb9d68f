//! Deals first, summaries as they come (issue 10), over HTTP through the real router: the JSON
//! answer does not wait for a slow summarizer, `/api/summaries` brings each summary as it
//! completes, summaries are generated once per deal version however many panes ask, and the
//! `text/plain` answer still waits for its one summary.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use dealpane_contract::{
    summary_query_item, Deal, DealSummaryResponse, Guid, Health, Problem, SummariesResponse,
    Summary, SummaryState, MAX_SUMMARY_DEALS,
};
use dealpane_server::source::dataverse::DataverseSource;
use dealpane_server::Settings;
use support::dataverse::{DataverseStandin, Fault, Opportunity, SummaryAnswer};
use support::{header, settings, summary_text, Dirs, FakeSource, Server, CONTOSO};

const SUMMARY_ACTION: &str = "msdyn_SalesOpportunitySummary";

fn contoso() -> String {
    format!("/api/DealSummary?customerId={CONTOSO}")
}

async fn start_over(
    source: Arc<dyn dealpane_server::source::SalesSource>,
    adjust: impl FnOnce(&mut Settings),
) -> (Server, Dirs) {
    let dirs = Dirs::new();
    let mut settings = settings(&dirs);
    adjust(&mut settings);
    (Server::start(&settings, source).await, dirs)
}

/// A fake whose summaries take `delay`.
fn slow_fake(delay: Duration) -> Arc<FakeSource> {
    let source = FakeSource::new();
    *source.summary_delay.lock().unwrap() = delay;
    source
}

/// A server over the Dataverse stand-in, whose one account has some open deals.
struct Scene {
    server: Server,
    standin: DataverseStandin,
    /// The account's DealSummary path.
    path: String,
    /// Its deals, top first.
    deals: Vec<Guid>,
    _dirs: Dirs,
}

async fn over_standin(deals: usize, adjust: impl FnOnce(&mut Settings)) -> Scene {
    let standin = DataverseStandin::start().await;
    let account = standin.add_account("Wide World Importers");
    let deals = (0..deals)
        .map(|n| {
            standin.add_opportunity(Opportunity::new(
                account,
                &format!("Deal {n}"),
                Some(1000.0 * (deals - n) as f64),
            ))
        })
        .collect();
    let source = DataverseSource::new(standin.config()).expect("a valid configuration");
    let (server, dirs) = start_over(Arc::new(source), adjust).await;
    Scene {
        server,
        standin,
        path: format!("/api/DealSummary?customerId={account}&top=50"),
        deals,
        _dirs: dirs,
    }
}

fn states(summaries: &[Summary]) -> Vec<SummaryState> {
    summaries.iter().map(|s| s.state).collect()
}

fn summaries_path(deals: &[Deal], wait: u8) -> String {
    let items: Vec<String> = deals
        .iter()
        .map(|deal| summary_query_item(&deal.id, deal.modified_on.as_deref()))
        .collect();
    let encoded: String = form_urlencoded::byte_serialize(items.join(",").as_bytes()).collect();
    format!("/api/summaries?deals={encoded}&wait={wait}")
}

/// Long-polls as the widget does, asking only for the deals still pending, until none is; each
/// answer must bring news.
async fn settle(server: &Server, deals: &[Deal]) -> Vec<Summary> {
    let mut summaries: Vec<Summary> = deals.iter().map(|_| Summary::pending()).collect();
    for _ in 0..=deals.len() {
        let asked: Vec<usize> = (0..deals.len())
            .filter(|&i| summaries[i].state == SummaryState::Pending)
            .collect();
        if asked.is_empty() {
            return summaries;
        }
        let asked_deals: Vec<Deal> = asked.iter().map(|&i| deals[i].clone()).collect();
        let response = server.get(&summaries_path(&asked_deals, 10)).await;
        assert_eq!(response.status(), 200);
        assert_eq!(header(&response, "cache-control"), "no-store");
        let answer: SummariesResponse = response.json().await.unwrap();
        let ids: Vec<_> = answer.summaries.iter().map(|s| s.deal_id).collect();
        assert_eq!(
            ids,
            asked_deals.iter().map(|d| d.id).collect::<Vec<_>>(),
            "in order"
        );
        let before = asked.len();
        for (&i, update) in asked.iter().zip(answer.summaries) {
            summaries[i] = update.summary;
        }
        let now = summaries
            .iter()
            .filter(|s| s.state == SummaryState::Pending)
            .count();
        assert!(now < before, "a long-poll answers with news");
    }
    panic!("summaries still pending")
}

async fn health(server: &Server) -> Health {
    server.get("/api/health").await.json().await.unwrap()
}

#[tokio::test]
async fn deals_come_first_and_the_long_poll_brings_each_summary() {
    let source = slow_fake(Duration::from_millis(700));
    let (server, _dirs) = start_over(source.clone(), |s| s.cache_ttl = Duration::ZERO).await;

    let started = Instant::now();
    let first = server.get_json(&contoso()).await;
    assert!(
        started.elapsed() < Duration::from_millis(600),
        "not waiting for summaries"
    );
    assert_eq!(first.status(), 200);
    assert_eq!(
        header(&first, "cache-control"),
        "private, no-cache",
        "a pending answer is revalidated, never reused as is"
    );
    let first: DealSummaryResponse = first.json().await.unwrap();
    assert_eq!(first.deals.len(), 3);
    assert!(first.deals.iter().all(|d| d.summary == Summary::pending()));

    // The first long-poll answers once the first summaries land, not at its wait.
    let started = Instant::now();
    let answer: SummariesResponse = server.json(&summaries_path(&first.deals, 10)).await;
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(answer
        .summaries
        .iter()
        .any(|s| s.summary.state == SummaryState::Ready));
    let settled = settle(&server, &first.deals).await;
    for (deal, summary) in first.deals.iter().zip(&settled) {
        assert_eq!(summary.state, SummaryState::Ready);
        assert_eq!(
            summary.text.as_deref(),
            Some(summary_text(deal.id).as_str())
        );
    }
    assert_eq!(source.summary_calls(), 3);

    // A reload within the summary TTL: everything at once, no summary call, and the
    // summaries keep the time they were generated.
    let started = Instant::now();
    let reload = server.get_json(&contoso()).await;
    assert!(started.elapsed() < Duration::from_millis(600));
    assert_eq!(header(&reload, "cache-control"), "private, max-age=60");
    let reload: DealSummaryResponse = reload.json().await.unwrap();
    let summaries: Vec<Summary> = reload.deals.into_iter().map(|d| d.summary).collect();
    assert_eq!(summaries, settled);
    assert_eq!(source.summary_calls(), 3);
    assert_eq!(source.open_deals_calls(), 2, "the answer cache was off");
}

#[tokio::test]
async fn a_cached_answer_never_freezes_a_pending_summary_and_304s_while_nothing_changed() {
    let source = slow_fake(Duration::from_millis(1000));
    let (server, _dirs) = start_over(source.clone(), |_| {}).await;
    let first = server.get_json(&contoso()).await;
    let etag = header(&first, "etag").to_owned();
    let first: DealSummaryResponse = first.json().await.unwrap();
    let revalidated = server
        .get_with(
            &contoso(),
            &[("accept", "application/json"), ("if-none-match", &etag)],
        )
        .await;
    assert_eq!(revalidated.status(), 304, "still pending: nothing changed");

    settle(&server, &first.deals).await;
    let later = server
        .get_with(
            &contoso(),
            &[("accept", "application/json"), ("if-none-match", &etag)],
        )
        .await;
    assert_eq!(later.status(), 200, "the summaries arrived: a new body");
    assert_ne!(header(&later, "etag"), etag);
    let later: DealSummaryResponse = later.json().await.unwrap();
    assert!(later
        .deals
        .iter()
        .all(|d| d.summary.state == SummaryState::Ready));
    assert_eq!(
        later.generated_at, first.generated_at,
        "the same cached deals"
    );
    assert_eq!(source.open_deals_calls(), 1);
}

#[tokio::test]
async fn text_plain_waits_for_its_one_summary() {
    let source = slow_fake(Duration::from_millis(500));
    let (server, _dirs) = start_over(source.clone(), |_| {}).await;
    let response = server.get(&contoso()).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type"),
        "text/plain; charset=utf-8"
    );
    let top = support::deal(1, "", 0.0).id;
    assert_eq!(response.text().await.unwrap(), summary_text(top));
    assert_eq!(source.summary_calls(), 1, "the top deal's only");
}

#[tokio::test]
async fn eight_panes_at_once_make_one_summary_call_per_deal() {
    let Scene {
        server,
        standin,
        path,
        ..
    } = over_standin(8, |s| {
        // No answer cache: only the summaries' coalescing keeps the calls down.
        s.cache_ttl = Duration::ZERO;
    })
    .await;
    standin.set_summary_latency(Duration::from_millis(300));
    let server = Arc::new(server);
    let panes = (0..8).map(|_| {
        let (server, path) = (server.clone(), path.clone());
        tokio::spawn(async move { server.json::<DealSummaryResponse>(&path).await })
    });
    let answers: Vec<DealSummaryResponse> = futures::future::join_all(panes)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert!(answers.iter().all(|a| a.deals.len() == 8));
    let settled = settle(&server, &answers[0].deals).await;
    assert!(settled.iter().all(|s| s.state == SummaryState::Ready));
    assert_eq!(
        standin.summary_calls(),
        8,
        "8 panes × 8 deals, one call each"
    );

    let upstream = health(&server).await.upstream.expect("upstream counters");
    assert_eq!(upstream.summary_calls, 8);
    assert!(
        upstream.calls >= 8 + 8,
        "lookups and summaries: {upstream:?}"
    );
    assert!(
        upstream.summary_seconds >= 8.0 * 0.25,
        "their execution time: {upstream:?}"
    );

    // A reload: every summary at once, no summary call.
    let reload: DealSummaryResponse = server.json(&path).await;
    assert!(reload
        .deals
        .iter()
        .all(|d| d.summary.state == SummaryState::Ready));
    assert_eq!(standin.summary_calls(), 8);
}

#[tokio::test]
async fn a_changed_deal_gets_a_new_summary() {
    let Scene {
        server,
        standin,
        path,
        ..
    } = over_standin(2, |s| s.cache_ttl = Duration::ZERO).await;
    let first: DealSummaryResponse = server.json(&path).await;
    settle(&server, &first.deals).await;
    assert_eq!(standin.summary_calls(), 2);

    standin.touch_opportunity(first.deals[1].id, "2026-11-28T09:30:00Z");
    let second: DealSummaryResponse = server.json(&path).await;
    assert_eq!(
        second.deals[1].modified_on.as_deref(),
        Some("2026-11-28T09:30:00Z")
    );
    let settled = settle(&server, &second.deals).await;
    assert!(settled.iter().all(|s| s.state == SummaryState::Ready));
    assert_eq!(standin.summary_calls(), 3, "only the changed deal again");
}

#[tokio::test]
async fn a_failing_summary_marks_only_its_deal_and_is_retried_only_when_refused() {
    let scene = over_standin(4, |_| {}).await;
    let (server, standin, ids) = (&scene.server, &scene.standin, &scene.deals);
    // 500 and 501: the action may have run, or does not exist: no retry. 503: refused, retried.
    for (id, status) in [(ids[1], 500), (ids[2], 501)] {
        standin.set_summary(
            id,
            SummaryAnswer::Fail {
                status,
                code: "0x80040216".into(),
                message: "An unexpected error occurred.".into(),
            },
        );
    }
    standin.inject_for(SUMMARY_ACTION, Fault::Unavailable, 1);
    let answer: DealSummaryResponse = server.json(&scene.path).await;
    let settled = settle(server, &answer.deals).await;
    assert_eq!(
        states(&settled),
        [
            SummaryState::Ready,
            SummaryState::Unavailable,
            SummaryState::Unavailable,
            SummaryState::Ready
        ]
    );
    assert_eq!(settled[1].reason.as_deref(), Some("failed"));
    assert_eq!(settled[2].reason.as_deref(), Some("failed"));
    let calls_for = |id: Guid| {
        standin
            .requests()
            .iter()
            .filter(|r| r.path.ends_with(SUMMARY_ACTION) && r.body.contains(&id.to_string()))
            .count()
    };
    assert_eq!(calls_for(ids[1]), 1, "a 500 is not retried");
    assert_eq!(calls_for(ids[2]), 1, "a 501 is not retried");
    assert_eq!(
        calls_for(ids[0]) + calls_for(ids[3]),
        3,
        "the 503 was retried"
    );
}

#[tokio::test]
async fn a_throttled_summary_waits_for_retry_after_then_gives_up() {
    let Scene {
        server,
        standin,
        path,
        ..
    } = over_standin(1, |s| {
        s.summary_timeout = Duration::from_secs(5);
    })
    .await;
    // Longer than the connector waits by itself (2 s here): the broker waits it out in the
    // background, tries again, and is throttled again with no time left for another wait.
    standin.inject_for(
        SUMMARY_ACTION,
        Fault::TooManyRequests {
            retry_after_secs: 3,
        },
        2,
    );
    let started = Instant::now();
    let answer: DealSummaryResponse = server.json(&path).await;
    assert_eq!(answer.deals[0].summary.state, SummaryState::Pending);
    let settled = settle(&server, &answer.deals).await;
    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "Retry-After waited"
    );
    assert_eq!(settled[0].state, SummaryState::Unavailable);
    assert_eq!(settled[0].reason.as_deref(), Some("throttled"));
    assert_eq!(standin.summary_calls(), 2);

    // Refresh (the widget's Cache-Control: no-cache) asks again; a short Retry-After is
    // waited out and the summary arrives.
    standin.inject_for(
        SUMMARY_ACTION,
        Fault::TooManyRequests {
            retry_after_secs: 1,
        },
        1,
    );
    let refreshed: DealSummaryResponse = server
        .get_with(
            &path,
            &[
                ("accept", "application/json"),
                ("cache-control", "no-cache"),
            ],
        )
        .await
        .json()
        .await
        .unwrap();
    let settled = settle(&server, &refreshed.deals).await;
    assert_eq!(settled[0].state, SummaryState::Ready);
    assert_eq!(standin.summary_calls(), 4);
}

#[tokio::test]
async fn lookups_wait_out_throttling_that_fits_the_budget() {
    let Scene {
        server,
        standin,
        path,
        ..
    } = over_standin(1, |_| {}).await;
    // 3 s: more than the connector waits by itself (2 s here), less than the 5 s budget.
    standin.inject_for(
        "accounts",
        Fault::TooManyRequests {
            retry_after_secs: 3,
        },
        1,
    );
    let started = Instant::now();
    let response = server.get_json(&path).await;
    assert_eq!(response.status(), 200);
    assert!(started.elapsed() >= Duration::from_secs(3));
}

#[tokio::test]
async fn the_long_poll_never_starts_a_summary() {
    let source = slow_fake(Duration::ZERO);
    let (server, _dirs) = start_over(source.clone(), |_| {}).await;
    let deals = vec![support::deal(1, "", 0.0), support::deal(2, "", 0.0)];
    let started = Instant::now();
    let answer: SummariesResponse = server.json(&summaries_path(&deals, 5)).await;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "nothing to wait for"
    );
    for update in &answer.summaries {
        assert_eq!(update.summary.state, SummaryState::Unavailable);
        assert_eq!(update.summary.reason.as_deref(), Some("unknown"));
    }
    assert_eq!(source.summary_calls(), 0);
}

#[tokio::test]
async fn the_long_polls_bounds_are_400s() {
    let (server, _dirs) = start_over(FakeSource::new(), |_| {}).await;
    let id = support::deal(1, "", 0.0).id;
    let many: Vec<String> = (0..=MAX_SUMMARY_DEALS).map(|_| id.to_string()).collect();
    for (query, says) in [
        String::new(),
        format!("deals={id}&wait=26"),
        format!("deals={id}&wait=-1"),
        format!("deals={id}&wait=soon"),
        "deals=not-a-guid@2026-11-18T10:00:00Z".to_owned(),
        format!("deals={id}@"),
        format!("deals={id}@{}", "9".repeat(41)),
        format!("deals={id},"),
        format!("deals={id}&deals={id}"),
        format!("deals={}", many.join(",")),
    ]
    .into_iter()
    .zip([
        "'deals'",
        "'wait'",
        "'wait'",
        "'wait'",
        "GUID",
        "modifiedOn",
        "modifiedOn",
        "GUID",
        "'deals'",
        "at most 50",
    ]) {
        let response = server.get(&format!("/api/summaries?{query}")).await;
        assert_eq!(response.status(), 400, "{query}");
        assert_eq!(
            header(&response, "content-type"),
            "application/problem+json"
        );
        let problem: Problem = response.json().await.unwrap();
        let detail = problem.detail.unwrap();
        assert!(detail.contains(says), "{query}: {detail}");
    }
    let fifty: Vec<String> = (0..MAX_SUMMARY_DEALS).map(|_| id.to_string()).collect();
    let response = server
        .get(&format!("/api/summaries?deals={}&wait=0", fifty.join(",")))
        .await;
    assert_eq!(response.status(), 200);
    let answer: SummariesResponse = response.json().await.unwrap();
    assert_eq!(answer.summaries.len(), MAX_SUMMARY_DEALS);
}

#[tokio::test]
async fn the_long_poll_needs_the_same_key_as_deal_summary() {
    let (server, _dirs) = start_over(FakeSource::new(), |s| {
        s.function_keys = vec!["k1-secret".to_owned()];
    })
    .await;
    let id = support::deal(1, "", 0.0).id;
    let path = format!("/api/summaries?deals={id}");
    assert_eq!(server.get(&path).await.status(), 401);
    assert_eq!(
        server.get(&format!("{path}&code=k1-secret")).await.status(),
        200
    );
}

#[tokio::test]
async fn summaries_turned_off_stay_disabled_everywhere() {
    let source = FakeSource::new();
    let (server, _dirs) = start_over(source.clone(), |s| s.summaries = false).await;
    let answer: DealSummaryResponse = server.json(&contoso()).await;
    let answer_path = summaries_path(&answer.deals, 1);
    let polled: SummariesResponse = server.json(&answer_path).await;
    assert!(polled
        .summaries
        .iter()
        .all(|s| s.summary == Summary::disabled()));
    assert_eq!(source.summary_calls(), 0);
}
