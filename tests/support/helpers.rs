//! Steps several browser test files repeat: a Sales problem as the answer, a fresh fixture with
//! one answer behind a mounted pane, a mount checked for the root's language and direction, and
//! the chart's bar widths.

use super::{document, mount, problem, Fixture, Pane, QUERY};

const PROBLEM_JSON: &str = "application/problem+json";

/// What a problem says: its title, detail and trace id.
pub type Said<'a> = (&'a str, &'a str, &'a str);

/// Answers `pattern` with a problem+json `status` saying `said`, as Sales sends one.
pub fn reply_problem<'f>(
    fixture: &'f Fixture,
    pattern: &str,
    status: u16,
    said: Said,
) -> &'f Fixture {
    let (title, detail, trace_id) = said;
    fixture.reply(
        pattern,
        status,
        PROBLEM_JSON,
        &problem(status, title, detail, trace_id),
    )
}

/// Like [`reply_problem`], with `Retry-After: retry_after` seconds, as a throttle answers.
pub fn reply_throttled<'f>(
    fixture: &'f Fixture,
    pattern: &str,
    said: Said,
    retry_after: &str,
) -> &'f Fixture {
    let (title, detail, trace_id) = said;
    let headers = serde_json::json!({ "retry-after": retry_after });
    fixture.reply_with_headers(
        pattern,
        429,
        PROBLEM_JSON,
        &problem(429, title, detail, trace_id),
        headers,
    )
}

/// A fresh fixture whose one route answers `pattern` with `body`, and the pane mounted for
/// Contoso (the fixture is returned first so the pane is dropped before it).
pub fn mount_answered(
    pattern: &str,
    status: u16,
    content_type: &str,
    body: &str,
) -> (Fixture, Pane) {
    let fixture = Fixture::new();
    fixture.reply(pattern, status, content_type, body);
    (fixture, mount(QUERY))
}

/// Mounts `query`, waits for the first card, and asserts the `lang` and `dir` the pane put on
/// the document's root element.
pub async fn mount_in_language(query: &str, lang: &str, dir: &str) -> Pane {
    let pane = mount(query);
    pane.wait_for("article.dp-card").await;
    let root = document().document_element().unwrap();
    assert_eq!(root.get_attribute("lang").as_deref(), Some(lang), "{query}");
    assert_eq!(root.get_attribute("dir").as_deref(), Some(dir), "{query}");
    pane
}

/// Each chart bar's `style` (its width), in order.
pub fn bar_widths(pane: &Pane) -> Vec<String> {
    pane.all(".dp-chart__bar")
        .iter()
        .filter_map(|bar| bar.get_attribute("style"))
        .collect()
}
