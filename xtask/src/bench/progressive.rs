//! (d) Deals first, summaries as they come (issue 10): each summary takes `--summary-latency-ms`
//! (3 s, as the Sales summary action does), the customer has eight open deals. The browser half
//! (e2e/bench-load.mjs, scenario `progressive`) measures cold loads and reloads within the
//! summary TTL, and what they cost upstream; this half prints it, checks the goals, and turns the
//! cost per load into pane loads per 5 minutes under Dataverse's limits for one application
//! user, showing the arithmetic.

use serde_json::{json, Value};

/// Dataverse's service protection limits, per user and per 5 minutes.
pub const WINDOW_SECONDS: f64 = 300.0;
pub const REQUESTS: f64 = 6000.0;
pub const EXECUTION_SECONDS: f64 = 1200.0;
pub const CONCURRENT: f64 = 52.0;

/// The goals of issue 10.
pub const FIRST_DEAL_GOAL_MS: f64 = 1000.0;
/// The top deal's summary: one summary call plus this.
pub const TOP_SUMMARY_SLACK_MS: f64 = 600.0;
/// A reload "shows everything at once": the last summary settles within this of the first card.
pub const AT_ONCE_MS: f64 = 50.0;

/// Pane loads per 5 minutes one application user can serve at a given cost per load.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Capacity {
    pub calls: f64,
    pub seconds: f64,
    /// `None`: the load costs none of it, so this limit does not bound.
    pub by_requests: Option<f64>,
    pub by_execution: Option<f64>,
}

impl Capacity {
    pub fn of(calls: f64, seconds: f64) -> Capacity {
        let per = |limit: f64, cost: f64| (cost > 0.0).then(|| (limit / cost).floor());
        Capacity {
            calls,
            seconds,
            by_requests: per(REQUESTS, calls),
            by_execution: per(EXECUTION_SECONDS, seconds),
        }
    }

    /// The binding bound; `None` when neither limit bounds.
    pub fn loads(&self) -> Option<f64> {
        match (self.by_requests, self.by_execution) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Summary calls open at once on average when `loads()` are spread over the window: what
    /// the 52-at-once limit sees (it bounds bursts, not the 5-minute total).
    pub fn average_concurrency(&self) -> Option<f64> {
        self.loads()
            .map(|loads| loads * self.seconds / WINDOW_SECONDS)
    }

    /// The arithmetic, one line per limit.
    pub fn lines(&self) -> Vec<String> {
        let bound = |b: Option<f64>| b.map_or("no bound".to_owned(), |b| format!("{b:.0} loads"));
        let mut lines = vec![
            format!(
                "requests:       {REQUESTS:.0} / {:.0} calls per load = {}",
                self.calls,
                bound(self.by_requests)
            ),
            format!(
                "execution time: {EXECUTION_SECONDS:.0} s / {:.1} s per load = {}",
                self.seconds,
                bound(self.by_execution)
            ),
        ];
        if let Some(open) = self.average_concurrency() {
            lines.push(format!(
                "at once:        {} loads × {:.1} s / {WINDOW_SECONDS:.0} s = {open:.1} calls open on average (limit {CONCURRENT:.0}: not binding, it caps bursts)",
                self.loads().unwrap_or(0.0),
                self.seconds
            ));
        }
        lines.push(match self.loads() {
            Some(loads) => format!("→ {loads:.0} pane loads per 5 minutes"),
            None => "→ not bounded by these limits".to_owned(),
        });
        lines
    }

    pub fn report(&self) -> Value {
        json!({
            "callsPerLoad": self.calls,
            "summarySecondsPerLoad": self.seconds,
            "byRequests": self.by_requests,
            "byExecutionTime": self.by_execution,
            "averageConcurrency": self.average_concurrency(),
            "loadsPer5Minutes": self.loads(),
        })
    }
}

fn ms(value: &Value) -> f64 {
    value["medianMs"].as_f64().unwrap_or(f64::NAN)
}

fn per_load(load: &Value, field: &str) -> f64 {
    load["upstreamPerLoad"][field].as_f64().unwrap_or(f64::NAN)
}

/// Prints the harness's measurements, the goals and the capacities; returns them for bench.json.
pub fn report(measured: &Value) -> Value {
    let latency = measured["latencyMs"].as_f64().unwrap_or(f64::NAN);
    let runs = &measured["runs"];
    println!(
        "(d) summaries of {latency:.0} ms each, a customer with {} open deals, median of {runs} loads",
        measured["cold"]["cards"]
    );
    for name in ["cold", "reload"] {
        let load = &measured[name];
        println!(
            "    {name:<7} first deal {:>7.1} ms   top summary {:>7.1} ms   all summaries {:>7.1} ms   upstream {} calls, {} summary calls, {:.1} s",
            ms(&load["firstDeal"]),
            ms(&load["topSummary"]),
            ms(&load["allSummaries"]),
            load["upstreamPerLoad"]["calls"],
            load["upstreamPerLoad"]["summaryCalls"],
            per_load(load, "summarySeconds"),
        );
    }
    let together = &measured["together"];
    println!(
        "    {} panes at the same moment: {} summary calls in total ({} upstream calls); medians: first deal {:.1} ms, top summary {:.1} ms, all summaries {:.1} ms",
        together["panes"], together["upstream"]["summaryCalls"], together["upstream"]["calls"],
        ms(&together["firstDeal"]), ms(&together["topSummary"]), ms(&together["allSummaries"]),
    );

    let (cold, reload) = (&measured["cold"], &measured["reload"]);
    let deals = cold["cards"].as_u64().unwrap_or(0);
    let goals = [
        (
            format!("first deal card ≤ {FIRST_DEAL_GOAL_MS:.0} ms (cold)"),
            ms(&cold["firstDeal"]) <= FIRST_DEAL_GOAL_MS,
        ),
        (
            format!("top deal's summary ≤ {latency:.0} + {TOP_SUMMARY_SLACK_MS:.0} ms (cold)"),
            ms(&cold["topSummary"]) <= latency + TOP_SUMMARY_SLACK_MS,
        ),
        (
            "reload within the TTL: 0 summary calls".to_owned(),
            per_load(reload, "summaryCalls") == 0.0,
        ),
        (
            format!(
                "reload: all summaries ready at first render (within {AT_ONCE_MS:.0} ms of it)"
            ),
            reload["readySummaries"].as_u64() == Some(deals)
                && reload["allAfterFirstDeal"]["p90Ms"]
                    .as_f64()
                    .unwrap_or(f64::NAN)
                    <= AT_ONCE_MS,
        ),
        (
            format!(
                "{} panes at once: {deals} summary calls in total",
                together["panes"]
            ),
            together["upstream"]["summaryCalls"].as_u64() == Some(deals),
        ),
    ];
    for (goal, met) in &goals {
        println!("    goal {goal}: {}", if *met { "met" } else { "NOT met" });
    }

    let without = Capacity::of(per_load(cold, "calls"), per_load(cold, "summarySeconds"));
    let with = Capacity::of(
        per_load(reload, "calls"),
        per_load(reload, "summarySeconds"),
    );
    println!("    pane loads per 5 minutes for one application user (Dataverse: {REQUESTS:.0} requests, {EXECUTION_SECONDS:.0} s execution, {CONCURRENT:.0} at once):");
    for (name, capacity) in [
        ("without the summary cache (every load cold)", &without),
        ("with the summary cache (loads within the TTL)", &with),
    ] {
        println!("      {name}:");
        for line in capacity.lines() {
            println!("        {line}");
        }
    }
    println!("      (execution time counts the summary action only: the embedded store's lookups take no measurable time; in Dataverse they add a little)");

    json!({
        "measured": measured,
        "goals": goals.iter().map(|(goal, met)| json!({"goal": goal, "met": met})).collect::<Vec<_>>(),
        "loadsPer5Minutes": {
            "limits": {"requests": REQUESTS, "executionSeconds": EXECUTION_SECONDS, "concurrent": CONCURRENT, "windowSeconds": WINDOW_SECONDS},
            "withoutSummaryCache": without.report(),
            "withSummaryCache": with.report(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_tens_cold_load_is_bound_by_execution_time() {
        // Eight summaries of 3 s plus the customer and deal lookups.
        let cold = Capacity::of(10.0, 24.0);
        assert_eq!(cold.by_requests, Some(600.0));
        assert_eq!(cold.by_execution, Some(50.0));
        assert_eq!(cold.loads(), Some(50.0));
        assert_eq!(cold.average_concurrency(), Some(4.0));
        assert!(cold.lines().last().unwrap().contains("50 pane loads"));
    }

    #[test]
    fn a_cached_load_is_bound_by_requests_and_a_free_one_by_nothing() {
        let cached = Capacity::of(2.0, 0.0);
        assert_eq!(cached.by_execution, None);
        assert_eq!(cached.loads(), Some(3000.0));
        let free = Capacity::of(0.0, 0.0);
        assert_eq!(free.loads(), None);
        assert!(free.lines().last().unwrap().contains("not bounded"));
        assert_eq!(
            Capacity::of(7.0, 0.0).loads(),
            Some(857.0),
            "whole loads only"
        );
    }

    #[test]
    fn goals_and_capacities_are_read_from_the_harness() {
        let load = |first: f64, top: f64, all: f64, calls: u64, summaries: u64, seconds: f64| {
            json!({
                "firstDeal": {"medianMs": first}, "topSummary": {"medianMs": top},
                "allSummaries": {"medianMs": all}, "allAfterFirstDeal": {"medianMs": all - first, "p90Ms": all - first},
                "cards": 8, "readySummaries": 8,
                "upstreamPerLoad": {"calls": calls, "summaryCalls": summaries, "summarySeconds": seconds},
            })
        };
        let measured = json!({
            "latencyMs": 3000, "runs": 3,
            "cold": load(400.0, 3300.0, 6400.0, 10, 8, 24.0),
            "reload": load(300.0, 300.0, 300.0, 2, 0, 0.0),
            "together": {"panes": 8, "upstream": {"calls": 24, "summaryCalls": 8}, "allSummaries": {"medianMs": 6500.0}},
        });
        let report = report(&measured);
        let goals = report["goals"].as_array().unwrap();
        assert_eq!(goals.len(), 5);
        assert!(goals.iter().all(|g| g["met"] == json!(true)), "{goals:?}");
        let loads = &report["loadsPer5Minutes"];
        assert_eq!(loads["withoutSummaryCache"]["loadsPer5Minutes"], 50.0);
        assert_eq!(loads["withSummaryCache"]["loadsPer5Minutes"], 3000.0);

        let mut slow = measured.clone();
        slow["cold"]["topSummary"]["medianMs"] = json!(3700.0);
        slow["together"]["upstream"]["summaryCalls"] = json!(64);
        let goals = report_goals(&slow);
        assert_eq!(goals, vec![true, false, true, true, false]);
    }

    fn report_goals(measured: &Value) -> Vec<bool> {
        report(measured)["goals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["met"].as_bool().unwrap())
            .collect()
    }
}
