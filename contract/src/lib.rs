//! The contract between the dealpane widget and `dealpane-server`: the JSON answer of
//! `GET /api/DealSummary`, the customer picker's answer, health, problem+json errors, and the
//! one GUID parser both sides use. Dates travel as ISO 8601 strings so the widget needs no
//! date crate (the browser's Intl formats them).

mod guid;
mod types;

pub use guid::{Guid, GuidError};
pub use types::*;

/// Bounds shared by the widget (so it never sends what the server refuses) and the server.
pub mod limits {
    /// `top` of DealSummary: 1 to 50, default 10.
    pub const TOP_MIN: u8 = 1;
    pub const TOP_MAX: u8 = 50;
    pub const TOP_DEFAULT: u8 = 10;
    /// A customer name, after trimming.
    pub const NAME_MAX_CHARS: usize = 160;
    /// The whole query string of an API call.
    pub const QUERY_MAX_BYTES: usize = 4096;
    /// The customer picker's `top`.
    pub const SEARCH_TOP_MAX: u8 = 20;
}
