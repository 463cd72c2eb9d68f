// Issue 9 against the real server's embedded store: a customer whose deals are priced in four
// currencies (the largest deal, the totals and the chart in the base currency), panes in Arabic
// and Hebrew (their words, lang and dir, nothing cut off from 280 to 1400 px), each language's
// words fetched only by a pane in that language, and a widget load that asks for nothing the
// server does not have (no /favicon.ico).

import assert from "node:assert/strict";
import { test } from "node:test";

import { newPage } from "../lib/browser.mjs";
import { ADATUM, CONTOSO } from "../lib/fixtures.mjs";
import { clippedElements } from "../lib/layout.mjs";
import { CARD, waitForCards } from "../lib/pane.mjs";
import { startServerAndBrowser } from "../lib/setup.mjs";

const { server, browser } = await startServerAndBrowser();

test("the store's mixed-currency customer answers in base values, highest first", async () => {
  const answer = await server.json(`/api/DealSummary?customerId=${ADATUM.id}`);
  assert.equal(answer.customer.name, ADATUM.name);
  assert.equal(answer.baseCurrency, ADATUM.baseCurrency);
  assert.deepEqual(
    answer.deals.map((d) => d.name),
    ADATUM.openDealNames,
  );
  const yen = answer.deals.find((d) => d.id === ADATUM.yenDeal);
  assert.deepEqual(yen.value, { amount: 9_800_000, currency: "JPY" });
  assert.equal(yen.valueBase.currency, "USD");
  assert.ok(Math.abs(yen.valueBase.amount - 65_333.33) < 0.01, JSON.stringify(yen.valueBase));
});

test("a mixed-currency customer: the largest deal, the totals and the chart in the base currency", async () => {
  const page = await newPage(browser, { width: 1280 });
  await page.goto(`${server.origin}/?customerId=${ADATUM.id}`);
  const cards = await waitForCards(page, ADATUM.openDealNames.length);

  const expanded = [];
  for (let i = 0; i < (await cards.count()); i += 1) {
    const card = cards.nth(i);
    if ((await card.locator("button.dp-card__toggle").getAttribute("aria-expanded")) === "true") {
      expanded.push(await card.getAttribute("data-deal-id"));
    }
  }
  assert.deepEqual(expanded, [ADATUM.topDeal], "the $425,000 deal starts open, not the ¥9,800,000 one");

  const totals = await page.locator(".dp-totals dd").allTextContents();
  assert.equal(totals.length, 2);
  assert.ok(totals[0].startsWith("$722,034"), `open value in USD: ${totals[0]}`);
  assert.ok(totals[1].startsWith("$389,820"), `weighted value in USD: ${totals[1]}`);
  assert.equal(
    await page.locator(".dp-totals__parts").first().textContent(),
    "$425,000 · €120,000 · £80,000 · ¥9,800,000",
    "the amounts per currency under the total",
  );

  const chart = page.locator(".dp-chart [role=img]");
  assert.equal(
    await chart.getAttribute("aria-label"),
    "Pipeline by stage. Qualify: $101,266; Develop: $130,435; Propose: $425,000; Close: $65,333.",
  );
  assert.equal(await page.locator(".dp-chart__bar").count(), 4, "every valued deal is charted");
  assert.equal(
    await page.locator(".dp-chart__note").textContent(),
    "All amounts in USD, the organization's base currency.",
  );

  const yen = page.locator(`${CARD}[data-deal-id="${ADATUM.yenDeal}"] .dp-card__meta`);
  assert.match(await yen.textContent(), /¥9,800,000 ≈ \$65,300/);
  const top = page.locator(`${CARD}[data-deal-id="${ADATUM.topDeal}"]`);
  assert.doesNotMatch(await top.textContent(), /≈/, "a deal in the base currency needs no ≈");
  assert.equal(await page.locator("h1 bdi").textContent(), ADATUM.name, "the name is one isolated run");
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

// A browser with a tab strip asks for /favicon.ico on every load unless the page names an icon;
// the server has none (404). Headless Chromium fetches no icons at all, so the test checks the
// declaration that prevents the request, that the CSP allows it, and that the load asks for
// nothing missing.
test("the widget declares an empty icon the CSP allows, and its load gets no 404", async () => {
  const page = await newPage(browser);
  const asked = [];
  const missing = [];
  const refused = [];
  page.on("request", (request) => asked.push(new URL(request.url()).pathname));
  page.on("response", (response) => {
    if (response.status() === 404) missing.push(response.url());
  });
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
  });
  const response = await page.goto(`${server.origin}/?customerId=${CONTOSO.id}`);
  await waitForCards(page, CONTOSO.openDealNames.length);
  assert.equal(await page.locator('link[rel="icon"]').getAttribute("href"), "data:,");
  const csp = response.headers()["content-security-policy"] ?? "";
  assert.match(csp, /img-src [^;]*data:/, `the CSP lets the page use a data: icon: ${csp}`);
  assert.ok(!asked.includes("/favicon.ico"), `requests: ${asked.join(", ")}`);
  assert.deepEqual(missing, []);
  assert.deepEqual(refused, []);
  assert.equal((await fetch(`${server.origin}/favicon.ico`)).status, 404, "there is no icon to serve");
  await page.context().close();
});

const LANGUAGES = [
  { lang: "ar", title: "الفرص المفتوحة", deals: "4 فرص مفتوحة" },
  { lang: "he", title: "הזדמנויות פתוחות", deals: "4 הזדמנויות פתוחות" },
];

for (const { lang, title, deals } of LANGUAGES) {
  test(`${lang}: its own words, right to left, nothing cut off from 280 to 1400 px`, async () => {
    const problems = [];
    for (const width of [280, 320, 360, 768, 1400]) {
      const page = await newPage(browser, { width, height: 900 });
      await page.goto(`${server.origin}/?customerId=${ADATUM.id}&lang=${lang}`);
      const cards = await waitForCards(page, ADATUM.openDealNames.length);
      const root = page.locator("html");
      assert.equal(await root.getAttribute("lang"), lang);
      assert.equal(await root.getAttribute("dir"), "rtl");
      assert.equal(await page.locator(".dp-deals h2").textContent(), title);
      assert.match(await page.locator(".dp-customer__meta").textContent(), new RegExp(deals));
      for (let i = 0; i < (await cards.count()); i += 1) {
        const toggle = cards.nth(i).locator("button.dp-card__toggle");
        if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
      }
      for (const problem of await clippedElements(page)) problems.push(`${width} px: ${problem}`);
      assert.deepEqual(page.problems, [], `${lang} ${width}`);
      await page.context().close();
    }
    assert.deepEqual(problems, [], "clipped or scrolled off");
  });
}

test("left to right as well: nothing cut off from 280 to 1400 px", async () => {
  const problems = [];
  for (const width of [280, 1400]) {
    for (const customer of [ADATUM, CONTOSO]) {
      const page = await newPage(browser, { width, height: 900 });
      await page.goto(`${server.origin}/?customerId=${customer.id}`);
      await waitForCards(page, customer.openDealNames.length);
      assert.equal(await page.locator("html").getAttribute("dir"), "ltr");
      for (const problem of await clippedElements(page)) problems.push(`${customer.name} ${width} px: ${problem}`);
      await page.context().close();
    }
  }
  assert.deepEqual(problems, []);
});

test("a pane fetches its own language's words only, served as JSON and revalidated", async () => {
  for (const lang of ["de", "en"]) {
    const page = await newPage(browser);
    const files = [];
    page.on("response", (response) => {
      const url = new URL(response.url());
      if (url.pathname.startsWith("/i18n/")) files.push({ path: url.pathname, response });
    });
    await page.goto(`${server.origin}/?customerId=${ADATUM.id}&lang=${lang}`);
    await waitForCards(page, ADATUM.openDealNames.length);
    assert.equal(await page.locator("html").getAttribute("lang"), lang);
    if (lang === "en") {
      assert.deepEqual(files.map((f) => f.path), [], "English is in the wasm");
    } else {
      assert.deepEqual(files.map((f) => f.path), ["/i18n/de.json"]);
      const headers = files[0].response.headers();
      assert.equal(files[0].response.status(), 200);
      assert.match(headers["content-type"], /^application\/json/);
      assert.equal(headers["cache-control"], "no-cache");
      assert.equal(await page.locator(".dp-deals h2").textContent(), "Offene Verkaufschancen");
    }
    assert.deepEqual(page.problems, [], lang);
    await page.context().close();
  }
});

test("a language without words of its own shows English, left to right", async () => {
  const page = await newPage(browser);
  await page.goto(`${server.origin}/?customerId=${ADATUM.id}&lang=fa`);
  await waitForCards(page, ADATUM.openDealNames.length);
  assert.equal(await page.locator("html").getAttribute("lang"), "en");
  assert.equal(await page.locator("html").getAttribute("dir"), "ltr");
  assert.match(await page.locator(".dp-customer__meta").textContent(), /4 open deals/);
  await page.context().close();
});
