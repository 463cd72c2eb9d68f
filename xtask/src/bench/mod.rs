//! `cargo xtask bench`: (a) the widget's download size, (b) time to the first deal card against
//! a plain-DOM floor page and a React 19 + Fluent UI v9 baseline page, (c) the backend's throughput, latency and peak memory, (d) slow
//! summaries: when the deals and their summaries show, what a pane load costs Dataverse, and how
//! many loads one application user can serve. Prints each and writes them all to
//! `target/bench.json`.

mod load;
mod progressive;
mod react;
mod server;
pub mod sizes;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde_json::{json, Value};

use crate::process::{announce, Result, StepError};
use crate::tools::{self, Needs};
use crate::{project, widget};
use server::BenchServer;

#[derive(clap::Args)]
pub struct BenchArgs {
    /// Cold loads of the widget, the floor page and the React baseline, each. 41 by default: the
    /// floor page's own time spreads from 60 to 120 ms, and with 15 loads the widget/floor ratio
    /// of one build moved from ×1.45 to ×1.65 between runs.
    #[arg(long, default_value_t = 41)]
    pub loads: u32,
    /// Customers in the benchmark's embedded store (generated afresh each run).
    #[arg(long, default_value_t = 5000)]
    pub sample_size: u32,
    /// Concurrent connections of the HTTP load.
    #[arg(long, default_value_t = 64)]
    pub connections: usize,
    /// Seconds each HTTP scenario is measured (after a 2 s warm-up).
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// Loads (cold, then a reload) of the slow-summaries scenario (d); the server restarts
    /// before each, so each cold load finds no summary cached.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=50))]
    pub summary_loads: u32,
    /// How long each summary takes in scenario (d), in ms (the Sales summary action: seconds).
    #[arg(long, default_value_t = 3000, value_parser = clap::value_parser!(u32).range(0..=60_000))]
    pub summary_latency_ms: u32,
    /// Use the existing dist/ and target/server/dealpane-server instead of building them.
    #[arg(long)]
    pub no_build: bool,
}

pub fn run(args: BenchArgs) -> Result<()> {
    tools::ensure(Needs::Tests)?;
    let binary = if args.no_build {
        project::target_dir().join("server").join("dealpane-server")
    } else {
        widget::build_release()?;
        widget::build_server("server")?
    };
    let e2e_dir = project::root().join("e2e");
    widget::install_e2e_packages("the browser harness")?;
    let react_files = react::build()?;

    announce("(a) measuring the widget's files");
    let files = sizes::measure(&project::dist_dir())?;
    if files.is_empty() {
        return Err(format!(
            "{} is empty: build the widget first",
            project::dist_dir().display()
        )
        .into());
    }
    sizes::print(&files);
    print_react_size(&react_files);

    let bench_dir = project::target_dir().join("bench");
    std::fs::create_dir_all(&bench_dir)?;
    let store = bench_dir.join(format!("sales-{}.sqlite", args.sample_size));
    remove_store(&store);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (mut first_deal, backend) =
        runtime.block_on(measure_server(&args, &binary, &store, &bench_dir, &e2e_dir))?;
    first_deal["react"]["files"] = sizes::report(&react_files)["files"].clone();
    first_deal["react"]["gzip9Bytes"] = json!(react_gzip9(&react_files));

    announce(format!(
        "(d) {} cold loads and reloads, summaries of {} ms each (the harness starts its own server)",
        args.summary_loads, args.summary_latency_ms
    ));
    let latency = args.summary_latency_ms.to_string();
    let loads = args.summary_loads.to_string();
    let measured = browser_harness(
        &e2e_dir,
        &[
            "--scenario",
            "progressive",
            "--runs",
            &loads,
            "--latency-ms",
            &latency,
        ],
        &[
            ("DEALPANE_SERVER_BIN", binary.as_os_str()),
            ("DEALPANE_WIDGET_DIR", project::dist_dir().as_os_str()),
        ],
        "measuring slow summaries",
    )?;
    let summaries = progressive::report(&measured);

    let report = json!({
        "machine": {"cpus": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)},
        "widgetSize": sizes::report(&files),
        "firstDeal": first_deal,
        "backend": backend,
        "summaries": summaries,
    });
    let path = project::target_dir().join("bench.json");
    std::fs::write(&path, serde_json::to_string_pretty(&report)? + "\n")?;
    println!("\nwrote {}", path.display());
    Ok(())
}

/// Deletes a store left by an earlier run, so this run measures this server's generator.
fn remove_store(store: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = store.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

async fn measure_server(
    args: &BenchArgs,
    binary: &Path,
    store: &Path,
    bench_dir: &Path,
    e2e_dir: &Path,
) -> Result<(Value, Value)> {
    announce(format!(
        "starting dealpane-server on a {}-customer store (cache on)",
        args.sample_size
    ));
    let preview = react::preview_dir();
    let mut cached_server = BenchServer::start(
        binary,
        store,
        args.sample_size,
        &preview,
        &[],
        &bench_dir.join("server-cache-on.log"),
    )
    .await?;
    let client = reqwest::Client::new();
    let customer = busiest_customer(&client, &cached_server.origin).await?;
    let ids = customer_ids(&client, &cached_server.origin).await?;

    announce(format!(
        "(b) {} cold loads each of the widget, the floor page and the React baseline",
        args.loads
    ));
    let first_deal = first_deal_times(e2e_dir, &cached_server.origin, &customer, args.loads)?;
    print_first_deal(&first_deal);

    let shape = load::Shape {
        connections: args.connections,
        warmup: Duration::from_secs(2),
        measure: Duration::from_secs(args.seconds),
    };
    let origin = cached_server.origin.clone();
    announce(format!(
        "(c) HTTP load: {} connections, {} s per scenario",
        args.connections, args.seconds
    ));
    let health = load::run(
        "health",
        &origin,
        &["/api/health".to_owned()],
        "application/json",
        shape,
    )
    .await;
    let deal_path = |id: &str| format!("/api/DealSummary?customerId={id}");
    let cached = load::run(
        "dealSummaryCached",
        &origin,
        &[deal_path(&customer)],
        "application/json",
        shape,
    )
    .await;
    // Issue 13's goal: the same cached answer through MCP's tools/call costs at most 2x.
    let mcp_cached = load::run_asking(
        "mcpCustomerDealsCached",
        &origin,
        &["/mcp".to_owned()],
        &load::Ask::mcp_customer_deals(&customer),
        shape,
    )
    .await;
    let rss_cache_on = cached_server.peak_rss_kib();
    cached_server.stop();

    announce("restarting dealpane-server with its cache off (--cache-ttl-secs 0)");
    let mut uncached_server = BenchServer::start(
        binary,
        store,
        args.sample_size,
        &preview,
        &["--cache-ttl-secs", "0"],
        &bench_dir.join("server-cache-off.log"),
    )
    .await?;
    let paths: Vec<String> = ids.iter().map(|id| deal_path(id)).collect();
    let uncached = load::run(
        "dealSummaryUncached",
        &uncached_server.origin,
        &paths,
        "application/json",
        shape,
    )
    .await;
    let rss_cache_off = uncached_server.peak_rss_kib();
    uncached_server.stop();

    let scenarios = [&health, &cached, &mcp_cached, &uncached];
    print_backend(&scenarios, rss_cache_on, rss_cache_off, ids.len());
    let mcp_ratio = mcp_cached.percentile_ms(50.0) / cached.percentile_ms(50.0);
    println!(
        "    MCP get_customer_deals / JSON API, cached, p50: {mcp_ratio:.2}x (goal: at most 2x)"
    );
    let backend = json!({
        "sampleSize": args.sample_size,
        "connections": args.connections,
        "warmupSeconds": shape.warmup.as_secs(),
        "measureSeconds": args.seconds,
        "loadGenerator": "xtask: reqwest on one tokio thread, keep-alive connections, on the same machine",
        "distinctCustomersUncached": ids.len(),
        "scenarios": scenarios.iter().map(|s| s.report()).collect::<Vec<_>>(),
        "peakRssKiB": {"cacheOn": rss_cache_on, "cacheOff": rss_cache_off},
        "mcpToJsonCachedP50Ratio": (mcp_ratio * 100.0).round() / 100.0,
    });
    Ok((first_deal, backend))
}

/// The customer with the most open deals among the store's first listed ones: the page with
/// the most to render.
async fn busiest_customer(client: &reqwest::Client, origin: &str) -> Result<String> {
    let list = get_json(client, &format!("{origin}/api/customers?q=&top=20")).await?;
    list["customers"]
        .as_array()
        .into_iter()
        .flatten()
        .max_by_key(|c| c["openDeals"].as_u64().unwrap_or(0))
        .and_then(|c| c["id"].as_str().map(str::to_owned))
        .ok_or_else(|| "the store lists no customers (GET /api/customers?q=&top=20)".into())
}

/// Distinct customer ids for the uncached load: up to 20 per initial letter.
async fn customer_ids(client: &reqwest::Client, origin: &str) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    for letter in 'a'..='z' {
        let list = get_json(client, &format!("{origin}/api/customers?q={letter}&top=20")).await?;
        for customer in list["customers"].as_array().into_iter().flatten() {
            if let Some(id) = customer["id"].as_str() {
                if !ids.iter().any(|known| known == id) {
                    ids.push(id.to_owned());
                }
            }
        }
    }
    if ids.is_empty() {
        return Err("the store's customer search found nobody".into());
    }
    Ok(ids)
}

async fn get_json(client: &reqwest::Client, url: &str) -> Result<Value> {
    let response = client
        .get(url)
        .header("Accept", "application/json")
        .send()
        .await?;
    if !response.status().is_success() {
        return Err(format!("GET {url} answered {}", response.status()).into());
    }
    Ok(serde_json::from_slice(&response.bytes().await?)?)
}

/// Times the first deal card, widget, floor page and React baseline, with e2e/bench-load.mjs.
fn first_deal_times(e2e_dir: &Path, origin: &str, customer: &str, loads: u32) -> Result<Value> {
    let loads = loads.to_string();
    browser_harness(
        e2e_dir,
        &[
            "--origin",
            origin,
            "--customer",
            customer,
            "--runs",
            &loads,
            "--react-path",
            react::PAGE,
        ],
        &[],
        "timing the first deal card",
    )
}

/// Runs e2e/bench-load.mjs (playwright-core in headless Chromium) with `args` and returns the
/// JSON it prints last.
fn browser_harness(
    e2e_dir: &Path,
    args: &[&str],
    env: &[(&str, &std::ffi::OsStr)],
    step: &str,
) -> Result<Value> {
    let mut node = tools::command("node");
    node.current_dir(e2e_dir)
        .arg("bench-load.mjs")
        .args(args)
        .env("CHROMIUM", tools::CHROMIUM)
        .envs(env.iter().copied())
        .stderr(Stdio::inherit());
    let output = node.output()?;
    if !output.status.success() {
        return Err(StepError {
            step: step.into(),
            cause: format!("node bench-load.mjs exited with {}", output.status),
            fix:
                "read its message above; `cargo xtask test --suite e2e` checks the browser harness"
                    .into(),
        }
        .into());
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last = stdout
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('{'))
        .unwrap_or("");
    Ok(serde_json::from_str(last)
        .map_err(|e| format!("bench-load.mjs printed no JSON ({e}): {stdout}"))?)
}

fn print_first_deal(report: &Value) {
    println!(
        "(b) navigation start → first deal card, {} cold loads",
        report["runs"]
    );
    for name in ["widget", "floor", "react"] {
        println!(
            "    {name:<7} median {:>7.1} ms   p90 {:>7.1} ms",
            report[name]["medianMs"].as_f64().unwrap_or(f64::NAN),
            report[name]["p90Ms"].as_f64().unwrap_or(f64::NAN),
        );
    }
    println!("    where the time goes (medians, ms from navigation start):");
    println!("             code received  deals sent  deals answered  first card");
    for name in ["widget", "floor", "react"] {
        let phase = |key: &str| report[name]["phases"][key].as_f64().unwrap_or(f64::NAN);
        println!(
            "    {name:<7} {:>13.1} {:>11.1} {:>15.1} {:>11.1}",
            phase("codeLoadedMs"),
            phase("dealsSentMs"),
            phase("dealsAnsweredMs"),
            phase("firstDealMs"),
        );
    }
    println!(
        "    widget/floor: median ×{:.2}, p90 ×{:.2} (goal: at most 1.5)",
        report["ratio"]["median"].as_f64().unwrap_or(f64::NAN),
        report["ratio"]["p90"].as_f64().unwrap_or(f64::NAN),
    );
    println!(
        "    widget/react: median ×{:.2}, p90 ×{:.2} (goal: at most 0.6)",
        report["ratioToReact"]["median"]
            .as_f64()
            .unwrap_or(f64::NAN),
        report["ratioToReact"]["p90"].as_f64().unwrap_or(f64::NAN),
    );
}

/// The React baseline's download, gzip -9: its page and its bundle.
fn react_gzip9(files: &[sizes::FileSize]) -> u64 {
    files.iter().map(|f| f.gzip9).sum()
}

/// The React baseline's size, in (a)'s columns.
fn print_react_size(files: &[sizes::FileSize]) {
    let raw: u64 = files.iter().map(|f| f.bytes).sum();
    println!(
        "    {:<44} {:>9} B  gzip {:>8} B",
        "React + Fluent baseline (html + js), for (b)",
        raw,
        react_gzip9(files)
    );
}

fn print_backend(
    scenarios: &[&load::LoadResult],
    rss_on: Option<u64>,
    rss_off: Option<u64>,
    distinct: usize,
) {
    println!("(c) backend under load");
    for s in scenarios {
        println!(
            "    {:<20} {:>9.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms   ({} answers, {} errors)",
            s.name,
            s.requests_per_second(),
            s.percentile_ms(50.0),
            s.percentile_ms(99.0),
            s.requests,
            s.errors
        );
    }
    println!("    uncached: cache off (--cache-ttl-secs 0), {distinct} distinct customers in turn");
    let mib = |kib: Option<u64>| {
        kib.map_or("unknown".to_owned(), |k| {
            format!("{:.1} MiB", k as f64 / 1024.0)
        })
    };
    println!(
        "    peak RSS (VmHWM): cache on {}, cache off {}",
        mib(rss_on),
        mib(rss_off)
    );
}
