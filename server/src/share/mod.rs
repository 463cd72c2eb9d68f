//! Share with Sales (issue 12): an agent's note reaches a deal's owner as a Sales task, and a
//! suggested deal becomes a Sales lead, each exactly once per `Idempotency-Key`.
//!
//! This room holds the rules: what is accepted (bounds, cleaning), what the records say
//! (`text`), who sent them (`sender`), and that a new note refreshes the deal's summary
//! (`marks`). The routes parse HTTP; the source's [`SalesWriter`] speaks Dataverse.

pub mod marks;
pub mod sender;
pub mod text;

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use dealpane_contract::{
    Guid, LeadCreated, LeadRequest, Money, Note, NoteList, NoteRequest, LEAD_DESCRIPTION_MAX_CHARS,
    LEAD_TOPIC_MAX_CHARS, NOTES_LIST_MAX, NOTE_MAX_CHARS,
};
use serde::Serialize;

pub use self::sender::{key_scope, Sender};
use self::text::Authorship;
use crate::auth::Identity;
use crate::error::ApiError;
use crate::idempotency::{Answer, Idempotency, IdempotencyKey};
use crate::shared_cache::SharedCache;
use crate::source::writes::{NewLead, NewTask, SalesWriter, WriteError, LEAD_SOURCE_OTHER};
use crate::source::SalesSource;

/// Dataverse's Money columns hold at most this much.
const MONEY_MAX: f64 = 1e12;

#[derive(Debug, Clone)]
pub struct ShareSettings {
    /// The sender's name when nobody signed in (`--agent-display-name`).
    pub agent_display_name: String,
    /// `lead.leadsourcecode` of created leads (`--lead-source-code`).
    pub lead_source_code: i32,
    /// One write's deadline.
    pub timeout: Duration,
}

impl Default for ShareSettings {
    fn default() -> Self {
        ShareSettings {
            agent_display_name: "Customer Service".to_owned(),
            lead_source_code: LEAD_SOURCE_OTHER,
            timeout: Duration::from_secs(12),
        }
    }
}

pub struct ShareService {
    source: Arc<dyn SalesSource>,
    cache: SharedCache,
    idempotency: Idempotency,
    settings: ShareSettings,
}

impl ShareService {
    pub fn new(
        source: Arc<dyn SalesSource>,
        cache: SharedCache,
        settings: ShareSettings,
    ) -> ShareService {
        ShareService {
            idempotency: Idempotency::new(cache.clone(), settings.timeout),
            source,
            cache,
            settings,
        }
    }

    /// Who is sending, from the request's identity.
    pub fn sender(&self, identity: Option<&Identity>) -> Sender {
        Sender::of(identity, &self.settings.agent_display_name)
    }

    /// `POST /api/deals/{dealId}/notes`: 201 with the [`Note`]. The identity signs it and
    /// scopes its `Idempotency-Key`.
    pub async fn create_note(
        &self,
        identity: Option<&Identity>,
        key: Option<&IdempotencyKey>,
        deal_id: Guid,
        request: NoteRequest,
    ) -> Result<Answer, ApiError> {
        let (sender, scope) = (self.sender(identity), key_scope(identity));
        let message = bounded_text("message", &request.message, NOTE_MAX_CHARS, true)?;
        let fingerprint = fingerprint(&(deal_id, &request));
        let task = NewTask {
            deal_id,
            subject: text::subject(&message),
            description: text::description(&message, request.case_id, &sender.name, sender.by),
        };
        let (source, cache, timeout) = (self.source.clone(), self.cache.clone(), self.timeout());
        let route = format!("notes:{deal_id}");
        self.idempotency
            .run(key, &scope, &route, &fingerprint, move || async move {
                let writer = writer(&*source)?;
                let created = within(timeout, writer.create_task(&task))
                    .await
                    .map_err(|error| write_error(error, Missing::Deal(deal_id)))?;
                marks::record(&cache, deal_id, &created.created_on).await;
                let note = Note {
                    id: created.id,
                    created_on: created.created_on,
                    created_by: sender.name,
                    message,
                    case_id: request.case_id,
                    owner: created.owner,
                };
                Ok(Answer::new(StatusCode::CREATED, to_json(&note)))
            })
            .await
    }

    /// `GET /api/deals/{dealId}/notes`: the notes sent through dealpane, newest first.
    pub async fn list_notes(&self, deal_id: Guid) -> Result<NoteList, ApiError> {
        let writer = writer(&*self.source)?;
        let rows = within(
            self.timeout(),
            writer.dealpane_tasks(deal_id, NOTES_LIST_MAX),
        )
        .await
        .map_err(|error| write_error(error, Missing::Deal(deal_id)))?;
        let mut notes: Vec<Note> = rows
            .into_iter()
            .map(|row| {
                let parsed = text::parse(&row.description);
                Note {
                    id: row.id,
                    created_on: row.created_on,
                    created_by: parsed
                        .sender
                        .or(row.created_by)
                        .unwrap_or_else(|| self.settings.agent_display_name.clone()),
                    message: parsed.message,
                    case_id: parsed.case_id,
                    owner: row.owner,
                }
            })
            .collect();
        notes.sort_by(|a, b| b.created_on.cmp(&a.created_on));
        if let Some(latest) = notes.first() {
            // Notes sent before this instance started (or by another) refresh summaries too.
            marks::record(&self.cache, deal_id, &latest.created_on).await;
        }
        Ok(NoteList { notes })
    }

    /// `POST /api/leads`: 201 with the lead's id; signed and scoped as a note.
    pub async fn create_lead(
        &self,
        identity: Option<&Identity>,
        key: Option<&IdempotencyKey>,
        request: LeadRequest,
    ) -> Result<Answer, ApiError> {
        let (sender, scope) = (self.sender(identity), key_scope(identity));
        let topic = text::one_line(&request.topic);
        let topic = bounded_text("topic", &topic, LEAD_TOPIC_MAX_CHARS, true)?;
        let description = request
            .description
            .as_deref()
            .map(|text| bounded_text("description", text, LEAD_DESCRIPTION_MAX_CHARS, false))
            .transpose()?
            .unwrap_or_default();
        let estimated_value = request
            .estimated_value
            .as_ref()
            .map(checked_money)
            .transpose()?;
        let fingerprint = fingerprint(&request);
        let lead = NewLead {
            customer_id: request.customer_id,
            customer_type: request.customer_type,
            subject: topic,
            description: Some(lead_description(
                &description,
                request.case_id,
                &sender.name,
                sender.by,
            )),
            estimated_value,
            source_code: self.settings.lead_source_code,
        };
        let (source, timeout) = (self.source.clone(), self.timeout());
        let missing = Missing::Customer(request.customer_type.as_str(), request.customer_id);
        self.idempotency
            .run(key, &scope, "leads", &fingerprint, move || async move {
                let writer = writer(&*source)?;
                let id = within(timeout, writer.create_lead(&lead))
                    .await
                    .map_err(|error| write_error(error, missing))?;
                Ok(Answer::new(
                    StatusCode::CREATED,
                    to_json(&LeadCreated { id }),
                ))
            })
            .await
    }

    fn timeout(&self) -> Duration {
        self.settings.timeout
    }
}

/// The lead's description: the agent's words (if any), the case and who suggested it.
fn lead_description(text: &str, case_id: Option<Guid>, name: &str, by: Authorship) -> String {
    let full = text::description(text, case_id, name, by);
    if text.is_empty() {
        full.trim_start().to_owned()
    } else {
        full
    }
}

fn writer(source: &dyn SalesSource) -> Result<&dyn SalesWriter, ApiError> {
    source.writer().ok_or(ApiError::WritesUnsupported)
}

/// Cleaned (control characters removed, trimmed) and at most `max` characters; blank is an
/// error when `required`.
fn bounded_text(
    field: &'static str,
    raw: &str,
    max: usize,
    required: bool,
) -> Result<String, ApiError> {
    let cleaned = text::clean(raw);
    let chars = cleaned.chars().count();
    if required && chars == 0 {
        return Err(ApiError::bad(field, "must not be empty"));
    }
    if chars > max {
        return Err(ApiError::bad(
            field,
            format!("is {chars} characters long; at most {max} are accepted"),
        ));
    }
    Ok(cleaned)
}

fn checked_money(money: &Money) -> Result<Money, ApiError> {
    if !money.amount.is_finite() || !(0.0..=MONEY_MAX).contains(&money.amount) {
        return Err(ApiError::bad(
            "estimatedValue",
            format!("amount must be from 0 to {MONEY_MAX}"),
        ));
    }
    let currency = money.currency.trim().to_ascii_uppercase();
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(ApiError::bad(
            "estimatedValue",
            "currency must be an ISO 4217 code such as USD",
        ));
    }
    Ok(Money {
        amount: money.amount,
        currency,
    })
}

/// What a 404 names.
#[derive(Debug, Clone, Copy)]
enum Missing {
    Deal(Guid),
    Customer(&'static str, Guid),
}

fn write_error(error: WriteError, missing: Missing) -> ApiError {
    match error {
        WriteError::NotFound(_) => match missing {
            Missing::Deal(id) => {
                ApiError::DealNotFound(format!("No deal with id {id} in the Sales environment."))
            }
            Missing::Customer(kind, id) => ApiError::CustomerNotFound(format!(
                "No {kind} with id {id} in the Sales environment."
            )),
        },
        WriteError::Refused(message) => ApiError::SalesRefused(message),
        WriteError::Invalid { parameter, reason } => ApiError::bad(parameter, reason),
        WriteError::Source(source) => ApiError::from(&source),
    }
}

async fn within<T>(
    timeout: Duration,
    work: impl std::future::Future<Output = Result<T, WriteError>>,
) -> Result<T, WriteError> {
    tokio::time::timeout(timeout, work)
        .await
        .unwrap_or(Err(WriteError::Source(crate::source::SourceError::Timeout)))
}

fn fingerprint(request: &impl Serialize) -> String {
    serde_json::to_string(request).expect("requests serialize")
}

fn to_json(value: &impl Serialize) -> String {
    serde_json::to_string(value).expect("contract types serialize")
}
