// The main flow with the keyboard alone: find a customer in the standalone pane's search, open a
// deal card, copy its summary.

import assert from "node:assert/strict";
import { test } from "node:test";

import { newPage } from "../lib/browser.mjs";
import { CONTOSO } from "../lib/fixtures.mjs";
import { CARD, waitForCards } from "../lib/pane.mjs";
import { startServerAndBrowser } from "../lib/setup.mjs";

const { server, browser } = await startServerAndBrowser();

/** Presses Tab until `matches(document.activeElement)` holds; fails after `max` presses. */
async function tabTo(page, description, matches, max = 40) {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(matches)) return;
  }
  assert.fail(`Tab never reached ${description}`);
}

test("search a customer, open a card and copy its summary, keyboard only", async () => {
  const page = await newPage(browser, { width: 1280 });
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.origin });
  await page.goto(`${server.origin}/`);
  await page.getByRole("combobox").waitFor();

  await tabTo(page, "the customer search", () => document.activeElement?.getAttribute("role") === "combobox");
  await page.keyboard.type("Contoso Ph");
  const option = page.getByRole("option", { name: new RegExp(CONTOSO.name) });
  await option.waitFor();
  await page.keyboard.press("ArrowDown");
  await page.waitForFunction(() => document.activeElement?.getAttribute("aria-activedescendant"));
  await page.keyboard.press("Enter");
  await waitForCards(page, CONTOSO.openDealNames.length);

  // The first collapsed card, reached with Tab, opened with Enter.
  await tabTo(
    page,
    "a collapsed deal card",
    () => document.activeElement?.matches("button.dp-card__toggle[aria-expanded=false]") ?? false,
  );
  const name = await page.evaluate(() => document.activeElement.textContent.trim());
  await page.keyboard.press("Enter");
  const card = page.locator(CARD).filter({ has: page.locator(".dp-card__name", { hasText: name }) });
  assert.equal(await card.locator("button.dp-card__toggle").getAttribute("aria-expanded"), "true");
  await card.locator('[data-summary="ready"]').waitFor();

  await tabTo(page, "the card's Copy summary button", () => document.activeElement?.textContent.includes("Copy summary"));
  assert.ok(
    await card.evaluate((el) => el.contains(document.activeElement)),
    "the Copy summary button reached is the open card's",
  );
  await page.keyboard.press("Enter");
  await card.locator(".dp-copy__done").waitFor();

  const answer = await server.json(`/api/DealSummary?customerId=${CONTOSO.id}`);
  const deal = answer.deals.find((d) => d.name === name);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, `${deal.name}\n\n${deal.summary.text.trim()}`);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
