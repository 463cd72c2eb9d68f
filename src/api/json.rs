//! The widget's one way into JSON. In the browser the text is parsed by the browser's own
//! `JSON.parse`, and the contract's derived types are read from the parsed value by a small
//! serde `Deserializer` over JS values (`js.rs`): no JSON parser, float parser or float
//! formatting, and no `Value` type of our own in the wasm.
//! Natively (the unit tests) `serde_json` does both. The same derived types, with the contract's
//! tolerant rules (unknown fields ignored, unknown values as `Unknown`, defaults), read both ways.
//!
//! [`Json`] reads a few fields of a document the contract does not type (`config.json`, the
//! `data` URL parameter, the token endpoint's answer) without a derived type for each.
//!
//! Errors are a reason in words, for the admin or the console: the browser's `SyntaxError`
//! message for text that is not JSON, serde's message for JSON that is not the type.

use serde::de::DeserializeOwned;

// Its tests are the browser suite's (`cargo xtask test --suite browser`).
#[cfg(target_arch = "wasm32")]
mod js;

/// Reads JSON text as a contract type.
pub fn decode<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    Json::parse(text)?.decode()
}

/// A parsed JSON value.
pub struct Json(imp::Value);

impl Json {
    /// Parses JSON text; the error is why it is not JSON.
    pub fn parse(text: &str) -> Result<Json, String> {
        imp::parse(text).map(Json)
    }

    /// Reads the value as a contract type.
    pub fn decode<T: DeserializeOwned>(self) -> Result<T, String> {
        imp::decode(self.0)
    }

    /// True for an object (`{…}`), not for an array or `null`.
    pub fn is_object(&self) -> bool {
        imp::is_object(&self.0)
    }

    /// An object's own member `name` (`null` included); `None` when absent or not an object.
    pub fn get(&self, name: &str) -> Option<Json> {
        imp::get(&self.0, name).map(Json)
    }

    /// An object's members in order; empty for anything else.
    pub fn entries(&self) -> Vec<(String, Json)> {
        imp::entries(&self.0)
            .into_iter()
            .map(|(name, value)| (name, Json(value)))
            .collect()
    }

    /// An array's items; empty for anything else.
    pub fn items(&self) -> Vec<Json> {
        imp::items(&self.0).into_iter().map(Json).collect()
    }

    pub fn as_str(&self) -> Option<String> {
        imp::as_str(&self.0)
    }

    pub fn as_f64(&self) -> Option<f64> {
        imp::as_f64(&self.0)
    }

    pub fn as_bool(&self) -> Option<bool> {
        imp::as_bool(&self.0)
    }

    pub fn is_null(&self) -> bool {
        imp::is_null(&self.0)
    }

    /// A whole number within ±2^53 (what a JSON number holds exactly everywhere).
    pub fn as_whole(&self) -> Option<i64> {
        const EXACT: f64 = 9_007_199_254_740_992.0;
        self.as_f64()
            .filter(|n| n.fract() == 0.0 && n.abs() <= EXACT)
            .map(|n| n as i64)
    }

    /// Sets an object's member `name` to a number; nothing for anything else.
    pub fn set_number(&mut self, name: &str, value: u32) {
        imp::set_number(&mut self.0, name, value)
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use js_sys::{Array, Object, Reflect};
    use serde::de::DeserializeOwned;
    use wasm_bindgen::{JsCast, JsValue};

    pub type Value = JsValue;

    /// A JS exception's message (`SyntaxError: …` without its name), or what it says.
    fn message(error: JsValue) -> String {
        match error.dyn_ref::<js_sys::Error>() {
            Some(error) => error.message().into(),
            None => error.as_string().unwrap_or_default(),
        }
    }

    pub fn parse(text: &str) -> Result<Value, String> {
        js_sys::JSON::parse(text).map_err(message)
    }

    pub fn decode<T: DeserializeOwned>(value: Value) -> Result<T, String> {
        T::deserialize(super::js::Deserializer(value)).map_err(|e| e.0)
    }

    fn object(value: &Value) -> Option<&Object> {
        (value.is_object() && !Array::is_array(value)).then(|| value.unchecked_ref())
    }

    pub fn is_object(value: &Value) -> bool {
        object(value).is_some()
    }

    pub fn get(value: &Value, name: &str) -> Option<Value> {
        let object = object(value)?;
        let key = JsValue::from_str(name);
        if !Object::has_own(object, &key) {
            return None;
        }
        Reflect::get(object, &key).ok()
    }

    pub fn entries(value: &Value) -> Vec<(String, Value)> {
        let Some(object) = object(value) else {
            return Vec::new();
        };
        Object::entries(object)
            .iter()
            .filter_map(|pair| {
                let pair: Array = pair.unchecked_into();
                Some((pair.get(0).as_string()?, pair.get(1)))
            })
            .collect()
    }

    pub fn items(value: &Value) -> Vec<Value> {
        match value.dyn_ref::<Array>() {
            Some(array) => array.iter().collect(),
            None => Vec::new(),
        }
    }

    pub fn as_str(value: &Value) -> Option<String> {
        value.as_string()
    }

    pub fn as_f64(value: &Value) -> Option<f64> {
        value.as_f64()
    }

    pub fn as_bool(value: &Value) -> Option<bool> {
        value.as_bool()
    }

    pub fn is_null(value: &Value) -> bool {
        value.is_null()
    }

    pub fn set_number(value: &mut Value, name: &str, number: u32) {
        if let Some(object) = object(value) {
            let _ = Reflect::set(object, &JsValue::from_str(name), &JsValue::from(number));
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use serde::de::DeserializeOwned;

    pub type Value = serde_json::Value;

    pub fn parse(text: &str) -> Result<Value, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    pub fn decode<T: DeserializeOwned>(value: Value) -> Result<T, String> {
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    pub fn is_object(value: &Value) -> bool {
        value.is_object()
    }

    pub fn get(value: &Value, name: &str) -> Option<Value> {
        value.as_object()?.get(name).cloned()
    }

    pub fn entries(value: &Value) -> Vec<(String, Value)> {
        let members = value.as_object().into_iter().flatten();
        members.map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    pub fn items(value: &Value) -> Vec<Value> {
        value.as_array().cloned().unwrap_or_default()
    }

    pub fn as_str(value: &Value) -> Option<String> {
        value.as_str().map(str::to_owned)
    }

    pub fn as_f64(value: &Value) -> Option<f64> {
        value.as_f64()
    }

    pub fn as_bool(value: &Value) -> Option<bool> {
        value.as_bool()
    }

    pub fn is_null(value: &Value) -> bool {
        value.is_null()
    }

    pub fn set_number(value: &mut Value, name: &str, number: u32) {
        if let Some(object) = value.as_object_mut() {
            object.insert(name.to_owned(), number.into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dealpane_contract::{
        CustomerType, DealStatus, DealSummaryResponse, ForecastCategory, MatchedBy, Problem,
        SummaryState,
    };
    // Natively these test serde_json; in `cargo xtask test --suite browser`, the browser's JSON.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    const ANSWER: &str = r#"{
      "customer": {"id": "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}", "name": "Contoso",
                   "type": "partner", "matchedBy": "email", "tier": 1},
      "deals": [{
        "id": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", "name": "Espresso", "status": "open",
        "stage": null, "value": {"amount": 250000.5, "currency": "USD"}, "probability": 70,
        "forecastCategory": "bestCase", "summary": {"state": "ready", "text": "Fine."},
        "later": [1, {"x": null}]
      }, {
        "id": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6e", "name": "Grinders", "status": "paused",
        "forecastCategory": "stretch", "summary": {"state": "drafting"}
      }],
      "source": "embedded", "generatedAt": "2026-11-22T07:30:00Z"
    }"#;

    #[test]
    fn the_contract_reads_tolerantly() {
        let answer: DealSummaryResponse = decode(ANSWER).unwrap();
        let customer = &answer.customer;
        assert_eq!(
            customer.id.to_string(),
            "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
        );
        assert_eq!(customer.kind, None, "an unknown type reads as none");
        assert_eq!(customer.matched_by, MatchedBy::Unknown);
        assert_eq!(answer.base_currency, None, "absent");
        let [known, unknown] = &answer.deals[..] else {
            panic!("{:?}", answer.deals)
        };
        assert_eq!(known.stage, None);
        assert_eq!(known.value.as_ref().map(|v| v.amount), Some(250000.5));
        assert_eq!(known.probability, Some(70));
        assert_eq!(known.forecast_category, Some(ForecastCategory::BestCase));
        assert_eq!(known.summary.state, SummaryState::Ready);
        assert_eq!(known.summary.generated_at, None);
        assert_eq!(unknown.status, DealStatus::Unknown);
        assert_eq!(unknown.forecast_category, Some(ForecastCategory::Other));
        assert_eq!(unknown.summary.state, SummaryState::Unknown);
        let account = r#"{"id": "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "name": null,
            "type": "Account", "matchedBy": "name"}"#;
        let account: dealpane_contract::CustomerMatch = decode(account).unwrap();
        assert_eq!(account.kind, Some(CustomerType::Account));
        assert_eq!(account.matched_by, MatchedBy::Name);
    }

    #[test]
    fn text_that_is_not_the_contract_says_why() {
        for (text, about) in [
            ("", ""),
            ("not json", ""),
            (r#"{"deals": 3}"#, ""),
            ("[]", ""),
            (
                &*ANSWER.replace("\"probability\": 70", "\"probability\": 70.5"),
                "",
            ),
            (&*ANSWER.replace("\"Espresso\"", "null"), ""),
            (
                &*ANSWER.replace("\"9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6e\"", "\"x\""),
                "GUID",
            ),
            (&*ANSWER.replace("\"source\": \"embedded\", ", ""), "source"),
        ] {
            let reason = decode::<DealSummaryResponse>(text).unwrap_err();
            assert!(
                !reason.is_empty() && reason.contains(about),
                "{text}: {reason}"
            );
        }
    }

    #[test]
    fn a_problem_takes_the_status_it_is_given() {
        let mut problem = Json::parse(r#"{"title": "Busy", "status": "x"}"#).unwrap();
        problem.set_number("status", 429);
        let problem: Problem = problem.decode().unwrap();
        assert_eq!(
            (problem.status, problem.kind.as_str()),
            (429, "about:blank")
        );
        let mut array = Json::parse("[1]").unwrap();
        array.set_number("status", 429);
        assert!(!array.is_object() && array.items().len() == 1);
    }

    #[test]
    fn fields_of_an_untyped_document() {
        let json = Json::parse(
            r#"{"s": "text", "n": 15000, "f": 1.5, "big": 1e300, "t": true, "z": null,
                "a": ["x", 2], "o": {"in": "side"}}"#,
        )
        .unwrap();
        assert!(json.is_object());
        let field = |name| json.get(name).unwrap();
        assert_eq!(field("s").as_str().as_deref(), Some("text"));
        assert_eq!(field("n").as_whole(), Some(15000));
        assert_eq!(field("f").as_whole(), None);
        assert_eq!(field("f").as_f64(), Some(1.5));
        assert_eq!(field("big").as_whole(), None);
        assert_eq!(field("t").as_bool(), Some(true));
        assert!(field("z").is_null() && !field("z").is_object());
        assert_eq!(field("s").as_whole(), None);
        assert_eq!(field("n").as_str(), None);
        let items = field("a").items();
        assert_eq!(items[0].as_str().as_deref(), Some("x"));
        assert_eq!(items[1].as_whole(), Some(2));
        assert!(field("a").get("length").is_none() && !field("a").is_object());
        assert_eq!(
            field("o").get("in").unwrap().as_str().as_deref(),
            Some("side")
        );
        assert!(json.get("missing").is_none());
        assert!(json.get("constructor").is_none(), "own members only");
        let mut names: Vec<String> = json.entries().into_iter().map(|(k, _)| k).collect();
        names.sort();
        assert_eq!(names, ["a", "big", "f", "n", "o", "s", "t", "z"]);
        assert!(field("a").entries().is_empty() && field("s").items().is_empty());
        assert!(Json::parse("{\"a\": }").is_err());
    }
}
