// Every way DESIGN.md says the workspace can pass the customer, checked by what the widget then
// asked the server: the GUID lowercase, hyphenated, without braces; the name and type as given.
// Template forms go through the preview (url + data, slugs filled as the workspace fills them);
// the rest are addresses typed straight into the frame.

import assert from "node:assert/strict";
import { test } from "node:test";

import { newPage, recordApiCalls } from "../lib/browser.mjs";
import { AOIFE, CONTOSO, COTE_DAZUR } from "../lib/fixtures.mjs";
import { nextApiCall, openPreview, waitForCards, waitForNotice } from "../lib/pane.mjs";
import { startServerAndBrowser } from "../lib/setup.mjs";

const NAME_SLUG = "{anchor._customerid_value@OData.Community.Display.V1.FormattedValue}";
const TYPE_SLUG = "{anchor._customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname}";

const { server, browser } = await startServerAndBrowser();

/** Opens the preview for `customer` with a template, waits for the deals, returns the request. */
async function throughPreview(customer, template) {
  const page = await newPage(browser);
  const calls = recordApiCalls(page);
  const pane = await openPreview(page, server.origin, {
    session: customer.id,
    name: customer.name,
    type: customer.type,
    ...template,
  });
  const call = await nextApiCall(calls, 0);
  await waitForCards(pane);
  const src = await page.locator("#dealpane-frame").getAttribute("src");
  assert.deepEqual(page.problems, []);
  await page.context().close();
  return { params: call.params, src };
}

/** Opens the widget at `pathAndQuery`, waits for the deals, returns the request. */
async function direct(pathAndQuery) {
  const page = await newPage(browser, { width: 1280 });
  const calls = recordApiCalls(page);
  await page.goto(`${server.origin}${pathAndQuery}`);
  const call = await nextApiCall(calls, 0);
  await waitForCards(page);
  assert.deepEqual(page.problems, []);
  await page.context().close();
  return call.params;
}

function only(params, expected) {
  const got = Object.fromEntries([...params].filter(([key]) => key !== "top"));
  assert.deepEqual(got, expected);
}

const W = (origin) => `${origin}/`;

test("third-party website: ?customerId= + {anchor._customerid_value}", async () => {
  const { params, src } = await throughPreview(CONTOSO, {
    url: `${W(server.origin)}?customerId=`,
    data: "{anchor._customerid_value}",
  });
  assert.equal(src, `${server.origin}/?customerId=${CONTOSO.id}`);
  only(params, { customerId: CONTOSO.id });
});

test("a GUID in braces and upper case is sent lowercase without braces", async () => {
  const { params, src } = await throughPreview(CONTOSO, { guid: "upper" });
  assert.ok(src.includes(encodeURIComponent(`{${CONTOSO.id.toUpperCase()}}`)), src);
  only(params, { customerId: CONTOSO.id });
});

test("a GUID with URL-encoded braces typed into the address", async () => {
  only(await direct(`/?customerId=%7B${CONTOSO.id.toUpperCase()}%7D`), { customerId: CONTOSO.id });
  only(await direct(`/?customerId=${CONTOSO.id.replaceAll("-", "").toUpperCase()}`), { customerId: CONTOSO.id });
});

test("the customer's name through the FormattedValue slug", async () => {
  const { params } = await throughPreview(AOIFE, { url: `${W(server.origin)}?customerName=`, data: NAME_SLUG });
  only(params, { customerName: AOIFE.name });
});

test("the name as the workspace may pass it, not URL-encoded", async () => {
  const { params, src } = await throughPreview(COTE_DAZUR, {
    url: `${W(server.origin)}?customerName=`,
    data: NAME_SLUG,
    encode: "0",
  });
  assert.ok(src.includes(COTE_DAZUR.name), src);
  only(params, { customerName: COTE_DAZUR.name });
});

test("id, name, type and case in one data string", async () => {
  const { params } = await throughPreview(AOIFE, {
    url: `${W(server.origin)}?customerId=`,
    data: `{anchor._customerid_value}&customerName=${NAME_SLUG}&customerType=${TYPE_SLUG}&caseId={anchor.incidentid}`,
  });
  assert.equal(params.get("customerId"), AOIFE.id);
  assert.equal(params.get("customerType"), "contact");
  assert.ok([null, AOIFE.name].includes(params.get("customerName")), params.toString());
  assert.equal(params.get("caseId"), null, "the case id stays in the pane");
});

test("a bare GUID as the whole query: ?{guid}", async () => {
  const { params, src } = await throughPreview(CONTOSO, {
    url: `${W(server.origin)}?`,
    data: "{anchor._customerid_value}",
    guid: "upper",
  });
  assert.equal(src, `${server.origin}/?${encodeURIComponent(`{${CONTOSO.id.toUpperCase()}}`)}`);
  only(params, { customerId: CONTOSO.id });
});

test("conversation slugs {customerRecordId}, {customerName}, {caseId}", async () => {
  const { params } = await throughPreview(AOIFE, {
    url: `${W(server.origin)}?customerId=`,
    data: "{customerRecordId}&customerName={customerName}&caseId={caseId}",
  });
  assert.equal(params.get("customerId"), AOIFE.id);
  assert.ok([null, AOIFE.name].includes(params.get("customerName")), params.toString());
});

test("data as a JSON object", async () => {
  const { params } = await throughPreview(AOIFE, {
    url: `${W(server.origin)}?data=`,
    data: '{"customerId":"{anchor._customerid_value}","customerType":"{anchor._customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname}"}',
  });
  assert.equal(params.get("customerId"), AOIFE.id);
  assert.equal(params.get("customerType"), "contact");
});

test("web resource: ?data= holding a nested, URL-encoded query", async () => {
  const { params, src } = await throughPreview(COTE_DAZUR, {
    kind: "webresource",
    url: W(server.origin),
    data: `customerId={anchor._customerid_value}&customerName=${NAME_SLUG}`,
  });
  assert.ok(src.startsWith(`${server.origin}/?data=customerId%3D`), src);
  assert.equal(params.get("customerId"), COTE_DAZUR.id);
  assert.ok([null, COTE_DAZUR.name].includes(params.get("customerName")), params.toString());
});

test("web resource: ?data= holding a bare GUID in braces", async () => {
  const { params } = await throughPreview(CONTOSO, {
    kind: "webresource",
    url: W(server.origin),
    data: "{anchor._customerid_value}",
    guid: "upper",
  });
  only(params, { customerId: CONTOSO.id });
});

test("an unfilled slug names the parameter and calls no API", async () => {
  const page = await newPage(browser);
  const calls = recordApiCalls(page);
  const pane = await openPreview(page, server.origin, {
    session: CONTOSO.id,
    url: `${W(server.origin)}?customerId=`,
    data: "{anchor._parentaccountid_value}",
  });
  const notice = await waitForNotice(pane);
  const text = await notice.textContent();
  assert.match(text, /customerId/);
  assert.match(text, /\{anchor\._parentaccountid_value\}/);
  await page.waitForTimeout(500);
  assert.equal(calls.length, 0, "no DealSummary request");
  await page.context().close();
});
