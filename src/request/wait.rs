//! [`within`]: a future's answer, if it comes in time.

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;

use gloo_timers::future::TimeoutFuture;

/// `future`'s output if it is ready within `ms` milliseconds; `None` (and `future` dropped)
/// otherwise.
pub async fn within<T>(ms: u32, future: impl Future<Output = T>) -> Option<T> {
    let mut future = pin!(future);
    let mut timer = TimeoutFuture::new(ms);
    poll_fn(|cx| match future.as_mut().poll(cx) {
        Poll::Ready(output) => Poll::Ready(Some(output)),
        Poll::Pending => pin!(&mut timer).poll(cx).map(|()| None),
    })
    .await
}
