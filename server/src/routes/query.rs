//! Reading query strings the way Azure Functions does (parameter names case-insensitive),
//! with dealpane's bounds, and `Accept` negotiation.

use dealpane_contract::limits::{NAME_MAX_CHARS, QUERY_MAX_BYTES};

use crate::error::ApiError;

/// The decoded parameters of a bounded query string.
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(raw: Option<&str>) -> Result<Params, ApiError> {
        let raw = raw.unwrap_or_default();
        if raw.len() > QUERY_MAX_BYTES {
            return Err(ApiError::QueryTooLong(raw.len()));
        }
        Ok(Params(
            form_urlencoded::parse(raw.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        ))
    }

    /// The parameter's trimmed value; absent or blank is `None`. Given twice is an error, since
    /// two values would be ambiguous.
    pub fn get(&self, name: &'static str) -> Result<Option<&str>, ApiError> {
        let mut values = self
            .0
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim());
        let first = values.next();
        if values.next().is_some() {
            return Err(ApiError::bad(name, "is given more than once; pass it once"));
        }
        Ok(first.filter(|v| !v.is_empty()))
    }

    /// A whole number in `min..=max`, `default` when absent.
    pub fn number(
        &self,
        name: &'static str,
        min: u8,
        max: u8,
        default: u8,
    ) -> Result<u8, ApiError> {
        let Some(text) = self.get(name)? else {
            return Ok(default);
        };
        match text.parse::<u32>() {
            Ok(n) if (u32::from(min)..=u32::from(max)).contains(&n) => Ok(n as u8),
            _ => Err(ApiError::bad(
                name,
                format!(
                    "must be a whole number from {min} to {max}, not '{}'",
                    shorten(text)
                ),
            )),
        }
    }

    /// A free-text value of at most `NAME_MAX_CHARS` characters after trimming.
    pub fn bounded_text(&self, name: &'static str) -> Result<Option<&str>, ApiError> {
        let value = self.get(name)?;
        if let Some(text) = value {
            let chars = text.chars().count();
            if chars > NAME_MAX_CHARS {
                return Err(ApiError::bad(
                    name,
                    format!("is {chars} characters long; at most {NAME_MAX_CHARS} are accepted"),
                ));
            }
        }
        Ok(value)
    }
}

/// Echoes at most 40 characters of a bad value back, so the detail stays readable.
pub fn shorten(text: &str) -> String {
    if text.chars().count() <= 40 {
        text.to_owned()
    } else {
        text.chars().take(40).collect::<String>() + "…"
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Representation {
    Json,
    Text,
}

/// JSON only when the client asks for `application/json` (or `application/*`) with a quality
/// at least as high as anything else it accepts; otherwise the sample function's text/plain,
/// including for `*/*` and no `Accept` at all.
pub fn negotiate(accept: Option<&str>) -> Representation {
    let Some(accept) = accept else {
        return Representation::Text;
    };
    let mut json_q: f32 = 0.0;
    let mut best_other: f32 = 0.0;
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        if media.is_empty() {
            continue;
        }
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q=").or(p.trim().strip_prefix("Q=")))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0)
            .clamp(0.0, 1.0);
        if media == "application/json" || media == "application/*" {
            json_q = json_q.max(q);
        } else {
            best_other = best_other.max(q);
        }
    }
    if json_q > 0.0 && json_q >= best_other {
        Representation::Json
    } else {
        Representation::Text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_follows_quality() {
        use Representation::*;
        for (accept, expected) in [
            (None, Text),
            (Some("*/*"), Text),
            (Some("text/plain"), Text),
            (Some("application/json"), Json),
            (Some("application/json, text/plain"), Json),
            (Some("text/plain, application/json;q=0.9"), Text),
            (Some("application/json;q=0.9, text/plain;q=0.5"), Json),
            (Some("application/json;q=0"), Text),
            (Some("text/html, application/json;q=0.8, */*;q=0.1"), Text),
            (Some("application/json, */*;q=0.8"), Json),
            (Some(""), Text),
        ] {
            assert_eq!(negotiate(accept), expected, "{accept:?}");
        }
    }

    #[test]
    fn names_are_case_insensitive_and_duplicates_refused() {
        let params = Params::parse(Some("CustomerName=%20Contoso%20&top=3&top=4")).unwrap();
        assert_eq!(params.get("customerName").unwrap(), Some("Contoso"));
        assert!(params.get("top").is_err());
        assert_eq!(params.get("absent").unwrap(), None);
    }

    #[test]
    fn numbers_are_bounded() {
        let params = Params::parse(Some("a=0&b=1&c=50&d=51&e=abc&f=-1&g=99999999999")).unwrap();
        assert!(params.number("a", 1, 50, 10).is_err());
        assert_eq!(params.number("b", 1, 50, 10).unwrap(), 1);
        assert_eq!(params.number("c", 1, 50, 10).unwrap(), 50);
        for bad in ["d", "e", "f", "g"] {
            assert!(params.number(bad, 1, 50, 10).is_err(), "{bad}");
        }
        assert_eq!(params.number("absent", 1, 50, 10).unwrap(), 10);
    }
}
