// The widget where it lives: inside the workspace preview's iframe, built from the template's
// url + data, reloaded on each session switch, at side-pane and tab widths.

import assert from "node:assert/strict";
import { test } from "node:test";

import { newPage, recordApiCalls } from "../lib/browser.mjs";
import { AOIFE, CONTOSO, LITWARE, NORTHWIND } from "../lib/fixtures.mjs";
import { cardNames, nextApiCall, openPreview, paneFrame, waitForCards } from "../lib/pane.mjs";
import { startServerAndBrowser } from "../lib/setup.mjs";

const { server, browser } = await startServerAndBrowser();

test("the store's fixture customers are where the tests expect them", async () => {
  for (const fixture of [CONTOSO, AOIFE, LITWARE, NORTHWIND]) {
    const { customers } = await server.json(`/api/customers?q=${encodeURIComponent(fixture.name)}&top=5`);
    assert.ok(
      customers.some((c) => c.id === fixture.id && c.type === fixture.type),
      `${fixture.name} at ${fixture.id}: got ${JSON.stringify(customers)}`,
    );
  }
});

test("the preview page is served with a CSP that lets it frame the widget", async () => {
  const preview = await fetch(`${server.origin}/preview/`);
  assert.equal(preview.status, 200);
  const widget = await fetch(`${server.origin}/`);
  const csp = widget.headers.get("content-security-policy") ?? "";
  assert.match(csp, /frame-ancestors[^;]*'self'/, `the widget's CSP: ${csp}`);
});

test("the preview hosts the widget for a customer with deals", async () => {
  const page = await newPage(browser);
  const calls = recordApiCalls(page);
  const pane = await openPreview(page, server.origin, { session: CONTOSO.id, name: CONTOSO.name });

  const cards = await waitForCards(pane, CONTOSO.openDealNames.length);
  assert.equal(await cards.count(), CONTOSO.openDealNames.length);
  assert.deepEqual(await cardNames(pane), CONTOSO.openDealNames);

  const frameSrc = await page.locator("#dealpane-frame").getAttribute("src");
  assert.equal(frameSrc, `${server.origin}/?customerId=${CONTOSO.id}`);
  const call = await nextApiCall(calls, 0);
  assert.equal(call.params.get("customerId"), CONTOSO.id);
  assert.match(call.accept, /application\/json/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("a session switch reloads the tab for the other customer", async () => {
  const page = await newPage(browser);
  const calls = recordApiCalls(page);
  const pane = await openPreview(page, server.origin);
  await waitForCards(pane);
  const firstFrame = await paneFrame(page);
  await firstFrame.evaluate(() => {
    window.beforeSwitch = true;
  });
  const before = calls.length;

  // The session column lists customers with deals and without; pick another one with deals.
  const sessions = page.locator("button.session");
  const count = await sessions.count();
  assert.ok(count >= 3, `the preview lists ${count} sessions`);
  const current = await page.locator('button.session[aria-current="true"]').getAttribute("data-session");
  let target = null;
  for (let i = 0; i < count; i += 1) {
    const id = await sessions.nth(i).getAttribute("data-session");
    const meta = await sessions.nth(i).locator(".session-meta").textContent();
    if (id !== current && /\d+ open deals?/.test(meta)) {
      target = sessions.nth(i);
      break;
    }
  }
  assert.ok(target, "another session with deals");
  const targetId = await target.getAttribute("data-session");
  await target.click();

  const call = await nextApiCall(calls, before);
  assert.equal(call.params.get("customerId"), targetId);
  await waitForCards(pane);
  const secondFrame = await paneFrame(page);
  assert.equal(await secondFrame.evaluate(() => window.beforeSwitch === true), false, "the tab is a fresh document");
  const expected = (await server.json(`/api/DealSummary?customerId=${targetId}`)).deals.map((d) => d.name);
  assert.deepEqual(await cardNames(pane), expected);
  assert.equal(await page.locator('button.session[aria-current="true"]').getAttribute("data-session"), targetId);
  await page.context().close();
});

test("the width control shows the widget at 320 px and at 1280 px", async () => {
  const page = await newPage(browser);
  const pane = await openPreview(page, server.origin, { session: CONTOSO.id });
  await waitForCards(pane);
  const frame = await paneFrame(page);
  assert.equal(await frame.evaluate(() => window.innerWidth), 320);

  await page.getByLabel("Tab (1280 px)").check();
  await page.waitForFunction(() => document.getElementById("dealpane-frame").clientWidth === 1280);
  assert.equal(await frame.evaluate(() => window.innerWidth), 1280);
  assert.equal(await page.locator("#tab-app").getAttribute("aria-selected"), "true");
  assert.equal(await pane.locator("article.dp-card").count(), CONTOSO.openDealNames.length, "same document");
  await page.context().close();
});
