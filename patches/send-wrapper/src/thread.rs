//! Which thread made a wrapper, and the panic for using it on another.

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod imp {
    /// One thread: every wrapper was made on it.
    #[derive(Clone, Copy)]
    pub struct Origin;

    impl Origin {
        pub fn here() -> Self {
            Origin
        }

        pub fn is_here(self) -> bool {
            true
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
mod imp {
    use std::thread::{self, ThreadId};

    #[derive(Clone, Copy)]
    pub struct Origin(ThreadId);

    impl Origin {
        pub fn here() -> Self {
            Origin(thread::current().id())
        }

        pub fn is_here(self) -> bool {
            self.0 == thread::current().id()
        }
    }
}

pub use imp::Origin;

#[cold]
#[inline(never)]
#[track_caller]
pub fn wrong_thread(what: &'static str) -> ! {
    panic!("a SendWrapper was {what} on another thread than the one that made it")
}
