//! The tools that write to Sales (issue 12's Share with Sales): `notify_deal_owner` (a Sales
//! task for the deal's owner) and `suggest_deal` (a Sales lead). They call the same
//! [`ShareService`](crate::share::ShareService) functions as `POST /api/deals/{id}/notes` and
//! `POST /api/leads`, with the same bounds, sender and idempotency: a call repeated with the
//! same `idempotencyKey` creates nothing twice and answers what the first one did.

use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use dealpane_contract::{
    CustomerType, Guid, LeadRequest, Money, NoteRequest, IDEMPOTENCY_KEY_HEADER,
    IDEMPOTENCY_KEY_MAX_CHARS, LEAD_DESCRIPTION_MAX_CHARS, LEAD_TOPIC_MAX_CHARS, NOTE_MAX_CHARS,
};
use rmcp::handler::server::common::Extension;
use rmcp::model::{CallToolResult, ContentBlock, JsonObject};
use rmcp::{tool, tool_router, ErrorData};
use schemars::JsonSchema;
use serde::Deserialize;

use super::args::{self, invalid, KindSchema};
use super::tools::{as_caller, DealTools};
use super::{schema, Carried};
use crate::error::ApiError;
use crate::idempotency::{Answer, IdempotencyKey};

// The arguments of `notify_deal_owner` (a `//` comment: a doc comment would become the
// schema's description).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotifyArgs {
    /// The deal's id (`id` of a deal from get_customer_deals).
    #[schemars(extend("format" = "uuid"))]
    pub deal_id: String,
    /// What the deal's owner should know, in plain text (at most 2,000 characters).
    #[schemars(length(min = 1, max = NOTE_MAX_CHARS))]
    pub message: String,
    /// The Customer Service case this came up in, if any.
    #[serde(default)]
    #[schemars(with = "Option<String>", extend("format" = "uuid"))]
    pub case_id: Option<String>,
    /// Any unique string (e.g. a UUID) per note: a call retried with the same key creates
    /// nothing twice.
    #[serde(default)]
    #[schemars(length(min = 1, max = IDEMPOTENCY_KEY_MAX_CHARS))]
    pub idempotency_key: Option<String>,
}

/// An amount and its ISO 4217 currency.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(inline)]
pub struct MoneyArg {
    pub amount: f64,
    /// ISO 4217 code, e.g. USD.
    pub currency: String,
}

// The arguments of `suggest_deal`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SuggestArgs {
    /// The customer's id in Sales (`customer.id` from get_customer_deals or search_customers).
    #[schemars(extend("format" = "uuid"))]
    pub customer_id: String,
    /// Whether the customer is an account or a contact.
    #[schemars(with = "KindSchema")]
    pub customer_type: String,
    /// The opportunity in a few words, e.g. "Grinders for the new site".
    #[schemars(length(min = 1, max = LEAD_TOPIC_MAX_CHARS))]
    pub topic: String,
    /// What the agent heard, for the salesperson.
    #[serde(default)]
    #[schemars(length(max = LEAD_DESCRIPTION_MAX_CHARS))]
    pub description: Option<String>,
    /// The value the customer mentioned, if any.
    #[serde(default)]
    pub estimated_value: Option<MoneyArg>,
    /// The Customer Service case this came up in, if any.
    #[serde(default)]
    #[schemars(with = "Option<String>", extend("format" = "uuid"))]
    pub case_id: Option<String>,
    /// Any unique string (e.g. a UUID) per suggestion: a call retried with the same key creates
    /// nothing twice.
    #[serde(default)]
    #[schemars(length(min = 1, max = IDEMPOTENCY_KEY_MAX_CHARS))]
    pub idempotency_key: Option<String>,
}

#[tool_router(router = write_router, vis = "pub(super)")]
impl DealTools {
    #[tool(
        name = "notify_deal_owner",
        description = "Tell a deal's owner in Dynamics 365 Sales something the customer said (a cross-sell or up-sell hint, a complaint that puts the deal at risk): creates a Sales task on the deal for its owner, signed with the agent's name and the case. Pass an idempotencyKey (e.g. a new UUID per note) so a retried call creates nothing twice.",
        input_schema = rmcp::handler::server::common::schema_for_type::<NotifyArgs>(),
        output_schema = schema::note(),
        annotations(title = "Notify the deal's owner", read_only_hint = false, destructive_hint = false, idempotent_hint = true, open_world_hint = false)
    )]
    async fn notify_deal_owner(
        &self,
        Extension(request): Extension<Parts>,
        arguments: JsonObject,
    ) -> Result<CallToolResult, ErrorData> {
        let args = args::parse::<NotifyArgs>("notify_deal_owner", arguments)?;
        let deal_id = guid("dealId", &args.deal_id)?;
        let case_id = args
            .case_id
            .as_deref()
            .map(|id| guid("caseId", id))
            .transpose()?;
        let key = idempotency_key(args.idempotency_key.as_deref())?;
        let note = NoteRequest {
            message: args.message,
            case_id,
        };
        let identity = carried(&request);
        let share = &self.state().share;
        let answer = as_caller(
            &request,
            share.create_note(identity.as_ref(), key.as_ref(), deal_id, note),
        )
        .await;
        written(answer, |note: &dealpane_contract::Note| {
            let owner = note.owner.as_deref().unwrap_or("the deal's owner");
            format!(
                "Sent to {owner} as a Sales task on the deal (task {}, {}).",
                note.id, note.created_on
            )
        })
    }

    #[tool(
        name = "suggest_deal",
        description = "Suggest a new deal for the customer to the Sales team: creates a lead in Dynamics 365 Sales for the account or contact, with a topic, what the agent heard and an estimated value, signed with the agent's name and the case. Pass an idempotencyKey (e.g. a new UUID per suggestion) so a retried call creates nothing twice.",
        input_schema = rmcp::handler::server::common::schema_for_type::<SuggestArgs>(),
        output_schema = schema::lead_created(),
        annotations(title = "Suggest a deal", read_only_hint = false, destructive_hint = false, idempotent_hint = true, open_world_hint = false)
    )]
    async fn suggest_deal(
        &self,
        Extension(request): Extension<Parts>,
        arguments: JsonObject,
    ) -> Result<CallToolResult, ErrorData> {
        let args = args::parse::<SuggestArgs>("suggest_deal", arguments)?;
        let lead = LeadRequest {
            customer_id: guid("customerId", &args.customer_id)?,
            customer_type: CustomerType::parse(&args.customer_type).ok_or_else(|| {
                invalid("customerType: must be 'account' or 'contact'".to_owned())
            })?,
            topic: args.topic,
            description: args.description,
            estimated_value: args.estimated_value.map(|value| Money {
                amount: value.amount,
                currency: value.currency,
            }),
            case_id: args
                .case_id
                .as_deref()
                .map(|id| guid("caseId", id))
                .transpose()?,
        };
        let key = idempotency_key(args.idempotency_key.as_deref())?;
        let identity = carried(&request);
        let share = &self.state().share;
        let answer = as_caller(
            &request,
            share.create_lead(identity.as_ref(), key.as_ref(), lead),
        )
        .await;
        written(answer, |lead: &dealpane_contract::LeadCreated| {
            format!("Suggested to the Sales team as lead {}.", lead.id)
        })
    }
}

fn carried(request: &Parts) -> Option<crate::auth::Identity> {
    request
        .extensions
        .get::<Carried>()
        .and_then(|carried| carried.0.clone())
}

fn guid(name: &str, text: &str) -> Result<Guid, ErrorData> {
    Guid::parse(text).map_err(|error| invalid(format!("{name}: '{text}' is not a GUID ({error})")))
}

/// The key as the HTTP routes check it (1 to 100 visible ASCII characters).
fn idempotency_key(text: Option<&str>) -> Result<Option<IdempotencyKey>, ErrorData> {
    let Some(text) = text else {
        return Ok(None);
    };
    let value = HeaderValue::from_str(text).map_err(|_| {
        invalid("idempotencyKey: may hold only visible ASCII characters, e.g. a UUID".to_owned())
    })?;
    let mut headers = HeaderMap::new();
    headers.insert(IDEMPOTENCY_KEY_HEADER, value);
    IdempotencyKey::from_headers(&headers).map_err(|error| {
        invalid(
            error
                .to_string()
                .replace("Idempotency-Key", "idempotencyKey"),
        )
    })
}

/// The write's answer as structured content and a sentence; a refusal as a tool error the
/// model can act on, and bad input as invalid params.
fn written<T: serde::de::DeserializeOwned + serde::Serialize>(
    answer: Result<Answer, ApiError>,
    sentence: impl Fn(&T) -> String,
) -> Result<CallToolResult, ErrorData> {
    let answer = match answer {
        Ok(answer) => answer,
        Err(error) => return refused(&error),
    };
    let created: T = serde_json::from_str(&answer.body)
        .map_err(|error| ErrorData::internal_error(error.to_string(), None))?;
    let mut text = sentence(&created);
    if answer.replayed {
        text.push_str(
            " (Already done by an earlier call with this idempotencyKey: nothing new was created.)",
        );
    }
    let value = serde_json::to_value(&created).expect("the contract types always serialize");
    let mut result = CallToolResult::structured(value);
    result.content = vec![ContentBlock::text(text)];
    Ok(result)
}

fn refused(error: &ApiError) -> Result<CallToolResult, ErrorData> {
    let status = error.status();
    let sentence = match status {
        StatusCode::BAD_REQUEST => return Err(invalid(error.to_string())),
        StatusCode::NOT_FOUND => format!(
            "{}. Check the id: get_customer_deals and search_customers give them.",
            error
        ),
        StatusCode::FORBIDDEN => "Sales refused this write: the agent (or dealpane's application \
            user) lacks the privilege to create it. Ask an administrator."
            .to_owned(),
        StatusCode::CONFLICT => "A call with this idempotencyKey is still being processed; call \
            again in a few seconds with the same key."
            .to_owned(),
        StatusCode::UNPROCESSABLE_ENTITY => "This idempotencyKey was already used for a \
            different request; use a new key for a new one."
            .to_owned(),
        StatusCode::NOT_IMPLEMENTED => "This dealpane server's Sales source does not accept \
            writes."
            .to_owned(),
        _ => {
            tracing::warn!(%error, "mcp: a write failed");
            "The Sales environment did not take it this time; call again with the same \
             idempotencyKey (nothing is created twice)."
                .to_owned()
        }
    };
    Ok(CallToolResult::error(vec![ContentBlock::text(sentence)]))
}
