// Sign-in (issue 11) against the real server with its local Entra-like issuer (`--local-issuer`
// configures Entra to point at it, so every data route requires a bearer token): Sign in →
// popup → pick a user → deals; a reload signs in from sessionStorage without a popup; an
// expired access token is renewed silently; revoked refresh tokens lead back to "Sign in"; a
// blocked popup says so. With `--sales-identity agent` (a second server), two agents see
// different deals, and an agent Sales does not know sees "no access".

import assert from "node:assert/strict";
import { test } from "node:test";

import { newPage } from "../lib/browser.mjs";
import { CONTOSO } from "../lib/fixtures.mjs";
import { cardNames, waitForCards } from "../lib/pane.mjs";
import { DealpaneServer } from "../lib/server.mjs";
import { startServerAndBrowser } from "../lib/setup.mjs";

const { server, browser } = await startServerAndBrowser({ args: ["--local-issuer"] });

// The local issuer's test users (server/src/dev_issuer/mod.rs).
const ALEX = "a11ce000-0000-4000-8000-00000000a1ec";
const DANA = "da7a0000-0000-4000-8000-00000000da7a";
const RILEY = "0e1e0000-0000-4000-8000-00000000e1e0";

function paneUrl(origin = server.origin) {
  return `${origin}/?customerId=${CONTOSO.id}&customerName=${encodeURIComponent(CONTOSO.name)}`;
}

async function admin(path) {
  const response = await fetch(`${server.origin}/_issuer/_admin/${path}`, { method: "POST" });
  assert.equal(response.status, 204, `admin ${path}`);
}

/** Every DealSummary and token request, with whether it carried a bearer token. */
function recordCalls(page) {
  const calls = [];
  page.context().on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname.endsWith("/DealSummary") || url.pathname.endsWith("/oauth2/v2.0/token")) {
      calls.push({ path: url.pathname, url: request.url(), bearer: /^Bearer /.test(request.headers().authorization ?? "") });
    }
  });
  return calls;
}

/** Clicks Sign in and picks `oid` in the issuer's popup. */
async function signIn(page, oid = ALEX) {
  await page.locator("[data-auth=sign-in]").waitFor();
  const [popup] = await Promise.all([
    page.waitForEvent("popup"),
    page.getByRole("button", { name: "Sign in" }).click(),
  ]);
  await popup.locator(`a[data-oid="${oid}"]`).click();
}

test("sign in through the popup, reload without one, renew silently, then revoked", async () => {
  const anonymous = await fetch(`${server.origin}/api/DealSummary?customerId=${CONTOSO.id}`);
  assert.equal(anonymous.status, 401, "the server requires a token");
  const page = await newPage(browser);
  const calls = recordCalls(page);
  await page.goto(paneUrl());
  await signIn(page);
  await waitForCards(page, CONTOSO.openDealNames.length);
  const firstDeals = calls.filter((c) => c.path.endsWith("/DealSummary"));
  assert.ok(firstDeals.length >= 1 && firstDeals.every((c) => c.bearer), "every API call carries the token");
  for (const call of calls) assert.doesNotMatch(call.url, /access_token|eyJ/, "no token in a URL");
  const html = await page.content();
  assert.doesNotMatch(html, /eyJ[\w-]+\.[\w-]+\./, "no token in the DOM");

  // A tab reload: the refresh token in sessionStorage signs in, no popup.
  let popups = 0;
  page.on("popup", () => popups++);
  const before = calls.length;
  await page.reload();
  await waitForCards(page, CONTOSO.openDealNames.length);
  assert.equal(popups, 0);
  const afterReload = calls.slice(before);
  assert.equal(afterReload.filter((c) => c.path.endsWith("/token")).length, 1, "one token round trip");

  // Short-lived access tokens: the pane renews before expiry, then Refresh still works.
  await admin("access-token-ttl?secs=3");
  await page.reload();
  await waitForCards(page, CONTOSO.openDealNames.length);
  const renewed = calls.length;
  await page.waitForTimeout(4_000);
  await page.getByRole("button", { name: "Refresh" }).first().click();
  await waitForCards(page, CONTOSO.openDealNames.length);
  assert.ok(calls.slice(renewed).some((c) => c.path.endsWith("/token")), "renewed silently");
  assert.equal(await page.locator("[data-auth]").count(), 0, "still signed in");

  // Every refresh token revoked, the access token expired: back to "Sign in".
  await admin("revoke-all");
  await page.waitForTimeout(3_500);
  await page.reload();
  await page.locator("[data-auth=sign-in]").waitFor();
  await admin("access-token-ttl?secs=3600");
  assert.deepEqual(page.problems, []);
});

test("a blocked popup says how to allow it", async () => {
  const page = await newPage(browser);
  await page.addInitScript(() => {
    window.open = () => null;
  });
  await page.goto(paneUrl());
  await page.locator("[data-auth=sign-in]").waitFor();
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("[data-auth=popup-blocked]").waitFor();
  assert.match(await page.locator("[data-auth=popup-blocked]").innerText(), /Allow pop-ups/);
});

test("two agents see different deals with --sales-identity agent", async (t) => {
  const agents = await new DealpaneServer({ args: ["--local-issuer", "--sales-identity", "agent"] }).start();
  t.after(() => agents.dispose());
  // Each agent in their own browser context: nothing shared but the server.
  const signedIn = async (oid) => {
    const page = await newPage(browser);
    await page.goto(paneUrl(agents.origin));
    await signIn(page, oid);
    return page;
  };

  // Alex Wu reads only the deals he owns.
  const alex = await signedIn(ALEX);
  await waitForCards(alex, CONTOSO.alexWuDealNames.length);
  assert.deepEqual(await cardNames(alex), CONTOSO.alexWuDealNames);

  // Dana Seller reads the whole organization's, the same customer a moment later.
  const dana = await signedIn(DANA);
  await waitForCards(dana, CONTOSO.openDealNames.length);
  assert.deepEqual(await cardNames(dana), CONTOSO.openDealNames);

  // Alex's Refresh, after Dana's answer was made, still gets his own.
  const [refreshed] = await Promise.all([
    alex.waitForResponse((response) => new URL(response.url()).pathname.endsWith("/DealSummary")),
    alex.getByRole("button", { name: "Refresh" }).first().click(),
  ]);
  assert.ok([200, 304].includes(refreshed.status()), `Refresh answered ${refreshed.status()}`);
  await waitForCards(alex, CONTOSO.alexWuDealNames.length);
  assert.deepEqual(await cardNames(alex), CONTOSO.alexWuDealNames);

  // Riley Newhire signs in to Entra but is not a Sales user.
  const riley = await signedIn(RILEY);
  await riley.locator("[data-auth=no-sales-access]").waitFor();
  assert.equal(await riley.locator("article.dp-card").count(), 0);

  for (const page of [alex, dana, riley]) {
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});
