//! OData query text for the Dataverse Web API. Every string that a user or the workspace
//! supplied reaches a `$filter` only through [`string_literal`] (and, inside `startswith`,
//! through [`escape_wildcards`] first); every query value is percent-encoded by
//! [`Query::to_query_string`].

use dealpane_contract::Guid;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// THE OData string-literal escaping: `value` in single quotes with each `'` doubled
/// (`O'Bryan` → `'O''Bryan'`). Nothing else needs escaping inside the quotes; the URL layer
/// percent-encodes the rest (`&`, `+`, `#`, `%`, ...).
pub fn string_literal(value: &str) -> String {
    let mut literal = String::with_capacity(value.len() + 2);
    literal.push('\'');
    for c in value.chars() {
        if c == '\'' {
            literal.push_str("''");
        } else {
            literal.push(c);
        }
    }
    literal.push('\'');
    literal
}

/// THE wildcard escaping for `startswith`/`contains`/`endswith`: Dataverse reads `%`, `_`,
/// `[...]` and `[^...]` in their argument as SQL `LIKE` wildcards, so each literal `%`, `_` and
/// `[` is put in brackets (`[%]`, `[_]`, `[[]`). Nothing else is special: `]` and `^` only
/// mean something inside brackets, which this never leaves open. Quotes are
/// [`string_literal`]'s business, applied after this.
pub fn escape_wildcards(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '%' => escaped.push_str("[%]"),
            '_' => escaped.push_str("[_]"),
            '[' => escaped.push_str("[[]"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// `column eq 'value'`.
pub fn eq_text(column: &str, value: &str) -> String {
    format!("{column} eq {}", string_literal(value))
}

/// `column eq <guid>`: Dataverse takes GUID literals unquoted.
pub fn eq_guid(column: &str, id: Guid) -> String {
    format!("{column} eq {id}")
}

/// `startswith(column,'prefix')`, the prefix matched literally (wildcards bracketed).
pub fn starts_with(column: &str, prefix: &str) -> String {
    format!(
        "startswith({column},{})",
        string_literal(&escape_wildcards(prefix))
    )
}

/// What stays readable in a query value: RFC 3986 unreserved characters plus `/ ( )` (paths
/// like `customerid_account/name`, function calls). Everything else is percent-encoded,
/// including `$ & + , : ; = ? @ ' % #` and spaces (as `%20`, never `+`).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/')
    .remove(b'(')
    .remove(b')');

/// Percent-encodes one query option's value.
pub fn encode_query_value(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// The system query options of one request, in the order they were added.
#[derive(Debug, Clone, Default)]
pub struct Query {
    options: Vec<(&'static str, String)>,
}

impl Query {
    pub fn new() -> Query {
        Query::default()
    }

    pub fn select(mut self, columns: &[&str]) -> Query {
        self.options.push(("$select", columns.join(",")));
        self
    }

    pub fn expand(mut self, expansion: &str) -> Query {
        self.options.push(("$expand", expansion.to_owned()));
        self
    }

    pub fn filter(mut self, filter: impl Into<String>) -> Query {
        self.options.push(("$filter", filter.into()));
        self
    }

    pub fn order_by(mut self, order: &str) -> Query {
        self.options.push(("$orderby", order.to_owned()));
        self
    }

    pub fn top(mut self, top: u32) -> Query {
        self.options.push(("$top", top.to_string()));
        self
    }

    /// `$select=...&$filter=...`, each value percent-encoded.
    pub fn to_query_string(&self) -> String {
        self.options
            .iter()
            .map(|(name, value)| format!("{name}={}", encode_query_value(value)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_doubled_and_nothing_else_changes() {
        assert_eq!(string_literal("O'Bryan"), "'O''Bryan'");
        assert_eq!(string_literal("' or 1 eq 1"), "''' or 1 eq 1'");
        assert_eq!(string_literal("''"), "''''''");
        assert_eq!(string_literal(""), "''");
        assert_eq!(string_literal("%27 & # + ü 😀"), "'%27 & # + ü 😀'");
    }

    #[test]
    fn wildcards_are_bracketed_and_nothing_else_changes() {
        assert_eq!(escape_wildcards("A_B"), "A[_]B");
        assert_eq!(escape_wildcards("100%"), "100[%]");
        assert_eq!(escape_wildcards("%lead"), "[%]lead");
        assert_eq!(escape_wildcards("[^a]"), "[[]^a]");
        assert_eq!(escape_wildcards("]^ O'B ü"), "]^ O'B ü");
        assert_eq!(escape_wildcards(""), "");
        assert_eq!(
            starts_with("name", "O'_%["),
            "startswith(name,'O''[_][%][[]')"
        );
    }

    #[test]
    fn the_documented_example_encodes_as_dataverse_expects() {
        let query = Query::new()
            .select(&["name", "estimatedvalue"])
            .filter(format!(
                "statecode eq 0 and {}",
                eq_text("customerid_account/name", "O'Brien & Sons")
            ))
            .order_by("estimatedvalue desc")
            .top(10);
        assert_eq!(
            query.to_query_string(),
            "$select=name%2Cestimatedvalue&$filter=statecode%20eq%200%20and%20customerid_account/name%20eq%20%27O%27%27Brien%20%26%20Sons%27&$orderby=estimatedvalue%20desc&$top=10"
        );
    }

    #[test]
    fn special_characters_are_percent_encoded() {
        assert_eq!(
            encode_query_value("a+b #c %27 ?d=e;f@g:h$i,j&k"),
            "a%2Bb%20%23c%20%2527%20%3Fd%3De%3Bf%40g%3Ah%24i%2Cj%26k"
        );
        assert_eq!(encode_query_value("é😀"), "%C3%A9%F0%9F%98%80");
    }
}
