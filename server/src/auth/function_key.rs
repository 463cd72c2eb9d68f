//! Azure Functions-style function keys: `code` in the query or the `x-functions-key` header.
//! Compared in constant time; never logged (see `logging::redact_uri`).

use std::sync::Arc;

use axum::extract::Request;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub const KEY_HEADER: &str = "x-functions-key";

/// The accepted keys, stored as SHA-256 digests so every comparison has the same length.
#[derive(Clone, Default)]
pub struct FunctionKeys {
    digests: Arc<Vec<[u8; 32]>>,
}

impl FunctionKeys {
    pub fn new(keys: &[String]) -> FunctionKeys {
        FunctionKeys {
            digests: Arc::new(keys.iter().map(|k| digest(k)).collect()),
        }
    }

    pub fn required(&self) -> bool {
        !self.digests.is_empty()
    }

    /// Whether `candidate` is one of the keys. Every key is compared, whatever matches.
    pub fn accepts(&self, candidate: &str) -> bool {
        let candidate = digest(candidate);
        let matched = self
            .digests
            .iter()
            .fold(subtle::Choice::from(0), |any, key| {
                any | key.ct_eq(&candidate)
            });
        matched.into()
    }
}

fn digest(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

/// The `code` query parameter (name case-insensitive, like Azure Functions' query lookup).
pub fn code_from_query(query: &str) -> Option<String> {
    form_urlencoded::parse(query.as_bytes())
        .find(|(name, _)| name.eq_ignore_ascii_case("code"))
        .map(|(_, value)| value.into_owned())
}

/// The keys a request presents: the `x-functions-key` header and every `code` parameter.
pub fn presented_keys(request: &Request) -> Vec<String> {
    let header = request
        .headers()
        .get(KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let query = request.uri().query().and_then(code_from_query);
    header.into_iter().chain(query).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_only_configured_keys() {
        let keys = FunctionKeys::new(&["alpha".to_owned(), "beta".to_owned()]);
        assert!(keys.required());
        assert!(keys.accepts("alpha"));
        assert!(keys.accepts("beta"));
        assert!(!keys.accepts("alph"));
        assert!(!keys.accepts(""));
        assert!(!FunctionKeys::new(&[]).required());
    }

    #[test]
    fn code_is_found_in_any_case_and_decoded() {
        assert_eq!(code_from_query("a=1&Code=k%2By").as_deref(), Some("k+y"));
        assert_eq!(code_from_query("a=1"), None);
    }
}
