//! The one GUID parser. Dataverse and the workspace hand GUIDs around in many spellings
//! (`{3F2504E0-...}`, URL-encoded braces, 32 bare hex digits); everything downstream sees one:
//! lowercase, hyphenated, no braces.

use std::fmt;
use std::str::FromStr;

use crate::percent::{self, Decoding};

/// A GUID, displayed as `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in lowercase.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Guid(u128);

/// Why a string is not a GUID. The messages are meant for an admin reading them in the pane.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuidError {
    #[error("the GUID is empty")]
    Empty,
    #[error("the GUID is {0} characters long; at most 48 are accepted")]
    TooLong(usize),
    #[error("the GUID's percent-encoding is broken")]
    BadEncoding,
    #[error("the GUID has an opening brace without a closing one, or the reverse")]
    UnbalancedBraces,
    #[error("the GUID has {0} hex digits; it needs 32")]
    WrongDigitCount(usize),
    #[error("the GUID has '{0}', which is not a hex digit")]
    InvalidCharacter(char),
    #[error("the GUID's hyphens are misplaced; expected 8-4-4-4-12 digits")]
    MisplacedHyphens,
}

impl Guid {
    /// Parses any spelling the workspace or Dataverse produce: braces or none, any case,
    /// percent-encoded (`%7B...%7D`, `%2D`), hyphenated 8-4-4-4-12 or 32 bare hex digits.
    pub fn parse(input: &str) -> Result<Guid, GuidError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(GuidError::Empty);
        }
        // Bound before decoding so a huge input costs nothing.
        if trimmed.len() > 48 {
            return Err(GuidError::TooLong(trimmed.chars().count()));
        }
        let decoded =
            percent::decode(trimmed, Decoding::STRICT).map_err(|_| GuidError::BadEncoding)?;
        let text = decoded.trim();
        let inner = match text.strip_prefix('{') {
            Some(opened) => opened
                .strip_suffix('}')
                .ok_or(GuidError::UnbalancedBraces)?,
            None if text.ends_with('}') => return Err(GuidError::UnbalancedBraces),
            None => text,
        };
        if let Some(bad) = inner.chars().find(|c| !c.is_ascii_hexdigit() && *c != '-') {
            return Err(GuidError::InvalidCharacter(bad));
        }
        let digits = inner.chars().filter(|c| *c != '-').count();
        if digits != 32 {
            return Err(GuidError::WrongDigitCount(digits));
        }
        if inner.contains('-') {
            let groups: Vec<usize> = inner.split('-').map(str::len).collect();
            if groups != [8, 4, 4, 4, 12] {
                return Err(GuidError::MisplacedHyphens);
            }
        }
        let hex: String = inner.chars().filter(|c| *c != '-').collect();
        let value =
            u128::from_str_radix(&hex, 16).map_err(|_| GuidError::WrongDigitCount(digits))?;
        Ok(Guid(value))
    }

    pub const fn from_u128(value: u128) -> Guid {
        Guid(value)
    }

    pub const fn as_u128(self) -> u128 {
        self.0
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        write!(
            f,
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            (v >> 96) as u32,
            (v >> 80) as u16,
            (v >> 64) as u16,
            (v >> 48) as u16,
            v & 0xffff_ffff_ffff
        )
    }
}

impl fmt::Debug for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Guid({self})")
    }
}

impl FromStr for Guid {
    type Err = GuidError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Guid::parse(s)
    }
}

impl serde::Serialize for Guid {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Guid {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Guid::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CANONICAL: &str = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    #[test]
    fn accepts_every_spelling_and_normalizes() {
        for input in [
            CANONICAL,
            "3F2504E0-4F89-11D3-9A0C-0305E82C3301",
            "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}",
            "%7B3f2504e0-4f89-11d3-9a0c-0305e82c3301%7D",
            "%7b3F2504E0%2D4F89-11D3-9A0C-0305E82C3301%7d",
            "3f2504e04f8911d39a0c0305e82c3301",
            "  {3f2504e0-4f89-11d3-9a0c-0305e82c3301}  ",
        ] {
            let guid = Guid::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(guid.to_string(), CANONICAL, "{input}");
        }
    }

    #[test]
    fn rejects_each_malformation_with_its_reason() {
        let cases: [(&str, GuidError); 9] = [
            ("", GuidError::Empty),
            ("   ", GuidError::Empty),
            (&"a".repeat(49), GuidError::TooLong(49)),
            (
                "%7G3f2504e0-4f89-11d3-9a0c-0305e82c3301",
                GuidError::BadEncoding,
            ),
            (
                "{3f2504e0-4f89-11d3-9a0c-0305e82c3301",
                GuidError::UnbalancedBraces,
            ),
            (
                "3f2504e0-4f89-11d3-9a0c-0305e82c330",
                GuidError::WrongDigitCount(31),
            ),
            (
                "3f2504e0-4f89-11d3-9a0c-0305e82c330z",
                GuidError::InvalidCharacter('z'),
            ),
            (
                "3f2504e04-f89-11d3-9a0c-0305e82c3301",
                GuidError::MisplacedHyphens,
            ),
            (
                "{anchor._customerid_value}",
                GuidError::InvalidCharacter('n'),
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(Guid::parse(input), Err(expected.clone()), "{input:?}");
            assert!(!expected.to_string().is_empty());
        }
        assert_eq!(
            Guid::parse("{anchor._customerid_value}")
                .unwrap_err()
                .to_string(),
            "the GUID has 'n', which is not a hex digit"
        );
    }
}
