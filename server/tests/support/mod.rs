//! Helpers shared by the integration tests (`mod support;`): the running server and its widget
//! directory, a fake `SalesSource`, a local Dataverse stand-in, and reading a store's file.
//! Each test binary uses a part, so the rest (and a re-export it never names) would warn as
//! unused.
#![allow(dead_code, unused_imports)]

pub mod dataverse;
mod fake_source;
pub mod issuer;
mod server;

pub use fake_source::*;
pub use server::*;

/// The single number `sql` (e.g. a `count(*)`) reads from the SQLite file at `path`.
pub fn count(path: &std::path::Path, sql: &str) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row(sql, [], |row| row.get(0))
        .unwrap()
}
