//! The React 19 + Fluent UI v9 baseline of (b) (issue 14): e2e/react-baseline/, installed from
//! npm and bundled with esbuild (production, minified) into the bench's own preview folder,
//! beside copies of server/preview's pages (the floor page), so the bench server serves both
//! under /preview/ and server/preview holds no generated file.

use std::path::{Path, PathBuf};

use crate::process::{announce, run_step, Result};
use crate::{project, tools};

use super::sizes::{self, FileSize};

/// Where the bench's preview pages are gathered: the bench server's `--preview-dir`.
pub fn preview_dir() -> PathBuf {
    project::target_dir().join("bench").join("preview")
}

/// The baseline's folder under [`preview_dir`], served at /preview/react/.
const FOLDER: &str = "react";

/// The baseline's page, relative to the server's origin.
pub const PAGE: &str = "/preview/react/index.html";

/// Copies server/preview's files into [`preview_dir`], installs and builds the baseline into its
/// `react/` folder, and returns the built files' sizes (raw and gzip -9).
pub fn build() -> Result<Vec<FileSize>> {
    announce("building the React + Fluent baseline (e2e/react-baseline, npm + esbuild)");
    let preview = preview_dir();
    if preview.exists() {
        std::fs::remove_dir_all(&preview)?;
    }
    std::fs::create_dir_all(&preview)?;
    copy_files(&project::root().join("server").join("preview"), &preview)?;

    let source = project::root().join("e2e").join("react-baseline");
    run_step(
        "installing the React baseline's npm packages",
        tools::command("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&source),
        "check that npm can reach registry.npmjs.org (`npm ping`), then rerun",
    )?;
    let out = preview.join(FOLDER);
    run_step(
        "bundling the React baseline",
        tools::command("node")
            .arg("build.mjs")
            .arg(&out)
            .current_dir(&source),
        "read esbuild's message above; e2e/react-baseline/build.mjs is the build",
    )?;
    Ok(sizes::measure(&out)?)
}

/// Copies the files (not folders) directly in `from` into `to`.
fn copy_files(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}
