//! Writes to Sales (issue 12), in Dataverse's terms: a task regarding an opportunity, for its
//! owner, and a lead for an account or contact. A source that can write hands out a
//! [`SalesWriter`] through [`super::SalesSource::writer`]; the reading trait stays as it was.
//! What the text says (subject, the case, who sent it) is decided in `crate::share`.

use async_trait::async_trait;
use dealpane_contract::{CustomerType, Guid, Money};

use super::SourceError;

/// Every task dealpane creates carries these in Dataverse's `category` and `subcategory`
/// columns, so its notes can be listed apart from the owner's own tasks.
pub const TASK_CATEGORY: &str = "Customer Service";
pub const TASK_SUBCATEGORY: &str = "dealpane";
/// What the subject of each such task starts with; the message's first words follow.
pub const TASK_SUBJECT_PREFIX: &str = "From Customer Service: ";
/// `lead.leadsourcecode` "Other" in the default option set (1 Advertisement ... 10 Other). An
/// environment with its own "Customer Service" option sets `--lead-source-code`.
pub const LEAD_SOURCE_OTHER: i32 = 10;

/// A task to create: regarding `deal_id`, owned by the deal's owner.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTask {
    pub deal_id: Guid,
    pub subject: String,
    pub description: String,
}

/// The task as created.
#[derive(Debug, Clone, PartialEq)]
pub struct CreatedTask {
    pub id: Guid,
    /// RFC 3339, UTC.
    pub created_on: String,
    /// The deal owner's name (user or team), when known.
    pub owner: Option<String>,
}

/// A dealpane task as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRow {
    pub id: Guid,
    pub subject: String,
    pub description: String,
    pub created_on: String,
    /// Who owns the task (the deal's owner when it was sent).
    pub owner: Option<String>,
    /// Dataverse's `createdby` name: the agent when created as the agent, else the app user.
    pub created_by: Option<String>,
}

/// A lead to create for a customer.
#[derive(Debug, Clone, PartialEq)]
pub struct NewLead {
    pub customer_id: Guid,
    pub customer_type: CustomerType,
    /// `lead.subject` (the topic).
    pub subject: String,
    pub description: Option<String>,
    pub estimated_value: Option<Money>,
    /// `lead.leadsourcecode`.
    pub source_code: i32,
}

/// Why a write did not happen.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The deal or customer does not exist (or the caller cannot see it); says which.
    #[error("{0}")]
    NotFound(String),
    /// Sales refused the caller (a missing privilege).
    #[error("{0}")]
    Refused(String),
    /// Sales refused a value (e.g. a currency it does not have); says which.
    #[error("{parameter}: {reason}")]
    Invalid {
        parameter: &'static str,
        reason: String,
    },
    #[error(transparent)]
    Source(#[from] SourceError),
}

#[async_trait]
pub trait SalesWriter: Send + Sync {
    /// Creates the task; [`WriteError::NotFound`] when the deal does not exist.
    async fn create_task(&self, task: &NewTask) -> Result<CreatedTask, WriteError>;

    /// At most `top` tasks regarding the deal that dealpane created, newest first;
    /// [`WriteError::NotFound`] when the deal does not exist.
    async fn dealpane_tasks(&self, deal_id: Guid, top: usize) -> Result<Vec<TaskRow>, WriteError>;

    /// Creates the lead and answers its id; [`WriteError::NotFound`] when the customer does
    /// not exist.
    async fn create_lead(&self, lead: &NewLead) -> Result<Guid, WriteError>;
}
