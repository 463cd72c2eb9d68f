// The page's start (issue 14): index.html's loading cards while the wasm loads and until the
// pane's first answer (or 300 ms), config.json read before the pane mounts, and a config.json
// slower than that wait.

import assert from "node:assert/strict";
import { test } from "node:test";

import { newPage } from "../lib/browser.mjs";
import { CONTOSO } from "../lib/fixtures.mjs";
import { waitForCards, waitForNotice } from "../lib/pane.mjs";
import { startServerAndBrowser } from "../lib/setup.mjs";

const { server, browser } = await startServerAndBrowser();

/** Holds every request for `pattern` until the returned function is called. */
async function hold(page, pattern) {
  let release;
  const released = new Promise((resolve) => (release = resolve));
  await page.route(pattern, async (route) => {
    await released;
    await route.continue().catch(() => {});
  });
  return release;
}

test("loading cards show before the wasm runs, and the pane takes their place", async () => {
  const page = await newPage(browser, { width: 1280 });
  const release = await hold(page, "**/*_bg.wasm");
  await page.goto(`${server.origin}/?customerId=${CONTOSO.id}`, { waitUntil: "commit" });
  const boot = page.locator("#dp-boot");
  await boot.locator(".dp-skeleton__card").first().waitFor({ state: "visible" });
  assert.equal(await boot.locator("main").getAttribute("aria-busy"), "true");
  assert.equal(await page.locator(".dp").count(), 1, "only the loading cards so far");

  release();
  await waitForCards(page, CONTOSO.openDealNames.length);
  assert.equal(await boot.count(), 0, "the pane removed the loading cards");
  assert.equal(await page.locator(".dp").count(), 1, "one pane");
  assert.equal(await page.locator("main").count(), 1, "one main landmark");
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("a dark-mode agent's page is dark from its first frame: the pane's start changes no colour", async () => {
  const background = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await newPage(browser, { width: 1280, colorScheme: "light" });
  const dark = await newPage(browser, { width: 1280, colorScheme: "dark" });
  const releases = [];
  for (const page of [light, dark]) {
    releases.push(await hold(page, "**/*_bg.wasm"));
    await page.goto(`${server.origin}/?customerId=${CONTOSO.id}`, { waitUntil: "commit" });
    await page.locator("#dp-boot .dp-skeleton__card").first().waitFor({ state: "visible" });
    // The colours are read once both style sheets apply: under a full suite's load this once
    // read the unstyled page's transparent background.
    await page.waitForFunction(() =>
      [...document.querySelectorAll('link[rel="stylesheet"]')].every((link) => link.sheet),
    );
  }
  // Before the wasm runs: index.html's own theme follows the system.
  const before = await background(dark);
  assert.notEqual(before, await background(light));
  releases.forEach((release) => release());
  await waitForCards(dark, CONTOSO.openDealNames.length);
  assert.equal(await background(dark), before, "the pane kept the page's colours");
  for (const page of [light, dark]) await page.context().close();
});

test("config.json and DealSummary are each asked for once", async () => {
  const page = await newPage(browser, { width: 1280 });
  const asked = [];
  page.on("request", (request) => asked.push(new URL(request.url()).pathname));
  await page.goto(`${server.origin}/?customerId=${CONTOSO.id}`);
  await waitForCards(page, CONTOSO.openDealNames.length);
  assert.equal(asked.filter((p) => p === "/config.json").length, 1, asked.join(" "));
  assert.equal(asked.filter((p) => p === "/api/DealSummary").length, 1, asked.join(" "));
  await page.context().close();
});

test("a config.json slower than the wait: the pane starts anyway, then reads the file", async () => {
  const page = await newPage(browser, { width: 1280 });
  // A file whose timeout is out of range: the configuration error shows only if the pane read it.
  let asked = 0;
  await page.route("**/config.json", async (route) => {
    asked += 1;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await route
      .fulfill({ status: 200, contentType: "application/json", body: '{"requestTimeoutMs": 5}' })
      .catch(() => {});
  });
  await page.goto(`${server.origin}/?customerId=${CONTOSO.id}`, { waitUntil: "commit" });
  // Elements and their attributes, in order; comments, whitespace and attribute order aside.
  const markup = (locator) =>
    locator.evaluate((root) => {
      const shape = (element) => {
        const attributes = [...element.attributes].map((a) => `${a.name}=${a.value}`).sort();
        return `<${element.localName} ${attributes.join(" ")}>${[...element.children].map(shape).join("")}`;
      };
      return shape(root);
    });
  const boot = await markup(page.locator("#dp-boot .dp-skeleton"));
  // The pane mounts after its wait (400 ms) and shows itself 300 ms later, before the file
  // comes: starting, busy, its own loading cards in place of index.html's.
  const own = page.locator(".dp:not(#dp-boot) main[aria-busy=true] .dp-skeleton");
  await own.waitFor({ timeout: 2400 });
  assert.equal(await page.locator("#dp-boot").count(), 0);
  // index.html carries a copy of the pane's wordless loading cards (states.rs): the same markup.
  assert.equal(await markup(own), boot);
  const notice = await waitForNotice(page);
  assert.equal(await notice.getAttribute("data-state"), "error");
  assert.match(await notice.textContent(), /requestTimeoutMs/);
  // The page's one read (index.html's preload) is handed to the pane, not asked for again.
  assert.equal(asked, 1);
  await page.context().close();
});

test("a slow answer: index.html's cards stand in for 300 ms, then the pane says it is loading", async () => {
  const page = await newPage(browser, { width: 1280 });
  await page.route("**/api/DealSummary*", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await route.continue().catch(() => {});
  });
  const asked = page.waitForRequest((request) => request.url().includes("/DealSummary"));
  await page.goto(`${server.origin}/?customerId=${CONTOSO.id}`, { waitUntil: "commit" });
  await asked;
  // Mounted and asking, but nothing to show yet: index.html's cards, the pane hidden.
  assert.equal(await page.locator("#dp-boot").count(), 1);
  assert.equal(await page.locator(".dp:not(#dp-boot)").isHidden(), true);
  const label = page.locator(".dp-skeleton__label");
  await label.waitFor({ timeout: 1500 });
  assert.match(await label.textContent(), /Loading/);
  assert.equal(await page.locator("#dp-boot").count(), 0);
  assert.match(await page.locator("[aria-live]").textContent(), /Loading/);
  await waitForCards(page, CONTOSO.openDealNames.length);
  await page.context().close();
});
