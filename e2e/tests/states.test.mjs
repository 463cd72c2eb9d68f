// The pane's states other than a list of deals, against the real server: a customer Sales does
// not know, one without open deals, a deal whose summary fails, and the server going away while
// the pane is open and coming back.

import assert from "node:assert/strict";
import { test } from "node:test";

import { newPage, recordApiCalls } from "../lib/browser.mjs";
import { CONTOSO, FABRIKAM, LITWARE, NORTHWIND, UNKNOWN } from "../lib/fixtures.mjs";
import { CARD, cardNames, nextApiCall, openPreview, waitForCards, waitForNotice } from "../lib/pane.mjs";
import { DealpaneServer } from "../lib/server.mjs";
import { startServerAndBrowser } from "../lib/setup.mjs";

const { server, browser } = await startServerAndBrowser();

test("a customer Sales does not know: the not-found state, no deals, no error", async () => {
  const page = await newPage(browser);
  const calls = recordApiCalls(page);
  const pane = await openPreview(page, server.origin, { session: UNKNOWN.id });
  const call = await nextApiCall(calls, 0);
  assert.equal(call.params.get("customerId"), UNKNOWN.id);
  const notice = await waitForNotice(pane);
  assert.equal(await notice.getAttribute("data-state"), "warning");
  assert.match(await notice.locator("h2").textContent(), /not found/i);
  assert.equal(await pane.locator(CARD).count(), 0);
  assert.equal(await pane.getByRole("button", { name: "Retry" }).count(), 0, "nothing to retry");
  await page.context().close();
});

test("customers without open deals: the empty state", async () => {
  for (const customer of [FABRIKAM, NORTHWIND]) {
    const page = await newPage(browser, { width: 1280 });
    await page.goto(`${server.origin}/?customerId=${customer.id}`);
    const notice = await waitForNotice(page);
    assert.equal(await notice.getAttribute("data-state"), "info", customer.name);
    assert.equal(await page.locator(CARD).count(), 0, customer.name);
    assert.match(await page.locator("h1").first().textContent(), new RegExp(customer.name), "the header names the customer");
    await page.context().close();
  }
});

test("a deal whose summary fails still shows, marked unavailable; the others keep theirs", async () => {
  const answer = await server.json(`/api/DealSummary?customerId=${LITWARE.id}`);
  const states = Object.fromEntries(answer.deals.map((d) => [d.id, d.summary.state]));
  assert.deepEqual(states, { [LITWARE.dealWithoutSummary]: "unavailable", [LITWARE.dealWithSummary]: "ready" });

  const page = await newPage(browser, { width: 1280 });
  await page.goto(`${server.origin}/?customerId=${LITWARE.id}`);
  await waitForCards(page, 2);
  const failing = page.locator(`${CARD}[data-deal-id="${LITWARE.dealWithoutSummary}"]`);
  const fine = page.locator(`${CARD}[data-deal-id="${LITWARE.dealWithSummary}"]`);
  for (const card of [failing, fine]) {
    const toggle = card.locator("button.dp-card__toggle");
    if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
  }
  await failing.locator('[data-summary="unavailable"]').waitFor();
  assert.match(await failing.locator('[data-summary="unavailable"]').textContent(), /unavailable/i);
  await fine.locator('[data-summary="ready"]').waitFor();
  assert.equal(await page.locator(".dp-notice").count(), 0, "no error for the whole pane");
  await page.context().close();
});

test("the server stops while the pane is open: an error with Retry; back again: Retry loads the deals", async () => {
  const own = await new DealpaneServer().start();
  try {
    const page = await newPage(browser);
    const calls = recordApiCalls(page);
    const pane = await openPreview(page, own.origin, { session: CONTOSO.id, name: CONTOSO.name });
    await waitForCards(pane, CONTOSO.openDealNames.length);

    // The agent presses Refresh while the server is down: Refresh must ask the server (an
    // answer still fresh in the browser's HTTP cache must not stand in for it).
    await own.stop();
    const before = calls.length;
    await pane.locator(".dp-customer__refresh").click();
    await nextApiCall(calls, before);
    const notice = await waitForNotice(pane);
    assert.ok(["warning", "error"].includes(await notice.getAttribute("data-state")));
    const retry = pane.getByRole("button", { name: "Retry" });
    await retry.waitFor();
    assert.equal(await pane.locator(CARD).count(), 0);

    await own.start();
    await retry.click();
    await waitForCards(pane, CONTOSO.openDealNames.length);
    assert.deepEqual(await cardNames(pane), CONTOSO.openDealNames);
    assert.equal(await pane.locator(".dp-notice").count(), 0);
    await page.context().close();
  } finally {
    await own.dispose();
  }
});
