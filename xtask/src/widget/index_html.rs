//! trunk's index.html as the release steps after it read and update it: which files it links
//! (the wasm-bindgen glue, the wasm) and their Subresource Integrity hashes.

use std::path::Path;

use base64::Engine;
use sha2::{Digest, Sha384};

use crate::process::StepError;

/// The files the steps after trunk rewrite, as `dist`'s index.html links them.
pub struct Linked {
    /// wasm-bindgen's JavaScript glue.
    pub glue: String,
    pub wasm: String,
}

impl Linked {
    pub fn read(dist: &Path) -> Result<Linked, StepError> {
        let index = read_index(dist)?;
        match (glue_name(&index), wasm_name(&index)) {
            (Some(glue), Some(wasm)) => Ok(Linked { glue, wasm }),
            _ => Err(failed(
                "index.html links no modulepreload glue or no application/wasm file".into(),
            )),
        }
    }

    /// index.html's integrity hashes of both files, for them as they are now: written once,
    /// after every step that changes them.
    pub fn refresh_integrity(&self, dist: &Path) -> Result<(), StepError> {
        let mut index = read_index(dist)?;
        for name in [&self.glue, &self.wasm] {
            let path = dist.join(name);
            let bytes = std::fs::read(&path)
                .map_err(|e| failed(format!("cannot read {}: {e}", path.display())))?;
            index = with_integrity(&index, name, &sri_sha384(&bytes))
                .ok_or_else(|| failed(format!("index.html has no integrity for {name}")))?;
        }
        let path = dist.join("index.html");
        std::fs::write(&path, index)
            .map_err(|e| failed(format!("cannot write {}: {e}", path.display())))
    }
}

fn read_index(dist: &Path) -> Result<String, StepError> {
    let path = dist.join("index.html");
    std::fs::read_to_string(&path)
        .map_err(|e| failed(format!("cannot read {}: {e}", path.display())))
}

fn failed(cause: String) -> StepError {
    StepError {
        step: "reading the widget's index.html".into(),
        cause,
        fix: "rebuild from a clean dist/ (`rm -rf dist`)".into(),
    }
}

/// The file name of trunk's `<link rel=modulepreload href=/NAME.js …>`: wasm-bindgen's glue.
fn glue_name(index: &str) -> Option<String> {
    link_tags(index)
        .find(|tag| attribute(tag, "rel") == Some("modulepreload"))
        .and_then(|tag| attribute(tag, "href"))
        .map(|href| href.trim_start_matches('/').to_owned())
}

/// `index` with the `integrity` of the `<link>` whose href is `/name` (or `name`) set to
/// `integrity`; `None` when there is no such attribute to replace.
fn with_integrity(index: &str, name: &str, integrity: &str) -> Option<String> {
    let tag = link_tags(index).find(|tag| {
        attribute(tag, "href").is_some_and(|href| href.trim_start_matches('/') == name)
    })?;
    let old = attribute(tag, "integrity")?;
    let new_tag = tag.replacen(old, integrity, 1);
    Some(index.replacen(tag, &new_tag, 1))
}

/// Subresource Integrity's `sha384-<base64>`.
fn sri_sha384(bytes: &[u8]) -> String {
    let digest = Sha384::digest(bytes);
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The file name of trunk's `<link rel=preload type=application/wasm href=/NAME …>`: the wasm.
fn wasm_name(index: &str) -> Option<String> {
    link_tags(index)
        .find(|tag| attribute(tag, "type") == Some("application/wasm"))
        .and_then(|tag| attribute(tag, "href"))
        .map(|href| href.trim_start_matches('/').to_owned())
}

/// Every `<link …>` tag of `html`, as written.
fn link_tags(html: &str) -> impl Iterator<Item = &str> {
    html.match_indices("<link").filter_map(|(start, _)| {
        let end = html[start..].find('>')?;
        Some(&html[start..=start + end])
    })
}

/// An attribute's value in a tag, quoted or (as trunk's minified html writes it) not.
fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let mut rest = tag;
    loop {
        let at = rest.find(name)?;
        let before = rest[..at].chars().next_back();
        let after = &rest[at + name.len()..];
        rest = after;
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let Some(value) = after.strip_prefix('=') else {
            continue;
        };
        return Some(match value.chars().next()? {
            quote @ ('"' | '\'') => {
                let value = &value[1..];
                &value[..value.find(quote)?]
            }
            _ => {
                let end = value
                    .find(|c: char| c.is_whitespace() || c == '>')
                    .unwrap_or(value.len());
                &value[..end]
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIFIED_INDEX: &str =
        "<head><link href=/main-1.css integrity=sha384-css rel=stylesheet>\
        <link crossorigin href=/dealpane-ab12.js integrity=sha384-old rel=modulepreload>\
        <link as=fetch crossorigin href=/dealpane-ab12_bg.wasm integrity=sha384-wasm rel=preload \
        type=application/wasm></head>";

    #[test]
    fn the_glue_is_the_modulepreload_link() {
        assert_eq!(
            glue_name(MINIFIED_INDEX).as_deref(),
            Some("dealpane-ab12.js")
        );
        let quoted = r#"<link rel="modulepreload" href="/app-9.js" integrity="sha384-x">"#;
        assert_eq!(glue_name(quoted).as_deref(), Some("app-9.js"));
        assert_eq!(glue_name("<link rel=stylesheet href=/a.css>"), None);
    }

    #[test]
    fn the_wasm_is_the_application_wasm_link() {
        assert_eq!(
            wasm_name(MINIFIED_INDEX).as_deref(),
            Some("dealpane-ab12_bg.wasm")
        );
        assert_eq!(wasm_name("<link rel=modulepreload href=/a.js>"), None);
    }

    #[test]
    fn only_the_glue_links_integrity_changes() {
        let updated = with_integrity(MINIFIED_INDEX, "dealpane-ab12.js", "sha384-new").unwrap();
        assert!(updated.contains("href=/dealpane-ab12.js integrity=sha384-new rel=modulepreload"));
        assert!(updated.contains("integrity=sha384-css"));
        assert!(updated.contains("integrity=sha384-wasm"));
        assert_eq!(updated.matches("sha384-old").count(), 0);
        assert_eq!(
            with_integrity(MINIFIED_INDEX, "other.js", "sha384-new"),
            None
        );
    }

    #[test]
    fn the_hash_is_sri_sha384() {
        // `printf abc | openssl dgst -sha384 -binary | base64`
        assert_eq!(
            sri_sha384(b"abc"),
            "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
        );
    }
}
