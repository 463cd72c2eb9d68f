//! `GET /api/summaries?deals=<id>@<modifiedOn>,…&wait=<seconds>`: the long-poll that brings a
//! pane its pending summaries. It answers every deal asked for, in the order asked, as soon as
//! any of them that was pending has settled (or when `wait` runs out), so a proxy that buffers
//! whole responses (the Azure Functions host does, for custom handlers) still delivers it.

use serde::{Deserialize, Serialize};

use crate::{Guid, Summary};

/// The longest a long-poll may wait, in seconds: under the Functions host's and browsers' idle
/// limits, long enough that a slow generative summary costs few round trips.
pub const MAX_SUMMARY_WAIT_SECS: u8 = 25;
/// The most deals one long-poll may ask about (`top`'s own bound).
pub const MAX_SUMMARY_DEALS: usize = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SummariesResponse {
    pub summaries: Vec<DealSummaryUpdate>,
}

/// One deal's summary as it stands now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DealSummaryUpdate {
    pub deal_id: Guid,
    pub summary: Summary,
}

/// One `deals` item: the deal's id and, when the answer carried one, its `modifiedOn`, which is
/// what the summary is keyed by (a changed deal gets a new summary).
pub fn summary_query_item(deal_id: &Guid, modified_on: Option<&str>) -> String {
    match modified_on {
        Some(version) => format!("{deal_id}@{version}"),
        None => deal_id.to_string(),
    }
}
