//! Impersonation: a request with `CallerObjectId` runs as that Sales user, who sees only the
//! opportunities they own (by the owner's name, the formatted `_ownerid_value`); the other rows
//! are out of the tables for that one request. The users are the local issuer's test users
//! Alex Wu and Dana Seller ([`dealpane_server::dev_issuer::TEST_USERS`]); Riley Newhire is not
//! a Sales user.
//!
//! Not documented, so chosen here: an object id Sales does not know gets a 404
//! `0x80040217` (ObjectDoesNotExist) naming `systemuser`; a disabled user gets a 403
//! `0x80040225` (UserIsDisabled), the web service error codes' names.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::Response;
use dealpane_server::dev_issuer::TEST_USERS;
use serde_json::{Map, Value};

use super::requests::RecordedRequest;
use super::{odata_error, DataverseStandin, State, FORMATTED};

pub(super) struct SalesUser {
    name: String,
    enabled: bool,
}

/// Sales users by Entra object id (lowercase).
pub(super) struct Users(HashMap<String, SalesUser>);

impl Default for Users {
    fn default() -> Self {
        let known = TEST_USERS
            .iter()
            .filter(|user| user.name != "Riley Newhire")
            .map(|user| {
                let user_record = SalesUser {
                    name: user.name.to_owned(),
                    enabled: true,
                };
                (user.oid.to_owned(), user_record)
            });
        Users(known.collect())
    }
}

/// Rows taken out for one request: (table, rows).
pub(super) type Hidden = Vec<Map<String, Value>>;

impl DataverseStandin {
    /// The user can no longer sign in to Sales (requests made as them are refused).
    pub fn disable_user(&self, oid: &str) {
        self.with(|state| {
            if let Some(user) = state.users.0.get_mut(oid) {
                user.enabled = false;
            }
        });
    }
}

/// Takes out the opportunities the caller does not own, or refuses an unknown or disabled
/// caller. Without `CallerObjectId` the request runs as the application user: everything.
pub(super) fn see_as_caller(
    state: &mut State,
    request: &RecordedRequest,
) -> Result<Hidden, Box<Response>> {
    let Some(oid) = request.caller_object_id.as_deref() else {
        return Ok(Vec::new());
    };
    let Some(user) = state.users.0.get(&oid.to_ascii_lowercase()) else {
        return Err(Box::new(odata_error(
            StatusCode::NOT_FOUND,
            "0x80040217",
            &format!("systemuser With azureactivedirectoryobjectid = {oid} Does Not Exist"),
        )));
    };
    if !user.enabled {
        return Err(Box::new(odata_error(
            StatusCode::FORBIDDEN,
            "0x80040225",
            &format!("The specified user (azureactivedirectoryobjectid = {oid}) is disabled."),
        )));
    }
    let name = Value::String(user.name.clone());
    let owner = format!("_ownerid_value{FORMATTED}");
    let rows = &mut state.tables.get_mut("opportunities").unwrap().rows;
    let (mine, others): (Vec<_>, Vec<_>) = rows
        .drain(..)
        .partition(|row| row.get(&owner) == Some(&name));
    *rows = mine;
    Ok(others)
}

/// Puts back what [`see_as_caller`] took out.
pub(super) fn show_all(state: &mut State, hidden: Hidden) {
    state
        .tables
        .get_mut("opportunities")
        .unwrap()
        .rows
        .extend(hidden);
}
