//! The session's context, read from the widget's own URL (the workspace's only channel into a
//! cross-origin iframe).
//!
//! Use: `parse_context(&location.search)` once at start. `Ok(ctx)` with `ctx.customer == None`
//! means "no customer given" (the standalone preview shows its picker); `Some(key)` is what to
//! ask the API for: `format!("{api_base}/DealSummary?{}", key.api_query())`. `Err(e)` is an admin
//! mistake in the tab template: render it with `i18n::Strings::context_error(&e)` and do not call
//! the API. `preferences(&location.search)` never fails, so even an error shows in the requested
//! language and theme.
//!
//! Accepted forms (DESIGN.md, "How the workspace passes context"):
//! - `?customerId=…&customerName=…&customerType=account&caseId=…&lang=de&theme=dark`
//!   (parameter names in any case: admins type them by hand);
//! - the same inside `data`, as a nested query string (URL-encoded once or twice), a JSON object,
//!   or a bare GUID meaning `customerId`;
//! - a bare GUID as the whole query: `?{guid}` or `?%7Bguid%7D`;
//! - the Third-party-website concatenation (`url` ending in `?customerId=` + `data`), which is
//!   just a query.
//!
//! Empty values count as absent; the same value given twice is fine, two different ones are a
//! [`ContextError::Conflict`].

mod values;

use dealpane_contract::percent::encode_component;
use dealpane_contract::{limits, CustomerType, Guid, GuidError};

use values::{collect, pairs, Values};

/// The longest `location.search` the widget reads, in bytes.
pub const QUERY_MAX_BYTES: usize = 2048;

/// What the workspace told the widget about this session.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionContext {
    /// `None` when the URL names no customer.
    pub customer: Option<CustomerKey>,
    pub case_id: Option<Guid>,
    /// The `lang` parameter as given (a BCP 47 tag), for `i18n::choose_locale`.
    pub lang: Option<String>,
    pub theme: Theme,
}

/// How to find the customer in Sales: an id, a name, or both (at least one is `Some`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerKey {
    pub id: Option<Guid>,
    /// Trimmed, at most `limits::NAME_MAX_CHARS` characters.
    pub name: Option<String>,
    pub kind: Option<CustomerType>,
}

impl CustomerKey {
    /// The DealSummary query for this customer, e.g.
    /// `customerId=3f2504e0-…&customerName=Contoso%20Ltd&customerType=account`
    /// (GUID lowercase and hyphenated, absent parts left out). Append `&top=…` if needed.
    pub fn api_query(&self) -> String {
        let mut parts = Vec::with_capacity(3);
        if let Some(id) = self.id {
            parts.push(format!("customerId={id}"));
        }
        if let Some(name) = &self.name {
            parts.push(format!("customerName={}", encode_component(name)));
        }
        if let Some(kind) = self.kind {
            parts.push(format!("customerType={}", kind.as_str()));
        }
        parts.join("&")
    }
}

/// The colour theme the host asked for; `Auto` follows `prefers-color-scheme`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    Light,
    Dark,
    #[default]
    Auto,
}

impl Theme {
    /// The value for the root element's `data-theme` attribute (`style/tokens.css` keys on it).
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::Auto => "auto",
        }
    }

    /// `light`, `dark` or `auto`, any case; anything else is `None`.
    pub fn parse(text: &str) -> Option<Theme> {
        match text.trim().to_ascii_lowercase().as_str() {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            "auto" => Some(Theme::Auto),
            _ => None,
        }
    }
}

/// Why the URL cannot be used. Data only: `i18n` turns it into words for an admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextError {
    /// The query is longer than [`QUERY_MAX_BYTES`].
    TooLong { length: usize },
    /// The workspace left a slug such as `{anchor._customerid_value}` unfilled.
    Unfilled {
        parameter: &'static str,
        slug: String,
    },
    InvalidGuid {
        parameter: &'static str,
        reason: GuidError,
    },
    /// The same parameter came twice with different values (e.g. in the query and in `data`).
    Conflict { parameter: &'static str },
    /// `customerName` is longer than `max` characters.
    NameTooLong { max: usize },
    /// `customerType` is neither `account` nor `contact`.
    InvalidType { value: String },
    /// `data` looked like JSON but is not valid JSON (`reason` is the JSON parser's message).
    BadData { reason: String },
}

/// The parameters the widget reads, by their canonical (DESIGN.md) names.
const CUSTOMER_ID: &str = "customerId";
const CUSTOMER_NAME: &str = "customerName";
const CUSTOMER_TYPE: &str = "customerType";
const CASE_ID: &str = "caseId";
const LANG: &str = "lang";
const THEME: &str = "theme";
const DATA: &str = "data";
const KNOWN: [&str; 6] = [
    CUSTOMER_ID,
    CUSTOMER_NAME,
    CUSTOMER_TYPE,
    CASE_ID,
    LANG,
    THEME,
];

/// Reads the session context from `location.search` (with or without the leading `?`).
pub fn parse_context(query: &str) -> Result<SessionContext, ContextError> {
    let query = query.strip_prefix('?').unwrap_or(query);
    if query.len() > QUERY_MAX_BYTES {
        return Err(ContextError::TooLong {
            length: query.len(),
        });
    }
    let values = collect(query)?;

    let id = values
        .get(CUSTOMER_ID)
        .map(|v| parse_guid(v.origin, &v.text))
        .transpose()?;
    let name = values
        .get(CUSTOMER_NAME)
        .map(|v| parse_name(&v.text))
        .transpose()?;
    let kind = values
        .get(CUSTOMER_TYPE)
        .map(|v| parse_type(&v.text))
        .transpose()?;
    let case_id = values
        .get(CASE_ID)
        .map(|v| parse_guid(v.origin, &v.text))
        .transpose()?;
    let customer = (id.is_some() || name.is_some()).then_some(CustomerKey { id, name, kind });
    let (lang, theme) = preferences_from(&values);
    Ok(SessionContext {
        customer,
        case_id,
        lang,
        theme,
    })
}

/// The `lang` and `theme` parameters alone, leniently: never fails, ignores what it cannot use
/// (an invalid or conflicting value, an unfilled slug, an over-long query's tail).
pub fn preferences(query: &str) -> (Option<String>, Theme) {
    let query = query.strip_prefix('?').unwrap_or(query);
    // `get`, not `[..]`: a slice's panic path would bring `char`'s `Debug` into the wasm.
    let within = query.get(..query.floor_char_boundary(QUERY_MAX_BYTES));
    let mut values = Values::default();
    for (name, value) in pairs(within.unwrap_or_default()) {
        let _ = values.add_param(&name, value, true);
    }
    preferences_from(&values)
}

fn preferences_from(values: &Values) -> (Option<String>, Theme) {
    let lang = values
        .get(LANG)
        .map(|v| v.text.trim())
        .filter(|tag| crate::i18n::is_language_tag(tag))
        .map(str::to_owned);
    let theme = values
        .get(THEME)
        .and_then(|v| Theme::parse(&v.text))
        .unwrap_or_default();
    (lang, theme)
}

/// `{anchor._customerid_value}`, `{customerRecordId}`, …: a template slug the workspace left as is.
fn unfilled_slug(text: &str) -> Option<&str> {
    let inner = text.strip_prefix('{')?.strip_suffix('}')?;
    let starts_like_a_name = inner
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let name_chars = inner
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '@' | '-'));
    (starts_like_a_name && name_chars && Guid::parse(text).is_err()).then_some(text)
}

fn check_filled(parameter: &'static str, text: &str) -> Result<(), ContextError> {
    match unfilled_slug(text) {
        Some(slug) => Err(ContextError::Unfilled {
            parameter,
            slug: slug.to_owned(),
        }),
        None => Ok(()),
    }
}

fn parse_guid(parameter: &'static str, text: &str) -> Result<Guid, ContextError> {
    check_filled(parameter, text)?;
    Guid::parse(text).map_err(|reason| ContextError::InvalidGuid { parameter, reason })
}

fn parse_name(text: &str) -> Result<String, ContextError> {
    check_filled(CUSTOMER_NAME, text)?;
    if text.chars().count() > limits::NAME_MAX_CHARS {
        return Err(ContextError::NameTooLong {
            max: limits::NAME_MAX_CHARS,
        });
    }
    Ok(text.to_owned())
}

fn parse_type(text: &str) -> Result<CustomerType, ContextError> {
    check_filled(CUSTOMER_TYPE, text)?;
    CustomerType::parse(text).ok_or_else(|| ContextError::InvalidType {
        value: text.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
    const CASE: &str = "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d";

    fn customer(query: &str) -> CustomerKey {
        parse_context(query)
            .unwrap_or_else(|e| panic!("{query}: {e:?}"))
            .customer
            .unwrap_or_else(|| panic!("{query}: no customer"))
    }

    fn id(query: &str) -> String {
        customer(query)
            .id
            .map(|g| g.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn empty_query_has_no_customer_and_auto_theme() {
        for query in [
            "",
            "?",
            "?&",
            "?customerId=&customerName=",
            "?customerName=+++",
        ] {
            let ctx = parse_context(query).unwrap();
            assert_eq!(ctx, SessionContext::default(), "{query}");
        }
    }

    #[test]
    fn plain_query_parameters() {
        let ctx = parse_context(&format!(
            "?customerId={{{}}}&customerName=Contoso+Pharma%20Ltd&customerType=Account&caseId={CASE}&lang=de-DE&theme=dark",
            ID.to_uppercase()
        ))
        .unwrap();
        let key = ctx.customer.unwrap();
        assert_eq!(key.id.unwrap().to_string(), ID);
        assert_eq!(key.name.as_deref(), Some("Contoso Pharma Ltd"));
        assert_eq!(key.kind, Some(CustomerType::Account));
        assert_eq!(ctx.case_id.unwrap().to_string(), CASE);
        assert_eq!(ctx.lang.as_deref(), Some("de-DE"));
        assert_eq!(ctx.theme, Theme::Dark);
    }

    #[test]
    fn parameter_names_are_case_insensitive() {
        assert_eq!(id(&format!("CUSTOMERID={ID}")), ID);
        assert_eq!(id(&format!("?customerid={ID}&Theme=LIGHT")), ID);
        assert_eq!(parse_context("?THEME=Light").unwrap().theme, Theme::Light);
        assert_eq!(id(&format!("?DATA=CustomerId%3D{ID}")), ID);
    }

    #[test]
    fn guid_spellings_braces_case_and_encoding() {
        for spelling in [
            ID.to_owned(),
            ID.to_uppercase(),
            format!("{{{ID}}}"),
            format!("%7B{ID}%7D"),
            format!("%7b{}%7d", ID.to_uppercase()),
            format!("%257B{ID}%257D"),
            ID.replace('-', ""),
        ] {
            assert_eq!(id(&format!("?customerId={spelling}")), ID, "{spelling}");
        }
    }

    #[test]
    fn bare_guid_as_whole_query() {
        assert_eq!(id(&format!("?{{{ID}}}")), ID);
        assert_eq!(id(&format!("?%7B{ID}%7D")), ID);
        assert_eq!(id(ID), ID);
        assert_eq!(id(&format!("?{ID}&lang=fr")), ID);
    }

    #[test]
    fn third_party_website_concatenation() {
        // url `https://host/?customerId=` + data `{guid}`.
        assert_eq!(id(&format!("?customerId={{{ID}}}")), ID);
        // url `https://host/?data=` + data `customerId=…&customerName=…` (not encoded).
        let key = customer(&format!("?data=customerId={ID}&customerName=Contoso"));
        assert_eq!(key.id.unwrap().to_string(), ID);
        assert_eq!(key.name.as_deref(), Some("Contoso"));
    }

    #[test]
    fn data_as_nested_query_encoded_once_or_twice() {
        let once = format!(
            "?data=customerId%3D{ID}%26customerName%3DA%2526B%20Coffee%26customerType%3Dcontact"
        );
        let key = customer(&once);
        assert_eq!(key.id.unwrap().to_string(), ID);
        assert_eq!(key.name.as_deref(), Some("A&B Coffee"));
        assert_eq!(key.kind, Some(CustomerType::Contact));

        let twice = format!("?data=customerId%253D{ID}%2526customerName%253DFabrikam");
        let key = customer(&twice);
        assert_eq!(key.id.unwrap().to_string(), ID);
        assert_eq!(key.name.as_deref(), Some("Fabrikam"));

        let prefs = parse_context("?data=lang%3Dfr%26theme%3Dlight").unwrap();
        assert_eq!(
            (prefs.lang.as_deref(), prefs.theme),
            (Some("fr"), Theme::Light)
        );
    }

    #[test]
    fn data_as_json_object() {
        let json = format!(
            r#"{{"customerId":"{{{ID}}}","CustomerName":"Contoso","customerType":"account","lang":"de","extra":[1]}}"#
        );
        let query = format!("?data={}", encode_component(&json));
        let ctx = parse_context(&query).unwrap();
        let key = ctx.customer.unwrap();
        assert_eq!(key.id.unwrap().to_string(), ID);
        assert_eq!(key.name.as_deref(), Some("Contoso"));
        assert_eq!(key.kind, Some(CustomerType::Account));
        assert_eq!(ctx.lang.as_deref(), Some("de"));
        // Encoded twice still works.
        let twice = format!("?data={}", encode_component(&encode_component(&json)));
        assert_eq!(id(&twice), ID);
    }

    #[test]
    fn data_as_bare_guid() {
        assert_eq!(id(&format!("?data={ID}")), ID);
        assert_eq!(id(&format!("?data=%7B{ID}%7D")), ID);
        assert_eq!(id(&format!("?data=%257B{ID}%257D")), ID);
    }

    #[test]
    fn name_only_is_a_customer() {
        let key = customer("?customerName=%20Contoso%20");
        assert_eq!((key.id, key.name.as_deref()), (None, Some("Contoso")));
        assert_eq!(key.api_query(), "customerName=Contoso");
    }

    #[test]
    fn type_without_id_or_name_is_no_customer() {
        assert_eq!(
            parse_context("?customerType=account").unwrap().customer,
            None
        );
    }

    #[test]
    fn too_long_query() {
        let long = format!("?customerName={}", "a".repeat(QUERY_MAX_BYTES));
        assert_eq!(
            parse_context(&long),
            Err(ContextError::TooLong {
                length: QUERY_MAX_BYTES + 13
            })
        );
        let exactly = format!(
            "customerName=Contoso&x={}",
            "a".repeat(QUERY_MAX_BYTES - 23)
        );
        assert_eq!(exactly.len(), QUERY_MAX_BYTES);
        assert!(parse_context(&exactly).is_ok());
    }

    #[test]
    fn malformed_guids_name_their_parameter() {
        assert_eq!(
            parse_context("?customerId=3f2504e0-4f89-11d3-9a0c-0305e82c330"),
            Err(ContextError::InvalidGuid {
                parameter: "customerId",
                reason: GuidError::WrongDigitCount(31)
            })
        );
        assert_eq!(
            parse_context(&format!("?customerId={ID}&caseId=case-42")),
            Err(ContextError::InvalidGuid {
                parameter: "caseId",
                reason: GuidError::InvalidCharacter('s')
            })
        );
        assert!(matches!(
            parse_context("?data=not-a-guid"),
            Err(ContextError::InvalidGuid {
                parameter: "data",
                ..
            })
        ));
        assert!(matches!(
            parse_context("?hello"),
            Err(ContextError::InvalidGuid {
                parameter: "customerId",
                ..
            })
        ));
    }

    #[test]
    fn unfilled_slugs_are_reported_by_parameter() {
        const NAME_SLUG: &str =
            "{anchor._customerid_value@OData.Community.Display.V1.FormattedValue}";
        const TYPE_SLUG: &str =
            "{anchor._customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname}";
        let name_query = format!("?customerId={ID}&customerName={NAME_SLUG}");
        let type_query = format!("?customerName=Contoso&customerType={TYPE_SLUG}");
        let cases = [
            (
                "?customerId={anchor._customerid_value}",
                "customerId",
                "{anchor._customerid_value}",
            ),
            (
                "?customerId=%7Banchor._customerid_value%7D",
                "customerId",
                "{anchor._customerid_value}",
            ),
            ("?{customerRecordId}", "customerId", "{customerRecordId}"),
            (name_query.as_str(), "customerName", NAME_SLUG),
            (type_query.as_str(), "customerType", TYPE_SLUG),
            (
                "?customerName=Contoso&caseId={caseId}",
                "caseId",
                "{caseId}",
            ),
            (
                "?data={anchor._customerid_value}",
                "data",
                "{anchor._customerid_value}",
            ),
            (
                "?data=customerId%3D%7BcustomerRecordId%7D",
                "customerId",
                "{customerRecordId}",
            ),
            (
                "?data=%7B%22customerName%22%3A%22%7BcustomerName%7D%22%7D",
                "customerName",
                "{customerName}",
            ),
        ];
        for (query, parameter, slug) in cases {
            assert_eq!(
                parse_context(query),
                Err(ContextError::Unfilled {
                    parameter,
                    slug: slug.to_owned()
                }),
                "{query}"
            );
        }
    }

    #[test]
    fn the_same_value_twice_is_fine_different_values_conflict() {
        let upper = ID.to_uppercase();
        assert_eq!(id(&format!("?customerId={ID}&data=%7B{upper}%7D")), ID);
        assert_eq!(id(&format!("?customerId={ID}&customerId={ID}")), ID);
        let conflicts = [
            (format!("?customerId={ID}&data={CASE}"), "customerId"),
            (
                "?customerName=A&data=customerName%3DB".to_owned(),
                "customerName",
            ),
            ("?customerName=A&customerName=B".to_owned(), "customerName"),
        ];
        for (query, parameter) in conflicts {
            let expected = Err(ContextError::Conflict { parameter });
            assert_eq!(parse_context(&query), expected, "{query}");
        }
        assert_eq!(
            customer("?customerName=A&customerType=account&data=customerType%3DACCOUNT").kind,
            Some(CustomerType::Account)
        );
    }

    #[test]
    fn name_length_limit_in_characters() {
        let max = "é".repeat(limits::NAME_MAX_CHARS);
        let key = customer(&format!("?customerName={}", encode_component(&max)));
        assert_eq!(key.name.unwrap().chars().count(), limits::NAME_MAX_CHARS);
        let over = format!("?customerName={}", "a".repeat(limits::NAME_MAX_CHARS + 1));
        assert_eq!(
            parse_context(&over),
            Err(ContextError::NameTooLong {
                max: limits::NAME_MAX_CHARS
            })
        );
    }

    #[test]
    fn invalid_type_and_bad_json() {
        assert_eq!(
            parse_context("?customerName=A&customerType=lead"),
            Err(ContextError::InvalidType {
                value: "lead".into()
            })
        );
        assert!(matches!(
            parse_context("?data=%7B%22customerId%22%3A%7D"),
            Err(ContextError::BadData { reason }) if !reason.is_empty()
        ));
    }

    #[test]
    fn unknown_parameters_and_bad_preferences_are_ignored() {
        let ctx = parse_context(&format!(
            "?orglcid=1033&userlcid=1031&customerId={ID}&theme=sepia&lang=%3Cscript%3E"
        ))
        .unwrap();
        assert_eq!(ctx.theme, Theme::Auto);
        assert_eq!(ctx.lang, None);
    }

    #[test]
    fn api_query_is_canonical_and_encoded() {
        let key = CustomerKey {
            id: Some(Guid::parse(&format!("{{{}}}", ID.to_uppercase())).unwrap()),
            name: Some("A&B Café/Ltd".into()),
            kind: Some(CustomerType::Contact),
        };
        assert_eq!(
            key.api_query(),
            format!("customerId={ID}&customerName=A%26B%20Caf%C3%A9%2FLtd&customerType=contact")
        );
        let id_only = CustomerKey {
            id: key.id,
            name: None,
            kind: None,
        };
        assert_eq!(id_only.api_query(), format!("customerId={ID}"));
    }

    #[test]
    fn preferences_survive_errors() {
        assert_eq!(
            preferences("?customerId={anchor._customerid_value}&lang=de&theme=dark"),
            (Some("de".to_owned()), Theme::Dark)
        );
        assert_eq!(
            preferences("?data=%7Bbroken&lang=fr&theme=LIGHT&lang=de"),
            (Some("fr".to_owned()), Theme::Light)
        );
        assert_eq!(
            preferences("data=lang%3Dde"),
            (Some("de".to_owned()), Theme::Auto)
        );
        let long = format!("lang=de&theme=dark&customerName={}", "a".repeat(5_000));
        assert_eq!(preferences(&long), (Some("de".to_owned()), Theme::Dark));
        // The cut falls inside a three-byte character: it moves back to the character's start.
        let straddling = format!("lang=de&customerName={}€", "a".repeat(QUERY_MAX_BYTES - 22));
        assert!(!straddling.is_char_boundary(QUERY_MAX_BYTES));
        assert_eq!(
            preferences(&straddling),
            (Some("de".to_owned()), Theme::Auto)
        );
        assert_eq!(preferences(""), (None, Theme::Auto));
        assert_eq!(preferences("?lang=%E2%82%AC"), (None, Theme::Auto));
    }

    #[test]
    fn theme_round_trips() {
        for theme in [Theme::Light, Theme::Dark, Theme::Auto] {
            assert_eq!(Theme::parse(theme.as_str()), Some(theme));
        }
        assert_eq!(Theme::parse(" Dark "), Some(Theme::Dark));
        assert_eq!(Theme::parse("night"), None);
    }
}
