//! `SendWrapper<T>`: lets a value that is not `Send` sit where Leptos asks for `Send`, provided it
//! is only touched on the thread that made it. README.md says why this crate stands in for
//! send_wrapper 0.6.
//!
//! On `wasm32` without the `atomics` feature there is one thread, so the rule holds by
//! construction and nothing is checked. Anywhere else the wrapper remembers its thread and
//! panics on access from another, as send_wrapper does.

use std::fmt;
use std::mem::{self, ManuallyDrop};
use std::ops::{Deref, DerefMut};

mod futures;
mod thread;

use thread::Origin;

/// A value that may be moved between threads but only used on the one that made it.
pub struct SendWrapper<T> {
    data: ManuallyDrop<T>,
    origin: Origin,
}

// Safety: every access to `data` goes through `valid()`, which is true only on the thread
// that made the wrapper (always, where there is one thread).
unsafe impl<T> Send for SendWrapper<T> {}
unsafe impl<T> Sync for SendWrapper<T> {}

impl<T> SendWrapper<T> {
    pub fn new(data: T) -> Self {
        Self {
            data: ManuallyDrop::new(data),
            origin: Origin::here(),
        }
    }

    /// Whether the value may be used on the current thread.
    pub fn valid(&self) -> bool {
        self.origin.is_here()
    }

    /// The value, out of the wrapper. Panics on another thread than the one that made it.
    #[track_caller]
    pub fn take(self) -> T {
        self.check("took");
        let mut this = ManuallyDrop::new(self);
        // Safety: `this` is never dropped, so `data` is moved out only here.
        unsafe { ManuallyDrop::take(&mut this.data) }
    }

    #[track_caller]
    fn check(&self, what: &'static str) {
        if !self.valid() {
            thread::wrong_thread(what)
        }
    }
}

impl<T> Deref for SendWrapper<T> {
    type Target = T;

    #[track_caller]
    fn deref(&self) -> &T {
        self.check("read");
        &self.data
    }
}

impl<T> DerefMut for SendWrapper<T> {
    #[track_caller]
    fn deref_mut(&mut self) -> &mut T {
        self.check("changed");
        &mut self.data
    }
}

impl<T> Drop for SendWrapper<T> {
    #[track_caller]
    fn drop(&mut self) {
        // A value without drop glue can go anywhere; a second panic while unwinding would abort.
        if !mem::needs_drop::<T>() || self.valid() {
            // Safety: `data` is dropped here only, and `take` never lets `drop` run.
            unsafe { ManuallyDrop::drop(&mut self.data) }
        } else if !std::thread::panicking() {
            thread::wrong_thread("dropped")
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for SendWrapper<T> {
    #[track_caller]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendWrapper")
            .field("data", self.deref())
            .finish()
    }
}

impl<T: Clone> Clone for SendWrapper<T> {
    #[track_caller]
    fn clone(&self) -> Self {
        Self::new(self.deref().clone())
    }
}

#[cfg(test)]
mod tests {
    use super::SendWrapper;
    use std::future::Future;
    use std::rc::Rc;

    #[test]
    fn the_making_thread_reads_changes_takes_and_drops() {
        let mut wrapped = SendWrapper::new(Rc::new(1));
        assert!(wrapped.valid());
        *Rc::get_mut(&mut wrapped).unwrap() += 1;
        assert_eq!(**wrapped, 2);
        assert_eq!(*wrapped.clone().take(), 2);
    }

    #[test]
    fn another_thread_may_move_it_but_not_read_it() {
        let wrapped = SendWrapper::new(Rc::new(1));
        let back = std::thread::spawn(move || {
            assert!(!wrapped.valid());
            let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| **wrapped));
            assert!(read.is_err(), "a read on another thread panics");
            wrapped
        })
        .join()
        .unwrap();
        assert_eq!(*back.take(), 1);
    }

    #[test]
    fn a_wrapped_future_is_polled_where_it_was_made() {
        let ready = SendWrapper::new(std::future::ready(Rc::new(7)));
        let waker = std::task::Waker::noop();
        let mut context = std::task::Context::from_waker(waker);
        let polled = std::pin::pin!(ready).poll(&mut context);
        assert!(matches!(polled, std::task::Poll::Ready(value) if *value == 7));
    }
}
