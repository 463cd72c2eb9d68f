//! `cargo xtask test`: every check and suite, in the order that fails fastest, each tallied;
//! the last line sums them all.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;

use crate::bench::sizes;
use crate::process::{announce, describe, Result};
use crate::tools::{self, Needs};
use crate::{project, tokens, widget};

#[derive(clap::Args)]
pub struct TestArgs {
    /// Run only these suites (repeatable): fmt, clippy, clippy-wasm, tokens, unit, browser, size, e2e.
    #[arg(long = "suite", value_name = "NAME")]
    pub suites: Vec<String>,
}

const SUITES: [&str; 8] = [
    "fmt",
    "clippy",
    "clippy-wasm",
    "tokens",
    "unit",
    "browser",
    "size",
    "e2e",
];

#[derive(Default, Clone, Copy, PartialEq, Eq, Debug)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
}

pub fn run(args: TestArgs) -> Result<()> {
    if let Some(unknown) = args.suites.iter().find(|s| !SUITES.contains(&s.as_str())) {
        return Err(format!(
            "no suite named `{unknown}`; the suites are {}",
            SUITES.join(", ")
        )
        .into());
    }
    let selected = |name: &str| args.suites.is_empty() || args.suites.iter().any(|s| s == name);
    // The unit suite starts its own redis-server; the browser and e2e suites need Chromium.
    let needs_test_tools = selected("unit") || selected("browser") || selected("e2e");
    tools::ensure(if needs_test_tools {
        Needs::Tests
    } else {
        Needs::Build
    })?;

    let mut results: Vec<(&str, Tally)> = Vec::new();
    for name in SUITES.into_iter().filter(|name| selected(name)) {
        announce(format!("suite {name}"));
        let tally = run_suite(name)?;
        eprintln!(
            "    {name}: {} passed, {} failed",
            tally.passed, tally.failed
        );
        results.push((name, tally));
    }

    let total = results.iter().fold(Tally::default(), |sum, (_, t)| Tally {
        passed: sum.passed + t.passed,
        failed: sum.failed + t.failed,
    });
    let failing: Vec<&str> = results
        .iter()
        .filter(|(_, t)| t.failed > 0)
        .map(|(n, _)| *n)
        .collect();
    if !failing.is_empty() {
        eprintln!("failing suites: {}", failing.join(", "));
    }
    println!("{} passed, {} failed", total.passed, total.failed);
    if total.failed > 0 {
        return Err(format!("{} failed", total.failed).into());
    }
    Ok(())
}

fn run_suite(name: &str) -> Result<Tally> {
    let cargo = |args: &[&str]| {
        let mut command = tools::command("cargo");
        command.args(args);
        command
    };
    Ok(match name {
        // A check is one test: it passes or it fails.
        "fmt" => check(cargo(&["fmt", "--all", "--", "--check"])),
        "clippy" => check(cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])),
        "clippy-wasm" => check(cargo(&[
            "clippy",
            "--package",
            "dealpane",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])),
        "tokens" => tokens_are_current()?,
        "unit" => counted(cargo(&["test", "--workspace"])),
        "browser" => browser(cargo(&[
            "test",
            "--package",
            "dealpane",
            "--target",
            "wasm32-unknown-unknown",
        ]))?,
        "size" => widget_within_ceiling()?,
        "e2e" => e2e()?,
        _ => unreachable!("suite names are checked in run()"),
    })
}

/// The browser tests run through chromedriver, which gives each run's Chromium a ~60 MB profile
/// in the temporary folder and leaves it there; on a full disk the next build fails (CI did). So
/// the suite gets a temporary folder of its own, emptied when it ends.
fn browser(mut command: Command) -> Result<Tally> {
    let scratch = project::target_dir().join("browser-tests-tmp");
    let empty = |dir: &std::path::Path| match std::fs::remove_dir_all(dir) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(format!(
            "could not empty the browser tests' temporary folder {}: {error}",
            dir.display()
        )),
        _ => Ok(()),
    };
    empty(&scratch)?;
    std::fs::create_dir_all(&scratch)
        .map_err(|error| format!("could not create {}: {error}", scratch.display()))?;
    command.env("TMPDIR", &scratch);
    let tally = counted(command);
    empty(&scratch)?;
    Ok(tally)
}

/// `style/tokens.css` must be what the generator writes from the pinned `@fluentui/tokens` for
/// the tokens `style/main.css` reads (the generator also fails on a token it does not know).
fn tokens_are_current() -> Result<Tally> {
    tokens::install_generator()?;
    let mut node = tools::command("node");
    node.args(["xtask/tokens/generate.mjs", "--check"]);
    Ok(check(node))
}

/// The widget's weight is a feature: what one pane downloads (gzip -9) may not pass the
/// recorded ceiling.
fn widget_within_ceiling() -> Result<Tally> {
    widget::build_release()?;
    let files = sizes::measure(&project::dist_dir())?;
    let total = sizes::pane_gzip9(&files);
    let ceiling = sizes::WIDGET_GZIP9_CEILING;
    let within = total <= ceiling;
    eprintln!(
        "    widget: {total} B gzip -9 for one pane (English: {} B), ceiling {ceiling} B ({})",
        sizes::english_pane_gzip9(&files),
        if within {
            "within"
        } else {
            "OVER: trim it, or raise the ceiling in xtask/src/bench/sizes.rs with a reason"
        }
    );
    Ok(Tally {
        passed: u64::from(within),
        failed: u64::from(!within),
    })
}

/// The end-to-end suite drives the release widget and the real server in headless Chromium.
fn e2e() -> Result<Tally> {
    widget::build_release()?;
    let server = widget::build_server("dev")?;
    let e2e_dir = project::root().join("e2e");
    widget::install_e2e_packages("the end-to-end suite")?;
    let mut node = tools::command("node");
    node.args([
        "--test",
        "--test-concurrency=1",
        "--test-reporter=tap",
        "tests/",
    ])
    .current_dir(&e2e_dir)
    .env("DEALPANE_SERVER_BIN", &server)
    .env("DEALPANE_WIDGET_DIR", project::dist_dir())
    .env("CHROMIUM", tools::CHROMIUM);
    Ok(counted(node))
}

/// Runs a pass/fail check.
fn check(mut command: Command) -> Tally {
    eprintln!("    $ {}", describe(&command));
    match command.status() {
        Ok(status) if status.success() => Tally {
            passed: 1,
            failed: 0,
        },
        Ok(_) => Tally {
            passed: 0,
            failed: 1,
        },
        Err(error) => {
            eprintln!("    could not start: {error}");
            Tally {
                passed: 0,
                failed: 1,
            }
        }
    }
}

/// Runs a test command, echoing its output, and counts what its summaries report. A command that
/// fails without reporting a failed test (a compile error, a crash) counts as one failure.
fn counted(mut command: Command) -> Tally {
    eprintln!("    $ {}", describe(&command));
    let mut child = match command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(error) => {
            eprintln!("    could not start: {error}");
            return Tally {
                passed: 0,
                failed: 1,
            };
        }
    };
    let (lines_tx, lines_rx) = mpsc::channel::<String>();
    let readers: Vec<_> = [
        Box::new(child.stdout.take().expect("piped")) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().expect("piped")),
    ]
    .into_iter()
    .map(|stream| {
        let lines_tx = lines_tx.clone();
        thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(|l| l.ok()) {
                let _ = lines_tx.send(line);
            }
        })
    })
    .collect();
    drop(lines_tx);
    let mut tally = Tally::default();
    for line in lines_rx {
        eprintln!("{line}");
        let found = parse_summary(&line);
        tally.passed += found.passed;
        tally.failed += found.failed;
    }
    for reader in readers {
        let _ = reader.join();
    }
    let success = child.wait().map(|s| s.success()).unwrap_or(false);
    if !success && tally.failed == 0 {
        tally.failed = 1;
    }
    tally
}

/// Reads a summary line of libtest / wasm-bindgen-test (`test result: ok. 8 passed; 0 failed; ...`)
/// or of node's TAP reporter (`# pass 8`, `# fail 0`).
fn parse_summary(line: &str) -> Tally {
    let line = line.trim();
    let number_before = |text: &str, word: &str| -> u64 {
        text.split(';')
            .filter_map(|part| part.trim().strip_suffix(word))
            .filter_map(|n| n.trim().rsplit(' ').next()?.parse::<u64>().ok())
            .sum()
    };
    if let Some(rest) = line.strip_prefix("test result: ") {
        return Tally {
            passed: number_before(rest, "passed"),
            failed: number_before(rest, "failed"),
        };
    }
    let count_after = |prefix: &str| {
        line.strip_prefix(prefix)
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0)
    };
    Tally {
        passed: count_after("# pass "),
        failed: count_after("# fail "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libtest_summaries() {
        let line = "test result: FAILED. 7 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s";
        assert_eq!(
            parse_summary(line),
            Tally {
                passed: 7,
                failed: 2
            }
        );
        assert_eq!(
            parse_summary("test result: ok. 0 passed; 0 failed; 0 ignored"),
            Tally::default()
        );
    }

    #[test]
    fn reads_node_tap_summaries() {
        assert_eq!(
            parse_summary("# pass 12"),
            Tally {
                passed: 12,
                failed: 0
            }
        );
        assert_eq!(
            parse_summary("# fail 3"),
            Tally {
                passed: 0,
                failed: 3
            }
        );
        assert_eq!(
            parse_summary("ok 1 - # pass the test name"),
            Tally::default()
        );
    }

    #[test]
    fn other_lines_count_nothing() {
        for line in [
            "running 8 tests",
            "test guid::tests::x ... ok",
            "# tests 4",
            "",
        ] {
            assert_eq!(parse_summary(line), Tally::default(), "{line}");
        }
    }
}
