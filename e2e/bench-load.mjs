// The browser half of `cargo xtask bench`: time from navigation start to the first deal card
// (the `dealpane:first-deal` performance mark) over cold loads of the widget and of the floor
// page, in headless Chromium against a running dealpane-server. Prints one JSON object.
//
//   node bench-load.mjs --origin http://127.0.0.1:8080 --customer <guid> [--runs 15]
//
// A cold load is a new browser context: an empty HTTP cache, no service worker, no storage.
// Widget and floor loads alternate so both see the same machine; one unmeasured load of each
// comes first (the server's own caches and the OS's file cache are warm for both).

import { parseArgs } from "node:util";

import { launch } from "./lib/browser.mjs";

const { values } = parseArgs({
  options: {
    origin: { type: "string" },
    customer: { type: "string" },
    runs: { type: "string", default: "15" },
    timeout: { type: "string", default: "30000" },
  },
});
if (!values.origin || !values.customer) {
  console.error("usage: node bench-load.mjs --origin http://127.0.0.1:PORT --customer <guid> [--runs 15]");
  process.exit(2);
}
const runs = Number(values.runs);
const timeout = Number(values.timeout);
const customer = encodeURIComponent(values.customer);
const pages = {
  widget: `${values.origin}/?customerId=${customer}`,
  floor: `${values.origin}/preview/floor.html?customerId=${customer}`,
};

const tenth = (ms) => Math.round(ms * 10) / 10;

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted, p) {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

async function coldLoad(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: "commit", timeout });
    const handle = await page.waitForFunction(
      () => performance.getEntriesByName("dealpane:first-deal")[0]?.startTime,
      undefined,
      { timeout, polling: 5 },
    );
    return await handle.jsonValue();
  } finally {
    await context.close();
  }
}

const browser = await launch();
const chromium = browser.version();
const samples = { widget: [], floor: [] };
try {
  for (const url of Object.values(pages)) await coldLoad(browser, url);
  for (let i = 0; i < runs; i += 1) {
    for (const [name, url] of Object.entries(pages)) samples[name].push(await coldLoad(browser, url));
  }
} finally {
  await browser.close();
}

const summary = {};
for (const [name, list] of Object.entries(samples)) {
  const sorted = [...list].sort((a, b) => a - b);
  summary[name] = {
    url: pages[name],
    samplesMs: list.map(tenth),
    medianMs: tenth(percentile(sorted, 50)),
    p90Ms: tenth(percentile(sorted, 90)),
  };
}
summary.ratio = {
  median: summary.widget.medianMs / summary.floor.medianMs,
  p90: summary.widget.p90Ms / summary.floor.p90Ms,
};
summary.runs = runs;
summary.chromium = chromium;
console.log(JSON.stringify(summary));
