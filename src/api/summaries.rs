//! `GET {apiBase}/summaries?deals=…&wait=…`, the long-poll that brings pending summaries: which
//! deals it asks about, its path, what its answer means, and the board of summaries that its
//! answers fill in (what each card shows). Plain, tested natively.

use dealpane_contract::limits::QUERY_MAX_BYTES;
use dealpane_contract::percent::encode_component;
use dealpane_contract::{
    summary_query_item, Deal, Guid, SummariesResponse, Summary, SummaryState, MAX_SUMMARY_DEALS,
    MAX_SUMMARY_WAIT_SECS,
};

use super::{parse_json, success_kind, BodyKind, FetchError};

/// How long the long-poll asks the server to wait for a summary to settle, in seconds.
/// Under the contract's [`MAX_SUMMARY_WAIT_SECS`], so that a proxy's idle limit is further off.
pub const SUMMARY_WAIT_SECS: u8 = 20;

/// A `modifiedOn` longer than this is not sent (the deal is asked for by id alone): the
/// contract's are RFC 3339 timestamps, and the query has a byte bound.
const VERSION_MAX_CHARS: usize = 40;

/// The long-poll's path under `apiBase`, for `items` (`summary_query_item`s) in order, as many
/// as the contract's bounds allow: at most [`MAX_SUMMARY_DEALS`], and a query of at most
/// [`QUERY_MAX_BYTES`]. The ones left out are asked for in the next round.
pub fn summaries_path(items: &[String], wait_secs: u8) -> String {
    let wait = format!("&wait={}", wait_secs.min(MAX_SUMMARY_WAIT_SECS));
    let mut path = String::from("summaries?deals=");
    let budget = QUERY_MAX_BYTES - wait.len();
    let query_start = "summaries?".len();
    for (index, item) in items.iter().take(MAX_SUMMARY_DEALS).enumerate() {
        let encoded = encode_component(item);
        let comma = usize::from(index > 0);
        if index > 0 && path.len() - query_start + comma + encoded.len() > budget {
            break;
        }
        if index > 0 {
            path.push(',');
        }
        path.push_str(&encoded);
    }
    path.push_str(&wait);
    path
}

/// What a finished long-poll exchange means. A success that is not JSON (a proxy's page, a
/// text-only backend) is malformed: the contract's answer is JSON.
pub fn interpret_summaries(
    status: u16,
    content_type: Option<&str>,
    body: &str,
) -> Result<SummariesResponse, FetchError> {
    match success_kind(status, content_type, body)? {
        BodyKind::Json | BodyKind::Problem => parse_json(body, super::read::summaries),
        BodyKind::Text => Err(FetchError::Malformed("not JSON".to_owned())),
    }
}

/// Each deal's summary as the pane knows it: from the DealSummary answer, then from each
/// long-poll answer. Deals in the answer's order (top first), so the top ones are asked first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SummaryBoard {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq)]
struct Entry {
    id: Guid,
    /// The deal's `modifiedOn`: the version its summary is keyed by.
    version: Option<String>,
    summary: Summary,
}

impl SummaryBoard {
    pub fn of(deals: &[Deal]) -> SummaryBoard {
        let entries = deals
            .iter()
            .map(|deal| Entry {
                id: deal.id,
                version: deal
                    .modified_on
                    .clone()
                    .filter(|v| v.chars().count() <= VERSION_MAX_CHARS),
                summary: deal.summary.clone(),
            })
            .collect();
        SummaryBoard { entries }
    }

    pub fn summary(&self, id: &Guid) -> Option<&Summary> {
        self.entries
            .iter()
            .find(|e| e.id == *id)
            .map(|e| &e.summary)
    }

    /// How many summaries are still pending.
    pub fn pending(&self) -> usize {
        self.pending_entries().count()
    }

    /// The long-poll's `deals` items: the pending deals, top first.
    pub fn pending_items(&self) -> Vec<String> {
        self.pending_entries()
            .map(|e| summary_query_item(&e.id, e.version.as_deref()))
            .collect()
    }

    /// Takes a long-poll answer: each pending deal it names takes its summary, unless that is
    /// still pending. Deals it does not name, or that were settled already, stay as they are.
    /// Returns how many settled.
    pub fn apply(&mut self, answer: &SummariesResponse) -> usize {
        let mut settled = 0;
        for update in &answer.summaries {
            if update.summary.state == SummaryState::Pending {
                continue;
            }
            let entry = self
                .entries
                .iter_mut()
                .find(|e| e.id == update.deal_id && e.summary.state == SummaryState::Pending);
            if let Some(entry) = entry {
                entry.summary = update.summary.clone();
                settled += 1;
            }
        }
        settled
    }

    /// The long-poll gave up: every summary still pending becomes `unavailable` (no reason: the
    /// pane's general words, "refresh to try again"). Returns how many.
    pub fn give_up(&mut self) -> usize {
        let mut given_up = 0;
        for entry in &mut self.entries {
            if entry.summary.state == SummaryState::Pending {
                entry.summary = Summary::unavailable();
                given_up += 1;
            }
        }
        given_up
    }

    fn pending_entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(|e| e.summary.state == SummaryState::Pending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dealpane_contract::{DealStatus, DealSummaryUpdate};
    // These run natively and, through the browser's JSON, in `cargo xtask test --suite browser`.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn deal(tail: u128, summary: Summary) -> Deal {
        Deal {
            id: Guid::from_u128(tail),
            name: format!("Deal {tail}"),
            status: DealStatus::Open,
            stage: None,
            value: None,
            value_base: None,
            probability: None,
            close_date: None,
            owner: None,
            forecast_category: None,
            summary,
            link: None,
            modified_on: Some("2026-11-18T10:00:00Z".into()),
        }
    }

    fn update(tail: u128, summary: Summary) -> DealSummaryUpdate {
        DealSummaryUpdate {
            deal_id: Guid::from_u128(tail),
            summary,
        }
    }

    fn ready() -> Summary {
        Summary::ready("Text.", "2026-11-22T07:30:00Z")
    }

    #[test]
    fn the_path_lists_encoded_items_in_order_with_a_bounded_wait() {
        let items = vec![
            summary_query_item(&Guid::from_u128(1), Some("2026-11-18T10:00:00Z")),
            summary_query_item(&Guid::from_u128(2), None),
        ];
        assert_eq!(
            summaries_path(&items, SUMMARY_WAIT_SECS),
            "summaries?deals=00000000-0000-0000-0000-000000000001%402026-11-18T10%3A00%3A00Z,\
             00000000-0000-0000-0000-000000000002&wait=20"
        );
        assert!(summaries_path(&items, 200).ends_with(&format!("&wait={MAX_SUMMARY_WAIT_SECS}")));
        const { assert!(SUMMARY_WAIT_SECS <= MAX_SUMMARY_WAIT_SECS) };
    }

    #[test]
    fn the_path_stays_within_the_contracts_bounds() {
        let items: Vec<String> = (0..80u128)
            .map(|n| summary_query_item(&Guid::from_u128(n), Some("2026-11-18T10:00:00.1234567Z")))
            .collect();
        let path = summaries_path(&items, 20);
        let query = path.split_once('?').unwrap().1;
        assert!(query.len() <= QUERY_MAX_BYTES, "{}", query.len());
        let asked = query.split('&').next().unwrap().split(',').count();
        assert!(asked <= MAX_SUMMARY_DEALS, "{asked}");
        assert!(asked >= 40, "as many as fit: {asked}");
        let long = vec!["x".repeat(5000)];
        assert!(
            summaries_path(&long, 20).contains("xxx"),
            "one item always goes"
        );
    }

    #[test]
    fn an_answer_is_json_and_errors_keep_their_status() {
        let body = r#"{"summaries": [{"dealId": "00000000-0000-0000-0000-000000000001",
            "summary": {"state": "unavailable", "reason": "timeout"}, "extra": 1}]}"#;
        let answer = interpret_summaries(200, Some("application/json"), body).unwrap();
        assert_eq!(
            answer.summaries[0].summary,
            Summary::unavailable_because("timeout")
        );
        assert!(matches!(
            interpret_summaries(200, Some("text/html"), "<p>proxy</p>"),
            Err(FetchError::Malformed(_))
        ));
        let busy = r#"{"title": "Busy", "status": 429}"#;
        let error = interpret_summaries(429, Some("application/problem+json"), busy);
        assert_eq!(error.unwrap_err().status(), Some(429));
        assert_eq!(
            interpret_summaries(404, Some("text/plain"), "Not Found"),
            Err(FetchError::Status(404))
        );
    }

    #[test]
    fn the_board_asks_for_pending_deals_only_and_settles_them_as_answers_come() {
        let deals = vec![
            deal(1, Summary::pending()),
            deal(2, ready()),
            deal(3, Summary::pending()),
        ];
        let mut board = SummaryBoard::of(&deals);
        assert_eq!(board.pending(), 2);
        assert_eq!(
            board.pending_items(),
            [
                "00000000-0000-0000-0000-000000000001@2026-11-18T10:00:00Z",
                "00000000-0000-0000-0000-000000000003@2026-11-18T10:00:00Z"
            ]
        );
        let first = SummariesResponse {
            summaries: vec![
                update(1, Summary::pending()),
                update(2, Summary::unavailable()),
                update(3, Summary::unavailable_because("throttled")),
                update(9, ready()),
            ],
        };
        assert_eq!(board.apply(&first), 1, "only deal 3 settled");
        assert_eq!(board.summary(&Guid::from_u128(2)), Some(&ready()), "kept");
        assert_eq!(board.pending_items().len(), 1);
        let second = SummariesResponse {
            summaries: vec![update(1, ready())],
        };
        assert_eq!(board.apply(&second), 1);
        assert_eq!(board.pending(), 0);
        assert_eq!(board.summary(&Guid::from_u128(1)), Some(&ready()));
        assert_eq!(board.summary(&Guid::from_u128(9)), None);
    }

    #[test]
    fn giving_up_makes_what_is_pending_unavailable_and_keeps_the_rest() {
        let deals = [
            deal(1, Summary::pending()),
            deal(2, ready()),
            deal(3, Summary::pending()),
        ];
        let mut board = SummaryBoard::of(&deals);
        assert_eq!(board.give_up(), 2);
        assert_eq!(board.pending(), 0);
        assert_eq!(
            board.summary(&Guid::from_u128(1)),
            Some(&Summary::unavailable())
        );
        assert_eq!(board.summary(&Guid::from_u128(2)), Some(&ready()));
        assert_eq!(board.give_up(), 0);
    }

    #[test]
    fn an_overlong_version_is_left_out_of_the_item() {
        let mut odd = deal(1, Summary::pending());
        odd.modified_on = Some("9".repeat(VERSION_MAX_CHARS + 1));
        assert_eq!(
            SummaryBoard::of(&[odd]).pending_items(),
            ["00000000-0000-0000-0000-000000000001"]
        );
    }
}
