//! The embedded store's writes (issue 12): tasks regarding an opportunity and leads, in tables
//! that mirror Dataverse's columns, through the store's one writer connection.

use chrono::{SecondsFormat, Utc};
use dealpane_contract::{CustomerType, Guid};
use rusqlite::{params, Connection, OptionalExtension};

use super::access::Sees;
use crate::source::writes::{
    CreatedTask, NewLead, NewTask, TaskRow, WriteError, TASK_CATEGORY, TASK_SUBCATEGORY,
};

/// RFC 3339, UTC, whole seconds, as the store's other timestamps.
fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A new record's id, as Dataverse makes one.
fn new_id() -> Guid {
    Guid::parse(&uuid::Uuid::new_v4().to_string()).expect("a UUID is a GUID")
}

/// The deal's owner (`_ownerid_value`, its name), or `None` when the deal does not exist or
/// the caller cannot read it.
fn deal_owner(
    conn: &Connection,
    deal_id: Guid,
    sees: &Sees,
) -> rusqlite::Result<Option<(Option<String>, Option<String>)>> {
    conn.prepare_cached(
        "SELECT _ownerid_value, owneridname FROM opportunity
         WHERE opportunityid = ?1 AND (?2 IS NULL OR _ownerid_value = ?2)",
    )?
    .query_row(params![deal_id.to_string(), sees.owner()], |row| {
        Ok((row.get(0)?, row.get(1)?))
    })
    .optional()
}

fn not_found(deal_id: Guid) -> WriteError {
    WriteError::NotFound(format!("opportunity {deal_id}"))
}

pub fn create_task(
    conn: &Connection,
    task: &NewTask,
    sees: &Sees,
) -> Result<CreatedTask, WriteError> {
    let (owner_id, owner) = deal_owner(conn, task.deal_id, sees)
        .map_err(store_error)?
        .ok_or_else(|| not_found(task.deal_id))?;
    let id = new_id();
    let created_on = now();
    conn.prepare_cached(
        "INSERT INTO task (activityid, subject, description, category, subcategory,
             _regardingobjectid_value, regardingobjecttypecode, _ownerid_value, owneridtype,
             owneridname, statecode, createdon)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'opportunity', ?7, 'systemuser', ?8, 0, ?9)",
    )
    .and_then(|mut insert| {
        insert.execute(params![
            id.to_string(),
            task.subject,
            task.description,
            TASK_CATEGORY,
            TASK_SUBCATEGORY,
            task.deal_id.to_string(),
            owner_id,
            owner,
            created_on,
        ])
    })
    .map_err(store_error)?;
    Ok(CreatedTask {
        id,
        created_on,
        owner,
    })
}

/// Newest first; the same second's in the order written, latest first.
pub fn dealpane_tasks(
    conn: &Connection,
    deal_id: Guid,
    sees: &Sees,
    top: usize,
) -> Result<Vec<TaskRow>, WriteError> {
    if deal_owner(conn, deal_id, sees)
        .map_err(store_error)?
        .is_none()
    {
        return Err(not_found(deal_id));
    }
    let mut query = conn
        .prepare_cached(
            "SELECT activityid, subject, description, createdon, owneridname FROM task
             WHERE _regardingobjectid_value = ?1 AND subcategory = ?2
             ORDER BY createdon DESC, rowid DESC LIMIT ?3",
        )
        .map_err(store_error)?;
    let rows = query
        .query_map(
            params![deal_id.to_string(), TASK_SUBCATEGORY, top as i64],
            |row| {
                let id: String = row.get(0)?;
                Ok(TaskRow {
                    id: Guid::parse(&id).map_err(|error| {
                        rusqlite::Error::FromSqlConversionFailure(
                            0,
                            rusqlite::types::Type::Text,
                            Box::new(error),
                        )
                    })?,
                    subject: row.get(1)?,
                    description: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    created_on: row.get(3)?,
                    owner: row.get(4)?,
                    created_by: None,
                })
            },
        )
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(store_error)?;
    Ok(rows)
}

/// The latest dealpane task's subject, its owner and its day, for the summary.
pub fn latest_note(
    conn: &Connection,
    deal_id: Guid,
) -> rusqlite::Result<Option<(String, Option<String>, String)>> {
    conn.prepare_cached(
        "SELECT subject, owneridname, createdon FROM task
         WHERE _regardingobjectid_value = ?1 AND subcategory = ?2
         ORDER BY createdon DESC, rowid DESC LIMIT 1",
    )?
    .query_row(params![deal_id.to_string(), TASK_SUBCATEGORY], |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
    })
    .optional()
}

pub fn create_lead(conn: &Connection, lead: &NewLead) -> Result<Guid, WriteError> {
    let customer = lead.customer_id.to_string();
    let exists_sql = match lead.customer_type {
        CustomerType::Account => "SELECT count(*) FROM account WHERE accountid = ?1",
        CustomerType::Contact => "SELECT count(*) FROM contact WHERE contactid = ?1",
    };
    let exists: i64 = conn
        .query_row(exists_sql, [&customer], |row| row.get(0))
        .map_err(store_error)?;
    if exists == 0 {
        return Err(WriteError::NotFound(format!(
            "{} {customer}",
            lead.customer_type.as_str()
        )));
    }
    let currency = match &lead.estimated_value {
        Some(value) => Some(
            conn.query_row(
                "SELECT transactioncurrencyid FROM transactioncurrency WHERE isocurrencycode = ?1",
                [&value.currency],
                |row| row.get::<_, String>(0),
            )
            .optional()
            .map_err(store_error)?
            .ok_or_else(|| WriteError::Invalid {
                parameter: "estimatedValue",
                reason: format!("the Sales environment has no currency {}", value.currency),
            })?,
        ),
        None => None,
    };
    let (account, contact) = match lead.customer_type {
        CustomerType::Account => (Some(customer), None),
        CustomerType::Contact => (None, Some(customer)),
    };
    let id = new_id();
    conn.execute(
        "INSERT INTO lead (leadid, subject, description, _parentaccountid_value,
             _parentcontactid_value, estimatedamount, _transactioncurrencyid_value,
             leadsourcecode, statecode, createdon)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9)",
        params![
            id.to_string(),
            lead.subject,
            lead.description,
            account,
            contact,
            lead.estimated_value.as_ref().map(|value| value.amount),
            currency,
            lead.source_code,
            now(),
        ],
    )
    .map_err(store_error)?;
    Ok(id)
}

fn store_error(error: rusqlite::Error) -> WriteError {
    WriteError::Source(crate::source::SourceError::Upstream(format!(
        "the embedded Sales store failed: {error}"
    )))
}
