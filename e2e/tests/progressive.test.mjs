// Deals first, summaries as they come (issue 10), against the real server whose summarizer takes
// 1.5 s per summary: the cards show with a busy "Summarizing…" placeholder before any summary,
// the summaries fill in through the long-poll, and a reload within the summary TTL shows every
// summary at first render without a summary call.

import assert from "node:assert/strict";
import { test } from "node:test";

import { newPage } from "../lib/browser.mjs";
import { NOD_PUBLISHERS } from "../lib/fixtures.mjs";
import { CARD, openAllCards, waitForCards } from "../lib/pane.mjs";
import { startServerAndBrowser } from "../lib/setup.mjs";

const LATENCY_MS = 1500;
const { server, browser } = await startServerAndBrowser({ args: ["--summary-latency-ms", String(LATENCY_MS)] });

const SUMMARIES = `${CARD} [data-summary]`;
const PENDING = `${CARD} [data-summary="pending"]`;
const READY = `${CARD} [data-summary="ready"]`;

async function summaryCalls() {
  return (await server.json("/api/health")).upstream.summaryCalls;
}

/** The widget's performance marks, by name (ms since navigation start); absent ones undefined. */
function marks(page) {
  return page.evaluate(() =>
    Object.fromEntries(
      ["dealpane:first-deal", "dealpane:top-summary", "dealpane:all-summaries"].map((name) => [
        name,
        performance.getEntriesByName(name)[0]?.startTime,
      ]),
    ),
  );
}

/** Every request the page makes to the summaries long-poll. */
function recordLongPolls(page) {
  const polls = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/api/summaries") polls.push(request.url());
  });
  return polls;
}

test("the cards show before their summaries, the summaries fill in, and a reload is served from the cache", async () => {
  const page = await newPage(browser, { width: 1280 });
  const polls = recordLongPolls(page);
  const url = `${server.origin}/?customerId=${NOD_PUBLISHERS.id}`;
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/DealSummary");
  await page.goto(url);

  // The answer comes without waiting for the summaries: every one of them pending.
  const answer = await (await answered).json();
  assert.equal(answer.deals.length, NOD_PUBLISHERS.openDeals);
  assert.deepEqual(new Set(answer.deals.map((d) => d.summary.state)), new Set(["pending"]));

  // The cards, each summary a busy placeholder of its own (the open card's is on screen).
  await waitForCards(page, NOD_PUBLISHERS.openDeals);
  const open = page.locator(`${CARD}:has(button.dp-card__toggle[aria-expanded="true"])`);
  assert.equal(await open.count(), 1, "the largest deal starts open");
  const placeholder = open.locator('[data-summary="pending"]');
  await placeholder.waitFor({ state: "visible" });
  assert.equal(await placeholder.getAttribute("aria-busy"), "true");
  assert.match(await placeholder.textContent(), /Summarizing/);
  assert.equal(await page.locator(`main[aria-busy="true"]`).count(), 0, "only the summaries are busy, not the pane");
  const top = page.locator(`${CARD}[data-deal-id="${await open.getAttribute("data-deal-id")}"]`);
  // Every card's summary: the closed cards build their bodies when they open.
  await openAllCards(page);

  // They fill in: none pending or busy any more, each with its text.
  await page.waitForFunction((selector) => document.querySelectorAll(selector).length === 0, PENDING, {
    timeout: 30_000,
  });
  assert.equal(await page.locator(READY).count(), NOD_PUBLISHERS.openDeals);
  assert.equal(await page.locator(`${CARD} [aria-busy="true"]`).count(), 0);
  const text = await top.locator(".dp-summary__text").textContent();
  assert.ok(text.trim().length > 20, `the open deal's summary has its text: ${text}`);
  // Said once, politely, in the pane's one live region.
  await page.locator("[aria-live]").filter({ hasText: "All summaries are in" }).waitFor({ state: "attached" });
  assert.ok(polls.length >= 1, "the summaries came through the long-poll");

  // The marks the benchmark reads, in order: the top summary came a summary call after the card.
  const cold = await marks(page);
  for (const [name, at] of Object.entries(cold)) assert.equal(typeof at, "number", `${name} is marked`);
  assert.ok(cold["dealpane:top-summary"] - cold["dealpane:first-deal"] >= LATENCY_MS / 2, JSON.stringify(cold));
  assert.ok(cold["dealpane:all-summaries"] >= cold["dealpane:top-summary"], JSON.stringify(cold));
  const calls = await summaryCalls();
  assert.equal(calls, NOD_PUBLISHERS.openDeals, "one summary call per deal");

  // A reload within the summary TTL: every summary at first render, no long-poll, no call.
  const pollsBefore = polls.length;
  await page.reload();
  await waitForCards(page, NOD_PUBLISHERS.openDeals);
  await openAllCards(page);
  assert.equal(await page.locator(PENDING).count(), 0, "no placeholder");
  assert.equal(await page.locator(READY).count(), NOD_PUBLISHERS.openDeals);
  assert.equal(await page.locator(SUMMARIES).count(), NOD_PUBLISHERS.openDeals);
  const reload = await marks(page);
  for (const [name, at] of Object.entries(reload)) assert.equal(typeof at, "number", `${name} is marked on reload`);
  assert.equal(polls.length, pollsBefore, "no long-poll: nothing was pending");
  assert.equal(await summaryCalls(), calls, "the summary cache answered: no summary call");
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
