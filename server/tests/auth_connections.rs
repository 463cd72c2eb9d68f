//! Nobody ties the server up (issue 11): half-open and idle connections are closed on time,
//! health answers meanwhile, and past the connection cap the server sheds load with a 503.

mod support;

use std::time::Duration;

use dealpane_server::build_app_with_source;
use dealpane_server::serving::{serve_with_limits, Limits};
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{timeout, Instant};

struct Running {
    addr: std::net::SocketAddr,
    _stop: tokio::sync::oneshot::Sender<()>,
    _dirs: Dirs,
}

/// A server taking at most `max_connections`, closing a connection whose headers or next
/// request take longer than `patience`.
async fn start(max_connections: usize, patience: Duration) -> Running {
    let limits = Limits {
        max_connections,
        header_read_timeout: patience,
        idle_timeout: patience,
    };
    let dirs = Dirs::new();
    let app = build_app_with_source(&settings(&dirs), FakeSource::new());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve_with_limits(listener, app, limits, async move {
        let _ = stopped.await;
    }));
    Running {
        addr,
        _stop: stop,
        _dirs: dirs,
    }
}

/// One request on a fresh connection; the whole raw answer.
async fn raw_get(addr: std::net::SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    timeout(Duration::from_secs(5), stream.read_to_end(&mut answer))
        .await
        .expect("an answer in time")
        .unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

/// Resolves when the server closes `stream` (end of file or reset), with what it sent first.
async fn closed_by_server(mut stream: TcpStream) -> Vec<u8> {
    let mut seen = Vec::new();
    let _ = stream.read_to_end(&mut seen).await;
    seen
}

#[tokio::test]
async fn half_open_and_idle_connections_are_closed_while_health_answers() {
    let server = start(200, Duration::from_secs(1)).await;
    let mut held = Vec::new();
    for i in 0..120 {
        let mut stream = TcpStream::connect(server.addr).await.unwrap();
        if i % 2 == 0 {
            // Headers begun, never finished (slowloris).
            stream
                .write_all(b"GET /api/health HTTP/1.1\r\nHost: test\r\nX-Slow: 1")
                .await
                .unwrap();
        }
        held.push(stream);
    }
    let started = Instant::now();
    let health = raw_get(server.addr, "/api/health").await;
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(started.elapsed() < Duration::from_secs(1));

    let all_closed = futures::future::join_all(held.into_iter().map(closed_by_server));
    let answers = timeout(Duration::from_secs(5), all_closed)
        .await
        .expect("the server closes every half-open and idle connection");
    assert_eq!(answers.len(), 120);
    for answer in answers {
        // Closed without an answer to a request that never was.
        assert!(!String::from_utf8_lossy(&answer).contains("200 OK"));
    }
    let health = raw_get(server.addr, "/api/health").await;
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
}

#[tokio::test]
async fn a_kept_alive_connection_is_closed_once_idle() {
    let server = start(10, Duration::from_secs(1)).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(b"GET /api/health HTTP/1.1\r\nHost: test\r\n\r\n")
        .await
        .unwrap();
    let seen = timeout(Duration::from_secs(5), closed_by_server(stream))
        .await
        .expect("closed after the answer, once idle");
    assert!(String::from_utf8_lossy(&seen).starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn past_the_cap_connections_get_503_with_retry_after_until_one_frees() {
    let server = start(4, Duration::from_secs(30)).await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(TcpStream::connect(server.addr).await.unwrap());
    }
    // Let the server accept them.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let busy = raw_get(server.addr, "/api/health").await;
    assert!(busy.starts_with("HTTP/1.1 503"), "{busy}");
    assert!(busy.contains("Retry-After: 2"), "{busy}");
    assert!(busy.contains("application/problem+json"), "{busy}");

    drop(held.pop());
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let answer = raw_get(server.addr, "/api/health").await;
        if answer.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "a freed slot is served again: {answer}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
