// Headless Chromium through playwright-core: the machine's Debian Chromium, never a download.

import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { chromium } from "playwright-core";

import { ROOT } from "./server.mjs";

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

// Without the background-networking flags Chromium keeps dialing Google's hosts, which this
// machine's closed network refuses; --no-sandbox because the tests run as root. The features
// turned off are Chromium's own UI: every new context preloaded the omnibox popup's WebUI in
// another renderer, about 90 ms of CPU competing with the page on a 2-core machine (seen in a
// trace of the bench's cold loads). A user's browser does that once, at start, not per pane.
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-features=PreloadTopChromeWebUI,WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup",
];

/** Launches Chromium with a fresh, temporary profile (playwright makes one per launch). */
export async function launch() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: run \`cargo xtask tools\` (it installs Debian's chromium) or set CHROMIUM`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

/** A page whose console errors and uncaught exceptions are collected in `page.problems`. */
export async function newPage(browser, { width = 1600, height = 900, colorScheme = "light", ...options } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on("pageerror", (error) => page.problems.push(`uncaught: ${error.message}`));
  return page;
}

/** Every request to the DealSummary API (from any frame), in order. */
export function recordApiCalls(page) {
  const calls = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname.endsWith("/DealSummary")) {
      calls.push({ url, params: url.searchParams, accept: request.headers().accept ?? "" });
    }
  });
  return calls;
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = require("node:fs").readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/**
 * Runs axe-core in `frame` (a page or an iframe's frame) and returns the serious and critical
 * violations, each as "rule-id: help (N nodes: selectors)".
 */
export async function seriousViolations(frame) {
  await frame.evaluate(AXE_SOURCE);
  const result = await frame.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")),
    }));
  });
  return result
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} [${v.targets.length}: ${v.targets.slice(0, 3).join(", ")}]`);
}

export const SCREENSHOT_DIR = path.join(ROOT, "target", "e2e-screenshots");

/** Saves a PNG under target/e2e-screenshots/ and returns its path. */
export async function screenshot(target, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await target.screenshot({ path: file });
  return file;
}
