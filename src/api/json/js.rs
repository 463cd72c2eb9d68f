//! A serde `Deserializer` over a value the browser's `JSON.parse` made: the contract's derived
//! types read straight from JS objects, arrays, strings and numbers.
//!
//! It does what `serde-wasm-bindgen`'s does for JSON's values and no more (no `BigInt`, `Map`,
//! typed arrays or iterables, which `JSON.parse` never makes), and its errors never print a
//! float: serde's own wording of an unexpected float would bring Rust's float formatting
//! (~10 KB) into the wasm for a message nobody needs the digits of.

use std::cell::RefCell;
use std::fmt;

use js_sys::{Array, Object, Reflect};
use serde::de::{self, DeserializeSeed, Expected, IntoDeserializer, Unexpected, Visitor};
use wasm_bindgen::{JsCast, JsValue};

/// Why a value is not the type asked for, in serde's words.
#[derive(Debug)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error(message.to_string())
    }

    fn invalid_type(unexpected: Unexpected, expected: &dyn Expected) -> Self {
        Error(format!(
            "invalid type: {}, expected {expected}",
            describe(unexpected)
        ))
    }

    fn invalid_value(unexpected: Unexpected, expected: &dyn Expected) -> Self {
        Error(format!(
            "invalid value: {}, expected {expected}",
            describe(unexpected)
        ))
    }
}

/// serde's `Unexpected` in words, a float without its digits.
fn describe(unexpected: Unexpected) -> String {
    match unexpected {
        Unexpected::Bool(value) => format!("boolean `{value}`"),
        Unexpected::Unsigned(value) => format!("integer `{value}`"),
        Unexpected::Signed(value) => format!("integer `{value}`"),
        Unexpected::Float(_) => "a number with a fraction".to_owned(),
        Unexpected::Char(value) => format!("character `{value}`"),
        Unexpected::Str(value) => format!("string \"{value}\""),
        Unexpected::Unit => "null".to_owned(),
        Unexpected::Seq => "an array".to_owned(),
        Unexpected::Map => "an object".to_owned(),
        Unexpected::Other(what) => what.to_owned(),
        _ => "another kind of value".to_owned(),
    }
}

/// Whole numbers up to 2^53 are integers (JSON's numbers are all doubles in the browser).
fn whole(number: f64) -> Option<i64> {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    (number.fract() == 0.0 && number.abs() <= EXACT).then_some(number as i64)
}

/// An object that is not an array.
fn object(value: &JsValue) -> Option<&Object> {
    (value.is_object() && !Array::is_array(value)).then(|| value.unchecked_ref())
}

pub struct Deserializer(pub JsValue);

impl Deserializer {
    fn is_nullish(&self) -> bool {
        self.0.is_null() || self.0.is_undefined()
    }

    fn invalid(&self, expected: &dyn Expected) -> Error {
        let text;
        let unexpected = if self.is_nullish() {
            Unexpected::Unit
        } else if let Some(value) = self.0.as_bool() {
            Unexpected::Bool(value)
        } else if let Some(number) = self.0.as_f64() {
            match whole(number) {
                Some(value) => Unexpected::Signed(value),
                None => Unexpected::Float(number),
            }
        } else if let Some(value) = self.0.as_string() {
            text = value;
            Unexpected::Str(&text)
        } else if Array::is_array(&self.0) {
            Unexpected::Seq
        } else {
            Unexpected::Map
        };
        de::Error::invalid_type(unexpected, expected)
    }

    fn integer<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0.as_f64().and_then(whole) {
            Some(value) if value >= 0 => visitor.visit_u64(value as u64),
            Some(value) => visitor.visit_i64(value),
            None => Err(self.invalid(&visitor)),
        }
    }
}

impl<'de> de::Deserializer<'de> for Deserializer {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.is_nullish() {
            visitor.visit_unit()
        } else if let Some(value) = self.0.as_bool() {
            visitor.visit_bool(value)
        } else if let Some(number) = self.0.as_f64() {
            match whole(number) {
                Some(_) => self.integer(visitor),
                None => visitor.visit_f64(number),
            }
        } else if let Some(value) = self.0.as_string() {
            visitor.visit_string(value)
        } else if Array::is_array(&self.0) {
            self.deserialize_seq(visitor)
        } else {
            self.deserialize_map(visitor)
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0.as_bool() {
            Some(value) => visitor.visit_bool(value),
            None => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.integer(visitor)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.integer(visitor)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.integer(visitor)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.integer(visitor)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.integer(visitor)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.integer(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.integer(visitor)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.integer(visitor)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0.as_f64() {
            Some(number) => visitor.visit_f64(number),
            None => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0.as_string() {
            Some(value) => visitor.visit_string(value),
            None => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.is_nullish() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.is_nullish() {
            visitor.visit_unit()
        } else {
            Err(self.invalid(&visitor))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0.dyn_ref::<Array>() {
            Some(array) => visitor.visit_seq(Items {
                array: array.clone(),
                next: 0,
            }),
            None => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match object(&self.0) {
            Some(object) => visitor.visit_map(Entries {
                entries: Object::entries(object),
                next: 0,
                value: None,
            }),
            None => Err(self.invalid(&visitor)),
        }
    }

    /// Reads the fields the type names, each an own member of the object: unknown members are
    /// never looked at, and an absent one is left to serde (its default, or "missing field").
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match object(&self.0) {
            Some(object) => visitor.visit_map(Fields {
                object: object.clone(),
                names: fields.iter(),
                value: None,
            }),
            None => Err(self.invalid(&visitor)),
        }
    }

    /// The contract's enums are strings (unit variants).
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if self.0.is_string() {
            visitor.visit_enum(UnitVariant(self))
        } else {
            Err(self.invalid(&visitor))
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

struct Items {
    array: Array,
    next: u32,
}

impl<'de> de::SeqAccess<'de> for Items {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if self.next >= self.array.length() {
            return Ok(None);
        }
        let item = self.array.get(self.next);
        self.next += 1;
        seed.deserialize(Deserializer(item)).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.array.length() - self.next) as usize)
    }
}

/// An object's members as a map (`Object.entries`).
struct Entries {
    entries: Array,
    next: u32,
    value: Option<JsValue>,
}

impl<'de> de::MapAccess<'de> for Entries {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.next >= self.entries.length() {
            return Ok(None);
        }
        let pair: Array = self.entries.get(self.next).unchecked_into();
        self.next += 1;
        self.value = Some(pair.get(1));
        seed.deserialize(Deserializer(pair.get(0))).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let value = self.value.take().unwrap_or(JsValue::UNDEFINED);
        seed.deserialize(Deserializer(value))
    }
}

thread_local! {
    /// Each field name as a JS string, made once: a 50-deal answer reads over a thousand
    /// fields, and making the name anew each time doubled the decoding time (0.37 against
    /// 0.69 ms for 38 KB in headless Chromium, where serde_json in the wasm took 0.16 ms).
    static NAMES: RefCell<Vec<(FieldName, JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// A `&'static str` by address and length: the derive's field lists are constants.
type FieldName = (usize, usize);

fn js_name(name: &'static str) -> JsValue {
    let id = (name.as_ptr() as usize, name.len());
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        if let Some((_, value)) = names.iter().find(|(known, _)| *known == id) {
            return value.clone();
        }
        let value = JsValue::from_str(name);
        names.push((id, value.clone()));
        value
    })
}

/// A struct's named fields, those the object has.
struct Fields {
    object: Object,
    names: std::slice::Iter<'static, &'static str>,
    value: Option<JsValue>,
}

impl<'de> de::MapAccess<'de> for Fields {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        for name in self.names.by_ref() {
            let key = js_name(name);
            if Object::has_own(&self.object, &key) {
                self.value = Reflect::get(&self.object, &key).ok();
                let name: de::value::StrDeserializer<Error> = name.into_deserializer();
                return seed.deserialize(name).map(Some);
            }
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let value = self.value.take().unwrap_or(JsValue::UNDEFINED);
        seed.deserialize(Deserializer(value))
    }
}

/// A unit variant named by a string.
struct UnitVariant(Deserializer);

/// What a unit variant carries: nothing.
struct Unit;

impl<'de> de::EnumAccess<'de> for UnitVariant {
    type Error = Error;
    type Variant = Unit;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Unit), Error> {
        Ok((seed.deserialize(self.0)?, Unit))
    }
}

impl<'de> de::VariantAccess<'de> for Unit {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _seed: T) -> Result<T::Value, Error> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"newtype variant",
        ))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value, Error> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"tuple variant",
        ))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Error> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"struct variant",
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use dealpane_contract::Deal;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::super::decode;

    const DEAL: &str = r#"{"id": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", "name": "n",
        "status": "open", "summary": {"state": "ready"}, "probability": 70}"#;

    fn reason(deal: &str) -> String {
        decode::<Deal>(deal).unwrap_err()
    }

    #[test]
    fn errors_say_what_was_found_and_what_was_expected() {
        let fraction = reason(&DEAL.replace("70", "70.5"));
        assert_eq!(
            fraction,
            "invalid type: a number with a fraction, expected u8"
        );
        let too_big = reason(&DEAL.replace("70", "300"));
        assert_eq!(too_big, "invalid value: integer `300`, expected u8");
        let text = reason(&DEAL.replace("70", "\"high\""));
        assert_eq!(text, "invalid type: string \"high\", expected u8");
        let status = reason(&DEAL.replace("\"open\"", "{\"open\": 1}"));
        assert!(
            status.starts_with("invalid type: an object, expected"),
            "{status}"
        );
        let missing = reason(&DEAL.replace("\"name\": \"n\",", ""));
        assert_eq!(missing, "missing field `name`");
        assert!(reason("[]").starts_with("invalid type: an array, expected"));
        assert!(reason("null").starts_with("invalid type: null, expected"));
    }

    #[test]
    fn maps_sequences_and_numbers_read_as_serde_expects() {
        let map: BTreeMap<String, Vec<i64>> = decode(r#"{"b": [-2, 0], "a": []}"#).unwrap();
        assert_eq!(map["b"], [-2, 0]);
        assert!(map["a"].is_empty());
        let floats: Vec<f64> = decode("[1, 2.5, -0.25]").unwrap();
        assert_eq!(floats, [1.0, 2.5, -0.25]);
        let options: Vec<Option<bool>> = decode("[true, null]").unwrap();
        assert_eq!(options, [Some(true), None]);
        assert!(decode::<u32>("-1").is_err());
        assert!(decode::<Vec<u8>>("{}").is_err());
    }
}
