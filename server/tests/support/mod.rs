//! Helpers shared by the integration tests (`mod support;`): the running server and its widget
//! directory, a fake `SalesSource`, a local Dataverse stand-in, and reading a store's file.
//! Each test binary uses a part, so the rest (and a re-export it never names) would warn as
//! unused.
#![allow(dead_code, unused_imports)]

pub mod dataverse;
mod fake_source;
pub mod issuer;
pub mod logs;
mod server;

pub use fake_source::*;
pub use server::*;

/// `amount` US dollars, the base currency of the fixtures and of the Dataverse stand-in.
pub fn usd(amount: f64) -> Option<dealpane_contract::Money> {
    Some(dealpane_contract::Money {
        amount,
        currency: "USD".to_owned(),
    })
}

/// Adatum Bank's four open deals (425,000 USD, 120,000 EUR, 80,000 GBP, 9,800,000 JPY) in
/// USD at the rates both the fixtures and the stand-in use, largest first.
pub const ADATUM_BANK_BASE_VALUES: [f64; 4] = [425_000.0, 130_434.78, 101_265.82, 65_333.33];

/// Sends `request` and reads its answer as JSON, whatever the status.
pub async fn send_for_json(request: reqwest::RequestBuilder) -> serde_json::Value {
    request.send().await.unwrap().json().await.unwrap()
}

/// The single number `sql` (e.g. a `count(*)`) reads from the SQLite file at `path`.
pub fn count(path: &std::path::Path, sql: &str) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row(sql, [], |row| row.get(0))
        .unwrap()
}

/// A gzip body, decoded.
pub fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut decoded = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(bytes), &mut decoded).unwrap();
    decoded
}

/// A brotli body, decoded.
pub fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut decoded = Vec::new();
    std::io::Read::read_to_end(&mut brotli::Decompressor::new(bytes, 4096), &mut decoded).unwrap();
    decoded
}
