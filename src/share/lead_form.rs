//! "Suggest a new deal" for the customer, below the deals: a Sales lead with a topic, an
//! optional description and estimated value, and the session's case. The same form as a note
//! (`form.rs`); a 201 says the new lead's id.

use std::rc::Rc;

use dealpane_contract::{CustomerType, Guid, LEAD_DESCRIPTION_MAX_CHARS, LEAD_TOPIC_MAX_CHARS};
use js_sys::{Object, Reflect};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::form::{share_form, Field, Form};
use super::lead_storage_key;
use crate::api::{parse_json, read};
use crate::components::Ui;

/// An ISO 4217 code.
const CURRENCY_MAX_CHARS: usize = 3;
/// Digits, a separator, a sign: enough for any amount Sales holds.
const AMOUNT_MAX_CHARS: usize = 20;

/// The form for the customer `customer` (its Sales id and kind, from the answer).
pub fn suggest_deal(ui: Ui, customer: Guid, kind: CustomerType) -> AnyView {
    let share = ui.share;
    let Some(config) = share.config.get_untracked() else {
        return ().into_any();
    };
    let t = &ui.text.share;
    let field = |name, label, max_chars, multiline, required, input_mode| Field {
        name,
        label,
        max_chars,
        multiline,
        required,
        input_mode,
    };
    let case_id = share.case_id;
    let form = share_form(
        ui,
        Form {
            toggle: t.suggest_deal,
            id: ui.id("lead"),
            storage_key: lead_storage_key(customer, case_id),
            url: config.endpoint("leads"),
            request_timeout_ms: config.request_timeout_ms,
            fields: vec![
                field("topic", t.topic, LEAD_TOPIC_MAX_CHARS, false, true, None),
                field(
                    "description",
                    t.description,
                    LEAD_DESCRIPTION_MAX_CHARS,
                    true,
                    false,
                    None,
                ),
                field(
                    "amount",
                    t.estimated_value,
                    AMOUNT_MAX_CHARS,
                    false,
                    false,
                    Some("decimal"),
                ),
                field(
                    "currency",
                    t.currency,
                    CURRENCY_MAX_CHARS,
                    false,
                    false,
                    None,
                ),
            ],
            extra: None,
            body: Box::new(move |values| lead_body(customer, kind, case_id, values)),
            sent: Rc::new(|body| {
                let id = parse_json(body, read::created_lead)?;
                Ok(Some(id.to_string()))
            }),
            open: RwSignal::new(false),
        },
    );
    view! { <section class="dp-share dp-share--lead">{form}</section> }.into_any()
}

/// LeadRequest as JSON, written by the browser: the amount is a JS number (digits and a
/// decimal point or comma; anything else is sent as typed, so the server's 400 says why),
/// blanks are left out.
fn lead_body(customer: Guid, kind: CustomerType, case: Option<Guid>, values: &[String]) -> String {
    let object = Object::new();
    let set = |target: &Object, name: &str, value: JsValue| {
        let _ = Reflect::set(target, &name.into(), &value);
    };
    let text = |index: usize| Some(values[index].trim()).filter(|v| !v.is_empty());
    set(&object, "customerId", customer.to_string().into());
    set(&object, "customerType", kind.as_str().into());
    set(&object, "topic", values[0].trim().into());
    if let Some(description) = text(1) {
        set(&object, "description", description.into());
    }
    if let Some(amount) = text(2) {
        let amount = amount.replace(',', ".");
        let number = js_sys::Number::parse_float(&amount);
        let plain = amount.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        let value = Object::new();
        let amount: JsValue = if plain && number.is_finite() {
            number.into()
        } else {
            amount.into()
        };
        set(&value, "amount", amount);
        set(
            &value,
            "currency",
            text(3).unwrap_or("").to_ascii_uppercase().into(),
        );
        set(&object, "estimatedValue", value.into());
    }
    if let Some(case) = case {
        set(&object, "caseId", case.to_string().into());
    }
    js_sys::JSON::stringify(&object)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}
