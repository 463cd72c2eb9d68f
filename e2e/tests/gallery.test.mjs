// Every state of the pane at side-pane (320 px) and tab (1280 px) widths, light and dark: an
// axe-core scan with no serious or critical violation, and a screenshot under
// target/e2e-screenshots/ for review. The mixed-currency customer and right-to-left states
// (Arabic, Hebrew) are among them. The preview page itself is scanned and shot too.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { launch, newPage, screenshot, seriousViolations } from "../lib/browser.mjs";
import { ADATUM, CONTOSO, LITWARE, NOD_PUBLISHERS, NORTHWIND, UNKNOWN } from "../lib/fixtures.mjs";
import { CARD, NOTICE, openPreview, paneFrame, waitForCards } from "../lib/pane.mjs";
import { DealpaneServer } from "../lib/server.mjs";
import { startStaticBackend } from "../lib/static-backend.mjs";

const LOOKS = [
  { width: 320, colorScheme: "light" },
  { width: 320, colorScheme: "dark" },
  { width: 1280, colorScheme: "light" },
  { width: 1280, colorScheme: "dark" },
];

const PROBLEM = {
  type: "about:blank",
  title: "The Sales environment failed",
  status: 502,
  detail: "Dataverse answered 500 to the opportunities query.",
  traceId: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
};

/** A backend for the states the real server shows only by accident: by customerName. */
function troubles(url, request, response) {
  switch (url.searchParams.get("customerName")) {
    case "Upstream failure":
      response.writeHead(502, { "Content-Type": "application/problem+json" });
      response.end(JSON.stringify(PROBLEM));
      return;
    case "Dropped connection":
      request.socket.destroy();
      return;
    case "Slow answer":
      return; // never answers: the pane stays in its loading state
    default:
      response.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
      response.end(
        "Espresso machines for 4 sites: Alex Wu proposed four machines on 12 Nov; the customer asked for a site visit before the order.",
      );
  }
}

let server;
let slow;
let backend;
let browser;

before(async () => {
  server = await new DealpaneServer().start();
  // Summaries that take longer than the four looks' screenshots: they stay pending.
  slow = await new DealpaneServer({ args: ["--summary-latency-ms", "25000"] }).start();
  backend = await startStaticBackend(troubles);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await backend?.close();
  await server?.dispose();
  await slow?.dispose();
});

/**
 * Each state: where to go (given the origins of the real server, of one whose summaries stay
 * pending, and of the stand-in) and what to wait for once there (the page is the widget itself).
 */
const STATES = [
  {
    name: "deals",
    url: (o) => `${o.real}/?customerId=${CONTOSO.id}`,
    ready: async (page) => {
      await waitForCards(page, CONTOSO.openDealNames.length);
      const toggle = page.locator(`${CARD} button.dp-card__toggle`).first();
      if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
      await page.locator(`${CARD} [data-summary="ready"]`).first().waitFor();
    },
  },
  {
    name: "summaries-pending",
    url: (o) => `${o.slow}/?customerId=${NOD_PUBLISHERS.id}`,
    ready: async (page) => {
      await waitForCards(page, NOD_PUBLISHERS.openDeals);
      await page.locator(`${CARD} [data-summary="pending"][aria-busy="true"]`).first().waitFor({ state: "visible" });
    },
  },
  {
    name: "summary-unavailable",
    url: (o) => `${o.real}/?customerId=${LITWARE.id}`,
    ready: async (page) => {
      const card = page.locator(`${CARD}[data-deal-id="${LITWARE.dealWithoutSummary}"]`);
      await card.waitFor({ timeout: 20_000 });
      const toggle = card.locator("button.dp-card__toggle");
      if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
      await card.locator('[data-summary="unavailable"]').waitFor();
    },
  },
  { name: "no-deals", url: (o) => `${o.real}/?customerId=${NORTHWIND.id}`, ready: notice("info") },
  { name: "not-found", url: (o) => `${o.real}/?customerId=${UNKNOWN.id}`, ready: notice("warning") },
  {
    name: "unfilled-slug",
    url: (o) => `${o.real}/?customerId={anchor._customerid_value}`,
    ready: notice("warning"),
  },
  {
    name: "picker",
    url: (o) => `${o.real}/`,
    ready: async (page) => {
      await page.getByRole("combobox").fill("Co");
      await page.getByRole("option").first().waitFor({ timeout: 20_000 });
    },
  },
  { name: "upstream-error", url: (o) => `${o.stub}/?customerName=Upstream%20failure`, ready: notice("error") },
  {
    name: "connection-lost",
    url: (o) => `${o.stub}/?customerName=Dropped%20connection`,
    ready: async (page) => {
      await notice()(page);
      await page.getByRole("button", { name: "Retry" }).waitFor();
    },
  },
  {
    name: "plain-text",
    url: (o) => `${o.stub}/?customerName=Contoso%20Pharmaceuticals`,
    ready: async (page) => page.locator('article[data-plain="true"]').waitFor({ timeout: 20_000 }),
  },
  {
    name: "loading",
    url: (o) => `${o.stub}/?customerName=Slow%20answer`,
    // The pane's own loading state (index.html's wordless cards stand in for its first 300 ms).
    ready: async (page) => page.locator('.dp:not(#dp-boot) [data-state="loading"]').waitFor({ timeout: 20_000 }),
  },
  // Deals in four currencies, compared and added in the base currency.
  { name: "mixed-currencies", url: (o) => `${o.real}/?customerId=${ADATUM.id}`, ready: cards(ADATUM) },
  // Right to left, in each language's own words.
  { name: "deals-ar", url: (o) => `${o.real}/?customerId=${ADATUM.id}&lang=ar`, ready: cards(ADATUM) },
  { name: "deals-he", url: (o) => `${o.real}/?customerId=${CONTOSO.id}&lang=he`, ready: cards(CONTOSO) },
  { name: "not-found-ar", url: (o) => `${o.real}/?customerId=${UNKNOWN.id}&lang=ar`, ready: notice("warning") },
  { name: "upstream-error-he", url: (o) => `${o.stub}/?customerName=Upstream%20failure&lang=he`, ready: notice("error") },
  {
    name: "picker-ar",
    url: (o) => `${o.real}/?lang=ar`,
    ready: async (page) => {
      await page.getByRole("combobox").fill("Ad");
      await page.getByRole("option").first().waitFor({ timeout: 20_000 });
    },
  },
];

/** Waits for every card of `customer`, then for the open card's summary. */
function cards(customer) {
  return async (page) => {
    await waitForCards(page, customer.openDealNames.length);
    await page.locator(`${CARD} [data-summary="ready"]`).first().waitFor({ timeout: 20_000 });
  };
}

function notice(state) {
  return async (page) => {
    const found = page.locator(state ? `${NOTICE}[data-state="${state}"]` : NOTICE);
    await found.first().waitFor({ timeout: 20_000 });
  };
}

describe("every state passes axe and is shot at both widths, light and dark", () => {
  for (const state of STATES) {
    test(state.name, async () => {
      const problems = [];
      for (const look of LOOKS) {
        const page = await newPage(browser, { width: look.width, height: 800, colorScheme: look.colorScheme });
        await page.goto(state.url({ real: server.origin, slow: slow.origin, stub: backend.origin }));
        await state.ready(page);
        await page.evaluate(() => document.fonts.ready);
        await screenshot(page, `${state.name}-${look.width}-${look.colorScheme}`);
        for (const violation of await seriousViolations(page)) {
          problems.push(`${look.width} px ${look.colorScheme}: ${violation}`);
        }
        assert.deepEqual(page.problems, [], `${state.name} ${look.width} ${look.colorScheme}`);
        await page.context().close();
      }
      assert.deepEqual(problems, [], "serious or critical accessibility violations");
    });
  }

  test("the workspace preview, side pane and tab", async () => {
    const problems = [];
    for (const width of ["pane", "tab"]) {
      for (const colorScheme of ["light", "dark"]) {
        const page = await newPage(browser, { width: 1600, height: 900, colorScheme });
        const pane = await openPreview(page, server.origin, { session: CONTOSO.id, name: CONTOSO.name, width });
        await waitForCards(pane, CONTOSO.openDealNames.length);
        await screenshot(page, `preview-${width}-${colorScheme}`);
        for (const violation of await seriousViolations(page)) problems.push(`preview ${width} ${colorScheme}: ${violation}`);
        for (const violation of await seriousViolations(await paneFrame(page))) {
          problems.push(`pane in preview ${width} ${colorScheme}: ${violation}`);
        }
        await page.context().close();
      }
    }
    assert.deepEqual(problems, [], "serious or critical accessibility violations");
  });
});
