//! Content-Security-Policy and the other security headers. trunk's `index.html` carries an
//! inline `<script type="module">` loader: its SHA-256 is computed at startup from the built
//! file and allowed by hash, so the policy never needs `'unsafe-inline'`.

use std::path::Path;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::settings::Settings;

/// The two policies: the widget's (and the API's), and the preview pages', which frame the
/// widget from the same origin.
#[derive(Clone)]
pub struct SecurityHeaders {
    widget: HeaderValue,
    preview: HeaderValue,
}

impl SecurityHeaders {
    /// Reads the built widget's and the preview's HTML to hash their inline scripts.
    pub fn from_settings(settings: &Settings) -> SecurityHeaders {
        let widget_hashes = html_files_script_hashes(&settings.widget_dir);
        if widget_hashes.is_empty() {
            tracing::warn!(
                dir = %settings.widget_dir.display(),
                "no inline script found in the widget's index.html; is the widget built (trunk build)?"
            );
        }
        let preview_hashes = html_files_script_hashes(&settings.preview_dir);
        let widget = content_security_policy(settings, &widget_hashes, false);
        let preview = content_security_policy(settings, &preview_hashes, true);
        SecurityHeaders {
            widget: HeaderValue::from_str(&widget).expect("settings were validated"),
            preview: HeaderValue::from_str(&preview).expect("settings were validated"),
        }
    }
}

/// The Entra authority's origin when the widget signs in (`/config.json` has an `auth` block).
fn sign_in_origin(settings: &Settings) -> Option<String> {
    settings.widget_client_id.as_ref()?;
    settings.entra_tenant_id.as_ref()?;
    let url = reqwest::Url::parse(&settings.entra_authority).ok()?;
    Some(url.origin().ascii_serialization()).filter(|origin| origin != "null")
}

/// The policy text. `frame_ancestors` and `connect_src` come from settings.
pub fn content_security_policy(
    settings: &Settings,
    script_hashes: &[String],
    preview: bool,
) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for hash in script_hashes {
        script_src.push_str(&format!(" '{hash}'"));
    }
    let mut connect_src = String::from("'self'");
    if let Some(extra) = &settings.connect_src {
        connect_src.push(' ');
        connect_src.push_str(extra.trim());
    }
    // The widget redeems its sign-in code and refreshes tokens at the authority (issue 11).
    if let Some(origin) = sign_in_origin(settings) {
        connect_src.push(' ');
        connect_src.push_str(&origin);
    }
    let mut directives = vec![
        "default-src 'self'".to_owned(),
        format!("script-src {script_src}"),
        "style-src 'self'".to_owned(),
        format!("connect-src {connect_src}"),
        "img-src 'self' data:".to_owned(),
        "base-uri 'none'".to_owned(),
        "object-src 'none'".to_owned(),
        "form-action 'self'".to_owned(),
        format!("frame-ancestors {}", settings.frame_ancestors.trim()),
    ];
    if preview {
        directives.push("frame-src 'self'".to_owned());
    }
    directives.join("; ")
}

/// `sha256-<base64>` of every inline `<script>` of every `.html` file directly in `dir`.
fn html_files_script_hashes(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("html"))
        })
        .collect();
    files.sort();
    let mut hashes = Vec::new();
    for file in files {
        match std::fs::read_to_string(&file) {
            Ok(html) => {
                for hash in inline_script_hashes(&html) {
                    if !hashes.contains(&hash) {
                        hashes.push(hash);
                    }
                }
            }
            Err(error) => tracing::warn!(file = %file.display(), %error, "cannot read"),
        }
    }
    hashes
}

/// `sha256-<base64>` of the exact text of each `<script>` element without a `src`.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut hashes = Vec::new();
    let mut at = 0;
    while let Some(start) = lower[at..].find("<script").map(|i| at + i) {
        let Some(tag_end) = lower[start..].find('>').map(|i| start + i) else {
            break;
        };
        let Some(close) = lower[tag_end..].find("</script").map(|i| tag_end + i) else {
            break;
        };
        let attributes = &lower[start + "<script".len()..tag_end];
        if !has_src_attribute(attributes) {
            let body = &html[tag_end + 1..close];
            let digest = Sha256::digest(body.as_bytes());
            hashes.push(format!(
                "sha256-{}",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        at = close;
    }
    hashes
}

fn has_src_attribute(attributes: &str) -> bool {
    attributes
        .split(|c: char| c.is_ascii_whitespace() || c == '/')
        .any(|attribute| attribute.split('=').next() == Some("src"))
}

/// Middleware: the policy (the preview's under `/preview`) and the fixed headers.
pub async fn add_security_headers(
    State(policies): State<Arc<SecurityHeaders>>,
    request: Request,
    next: Next,
) -> Response {
    let is_preview = request.uri().path().starts_with("/preview");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let policy = if is_preview {
        &policies.preview
    } else {
        &policies.widget
    };
    headers.insert(header::CONTENT_SECURITY_POLICY, policy.clone());
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_INDEX: &str = r#"<!DOCTYPE html><html><head>
<link rel="modulepreload" href="/dealpane-1a2b3c4d5e6f7a8b.js" crossorigin="anonymous" integrity="sha384-x">
<script src="/external.js"></script>
<script type="module">
import init, * as bindings from '/dealpane-1a2b3c4d5e6f7a8b.js';
const wasm = await init({ module_or_path: '/dealpane-1a2b3c4d5e6f7a8b_bg.wasm' });
</script></head><body></body></html>"#;

    #[test]
    fn hashes_only_inline_scripts_over_their_exact_text() {
        let hashes = inline_script_hashes(TRUNK_INDEX);
        assert_eq!(hashes.len(), 1);
        let start = TRUNK_INDEX.find("<script type=\"module\">").unwrap() + 22;
        let end = TRUNK_INDEX.rfind("</script>").unwrap();
        let expected = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(&TRUNK_INDEX.as_bytes()[start..end]));
        assert_eq!(hashes[0], format!("sha256-{expected}"));
    }

    #[test]
    fn policy_has_every_directive_and_no_unsafe_inline() {
        let settings = Settings {
            connect_src: Some("https://api.example.com".into()),
            ..Settings::default()
        };
        let policy = content_security_policy(&settings, &["sha256-abc".into()], false);
        for directive in [
            "default-src 'self'",
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-abc'",
            "style-src 'self'",
            "connect-src 'self' https://api.example.com",
            "img-src 'self' data:",
            "base-uri 'none'",
            "object-src 'none'",
            "frame-ancestors 'self' https://*.dynamics.com https://*.powerapps.com",
        ] {
            assert!(policy.contains(directive), "{directive} in {policy}");
        }
        assert!(!policy.contains("unsafe-inline"));
        assert!(!policy.contains("frame-src"));
        assert!(content_security_policy(&settings, &[], true).contains("frame-src 'self'"));
    }

    #[test]
    fn a_widget_that_signs_in_may_reach_the_authority() {
        let signing_in = Settings {
            entra_tenant_id: Some("t".into()),
            entra_audience: Some("api://dealpane".into()),
            widget_client_id: Some("c".into()),
            ..Settings::default()
        };
        let policy = content_security_policy(&signing_in, &[], false);
        assert!(
            policy.contains("connect-src 'self' https://login.microsoftonline.com;"),
            "{policy}"
        );
        let policy = content_security_policy(&Settings::default(), &[], false);
        assert!(!policy.contains("microsoftonline"), "{policy}");
    }
}
