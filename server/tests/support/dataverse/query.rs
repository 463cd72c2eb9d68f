//! Collection queries: `$select`, `$filter`, `$orderby`, `$top`, `$expand`, annotations and
//! `@odata.nextLink` paging.

use axum::http::StatusCode;
use axum::response::Response;
use dealpane_contract::Guid;
use serde_json::{json, Map, Value};

use super::{
    filter, odata_error, odata_response, RecordedRequest, State, API, FORMATTED, LOGICAL_NAME,
    NAVIGATION,
};

pub(super) fn collection(
    state: &State,
    set: &str,
    request: &RecordedRequest,
    raw_query: &str,
) -> Response {
    match run_query(state, set, request, raw_query) {
        Ok((body, applied)) => odata_response(StatusCode::OK, body.to_string(), &applied),
        Err(message) => odata_error(StatusCode::BAD_REQUEST, "0x80060888", &message),
    }
}

/// `transactioncurrencies(<guid>)` → the entity set and the key, when the set exists.
pub(super) fn entity_address(state: &State, resource: &str) -> Option<(&'static str, Guid)> {
    let (set, rest) = resource.split_once('(')?;
    let id = Guid::parse(rest.strip_suffix(')')?).ok()?;
    let set = state.tables.keys().find(|known| **known == set).copied()?;
    Some((set, id))
}

/// A single-record read: the row with its `$select`ed columns and the key, `@odata.context`
/// ending in `/$entity`, no `value` wrapper; 404 `ObjectDoesNotExist` when there is no row.
pub(super) fn entity(state: &State, set: &str, id: Guid, request: &RecordedRequest) -> Response {
    let table = &state.tables[set];
    let select: Vec<String> = match request.option("$select") {
        Some(list) => list.split(',').map(|c| c.trim().to_owned()).collect(),
        None => table.columns.iter().map(|c| c.to_string()).collect(),
    };
    if let Err(message) = select
        .iter()
        .try_for_each(|c| check_property(state, set, c))
    {
        return odata_error(StatusCode::BAD_REQUEST, "0x80060888", &message);
    }
    let Some(row) = table
        .rows
        .iter()
        .find(|row| row[table.key].as_str() == Some(id.to_string().as_str()))
    else {
        return odata_error(
            StatusCode::NOT_FOUND,
            "0x80040217",
            &format!("{} With Id = {id} Does Not Exist", table.logical_name),
        );
    };
    let annotations = request
        .prefer
        .iter()
        .find_map(|p| p.strip_prefix("odata.include-annotations="))
        .map(|list| list.trim_matches('"').to_owned());
    match render(state, set, row, &select, annotations.as_deref(), request) {
        Ok(Value::Object(mut body)) => {
            body.insert(
                "@odata.context".into(),
                json!(format!(
                    "{}{API}$metadata#{set}({})/$entity",
                    state.base_url,
                    select.join(",")
                )),
            );
            odata_response(StatusCode::OK, Value::Object(body).to_string(), &[])
        }
        Ok(_) => odata_error(StatusCode::INTERNAL_SERVER_ERROR, "", "render failed"),
        Err(message) => odata_error(StatusCode::BAD_REQUEST, "0x80060888", &message),
    }
}

fn run_query(
    state: &State,
    set: &str,
    request: &RecordedRequest,
    raw_query: &str,
) -> Result<(Value, Vec<String>), String> {
    let table = &state.tables[set];
    for (name, _) in &request.query {
        if name.starts_with('$')
            && ![
                "$select",
                "$filter",
                "$orderby",
                "$top",
                "$expand",
                "$skiptoken",
            ]
            .contains(&name.as_str())
        {
            return Err(format!("The query parameter {name} is not supported"));
        }
    }
    let select: Vec<String> = match request.option("$select") {
        Some(list) => list.split(',').map(|c| c.trim().to_owned()).collect(),
        None => table.columns.iter().map(|c| c.to_string()).collect(),
    };
    for column in &select {
        check_property(state, set, column)?;
    }
    let filter = match request.option("$filter") {
        Some(text) => Some(filter::parse(text, &|path| {
            check_property(state, set, path)
        })?),
        None => None,
    };
    let mut rows: Vec<&Map<String, Value>> = table
        .rows
        .iter()
        .filter(|row| {
            filter
                .as_ref()
                .is_none_or(|f| f.matches(&|path| property(state, set, row, path)))
        })
        .collect();
    if let Some(order) = request.option("$orderby") {
        let mut keys = Vec::new();
        for item in order.split(',') {
            let mut words = item.split_whitespace();
            let column = words.next().unwrap_or("").to_owned();
            check_property(state, set, &column)?;
            let descending = match words.next() {
                None | Some("asc") => false,
                Some("desc") => true,
                Some(other) => return Err(format!("Syntax error: '{other}' in $orderby")),
            };
            keys.push((column, descending));
        }
        rows.sort_by(|a, b| {
            keys.iter()
                .map(|(column, descending)| {
                    let ordering = filter::compare_for_order(
                        &property(state, set, a, column),
                        &property(state, set, b, column),
                    );
                    if *descending {
                        ordering.reverse()
                    } else {
                        ordering
                    }
                })
                .find(|ordering| ordering.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    }
    if let Some(top) = request.option("$top") {
        let top: usize = top
            .parse()
            .map_err(|_| format!("Invalid $top value '{top}'"))?;
        rows.truncate(top);
    }
    let mut applied = Vec::new();
    let annotations = request
        .prefer
        .iter()
        .find_map(|p| p.strip_prefix("odata.include-annotations="))
        .map(|list| list.trim_matches('"').to_owned());
    if let Some(list) = &annotations {
        applied.push(format!("odata.include-annotations=\"{list}\""));
    }
    let page_size = request
        .prefer
        .iter()
        .find_map(|p| p.strip_prefix("odata.maxpagesize="))
        .and_then(|size| size.parse::<usize>().ok())
        .map(|size| {
            applied.push(format!("odata.maxpagesize={size}"));
            size.clamp(1, 5000)
        })
        .unwrap_or(5000);
    let skip: usize = request
        .option("$skiptoken")
        .and_then(|token| token.strip_prefix("page-"))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let page: Vec<Value> = rows
        .iter()
        .skip(skip)
        .take(page_size)
        .map(|row| render(state, set, row, &select, annotations.as_deref(), request))
        .collect::<Result<_, _>>()?;
    let mut body = Map::new();
    body.insert(
        "@odata.context".into(),
        json!(format!(
            "{}{API}$metadata#{set}({})",
            state.base_url,
            select.join(",")
        )),
    );
    body.insert("value".into(), Value::Array(page));
    if rows.len() > skip + page_size {
        let kept: Vec<&str> = raw_query
            .split('&')
            .filter(|pair| !pair.starts_with("$skiptoken="))
            .collect();
        body.insert(
            "@odata.nextLink".into(),
            json!(format!(
                "{}{API}{set}?{}&$skiptoken=page-{}",
                state.base_url,
                kept.join("&"),
                skip + page_size
            )),
        );
    }
    Ok((Value::Object(body), applied))
}

/// The single-valued navigation properties the stand-in knows: (lookup, target set, kind).
fn navigation(set: &str, name: &str) -> Option<(&'static str, &'static str, Option<&'static str>)> {
    match (set, name) {
        ("opportunities", "customerid_account") => {
            Some(("_customerid_value", "accounts", Some("account")))
        }
        ("opportunities", "customerid_contact") => {
            Some(("_customerid_value", "contacts", Some("contact")))
        }
        ("opportunities", "transactioncurrencyid") => Some((
            "_transactioncurrencyid_value",
            "transactioncurrencies",
            None,
        )),
        _ => None,
    }
}

fn check_property(state: &State, set: &str, path: &str) -> Result<(), String> {
    let table = &state.tables[set];
    // Without the Forecasting solution the column does not exist at all.
    let removed = !state.forecasting && set == "opportunities" && path == "msdyn_forecastcategory";
    let known = !removed
        && match path.split_once('/') {
            Some((nav, column)) => navigation(set, nav)
                .is_some_and(|(_, target, _)| state.tables[target].columns.contains(&column)),
            None => table.columns.contains(&path),
        };
    if known {
        Ok(())
    } else {
        Err(format!(
            "Could not find a property named '{path}' on type 'Microsoft.Dynamics.CRM.{}'.",
            table.logical_name
        ))
    }
}

fn related<'a>(
    state: &'a State,
    set: &str,
    row: &Map<String, Value>,
    nav: &str,
) -> Option<&'a Map<String, Value>> {
    let (lookup, target, kind) = navigation(set, nav)?;
    if let Some(kind) = kind {
        if row.get(&format!("{lookup}{LOGICAL_NAME}")) != Some(&json!(kind)) {
            return None;
        }
    }
    let id = row.get(lookup)?.as_str()?;
    let target = &state.tables[target];
    target
        .rows
        .iter()
        .find(|candidate| candidate[target.key].as_str() == Some(id))
}

fn property(state: &State, set: &str, row: &Map<String, Value>, path: &str) -> Value {
    match path.split_once('/') {
        Some((nav, column)) => related(state, set, row, nav)
            .and_then(|target| target.get(column).cloned())
            .unwrap_or(Value::Null),
        None => row.get(path).cloned().unwrap_or(Value::Null),
    }
}

fn render(
    state: &State,
    set: &str,
    row: &Map<String, Value>,
    select: &[String],
    annotations: Option<&str>,
    request: &RecordedRequest,
) -> Result<Value, String> {
    let table = &state.tables[set];
    let wants = |term: &str| {
        annotations.is_some_and(|list| {
            list.split(',')
                .any(|asked| asked == "*" || asked == term.trim_start_matches('@'))
        })
    };
    let mut columns: Vec<&str> = select.iter().map(String::as_str).collect();
    columns.push(table.key);
    if columns.contains(&"estimatedvalue") {
        columns.push("_transactioncurrencyid_value");
    }
    let mut out = Map::new();
    out.insert(
        "@odata.etag".into(),
        json!(format!("W/\"{}\"", state.etag + row.len() as u64)),
    );
    for column in columns {
        if out.contains_key(column) {
            continue;
        }
        let value = row.get(column).cloned().unwrap_or(Value::Null);
        if !value.is_null() {
            for term in [FORMATTED, LOGICAL_NAME, NAVIGATION] {
                let key = format!("{column}{term}");
                if let (Some(annotation), true) = (row.get(&key), wants(term)) {
                    out.insert(key, annotation.clone());
                }
            }
        }
        out.insert(column.to_owned(), value);
    }
    if let Some(expand) = request.option("$expand") {
        for item in split_top_level(expand) {
            let (nav, options) = match item.split_once('(') {
                Some((nav, rest)) => (nav.trim(), rest.trim_end_matches(')')),
                None => (item.trim(), ""),
            };
            let (_, target_set, _) = navigation(set, nav).ok_or_else(|| {
                format!(
                    "Could not find a property named '{nav}' on type 'Microsoft.Dynamics.CRM.{}'.",
                    table.logical_name
                )
            })?;
            let target = &state.tables[target_set];
            let mut wanted: Vec<&str> = match options.strip_prefix("$select=") {
                Some(list) => list.split(',').collect(),
                None => target.columns.to_vec(),
            };
            wanted.push(target.key);
            let expanded = related(state, set, row, nav).map(|related| {
                let mut object = Map::new();
                for column in wanted {
                    object.insert(
                        column.to_owned(),
                        related.get(column).cloned().unwrap_or(Value::Null),
                    );
                }
                Value::Object(object)
            });
            out.insert(nav.to_owned(), expanded.unwrap_or(Value::Null));
        }
    }
    Ok(Value::Object(out))
}

/// `a($select=x,y),b` → `["a($select=x,y)", "b"]`.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (at, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}
