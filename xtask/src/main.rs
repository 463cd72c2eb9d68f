//! `cargo xtask <command>`: the two README commands (`serve`, `test`) and their helpers.
//! Every external tool they need is pinned in `tools.rs` and installed on first use.

mod bench;
mod build;
mod process;
mod project;
mod serve;
mod test;
mod tokens;
mod tools;
mod widget;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "dealpane's developer commands")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the widget (release) and the server, start the server on its embedded store, print the URLs.
    Serve(serve::ServeArgs),
    /// Build what a deployment ships: the release widget in dist/ and the optimised server.
    Build,
    /// Run every check and test suite: fmt, clippy (host and wasm32), unit, browser and end-to-end tests.
    Test(test::TestArgs),
    /// Measure the widget's size, its time to the first deal card, and the backend under load (target/bench.json).
    Bench(bench::BenchArgs),
    /// Install (or verify) every pinned tool and say what was done.
    Tools(tools::ToolsArgs),
    /// Regenerate style/tokens.css from the pinned npm @fluentui/tokens.
    Tokens,
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Serve(args) => serve::run(args),
        Command::Build => build::run(),
        Command::Test(args) => test::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Tools(args) => tools::run(args),
        Command::Tokens => tokens::run(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nerror: {error}");
            ExitCode::FAILURE
        }
    }
}
