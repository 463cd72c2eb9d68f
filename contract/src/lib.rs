//! The contract between the dealpane widget and `dealpane-server`: the JSON answer of
//! `GET /api/DealSummary`, the customer picker's answer, health, problem+json errors, and the
//! one GUID parser and percent codec both sides use. Dates travel as ISO 8601 strings so the
//! widget needs no date crate (the browser's Intl formats them).

mod guid;
pub mod limits;
pub mod percent;
mod summary_state;
mod types;

pub use guid::{Guid, GuidError};
pub use types::*;
