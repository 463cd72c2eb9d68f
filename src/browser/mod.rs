//! The browser's APIs, each wrapped once (`storage`: sessionStorage and idempotency keys): the rest of the widget calls these, never `web_sys`
//! for the same thing. Requests (`fetch`, `AbortController`) are in `crate::request`.

pub mod clipboard;
pub mod intl;
pub mod navigator;
pub mod panics;
pub mod performance;
pub mod storage;
