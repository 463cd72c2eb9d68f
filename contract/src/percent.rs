//! The one percent codec. Both sides read `%XX` escapes: the GUID parser strictly (an id with a
//! broken escape is refused), the widget's URL reader leniently (an admin's typo stays as
//! written, `+` may be a space). Encoding keeps RFC 3986's unreserved characters.

/// How to read what is not a clean escape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decoding {
    /// A broken escape (`%G1`, a trailing `%`) or an escape above ASCII is an error; else a
    /// broken escape stays as written and the bytes are read as UTF-8, lossily.
    pub strict: bool,
    /// `+` is a space (query strings, `application/x-www-form-urlencoded`).
    pub plus_is_space: bool,
}

impl Decoding {
    /// Identifiers: GUIDs and other ASCII values.
    pub const STRICT: Decoding = Decoding {
        strict: true,
        plus_is_space: false,
    };
    /// A query string's names and values.
    pub const QUERY: Decoding = Decoding {
        strict: false,
        plus_is_space: true,
    };
    /// Text decoded once more (a value an admin encoded twice): `+` stays.
    pub const LENIENT: Decoding = Decoding {
        strict: false,
        plus_is_space: false,
    };
}

/// A strict decoding met a broken escape or one above ASCII.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadEscape;

/// Decodes `%XX` escapes as `how` says. Lenient decodings never fail.
pub fn decode(text: &str, how: Decoding) -> Result<String, BadEscape> {
    let escaped = text.contains('%') || (how.plus_is_space && text.contains('+'));
    if !escaped {
        return Ok(text.to_owned());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        let escaped = (byte == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(decoded) if how.strict && !decoded.is_ascii() => return Err(BadEscape),
            Some(decoded) => {
                out.push(decoded);
                i += 3;
            }
            None if how.strict && byte == b'%' => return Err(BadEscape),
            None => {
                out.push(if how.plus_is_space && byte == b'+' {
                    b' '
                } else {
                    byte
                });
                i += 1;
            }
        }
    }
    // Escapes are ASCII when strict, so only the input's own (valid) UTF-8 is above it.
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// [`decode`] for the lenient decodings, which cannot fail.
pub fn decode_lenient(text: &str, plus_is_space: bool) -> String {
    let how = Decoding {
        strict: false,
        plus_is_space,
    };
    decode(text, how).unwrap_or_default()
}

/// Percent-encodes everything but RFC 3986's unreserved characters (for query values).
pub fn encode_component(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 15)] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_decoding_keeps_broken_escapes() {
        assert_eq!(decode_lenient("100%+sure%2", true), "100% sure%2");
        assert_eq!(decode_lenient("a+b", false), "a+b");
        assert_eq!(decode_lenient("%C3%A9%FF", true), "é\u{FFFD}");
        assert_eq!(decode("%7Bx%7D", Decoding::LENIENT), Ok("{x}".to_owned()));
        assert_eq!(decode("a+b%20c", Decoding::QUERY), Ok("a b c".to_owned()));
    }

    #[test]
    fn strict_decoding_refuses_broken_and_non_ascii_escapes() {
        assert_eq!(decode("%7b%2D%7D", Decoding::STRICT), Ok("{-}".to_owned()));
        assert_eq!(decode("a+b", Decoding::STRICT), Ok("a+b".to_owned()));
        assert_eq!(decode("é", Decoding::STRICT), Ok("é".to_owned()));
        for broken in ["%7G", "%", "ab%2", "%C3%A9"] {
            assert_eq!(decode(broken, Decoding::STRICT), Err(BadEscape), "{broken}");
        }
    }

    #[test]
    fn encoding_keeps_unreserved_characters() {
        assert_eq!(encode_component("a b~"), "a%20b~");
        assert_eq!(encode_component("A&B Café/Ltd"), "A%26B%20Caf%C3%A9%2FLtd");
        let text = "Ünïcödé & 100% {x}+y";
        assert_eq!(decode_lenient(&encode_component(text), true), text);
    }
}
