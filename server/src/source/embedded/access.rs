//! Who the store answers as (issue 11): the embedded counterpart of Dataverse's
//! `CallerObjectId`. With `--sales-identity agent`, every read and write runs for the signed-in
//! agent ([`crate::auth::acting_for`]), and the `systemuser` table says whether Sales knows them,
//! whether they are enabled, and how far their security role lets them read opportunities:
//! their own (a salesperson's user-level read) or the whole organization's (a sales manager's).
//! An agent Sales does not know, or has disabled, is refused with Dataverse's words, which the
//! API answers as 403 "No access to Sales deals". With no agent (the application user) the
//! store reads everything, as before.

use dealpane_contract::Guid;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::fixtures::SALES_USERS;

/// The table and the fixtures' users in it. Schema version 4 added it.
const CREATE: &str = "
CREATE TABLE systemuser (
    systemuserid                 TEXT PRIMARY KEY,
    -- The Entra object id (`oid`) Sales matches CallerObjectId against, lowercase.
    azureactivedirectoryobjectid TEXT NOT NULL UNIQUE,
    fullname                     TEXT NOT NULL,
    isdisabled                   INTEGER NOT NULL DEFAULT 0 CHECK (isdisabled IN (0, 1)),
    -- The depth of the opportunity read privilege in the user's security role.
    opportunityreaddepth         TEXT NOT NULL CHECK (opportunityreaddepth IN ('user', 'organization'))
);
";

/// How far a Sales user's role lets them read opportunities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadDepth {
    /// Only the deals they own (Salesperson).
    User,
    /// Every deal (Sales Manager).
    Organization,
}

impl ReadDepth {
    fn as_str(self) -> &'static str {
        match self {
            ReadDepth::User => "user",
            ReadDepth::Organization => "organization",
        }
    }
}

/// Creates the table and adds the fixtures' Sales users.
pub(super) fn create(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(CREATE)?;
    let mut insert = tx.prepare(
        "INSERT INTO systemuser (systemuserid, azureactivedirectoryobjectid, fullname,
             opportunityreaddepth)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for user in SALES_USERS {
        insert.execute([
            user.id.to_string().as_str(),
            user.oid,
            user.name,
            user.reads.as_str(),
        ])?;
    }
    Ok(())
}

/// Whose opportunities a query may return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Sees {
    Everything,
    /// Those whose `_ownerid_value` is this `systemuserid`.
    OwnedBy(String),
}

impl Sees {
    /// The owner to filter opportunities by; `None`: no filter.
    pub(super) fn owner(&self) -> Option<&str> {
        match self {
            Sees::Everything => None,
            Sees::OwnedBy(id) => Some(id),
        }
    }
}

/// Whether the deal exists and `sees` covers it.
pub(super) fn visible(conn: &Connection, deal: Guid, sees: &Sees) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT count(*) FROM opportunity
         WHERE opportunityid = ?1 AND (?2 IS NULL OR _ownerid_value = ?2)",
    )?
    .query_row(params![deal.to_string(), sees.owner()], |row| {
        row.get::<_, i64>(0)
    })
    .map(|found| found > 0)
}

/// What `caller` (an Entra object id; `None`: the application user) may read, or Dataverse's
/// message for refusing them.
pub(super) fn sees(
    conn: &Connection,
    caller: Option<&str>,
) -> rusqlite::Result<Result<Sees, String>> {
    let Some(oid) = caller else {
        return Ok(Ok(Sees::Everything));
    };
    let user: Option<(String, bool, String)> = conn
        .prepare_cached(
            "SELECT systemuserid, isdisabled, opportunityreaddepth FROM systemuser
             WHERE azureactivedirectoryobjectid = ?1",
        )?
        .query_row([oid.to_ascii_lowercase()], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .optional()?;
    Ok(match user {
        None => Err(format!(
            "systemuser With azureactivedirectoryobjectid = {oid} Does Not Exist"
        )),
        Some((_, true, _)) => Err(format!(
            "The specified user (azureactivedirectoryobjectid = {oid}) is disabled."
        )),
        Some((_, false, depth)) if depth == ReadDepth::Organization.as_str() => {
            Ok(Sees::Everything)
        }
        Some((id, false, _)) => Ok(Sees::OwnedBy(id)),
    })
}
