// Finding the widget in a page or in the preview's iframe, and waiting for its states.

export const CARD = "article.dp-card";
export const NOTICE = "section.dp-notice";

/** Opens the workspace preview with `params` (its query: session, width, theme, kind, url, data, guid, ...). */
export async function openPreview(page, origin, params = {}) {
  const query = new URLSearchParams(params).toString();
  await page.goto(`${origin}/preview/${query ? `?${query}` : ""}`);
  await page.locator("html[data-ready=true]").waitFor();
  return page.frameLocator("#dealpane-frame");
}

/** The iframe's current Frame (the preview recreates the iframe on each session switch). */
export async function paneFrame(page) {
  const element = await page.waitForSelector("#dealpane-frame");
  const frame = await element.contentFrame();
  await frame.waitForLoadState("load");
  return frame;
}

/** Waits until the pane (a Page, Frame or FrameLocator) shows `count` deal cards, or at least one. */
export async function waitForCards(pane, count) {
  const cards = pane.locator(CARD);
  await cards.first().waitFor({ timeout: 20_000 });
  if (count !== undefined) {
    const deadline = Date.now() + 10_000;
    while ((await cards.count()) !== count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  }
  return cards;
}

/** Opens every closed deal card (a closed card's body, its summary included, is built when it first opens). */
export async function openAllCards(pane) {
  const closed = pane.locator(`${CARD} .dp-card__toggle[aria-expanded="false"]`);
  while ((await closed.count()) > 0) await closed.first().click();
}

/** Waits for a notice (info, warning or error) and returns it. */
export async function waitForNotice(pane) {
  const notice = pane.locator(NOTICE);
  await notice.first().waitFor({ timeout: 20_000 });
  return notice.first();
}

/** The names on the deal cards, in order. */
export async function cardNames(pane) {
  return pane.locator(`${CARD} .dp-card__name`).allTextContents();
}

/** Waits until `calls` (from recordApiCalls) holds more than `seen` entries; returns the newest. */
export async function nextApiCall(calls, seen, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  while (calls.length <= seen) {
    if (Date.now() > deadline) throw new Error(`no DealSummary request within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return calls[calls.length - 1];
}
