//! dealpane's stand-in for wasm-streams 0.5; README.md says why and when to remove it.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use wasm_bindgen::JsValue;

/// A web `ReadableStream`, as far as `server_fn`'s browser client names it.
pub struct ReadableStream {
    raw: web_sys::ReadableStream,
}

impl ReadableStream {
    pub fn from_raw(raw: web_sys::ReadableStream) -> Self {
        Self { raw }
    }

    pub fn into_raw(self) -> web_sys::ReadableStream {
        self.raw
    }

    /// Streaming a Rust stream into the page needs wasm-streams' exported classes.
    pub fn from_stream<St>(_stream: St) -> Self
    where
        St: Stream<Item = Result<JsValue, JsValue>> + 'static,
    {
        unsupported("ReadableStream::from_stream")
    }

    /// Reading a streamed server-function answer.
    pub fn into_stream(self) -> IntoStream {
        unsupported("ReadableStream::into_stream")
    }
}

/// The Rust side of a readable stream; never built, since `into_stream` does not return.
pub struct IntoStream {
    _never: std::convert::Infallible,
}

impl Stream for IntoStream {
    type Item = Result<JsValue, JsValue>;

    fn poll_next(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match self._never {}
    }
}

fn unsupported(call: &str) -> ! {
    panic!(
        "{call}: streaming server functions are not built into dealpane \
         (see patches/wasm-streams/README.md)"
    )
}
