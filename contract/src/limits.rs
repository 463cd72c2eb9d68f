//! Bounds shared by the widget (so it never sends what the server refuses) and the server.

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
/// How many suggestions the picker asks for (its `top`).
pub const SUGGESTIONS: u8 = 8;
