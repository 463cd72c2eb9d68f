//! Building the two programs: the widget with trunk (release, size-tuned) and the server.

use std::path::PathBuf;

use crate::process::{announce, run_step, Result};
use crate::{project, tools};

/// `trunk build --release` into `dist/`. Tools must have been ensured.
pub fn build_release() -> Result<()> {
    announce("building the widget (trunk, release)");
    run_step(
        "building the widget",
        tools::command("trunk").args(["build", "--release"]),
        "read trunk's message above; `cargo check -p dealpane --target wasm32-unknown-unknown` shows Rust errors alone",
    )?;
    Ok(())
}

/// Builds dealpane-server with `profile` (`dev` or `server`) and returns the binary's path.
pub fn build_server(profile: &str) -> Result<PathBuf> {
    announce(format!("building dealpane-server ({profile} profile)"));
    run_step(
        "building dealpane-server",
        tools::command("cargo").args([
            "build",
            "--package",
            "dealpane-server",
            "--profile",
            profile,
        ]),
        "read the compiler's message above",
    )?;
    let dir = if profile == "dev" { "debug" } else { profile };
    Ok(project::target_dir().join(dir).join("dealpane-server"))
}
