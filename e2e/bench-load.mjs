// The browser half of `cargo xtask bench`, in headless Chromium. Prints one JSON object.
//
// Scenario `first-deal` (the default): time from navigation start to the first deal card (the
// `dealpane:first-deal` performance mark) over cold loads of the widget, of the floor page and,
// given `--react-path`, of the React 19 + Fluent UI v9 baseline (e2e/react-baseline/, which
// `cargo xtask bench` builds and serves at /preview/react/index.html), against a running
// dealpane-server.
//
//   node bench-load.mjs --origin http://127.0.0.1:8080 --customer <guid> [--runs 15]
//     [--react-path /preview/react/index.html]
//
// A cold load is a new browser context: an empty HTTP cache, no service worker, no storage.
// The pages' loads alternate so all see the same machine; one unmeasured load of each comes
// first (the server's own caches and the OS's file cache are warm for all).
//
// Scenario `progressive` (issue 10): summaries that each take `--latency-ms`, a customer with
// eight open deals. It starts its own server (DEALPANE_SERVER_BIN, DEALPANE_WIDGET_DIR, see
// lib/server.mjs) with `--summary-latency-ms` and the answer cache off (`--cache-ttl-secs 0`),
// so every load that reaches the server pays its lookups, as one after the 30 s answer cache
// expires does. Each run restarts the server (empty summary cache), then:
//   - cold: a new browser context loads the pane; the marks `dealpane:first-deal`,
//     `dealpane:top-summary` and `dealpane:all-summaries`;
//   - reload: the same tab reloads (within the summary TTL): the same marks;
// and reads /api/health's `upstream` before and after each, so each load's upstream calls,
// summary calls and summary seconds are deltas (each health read adds one call: subtracted).
// Last, a restarted server and `--panes` panes opening the customer at the same moment: the
// summary calls they make in total.
//
//   node bench-load.mjs --scenario progressive [--runs 5] [--latency-ms 3000] [--panes 8]

import { parseArgs } from "node:util";

import { launch } from "./lib/browser.mjs";
import { NOD_PUBLISHERS } from "./lib/fixtures.mjs";
import { openAllCards } from "./lib/pane.mjs";
import { DealpaneServer } from "./lib/server.mjs";

const { values } = parseArgs({
  options: {
    scenario: { type: "string", default: "first-deal" },
    origin: { type: "string" },
    customer: { type: "string" },
    "react-path": { type: "string" },
    runs: { type: "string", default: "15" },
    timeout: { type: "string", default: "30000" },
    "latency-ms": { type: "string", default: "3000" },
    panes: { type: "string", default: "8" },
  },
});
const runs = Number(values.runs);
const timeout = Number(values.timeout);
if (!(runs >= 1 && runs <= 100)) {
  console.error("--runs must be 1 to 100");
  process.exit(2);
}

const tenth = (ms) => Math.round(ms * 10) / 10;

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted, p) {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

function stats(list) {
  const sorted = [...list].sort((a, b) => a - b);
  return { samplesMs: list.map(tenth), medianMs: tenth(percentile(sorted, 50)), p90Ms: tenth(percentile(sorted, 90)) };
}

// Where a cold load's time goes, each a median over the loads, ms from navigation start: the
// last script or wasm file received, the DealSummary request sent and its answer received
// (resource timing), the first deal card (the mark).
const PHASES = ["codeLoaded", "dealsSent", "dealsAnswered", "firstDeal"];

const newContext = (browser) => browser.newContext({ viewport: { width: 1280, height: 800 } });

async function firstDealScenario() {
  if (!values.origin || !values.customer) {
    console.error("usage: node bench-load.mjs --origin http://127.0.0.1:PORT --customer <guid> [--runs 15]");
    process.exit(2);
  }
  const customer = encodeURIComponent(values.customer);
  const pages = {
    widget: `${values.origin}/?customerId=${customer}`,
    floor: `${values.origin}/preview/floor.html?customerId=${customer}`,
  };
  if (values["react-path"]) pages.react = `${values.origin}${values["react-path"]}?customerId=${customer}`;
  /** One cold load's phases, ms from navigation start (see PHASES). */
  async function coldLoad(browser, url) {
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(url, { waitUntil: "commit", timeout });
      await page.waitForFunction(() => performance.getEntriesByName("dealpane:first-deal")[0], undefined, {
        timeout,
        polling: 5,
      });
      return await page.evaluate(() => {
        const resources = performance.getEntriesByType("resource");
        const code = resources.filter((r) => /\.(js|wasm)$/.test(new URL(r.name).pathname));
        const deals = resources.find((r) => new URL(r.name).pathname.endsWith("/DealSummary"));
        return {
          codeLoaded: Math.max(...code.map((r) => r.responseEnd)),
          dealsSent: deals?.startTime,
          dealsAnswered: deals?.responseEnd,
          firstDeal: performance.getEntriesByName("dealpane:first-deal")[0].startTime,
        };
      });
    } finally {
      await context.close();
    }
  }

  const browser = await launch();
  const chromium = browser.version();
  const samples = Object.fromEntries(Object.keys(pages).map((name) => [name, []]));
  try {
    for (const url of Object.values(pages)) await coldLoad(browser, url);
    for (let i = 0; i < runs; i += 1) {
      for (const [name, url] of Object.entries(pages)) samples[name].push(await coldLoad(browser, url));
    }
  } finally {
    await browser.close();
  }

  const summary = {};
  for (const [name, loads] of Object.entries(samples)) {
    const phases = Object.fromEntries(
      PHASES.map((phase) => [`${phase}Ms`, stats(loads.map((load) => load[phase] ?? NaN)).medianMs]),
    );
    summary[name] = { url: pages[name], ...stats(loads.map((load) => load.firstDeal)), phases };
  }
  summary.ratio = {
    median: summary.widget.medianMs / summary.floor.medianMs,
    p90: summary.widget.p90Ms / summary.floor.p90Ms,
  };
  if (summary.react) {
    summary.ratioToReact = {
      median: summary.widget.medianMs / summary.react.medianMs,
      p90: summary.widget.p90Ms / summary.react.p90Ms,
    };
  }
  summary.runs = runs;
  summary.chromium = chromium;
  return summary;
}

const MARKS = { firstDeal: "dealpane:first-deal", topSummary: "dealpane:top-summary", allSummaries: "dealpane:all-summaries" };

/** Waits for the three marks of the page's current document; their times and the summaries shown. */
async function marks(page) {
  const handle = await page.waitForFunction(
    (names) => {
      const times = names.map((name) => performance.getEntriesByName(name)[0]?.startTime);
      return times.every((t) => t !== undefined) ? times : null;
    },
    Object.values(MARKS),
    { timeout: timeout + 60_000, polling: 10 },
  );
  const [firstDeal, topSummary, allSummaries] = await handle.jsonValue();
  // A closed card builds its body, summary included, when it first opens.
  await openAllCards(page);
  const ready = await page.locator('article.dp-card [data-summary="ready"]').count();
  const cards = await page.locator("article.dp-card").count();
  return { firstDeal, topSummary, allSummaries, cards, ready };
}

/** /api/health's upstream counters. */
async function upstream(server) {
  const response = await fetch(`${server.origin}/api/health`);
  if (!response.ok) throw new Error(`/api/health answered ${response.status}`);
  return (await response.json()).upstream;
}

/** What happened upstream between two health reads, less the second read's own call. */
function used(before, after) {
  return {
    calls: after.calls - before.calls - 1,
    summaryCalls: after.summaryCalls - before.summaryCalls,
    summarySeconds: Math.round((after.summarySeconds - before.summarySeconds) * 1000) / 1000,
  };
}

async function progressiveScenario() {
  const latencyMs = Number(values["latency-ms"]);
  const panes = Number(values.panes);
  if (!(latencyMs >= 0 && latencyMs <= 60_000) || !(panes >= 1 && panes <= 50)) {
    console.error("--latency-ms must be 0 to 60000 and --panes 1 to 50");
    process.exit(2);
  }
  const customer = values.customer ?? NOD_PUBLISHERS.id;
  const server = new DealpaneServer({
    args: ["--summary-latency-ms", String(latencyMs), "--cache-ttl-secs", "0"],
  });
  const url = () => `${server.origin}/?customerId=${encodeURIComponent(customer)}`;
  const browser = await launch();
  const chromium = browser.version();
  const loads = { cold: [], reload: [] };
  let together;
  try {
    // One unmeasured run first: the store is generated, the OS's file cache is warm.
    for (let run = 0; run <= runs; run += 1) {
      await server.start();
      const context = await newContext(browser);
      try {
        const page = await context.newPage();
        const h0 = await upstream(server);
        await page.goto(url(), { waitUntil: "commit", timeout });
        const cold = await marks(page);
        const h1 = await upstream(server);
        await page.reload({ waitUntil: "commit", timeout });
        const reload = await marks(page);
        const h2 = await upstream(server);
        if (run > 0) {
          loads.cold.push({ ...cold, upstream: used(h0, h1) });
          loads.reload.push({ ...reload, upstream: used(h1, h2) });
        }
      } finally {
        await context.close();
        await server.stop();
      }
    }

    // Several panes open the same customer at the same moment, on a server that knows no summary.
    await server.start();
    const contexts = await Promise.all(Array.from({ length: panes }, () => newContext(browser)));
    try {
      const pages = await Promise.all(contexts.map((c) => c.newPage()));
      const h0 = await upstream(server);
      const each = await Promise.all(
        pages.map(async (page) => {
          await page.goto(url(), { waitUntil: "commit", timeout });
          return marks(page);
        }),
      );
      const h1 = await upstream(server);
      together = {
        panes,
        upstream: used(h0, h1),
        firstDeal: stats(each.map((m) => m.firstDeal)),
        topSummary: stats(each.map((m) => m.topSummary)),
        allSummaries: stats(each.map((m) => m.allSummaries)),
      };
    } finally {
      await Promise.all(contexts.map((c) => c.close()));
    }
  } finally {
    await browser.close();
    await server.dispose();
  }

  const summarize = (list) => ({
    firstDeal: stats(list.map((l) => l.firstDeal)),
    topSummary: stats(list.map((l) => l.topSummary)),
    allSummaries: stats(list.map((l) => l.allSummaries)),
    // All at once: the last summary settled this long after the first card.
    allAfterFirstDeal: stats(list.map((l) => l.allSummaries - l.firstDeal)),
    cards: Math.min(...list.map((l) => l.cards)),
    readySummaries: Math.min(...list.map((l) => l.ready)),
    upstreamPerLoad: {
      calls: Math.max(...list.map((l) => l.upstream.calls)),
      summaryCalls: Math.max(...list.map((l) => l.upstream.summaryCalls)),
      summarySeconds: Math.max(...list.map((l) => l.upstream.summarySeconds)),
    },
    upstreamSamples: list.map((l) => l.upstream),
  });
  return {
    customer,
    latencyMs,
    runs,
    serverArgs: server.args,
    cold: summarize(loads.cold),
    reload: summarize(loads.reload),
    together,
    chromium,
  };
}

const scenarios = { "first-deal": firstDealScenario, progressive: progressiveScenario };
if (!scenarios[values.scenario]) {
  console.error(`--scenario must be one of: ${Object.keys(scenarios).join(", ")}`);
  process.exit(2);
}
const result = await scenarios[values.scenario]();
console.log(JSON.stringify(result));
