//! What the stand-in records of each request, and how it reads query strings and `Prefer`.

use std::collections::HashMap;

use axum::http::request::Parts;
use axum::http::{header, HeaderMap};

/// One request as the stand-in received it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    /// Query options, percent-decoded (`+` read as a space, as Dataverse does).
    pub query: Vec<(String, String)>,
    /// Every `Prefer` preference, split at commas outside quotes.
    pub prefer: Vec<String>,
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    /// The impersonated agent's Entra object id (`CallerObjectId`), if any.
    pub caller_object_id: Option<String>,
    pub body: String,
}

impl RecordedRequest {
    pub(super) fn new(parts: &Parts, body: &[u8]) -> RecordedRequest {
        RecordedRequest {
            method: parts.method.to_string(),
            path: parts.uri.path().to_owned(),
            query: parse_query(parts.uri.query().unwrap_or("")),
            prefer: preferences(&parts.headers),
            authorization: header_text(&parts.headers, header::AUTHORIZATION),
            content_type: header_text(&parts.headers, header::CONTENT_TYPE),
            caller_object_id: header_text(
                &parts.headers,
                header::HeaderName::from_static("callerobjectid"),
            ),
            body: String::from_utf8_lossy(body).into_owned(),
        }
    }

    pub fn option(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The form fields of a token request.
    pub fn form(&self) -> HashMap<String, String> {
        parse_query(&self.body).into_iter().collect()
    }
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

/// All `Prefer` lines, each split at commas that are not inside quotes.
fn preferences(headers: &HeaderMap) -> Vec<String> {
    let mut found = Vec::new();
    for line in headers.get_all("prefer") {
        let text = line.to_str().unwrap_or("");
        let mut current = String::new();
        let mut quoted = false;
        for c in text.chars() {
            match c {
                '"' => {
                    quoted = !quoted;
                    current.push(c);
                }
                ',' if !quoted => found.push(std::mem::take(&mut current).trim().to_owned()),
                _ => current.push(c),
            }
        }
        found.push(current.trim().to_owned());
    }
    found.retain(|preference| !preference.is_empty());
    found
}

/// `a=b&c=d` with percent-decoding; `+` is a space (so an unencoded `+` is lost, as in
/// Dataverse).
fn parse_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect()
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(&text.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}
