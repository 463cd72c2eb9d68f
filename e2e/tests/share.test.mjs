// Share with Sales (issue 12) against the real server's embedded store: a note sent from a deal
// card is read back after a reload; with Sales down (a 503, simulated once), the draft is kept,
// survives a reload, and is sent on retry with the same Idempotency-Key.

import assert from "node:assert/strict";
import { test } from "node:test";

import { newPage, seriousViolations } from "../lib/browser.mjs";
import { CONTOSO } from "../lib/fixtures.mjs";
import { CARD, waitForCards } from "../lib/pane.mjs";
import { startServerAndBrowser } from "../lib/setup.mjs";

const { server, browser } = await startServerAndBrowser();

const NOTES = /\/api\/deals\/[0-9a-f-]+\/notes$/;

function paneUrl(caseId) {
  return `${server.origin}/?customerId=${CONTOSO.id}&customerName=${encodeURIComponent(CONTOSO.name)}&caseId=${caseId}`;
}

/** The card that starts open (the largest deal) and its message field, form opened. */
async function openForm(page) {
  await waitForCards(page, CONTOSO.openDealNames.length);
  const card = page.locator(CARD).filter({ has: page.locator('button.dp-card__toggle[aria-expanded="true"]') });
  const field = card.locator("textarea");
  if (!(await field.isVisible())) await card.getByRole("button", { name: "Tell the owner" }).click();
  await field.waitFor();
  return { card, field };
}

/** Every POST to a deal's notes, with its Idempotency-Key. */
function recordNotePosts(page) {
  const posts = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && NOTES.test(new URL(request.url()).pathname)) {
      posts.push({ key: request.headers()["idempotency-key"], body: request.postDataJSON() });
    }
  });
  return posts;
}

test("a note sent from a card is on the card after a reload", async () => {
  const caseId = "c0ffee00-0000-4000-8000-000000000001";
  const message = `Customer wants 3 more machines <b>e2e ${Date.now()}</b>`;
  const page = await newPage(browser);
  const posts = recordNotePosts(page);
  await page.goto(paneUrl(caseId));
  const { card, field } = await openForm(page);
  await assert.doesNotReject(card.getByText(`Case ${caseId}`).waitFor());
  assert.deepEqual(await seriousViolations(page), []);

  await field.fill(message);
  const created = page.waitForResponse((r) => r.request().method() === "POST" && NOTES.test(new URL(r.url()).pathname));
  await card.getByRole("button", { name: "Send" }).click();
  assert.equal((await created).status(), 201);
  await card.getByText("Sent to Sales").waitFor();
  await card.locator(".dp-note", { hasText: message }).waitFor();
  assert.equal(await field.inputValue(), "", "the draft is cleared");
  assert.equal(posts.length, 1);
  assert.deepEqual(posts[0].body, { message, caseId });

  await page.reload();
  await waitForCards(page, CONTOSO.openDealNames.length);
  const note = page.locator(`${CARD} .dp-note`, { hasText: message });
  await note.waitFor({ timeout: 20_000 });
  const meta = await note.locator(".dp-note__meta").textContent();
  assert.match(meta, /^Shared with .+ by Customer Service, just now$/);
  assert.equal(await page.locator(`${CARD} .dp-note b`).count(), 0, "a note is text");
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("Sales down: the draft is kept, survives a reload, and is sent on retry with the same key", async () => {
  const caseId = "c0ffee00-0000-4000-8000-000000000002";
  const message = `Renewal in May, e2e ${Date.now()}`;
  const page = await newPage(browser);
  const posts = recordNotePosts(page);
  let failed = 0;
  await page.route(NOTES, async (route) => {
    if (route.request().method() === "POST" && failed === 0) {
      failed += 1;
      await route.fulfill({
        status: 503,
        contentType: "application/problem+json",
        body: JSON.stringify({ type: "about:blank", title: "Sales unavailable", status: 503, traceId: "e2e" }),
      });
      return;
    }
    await route.continue();
  });
  await page.goto(paneUrl(caseId));
  let { card, field } = await openForm(page);
  await field.fill(message);
  await card.getByRole("button", { name: "Send" }).click();
  await card.getByText("Sales can't take it right now; try again later. Your draft is kept.").waitFor();
  assert.equal(await field.inputValue(), message);
  assert.equal(failed, 1);

  // The workspace reloads the tab: the draft is still there.
  await page.reload();
  ({ card, field } = await openForm(page));
  assert.equal(await field.inputValue(), message);

  await card.getByRole("button", { name: "Send" }).click();
  await card.getByText("Sent to Sales").waitFor();
  await card.locator(".dp-note", { hasText: message }).waitFor();
  assert.equal(posts.length, 2);
  assert.ok(posts[0].key, "an Idempotency-Key");
  assert.equal(posts[1].key, posts[0].key, "the retry is the same write");

  // Sales has it once.
  const deal = await card.getAttribute("data-deal-id");
  const listed = await server.json(`/api/deals/${deal}/notes`);
  assert.equal(listed.notes.filter((n) => n.message === message).length, 1);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("a suggested deal reaches Sales and the pane says its lead id", async () => {
  const page = await newPage(browser);
  await page.goto(paneUrl("c0ffee00-0000-4000-8000-000000000003"));
  await waitForCards(page, CONTOSO.openDealNames.length);
  const form = page.locator(".dp-share--lead");
  await form.getByRole("button", { name: "Suggest a new deal" }).click();
  await form.getByLabel("Topic").fill("Espresso machines for the new Lyon lab");
  await form.getByLabel("Estimated value (optional)").fill("42000");
  await form.getByLabel("Currency (e.g. USD)").fill("eur");
  const created = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/api/leads"));
  await form.getByRole("button", { name: "Send" }).click();
  const response = await created;
  assert.equal(response.status(), 201);
  const { id } = await response.json();
  await form.getByText(`Sent to Sales ${id}`).waitFor();
  assert.equal(await form.getByLabel("Topic").inputValue(), "");
  assert.deepEqual(await seriousViolations(page), []);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
