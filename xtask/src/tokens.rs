//! `cargo xtask tokens`: regenerates `style/tokens.css` (Fluent 2 design tokens as CSS custom
//! properties) from the npm package `@fluentui/tokens`, pinned in `xtask/tokens/package-lock.json`.

use crate::process::{announce, run_step, Result};
use crate::{project, tools};

pub fn run() -> Result<()> {
    install_generator()?;
    announce("writing style/tokens.css");
    run_step(
        "generating style/tokens.css",
        tools::command("node").arg("xtask/tokens/generate.mjs"),
        "read the script's message above",
    )?;
    Ok(())
}

/// `npm ci` of the generator's pinned packages.
pub fn install_generator() -> Result<()> {
    announce("installing @fluentui/tokens (npm ci)");
    run_step(
        "installing @fluentui/tokens",
        tools::command("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(project::root().join("xtask/tokens")),
        "check that npm can reach registry.npmjs.org (`npm ping`), then rerun",
    )?;
    Ok(())
}
