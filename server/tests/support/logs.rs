//! The global tracing subscriber, captured: for the binaries that read what the server logs
//! (each its own binary, since the subscriber is global).

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

/// What the subscriber wrote, shared with its writer.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().write(bytes)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

/// The global subscriber, installed once for this binary: JSON lines with the request span at
/// every level, so each test finds its own lines by traceId.
pub fn captured_logs() -> &'static Captured {
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
