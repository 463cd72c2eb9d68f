//! Logs carry the traceId and never a function key, whichever way it was sent. Its own test
//! binary, since it installs the global subscriber.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use dealpane_server::Settings;
use support::{settings, Dirs, FakeSource, Server, CONTOSO};

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

const KEY: &str = "Sup3r-Secret-Key";
const WRONG: &str = "Wrong-Guess-Key";

#[tokio::test]
async fn logs_never_contain_a_function_key() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .json()
        .with_current_span(true)
        .with_span_list(true)
        .with_env_filter("trace")
        .with_writer(move || writer.clone())
        .init();

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

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
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
