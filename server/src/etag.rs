//! Strong ETags. A strong validator names exact bytes, so a compressed body gets its own tag:
//! `"<hash>"` becomes `"<hash>-gzip"` (or `-br`) when compression applies, and `If-None-Match`
//! accepts either spelling for the same answer.

use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};

/// `"<base64url of SHA-256>"`, a strong validator of exactly these bytes.
pub fn strong_etag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!(
        "\"{}\"",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
    )
}

/// The tag from `If-None-Match` that validates `etag` (any content-coding spelling), if any;
/// `*` validates any. Comparison is weak, as RFC 9110 asks for `If-None-Match`.
pub fn if_none_match(headers: &HeaderMap, etag: &str) -> Option<String> {
    let opaque = etag.trim_matches('"');
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|candidate| candidate.trim().trim_start_matches("W/"))
        .find(|candidate| {
            if *candidate == "*" {
                return true;
            }
            let inner = candidate.trim_matches('"');
            inner == opaque
                || inner
                    .strip_prefix(opaque)
                    .and_then(|rest| rest.strip_prefix('-'))
                    .is_some_and(|coding| ["gzip", "br", "deflate", "zstd"].contains(&coding))
        })
        .map(|candidate| {
            if candidate == "*" {
                etag.to_owned()
            } else {
                candidate.to_owned()
            }
        })
}

/// Middleware outside the compression layer: suffixes a strong ETag with the content-coding.
pub async fn tag_encoded_etags(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let coding = response
        .headers()
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let etag = response
        .headers()
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let (Some(coding), Some(etag)) = (coding, etag) {
        if let Some(opaque) = etag.strip_prefix('"').and_then(|e| e.strip_suffix('"')) {
            if let Ok(value) = HeaderValue::from_str(&format!("\"{opaque}-{coding}\"")) {
                response.headers_mut().insert(header::ETAG, value);
            }
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_are_quoted_and_follow_the_bytes() {
        let a = strong_etag(b"one");
        assert!(a.starts_with('"') && a.ends_with('"') && !a.starts_with("W/"));
        assert_eq!(a, strong_etag(b"one"));
        assert_ne!(a, strong_etag(b"two"));
    }

    #[test]
    fn if_none_match_accepts_coded_and_weak_spellings() {
        let matched = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::IF_NONE_MATCH, HeaderValue::from_str(value).unwrap());
            if_none_match(&headers, "\"abc\"")
        };
        for (sent, validated) in [
            ("\"abc\"", "\"abc\""),
            ("\"x\", \"abc-gzip\"", "\"abc-gzip\""),
            ("W/\"abc\"", "\"abc\""),
            ("*", "\"abc\""),
        ] {
            assert_eq!(matched(sent).as_deref(), Some(validated), "{sent}");
        }
        assert_eq!(matched("\"abcd\""), None);
        assert_eq!(matched("\"abc-evil\""), None);
        assert_eq!(if_none_match(&HeaderMap::new(), "\"abc\""), None);
    }
}
