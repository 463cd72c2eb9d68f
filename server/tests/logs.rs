//! Logs carry the traceId and never a function key, whichever way it was sent, and say once
//! what went wrong. Its own test binary, since it installs the global subscriber.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use dealpane_server::Settings;
use support::{settings, Dirs, Failure, FakeSource, Server, CONTOSO};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

/// The global subscriber, installed once for this binary: JSON lines with the request span, so
/// each test finds its own lines by traceId.
fn captured_logs() -> &'static Captured {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    CAPTURED.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_span_list(true)
            .with_env_filter("trace")
            .with_writer(move || writer.clone())
            .init();
        captured
    })
}

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

#[tokio::test]
async fn an_error_is_logged_once_by_the_request_log() {
    let captured = captured_logs();
    let dirs = Dirs::new();
    let source = FakeSource::new();
    let server = Server::start(&settings(&dirs), source.clone()).await;
    let get = |path: String, trace_id: &'static str| {
        let request = server
            .client
            .get(server.url(&path))
            .header("traceparent", format!("00-{trace_id}-b7ad6b7169203331-01"));
        async move { request.send().await.unwrap().status().as_u16() }
    };
    let lines_of = |trace_id: &str| -> Vec<String> {
        let text = captured.text();
        text.lines()
            .filter(|line| line.contains(trace_id))
            .map(str::to_owned)
            .collect()
    };

    // Upstream's own words reach the log once, on the request's one line, as a warning.
    source.fail_with(Some(Failure::Upstream));
    let upstream = "1e1e1e1e1e1e4e1e8e1e1e1e1e1e1e01";
    assert_eq!(
        get(format!("/api/DealSummary?customerId={CONTOSO}"), upstream).await,
        502
    );
    let lines = lines_of(upstream);
    let mentions: Vec<_> = lines
        .iter()
        .filter(|line| line.contains("HTTP 500 from the fake"))
        .collect();
    assert_eq!(mentions.len(), 1, "{lines:#?}");
    assert!(mentions[0].contains("\"answered\""), "{}", mentions[0]);
    assert!(mentions[0].contains("\"WARN\""), "{}", mentions[0]);
    assert!(mentions[0].contains("\"status\":502"), "{}", mentions[0]);

    // A client error logs its title only: the detail repeats what the caller sent.
    source.fail_with(None);
    let client = "2e2e2e2e2e2e4e2e8e2e2e2e2e2e2e02";
    assert_eq!(
        get("/api/DealSummary?customerId=Ann".to_owned(), client).await,
        400
    );
    let lines = lines_of(client);
    let answered: Vec<_> = lines
        .iter()
        .filter(|l| l.contains("\"answered\""))
        .collect();
    assert_eq!(answered.len(), 1, "{lines:#?}");
    assert!(answered[0].contains("Bad request"), "{}", answered[0]);
    assert!(answered[0].contains("\"INFO\""), "{}", answered[0]);
    assert!(
        lines.iter().all(|line| !line.contains("is not a GUID")),
        "{lines:#?}"
    );
}
