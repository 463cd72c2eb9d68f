//! The MCP tools: the same service calls the HTTP routes make, with results a model can use:
//! `structuredContent` in the contract's shapes (declared as output schemas) and text it can
//! quote. A customer that is not there, or a Sales environment that fails, is a tool result
//! with `isError` and a sentence saying what to do; bad arguments are invalid-params errors.

use std::borrow::Cow;
use std::future::Future;

use std::time::Duration;

use axum::http::request::Parts;
use dealpane_contract::{CustomerList, Deal, SummaryState};
use rmcp::handler::server::common::Extension;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::model::{
    CallToolResult, ContentBlock, Implementation, JsonObject, ProtocolVersion, ServerCapabilities,
    ServerConfig,
};
use rmcp::{tool, tool_handler, tool_router, ErrorData, ServerHandler};
use tokio::time::Instant;

use super::args::{self, DealsArgs, SearchArgs};
use super::{schema, text};
use crate::routes::{caller_scope, AppState};
use crate::service::{DealService, ServiceError};
use crate::source::SourceError;
use crate::summaries::{CallerScope, DealVersion};

/// The protocol versions `/mcp` speaks; the client's is used when listed, else the newest.
static VERSIONS: [ProtocolVersion; 3] = [
    ProtocolVersion::V_2025_03_26,
    ProtocolVersion::V_2025_06_18,
    ProtocolVersion::V_2025_11_25,
];

/// How long `get_customer_deals` waits for summaries still being generated (each is seconds of
/// generative AI in Dataverse); Copilot Studio's tool calls time out well after this.
const PENDING_WAIT: Duration = Duration::from_secs(8);

const INSTRUCTIONS: &str = "dealpane reads the open deals (opportunities) of a customer from \
    the Dynamics 365 Sales environment, which may differ from the Customer Service one. Call \
    get_customer_deals with the case's customer id and name; if the customer is not found, \
    call search_customers with the first letters of the name and try again with the exact name.";

/// One per request (stateless): cloning shares the state and the tool list.
#[derive(Clone)]
pub struct DealTools {
    state: AppState,
    tool_router: ToolRouter<DealTools>,
}

impl DealTools {
    pub fn new(state: AppState) -> DealTools {
        DealTools {
            state,
            tool_router: DealTools::tool_router() + DealTools::write_router(),
        }
    }

    pub(super) fn state(&self) -> &AppState {
        &self.state
    }
}

#[tool_router]
impl DealTools {
    /// A customer's open Dynamics 365 Sales deals, highest value first, each with its stage,
    /// value, close date, owner and an AI summary.
    #[tool(
        name = "get_customer_deals",
        description = "Get a customer's open deals (opportunities) from Dynamics 365 Sales, highest value first, each with stage, value, probability, close date, owner, a link and an AI summary of the deal. Use it to spot cross-sell and up-sell context while serving the customer. Pass the customer's id and, when known, the exact name (ids can differ between environments). The text content has one paragraph per deal that can be quoted as is; a summary marked pending is still being generated.",
        input_schema = rmcp::handler::server::common::schema_for_type::<DealsArgs>(),
        output_schema = schema::deal_summary(),
        annotations(title = "Get customer deals", read_only_hint = true, open_world_hint = false)
    )]
    async fn get_customer_deals(
        &self,
        Extension(request): Extension<Parts>,
        arguments: JsonObject,
    ) -> Result<CallToolResult, ErrorData> {
        let query = args::parse::<DealsArgs>("get_customer_deals", arguments)?.query()?;
        as_caller(&request, async {
            let scope = caller_scope(&request.headers);
            let mut answer = match self.state.deal_summary(&scope, query, false).await {
                Ok(answer) => answer,
                Err(error) => return Ok(failure(&error)),
            };
            settle_pending(&self.state.service, &scope, &mut answer.deals).await;
            Ok(structured(&answer, text::deals(&answer)))
        })
        .await
    }

    /// Customers whose name starts with a prefix.
    #[tool(
        name = "search_customers",
        description = "Find accounts and contacts in Dynamics 365 Sales whose name starts with the given letters, with their ids and how many open deals each has. Use it when get_customer_deals does not find a customer by the name you have.",
        input_schema = rmcp::handler::server::common::schema_for_type::<SearchArgs>(),
        output_schema = schema::customer_list(),
        annotations(title = "Search customers", read_only_hint = true, open_world_hint = false)
    )]
    async fn search_customers(
        &self,
        Extension(request): Extension<Parts>,
        arguments: JsonObject,
    ) -> Result<CallToolResult, ErrorData> {
        let (prefix, top) = args::parse::<SearchArgs>("search_customers", arguments)?.checked()?;
        as_caller(&request, async {
            match self.state.service.search_customers(&prefix, top).await {
                Ok(customers) => {
                    let text = text::customers(&prefix, &customers);
                    Ok(structured(&CustomerList { customers }, text))
                }
                Err(error) => Ok(failure(&error)),
            }
        })
        .await
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for DealTools {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("dealpane", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }

    fn supported_protocol_versions(&self) -> Cow<'static, [ProtocolVersion]> {
        Cow::Borrowed(&VERSIONS)
    }
}

/// Runs `work` as the caller the auth layer identified: the SDK handles each call on a task of
/// its own, which the request's task-local identity does not reach, so [`super::carry_identity`]
/// hands it over in the request's extensions (Dataverse calls then carry `CallerObjectId`, and
/// caches are keyed by the caller, as on the HTTP routes).
pub(super) async fn as_caller<T>(request: &Parts, work: impl Future<Output = T>) -> T {
    let identity = request
        .extensions
        .get::<super::Carried>()
        .and_then(|carried| carried.0.clone());
    crate::auth::run_as(identity, work).await
}

/// A model reads the result once, so it waits (boundedly) for summaries being generated,
/// taking each as it settles; those still pending after [`PENDING_WAIT`] stay marked pending.
async fn settle_pending(service: &DealService, scope: &CallerScope, deals: &mut [Deal]) {
    let until = Instant::now() + PENDING_WAIT;
    loop {
        // Only the pending ones are watched: the watch returns as soon as any deal it is
        // given is settled, so a settled one in the list would end every wait at once.
        let mut pending: Vec<&mut Deal> = deals
            .iter_mut()
            .filter(|d| d.summary.state == SummaryState::Pending)
            .collect();
        let left = until.saturating_duration_since(Instant::now());
        if pending.is_empty() || left.is_zero() {
            break;
        }
        let versions: Vec<DealVersion> = pending.iter().map(|d| DealVersion::of(d)).collect();
        let now = service.watch_summaries(scope, &versions, left).await;
        for (deal, summary) in pending.iter_mut().zip(now) {
            deal.summary = summary;
        }
    }
}

/// `structuredContent` and the text a model quotes. Not `CallToolResult::structured`, which
/// writes the whole value out as a string for its text content, only for this to replace it.
fn structured(value: &impl serde::Serialize, text: String) -> CallToolResult {
    let value = serde_json::to_value(value).expect("the contract types always serialize");
    let mut result = CallToolResult::success(vec![ContentBlock::text(text)]);
    result.structured_content = Some(value);
    result
}

/// A tool error the model can act on. Written with `if let` rather than a `match`, so a
/// variant another change adds gets the generic sentence instead of breaking the build.
fn failure(error: &ServiceError) -> CallToolResult {
    let sentence = if let ServiceError::CustomerNotFound(what) = error {
        format!(
            "{what} Check the spelling, or call search_customers with the first letters of \
             the name and call get_customer_deals again with the exact name or id it returns."
        )
    } else if let ServiceError::Source(SourceError::Throttled { retry_after }) = error {
        format!(
            "The Sales environment is busy (throttling requests); try again in {} seconds.",
            retry_after.as_secs().max(1)
        )
    } else if let ServiceError::Source(SourceError::Timeout) = error {
        "The Sales environment did not answer in time; try again shortly.".to_owned()
    } else {
        tracing::warn!(%error, "mcp: a tool call failed");
        "The Sales environment answered with an error; try again, and if it persists ask an \
         administrator to check dealpane's log."
            .to_owned()
    };
    CallToolResult::error(vec![ContentBlock::text(sentence)])
}
