//! The names of [`SummaryState`] on the wire, for code that shows or documents them (the
//! widget's `data-summary`, the OpenAPI enum) without going through serde.

use crate::SummaryState;

impl SummaryState {
    /// Every state the contract lists, in its order (not `Unknown`, which no server sends).
    pub const ALL: [SummaryState; 4] = [
        SummaryState::Ready,
        SummaryState::Pending,
        SummaryState::Unavailable,
        SummaryState::Disabled,
    ];

    /// The wire name: `ready`, `pending`, `unavailable` or `disabled`; `unknown` for a state
    /// this reader does not know.
    pub const fn as_str(self) -> &'static str {
        match self {
            SummaryState::Ready => "ready",
            SummaryState::Pending => "pending",
            SummaryState::Unavailable => "unavailable",
            SummaryState::Disabled => "disabled",
            SummaryState::Unknown => "unknown",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_wire_names() {
        for state in SummaryState::ALL {
            let wire = serde_json::to_string(&state).unwrap();
            assert_eq!(wire, format!("\"{}\"", state.as_str()));
        }
    }
}
