//! The tools' arguments: their input schemas (schemars, with the contract's bounds) and their
//! checks. Arguments that do not fit are a JSON-RPC invalid-params error (-32602) whose message
//! names the argument and says what it takes, so the model can correct the call.

use dealpane_contract::limits::{NAME_MAX_CHARS, SEARCH_TOP_MAX, TOP_DEFAULT, TOP_MAX, TOP_MIN};
use dealpane_contract::{CustomerType, Guid};
use rmcp::model::JsonObject;
use rmcp::ErrorData;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::routes::SEARCH_TOP_DEFAULT;
use crate::service::DealQuery;

/// `account` or `contact`, for the schemas of the reads and the writes; parsed leniently (any
/// case). Inlined: Copilot Studio drops tools whose input schema has references.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(inline)]
#[allow(dead_code)] // only its schema is used
pub(super) enum KindSchema {
    Account,
    Contact,
}

// The arguments of `get_customer_deals` (a `//` comment: a doc comment would become the
// schema's description).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DealsArgs {
    /// The customer's GUID in Dynamics 365 (the account's or contact's id), e.g. from the
    /// case's customer. Ids can differ between the Service and Sales environments, so pass
    /// customerName too when you know it.
    #[serde(default)]
    #[schemars(with = "Option<String>", extend("format" = "uuid"))]
    pub customer_id: Option<String>,
    /// The customer's exact name (an account's or contact's), matched case-insensitively.
    #[serde(default)]
    #[schemars(length(max = NAME_MAX_CHARS))]
    pub customer_name: Option<String>,
    /// Whether the customer is an account or a contact, when known.
    #[serde(default)]
    #[schemars(with = "Option<KindSchema>")]
    pub customer_type: Option<String>,
    /// How many open deals to return, highest value first (default 10).
    #[serde(default)]
    #[schemars(range(min = TOP_MIN, max = TOP_MAX))]
    pub top: Option<u8>,
}

// The arguments of `search_customers`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchArgs {
    /// The first letters of the customer's name (case-insensitive); empty lists the first
    /// customers by name.
    #[schemars(length(max = NAME_MAX_CHARS))]
    pub prefix: String,
    /// How many customers to return (default 8).
    #[serde(default)]
    #[schemars(range(min = 1, max = SEARCH_TOP_MAX))]
    pub top: Option<u8>,
}

/// The tool's arguments as `T`, or invalid-params naming what is wrong.
pub fn parse<T: DeserializeOwned>(tool: &str, arguments: JsonObject) -> Result<T, ErrorData> {
    serde_json::from_value(serde_json::Value::Object(arguments))
        .map_err(|error| invalid(format!("{tool}: {error}")))
}

pub fn invalid(message: String) -> ErrorData {
    ErrorData::invalid_params(message, None)
}

impl DealsArgs {
    /// The same question the DealSummary route asks, with the same bounds.
    pub fn query(self) -> Result<DealQuery, ErrorData> {
        let customer_id = non_blank(self.customer_id)
            .map(|text| {
                Guid::parse(&text).map_err(|error| {
                    invalid(format!(
                        "customerId: '{}' is not a GUID ({error})",
                        shorten(&text)
                    ))
                })
            })
            .transpose()?;
        let customer_name = non_blank(self.customer_name)
            .map(|name| bounded("customerName", name))
            .transpose()?;
        let kind = non_blank(self.customer_type)
            .map(|text| {
                CustomerType::parse(&text).ok_or_else(|| {
                    invalid(format!(
                        "customerType: must be 'account' or 'contact', not '{}'",
                        shorten(&text)
                    ))
                })
            })
            .transpose()?;
        let top = within("top", self.top, TOP_MIN, TOP_MAX, TOP_DEFAULT)?;
        if customer_id.is_none() && customer_name.is_none() {
            return Err(invalid(
                "customerId or customerName is required (the customer's GUID or exact name; \
                 search_customers finds names)"
                    .to_owned(),
            ));
        }
        Ok(DealQuery {
            customer_id,
            customer_name,
            kind,
            top,
        })
    }
}

impl SearchArgs {
    /// The prefix (trimmed, bounded) and how many.
    pub fn checked(self) -> Result<(String, u8), ErrorData> {
        let prefix = bounded("prefix", self.prefix.trim().to_owned())?;
        let top = within("top", self.top, 1, SEARCH_TOP_MAX, SEARCH_TOP_DEFAULT)?;
        Ok((prefix, top))
    }
}

fn non_blank(value: Option<String>) -> Option<String> {
    value
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
}

/// Free text of at most `NAME_MAX_CHARS` characters.
pub fn bounded(name: &str, text: String) -> Result<String, ErrorData> {
    let chars = text.chars().count();
    if chars > NAME_MAX_CHARS {
        return Err(invalid(format!(
            "{name}: is {chars} characters long; at most {NAME_MAX_CHARS} are accepted"
        )));
    }
    Ok(text)
}

fn within(name: &str, value: Option<u8>, min: u8, max: u8, default: u8) -> Result<u8, ErrorData> {
    match value {
        None => Ok(default),
        Some(n) if (min..=max).contains(&n) => Ok(n),
        Some(n) => Err(invalid(format!(
            "{name}: must be a whole number from {min} to {max}, not {n}"
        ))),
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= 40 {
        text.to_owned()
    } else {
        text.chars().take(40).collect::<String>() + "…"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deals(value: serde_json::Value) -> Result<DealQuery, ErrorData> {
        let serde_json::Value::Object(map) = value else {
            unreachable!()
        };
        parse::<DealsArgs>("get_customer_deals", map)?.query()
    }

    #[test]
    fn deal_arguments_are_checked_like_the_route() {
        let query = deals(
            json!({"customerId": "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}",
            "customerName": " Contoso ", "customerType": "Account", "top": 3}),
        )
        .unwrap();
        assert_eq!(
            query.customer_id.unwrap().to_string(),
            "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
        );
        assert_eq!(query.customer_name.as_deref(), Some("Contoso"));
        assert_eq!(query.kind, Some(CustomerType::Account));
        assert_eq!(query.top, 3);
        assert_eq!(
            deals(json!({"customerName": "A"})).unwrap().top,
            TOP_DEFAULT
        );

        for (bad, says) in [
            (json!({}), "customerId or customerName is required"),
            (json!({"customerName": "  "}), "customerId or customerName"),
            (
                json!({"customerId": "nope"}),
                "customerId: 'nope' is not a GUID",
            ),
            (
                json!({"customerName": "A", "top": 0}),
                "top: must be a whole number from 1 to 50",
            ),
            (
                json!({"customerName": "A", "top": 51}),
                "from 1 to 50, not 51",
            ),
            (
                json!({"customerName": "A", "top": "ten"}),
                "get_customer_deals: invalid type",
            ),
            (
                json!({"customerName": "A", "customerType": "lead"}),
                "'account' or 'contact'",
            ),
            (json!({"customerName": "x".repeat(161)}), "at most 160"),
        ] {
            let error = deals(bad.clone()).unwrap_err();
            assert_eq!(error.code, rmcp::model::ErrorCode::INVALID_PARAMS, "{bad}");
            assert!(error.message.contains(says), "{bad}: {}", error.message);
        }
    }

    #[test]
    fn search_arguments_are_bounded() {
        let parse_search = |value: serde_json::Value| {
            let serde_json::Value::Object(map) = value else {
                unreachable!()
            };
            parse::<SearchArgs>("search_customers", map)?.checked()
        };
        assert_eq!(
            parse_search(json!({"prefix": " Con "})).unwrap(),
            ("Con".to_owned(), SEARCH_TOP_DEFAULT)
        );
        assert!(parse_search(json!({})).is_err(), "prefix is required");
        assert!(parse_search(json!({"prefix": "a", "top": 21})).is_err());
    }
}
