//! The widget's one way into JSON. In the browser the text is parsed by the browser's own
//! `JSON.parse` and read through the JS value it gives: no JSON parser, float parser or float
//! formatting in the wasm. Natively (the unit tests) `serde_json` parses it. [`Json`] is the
//! parsed value with the few reads the widget needs; the contract's answers are read from it by
//! hand (`super::read`), as are the documents the contract does not type (`config.json`, the
//! `data` URL parameter, the token endpoint's answer, the language files).
//!
//! Errors are a reason in words, for the admin or the console: the browser's `SyntaxError`
//! message for text that is not JSON.

/// A parsed JSON value.
pub struct Json(imp::Value);

impl Json {
    /// Parses JSON text; the error is why it is not JSON.
    pub fn parse(text: &str) -> Result<Json, String> {
        imp::parse(text).map(Json)
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
        self.as_array().unwrap_or_default()
    }

    /// An array's items; `None` for anything else.
    pub fn as_array(&self) -> Option<Vec<Json>> {
        imp::items(&self.0).map(|items| items.into_iter().map(Json).collect())
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

    pub fn items(value: &Value) -> Option<Vec<Value>> {
        value.dyn_ref::<Array>().map(|array| array.iter().collect())
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
    pub type Value = serde_json::Value;

    pub fn parse(text: &str) -> Result<Value, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
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

    pub fn items(value: &Value) -> Option<Vec<Value>> {
        value.as_array().cloned()
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
    // Natively these test serde_json; in `cargo xtask test --suite browser`, the browser's JSON.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

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
        assert!(field("s").as_array().is_none() && field("a").as_array().is_some());
        let mut array = field("a");
        array.set_number("status", 429);
        assert!(
            !array.is_object() && array.items().len() == 2,
            "only objects take members"
        );
        assert!(Json::parse("{\"a\": }").is_err());
    }
}
