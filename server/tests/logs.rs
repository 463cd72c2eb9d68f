//! Logs carry the traceId and never a function key, whichever way it was sent, and say once
//! what went wrong. Its own test binary, since it installs the global subscriber.

mod support;

use dealpane_server::Settings;
use support::logs::captured_logs;
use support::{settings, Dirs, Failure, FakeSource, Server, CONTOSO};

const KEY: &str = "Sup3r-Secret-Key";
const WRONG: &str = "Wrong-Guess-Key";

#[tokio::test]
async fn logs_never_contain_a_function_key() {
    let captured = captured_logs();

    let dirs = Dirs::new();
    let server = Server::start(
        &Settings {
            function_keys: vec![KEY.into()],
            ..settings(&dirs)
        },
        FakeSource::new(),
    )
    .await;
    let path = format!("/api/DealSummary?customerId={CONTOSO}");
    let traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    for (query_key, header_key, status) in [
        (Some(KEY), None, 200),
        (Some(WRONG), None, 401),
        (None, Some(KEY), 200),
        (None, Some(WRONG), 401),
        (Some(KEY), Some(WRONG), 200),
    ] {
        let url = match query_key {
            Some(key) => server.url(&format!("{path}&top=2&code={key}")),
            None => server.url(&path),
        };
        let mut request = server.client.get(url).header("traceparent", traceparent);
        if let Some(key) = header_key {
            request = request.header("x-functions-key", key);
        }
        assert_eq!(request.send().await.unwrap().status(), status);
    }
    // A key in an unknown route's query is masked too.
    server.get(&format!("/api/Nope?code={KEY}")).await;

    let logs = captured.text();
    assert!(!logs.contains(KEY), "the key leaked into the logs:\n{logs}");
    assert!(
        !logs.contains(WRONG),
        "a wrong key leaked into the logs:\n{logs}"
    );
    assert!(logs.contains("code=***"), "{logs}");
    assert!(
        logs.contains("0af7651916cd43dd8448eb211c80319c"),
        "traceId logged"
    );
    let answered = logs.lines().filter(|l| l.contains("\"answered\"")).count();
    assert!(answered >= 6, "one line per request: {answered}\n{logs}");
}

/// Requests `path` with `trace_id`, checks the status, and answers the request's one
/// "answered" line after asserting that `unlogged` (text the log must not hold) is absent.
async fn answered_line(
    server: &Server,
    path: &str,
    trace_id: &str,
    status: u16,
    unlogged: &str,
) -> String {
    let traceparent = format!("00-{trace_id}-b7ad6b7169203331-01");
    let response = server
        .get_with(path, &[("traceparent", &traceparent)])
        .await;
    assert_eq!(response.status(), status);
    let text = captured_logs().text();
    let lines: Vec<&str> = text.lines().filter(|l| l.contains(trace_id)).collect();
    assert!(lines.iter().all(|l| !l.contains(unlogged)), "{lines:#?}");
    let answered: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.contains("\"answered\""))
        .collect();
    assert_eq!(answered.len(), 1, "{lines:#?}");
    answered[0].to_owned()
}

#[tokio::test]
async fn an_error_is_logged_once_by_the_request_log() {
    captured_logs();
    let dirs = Dirs::new();
    let source = FakeSource::new();
    let server = Server::start(&settings(&dirs), source.clone()).await;
    let path = format!("/api/DealSummary?customerId={CONTOSO}");

    // Upstream's own words reach the log once, on the request's one line, as a warning.
    source.fail_with(Some(Failure::Upstream));
    let upstream = "1e1e1e1e1e1e4e1e8e1e1e1e1e1e1e01";
    let line = answered_line(&server, &path, upstream, 502, "the Sales source failed").await;
    let text = captured_logs().text();
    let mentions = text
        .lines()
        .filter(|l| l.contains(upstream) && l.contains("HTTP 500 from the fake"))
        .count();
    assert_eq!(mentions, 1, "{text}");
    assert!(line.contains("HTTP 500 from the fake"), "{line}");
    assert!(
        line.contains("\"WARN\"") && line.contains("\"status\":502"),
        "{line}"
    );

    // A client error logs its title only: the detail repeats what the caller sent.
    source.fail_with(None);
    let client = "2e2e2e2e2e2e4e2e8e2e2e2e2e2e2e02";
    let bad = "/api/DealSummary?customerId=Ann";
    let line = answered_line(&server, bad, client, 400, "is not a GUID").await;
    assert!(
        line.contains("Bad request") && line.contains("\"INFO\""),
        "{line}"
    );
}
