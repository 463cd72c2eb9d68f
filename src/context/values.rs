//! How the URL's parameters are collected: names in any case, the `data` parameter's three
//! forms (a nested query string, a JSON object, a bare GUID), and conflicts between values.

use dealpane_contract::percent::decode_lenient;
use dealpane_contract::Guid;

use crate::api::json::Json;

use super::{ContextError, CASE_ID, CUSTOMER_ID, CUSTOMER_TYPE, DATA, KNOWN, LANG, THEME};
/// A parameter's value and the parameter an admin should look at when it is wrong.
#[derive(Debug)]
pub(super) struct Value {
    pub(super) text: String,
    pub(super) origin: &'static str,
}

#[derive(Debug, Default)]
pub(super) struct Values(Vec<(&'static str, Value)>);

impl Values {
    pub(super) fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    fn insert(
        &mut self,
        name: &'static str,
        text: String,
        origin: &'static str,
    ) -> Result<(), ContextError> {
        let text = text.trim().to_owned();
        if text.is_empty() {
            return Ok(());
        }
        match self.get(name) {
            Some(existing) if same_value(name, &existing.text, &text) => Ok(()),
            Some(_) => Err(ContextError::Conflict { parameter: name }),
            None => {
                self.0.push((name, Value { text, origin }));
                Ok(())
            }
        }
    }

    /// One top-level parameter; `data` is opened up. `lenient` drops what fails.
    pub(super) fn add_param(
        &mut self,
        name: &str,
        value: String,
        lenient: bool,
    ) -> Result<(), ContextError> {
        if name.eq_ignore_ascii_case(DATA) {
            return match self.add_data(&value) {
                Err(_) if lenient => Ok(()),
                other => other,
            };
        }
        // A part without `=` is a bare value: `?{guid}`.
        let canonical = if name.is_empty() {
            Some(CUSTOMER_ID)
        } else {
            canonical_name(name)
        };
        match canonical {
            Some(canonical) => match self.insert(canonical, value, canonical) {
                Err(_) if lenient => Ok(()),
                other => other,
            },
            None => Ok(()), // Not ours (e.g. the web resource's `orglcid`): ignore.
        }
    }

    /// The `data` parameter: a bare GUID, a JSON object, or a nested query string.
    fn add_data(&mut self, data: &str) -> Result<(), ContextError> {
        let mut text = data.trim().to_owned();
        // Encoded once more by the admin: `customerId%3D…` or `%7B%22customerId…`.
        if !text.contains('=') && !text.starts_with('{') && text.contains('%') {
            text = decode_lenient(&text, false).trim().to_owned();
        }
        if text.is_empty() {
            return Ok(());
        }
        if looks_like_json(&text) {
            return self.add_json(&text);
        }
        if text.contains('=') {
            for (name, value) in pairs(&text) {
                if canonical_name(&name).is_some() {
                    self.add_param(&name, value, false)?;
                }
            }
            return Ok(());
        }
        self.insert(CUSTOMER_ID, text, DATA)
    }

    fn add_json(&mut self, text: &str) -> Result<(), ContextError> {
        let object = Json::parse(text).map_err(|reason| ContextError::BadData { reason })?;
        for (key, value) in object.entries() {
            let Some(name) = canonical_name(&key) else {
                continue;
            };
            // Whole numbers only (an id or name is never a fraction): printing a float would
            // bring Rust's float formatting into the bundle. Null and nested values carry
            // nothing we use.
            let text = match (value.as_str(), value.as_whole(), value.as_bool()) {
                (Some(text), _, _) => text,
                (_, Some(whole), _) => whole.to_string(),
                (_, _, Some(flag)) => flag.to_string(),
                _ => continue,
            };
            self.insert(name, text, name)?;
        }
        Ok(())
    }
}

fn canonical_name(name: &str) -> Option<&'static str> {
    KNOWN
        .into_iter()
        .find(|known| known.eq_ignore_ascii_case(name.trim()))
}

/// Two spellings of one value: GUIDs compare parsed, types and themes by meaning, the rest exactly.
fn same_value(name: &str, a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    match name {
        CUSTOMER_ID | CASE_ID => {
            matches!((Guid::parse(a), Guid::parse(b)), (Ok(x), Ok(y)) if x == y)
        }
        CUSTOMER_TYPE | THEME | LANG => a.eq_ignore_ascii_case(b),
        _ => false,
    }
}

fn looks_like_json(text: &str) -> bool {
    text.strip_prefix('{')
        .map(|rest| matches!(rest.trim_start().chars().next(), Some('"') | Some('}')))
        .unwrap_or(false)
}

/// Splits a query into decoded `(name, value)` pairs; a part without `=` has an empty name.
pub(super) fn pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| match part.split_once('=') {
            Some((name, value)) => (decode_lenient(name, true), decode_lenient(value, true)),
            None => (String::new(), decode_lenient(part, true)),
        })
}

pub(super) fn collect(query: &str) -> Result<Values, ContextError> {
    let mut values = Values::default();
    for (name, value) in pairs(query) {
        values.add_param(&name, value, false)?;
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dealpane_contract::percent::encode_component;
    // These run natively and, through the browser's JSON, in `cargo xtask test --suite browser`.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn data(json: &str) -> Result<Values, ContextError> {
        collect(&format!("data={}", encode_component(json)))
    }

    #[test]
    fn a_json_data_object_gives_its_known_members_as_text() {
        let values = data(
            r#"{"CustomerName": " Contoso ", "customerId": 42, "theme": true, "lang": 1.5,
                "caseId": null, "customerType": {"kind": "account"}, "other": "x"}"#,
        )
        .unwrap();
        let text = |name| values.get(name).map(|v| (v.text.as_str(), v.origin));
        assert_eq!(
            text(super::super::CUSTOMER_NAME),
            Some(("Contoso", "customerName"))
        );
        assert_eq!(text(CUSTOMER_ID), Some(("42", CUSTOMER_ID)));
        assert_eq!(text(THEME), Some(("true", THEME)));
        for left_out in [LANG, CASE_ID, CUSTOMER_TYPE] {
            assert!(values.get(left_out).is_none(), "{left_out}");
        }
    }

    #[test]
    fn a_broken_json_data_object_says_why() {
        let Err(ContextError::BadData { reason }) = data(r#"{"customerId": }"#) else {
            panic!("not BadData")
        };
        assert!(!reason.is_empty());
    }
}
