//! Every external tool dealpane's commands use, pinned in this one place, and the idempotent
//! installer: a tool at the right version is left alone, a missing or wrong one is (re)installed.

use std::env;
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

use crate::process::{announce, output_of, output_of_command, run_step, Result, StepError};
use crate::project;

/// trunk 0.22 needs rustc 1.96; 0.21.14 is the newest that builds on this toolchain.
pub const TRUNK_VERSION: &str = "0.21.14";
/// npm's binaryen (a JS build). Debian's binaryen 108 produces modules Chromium refuses.
pub const BINARYEN_NPM_VERSION: &str = "132.0.0";
/// npm's esbuild, which minifies the widget's JavaScript glue (widget/minify.rs); the same
/// version as e2e/react-baseline's.
pub const ESBUILD_NPM_VERSION: &str = "0.28.2";
/// What `wasm-opt --version` prints for it; Trunk.toml pins the same.
pub const WASM_OPT_VERSION_TAG: &str = "version_132";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Debian packages; chromium and chromium-driver must be the same version.
pub const BROWSER_PACKAGES: [&str; 2] = ["chromium", "chromium-driver"];
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's Redis: the shared-cache tests start their own `redis-server` on a free port.
pub const REDIS_PACKAGE: &str = "redis-server";
pub const REDIS_SERVER: &str = "/usr/bin/redis-server";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

#[derive(clap::Args)]
pub struct ToolsArgs {
    /// Also install what only the tests need: Chromium, ChromeDriver and redis-server.
    #[arg(long)]
    pub browser: bool,
}

pub fn run(args: ToolsArgs) -> Result<()> {
    let needs = if args.browser {
        Needs::Tests
    } else {
        Needs::Build
    };
    ensure(needs)
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Building the widget: wasm target, trunk, wasm-bindgen-cli, wasm-opt, esbuild.
    Build,
    /// Building plus the tests: Chromium, ChromeDriver, Node and redis-server.
    Tests,
}

/// One tool: how to tell its installed version and how to install the pinned one.
struct Tool {
    name: String,
    wanted: String,
    /// What is installed now (a version string), or None when missing.
    found: Option<String>,
    install: fn(&Tool) -> std::result::Result<(), StepError>,
    /// Said before installing, so nobody thinks the command hangs.
    duration_hint: &'static str,
}

impl Tool {
    fn is_current(&self) -> bool {
        self.found.as_deref() == Some(self.wanted.as_str())
    }
}

/// Makes sure every tool `needs` asks for is present at its pinned version.
pub fn ensure(needs: Needs) -> Result<()> {
    let mut tools = vec![
        wasm_target(),
        trunk(),
        wasm_bindgen()?,
        wasm_opt(),
        esbuild(),
    ];
    if needs == Needs::Tests {
        require_node()?;
        tools.push(chromium());
        tools.push(chromedriver());
        tools.push(redis());
    }
    let stale: Vec<&Tool> = tools.iter().filter(|t| !t.is_current()).collect();
    if stale.is_empty() {
        let list: Vec<String> = tools
            .iter()
            .map(|t| format!("{} {}", t.name, t.wanted))
            .collect();
        eprintln!(
            "==> tools: nothing to install ({} present)",
            list.join(", ")
        );
        return Ok(());
    }
    for tool in stale {
        let why = match &tool.found {
            None => "missing".to_owned(),
            Some(found) => format!("found {found}, need {}", tool.wanted),
        };
        announce(format!(
            "installing {} {} ({why}); {}",
            tool.name, tool.wanted, tool.duration_hint
        ));
        (tool.install)(tool)?;
    }
    Ok(())
}

/// PATH for child processes: the project-local wasm-opt first, then cargo's bin dir.
pub fn path_env() -> OsString {
    let mut dirs = vec![
        project::tools_dir().join("binaryen/node_modules/.bin"),
        cargo_bin_dir(),
    ];
    if let Some(path) = env::var_os("PATH") {
        dirs.extend(env::split_paths(&path));
    }
    env::join_paths(dirs).expect("PATH entries contain no separator")
}

/// A command that sees the pinned tools first.
pub fn command(program: &str) -> Command {
    let mut command = Command::new(program);
    command
        .env("PATH", path_env())
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .env("CHROMEDRIVER", CHROMEDRIVER)
        .current_dir(project::root());
    command
}

fn cargo_bin_dir() -> PathBuf {
    env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
        .join("bin")
}

/// Runs `program --version` with the tools PATH and returns the word starting with `marker`.
fn version_of(program: &str, marker: &str) -> Option<String> {
    let text = output_of_command(command(program).arg("--version"))?;
    text.split_whitespace()
        .find(|word| word.starts_with(marker))
        .map(str::to_owned)
}

fn wasm_target() -> Tool {
    let installed = output_of("rustup", &["target", "list", "--installed"])
        .is_some_and(|list| list.lines().any(|l| l.trim() == WASM_TARGET));
    Tool {
        name: "rust target".into(),
        wanted: WASM_TARGET.into(),
        found: installed.then(|| WASM_TARGET.to_owned()),
        install: |_| {
            run_step(
                "adding the wasm32 target",
                Command::new("rustup").args(["target", "add", WASM_TARGET]),
                "check that rustup can reach static.rust-lang.org, then rerun",
            )
        },
        duration_hint: "about a minute",
    }
}

fn trunk() -> Tool {
    Tool {
        name: "trunk".into(),
        wanted: TRUNK_VERSION.into(),
        found: version_of("trunk", "0."),
        install: |tool| {
            run_step(
                "installing trunk",
                command("cargo").args(["install", "trunk", "--locked", "--force", "--version", &tool.wanted]),
                "rerun `cargo xtask tools`; if the crates.io download failed, check the registry is reachable",
            )
        },
        duration_hint: "compiles from source, about 10 minutes on 2 cores",
    }
}

/// wasm-bindgen-cli must equal the `wasm-bindgen` crate in Cargo.lock exactly.
fn wasm_bindgen() -> Result<Tool> {
    let wanted = locked_version("wasm-bindgen")?;
    let cli = version_of("wasm-bindgen", "0.");
    let runner = version_of("wasm-bindgen-test-runner", "0.");
    // Both binaries come from wasm-bindgen-cli; a mismatch between them means a partial install.
    let found = if cli == runner { cli } else { None };
    Ok(Tool {
        name: "wasm-bindgen-cli".into(),
        wanted,
        found,
        install: |tool| {
            // Without --locked: the CLI's own lockfile names a crate this registry lacks.
            run_step(
                "installing wasm-bindgen-cli",
                command("cargo").args([
                    "install",
                    "wasm-bindgen-cli",
                    "--force",
                    "--version",
                    &format!("={}", tool.wanted),
                ]),
                "rerun `cargo xtask tools`; the version must equal Cargo.lock's wasm-bindgen",
            )
        },
        duration_hint: "compiles from source, about 5 minutes on 2 cores",
    })
}

fn wasm_opt() -> Tool {
    let local = project::tools_dir().join("binaryen/node_modules/.bin/wasm-opt");
    let found = output_of(&local, &["--version"]).and_then(|text| {
        // Prints `wasm-opt version 132 (version_132)`.
        text.split(|c: char| c.is_whitespace() || c == '(' || c == ')')
            .find(|w| w.starts_with("version_"))
            .map(str::to_owned)
    });
    Tool {
        name: "wasm-opt (npm binaryen)".into(),
        wanted: WASM_OPT_VERSION_TAG.into(),
        found,
        install: |_| npm_install_into("binaryen", &format!("binaryen@{BINARYEN_NPM_VERSION}")),
        duration_hint: "an npm download, under a minute",
    }
}

/// The project-local esbuild binary.
pub fn esbuild_path() -> PathBuf {
    project::tools_dir().join("esbuild/node_modules/.bin/esbuild")
}

fn esbuild() -> Tool {
    Tool {
        name: "esbuild (npm)".into(),
        wanted: ESBUILD_NPM_VERSION.into(),
        // Prints `0.28.2`.
        found: output_of(esbuild_path(), &["--version"]).map(|text| text.trim().to_owned()),
        install: |_| npm_install_into("esbuild", &format!("esbuild@{ESBUILD_NPM_VERSION}")),
        duration_hint: "an npm download, under a minute",
    }
}

/// `npm install package` into `.tools/<folder>`, exact version, nothing else.
fn npm_install_into(folder: &str, package: &str) -> std::result::Result<(), StepError> {
    let prefix = project::tools_dir().join(folder);
    std::fs::create_dir_all(&prefix).map_err(|e| StepError {
        step: format!("installing {package}"),
        cause: format!("cannot create {}: {e}", prefix.display()),
        fix: "check the checkout is writable".into(),
    })?;
    run_step(
        &format!("installing {package} (npm)"),
        command("npm").args([
            "install",
            "--prefix",
            &prefix.to_string_lossy(),
            "--no-audit",
            "--no-fund",
            "--save-exact",
            package,
        ]),
        "check that npm can reach registry.npmjs.org (`npm ping`), then rerun",
    )
}

fn debian_package_tool(name: &str, program: &str) -> Tool {
    let found = output_of(program, &["--version"]).and_then(|text| {
        text.split_whitespace()
            .find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
            .map(str::to_owned)
    });
    // The two packages must agree; the wanted version is whatever Chromium is installed.
    let wanted = output_of(CHROMIUM, &["--version"])
        .and_then(|text| {
            text.split_whitespace()
                .find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "Debian's current".to_owned());
    Tool {
        name: name.into(),
        wanted,
        found,
        install: |_| install_debian_packages(&BROWSER_PACKAGES),
        duration_hint: "Debian packages, a few minutes",
    }
}

/// Any Debian version will do: the tests use only long-standing commands.
fn redis() -> Tool {
    // Prints `Redis server v=7.0.15 sha=...`.
    let found = output_of(REDIS_SERVER, &["--version"]).and_then(|text| {
        text.split_whitespace()
            .find_map(|w| w.strip_prefix("v="))
            .map(str::to_owned)
    });
    Tool {
        name: "redis-server".into(),
        wanted: found
            .clone()
            .unwrap_or_else(|| "Debian's current".to_owned()),
        found,
        install: |_| install_debian_packages(&[REDIS_PACKAGE]),
        duration_hint: "a Debian package, under a minute",
    }
}

fn chromium() -> Tool {
    debian_package_tool("chromium", CHROMIUM)
}

fn chromedriver() -> Tool {
    debian_package_tool("chromedriver", CHROMEDRIVER)
}

fn install_debian_packages(packages: &[&str]) -> std::result::Result<(), StepError> {
    let as_root = output_of("id", &["-u"]).as_deref() == Some("0");
    let apt = |args: &[&str]| {
        let mut command = if as_root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.arg("apt-get");
            sudo
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    let fix = format!(
        "run `sudo apt-get update && sudo apt-get install -y {}` yourself, then rerun",
        packages.join(" ")
    );
    run_step(
        "updating the Debian package lists",
        &mut apt(&["update", "-q"]),
        &fix,
    )?;
    let mut install_args = vec!["install", "-y", "-q"];
    install_args.extend(packages);
    run_step(
        &format!("installing {}", packages.join(", ")),
        &mut apt(&install_args),
        &fix,
    )
}

fn require_node() -> Result<()> {
    match output_of("node", &["--version"]) {
        Some(_) if output_of("npm", &["--version"]).is_some() => Ok(()),
        _ => Err(Box::new(StepError {
            step: "checking for Node.js".into(),
            cause: "node or npm is not on PATH (the end-to-end tests and wasm-opt need them)"
                .into(),
            fix: "install Node.js 20 or newer (`sudo apt-get install -y nodejs npm`), then rerun"
                .into(),
        })),
    }
}

/// The version of `package` in Cargo.lock.
pub fn locked_version(package: &str) -> Result<String> {
    let lock_path = project::root().join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path).map_err(|e| StepError {
        step: "reading Cargo.lock".into(),
        cause: format!("{}: {e}", lock_path.display()),
        fix: "run `cargo generate-lockfile`".into(),
    })?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    lock.find(&needle)
        .and_then(|at| {
            let rest = &lock[at + needle.len()..];
            rest.split('"').next().map(str::to_owned)
        })
        .ok_or_else(|| {
            Box::new(StepError {
                step: "reading Cargo.lock".into(),
                cause: format!("no `{package}` package in it"),
                fix: "run `cargo generate-lockfile`".into(),
            }) as Box<dyn std::error::Error>
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Trunk.toml's `[tools]` must name the versions pinned here, or trunk would look for others.
    #[test]
    fn trunk_toml_pins_the_same_tool_versions() {
        let trunk_toml = std::fs::read_to_string(project::root().join("Trunk.toml")).unwrap();
        let wasm_bindgen = locked_version("wasm-bindgen").unwrap();
        assert!(
            trunk_toml.contains(&format!("wasm_bindgen = \"{wasm_bindgen}\"")),
            "Trunk.toml must pin wasm_bindgen = \"{wasm_bindgen}\" (Cargo.lock's)"
        );
        assert!(
            trunk_toml.contains(&format!("wasm_opt = \"{WASM_OPT_VERSION_TAG}\"")),
            "Trunk.toml must pin wasm_opt = \"{WASM_OPT_VERSION_TAG}\""
        );
    }

    #[test]
    fn reads_a_package_version_from_the_lockfile() {
        let version = locked_version("wasm-bindgen").unwrap();
        assert!(version.starts_with("0.2."), "{version}");
        assert!(locked_version("no-such-package-here").is_err());
    }
}
