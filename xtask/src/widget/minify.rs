//! The release widget's JavaScript glue, minified. trunk's own minifier gives up on
//! wasm-bindgen's output (it warns `Failed to minify JS` and ships it as written), so after the
//! build esbuild minifies that one file.
//! Measured on this widget: 48,728 → 22,228 bytes, 8,767 → 6,661 bytes gzip -9.

use std::path::{Path, PathBuf};

use crate::process::{run_step, StepError};
use crate::tools;

/// Minifies `dist`'s wasm-bindgen glue, `glue`, in place (index.html's hash of it is refreshed
/// after the last step that changes it: `index_html::Linked::refresh_integrity`).
pub fn glue_js(dist: &Path, glue: &str) -> Result<(), StepError> {
    let failed = |cause: String| StepError {
        step: "minifying the widget's JavaScript".into(),
        cause,
        fix: "rerun `cargo xtask tools`, then the build".into(),
    };
    let glue = dist.join(glue);
    let minified = minified_path(&glue);
    run_step(
        "minifying the widget's JavaScript",
        tools::command(&tools::esbuild_path().to_string_lossy())
            .arg(&glue)
            .args(["--minify", "--format=esm", "--log-level=warning"])
            .arg(format!("--outfile={}", minified.display())),
        "read esbuild's message above",
    )?;
    std::fs::rename(&minified, &glue)
        .map_err(|e| failed(format!("cannot replace {}: {e}", glue.display())))
}

fn minified_path(glue: &Path) -> PathBuf {
    let mut name = glue.as_os_str().to_owned();
    name.push(".min");
    PathBuf::from(name)
}
