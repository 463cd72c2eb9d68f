//! Building the two programs (the widget with trunk, release and size-tuned; the server) and
//! running what uses them: the server over the built widget, the Node packages of e2e/.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::OnceLock;

use crate::process::{announce, run_step, Result, StepError};
use crate::{project, tools};

pub mod import_names;
mod index_html;
pub mod minify;
pub mod precompress;

/// `trunk build --release` into `dist/`, once per xtask run (the size check and the end-to-end
/// suite read the same build), then its JavaScript glue minified ([`minify`]), the names the
/// wasm imports from it shortened ([`import_names`]), index.html's hashes of both refreshed
/// once, and the `.br` and
/// `.gz` copies the server sends instead of
/// compressing each request ([`precompress`]). Tools must have been ensured.
pub fn build_release() -> Result<()> {
    static BUILT: OnceLock<()> = OnceLock::new();
    if BUILT.get().is_some() {
        return Ok(());
    }
    announce("building the widget (trunk, release)");
    run_step(
        "building the widget",
        tools::command("trunk").args(["build", "--release"]),
        "read trunk's message above; `cargo check -p dealpane --target wasm32-unknown-unknown` shows Rust errors alone",
    )?;
    let dist = project::dist_dir();
    let linked = index_html::Linked::read(&dist)?;
    announce("minifying the widget's JavaScript glue (esbuild)");
    minify::glue_js(&dist, &linked.glue)?;
    announce("shortening the names the wasm imports from its glue");
    import_names::shorten(&dist, &linked)?;
    linked.refresh_integrity(&dist)?;
    announce("precompressing the widget's files (brotli 11, gzip -9)");
    precompress::write_copies(&project::dist_dir()).map_err(|e| StepError {
        step: "precompressing the widget's files".into(),
        cause: e.to_string(),
        fix: "check that dist/ is writable, then rerun".into(),
    })?;
    let _ = BUILT.set(());
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

/// Starts `command` (from [`server_command`]); a failure says how to see the server's options.
pub fn spawn_server(command: &mut Command) -> std::result::Result<Child, StepError> {
    command.spawn().map_err(|e| StepError {
        step: "starting dealpane-server".into(),
        cause: e.to_string(),
        fix: format!("run {} --help", command.get_program().to_string_lossy()),
    })
}

/// `binary` on 127.0.0.1:`port` over the built widget and the preview, with its embedded store
/// at `store` (filled with `sample_size` customers when created), run from the checkout.
pub fn server_command(binary: &Path, port: u16, sample_size: u32, store: &Path) -> Command {
    let preview = project::root().join("server/preview");
    server_command_with_preview(binary, port, sample_size, store, &preview)
}

/// [`server_command`] serving `preview` at /preview/ (the bench adds its React baseline there).
pub fn server_command_with_preview(
    binary: &Path,
    port: u16,
    sample_size: u32,
    store: &Path,
    preview: &Path,
) -> Command {
    let mut command = Command::new(binary);
    command
        .current_dir(project::root())
        .args(["--port", &port.to_string()])
        .args(["--sample-size", &sample_size.to_string()])
        .arg("--store")
        .arg(store)
        .arg("--widget-dir")
        .arg(project::dist_dir())
        .arg("--preview-dir")
        .arg(preview);
    command
}

/// `npm ci` in e2e/: the Node packages `purpose` needs (the suite, the bench's browser harness).
pub fn install_e2e_packages(purpose: &str) -> std::result::Result<(), StepError> {
    run_step(
        &format!("installing {purpose}'s npm packages"),
        tools::command("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(project::root().join("e2e")),
        "check that npm can reach registry.npmjs.org (`npm ping`), then rerun",
    )
}
