//! The accept loop (issue 11, "nobody ties the server up"). `axum::serve` keeps every connection
//! for as long as the client likes, so a slow or idle client can hold a descriptor each until
//! the process runs out. Here:
//!
//! - at most `max_connections` are served at once; past that a connection gets a `503` with
//!   `Retry-After` and is closed (a bounded number of those replies at a time, then plain drops),
//!   so the process keeps descriptors for the ones it serves;
//! - a request's headers must arrive within `header_read_timeout` (hyper's HTTP/1 timer, which
//!   also runs while a kept-alive connection waits for its next request);
//! - a connection with no request in flight and no traffic for `idle_timeout` is closed (HTTP/2
//!   too);
//! - on shutdown, listening stops, open connections finish their requests and close, within
//!   [`DRAIN_LIMIT`].

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::time::Instant;
use tower::ServiceExt;

use crate::settings::Settings;

/// How long shutdown waits for open connections before it gives up on them.
pub const DRAIN_LIMIT: Duration = Duration::from_secs(30);
/// At most this many "busy" replies are being written at once; past that, plain closes.
const SHED_AT_ONCE: usize = 64;
/// The problem+json body of a "busy" reply.
const BUSY_BODY: &str =
    r#"{"type":"about:blank","title":"Too many connections","status":503,"detail":"Retry soon."}"#;

fn busy_reply() -> Vec<u8> {
    format!(
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 2\r\nContent-Type: \
         application/problem+json\r\nCache-Control: no-store\r\nConnection: close\r\n\
         Content-Length: {}\r\n\r\n{BUSY_BODY}",
        BUSY_BODY.len()
    )
    .into_bytes()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_connections: usize,
    pub header_read_timeout: Duration,
    pub idle_timeout: Duration,
}

impl Limits {
    pub fn from_settings(settings: &Settings) -> Limits {
        Limits {
            max_connections: settings.max_connections,
            header_read_timeout: settings.header_read_timeout,
            idle_timeout: settings.idle_timeout,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::from_settings(&Settings::default())
    }
}

/// Serves `app` on `listener` within `limits` until `shutdown` completes, then drains.
pub async fn serve_with_limits(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let max = limits.max_connections.clamp(1, Semaphore::MAX_PERMITS);
    let permits = Arc::new(Semaphore::new(max));
    let shedding = Arc::new(Semaphore::new(SHED_AT_ONCE));
    let (stop, stopping) = watch::channel(false);
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    builder.http2().timer(TokioTimer::new());
    tokio::pin!(shutdown);
    loop {
        let (stream, _) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors, or a connection reset before it was accepted: the
                    // listener itself is fine, so wait a little rather than spin.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        match permits.clone().try_acquire_owned() {
            Ok(permit) => {
                let connection = serve_connection(
                    stream,
                    app.clone(),
                    builder.clone(),
                    limits,
                    stopping.clone(),
                );
                tokio::spawn(async move {
                    connection.await;
                    drop(permit);
                });
            }
            Err(_) => shed(stream, &shedding),
        }
    }
    drop(listener);
    let _ = stop.send(true);
    let drained = tokio::time::timeout(DRAIN_LIMIT, permits.acquire_many(max as u32)).await;
    if drained.is_err() {
        tracing::warn!("shutdown: connections still open after {DRAIN_LIMIT:?}; leaving them");
    }
    Ok(())
}

/// Answers `503` + `Retry-After` and closes, or just closes when many such replies are already
/// being written.
fn shed(mut stream: TcpStream, shedding: &Arc<Semaphore>) {
    let Ok(permit) = shedding.clone().try_acquire_owned() else {
        return;
    };
    tracing::warn!("too many connections: answering 503");
    tokio::spawn(async move {
        let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(&busy_reply())).await;
        let _ = stream.shutdown().await;
        drop(permit);
    });
}

async fn serve_connection(
    stream: TcpStream,
    app: Router,
    builder: auto::Builder<TokioExecutor>,
    limits: Limits,
    mut stopping: watch::Receiver<bool>,
) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: activity.clone(),
    });
    let requests = activity.clone();
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let busy = requests.begin();
        let answer = app.clone().oneshot(request);
        async move {
            let response = answer.await;
            drop(busy);
            response
        }
    });
    let connection = builder.serve_connection_with_upgrades(io, service);
    tokio::pin!(connection);
    let check = (limits.idle_timeout / 4).clamp(Duration::from_millis(50), Duration::from_secs(1));
    let mut ticks = tokio::time::interval(check);
    let mut closing = false;
    loop {
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(error) = result {
                    tracing::debug!(%error, "connection ended");
                }
                return;
            }
            _ = ticks.tick(), if !closing => {
                if activity.idle_for() >= limits.idle_timeout {
                    tracing::debug!("closing an idle connection");
                    closing = true;
                    connection.as_mut().graceful_shutdown();
                }
            }
            _ = stopping.changed(), if !closing => {
                closing = true;
                connection.as_mut().graceful_shutdown();
            }
        }
    }
}

/// What a connection has been doing: requests in flight, and when bytes last moved.
struct Activity {
    started: Instant,
    in_flight: AtomicUsize,
    /// Milliseconds after `started`.
    last: AtomicU64,
}

struct Busy(Arc<Activity>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
        self.0.touch();
    }
}

impl Activity {
    fn new() -> Activity {
        Activity {
            started: Instant::now(),
            in_flight: AtomicUsize::new(0),
            last: AtomicU64::new(0),
        }
    }

    fn begin(self: &Arc<Self>) -> Busy {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        Busy(self.clone())
    }

    fn touch(&self) {
        let now = self.started.elapsed().as_millis() as u64;
        self.last.fetch_max(now, Ordering::Relaxed);
    }

    /// Zero while a request is in flight; else the time since bytes last moved.
    fn idle_for(&self) -> Duration {
        if self.in_flight.load(Ordering::SeqCst) > 0 {
            return Duration::ZERO;
        }
        let last = Duration::from_millis(self.last.load(Ordering::Relaxed));
        self.started.elapsed().saturating_sub(last)
    }
}

/// A stream that notes when bytes move.
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
