//! Writes to Dataverse (issue 12): `POST tasks` regarding an opportunity for its owner, and
//! `POST leads` for an account or contact. Lookups are set with `@odata.bind` to the related
//! record's address (`/opportunities(<id>)`); Dataverse answers `204 No Content` with the new
//! record's URL in `OData-EntityId`. A create is not retried after a failure that may have
//! created it (only after a throttling or a refusal that says it did not run).
//!
//! Navigation property names (task and lead entity references): `regardingobjectid_opportunity_task`
//! (task → opportunity), `ownerid` (→ `systemusers` or `teams`), `parentaccountid`,
//! `parentcontactid` and `transactioncurrencyid` (lead).

use async_trait::async_trait;
use dealpane_contract::{CustomerType, Guid};
use reqwest::StatusCode;
use serde_json::{json, Map, Value};

use super::client::Rejection;
use super::odata::{self, Query};
use super::DataverseSource;
use crate::source::writes::{
    CreatedTask, NewLead, NewTask, SalesWriter, TaskRow, WriteError, TASK_CATEGORY,
    TASK_SUBCATEGORY,
};
use crate::source::SourceError;

const FORMATTED: &str = "@OData.Community.Display.V1.FormattedValue";
/// Dataverse's ObjectDoesNotExist.
const DOES_NOT_EXIST: &str = "0x80040217";

/// A refused create or read, in the writer's terms.
fn refused(rejection: Rejection, missing: impl FnOnce() -> String) -> WriteError {
    let not_found =
        rejection.status == StatusCode::NOT_FOUND || rejection.message.contains(DOES_NOT_EXIST);
    match rejection.status {
        _ if not_found => WriteError::NotFound(missing()),
        StatusCode::FORBIDDEN => WriteError::Refused(rejection.message),
        // A value Sales will not hold (e.g. a description longer than the environment's
        // limit): the agent can shorten it, so it is theirs to see.
        StatusCode::BAD_REQUEST => WriteError::Invalid {
            parameter: "body",
            reason: format!(
                "the Sales environment refused a value: {}",
                rejection.message
            ),
        },
        _ => WriteError::Source(rejection.into()),
    }
}

/// The id at the end of an `OData-EntityId` URL: `…/tasks(<id>)`.
pub(super) fn entity_id(url: &str) -> Result<Guid, SourceError> {
    url.trim_end()
        .strip_suffix(')')
        .and_then(|rest| rest.rsplit_once('('))
        .and_then(|(_, id)| Guid::parse(id).ok())
        .ok_or_else(|| {
            SourceError::Upstream(format!(
                "Dataverse's OData-EntityId '{}' names no record id",
                url.chars().take(200).collect::<String>()
            ))
        })
}

fn text(row: &Map<String, Value>, key: &str) -> Option<String> {
    row.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl DataverseSource {
    /// The deal's owner: its address for `ownerid@odata.bind` and its name.
    async fn deal_owner(&self, deal_id: Guid) -> Result<(String, Option<String>), WriteError> {
        let url = self.url(
            &format!("opportunities({deal_id})"),
            &Query::new().select(&["_ownerid_value", "_owninguser_value", "_owningteam_value"]),
        )?;
        let row = self
            .client
            .try_get_json(&url, None, self.deadline())
            .await?
            .map_err(|rejection| refused(rejection, || format!("opportunity {deal_id}")))?;
        let row = row.as_object().cloned().unwrap_or_default();
        let name = text(&row, &format!("_ownerid_value{FORMATTED}"));
        // A user-owned record fills `owninguser`, a team-owned one `owningteam`.
        let owner = match (
            text(&row, "_owninguser_value"),
            text(&row, "_owningteam_value"),
        ) {
            (Some(user), _) => format!("/systemusers({user})"),
            (None, Some(team)) => format!("/teams({team})"),
            (None, None) => {
                return Err(WriteError::Source(SourceError::Upstream(format!(
                    "opportunity {deal_id} has no owning user or team"
                ))))
            }
        };
        Ok((owner, name))
    }

    /// `POST <set>` of `body`: the new record's id from `OData-EntityId`.
    async fn create(
        &self,
        set: &str,
        body: &Value,
        missing: impl FnOnce() -> String,
    ) -> Result<Guid, WriteError> {
        let url = self
            .api_root
            .join(set)
            .map_err(|error| SourceError::Upstream(format!("bad Dataverse URL ({error})")))?;
        let location = self
            .client
            .create(&url, body, self.deadline())
            .await?
            .map_err(|rejection| refused(rejection, missing))?;
        Ok(entity_id(&location)?)
    }

    async fn currency_id(&self, code: &str) -> Result<Guid, WriteError> {
        let query = Query::new()
            .select(&["transactioncurrencyid"])
            .filter(odata::eq_text("isocurrencycode", code));
        let rows = self
            .rows("transactioncurrencies", query, 1, None, self.deadline())
            .await?;
        rows.first()
            .and_then(|row| text(row, "transactioncurrencyid"))
            .and_then(|id| Guid::parse(&id).ok())
            .ok_or_else(|| WriteError::Invalid {
                parameter: "estimatedValue",
                reason: format!("the Sales environment has no currency {code}"),
            })
    }
}

#[async_trait]
impl SalesWriter for DataverseSource {
    async fn create_task(&self, task: &NewTask) -> Result<CreatedTask, WriteError> {
        let deal_id = task.deal_id;
        let (owner, owner_name) = self.deal_owner(deal_id).await?;
        let body = json!({
            "subject": task.subject,
            "description": task.description,
            "category": TASK_CATEGORY,
            "subcategory": TASK_SUBCATEGORY,
            "regardingobjectid_opportunity_task@odata.bind": format!("/opportunities({deal_id})"),
            "ownerid@odata.bind": owner,
        });
        let id = self
            .create("tasks", &body, || format!("opportunity {deal_id}"))
            .await?;
        Ok(CreatedTask {
            id,
            created_on: now(),
            owner: owner_name,
        })
    }

    async fn dealpane_tasks(&self, deal_id: Guid, top: usize) -> Result<Vec<TaskRow>, WriteError> {
        let query = Query::new()
            .select(&[
                "subject",
                "description",
                "createdon",
                "_ownerid_value",
                "_createdby_value",
            ])
            .filter(format!(
                "{} and {}",
                odata::eq_guid("_regardingobjectid_value", deal_id),
                odata::eq_text("subcategory", TASK_SUBCATEGORY)
            ))
            .order_by("createdon desc")
            .top(top as u32);
        let rows = self
            .rows("tasks", query, top, None, self.deadline())
            .await?;
        if rows.is_empty() {
            // No notes, or no such deal: only the deal's read tells which.
            self.deal_owner(deal_id).await?;
        }
        Ok(rows
            .iter()
            .filter_map(|row| {
                Some(TaskRow {
                    id: Guid::parse(&text(row, "activityid")?).ok()?,
                    subject: text(row, "subject").unwrap_or_default(),
                    description: text(row, "description").unwrap_or_default(),
                    created_on: text(row, "createdon")?,
                    owner: text(row, &format!("_ownerid_value{FORMATTED}")),
                    created_by: text(row, &format!("_createdby_value{FORMATTED}")),
                })
            })
            .collect())
    }

    async fn create_lead(&self, lead: &NewLead) -> Result<Guid, WriteError> {
        let mut body = json!({
            "subject": lead.subject,
            "leadsourcecode": lead.source_code,
        });
        let fields = body.as_object_mut().expect("an object");
        if let Some(description) = &lead.description {
            fields.insert("description".to_owned(), json!(description));
        }
        let customer = lead.customer_id;
        let (bind, address) = match lead.customer_type {
            CustomerType::Account => ("parentaccountid@odata.bind", "accounts"),
            CustomerType::Contact => ("parentcontactid@odata.bind", "contacts"),
        };
        fields.insert(bind.to_owned(), json!(format!("/{address}({customer})")));
        if let Some(value) = &lead.estimated_value {
            let currency = self.currency_id(&value.currency).await?;
            fields.insert("estimatedamount".to_owned(), json!(value.amount));
            fields.insert(
                "transactioncurrencyid@odata.bind".to_owned(),
                json!(format!("/transactioncurrencies({currency})")),
            );
        }
        let kind = lead.customer_type.as_str();
        self.create("leads", &body, || format!("{kind} {customer}"))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entity_id_is_read_from_the_url() {
        let id = entity_id(
            "https://contoso.crm.dynamics.com/api/data/v9.2/tasks(9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d)",
        )
        .unwrap();
        assert_eq!(id.to_string(), "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d");
        assert!(entity_id("https://x/api/data/v9.2/tasks").is_err());
    }
}
