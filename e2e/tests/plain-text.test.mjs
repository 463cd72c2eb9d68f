// A backend that is the sample Azure Function, unchanged: `GET /api/DealSummary?customerName=`
// answers the top deal's summary as text/plain. The pane must show that text, as text.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { launch, newPage, recordApiCalls } from "../lib/browser.mjs";
import { nextApiCall } from "../lib/pane.mjs";
import { sampleFunction, startStaticBackend } from "../lib/static-backend.mjs";

const NAME = "Contoso Pharmaceuticals";
// Markup in the text must arrive as characters, never as elements.
const SUMMARY =
  "Espresso machines for 4 sites: Alex Wu proposed four machines on 12 Nov. <b>Next</b>: a site visit.\n\nBudget approved by the customer's CFO.";

let backend;
let browser;

before(async () => {
  backend = await startStaticBackend(sampleFunction({ [NAME]: SUMMARY }));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await backend?.close();
});

test("a plain-text backend shaped like the sample function: the summary shows as text", async () => {
  const page = await newPage(browser, { width: 1280 });
  const calls = recordApiCalls(page);
  await page.goto(`${backend.origin}/?customerName=${encodeURIComponent(NAME)}`);
  const call = await nextApiCall(calls, 0);
  assert.equal(call.params.get("customerName"), NAME);
  assert.equal(call.url.origin, backend.origin, "the widget asked the apiBase of config.json");

  const card = page.locator('article[data-plain="true"]');
  await card.waitFor({ timeout: 20_000 });
  const text = await card.locator(".dp-summary__text").innerText();
  assert.match(text, /Espresso machines for 4 sites: Alex Wu proposed four machines on 12 Nov\. <b>Next<\/b>: a site visit\./);
  assert.match(text, /Budget approved by the customer's CFO\./);
  assert.equal(await card.locator(".dp-summary__text b").count(), 0, "no markup was interpreted");
  assert.match(await card.textContent(), new RegExp(NAME));
  assert.equal(await page.locator(".dp-notice").count(), 0);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("the sample function's 400 for a missing name is shown as an error with Retry", async () => {
  const page = await newPage(browser, { width: 1280 });
  const calls = recordApiCalls(page);
  await page.goto(`${backend.origin}/?customerId=3f2504e0-4f89-11d3-9a0c-0305e82c3301`);
  await nextApiCall(calls, 0);
  const notice = page.locator(".dp-notice");
  await notice.waitFor({ timeout: 20_000 });
  assert.equal(await notice.getAttribute("data-state"), "error");
  await page.context().close();
});
